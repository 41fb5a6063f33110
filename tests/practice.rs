//! Practise: the journal and its drafts, the two-tab conflict, sign-in in the
//! middle of writing, affirmations, the reframe, repair plans, cycle maps,
//! moments of return, and that none of it is visible to anyone else.

mod common;

use axum::http::{Method, StatusCode};
use common::{Client, TestApp};
use serde_json::{Value, json};

async fn entry(c: &mut Client, body: &str, prompt: &str) -> Value {
    let r = c.post_json("/api/v1/journal", json!({"body": body, "prompt_id": prompt, "title": ""})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()
}

fn id_from_location(location: &str) -> String {
    location.trim_end_matches('/').rsplit('/').next().unwrap().to_owned()
}

#[tokio::test]
async fn entries_are_kept_exactly_listed_newest_first_and_filtered_by_prompt() {
    let app = TestApp::spawn().await;
    let mut c = app.member("ines@example.org").await;
    let exact = "  Line one\n\n\tIndented, with trailing space  \nÉmile's café ☕\n";
    let first = entry(&mut c, exact, "how-i-protect").await;
    assert_eq!(first["body"], exact, "the body is stored as written");
    assert_eq!(first["version"], 1);
    let got = c.get(&format!("/api/v1/journal/{}", first["id"].as_str().unwrap())).await.json();
    assert_eq!(got["body"], exact);
    for i in 0..21 {
        entry(&mut c, &format!("Entry number {i}"), "").await;
    }
    let page1 = c.get("/api/v1/journal").await.json();
    assert_eq!(page1["entries"].as_array().unwrap().len(), 20);
    assert_eq!(page1["entries"][0]["display_title"], "Entry number 20", "newest first");
    assert!(page1["newer"].is_null());
    let older = page1["older"].as_str().expect("older entries follow").to_owned();
    let page2 = c.get(&format!("/api/v1/journal?before={older}")).await.json();
    assert_eq!(page2["entries"].as_array().unwrap().len(), 2);
    assert!(page2["older"].is_null());
    assert_eq!(page2["entries"][1]["id"], first["id"]);
    // Back again from there: the same first page.
    let newer = page2["newer"].as_str().expect("newer entries come before").to_owned();
    let back = c.get(&format!("/api/v1/journal?after={newer}")).await.json();
    assert_eq!(back["entries"], page1["entries"]);
    let oldest = c.get("/api/v1/journal?oldest=true").await.json();
    assert_eq!(oldest["entries"].as_array().unwrap().len(), 20);
    assert_eq!(oldest["entries"][19]["id"], first["id"], "the oldest page ends with the first entry");
    assert!(oldest["older"].is_null() && oldest["newer"].is_string());
    // The page's links say `oldest=1`; the API reads that the same way.
    let one = c.get("/api/v1/journal?oldest=1").await.json();
    assert_eq!(one["entries"], oldest["entries"]);
    let not = c.get("/api/v1/journal?oldest=0").await.json();
    assert_eq!(not["entries"], page1["entries"], "oldest=0 is the newest page");
    let r = c.get("/api/v1/journal?oldest=maybe").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let filtered = c.get("/api/v1/journal?prompt=how-i-protect").await.json();
    assert_eq!(filtered["entries"].as_array().unwrap().len(), 1);
    assert_eq!(filtered["entries"][0]["id"], first["id"]);

    // The page lists them too, with the prompt, and pages on.
    let newest = c.get("/practice/journal").await.body;
    let older_link = format!("href=\"/practice/journal?before={older}\" rel=\"next\"");
    assert!(newest.contains(&older_link), "{newest}");
    assert!(newest.contains("href=\"/practice/journal?oldest=1\""));
    let html = c.get(&format!("/practice/journal?before={older}")).await.body;
    assert!(html.contains("Older entries. <a href=\"/practice/journal\">Back to the newest</a>"), "{html}");
    assert!(html.contains(&format!("href=\"/practice/journal?after={newer}\" rel=\"prev\"")));
    assert!(!html.contains("rel=\"next\""));
    assert!(c.get("/practice/journal?before=0.0000").await.body.contains("no entries this far back"));
    assert!(html.contains("When I am hurt, what do I usually do to protect myself?"));
    let html = c.get("/practice/journal?prompt=how-i-protect").await.body;
    assert!(html.contains(">Line one</a>"), "{html}");
    assert!(!html.contains("Entry number 3"));
    // Newest first on every page, whichever way it was reached.
    let at =
        |html: &str, title: &str| html.find(&format!(">{title}</a>")).unwrap_or_else(|| panic!("{title}"));
    assert!(at(&newest, "Entry number 20") < at(&newest, "Entry number 19"));
    assert!(at(&newest, "Entry number 2") < at(&newest, "Entry number 1"));
    let html = c.get("/practice/journal?oldest=1").await.body;
    assert!(at(&html, "Entry number 18") < at(&html, "Entry number 0"));
    assert!(at(&html, "Entry number 0") < at(&html, "Line one"), "the first entry last");
    // A hand-made `oldest` that is neither yes nor no opens the newest page.
    let html = c.get("/practice/journal?oldest=maybe").await.body;
    assert!(at(&html, "Entry number 20") < at(&html, "Entry number 19"), "{html}");
    let html = c.get(&format!("/practice/journal?after={newer}")).await.body;
    assert!(at(&html, "Entry number 20") < at(&html, "Entry number 1"));
    // A prompt that names none is ignored, as if not given.
    let html = c.get("/practice/journal?prompt=not-a-prompt").await.body;
    assert!(html.contains(">Entry number 20</a>") && !html.contains("Line one"), "{html}");
}

#[tokio::test]
async fn bad_entries_come_back_with_the_text_and_the_problem_named() {
    let app = TestApp::spawn().await;
    let mut c = app.member("jo@example.org").await;
    let r = c
        .post_form("/practice/journal", &[("title", "Kept title"), ("body", "   "), ("prompt_id", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"Kept title\""), "{}", r.body);
    assert!(r.body.contains("id=\"body-error\""));
    assert!(r.body.contains("Write something before saving"));

    let long = "a".repeat(100_001);
    let r = c.post_form("/practice/journal", &[("title", ""), ("body", &long), ("prompt_id", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(&long), "the too-long text is given back whole");
    assert!(r.body.contains("100001 characters"));
    assert_eq!(app.count("SELECT COUNT(*) FROM journal_entries WHERE body <> $1", "").await, 0);

    let exactly = "b".repeat(100_000);
    let r = c.post_json("/api/v1/journal", json!({"body": exactly})).await;
    assert_eq!(r.status, StatusCode::CREATED, "100 000 characters fit");
    let r = c.post_json("/api/v1/journal", json!({"body": "x", "prompt_id": "not-a-prompt"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"]["fields"]["prompt_id"].is_string());

    // A form with CRLF line breaks is stored with plain ones, as typed.
    let r =
        c.post_form("/practice/journal", &[("title", ""), ("body", "one\r\ntwo"), ("prompt_id", "")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let id = id_from_location(r.location());
    assert_eq!(c.get(&format!("/api/v1/journal/{id}")).await.json()["body"], "one\ntwo");
}

#[tokio::test]
async fn a_stale_edit_never_overwrites_and_shows_both_versions() {
    let app = TestApp::spawn().await;
    let mut c = app.member("kai@example.org").await;
    let e = entry(&mut c, "The first telling", "").await;
    let id = e["id"].as_str().unwrap().to_owned();

    // API: two clients both start from version 1.
    let r = c
        .send_json(
            Method::PUT,
            &format!("/api/v1/journal/{id}"),
            json!({"body": "Tab one's telling", "version": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], 2);
    let r = c
        .send_json(
            Method::PUT,
            &format!("/api/v1/journal/{id}"),
            json!({"body": "Tab two's telling", "version": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let v = r.json();
    assert_eq!(v["error"]["code"], "conflict");
    assert_eq!(v["current"]["body"], "Tab one's telling");
    assert_eq!(v["current"]["version"], 2);
    assert_eq!(c.get(&format!("/api/v1/journal/{id}")).await.json()["body"], "Tab one's telling");

    // Pages: both tabs open the edit form at version 2; the first saves.
    let form = c.get(&format!("/practice/journal/{id}/edit")).await.body;
    assert!(form.contains("name=\"version\" value=\"2\""));
    let r = c
        .post_form(
            &format!("/practice/journal/{id}/edit"),
            &[("version", "2"), ("title", ""), ("body", "Saved in tab A")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c
        .post_form(
            &format!("/practice/journal/{id}/edit"),
            &[("version", "2"), ("title", ""), ("body", "Written in tab B")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Saved in tab A"), "the saved version is shown");
    assert!(r.body.contains("Written in tab B"), "the member's own version is kept in the form");
    assert!(r.body.contains("name=\"version\" value=\"3\""), "saving again is a deliberate choice");
    assert_eq!(c.get(&format!("/api/v1/journal/{id}")).await.json()["body"], "Saved in tab A");
    // Tab B's text is also kept as a draft against the newer version.
    let draft = c.get(&format!("/api/v1/journal/draft?entry={id}")).await.json();
    assert_eq!(draft["body"], "Written in tab B");
    assert_eq!(draft["base_version"], 3);
    assert!(
        c.get("/practice/journal").await.body.contains(">Write an entry</a>"),
        "a draft of changes to one entry is not offered as a new entry"
    );
    // An entry deleted in one tab while another edits it: a 404 that keeps the words.
    let gone = entry(&mut c, "Soon gone", "").await;
    let gone_id = gone["id"].as_str().unwrap().to_owned();
    assert_eq!(c.delete(&format!("/api/v1/journal/{gone_id}")).await.status, StatusCode::OK);
    let r = c
        .post_form(
            &format!("/practice/journal/{gone_id}/edit"),
            &[("version", "1"), ("title", ""), ("body", "Words to keep")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Words to keep</textarea>") && r.body.contains("action=\"/practice/journal\""));
    // ... kept on the server too, as a new entry's draft of its own.
    let drafts = c.get("/api/v1/journal/drafts").await.json();
    assert!(
        drafts
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["body"] == "Words to keep" && d["draft"].as_str().unwrap().starts_with("new-")),
        "{drafts}"
    );
    // Choosing to save mine.
    let r = c
        .post_form(
            &format!("/practice/journal/{id}/edit"),
            &[("version", "3"), ("title", ""), ("body", "Written in tab B")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(c.get(&format!("/api/v1/journal/{id}")).await.json()["body"], "Written in tab B");
    assert_eq!(c.get(&format!("/api/v1/journal/draft?entry={id}")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn drafts_are_kept_on_the_server_and_open_with_the_form() {
    let app = TestApp::spawn().await;
    let mut c = app.member("lee@example.org").await;
    assert_eq!(c.get("/api/v1/journal/draft").await.status, StatusCode::NOT_FOUND);
    let r = c
        .send_json(
            Method::PUT,
            "/api/v1/journal/draft",
            json!({"prompt_id": "need-to-name", "title": "Half", "body": "I need to say that I"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = c.get("/api/v1/journal/draft").await.json();
    assert_eq!(d["body"], "I need to say that I");
    assert!(d["entry_id"].is_null());
    assert!(c.get("/practice/journal").await.body.contains(">Continue “Half”<span"));
    let form = c.get("/practice/journal/new").await.body;
    assert!(form.contains(">\nI need to say that I</textarea>"), "{form}");
    assert!(form.contains("unfinished entry"));
    // Home suggests carrying on.
    assert!(c.get("/").await.body.contains("An unfinished journal entry"));
    // Saving the entry clears the draft.
    let r = c
        .post_form(
            "/practice/journal",
            &[("prompt_id", "need-to-name"), ("title", "Half"), ("body", "I need to say that I am tired")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(c.get("/api/v1/journal/draft").await.status, StatusCode::NOT_FOUND);
    // A draft that is too long is refused with a reason.
    let r = c.send_json(Method::PUT, "/api/v1/journal/draft", json!({"body": "z".repeat(100_001)})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Without a session, the draft endpoint says so (the page keeps the text locally).
    let r = app.client().send_json(Method::PUT, "/api/v1/journal/draft", json!({"body": "x"})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn writing_after_the_session_ended_survives_sign_in_without_javascript() {
    let app = TestApp::spawn().await;
    let c = app.member("mo@example.org").await;
    let me = c.get("/api/v1/me").await.json();
    let user_id = me["id"].as_str().unwrap().to_owned();
    // The session ends while the member is writing.
    app.exec("DELETE FROM sessions WHERE user_id = $1", &[&user_id]).await;
    let mut c = c;
    let text = "Everything I felt on the train home,\nline by line.";
    let r = c
        .post_form(
            "/practice/journal",
            &[("prompt_id", "when-disconnected"), ("title", "Train"), ("body", text)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("You were signed out while you were writing"));
    assert!(r.body.contains("Everything I felt on the train home,\nline by line."), "{}", r.body);
    assert!(r.body.contains("name=\"carry.title\" value=\"Train\""));

    // Signing in again carries the text into a draft and back to the form.
    let r = c
        .post_form(
            "/signin",
            &[
                ("email", "mo@example.org"),
                ("password", common::PASSWORD),
                ("next", "/practice/journal"),
                ("carry.entry", ""),
                ("carry.prompt_id", "when-disconnected"),
                ("carry.title", "Train"),
                ("carry.version", ""),
                ("carry.owner", user_id.as_str()),
                ("carry_kind", "journal"),
                ("carry_label.body", "What you were writing"),
                ("carry.body", text),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/practice/journal/new?kept=1");
    let form = c.get(r.location()).await.body;
    assert!(form.contains("Nothing was lost"));
    assert!(form.contains("Everything I felt on the train home,\nline by line.</textarea>"));
    assert!(form.contains("value=\"Train\""));

    // The same for an edit: the draft is against the entry, with its version.
    let e = entry(&mut c, "Before", "").await;
    let id = e["id"].as_str().unwrap().to_owned();
    let mut anon = app.client();
    let r = anon
        .post_form(
            &format!("/practice/journal/{id}/edit"),
            &[("version", "1"), ("title", ""), ("body", "After, unsaved")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = anon
        .post_form(
            "/signin",
            &[
                ("email", "mo@example.org"),
                ("password", common::PASSWORD),
                ("carry.entry", &id),
                ("carry.prompt_id", ""),
                ("carry.title", ""),
                ("carry.version", "1"),
                ("carry.owner", user_id.as_str()),
                ("carry_kind", "journal"),
                ("carry_label.body", "What you were writing"),
                ("carry.body", "After, unsaved"),
            ],
        )
        .await;
    assert_eq!(r.location(), format!("/practice/journal/{id}/edit?kept=1"));
    let form = anon.get(r.location()).await.body;
    assert!(form.contains(">\nAfter, unsaved</textarea>"));
    // A wrong password keeps the text on the sign-in page.
    let r = app
        .client()
        .post_form(
            "/signin",
            &[
                ("email", "mo@example.org"),
                ("password", "wrong password here"),
                ("carry_kind", "journal"),
                ("carry_label.body", "What you were writing"),
                ("carry.body", "Still here"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(">\nStill here</textarea>"));
}

#[tokio::test]
async fn another_members_writing_is_a_404_through_every_route() {
    let app = TestApp::spawn().await;
    let mut owner = app.member("owner@example.org").await;
    let mut other = app.member("other@example.org").await;
    let e = entry(&mut owner, "Only mine", "").await;
    let entry_id = e["id"].as_str().unwrap().to_owned();
    let plan = owner.post_json("/api/v1/repair-plans", json!({"not_afraid": true})).await.json();
    let plan_id = plan["id"].as_str().unwrap().to_owned();
    let fields = json!({"my_trigger": "t", "my_feeling": "f", "my_move": "m", "partner_reads": "r", "partner_move": "p"});
    let map = owner.post_json("/api/v1/cycle-maps", fields.clone()).await.json();
    let map_id = map["id"].as_str().unwrap().to_owned();
    let ret = owner.post_json("/api/v1/returns", json!({"text": "We found our way back"})).await.json();
    let ret_id = ret["id"].as_str().unwrap().to_owned();
    let aff = owner.post_json("/api/v1/affirmations", json!({"text": "Mine alone"})).await.json();
    let aff_id = aff["id"].as_str().unwrap().to_owned();

    for url in [
        format!("/practice/journal/{entry_id}"),
        format!("/practice/journal/{entry_id}/edit"),
        format!("/practice/repair/{plan_id}"),
        format!("/practice/repair/{plan_id}/step/2"),
        format!("/practice/cycle/{map_id}"),
        format!("/practice/returns/{ret_id}/edit"),
        format!("/api/v1/journal/{entry_id}"),
        format!("/api/v1/journal/draft?entry={entry_id}"),
        format!("/api/v1/repair-plans/{plan_id}"),
        format!("/api/v1/cycle-maps/{map_id}"),
        format!("/api/v1/cycle-maps/{map_id}/versions"),
        format!("/api/v1/returns/{ret_id}"),
        format!("/api/v1/affirmations/{aff_id}"),
    ] {
        assert_eq!(other.get(&url).await.status, StatusCode::NOT_FOUND, "GET {url}");
    }
    for (url, form) in [
        (format!("/practice/journal/{entry_id}/edit"), vec![("version", "1"), ("body", "stolen")]),
        (format!("/practice/journal/{entry_id}/delete"), vec![]),
        (format!("/practice/repair/{plan_id}/step/2"), vec![("what_happened", "stolen")]),
        (format!("/practice/repair/{plan_id}/delete"), vec![]),
        (
            format!("/practice/cycle/{map_id}"),
            vec![
                ("my_trigger", "x"),
                ("my_feeling", "x"),
                ("my_move", "x"),
                ("partner_reads", "x"),
                ("partner_move", "x"),
            ],
        ),
        (format!("/practice/cycle/{map_id}/delete"), vec![]),
        (format!("/practice/returns/{ret_id}/edit"), vec![("day", "2026-01-01"), ("text", "stolen")]),
        (format!("/practice/returns/{ret_id}/delete"), vec![]),
        (format!("/practice/affirmations/{aff_id}/mark"), vec![("mark", "hidden")]),
        (format!("/practice/affirmations/{aff_id}/delete"), vec![]),
    ] {
        assert_eq!(other.post_form(&url, &form).await.status, StatusCode::NOT_FOUND, "POST {url}");
    }
    for (url, body) in [
        (format!("/api/v1/journal/{entry_id}"), json!({"body": "stolen", "version": 1})),
        ("/api/v1/journal/draft".to_owned(), json!({"entry_id": entry_id, "body": "stolen"})),
        (format!("/api/v1/repair-plans/{plan_id}"), json!({"answers": {}, "step": 2})),
        (format!("/api/v1/cycle-maps/{map_id}"), fields.clone()),
        (format!("/api/v1/returns/{ret_id}"), json!({"text": "stolen"})),
        (format!("/api/v1/affirmations/{aff_id}"), json!({"hidden": true})),
    ] {
        assert_eq!(other.send_json(Method::PUT, &url, body).await.status, StatusCode::NOT_FOUND, "PUT {url}");
    }
    for url in [
        format!("/api/v1/journal/{entry_id}"),
        format!("/api/v1/repair-plans/{plan_id}"),
        format!("/api/v1/cycle-maps/{map_id}"),
        format!("/api/v1/returns/{ret_id}"),
        format!("/api/v1/affirmations/{aff_id}"),
    ] {
        assert_eq!(other.delete(&url).await.status, StatusCode::NOT_FOUND, "DELETE {url}");
    }
    // Carrying text through sign-in into someone else's entry keeps nothing there.
    let r = app
        .client()
        .post_form(
            "/signin",
            &[
                ("email", "other@example.org"),
                ("password", common::PASSWORD),
                ("carry.entry", &entry_id),
                ("carry_kind", "journal"),
                ("carry_label.body", "What you were writing"),
                ("carry.body", "x"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/practice/journal");

    // Lists show nothing of the owner's.
    assert!(other.get("/api/v1/journal").await.json()["entries"].as_array().unwrap().is_empty());
    assert!(other.get("/api/v1/repair-plans").await.json().as_array().unwrap().is_empty());
    assert!(other.get("/api/v1/cycle-maps").await.json().as_array().unwrap().is_empty());
    assert!(other.get("/api/v1/returns").await.json().as_array().unwrap().is_empty());
    assert!(!other.get("/api/v1/affirmations").await.body.contains("Mine alone"));
    assert!(!other.get("/practice/journal").await.body.contains("Only mine"));
    assert!(!other.get("/practice/returns").await.body.contains("We found our way back"));
    assert!(!other.get("/").await.body.contains("We found our way back"));

    // And the owner's things are untouched.
    assert_eq!(owner.get(&format!("/api/v1/journal/{entry_id}")).await.json()["body"], "Only mine");
    assert_eq!(owner.get(&format!("/api/v1/cycle-maps/{map_id}")).await.json()["versions"], 1);
    assert_eq!(owner.get(&format!("/api/v1/returns/{ret_id}")).await.json()["text"], "We found our way back");
    assert_eq!(owner.get(&format!("/api/v1/affirmations/{aff_id}")).await.json()["hidden"], false);
    assert_eq!(owner.get(&format!("/api/v1/repair-plans/{plan_id}")).await.json()["step"], 1);
}

#[tokio::test]
async fn the_repair_guide_checks_safety_first_and_can_be_left_and_resumed() {
    let app = TestApp::spawn().await;
    let mut c = app.member("noor@example.org").await;
    let r = c.post_form("/practice/repair/new", &[("safety", "afraid")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("This is not the tool for right now"));
    assert!(r.body.contains("href=\"/safety\""));
    let r = c.post_form("/practice/repair/new", &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Choose one answer"));
    assert!(
        c.get("/api/v1/repair-plans").await.json().as_array().unwrap().is_empty(),
        "no plan without the check"
    );
    let r = c.post_json("/api/v1/repair-plans", json!({"not_afraid": false})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("/safety"));

    let r = c.post_form("/practice/repair/new", &[("safety", "safe")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let step1 = r.location().to_owned();
    assert!(step1.ends_with("/step/1"));
    let plan_id = step1.split('/').nth(3).unwrap().to_owned();
    let page = c.get(&step1).await.body;
    assert!(page.contains("data-pause-timer"));
    assert!(page.contains("I will come back"));

    let r = c
        .post_form(&step1, &[("pause_message", "Twenty minutes, then I am back."), ("action", "next")])
        .await;
    assert_eq!(r.location(), format!("/practice/repair/{plan_id}/step/2"));
    let r = c
        .post_form(r.location(), &[("what_happened", "I said the plan was stupid."), ("action", "next")])
        .await;
    let step3 = r.location().to_owned();
    let r = c
        .post_form(
            &step3,
            &[("feelings", "hurt"), ("feelings", "lonely"), ("what_i_felt", "Small"), ("action", "leave")],
        )
        .await;
    assert_eq!(r.location(), "/practice/repair");
    let list = c.get("/practice/repair").await.body;
    assert!(list.contains("in progress: step 4 of 7"), "{list}");
    assert!(c.get("/").await.body.contains("Finish your repair plan"));

    // Coming back: the answers are there.
    let page = c.get(&step3).await.body;
    assert!(page.contains("value=\"hurt\" checked"));
    assert!(page.contains("value=\"lonely\" checked"));
    assert!(!page.contains("value=\"afraid\" checked"));
    // An unknown feeling is named, and the text stays.
    let r = c
        .post_form(&step3, &[("feelings", "bogus"), ("what_i_felt", "Still small"), ("action", "next")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Still small"));
    // Finishing needs the repair attempt.
    let step7 = format!("/practice/repair/{plan_id}/step/7");
    let r = c.post_form(&step7, &[("repair_attempt", " "), ("action", "finish")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Write your repair attempt"));
    let r = c
        .post_form(&step7, &[("repair_attempt", "I am sorry I called it stupid."), ("action", "finish")])
        .await;
    assert_eq!(r.location(), format!("/practice/repair/{plan_id}"));
    let plan = c.get(r.location()).await.body;
    assert!(plan.contains("I am sorry I called it stupid."));
    assert!(plan.contains("Hurt, Lonely"));
    assert!(plan.contains("I said the plan was stupid."));
    assert!(plan.contains("data-print"));
    let json = c.get(&format!("/api/v1/repair-plans/{plan_id}")).await.json();
    assert_eq!(json["finished"], true);
    assert_eq!(json["answers"]["feelings"], json!(["hurt", "lonely"]));
    assert!(!c.get("/").await.body.contains("Finish your repair plan"));
}

#[tokio::test]
async fn cycle_maps_keep_versions_and_draw_the_loop() {
    let app = TestApp::spawn().await;
    let mut c = app.member("pat@example.org").await;
    let r = c
        .post_form(
            "/practice/cycle",
            &[("title", "Ours"), ("my_trigger", "Being interrupted"), ("my_feeling", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Being interrupted</textarea>"));
    assert!(r.body.contains("id=\"my_feeling-error\""));
    let base = [
        ("title", "Ours"),
        ("my_trigger", "Being interrupted"),
        ("my_feeling", "Unimportant"),
        ("my_move", "I raise my voice"),
        ("partner_reads", "An attack"),
        ("partner_move", "Goes cold <and> quiet"),
    ];
    let r = c.post_form("/practice/cycle", &base).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let url = r.location().to_owned();
    let page = c.get(&url).await.body;
    assert!(page.contains("<svg class=\"cycle-map wide\"") && page.contains("<svg class=\"cycle-map tall\""));
    assert!(page.contains("Goes cold &lt;and&gt; quiet") || page.contains("Goes cold &#60;and&#62; quiet"));
    assert!(!page.contains("<and>"));
    assert!(page.contains("The cycle is the problem,"));

    // The same links again: no new version.
    let r = c.post_form(&url, &base).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut changed = base;
    changed[2] = ("my_feeling", "Unimportant, and afraid of being dropped");
    c.post_form(&url, &changed).await;
    let id = id_from_location(&url);
    let versions = c.get(&format!("/api/v1/cycle-maps/{id}/versions")).await.json();
    let versions = versions.as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["fields"]["my_feeling"], "Unimportant");
    assert_eq!(versions[1]["fields"]["my_feeling"], "Unimportant, and afraid of being dropped");
    let old = c.get(&format!("{url}?version=1")).await.body;
    assert!(old.contains("Version 1 of 2"));
    assert_eq!(c.get(&format!("{url}?version=9")).await.status, StatusCode::NOT_FOUND);

    // The API keeps versions the same way.
    let r = c
        .send_json(
            Method::PUT,
            &format!("/api/v1/cycle-maps/{id}"),
            json!({"title": "Ours", "my_trigger": "Being interrupted", "my_feeling": "x", "my_move": "y", "partner_reads": "z", "partner_move": "w"}),
        )
        .await;
    assert_eq!(r.json()["versions"], 3);
    assert_eq!(r.json()["current"]["my_feeling"], "x");
}

#[tokio::test]
async fn moments_of_return_show_on_home_and_as_a_count_per_month() {
    let app = TestApp::spawn().await;
    let mut c = app.member("quinn@example.org").await;
    let r = c.post_form("/practice/returns", &[("day", "2999-01-01"), ("text", "Too early")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"Too early\""));
    assert!(r.body.contains("id=\"day-error\""));
    let today = c.get("/api/v1/returns").await;
    assert!(today.json().as_array().unwrap().is_empty());
    c.post_form("/practice/returns", &[("day", &today_utc()), ("text", "She waited up for me")]).await;
    let r = c.post_json("/api/v1/returns", json!({"text": "We laughed it off"})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["day"], today_utc());
    let home = c.get("/").await.body;
    assert!(home.contains("She waited up for me") && home.contains("We laughed it off"));
    let dash = c.get("/api/v1/dashboard").await.json();
    let months = dash["returns_by_month"].as_array().unwrap();
    assert_eq!(months.len(), 12, "the last twelve months, quiet ones as zero");
    assert_eq!(months[11]["month"], &today_utc()[..7]);
    assert_eq!(months[11]["count"], 2);
    assert!(months[..11].iter().all(|m| m["count"] == 0));
    // Since the first moment, for "all": one earlier moment makes the quiet months between show.
    let mut earlier = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
    earlier = earlier.checked_sub(jiff::Span::new().months(3)).unwrap();
    c.post_json("/api/v1/returns", json!({"text": "Back then", "day": earlier.to_string()})).await;
    let all = c.get("/api/v1/dashboard?range=all").await.json();
    let counts: Vec<i64> =
        all["returns_by_month"].as_array().unwrap().iter().map(|m| m["count"].as_i64().unwrap()).collect();
    assert_eq!(counts, [1, 0, 0, 2]);
    let page = c.get("/dashboard").await.body;
    assert!(page.contains("Moments of return"));
    assert!(!page.to_lowercase().contains("streak"));
}

fn today_utc() -> String {
    jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date().to_string()
}

#[tokio::test]
async fn affirmations_can_be_kept_hidden_and_added() {
    let app = TestApp::spawn().await;
    let mut c = app.member("rae@example.org").await;
    let list = c.get("/api/v1/affirmations").await.json();
    assert_eq!(list.as_array().unwrap().len(), 5);
    let r = c.post_form("/practice/affirmations/repair-is-love/mark", &[("mark", "favourite")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    c.post_form("/practice/affirmations/no-perfection/mark", &[("mark", "hidden")]).await;
    let list = c.get("/api/v1/affirmations").await.json();
    assert_eq!(list[0]["id"], "repair-is-love", "favourites first");
    assert!(list.as_array().unwrap().iter().any(|a| a["id"] == "no-perfection" && a["hidden"] == true));
    let page = c.get("/practice/affirmations").await.body;
    assert!(page.contains("1 of 4"), "hidden ones are left out of the practice view");
    // Hiding a favourite and showing it again keeps it a favourite.
    c.post_form("/practice/affirmations/repair-is-love/mark", &[("mark", "hidden")]).await;
    let list = c.get("/api/v1/affirmations").await.json();
    let kept = list.as_array().unwrap().iter().find(|a| a["id"] == "repair-is-love").unwrap().clone();
    assert_eq!((kept["hidden"].as_bool(), kept["favourite"].as_bool()), (Some(true), Some(true)));
    assert!(c.get("/practice/affirmations").await.body.contains("1 of 3"));
    c.post_form("/practice/affirmations/repair-is-love/mark", &[("mark", "shown")]).await;
    let list = c.get("/api/v1/affirmations").await.json();
    assert_eq!(list[0]["id"], "repair-is-love", "a favourite again, first");
    assert_eq!((list[0]["hidden"].as_bool(), list[0]["favourite"].as_bool()), (Some(false), Some(true)));
    c.post_form("/practice/affirmations/repair-is-love/mark", &[("mark", "unfavourite")]).await;
    let list = c.get("/api/v1/affirmations").await.json();
    assert!(list.as_array().unwrap().iter().all(|a| a["favourite"] == false));
    c.post_form("/practice/affirmations/repair-is-love/mark", &[("mark", "favourite")]).await;
    let r = c.post_form("/practice/affirmations", &[("text", "  ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = c.post_json("/api/v1/affirmations", json!({"text": "I can ask for what I need."})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let r =
        c.send_json(Method::PUT, &format!("/api/v1/affirmations/{id}"), json!({"text": "I can ask."})).await;
    assert_eq!(r.json()["text"], "I can ask.");
    let r = c.send_json(Method::PUT, "/api/v1/affirmations/repair-is-love", json!({"text": "changed"})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(c.delete("/api/v1/affirmations/repair-is-love").await.status, StatusCode::NOT_FOUND);
    assert_eq!(c.delete(&format!("/api/v1/affirmations/{id}")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_reframe_becomes_a_private_entry() {
    let app = TestApp::spawn().await;
    let mut c = app.member("sol@example.org").await;
    let r = c.post_form("/practice/reframe", &[("disagreement", "Money"), ("both_want", "Calm")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(">Calm</textarea>"));
    assert!(r.body.contains("id=\"next_step-error\""));
    let r = c
        .post_form(
            "/practice/reframe",
            &[
                ("disagreement", "Money"),
                ("my_protecting", "Security"),
                ("next_step", "Budget together on Sunday"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let id = id_from_location(r.location());
    let e = c.get(&format!("/api/v1/journal/{id}")).await.json();
    assert_eq!(e["prompt_id"], "reframe");
    assert_eq!(e["title"], "Reframe: Money");
    assert!(
        e["body"].as_str().unwrap().contains("One next step that protects us\nBudget together on Sunday")
    );
    assert_eq!(c.get("/api/v1/journal?prompt=reframe").await.json()["entries"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn coaches_add_prompts_members_write_to_them_and_retired_ones_stay_named() {
    let app = TestApp::spawn().await;
    let mut member = app.member("tam@example.org").await;
    let mut coach = app.with_role("coach@example.org", securebase::web::Role::Coach).await;
    let r = member.post_json("/api/v1/prompts", json!({"text": "Members cannot add"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = coach.post_form("/coach/prompts", &[("text", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = coach.post_json("/api/v1/prompts", json!({"text": "What did you notice this week?"})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let pid = r.json()["id"].as_str().unwrap().to_owned();
    assert!(member.get("/practice/journal").await.body.contains("What did you notice this week?"));
    let e = entry(&mut member, "The light in the mornings", &pid).await;
    assert_eq!(coach.delete(&format!("/api/v1/prompts/{pid}")).await.status, StatusCode::NO_CONTENT);
    assert!(
        !member
            .get("/practice/journal")
            .await
            .body
            .contains("Write about this<span class=\"visually-hidden\">: What did you notice")
    );
    let r = member.post_json("/api/v1/journal", json!({"body": "x", "prompt_id": pid})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a retired prompt is not offered");
    let id = e["id"].as_str().unwrap();
    let page = member.get(&format!("/practice/journal/{id}")).await.body;
    assert!(page.contains("What did you notice this week?"), "the entry keeps its prompt");
    let r = member
        .send_json(
            Method::PUT,
            &format!("/api/v1/journal/{id}"),
            json!({"body": "edited", "prompt_id": pid, "version": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "editing keeps a retired prompt: {}", r.body);
    let prompts = member.get("/api/v1/prompts").await.json();
    assert!(prompts.as_array().unwrap().iter().any(|p| p["id"] == pid.as_str() && p["retired"] == true));
    assert_eq!(prompts.as_array().unwrap().iter().filter(|p| p["source"] == "built-in").count(), 6);
}

#[tokio::test]
async fn export_holds_everything_and_deletion_removes_everything() {
    let app = TestApp::spawn().await;
    let mut c = app.member("uma@example.org").await;
    let keep = app.member("vic@example.org").await;
    let mut keep = keep;
    entry(&mut keep, "Vic's own", "").await;
    entry(&mut c, "An entry to export", "").await;
    c.send_json(Method::PUT, "/api/v1/journal/draft", json!({"body": "A draft to export"})).await;
    c.post_json("/api/v1/affirmations", json!({"text": "Mine to export"})).await;
    c.send_json(Method::PUT, "/api/v1/affirmations/no-perfection", json!({"favourite": true})).await;
    c.post_json(
        "/api/v1/repair-plans",
        json!({"not_afraid": true, "answers": {"what_happened": "Plan to export"}}),
    )
    .await;
    c.post_json(
        "/api/v1/cycle-maps",
        json!({"my_trigger": "Map to export", "my_feeling": "f", "my_move": "m", "partner_reads": "r", "partner_move": "p"}),
    )
    .await;
    c.post_json("/api/v1/returns", json!({"text": "Return to export"})).await;
    let export = c.export().await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.body);
    let x = export.json();
    let p = &x["practice"];
    assert_eq!(p["journal_entries"][0]["body"], "An entry to export");
    assert_eq!(p["journal_drafts"][0]["body"], "A draft to export");
    assert_eq!(p["own_affirmations"][0]["text"], "Mine to export");
    assert_eq!(p["affirmation_marks"]["no-perfection"], "favourite");
    assert_eq!(p["repair_plans"][0]["answers"]["what_happened"], "Plan to export");
    assert_eq!(p["cycle_maps"][0]["versions"][0]["fields"]["my_trigger"], "Map to export");
    assert_eq!(p["moments_of_return"][0]["text"], "Return to export");
    assert!(!export.body.contains("Vic's own"));

    let me = c.get("/api/v1/me").await.json();
    let uid = me["id"].as_str().unwrap().to_owned();
    let r = c
        .request(
            Method::DELETE,
            "/api/v1/me",
            Some("application/json"),
            json!({"password": common::PASSWORD}).to_string(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    for sql in [
        "SELECT COUNT(*) FROM journal_entries WHERE user_id = $1",
        "SELECT COUNT(*) FROM journal_drafts WHERE user_id = $1",
        "SELECT COUNT(*) FROM own_affirmations WHERE user_id = $1",
        "SELECT COUNT(*) FROM affirmation_marks WHERE user_id = $1",
        "SELECT COUNT(*) FROM repair_plans WHERE user_id = $1",
        "SELECT COUNT(*) FROM cycle_maps WHERE user_id = $1",
        "SELECT COUNT(*) FROM cycle_map_versions WHERE user_id = $1",
        "SELECT COUNT(*) FROM moments_of_return WHERE user_id = $1",
    ] {
        assert_eq!(app.count(sql, &uid).await, 0, "{sql}");
    }
    assert_eq!(
        keep.get("/api/v1/journal").await.json()["entries"].as_array().unwrap().len(),
        1,
        "others keep theirs"
    );
}

#[tokio::test]
async fn home_guide_and_api_document_point_to_the_tools() {
    let app = TestApp::spawn().await;
    let c = app.member("wyn@example.org").await;
    let home = c.get("/").await.body;
    assert!(home.contains("A question you have not written about"));
    assert!(home.contains("What helps me feel safe when I am close to someone?"));
    // Once that question has an entry, the next one is suggested.
    let mut c = c;
    entry(&mut c, "Being told the plan", "safe-in-connection").await;
    let home = c.get("/").await.body;
    assert!(!home.contains("What helps me feel safe when I am close to someone?"));
    assert!(home.contains("What goes on inside me when I feel cut off from someone I love?"));
    assert!(home.contains("Today&#39;s check-in, if you want it"), "{home}");
    let chapter = app.client().get("/guide/conflict").await.body;
    assert!(chapter.contains("Practise this") && chapter.contains("href=\"/practice/repair\""));
    let safety = app.client().get("/guide/when-it-isnt-safe").await.body;
    assert!(!safety.contains("Practise this"), "attachment tools are not offered where safety is the issue");
    let doc = app.client().get("/api/v1/openapi.json").await.json();
    for path in [
        "/api/v1/journal",
        "/api/v1/journal/{id}",
        "/api/v1/journal/draft",
        "/api/v1/prompts",
        "/api/v1/affirmations",
        "/api/v1/repair-plans",
        "/api/v1/cycle-maps",
        "/api/v1/cycle-maps/{id}/versions",
        "/api/v1/returns",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
    for page in [
        "/practice",
        "/practice/journal",
        "/practice/affirmations",
        "/practice/reframe",
        "/practice/repair",
        "/practice/cycle",
        "/practice/returns",
    ] {
        let r = app.client().get(page).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{page} needs an account");
        assert!(r.location().starts_with("/signin?next="));
    }
}

#[tokio::test]
async fn coaches_reword_prompts_on_their_page_and_members_cannot() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("cora@example.org", securebase::web::Role::Coach).await;
    let mut member = app.member("mel@example.org").await;
    coach.post_form("/coach/prompts", &[("text", "First wording")]).await;
    let pid = member
        .get("/api/v1/prompts")
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["source"] == "instance")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = member.post_form(&format!("/coach/prompts/{pid}"), &[("text", "Hijacked")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = coach.post_form(&format!("/coach/prompts/{pid}"), &[("text", " ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = coach.post_form(&format!("/coach/prompts/{pid}"), &[("text", "Second wording")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(member.get(&format!("/api/v1/prompts/{pid}")).await.json()["text"], "Second wording");
    assert_eq!(
        coach.post_form("/coach/prompts/p-nope", &[("text", "x")]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn demo_members_have_something_in_every_tool_and_loading_twice_adds_nothing() {
    let app = TestApp::spawn().await;
    assert!(securebase::demo::load(&app.state).await.unwrap() > 0);
    assert_eq!(securebase::demo::load(&app.state).await.unwrap(), 0, "a second load changes nothing");
    let mut alex = app.client();
    let r = alex
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "alex@demo.securebase", "password": securebase::demo::DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(alex.get("/api/v1/journal").await.json()["entries"].as_array().unwrap().len(), 5);
    assert!(alex.get("/api/v1/journal/draft").await.json()["body"].as_str().unwrap().starts_with("When Sam"));
    let maps = alex.get("/api/v1/cycle-maps").await.json();
    assert_eq!(maps[0]["versions"], 2);
    assert_eq!(alex.get("/api/v1/repair-plans").await.json()[0]["finished"], true);
    let returns = alex.get("/api/v1/returns").await.json();
    assert_eq!(returns.as_array().unwrap().len(), 9, "eight of Alex's own and one from the closed repair");
    assert!(returns.to_string().contains("We found our way back after a rupture."));
    let affirmations = alex.get("/api/v1/affirmations").await.json();
    assert!(affirmations.as_array().unwrap().iter().any(|a| a["own"] == true));
    assert_eq!(affirmations[0]["favourite"], true);
    let prompts = alex.get("/api/v1/prompts").await.json();
    assert!(prompts.as_array().unwrap().iter().any(|p| p["source"] == "instance"));
    // Together: linked with Sam, two shares, Sam's need answered, a closed repair, the reveal.
    assert_eq!(alex.get("/api/v1/together").await.json()["partner"]["display_name"], "Sam Okafor");
    let shares = alex.get("/api/v1/together/shares").await.json();
    let kinds: Vec<&str> =
        shares["i_shared"].as_array().unwrap().iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["journal", "cycle"]);
    let needs = alex.get("/api/v1/together/needs").await.json();
    assert_eq!(needs[0]["mine"], false);
    assert_eq!(needs[0]["answer_kind"], "talk");
    let repairs = alex.get("/api/v1/together/repairs").await.json();
    assert_eq!(
        (repairs[0]["closed"].clone(), repairs[0]["answer_kind"].clone()),
        (json!(true), json!("time"))
    );
    let reveal = alex.get("/api/v1/together/reveal").await.json();
    let state_of =
        |id: &str| reveal.as_array().unwrap().iter().find(|q| q["id"] == id).unwrap()["state"].clone();
    assert_eq!(state_of("reach-signal"), "revealed");
    assert_eq!(state_of("reassure-when"), "waiting-for-partner");
}

#[tokio::test]
async fn a_new_entry_can_be_started_beside_a_kept_draft_without_touching_it() {
    let app = TestApp::spawn().await;
    let mut c = app.member("two@example.org").await;
    let r = c
        .send_json(
            Method::PUT,
            "/api/v1/journal/draft",
            json!({"title": "First", "body": "Words I am not done with"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // The list offers both: carry on with the draft, or start a new entry.
    let list = c.get("/practice/journal").await.body;
    assert!(list.contains(">Continue “First”<span"), "{list}");
    assert!(list.contains("href=\"/practice/journal/new?draft=fresh\">New entry</a>"), "{list}");
    // Each time it is followed, a slot of its own (the list may be a kept copy).
    let mut slots = Vec::new();
    for _ in 0..2 {
        let r = c.get("/practice/journal/new?draft=fresh").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        slots.push(r.location().to_owned());
    }
    assert_ne!(slots[0], slots[1], "{slots:?}");
    assert!(slots[0].starts_with("/practice/journal/new?draft=new-"), "{slots:?}");
    let new_url = slots.remove(0);
    let slot = new_url.rsplit('=').next().unwrap().to_owned();
    let form = c.get(&new_url).await.body;
    assert!(form.contains(&format!("name=\"draft\" value=\"{slot}\"")), "{form}");
    assert!(!form.contains("Words I am not done with"), "the new form starts empty");

    // Its draft is kept in its own slot; the first is untouched.
    let r = c
        .send_json(Method::PUT, "/api/v1/journal/draft", json!({"draft": slot, "body": "Something else"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["draft"], slot.as_str());
    let drafts = c.get("/api/v1/journal/drafts").await.json();
    assert_eq!(drafts.as_array().unwrap().len(), 2, "{drafts}");
    assert_eq!(c.get("/api/v1/journal/draft").await.json()["body"], "Words I am not done with");
    assert!(c.get(&new_url).await.body.contains("Something else"), "the slot reopens with its words");

    // Saving the new entry clears its slot only.
    let r = c
        .post_form(
            "/practice/journal",
            &[("draft", slot.as_str()), ("title", ""), ("body", "Something else, finished")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().ends_with(&format!("?from={slot}")), "{}", r.location());
    let page = c.get(r.location()).await.body;
    let entry_id =
        r.location().trim_start_matches("/practice/journal/").split('?').next().unwrap().to_owned();
    assert!(
        page.contains(&format!("data-draft-saved=\"{entry_id} {slot}\"")),
        "the entry page tells this browser that slot is done, and no other"
    );
    let drafts = c.get("/api/v1/journal/drafts").await.json();
    assert_eq!(drafts.as_array().unwrap().len(), 1);
    assert_eq!(drafts[0]["body"], "Words I am not done with");

    // "Write about this" beside a kept draft: a new entry of its own, with the
    // question, in a slot named in the address (a reload comes back to it).
    let r = c.get("/practice/journal/new?prompt=need-to-name").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.location().starts_with("/practice/journal/new?prompt=need-to-name&draft=new-"),
        "{}",
        r.location()
    );
    let form = c.get(r.location()).await.body;
    assert!(
        !form.contains("Words I am not done with") && form.contains("name=\"draft\" value=\"new-"),
        "{form}"
    );
    assert!(form.contains("value=\"need-to-name\" selected"), "the question is chosen");

    // A slot that is not one of ours is refused, not used.
    assert_eq!(c.get("/practice/journal/new?draft=../../x").await.status, StatusCode::NOT_FOUND);
    let r = c
        .send_json(Method::PUT, "/api/v1/journal/draft", json!({"draft": "someone-else", "body": "x"}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // Discarding a draft can be undone like any delete.
    let r = c.delete("/api/v1/journal/draft").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let undo = r.json()["undo_id"].as_str().unwrap().to_owned();
    assert_eq!(c.get("/api/v1/journal/draft").await.status, StatusCode::NOT_FOUND);
    assert_eq!(c.post_json(&format!("/api/v1/undo/{undo}"), json!({})).await.status, StatusCode::OK);
    assert_eq!(c.get("/api/v1/journal/draft").await.json()["body"], "Words I am not done with");
    // An undo never overwrites what was written in the same place since.
    let undo = c.delete("/api/v1/journal/draft").await.json()["undo_id"].as_str().unwrap().to_owned();
    c.send_json(Method::PUT, "/api/v1/journal/draft", json!({"body": "Newer words in the same place"})).await;
    let r = c.post_json(&format!("/api/v1/undo/{undo}"), json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(c.get("/api/v1/journal/draft").await.json()["body"], "Newer words in the same place");

    // At most twenty unfinished entries at once; the twenty-first is refused with a reason.
    for i in 1..20 {
        let r = c
            .send_json(
                Method::PUT,
                "/api/v1/journal/draft",
                json!({"draft": format!("new-{}", uuid::Uuid::now_v7()), "body": format!("draft {i}")}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{i}: {}", r.body);
    }
    let r = c
        .send_json(
            Method::PUT,
            "/api/v1/journal/draft",
            json!({"draft": format!("new-{}", uuid::Uuid::now_v7()), "body": "one too many"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("unfinished entries"), "{}", r.body);
}

#[tokio::test]
async fn a_form_left_open_by_another_account_on_this_device_is_kept_in_no_other_account() {
    let app = TestApp::spawn().await;
    let mut alex = app.member("alexo@example.org").await;
    let alex_id = alex.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    let alex_entry = entry(&mut alex, "Alex's own words", "").await;
    let alex_entry_id = alex_entry["id"].as_str().unwrap().to_owned();
    // Alex signed out; Sam signed in on the same browser; Alex's tabs are still open.
    let mut sam = app.member("samo@example.org").await;

    let r = sam
        .post_form(
            "/practice/journal",
            &[("owner", alex_id.as_str()), ("title", ""), ("body", "Written in Alex's tab")],
        )
        .await;
    assert!(r.body.contains("What you were writing"), "the words ride through sign-in: {}", r.status);
    let r = sam
        .post_form(
            &format!("/practice/journal/{alex_entry_id}/edit"),
            &[("owner", alex_id.as_str()), ("version", "1"), ("title", ""), ("body", "Alex's edit")],
        )
        .await;
    assert!(r.body.contains("What you were writing"), "{}", r.status);
    let r = sam
        .send_json(Method::PUT, "/api/v1/journal/draft", json!({"owner": alex_id, "body": "Alex's autosave"}))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // Nothing of it is in Sam's account.
    assert!(sam.get("/api/v1/journal").await.json()["entries"].as_array().unwrap().is_empty());
    assert!(sam.get("/api/v1/journal/drafts").await.json().as_array().unwrap().is_empty());
    let export = sam.export().await.body;
    assert!(!export.contains("Alex's") && !export.contains("Written in Alex's tab"), "{export}");
    // And Alex's entry is as Alex left it.
    assert_eq!(
        alex.get(&format!("/api/v1/journal/{alex_entry_id}")).await.json()["body"],
        "Alex's own words"
    );
}

/// The journal list reads the prompts, which of them the member has written
/// to and their drafts in one statement: the coach's prompts are everyone's,
/// the rest is the member's own.
#[tokio::test]
async fn the_journal_list_shows_every_prompt_and_only_its_members_drafts_and_marks() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("coach@example.org", securebase::web::Role::Coach).await;
    let mut owner = app.member("wren@example.org").await;
    let other = app.member("xan@example.org").await;
    let mut ids = Vec::new();
    for text in ["First prompt from the coach", "Second prompt from the coach"] {
        let r = coach.post_json("/api/v1/prompts", json!({"text": text})).await;
        assert_eq!(r.status, StatusCode::CREATED);
        ids.push(r.json()["id"].as_str().unwrap().to_owned());
    }
    entry(&mut owner, "Written to the coach's second prompt", &ids[1]).await;
    entry(&mut owner, "Written to a built-in prompt", "how-i-protect").await;
    let r = owner.send_json(Method::PUT, "/api/v1/journal/draft", json!({"body": "Half a thought"})).await;
    assert!(r.status.is_success(), "{}", r.body);

    let used = |page: &str, prompt: &str| {
        page.contains(&format!("/practice/journal?prompt={prompt}\">Your entries"))
    };
    let mine = owner.get("/practice/journal").await.body;
    let first = mine.find("First prompt from the coach").expect("the coach's first prompt is offered");
    let second = mine.find("Second prompt from the coach").expect("the coach's second prompt is offered");
    assert!(first < second, "the coach's prompts in the order they were added");
    assert!(used(&mine, &ids[1]) && used(&mine, "how-i-protect"), "{mine}");
    assert!(!used(&mine, &ids[0]));
    assert!(mine.contains("An unfinished entry") && mine.contains("Half a thought"));

    let theirs = other.get("/practice/journal").await.body;
    assert!(
        theirs.contains("Second prompt from the coach"),
        "the coach's prompts are offered to every member"
    );
    assert!(!used(&theirs, &ids[1]) && !used(&theirs, "how-i-protect"));
    assert!(!theirs.contains("Half a thought") && !theirs.contains("An unfinished entry"));
    assert!(!theirs.contains("Written to"));
}
