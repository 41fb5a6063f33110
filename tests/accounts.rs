//! Accounts and sessions, through the JSON API and the pages, on either database.

mod common;

use axum::http::{Method, StatusCode};
use common::{PASSWORD, TestApp};
use securebase::web::Role;
use serde_json::json;

#[tokio::test]
async fn sign_up_asks_to_confirm_the_address_and_sign_in_describes_the_member() {
    let app = TestApp::spawn().await;
    let mut c = app.client();
    let r = c
        .post_json(
            "/api/v1/auth/signup",
            json!({"email": "  Robin@Example.org ", "password": PASSWORD, "display_name": "Robin  Ash", "time_zone": "Europe/Berlin"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    assert_eq!(r.json()["status"], "check-inbox");
    assert!(c.session_cookie().is_none(), "signing up signs nobody in");
    // The link: only its hash is kept, and it confirms the address.
    let link = app.link_in_mail("robin@example.org", "/verify/").await;
    let token = link.trim_start_matches("/verify/");
    assert_eq!(token.len(), 64, "256 bits");
    assert_eq!(app.count("SELECT COUNT(*) FROM account_tokens WHERE token_hash = $1", token).await, 0);
    // Until the address is confirmed, the password alone signs nobody in (so
    // a sign-up cannot tell anyone whether an address already had an account).
    let r =
        c.post_json("/api/v1/auth/login", json!({"email": "robin@example.org", "password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"]["fields"]["password"].as_str().unwrap().contains("once the link we mailed"));
    // Opened in another browser, the link would only confirm; in this one it signs in.
    let r = c.post_form(&link, &[]).await;
    assert_eq!(r.location(), "/");
    let cookie =
        r.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap()).collect::<Vec<_>>().join("\n");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(c.get("/").await.body.contains("Welcome. Your address is confirmed and you are signed in."));
    let me = c.get("/api/v1/me").await.json();
    assert_eq!(me["email"], "robin@example.org");
    assert_eq!(me["display_name"], "Robin Ash");
    assert_eq!(me["role"], "member");
    assert_eq!(me["time_zone"], "Europe/Berlin");
    assert_eq!(me["email_verified"], true);
    // Only the session token's hash is stored.
    let token = c.session_cookie().unwrap().clone();
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions WHERE token_hash = $1", &token).await, 0);
    // The link works once.
    let again = c.post_form(&link, &[]).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("This link no longer works"));
}

#[tokio::test]
async fn sign_up_validation_names_each_field() {
    let app = TestApp::spawn().await;
    let mut c = app.client();
    let r = c
        .post_json("/api/v1/auth/signup", json!({"email": "nope", "password": "short", "display_name": " "}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &r.json()["error"]["fields"];
    assert!(fields["email"].as_str().unwrap().contains("email"));
    assert!(fields["password"].as_str().unwrap().contains("12"));
    assert!(fields["display_name"].is_string());

    let r = c
        .post_json(
            "/api/v1/auth/signup",
            json!({"email": "a@example.org", "password": "Password1234", "display_name": "A"}),
        )
        .await;
    assert!(r.json()["error"]["fields"]["password"].as_str().unwrap().contains("common"));

    // 200 characters is a fine password.
    let long = "river stone ".repeat(17);
    let r = c
        .post_json(
            "/api/v1/auth/signup",
            json!({"email": "long@example.org", "password": long, "display_name": "Long"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
}

/// Whether an address has an account is nobody's business: a sign-up with a
/// known address gets the same answer (status, words, cookies) as a new one,
/// and the address's owner gets a mail saying someone tried.
#[tokio::test]
async fn a_known_address_signs_up_to_the_same_answer() {
    let app = TestApp::spawn().await;
    app.member("kim@example.org").await;
    let sign_up = |email: &'static str| {
        let mut c = app.client();
        async move {
            let api = c
                .post_json(
                    "/api/v1/auth/signup",
                    json!({"email": email, "password": PASSWORD, "display_name": "Kim"}),
                )
                .await;
            let mut page_client = c.clone();
            let page = page_client
                .post_form("/signup", &[("email", email), ("display_name", "Kim"), ("password", PASSWORD)])
                .await;
            (api, page)
        }
    };
    let (known_api, known_page) = sign_up("KIM@example.org").await;
    let (new_api, new_page) = sign_up("kip@example.org").await;
    assert_eq!(known_api.status, new_api.status);
    assert_eq!(known_api.status, StatusCode::ACCEPTED);
    assert_eq!(
        known_api.body.replace("kim@example.org", "X"),
        new_api.body.replace("kip@example.org", "X"),
        "the same words"
    );
    assert_eq!(known_page.status, new_page.status);
    assert_eq!(
        known_page.body.replace("kim@example.org", "X"),
        new_page.body.replace("kip@example.org", "X")
    );
    // The same cookies, each with a value of its own.
    let cookies = |r: &common::TestResponse| -> Vec<String> {
        r.headers
            .get_all("set-cookie")
            .iter()
            .map(|v| {
                let v = v.to_str().unwrap();
                let (name, rest) = v.split_once('=').unwrap();
                let (value, attributes) = rest.split_once(';').unwrap_or((rest, ""));
                format!("{name}=<{} chars>;{attributes}", value.len())
            })
            .collect()
    };
    assert_eq!(cookies(&known_api), cookies(&new_api));
    assert_eq!(cookies(&known_page), cookies(&new_page));
    // One account still; its owner is told (once an hour at most), the new one gets a link.
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = $1", "kim@example.org").await, 1);
    let tried: Vec<_> = app
        .mail_to("kim@example.org")
        .await
        .into_iter()
        .filter(|m| m.subject == "Someone tried to make an account with your address")
        .collect();
    assert_eq!(tried.len(), 1, "two tries, one mail");
    assert!(tried[0].text_body.contains("/forgot") && tried[0].text_body.contains("/signin"));
    assert!(app.link_in_mail("kip@example.org", "/verify/").await.starts_with("/verify/"));
}

#[tokio::test]
async fn malformed_json_gets_a_json_error() {
    let app = TestApp::spawn().await;
    let mut c = app.client();
    let r = c
        .request(Method::POST, "/api/v1/auth/signup", Some("application/json"), "{not json".into(), &[])
        .await;
    assert!(r.status.is_client_error());
    assert_eq!(r.json()["error"]["code"], "bad_request");
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_answer() {
    let app = TestApp::spawn().await;
    app.member("lee@example.org").await;
    let mut c = app.client();
    let wrong = c
        .post_json("/api/v1/auth/login", json!({"email": "lee@example.org", "password": "not the password"}))
        .await;
    let unknown = c
        .post_json("/api/v1/auth/login", json!({"email": "who@example.org", "password": "not the password"}))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.body, unknown.body);
    assert!(c.session_cookie().is_none());
}

#[tokio::test]
async fn every_sign_in_gets_a_new_token_and_sessions_are_listed() {
    let app = TestApp::spawn().await;
    let first = app.member("max@example.org").await;
    let mut second = app.client();
    second.user_agent = Some(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile/15E148 Safari/604.1"
            .into(),
    );
    let r = second
        .post_json("/api/v1/auth/login", json!({"email": "max@example.org", "password": PASSWORD}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_ne!(first.session_cookie(), second.session_cookie());

    let list = second.get("/api/v1/me/sessions").await.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let current: Vec<_> = list.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["device"], "Phone");
    assert_eq!(current[0]["browser"], "Safari");
    assert!(list.iter().all(|s| s.get("ip").is_none() && s.get("location").is_none()));
}

#[tokio::test]
async fn ending_a_session_signs_that_device_out() {
    let app = TestApp::spawn().await;
    let laptop = app.member("ana@example.org").await;
    let mut phone = app.client();
    phone.post_json("/api/v1/auth/login", json!({"email": "ana@example.org", "password": PASSWORD})).await;
    let list = phone.get("/api/v1/me/sessions").await.json();
    let laptop_session = list.as_array().unwrap().iter().find(|s| s["current"] == false).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = phone.delete(&format!("/api/v1/me/sessions/{laptop_session}")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(laptop.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(phone.get("/api/v1/me").await.status, StatusCode::OK);
}

#[tokio::test]
async fn another_members_session_id_is_not_found_and_untouched() {
    let app = TestApp::spawn().await;
    let owner = app.member("owner@example.org").await;
    let mut other = app.member("other@example.org").await;
    let owners = owner.get("/api/v1/me/sessions").await.json();
    let id = owners[0]["id"].as_str().unwrap().to_owned();
    let r = other.delete(&format!("/api/v1/me/sessions/{id}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = other.post_form(&format!("/settings/sessions/{id}/end"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(owner.get("/api/v1/me").await.status, StatusCode::OK);
}

#[tokio::test]
async fn end_all_other_sessions() {
    let app = TestApp::spawn().await;
    let a = app.member("bo@example.org").await;
    let mut b = app.client();
    b.post_json("/api/v1/auth/login", json!({"email": "bo@example.org", "password": PASSWORD})).await;
    let mut c = app.client();
    c.post_json("/api/v1/auth/login", json!({"email": "bo@example.org", "password": PASSWORD})).await;
    let r = c.post_form("/settings/sessions/end-others", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(a.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(b.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(c.get("/api/v1/me").await.status, StatusCode::OK);
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions() {
    let app = TestApp::spawn().await;
    let other_device = app.member("cy@example.org").await;
    let mut here = app.client();
    here.post_json("/api/v1/auth/login", json!({"email": "cy@example.org", "password": PASSWORD})).await;
    let r = here
        .post_json(
            "/api/v1/me/password",
            json!({"current_password": "wrong one here", "new_password": "a brand new sentence"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"]["fields"]["current_password"].is_string());
    let r = here
        .post_json(
            "/api/v1/me/password",
            json!({"current_password": PASSWORD, "new_password": "a brand new sentence"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(other_device.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(here.get("/api/v1/me").await.status, StatusCode::OK);
    let mut fresh = app.client();
    let old =
        fresh.post_json("/api/v1/auth/login", json!({"email": "cy@example.org", "password": PASSWORD})).await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    let new = fresh
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "cy@example.org", "password": "a brand new sentence"}),
        )
        .await;
    assert_eq!(new.status, StatusCode::OK);
}

/// An email change asks for the password, says nothing about whether the new
/// address is taken, waits for the new address to confirm, and tells the old
/// address, which can undo it.
#[tokio::test]
async fn changing_email_waits_for_the_new_address_and_the_old_one_can_undo_it() {
    let app = TestApp::spawn().await;
    app.member("taken@example.org").await;
    let mut c = app.member("dee@example.org").await;
    let r = c
        .post_json("/api/v1/me/email", json!({"new_email": "dee@new.example", "password": "not my password"}))
        .await;
    assert_eq!(r.json()["error"]["fields"]["email_password"], "That is not your current password.");
    // A taken address gets the same answer as a free one.
    let taken = c
        .post_json("/api/v1/me/email", json!({"new_email": "taken@example.org", "password": PASSWORD}))
        .await;
    assert_eq!(taken.status, StatusCode::ACCEPTED, "{}", taken.body);
    let r =
        c.post_json("/api/v1/me/email", json!({"new_email": "Dee@New.example", "password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    assert_eq!(c.get("/api/v1/me").await.json()["email"], "dee@example.org", "nothing changes yet");
    app.run_jobs().await;
    assert!(
        c.get("/settings").await.body.contains("A change to <strong>dee@new.example</strong> is waiting")
    );
    // The holder of the taken address learns it is taken; nothing changes.
    let to_taken = app.link_in_mail("taken@example.org", "/email/confirm/").await;
    assert_eq!(
        app.client().post_form(&to_taken, &[]).await.status,
        StatusCode::GONE,
        "a newer request replaced it"
    );
    // The new address confirms; the old one was told and is told again.
    let confirm = app.link_in_mail("dee@new.example", "/email/confirm/").await;
    assert!(app.client().get(&confirm).await.body.contains("Use this address"));
    let r = app.client().post_form(&confirm, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(c.get("/api/v1/me").await.json()["email"], "dee@new.example");
    let old_mail = app.mail_to("dee@example.org").await;
    let subjects: Vec<&str> = old_mail.iter().map(|m| m.subject.as_str()).collect();
    assert!(
        subjects.iter().filter(|s| **s == "A security notice for your account").count() >= 2,
        "{subjects:?}"
    );
    assert!(old_mail.iter().any(|m| m.text_body.contains("The email address of your account was changed")));
    // Undo from the old address: the address comes back and every session ends.
    let undo = app.link_in_mail("dee@example.org", "/email/undo/").await;
    let r = app.client().post_form(&undo, &[]).await;
    assert_eq!(r.location(), "/forgot");
    assert_eq!(c.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED, "signed out everywhere");
    let back =
        c.post_json("/api/v1/auth/login", json!({"email": "dee@example.org", "password": PASSWORD})).await;
    assert_eq!(back.status, StatusCode::OK);
    assert_eq!(back.json()["email"], "dee@example.org");
    assert_eq!(app.client().post_form(&undo, &[]).await.status, StatusCode::GONE, "an undo link works once");
}

/// While the old address's undo link lives, nobody else can have that
/// address; the undo spends every other link of the account.
#[tokio::test]
async fn an_undo_holds_the_old_address_and_spends_every_other_link() {
    let app = TestApp::spawn().await;
    let mut dee = app.member("dee@example.org").await;
    let mut zed = app.member("zed@example.org").await;
    dee.post_json("/api/v1/me/email", json!({"new_email": "dee@new.example", "password": PASSWORD})).await;
    let confirm = app.link_in_mail("dee@new.example", "/email/confirm/").await;
    assert_eq!(app.client().post_form(&confirm, &[]).await.location(), "/settings");
    assert_eq!(dee.get("/api/v1/me").await.json()["email"], "dee@new.example");
    // The old address is held: not for another account's change...
    zed.post_json("/api/v1/me/email", json!({"new_email": "dee@example.org", "password": PASSWORD})).await;
    let to_old = app.link_in_mail("dee@example.org", "/email/confirm/").await;
    assert_eq!(zed.post_form(&to_old, &[]).await.location(), "/settings");
    assert!(zed.get("/settings").await.body.contains("That address is already used by another account"));
    assert_eq!(zed.get("/api/v1/me").await.json()["email"], "zed@example.org");
    // ...nor for a new account.
    app.client()
        .post_json(
            "/api/v1/auth/signup",
            json!({"email": "dee@example.org", "password": PASSWORD, "display_name": "Not Dee"}),
        )
        .await;
    app.run_jobs().await;
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = $1", "dee@example.org").await, 0);
    // Someone with the new inbox asks for a reset; then the old address undoes the change.
    app.client().post_form("/forgot", &[("email", "dee@new.example")]).await;
    let reset = app.link_in_mail("dee@new.example", "/reset/").await;
    let undo = app.link_in_mail("dee@example.org", "/email/undo/").await;
    let r = app.client().post_form(&undo, &[]).await;
    assert_eq!(r.location(), "/forgot");
    assert_eq!(dee.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.client().post_form(&reset, &[]).await.status, StatusCode::GONE, "the reset link is spent");
    let back =
        dee.post_json("/api/v1/auth/login", json!({"email": "dee@example.org", "password": PASSWORD})).await;
    assert_eq!(back.json()["email"], "dee@example.org");
}

/// A password reset spends a pending change of address: whoever asked for
/// the change may be the reason for the reset.
#[tokio::test]
async fn a_reset_cancels_a_pending_change_of_address() {
    let app = TestApp::spawn().await;
    let mut fio = app.member("fio@example.org").await;
    fio.post_json("/api/v1/me/email", json!({"new_email": "intruder@example.net", "password": PASSWORD}))
        .await;
    let confirm = app.link_in_mail("intruder@example.net", "/email/confirm/").await;
    app.client().post_form("/forgot", &[("email", "fio@example.org")]).await;
    let reset = app.link_in_mail("fio@example.org", "/reset/").await;
    let new_password = "a quiet harbour at dawn";
    let r = app
        .client()
        .post_form(&reset, &[("new_password", new_password), ("confirm_password", new_password)])
        .await;
    assert_eq!(r.location(), "/");
    assert_eq!(app.client().post_form(&confirm, &[]).await.status, StatusCode::GONE);
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = $1", "intruder@example.net").await, 0);
}

#[tokio::test]
async fn profile_settings_through_api_and_page() {
    let app = TestApp::spawn().await;
    let mut c = app.member("eve@example.org").await;
    let r = c.send_json(Method::PATCH, "/api/v1/me", json!({"time_zone": "Mars/Base"})).await;
    assert!(r.json()["error"]["fields"]["time_zone"].is_string());
    let r = c
        .send_json(Method::PATCH, "/api/v1/me", json!({"display_name": "Eve R", "time_zone": "Asia/Tokyo"}))
        .await;
    assert_eq!(r.json()["time_zone"], "Asia/Tokyo");

    let r = c.post_form("/settings/profile", &[("display_name", ""), ("time_zone", "Asia/Tokyo")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Please enter a name"));
    let r = c
        .post_form("/settings/profile", &[("display_name", "Eve Rowan"), ("time_zone", "Europe/Paris")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get("/settings").await;
    assert!(page.body.contains("value=\"Eve Rowan\""));
    assert!(page.body.contains("Your settings are saved."));
}

#[tokio::test]
async fn export_holds_everything_of_the_member_and_nothing_else() {
    let app = TestApp::spawn().await;
    app.member("stranger@example.org").await;
    let mut c = app.member("fay@example.org").await;
    // A session alone is not enough: the password is asked for again.
    let r = c.post_json("/api/v1/me/export", json!({"password": "not my password at all"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"]["fields"]["password"].as_str().unwrap().contains("not your current password"));
    assert!(!r.body.contains("fay@example.org"));
    assert_eq!(c.get("/api/v1/me/export").await.status, StatusCode::METHOD_NOT_ALLOWED);
    let doc = c.export().await.json();
    assert_eq!(doc["format"], "securebase-export");
    assert_eq!(doc["account"]["email"], "fay@example.org");
    assert_eq!(doc["sessions"].as_array().unwrap().len(), 1);
    assert!(!doc.to_string().contains("stranger@example.org"));
    assert!(!doc.to_string().contains("argon2"), "no password hash in exports");

    let r = c.post_form("/settings/export", &[("password", "a wrong guess here")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("That is not your current password.")
            && r.body.contains("id=\"export_password-error\"")
    );
    assert!(r.header("content-disposition").is_none());
    let r = c.post_form("/settings/export", &[("password", PASSWORD)]).await;
    assert!(
        r.header("content-disposition").unwrap().starts_with("attachment; filename=\"securebase-export-")
    );
    let page_doc: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(page_doc["account"]["email"], "fay@example.org");
}

#[tokio::test]
async fn deleting_the_account_removes_everything_of_theirs() {
    let app = TestApp::spawn().await;
    let keep = app.member("keep@example.org").await;
    let mut c = app.member("gone@example.org").await;
    let id = c.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();

    let r = c.send_json(Method::DELETE, "/api/v1/me", json!({"password": "not the password"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE id = $1", &id).await, 1);

    let r = c.send_json(Method::DELETE, "/api/v1/me", json!({"password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE id = $1", &id).await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions WHERE user_id = $1", &id).await, 0);
    assert_eq!(c.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let mut again = app.client();
    let r = again
        .post_json("/api/v1/auth/login", json!({"email": "gone@example.org", "password": PASSWORD}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(keep.get("/api/v1/me").await.status, StatusCode::OK);
}

#[tokio::test]
async fn deleting_through_the_page() {
    let app = TestApp::spawn().await;
    let mut c = app.member("hal@example.org").await;
    let r = c.post_form("/settings/delete", &[("password", "wrong password")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("That is not your current password."));
    let r = c.post_form("/settings/delete", &[("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.header("clear-site-data").is_some());
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = $1", "hal@example.org").await, 0);
}

#[tokio::test]
async fn throttling_slows_guessing_without_locking_the_owner_out() {
    let app = TestApp::spawn().await;
    app.member("ivy@example.org").await;
    let mut attacker = app.client();
    attacker.address = "203.0.113.9".into();
    for _ in 0..5 {
        let r = attacker
            .post_json(
                "/api/v1/auth/login",
                json!({"email": "ivy@example.org", "password": "guess guess guess"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let scope = &format!(
        "pair:{}|203.0.113.9",
        securebase::features::accounts::throttle::email_hash("ivy@example.org")
    );
    assert_eq!(app.count("SELECT failures FROM sign_in_failures WHERE scope = $1", scope).await, 5);
    // Three more failures have happened (a wait of 8 s), without this test waiting for them.
    app.exec(
        "UPDATE sign_in_failures SET failures = 8, next_allowed_ms = next_allowed_ms + 8000 WHERE scope = $1",
        &[scope],
    )
    .await;
    let r = attacker
        .post_json("/api/v1/auth/login", json!({"email": "ivy@example.org", "password": PASSWORD}))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert!(r.header("retry-after").unwrap().parse::<i64>().unwrap() >= 1);
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("wait"));

    // The owner, from their own address, is not slowed by someone else's guesses.
    let mut owner = app.client();
    owner.address = "198.51.100.7".into();
    let r = owner
        .post_json("/api/v1/auth/login", json!({"email": "ivy@example.org", "password": PASSWORD}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // The counts live in the database, shared by every instance.
    let second = app.second_instance().await;
    let mut attacker2 = attacker.with_router(second.router.clone());
    let r = attacker2
        .post_json("/api/v1/auth/login", json!({"email": "ivy@example.org", "password": PASSWORD}))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_session_from_one_instance_works_on_another() {
    let app = TestApp::spawn().await;
    let c = app.member("jo@example.org").await;
    let second = app.second_instance().await;
    let on_second = c.with_router(second.router.clone());
    let me = on_second.get("/api/v1/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["email"], "jo@example.org");
    let mut on_second = on_second;
    on_second.post_json("/api/v1/auth/logout", json!({})).await;
    assert_eq!(c.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED, "signed out everywhere");
}

#[tokio::test]
async fn idle_and_absolute_expiry_end_sessions() {
    let app = TestApp::spawn().await;
    let idle = app.member("kai@example.org").await;
    let id = idle.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    // Pretend the session has been idle for 8 days (the default limit is 7).
    app.exec("UPDATE sessions SET last_seen_at = last_seen_at - 8 * 86400 WHERE user_id = $1", &[&id]).await;
    let r = idle.get("/api/v1/me").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    let old = app.member("lou@example.org").await;
    let id = old.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    app.exec("UPDATE sessions SET expires_at = created_at - 1 WHERE user_id = $1", &[&id]).await;
    let r = old.get("/settings").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/signin?next=/settings");
}

#[tokio::test]
async fn roles_guard_the_admin_page_and_api() {
    let app = TestApp::spawn().await;
    let mut member = app.member("mo@example.org").await;
    let coach = app.with_role("coach@example.org", Role::Coach).await;
    let mut admin = app.with_role("root@example.org", Role::Admin).await;

    assert_eq!(member.get("/admin/users").await.status, StatusCode::FORBIDDEN);
    assert_eq!(coach.get("/admin/users").await.status, StatusCode::FORBIDDEN);
    assert_eq!(member.get("/api/v1/admin/users").await.status, StatusCode::FORBIDDEN);
    let page = admin.get("/admin/users").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("mo@example.org") && page.body.contains("coach@example.org"));

    let mo = member.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    let r = member
        .send_json(Method::PUT, &format!("/api/v1/admin/users/{mo}/role"), json!({"role": "admin"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "members cannot promote themselves");

    let r = admin.post_form(&format!("/admin/users/{mo}/role"), &[("role", "coach")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(member.get("/api/v1/me").await.json()["role"], "coach");

    let me = admin.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    let r = admin
        .send_json(Method::PUT, &format!("/api/v1/admin/users/{me}/role"), json!({"role": "member"}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "the last admin stays an admin");
    let r = admin
        .send_json(Method::PUT, &format!("/api/v1/admin/users/{me}/role"), json!({"role": "owner"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn re_entering_the_password_is_throttled_too() {
    let app = TestApp::spawn().await;
    let mut c = app.member("wyn@example.org").await;
    for _ in 0..5 {
        let r = c.send_json(Method::DELETE, "/api/v1/me", json!({"password": "a wrong guess here"})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let me = c.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    // More guesses have happened (a wait of 8 s) without the test waiting for them.
    app.exec(
        "UPDATE sign_in_failures SET failures = 8, next_allowed_ms = next_allowed_ms + 8000 WHERE scope = $1",
        &[&format!("reenter:{me}")],
    )
    .await;
    let r = c.send_json(Method::DELETE, "/api/v1/me", json!({"password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    let r =
        c.post_json("/api/v1/me/email", json!({"new_email": "wyn@new.example", "password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE id = $1", &me).await, 1);
}

#[tokio::test]
async fn an_admin_finds_people_sees_when_they_were_active_and_disables_an_account() {
    let app = TestApp::spawn().await;
    let member = app.member_named("pat@example.org", "Pat Lane").await;
    let _other = app.member("quinn@example.org").await;
    let mut coach = app.with_role("coach@example.org", Role::Coach).await;
    let mut admin = app.with_role("root@example.org", Role::Admin).await;
    let pat = member.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();

    // Search by part of a name or address; `%` and `_` are only letters.
    let found = admin.get("/admin/users?q=lane").await.body;
    assert!(found.contains("pat@example.org") && !found.contains("quinn@example.org"), "{found}");
    assert!(found.contains("1 person matches"));
    let api = admin.get("/api/v1/admin/users?q=QUINN").await.json();
    assert_eq!(api.as_array().unwrap().len(), 1);
    assert_eq!(api[0]["email"], "quinn@example.org");
    assert_eq!(admin.get("/api/v1/admin/users?q=%25").await.json().as_array().unwrap().len(), 0);
    let everyone = admin.get("/api/v1/admin/users").await.json();
    assert_eq!(everyone.as_array().unwrap().len(), 4);
    let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date().to_string();
    assert!(everyone.as_array().unwrap().iter().all(|u| u["last_active_on"] == today.as_str()));
    assert!(admin.get("/admin/users").await.body.contains("<td data-label=\"Last active\">today</td>"));

    // Only admins disable, and never an admin.
    let r = coach
        .send_json(Method::PUT, &format!("/api/v1/admin/users/{pat}/disabled"), json!({"disabled": true}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        coach.post_form(&format!("/admin/users/{pat}/disabled"), &[("disabled", "yes")]).await.status,
        StatusCode::FORBIDDEN
    );
    let me = admin.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    let r = admin
        .send_json(Method::PUT, &format!("/api/v1/admin/users/{me}/disabled"), json!({"disabled": true}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = admin.post_form(&format!("/admin/users/{me}/disabled"), &[("disabled", "yes")]).await;
    assert!(r.body.contains("An admin cannot be disabled"), "{}", r.body);
    let r =
        admin.send_json(Method::PUT, "/api/v1/admin/users/nobody/disabled", json!({"disabled": true})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // A reset link asked for before the account is disabled.
    admin.post_form(&format!("/admin/users/{pat}/reset"), &[]).await;
    let link = app.link_in_mail("pat@example.org", "/reset/").await;

    // Disabled: the open session ends on its very next request, and signing in is refused, with why.
    assert_eq!(member.get("/api/v1/me").await.status, StatusCode::OK);
    let r = admin.post_form(&format!("/admin/users/{pat}/disabled"), &[("disabled", "yes")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(member.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let mut again = app.client();
    let r = again
        .post_json("/api/v1/auth/login", json!({"email": "pat@example.org", "password": common::PASSWORD}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("disabled"), "{}", r.body);
    let r = again.post_form("/signin", &[("email", "pat@example.org"), ("password", common::PASSWORD)]).await;
    assert!(r.body.contains("This account is disabled"), "{}", r.body);
    // A wrong password learns nothing about it.
    let r = again
        .post_json("/api/v1/auth/login", json!({"email": "pat@example.org", "password": "not the password"}))
        .await;
    assert!(!r.body.contains("disabled"), "{}", r.body);
    let listed = admin.get("/api/v1/admin/users?q=pat").await.json();
    assert_eq!(listed[0]["disabled"], true);
    assert!(admin.get("/admin/users?q=pat").await.body.contains(">disabled</span>"));

    // A disabled account is not made an admin, is sent no new reset link, and
    // the one it had changes nothing.
    let r = admin
        .send_json(Method::PUT, &format!("/api/v1/admin/users/{pat}/role"), json!({"role": "admin"}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let mails_before = app.mail_to("pat@example.org").await.len();
    admin.post_form(&format!("/admin/users/{pat}/reset"), &[]).await;
    again.post_form("/forgot", &[("email", "pat@example.org")]).await;
    assert_eq!(app.mail_to("pat@example.org").await.len(), mails_before, "no mail to a disabled account");
    let new_password = "a brand new password for pat";
    let r =
        again.post_form(&link, &[("new_password", new_password), ("confirm_password", new_password)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("This account is disabled"), "{}", r.body);
    assert_eq!(again.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);

    // Enabled again, the account signs in as it was (its password unchanged).
    let r = admin
        .send_json(Method::PUT, &format!("/api/v1/admin/users/{pat}/disabled"), json!({"disabled": false}))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = again
        .post_json("/api/v1/auth/login", json!({"email": "pat@example.org", "password": common::PASSWORD}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(again.get("/api/v1/me").await.json()["id"], pat.as_str());
}
