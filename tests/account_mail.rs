//! What accounts send by mail: password resets, address confirmation and
//! what waits for it, and security notices. On either database; mail is read
//! from the outbox, as an operator without a mail server would.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, TestApp, TestResponse};
use serde_json::json;

const NEW_PASSWORD: &str = "a kettle singing in the dark";

fn reset_mails(mails: &[securebase::mail::outbox::KeptMail]) -> usize {
    mails.iter().filter(|m| m.subject == "Choose a new password").count()
}

fn without(r: &TestResponse, address: &str) -> String {
    r.body.replace(address, "ADDRESS")
}

#[tokio::test]
async fn forgot_password_answers_alike_and_the_link_works_once() {
    let app = TestApp::spawn().await;
    let mut phone = app.member("ana@example.org").await;
    let mut visitor = app.client();
    let known = visitor.post_form("/forgot", &[("email", "Ana@Example.org")]).await;
    let unknown = visitor.post_form("/forgot", &[("email", "nobody@example.org")]).await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(known.status, unknown.status);
    assert_eq!(
        without(&known, "ana@example.org"),
        without(&unknown, "nobody@example.org"),
        "the same answer"
    );
    assert!(known.body.contains("If an account uses"));
    let api_known = visitor.post_json("/api/v1/auth/forgot", json!({"email": "ana@example.org"})).await;
    let api_unknown = visitor.post_json("/api/v1/auth/forgot", json!({"email": "nobody@example.org"})).await;
    assert_eq!((api_known.status, api_unknown.status), (StatusCode::ACCEPTED, StatusCode::ACCEPTED));
    assert!(app.mail_to("nobody@example.org").await.is_empty());
    let mails = app.mail_to("ana@example.org").await;
    assert_eq!(reset_mails(&mails), 2);

    let link = app.link_in_mail("ana@example.org", "/reset/").await;
    let form = visitor.get(&link).await;
    assert!(form.body.contains("Choose a new password") && form.body.contains("new_password"));
    // A problem keeps the link usable and is named by its field.
    let r = visitor
        .post_form(&link, &[("new_password", NEW_PASSWORD), ("confirm_password", "something else entirely")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"confirm_password-error\""));
    let r =
        visitor.post_form(&link, &[("new_password", NEW_PASSWORD), ("confirm_password", NEW_PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/");
    // Signed in here; every other session ended; the new password works, the old does not.
    assert_eq!(visitor.get("/api/v1/me").await.json()["email"], "ana@example.org");
    assert_eq!(phone.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let old = phone
        .post_json("/api/v1/auth/login", json!({"email": "ana@example.org", "password": PASSWORD}))
        .await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    let new = phone
        .post_json("/api/v1/auth/login", json!({"email": "ana@example.org", "password": NEW_PASSWORD}))
        .await;
    assert_eq!(new.status, StatusCode::OK);
    // Told by mail and on the settings page.
    let mails = app.mail_to("ana@example.org").await;
    assert!(mails.iter().any(|m| m.text_body.contains("A new password was chosen with a reset link")));
    assert!(visitor.get("/settings").await.body.contains("A new password was chosen with a reset link"));
    // Used once: this link and the other one sent are spent.
    assert_eq!(
        visitor.post_form(&link, &[("new_password", "x"), ("confirm_password", "x")]).await.status,
        StatusCode::GONE
    );
    let first = mails.iter().find_map(|m| common::link_in(&m.text_body, "/reset/")).unwrap();
    assert_ne!(first, link);
    assert_eq!(visitor.get(&first).await.status, StatusCode::GONE);
}

#[tokio::test]
async fn a_reset_link_runs_out_after_thirty_minutes() {
    let app = TestApp::spawn().await;
    app.member("bo@example.org").await;
    app.client().post_json("/api/v1/auth/forgot", json!({"email": "bo@example.org"})).await;
    let link = app.link_in_mail("bo@example.org", "/reset/").await;
    let token = link.trim_start_matches("/reset/");
    let hash = securebase::features::accounts::sessions::hash_token(token);
    let lifetime =
        app.count("SELECT expires_at - created_at FROM account_tokens WHERE token_hash = $1", &hash).await;
    assert_eq!(lifetime, 30 * 60);
    // Thirty minutes later:
    app.exec("UPDATE account_tokens SET expires_at = created_at - 1 WHERE token_hash = $1", &[&hash]).await;
    let r = app.client().get(&link).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(r.body.contains("Ask for a new link"));
    let r = app
        .client()
        .post_form(&link, &[("new_password", NEW_PASSWORD), ("confirm_password", NEW_PASSWORD)])
        .await;
    assert_eq!(r.status, StatusCode::GONE);
}

#[tokio::test]
async fn reset_requests_are_limited_per_address_and_per_account_without_saying_so() {
    let app = TestApp::spawn().await;
    app.member("cy@example.org").await;
    // From many addresses: the answer never changes, but the account gets three links.
    for i in 0..6 {
        let mut c = app.client();
        c.address = format!("198.51.100.{}", i + 1);
        let r = c.post_json("/api/v1/auth/forgot", json!({"email": "cy@example.org"})).await;
        assert_eq!(r.status, StatusCode::ACCEPTED);
    }
    assert_eq!(reset_mails(&app.mail_to("cy@example.org").await), 3);
    // From one address: five, then a wait (about the asker, not the account).
    let mut c = app.client();
    c.address = "203.0.113.7".into();
    let statuses: Vec<StatusCode> = {
        let mut v = Vec::new();
        for i in 0..7 {
            v.push(
                c.post_json("/api/v1/auth/forgot", json!({"email": format!("x{i}@example.org")}))
                    .await
                    .status,
            );
        }
        v
    };
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::ACCEPTED).count(), 5, "{statuses:?}");
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS));
}

