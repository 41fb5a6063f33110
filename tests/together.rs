//! Together: linking, sharing one item at a time with versions, needs, repair
//! invitations with a promised return, the mutual reveal, the safety reset and
//! deletion, and an authorization matrix over every Together route and every
//! kind of shared item, as the owner, partner, ex-partner, stranger,
//! anonymous visitor, coach and admin.

mod common;

use axum::http::{Method, StatusCode};
use common::{Client, PASSWORD, TestApp};
use securebase::web::Role;
use serde_json::{Value, json};

/// Alex invites with a link to copy; Sam accepts it.
async fn link(app: &TestApp, alex: &mut Client, sam: &mut Client) {
    let r = alex.post_json("/api/v1/together/invitations", json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let link = r.json()["link"].as_str().unwrap().to_owned();
    let token = link.rsplit('/').next().unwrap().to_owned();
    assert_eq!(token.len(), 64, "256 random bits");
    let r = sam.post_json("/api/v1/together/invitations/accept", json!({ "token": token })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["partner"]["display_name"], "Alex");
    let _ = app;
}

async fn pair(app: &TestApp) -> (Client, Client) {
    let mut alex = app.member_named("alex@example.org", "Alex").await;
    let mut sam = app.member_named("sam@example.org", "Sam").await;
    link(app, &mut alex, &mut sam).await;
    (alex, sam)
}

async fn share(c: &mut Client, kind: &str, id: &str) -> Value {
    let r = c.post_json("/api/v1/together/shares", json!({ "kind": kind, "item_id": id })).await;
    assert!(r.status == StatusCode::CREATED || r.status == StatusCode::OK, "{}", r.body);
    r.json()
}

async fn journal(c: &mut Client, title: &str, body: &str) -> Value {
    let r = c.post_json("/api/v1/journal", json!({ "title": title, "body": body, "prompt_id": "" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn an_invitation_shows_its_sender_only_to_a_signed_in_person_and_links_one_pair() {
    let app = TestApp::spawn().await;
    let mut alex = app.member_named("alex@example.org", "Alex").await;
    let mut sam = app.member_named("sam@example.org", "Sam").await;
    let link = alex.post_json("/api/v1/together/invitations", json!({})).await.json()["link"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = link.trim_start_matches(app.state.config.base_url().as_str()).to_owned();
    let anonymous = app.client().get(&path).await;
    assert_eq!(anonymous.status, StatusCode::OK);
    assert!(!anonymous.body.contains("Alex"), "a link alone does not say who sent it");
    assert!(anonymous.body.contains("Sign in"));
    let page = sam.get(&path).await;
    assert!(page.body.contains("<strong>Alex</strong> invited you"), "{}", page.body);
    assert!(app.client().get("/together/join/0000").await.status == StatusCode::NOT_FOUND);

    // Accept in the browser: linked, and each sees the other's name only.
    let r = sam.post_form(&format!("{path}/accept"), &[]).await;
    assert_eq!(r.location(), "/together");
    assert!(sam.get("/together").await.body.contains("You are linked with Alex"));
    assert!(alex.get("/together").await.body.contains("You are linked with Sam"));
    // Single use: the link is spent.
    assert_eq!(sam.get(&path).await.status, StatusCode::NOT_FOUND);
    // One partner at a time.
    let mut kim = app.member_named("kim@example.org", "Kim").await;
    let r = kim.post_json("/api/v1/together/invitations", json!({})).await;
    let token = r.json()["link"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    let r = sam.post_json("/api/v1/together/invitations/accept", json!({ "token": token })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("linked with someone already"));
    let r = alex.post_json("/api/v1/together/invitations", json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Both owners were told, each in their own inbox only.
    for who in ["alex@example.org", "sam@example.org"] {
        let mail = app.mail_to(who).await;
        let told: Vec<_> = mail.iter().filter(|m| m.text_body.contains("linked with a partner")).collect();
        assert_eq!(told.len(), 1, "{who}: {mail:#?}");
        assert_eq!(told[0].subject, "A security notice for your account", "the subject names nobody");
        assert!(!told[0].text_body.contains("Alex") && !told[0].text_body.contains("Sam"), "nor the body");
    }
}

#[tokio::test]
async fn declining_says_only_not_accepted_and_a_mailed_invitation_is_discreet() {
    let app = TestApp::spawn().await;
    let mut alex = app.member_named("alex@example.org", "Alex").await;
    let mut sam = app.member_named("sam@example.org", "Sam").await;
    let r = alex.post_json("/api/v1/together/invitations", json!({ "email": "sam@example.org" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(r.json().get("link").is_none(), "a mailed link is never shown to its sender");
    let mails = app.mail_to("sam@example.org").await;
    let invitation = mails.iter().find(|m| m.text_body.contains("/together/join/")).expect("invitation mail");
    assert_eq!(invitation.subject, "You have an invitation");
    let path = app.link_in_mail("sam@example.org", "/together/join/").await;
    let r = sam.post_form(&format!("{path}/decline"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let status = alex.get("/api/v1/together").await.json();
    assert_eq!(status["invitations"][0]["status"], "Not accepted");
    assert!(status["partner"].is_null());
    // Nobody gets invitation after invitation: not again for a month.
    let r = alex.post_json("/api/v1/together/invitations", json!({ "email": "sam@example.org" })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("not accepted"), "{}", r.body);
    let r = alex.post_json("/api/v1/together/invitations", json!({ "email": "lee@example.org" })).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = alex.post_json("/api/v1/together/invitations", json!({ "email": "lee@example.org" })).await;
    assert!(r.body.contains("still open"), "{}", r.body);
    // Revoking an open one makes its link stop working.
    let r = alex.post_json("/api/v1/together/invitations", json!({})).await.json();
    let (id, link) = (r["id"].as_str().unwrap().to_owned(), r["link"].as_str().unwrap().to_owned());
    assert_eq!(
        alex.delete(&format!("/api/v1/together/invitations/{id}")).await.status,
        StatusCode::NO_CONTENT
    );
    let token = link.rsplit('/').next().unwrap();
    let r = sam.post_json("/api/v1/together/invitations/accept", json!({ "token": token })).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Someone else cannot revoke Alex's invitations.
    let r = alex.post_json("/api/v1/together/invitations", json!({})).await.json();
    let id = r["id"].as_str().unwrap();
    assert_eq!(sam.delete(&format!("/api/v1/together/invitations/{id}")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_unconfirmed_member_cannot_invite_or_accept() {
    let app = TestApp::spawn().await;
    let mut alex = app.member_named("alex@example.org", "Alex").await;
    let mut sam = app.member_named("sam@example.org", "Sam").await;
    let link = alex.post_json("/api/v1/together/invitations", json!({})).await.json()["link"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = link.rsplit('/').next().unwrap().to_owned();
    // Sam's address is no longer confirmed (as after a change waiting for its link).
    app.exec("UPDATE users SET email_verified_at = NULL WHERE email = $1", &["sam@example.org"]).await;
    let r = sam.post_json("/api/v1/together/invitations", json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = sam.post_json("/api/v1/together/invitations/accept", json!({ "token": token })).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(sam.get("/together").await.body.contains("Confirm your email address first"));
    assert!(
        sam.get(&format!("/together/join/{token}")).await.body.contains("Confirm your email address first")
    );
    // The invitation still works once the address is confirmed.
    app.exec("UPDATE users SET email_verified_at = 1 WHERE email = $1", &["sam@example.org"]).await;
    let r = sam.post_json("/api/v1/together/invitations/accept", json!({ "token": token })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn a_share_is_a_snapshot_and_a_new_version_shows_beside_the_old() {
    let app = TestApp::spawn().await;
    let (mut alex, mut sam) = pair(&app).await;
    let entry = journal(&mut alex, "After the call", "I wanted to hear your voice.").await;
    let id = entry["id"].as_str().unwrap().to_owned();
    let private = journal(&mut alex, "Only mine", "Nobody reads this.").await;

    let preview = alex.get(&format!("/together/share/journal/{id}")).await;
    assert!(preview.body.contains("I wanted to hear your voice."));
    assert!(preview.body.contains("Share this journal entry with Sam?"), "{}", preview.body);
    assert!(preview.body.contains(">Share it</button>"));
    assert_eq!(
        sam.get("/api/v1/together/shares").await.json()["shared_with_me"].as_array().unwrap().len(),
        0
    );

    let shared = share(&mut alex, "journal", &id).await;
    let share_id = shared["id"].as_str().unwrap().to_owned();
    assert_eq!(shared["versions"], 1);
    assert!(!shared.to_string().contains(&id), "the item's own id never crosses over");

    let list = sam.get("/api/v1/together/shares").await.json();
    assert_eq!(list["shared_with_me"][0]["heading"], "After the call");
    let page = sam.get(&format!("/together/shares/{share_id}")).await;
    assert!(page.body.contains("I wanted to hear your voice."));
    // The notice names nothing.
    let notices = sam.get("/api/v1/notices").await.body;
    assert!(notices.contains("Something was shared with you"), "{notices}");
    assert!(!notices.contains("After the call"));
    // Nothing of the private entry: no title, body or count.
    for path in ["/together", "/together/shares", "/api/v1/together/shares", "/api/v1/notices", "/notices"] {
        let body = sam.get(path).await.body;
        assert!(!body.contains("Only mine") && !body.contains("Nobody reads"), "{path}");
    }
    assert_eq!(
        sam.get(&format!("/api/v1/journal/{}", private["id"].as_str().unwrap())).await.status,
        StatusCode::NOT_FOUND
    );

    // Sharing again without a change adds nothing.
    let again = alex.post_json("/api/v1/together/shares", json!({ "kind": "journal", "item_id": id })).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["versions"], 1);

    // Edit: the partner keeps the shared version until the author shares again.
    let r = alex
        .send_json(Method::PUT, &format!("/api/v1/journal/{id}"), json!({ "title": "After the call", "body": "I wanted to hear you, and I said so.", "prompt_id": "", "version": 1 }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let seen = sam.get(&format!("/api/v1/together/shares/{share_id}")).await.json();
    assert_eq!(seen["all_versions"].as_array().unwrap().len(), 1);
    assert!(seen.to_string().contains("I wanted to hear your voice."));
    assert!(!seen.to_string().contains("and I said so"));
    let preview = alex.get(&format!("/api/v1/together/preview/journal/{id}")).await.json();
    assert_eq!(preview["up_to_date"], false);
    let r = alex.post_form(&format!("/together/share/journal/{id}"), &[]).await;
    assert_eq!(r.location(), format!("/together/shares/{share_id}"));
    let seen = sam.get(&format!("/api/v1/together/shares/{share_id}")).await.json();
    let versions = seen["all_versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2, "both versions, so nothing is quietly rewritten");
    assert!(versions[0].to_string().contains("I wanted to hear your voice."));
    assert!(versions[1].to_string().contains("and I said so"));
    let page = sam.get(&format!("/together/shares/{share_id}")).await.body;
    assert!(page.contains("Version 1") && page.contains("Version 2"));

    // Unshare: gone for the partner at once.
    assert_eq!(
        sam.delete(&format!("/api/v1/together/shares/{share_id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        alex.delete(&format!("/api/v1/together/shares/{share_id}")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(sam.get(&format!("/together/shares/{share_id}")).await.status, StatusCode::NOT_FOUND);
    // Nothing is left pointing at it.
    assert!(!sam.get("/api/v1/notices").await.body.contains(&share_id));

    // Deleting the item itself ends its share too.
    let doomed = journal(&mut alex, "Second thoughts", "Words I take back").await;
    let doomed_id = doomed["id"].as_str().unwrap().to_owned();
    let doomed_share = share(&mut alex, "journal", &doomed_id).await["id"].as_str().unwrap().to_owned();
    assert_eq!(sam.get(&format!("/together/shares/{doomed_share}")).await.status, StatusCode::OK);
    assert_eq!(alex.delete(&format!("/api/v1/journal/{doomed_id}")).await.status, StatusCode::OK);
    assert_eq!(sam.get(&format!("/together/shares/{doomed_share}")).await.status, StatusCode::NOT_FOUND);
    assert!(!sam.get("/api/v1/together/shares").await.body.contains("Second thoughts"));
    assert!(!alex.get("/together/shares").await.body.contains("Second thoughts"));
}

#[tokio::test]
async fn a_need_is_named_and_answered_and_nobody_else_sees_it() {
    let app = TestApp::spawn().await;
    let (mut alex, mut sam) = pair(&app).await;
    let stranger = app.member_named("kim@example.org", "Kim").await;
    let r = sam.post_json("/api/v1/together/needs", json!({ "need": "nope" })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The form keeps what was typed and names the problem.
    let r =
        sam.post_form("/together/needs", &[("need", ""), ("own_words", ""), ("message", "kept words")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("kept words") && r.body.contains("Choose a need"));
    let r = sam
        .post_json("/api/v1/together/needs", json!({ "need": "warmth", "message": "A hug at the door" }))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    // Sam cannot answer their own need; a stranger cannot either.
    let hear = json!({ "kind": "hear" });
    assert_eq!(
        sam.post_json(&format!("/api/v1/together/needs/{id}/answer"), hear.clone()).await.status,
        StatusCode::NOT_FOUND
    );
    let mut s = stranger.clone();
    assert_eq!(
        s.post_json(&format!("/api/v1/together/needs/{id}/answer"), hear.clone()).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!stranger.get("/together/needs").await.body.contains("A hug at the door"));
    let list = alex.get("/api/v1/together/needs").await.json();
    assert_eq!(list[0]["need"], "Warmth");
    assert_eq!(list[0]["message"], "A hug at the door");
    let r = alex
        .post_json(
            &format!("/api/v1/together/needs/{id}/answer"),
            json!({ "kind": "hear", "text": "Tonight." }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["answer"], "I hear you. Tonight.");
    let mine = sam.get("/together/needs").await.body;
    assert!(mine.contains("Alex answered:") && mine.contains("I hear you. Tonight."));
    // Once only.
    assert_eq!(
        alex.post_json(&format!("/api/v1/together/needs/{id}/answer"), hear).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_time_out_brings_a_reminder_to_both_at_the_promised_time_and_closing_gives_each_a_moment() {
    let app = TestApp::spawn().await;
    let (mut alex, mut sam) = pair(&app).await;
    let r = alex.post_json("/api/v1/together/repairs", json!({ "message": "I'm sorry I walked off." })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    // Nobody closes it alone before it is answered, so nobody puts moments in the other's list.
    let r = alex.post_json(&format!("/api/v1/together/repairs/{id}/close"), json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(sam.get("/api/v1/returns").await.json().as_array().unwrap().is_empty());
    let past = json!({ "kind": "time", "return_at": "2001-01-01T10:00:00Z" });
    let r = sam.post_json(&format!("/api/v1/together/repairs/{id}/answer"), past).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let at = securebase::clock::now() + 3600;
    let when = securebase::clock::rfc3339(at);
    let r = sam
        .post_json(
            &format!("/api/v1/together/repairs/{id}/answer"),
            json!({ "kind": "time", "return_at": when }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["answer_kind"], "time");
    app.run_jobs().await;
    let reminder = "The time you agreed to come back";
    assert!(!alex.get("/api/v1/notices").await.body.contains(reminder), "not before the time");
    // The clock moves past the promised time.
    securebase::jobs::worker::run_due(&app.state, &securebase::app::job_kinds(), at + 60).await.unwrap();
    assert!(alex.get("/api/v1/notices").await.body.contains(reminder));
    assert!(sam.get("/api/v1/notices").await.body.contains(reminder));
    // The reminder is mailed (discreetly) even though another notice was mailed just before.
    for who in ["alex@example.org", "sam@example.org"] {
        let mails = app.mail_to(who).await;
        let about_notices: Vec<_> = mails.iter().filter(|m| m.subject.contains("new notice")).collect();
        assert_eq!(about_notices.len(), 2, "{who}: {mails:#?}");
        assert!(
            about_notices.iter().all(|m| !m.text_body.contains("repair") && !m.subject.contains("repair"))
        );
    }

    let r = sam.post_json(&format!("/api/v1/together/repairs/{id}/close"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["closed"], true);
    for c in [&alex, &sam] {
        let returns = c.get("/api/v1/returns").await.json();
        assert_eq!(returns.as_array().unwrap().len(), 1, "each owns their own moment");
        assert_eq!(returns[0]["text"], "We found our way back after a rupture.");
    }
    // A stranger cannot close or answer.
    let mut kim = app.member_named("kim@example.org", "Kim").await;
    assert_eq!(
        kim.post_json(&format!("/api/v1/together/repairs/{id}/close"), json!({})).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn reveal_answers_show_only_when_both_have_answered() {
    let app = TestApp::spawn().await;
    let (mut alex, mut sam) = pair(&app).await;
    let q = "reach-signal";
    let r = alex
        .send_json(Method::PUT, &format!("/api/v1/together/reveal/{q}"), json!({ "answer": "I go quiet." }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["state"], "waiting-for-partner");
    let theirs = sam.get("/api/v1/together/reveal").await.json();
    let item = theirs.as_array().unwrap().iter().find(|v| v["id"] == q).unwrap().clone();
    assert_eq!(item["state"], "open", "until Sam answers, nothing says whether Alex did");
    assert!(item["partner_answer"].is_null());
    assert!(!sam.get("/together/reveal").await.body.contains("I go quiet."));
    let r = sam
        .send_json(Method::PUT, &format!("/api/v1/together/reveal/{q}"), json!({ "answer": "I text a lot." }))
        .await;
    assert_eq!(r.json()["state"], "revealed");
    assert_eq!(r.json()["partner_answer"], "I go quiet.");
    let page = alex.get("/together/reveal").await.body;
    assert!(page.contains("I go quiet.") && page.contains("I text a lot."));
    // A skip keeps both hidden.
    let q2 = "reassure-when";
    let r = alex
        .send_json(Method::PUT, &format!("/api/v1/together/reveal/{q2}"), json!({ "answer": "Hidden words" }))
        .await;
    assert_eq!(r.json()["state"], "waiting-for-partner");
    let r =
        sam.send_json(Method::PUT, &format!("/api/v1/together/reveal/{q2}"), json!({ "skip": true })).await;
    assert_eq!(r.json()["state"], "skipped");
    assert!(!sam.get("/together/reveal").await.body.contains("Hidden words"));
    assert!(!alex.get("/together/reveal").await.body.contains("Hidden words"), "a skip hides both");
    // Once only.
    let r = alex
        .send_json(Method::PUT, &format!("/api/v1/together/reveal/{q}"), json!({ "answer": "Again" }))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn safety_reset_ends_everything_at_once() {
    let app = TestApp::spawn().await;
    let (mut alex, sam) = pair(&app).await;
    let mut other_device = app.client();
    let r = other_device
        .post_json("/api/v1/auth/login", json!({ "email": "alex@example.org", "password": PASSWORD }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let entry = journal(&mut alex, "Shared", "Words for Sam").await;
    let share_id =
        share(&mut alex, "journal", entry["id"].as_str().unwrap()).await["id"].as_str().unwrap().to_owned();
    let r = alex.post_json("/api/v1/together/reset", json!({ "password": "wrong one" })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(sam.get(&format!("/together/shares/{share_id}")).await.status, StatusCode::OK);
    let r = alex.post_json("/api/v1/together/reset", json!({ "password": PASSWORD })).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(sam.get(&format!("/together/shares/{share_id}")).await.status, StatusCode::NOT_FOUND);
    assert!(sam.get("/api/v1/together").await.json()["partner"].is_null());
    assert_eq!(other_device.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED, "other sessions end");
    assert_eq!(alex.get("/api/v1/me").await.status, StatusCode::OK, "this one stays");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM shares WHERE author_id IN (SELECT id FROM users WHERE email = $1)",
            "alex@example.org"
        )
        .await,
        0
    );
    // On another instance too, the very next request finds nothing.
    let second = app.second_instance().await;
    assert_eq!(
        sam.with_router(second.router.clone()).get(&format!("/together/shares/{share_id}")).await.status,
        StatusCode::NOT_FOUND
    );
    // Open invitations stop working.
    let mut kim = app.member_named("kim@example.org", "Kim").await;
    let link = kim.post_json("/api/v1/together/invitations", json!({})).await.json()["link"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        kim.post_json("/api/v1/together/reset", json!({ "password": PASSWORD })).await.status,
        StatusCode::NO_CONTENT
    );
    let token = link.rsplit('/').next().unwrap();
    let r = alex.post_json("/api/v1/together/invitations/accept", json!({ "token": token })).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(kim.get("/api/v1/together").await.json()["invitations"][0]["status"], "Revoked");
    // Nothing about the reset is mailed to the inbox.
    let mails = app.mail_to("alex@example.org").await;
    assert!(!mails.iter().any(|m| m.text_body.contains("signed out")), "{mails:#?}");
    // Reachable from the Safety page and settings.
    assert!(app.client().get("/safety").await.body.contains("/together/reset"));
    assert!(alex.get("/settings").await.body.contains("/together/reset"));
}

#[tokio::test]
async fn export_holds_what_was_authored_and_deletion_unlinks_leaving_the_partner_their_own() {
    let app = TestApp::spawn().await;
    let (mut alex, mut sam) = pair(&app).await;
    let entry = journal(&mut alex, "For Sam", "Shared words").await;
    share(&mut alex, "journal", entry["id"].as_str().unwrap()).await;
    alex.post_json("/api/v1/together/needs", json!({ "need": "", "own_words": "A slow Sunday" })).await;
    let sams = sam.post_json("/api/v1/together/needs", json!({ "need": "warmth" })).await.json();
    alex.post_json(
        &format!("/api/v1/together/needs/{}/answer", sams["id"].as_str().unwrap()),
        json!({ "kind": "hear" }),
    )
    .await;
    alex.send_json(Method::PUT, "/api/v1/together/reveal/reach-signal", json!({ "answer": "Reveal words" }))
        .await;
    let alex_need = alex.post_json("/api/v1/together/needs", json!({ "need": "repair" })).await.json();
    let answer = json!({ "kind": "own", "text": "Sam's own words" });
    let r = sam
        .post_json(&format!("/api/v1/together/needs/{}/answer", alex_need["id"].as_str().unwrap()), answer)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let export = alex.export().await.json();
    let t = &export["together"];
    assert!(t["shares"].to_string().contains("Shared words"), "{t}");
    assert!(t["needs_named"].to_string().contains("A slow Sunday"));
    assert_eq!(t["need_answers"][0]["kind"], "hear");
    assert_eq!(t["reveal_answers"][0]["answer"], "Reveal words");
    assert_eq!(t["invitations"].as_array().unwrap().len(), 1);

    let r = alex.send_json(Method::DELETE, "/api/v1/me", json!({ "password": PASSWORD })).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let status = sam.get("/api/v1/together").await.json();
    assert!(status["partner"].is_null(), "deletion unlinks");
    assert!(sam.get("/api/v1/together/shares").await.json()["shared_with_me"].as_array().unwrap().is_empty());
    let sam_id = sam.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM named_needs WHERE author_id = $1", &sam_id).await,
        1,
        "Sam keeps what Sam wrote"
    );
    let sams_export = sam.export().await.json();
    assert!(
        sams_export["together"]["need_answers"].to_string().contains("Sam's own words"),
        "Sam's answers stay Sam's"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notices WHERE kind = 'together' AND user_id = $1", &sam_id).await,
        0
    );
}

/// Every Together route and every kind of shared item, tried by everyone.
#[tokio::test]
async fn authorization_matrix_over_every_route_and_every_item_kind() {
    let app = TestApp::spawn().await;
    let (mut alex, mut sam) = pair(&app).await;
    let mut stranger = app.member_named("kim@example.org", "Kim").await;
    let mut coach = app.with_role("coach@example.org", Role::Coach).await;
    let mut admin = app.with_role("admin@example.org", Role::Admin).await;
    let anonymous = app.client();

    // One item of each kind, shared by Alex.
    let mut ids = Vec::new();
    let e = journal(&mut alex, "Journal title", "Journal words").await;
    ids.push(("journal", e["id"].as_str().unwrap().to_owned()));
    let answers: serde_json::Map<String, Value> =
        app.client().get("/api/v1/instruments/closeness-reflection").await.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["id"].as_str().unwrap().to_owned(), json!(4)))
            .collect();
    let r = alex
        .post_json("/api/v1/instruments/closeness-reflection/responses", json!({ "answers": answers }))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    ids.push(("result", r.json()["id"].as_str().unwrap().to_owned()));
    let r = alex
        .post_json(
            "/api/v1/checkins/today",
            json!({ "values": { "closeness": 4 }, "note": "Check-in words" }),
        )
        .await;
    ids.push(("check-in", r.json()["id"].as_str().unwrap().to_owned()));
    let r = alex.post_json("/api/v1/repair-plans", json!({ "not_afraid": true })).await;
    ids.push(("repair", r.json()["id"].as_str().unwrap().to_owned()));
    let fields = json!({ "my_trigger": "Cycle words", "my_feeling": "f", "my_move": "m", "partner_reads": "r", "partner_move": "p" });
    let r = alex.post_json("/api/v1/cycle-maps", fields).await;
    ids.push(("cycle", r.json()["id"].as_str().unwrap().to_owned()));
    let r = alex.post_json("/api/v1/returns", json!({ "text": "Return words" })).await;
    ids.push(("return", r.json()["id"].as_str().unwrap().to_owned()));
    // And private items that are never shared.
    journal(&mut alex, "Secret title", "Secret words").await;

    let mut shares = Vec::new();
    for (kind, id) in &ids {
        // Nobody but the author can preview or share the author's item.
        for (who, c) in
            [("partner", &mut sam), ("stranger", &mut stranger), ("coach", &mut coach), ("admin", &mut admin)]
        {
            assert_eq!(
                c.get(&format!("/together/share/{kind}/{id}")).await.status,
                StatusCode::NOT_FOUND,
                "{who} {kind}"
            );
            let r = c.post_json("/api/v1/together/shares", json!({ "kind": kind, "item_id": id })).await;
            assert!(!r.status.is_success(), "{who} shared {kind}: {}", r.body);
        }
        assert_eq!(
            anonymous.get(&format!("/together/share/{kind}/{id}")).await.status,
            StatusCode::SEE_OTHER
        );
        let shared = share(&mut alex, kind, id).await;
        assert!(!shared.to_string().contains(id.as_str()), "{kind}: the item id stays with its author");
        shares.push(shared["id"].as_str().unwrap().to_owned());
    }
    let listed = sam.get("/api/v1/together/shares").await.json();
    assert_eq!(listed["shared_with_me"].as_array().unwrap().len(), 6);

    // Items of Together itself.
    let need = sam
        .post_json("/api/v1/together/needs", json!({ "need": "warmth", "message": "Need words" }))
        .await
        .json();
    let repair =
        alex.post_json("/api/v1/together/repairs", json!({ "message": "Repair words" })).await.json();
    alex.send_json(Method::PUT, "/api/v1/together/reveal/reach-signal", json!({ "answer": "Reveal words" }))
        .await;
    sam.send_json(Method::PUT, "/api/v1/together/reveal/reach-signal", json!({ "answer": "Sam reveal" }))
        .await;
    let need_id = need["id"].as_str().unwrap().to_owned();
    let repair_id = repair["id"].as_str().unwrap().to_owned();

    let secret = [
        "Journal words",
        "Check-in words",
        "Cycle words",
        "Return words",
        "Need words",
        "Repair words",
        "Reveal words",
        "Secret",
    ];
    let reads: Vec<String> = shares
        .iter()
        .flat_map(|s| [format!("/together/shares/{s}"), format!("/api/v1/together/shares/{s}")])
        .chain(
            [
                "/together",
                "/together/shares",
                "/together/needs",
                "/together/repair",
                "/together/reveal",
                "/api/v1/together",
                "/api/v1/together/shares",
                "/api/v1/together/needs",
                "/api/v1/together/repairs",
                "/api/v1/together/reveal",
                "/notices",
                "/api/v1/notices",
                "/admin/users",
                "/admin/jobs",
                "/coach/posts",
            ]
            .map(String::from),
        )
        .collect();
    // Outsiders: no share is readable, no route carries a word of it.
    for (who, c) in [("stranger", &stranger), ("coach", &coach), ("admin", &admin), ("anonymous", &anonymous)]
    {
        for path in &reads {
            let r = c.get(path).await;
            if path.contains("/shares/") {
                assert!(!r.status.is_success(), "{who} read {path}: {}", r.status);
            }
            for word in secret {
                assert!(!r.body.contains(word), "{who} saw {word:?} at {path}");
            }
        }
        let mut c = c.clone();
        let writes = [
            (format!("/api/v1/together/needs/{need_id}/answer"), json!({ "kind": "hear" })),
            (format!("/api/v1/together/repairs/{repair_id}/answer"), json!({ "kind": "ready" })),
            (format!("/api/v1/together/repairs/{repair_id}/close"), json!({})),
        ];
        for (path, body) in writes {
            let r = c.post_json(&path, body).await;
            assert!(!r.status.is_success(), "{who} wrote {path}: {}", r.status);
        }
        for s in &shares {
            assert!(
                !c.delete(&format!("/api/v1/together/shares/{s}")).await.status.is_success(),
                "{who} unshared"
            );
        }
        // The same through the pages' forms: not found, or (anonymous) to sign in.
        let mut forms: Vec<(String, Vec<(&str, &str)>)> = vec![
            (format!("/together/needs/{need_id}/answer"), vec![("kind", "hear")]),
            (format!("/together/repair/{repair_id}/answer"), vec![("kind", "ready")]),
            (format!("/together/repair/{repair_id}/close"), vec![]),
        ];
        forms.extend(shares.iter().map(|s| (format!("/together/shares/{s}/unshare"), vec![])));
        for (path, fields) in forms {
            let r = c.post_form(&path, &fields).await;
            let refused = r.status == StatusCode::NOT_FOUND
                || (who == "anonymous"
                    && r.status == StatusCode::SEE_OTHER
                    && r.location().starts_with("/signin"));
            assert!(refused, "{who} posted {path}: {} {}", r.status, r.location());
        }
    }
    // None of it changed anything.
    let needs = sam.get("/api/v1/together/needs").await.json();
    assert!(needs[0]["answer"].is_null(), "{needs}");
    let repairs = alex.get("/api/v1/together/repairs").await.json();
    assert!(repairs[0]["answer_kind"].is_null() && repairs[0]["closed"] == false, "{repairs}");
    assert_eq!(
        sam.get("/api/v1/together/shares").await.json()["shared_with_me"].as_array().unwrap().len(),
        6
    );
    // The partner reads every share and never a private title or count.
    for path in &reads {
        let r = sam.get(path).await;
        assert!(!r.body.contains("Secret"), "partner saw a private item at {path}");
    }
    for s in &shares {
        assert_eq!(sam.get(&format!("/api/v1/together/shares/{s}")).await.status, StatusCode::OK);
    }
    // The partner cannot unshare what Alex shared.
    assert_eq!(
        sam.delete(&format!("/api/v1/together/shares/{}", shares[0])).await.status,
        StatusCode::NOT_FOUND
    );

    // Unlink: the first request after it is refused, here and on a second instance.
    let second = app.second_instance().await;
    let sam_there = sam.with_router(second.router.clone());
    assert_eq!(sam_there.get(&format!("/together/shares/{}", shares[0])).await.status, StatusCode::OK);
    assert_eq!(alex.post_json("/api/v1/together/unlink", json!({})).await.status, StatusCode::NO_CONTENT);
    for ex in [&sam, &sam_there] {
        for s in &shares {
            assert_eq!(ex.get(&format!("/together/shares/{s}")).await.status, StatusCode::NOT_FOUND);
            assert_eq!(ex.get(&format!("/api/v1/together/shares/{s}")).await.status, StatusCode::NOT_FOUND);
        }
        for path in &reads {
            let r = ex.get(path).await;
            for word in secret {
                assert!(!r.body.contains(word), "ex-partner saw {word:?} at {path}");
            }
        }
    }
    let mut ex = sam.clone();
    assert_eq!(
        ex.post_json(&format!("/api/v1/together/repairs/{repair_id}/close"), json!({})).await.status,
        StatusCode::NOT_FOUND
    );
    let r = ex
        .post_json(&format!("/api/v1/together/repairs/{repair_id}/answer"), json!({ "kind": "ready" }))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = ex.post_form(&format!("/together/repair/{repair_id}/answer"), &[("kind", "ready")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = ex.post_json("/api/v1/together/needs", json!({ "need": "warmth" })).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "not linked any more");
    // No notice told Sam about the unlink, and the Together notices are gone.
    let notices = sam.get("/api/v1/notices").await.body;
    assert!(!notices.contains("unlink") && !notices.contains("shared with you"), "{notices}");
}

#[tokio::test]
async fn a_share_from_a_new_device_is_told_to_its_owner_alone_and_invitations_are_capped() {
    let app = TestApp::spawn().await;
    let (mut alex, _sam) = pair(&app).await;
    let told = "shared with your partner from a device your account had not been used on before";
    let entry = journal(&mut alex, "From home", "Words").await;
    share(&mut alex, "journal", entry["id"].as_str().unwrap()).await;
    assert!(
        !app.mail_to("alex@example.org").await.iter().any(|m| m.text_body.contains(told)),
        "a known device"
    );
    // A browser the account has never used.
    let mut elsewhere = app.client();
    let r = elsewhere
        .post_json("/api/v1/auth/login", json!({ "email": "alex@example.org", "password": PASSWORD }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let entry = journal(&mut elsewhere, "From elsewhere", "More words").await;
    share(&mut elsewhere, "journal", entry["id"].as_str().unwrap()).await;
    let entry = journal(&mut elsewhere, "And again", "Yet more").await;
    share(&mut elsewhere, "journal", entry["id"].as_str().unwrap()).await;
    let alex_mail = app.mail_to("alex@example.org").await;
    assert_eq!(
        alex_mail.iter().filter(|m| m.text_body.contains(told)).count(),
        1,
        "once per new device: {alex_mail:#?}"
    );
    assert!(
        !app.mail_to("sam@example.org").await.iter().any(|m| m.text_body.contains(told)),
        "never to the partner"
    );

    // Invitations to other inboxes are capped per day, revoked ones included.
    let mut kim = app.member_named("kim@example.org", "Kim").await;
    for i in 0..10 {
        let r = kim
            .post_json("/api/v1/together/invitations", json!({ "email": format!("p{i}@example.org") }))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{i}: {}", r.body);
        let id = r.json()["id"].as_str().unwrap().to_owned();
        kim.delete(&format!("/api/v1/together/invitations/{id}")).await;
    }
    let r = kim.post_json("/api/v1/together/invitations", json!({ "email": "p11@example.org" })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("try again tomorrow"), "{}", r.body);
}

/// An abuser holding a second session of the victim's account keeps trying to
/// accept an invitation while the victim runs the safety reset: whatever the
/// order, the victim ends unlinked and the second session ends.
#[tokio::test]
async fn a_safety_reset_cannot_be_raced_by_another_session_of_the_account() {
    let app = TestApp::spawn().await;
    let (mut alex, _sam) = pair(&app).await;
    let mut other = app.member_named("eve@example.org", "Eve").await;
    let link = other.post_json("/api/v1/together/invitations", json!({})).await.json()["link"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = link.rsplit('/').next().unwrap().to_owned();
    let mut second_session = app.client();
    let r = second_session
        .post_json("/api/v1/auth/login", json!({ "email": "alex@example.org", "password": PASSWORD }))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let instance = app.second_instance().await;
    let mut second_session = second_session.with_router(instance.router.clone());
    let attempts = async {
        let mut statuses = Vec::new();
        for _ in 0..60 {
            let r = second_session
                .post_json("/api/v1/together/invitations/accept", json!({ "token": token }))
                .await;
            statuses.push(r.status);
            if r.status != StatusCode::UNPROCESSABLE_ENTITY {
                break;
            }
            tokio::task::yield_now().await;
        }
        statuses
    };
    let reset = async {
        tokio::task::yield_now().await;
        alex.post_json("/api/v1/together/reset", json!({ "password": PASSWORD })).await.status
    };
    let (statuses, reset_status) = tokio::join!(attempts, reset);
    assert_eq!(reset_status, StatusCode::NO_CONTENT);
    let status = alex.get("/api/v1/together").await.json();
    // An accept that got in first was undone by the reset; one after it was refused.
    assert!(status["partner"].is_null(), "{status} after {statuses:?}");
    assert_eq!(second_session.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_deleted_shared_item_leaves_the_partner_at_once_and_an_undo_brings_the_share_back() {
    let app = TestApp::spawn().await;
    let (mut alex, sam) = pair(&app).await;
    let entry = journal(&mut alex, "Shared for now", "I was scared, not angry.").await;
    let id = entry["id"].as_str().unwrap().to_owned();
    let shared = share(&mut alex, "journal", &id).await;
    let share_id = shared["id"].as_str().unwrap().to_owned();
    assert!(sam.get(&format!("/together/shares/{share_id}")).await.body.contains("I was scared"));

    let r = alex.delete(&format!("/api/v1/journal/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let undo_id = r.json()["undo_id"].as_str().unwrap().to_owned();
    // While it can still be undone, the partner sees nothing of it.
    assert_eq!(sam.get(&format!("/together/shares/{share_id}")).await.status, StatusCode::NOT_FOUND);
    for path in ["/together", "/together/shares", "/api/v1/together/shares"] {
        let body = sam.get(path).await.body;
        assert!(!body.contains("Shared for now") && !body.contains("I was scared"), "{path}");
    }
    // Nor can the partner undo it.
    let mut sam = sam;
    assert_eq!(sam.post_json(&format!("/api/v1/undo/{undo_id}"), json!({})).await.status, StatusCode::GONE);

    let r = alex.post_json(&format!("/api/v1/undo/{undo_id}"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page = sam.get(&format!("/together/shares/{share_id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("I was scared, not angry."), "the same share is back");
}

#[tokio::test]
async fn once_a_shared_item_is_gone_for_good_no_snapshot_of_it_is_kept_or_exported() {
    let app = TestApp::spawn().await;
    let (mut alex, mut sam) = pair(&app).await;
    let me = alex.get("/api/v1/me").await.json();
    let alex_id = me["id"].as_str().unwrap().to_owned();
    let entry = journal(&mut alex, "Not for keeping", "Words I take back for good.").await;
    let id = entry["id"].as_str().unwrap().to_owned();
    let share_id = share(&mut alex, "journal", &id).await["id"].as_str().unwrap().to_owned();
    assert!(sam.get("/api/v1/notices").await.body.contains(&share_id), "Sam is told something was shared");

    let r = alex.delete(&format!("/api/v1/journal/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    // While it can be undone: in no export, and Sam's notice no longer leads to it.
    let export = alex.export().await.body;
    assert!(!export.contains("Words I take back") && !export.contains("Not for keeping"), "{export}");
    assert!(!sam.get_mut("/api/v1/notices").await.body.contains(&share_id));

    // Its time runs out and the purge runs: nothing of it is left anywhere.
    app.exec("UPDATE deleted_items SET undo_until = deleted_at - 1 WHERE user_id = $1", &[&alex_id]).await;
    app.exec("UPDATE jobs SET run_at = 0 WHERE user_id = $1 AND kind = 'private:undo-purge'", &[&alex_id])
        .await;
    app.run_jobs().await;
    assert_eq!(app.count("SELECT COUNT(*) FROM deleted_items WHERE user_id = $1", &alex_id).await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM shares WHERE author_id = $1", &alex_id).await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM share_versions WHERE author_id = $1", &alex_id).await, 0);
    let export = alex.export().await.body;
    assert!(!export.contains("Words I take back"), "{export}");
    assert_eq!(sam.get(&format!("/together/shares/{share_id}")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn discarding_a_draft_of_a_shared_entry_leaves_the_share_and_an_undo_after_unlinking_brings_back_only_the_entry()
 {
    let app = TestApp::spawn().await;
    let (mut alex, mut sam) = pair(&app).await;
    let entry = journal(&mut alex, "Still shared", "Words Sam can read.").await;
    let id = entry["id"].as_str().unwrap().to_owned();
    let share_id = share(&mut alex, "journal", &id).await["id"].as_str().unwrap().to_owned();

    // A draft of changes, discarded: the entry and its share are untouched.
    let r = alex
        .send_json(Method::PUT, "/api/v1/journal/draft", json!({"entry_id": id, "body": "half a change"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = alex.delete(&format!("/api/v1/journal/draft?entry={id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(sam.get(&format!("/together/shares/{share_id}")).await.body.contains("Words Sam can read."));

    // The entry deleted, then the two unlink: an undo brings back the entry, not the share.
    let undo =
        alex.delete(&format!("/api/v1/journal/{id}")).await.json()["undo_id"].as_str().unwrap().to_owned();
    let r = sam.post_json("/api/v1/together/unlink", json!({})).await;
    assert!(r.status.is_success(), "{}", r.body);
    let r = alex.post_json(&format!("/api/v1/undo/{undo}"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(alex.get(&format!("/api/v1/journal/{id}")).await.json()["body"], "Words Sam can read.");
    let me = alex.get("/api/v1/me").await.json();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM shares WHERE author_id = $1", me["id"].as_str().unwrap()).await,
        0
    );
    assert!(!alex.export().await.body.contains("\"snapshot\""), "no snapshot of the old link comes back");
}