#[tokio::test]
async fn an_admin_sends_the_link_to_the_members_own_address() {
    let app = TestApp::spawn().await;
    let mut admin = app.with_role("root@example.org", securebase::web::Role::Admin).await;
    let member = app.member("dot@example.org").await;
    let id = member.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    let before = app.mail_to("root@example.org").await.len();
    let r = admin.post_form(&format!("/admin/users/{id}/reset"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(admin.get("/admin/users").await.body.contains("on its way to that person"));
    let mails = app.mail_to("dot@example.org").await;
    let reset = mails.iter().find(|m| m.subject == "Choose a new password").expect("a reset mail");
    assert!(reset.text_body.contains("The person who runs this service sent you this link"));
    assert_eq!(app.mail_to("root@example.org").await.len(), before, "nothing goes to the admin");
    assert!(!admin.get("/admin/users").await.body.contains("/reset/"), "the admin never sees the link");
    // Only admins may.
    let mut coach = app.with_role("coach@example.org", securebase::web::Role::Coach).await;
    assert_eq!(coach.post_form(&format!("/admin/users/{id}/reset"), &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        admin.post_json("/api/v1/admin/users/not-a-user/reset", json!({})).await.status,
        StatusCode::NOT_FOUND
    );
}

/// What waits for a confirmed address: a guard the partner and library
/// features put on what reaches another person. Here on a route of the test's
/// own, behind the app's real session and error layers.
#[tokio::test]
async fn what_reaches_others_waits_for_a_confirmed_address() {
    use axum::middleware::from_fn_with_state;
    use axum::routing::get;
    use securebase::web::{AppError, CurrentUser};

    let app = TestApp::spawn().await;
    let gated = axum::Router::new()
        .route(
            "/gated",
            get(|user: CurrentUser| async move {
                user.require_verified("invite a partner")?;
                Ok::<_, AppError>("done")
            }),
        )
        .route(
            "/api/v1/gated",
            get(|user: CurrentUser| async move {
                user.require_verified("invite a partner")?;
                Ok::<_, AppError>("done")
            }),
        )
        .layer(from_fn_with_state(app.state.clone(), securebase::web::middleware::render_errors))
        .layer(from_fn_with_state(app.state.clone(), securebase::features::accounts::sessions::load_session))
        .with_state(app.state.clone());

    // A member whose address is not confirmed (one who joined before
    // addresses were confirmed, say): signed in, everything of their own works.
    let mut c = app.member("eli@example.org").await;
    app.exec("UPDATE users SET email_verified_at = NULL WHERE email = $1", &["eli@example.org"]).await;
    let r = c.post_json("/api/v1/journal", json!({"body": "mine alone"})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let mut g = c.with_router(gated.clone());
    let page = g.get_mut("/gated").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("Please confirm your email address first"), "{}", page.body);
    assert!(page.body.contains("To invite a partner, first confirm your email address"));
    assert!(page.body.contains("action=\"/settings/verify\""), "it offers a new link");
    let api = g.get_mut("/api/v1/gated").await;
    assert_eq!(api.json()["error"]["code"], "unverified");
    // Security mail is not sent to an address nobody has confirmed.
    let mails_before = app.mail_to("eli@example.org").await.len();
    let r = c
        .post_json("/api/v1/me/password", json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let kinds = c.get("/api/v1/me/security-events").await.body;
    assert!(kinds.contains("password-changed"), "kept in the account: {kinds}");
    assert_eq!(app.mail_to("eli@example.org").await.len(), mails_before, "but not mailed");
    // Asking for a link sends one; asking again at once sends nothing more,
    // and the link already sent still works.
    let r = c.post_form("/settings/verify", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(c.get("/settings").await.body.contains("a new link is on its way"));
    let first = app.link_in_mail("eli@example.org", "/verify/").await;
    c.post_form("/settings/verify", &[]).await;
    assert_eq!(app.mail_to("eli@example.org").await.len(), mails_before + 1);
    assert_eq!(app.link_in_mail("eli@example.org", "/verify/").await, first);
    // Ten minutes on (the window's record forgotten), a new link replaces it.
    app.exec("DELETE FROM jobs_done WHERE dedupe_key LIKE $1", &["verify-again:%"]).await;
    c.post_form("/settings/verify", &[]).await;
    let second = app.link_in_mail("eli@example.org", "/verify/").await;
    assert_ne!(first, second);
    assert_eq!(c.post_form(&first, &[]).await.status, StatusCode::GONE);
    assert_eq!(c.post_form(&second, &[]).await.location(), "/", "signed in here already: carry on");
    let mut g = c.with_router(gated);
    assert_eq!(g.get_mut("/gated").await.body, "done");
    assert!(!c.get("/settings").await.body.contains("not confirmed yet"));
}

#[tokio::test]
async fn every_security_event_is_kept_and_mailed_to_the_owner_alone() {
    let app = TestApp::spawn().await;
    let mut laptop = app.member("fay@example.org").await;
    let partner = app.member("gus@example.org").await;
    let gus_mail_before = app.mail_to("gus@example.org").await.len();
    // The browser that confirmed the address is not new; a phone is.
    let mut phone = app.client();
    phone.user_agent = Some("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1".into());
    phone.post_json("/api/v1/auth/login", json!({"email": "fay@example.org", "password": PASSWORD})).await;
    // A device that has signed in before is not new.
    laptop.post_json("/api/v1/auth/logout", json!({})).await;
    laptop.post_json("/api/v1/auth/login", json!({"email": "fay@example.org", "password": PASSWORD})).await;
    // One session ended from another; then all others; then the password.
    let sessions = laptop.get("/api/v1/me/sessions").await.json();
    let other = sessions.as_array().unwrap().iter().find(|s| s["current"] == false).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(laptop.delete(&format!("/api/v1/me/sessions/{other}")).await.status, StatusCode::NO_CONTENT);
    phone.post_json("/api/v1/auth/login", json!({"email": "fay@example.org", "password": PASSWORD})).await;
    laptop.post_json("/api/v1/me/sessions/end-others", json!({})).await;
    laptop
        .post_json("/api/v1/me/password", json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}))
        .await;

    let events = laptop.get("/api/v1/me/security-events").await.json();
    let kinds: Vec<&str> = events.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["password-changed", "other-sessions-ended", "session-ended", "new-device"],
        "newest first: {events:#}"
    );
    assert!(events.to_string().contains("Safari on a phone"));
    let page = laptop.get("/settings").await.body;
    assert!(page.contains("Recent security events") && page.contains("Your password was changed."));
    // Each is mailed to the owner, and nothing of it to anyone else.
    let notices = app
        .mail_to("fay@example.org")
        .await
        .into_iter()
        .filter(|m| m.subject == "A security notice for your account")
        .count();
    assert_eq!(notices, kinds.len());
    assert_eq!(app.mail_to("gus@example.org").await.len(), gus_mail_before);
    let theirs = partner.get("/api/v1/me/security-events").await.json();
    assert!(!theirs.to_string().contains("password-changed"), "{theirs}");
}
