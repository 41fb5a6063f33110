//! Notices: a post going out leaves one for every member (at its scheduled
//! time, through the jobs queue), with a count in the header, a page and the
//! API to read or dismiss them, and a discreet mail the member can turn off.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use securebase::web::Role;
use serde_json::json;

async fn publish(coach: &mut common::Client, title: &str, publish: &str, at: &str) -> StatusCode {
    coach
        .post_json(
            "/api/v1/posts",
            json!({"title": title, "excerpt": "A few words about it.", "body": "Some words.", "tags": [], "chapters": [], "publish": publish, "publish_at": at}),
        )
        .await
        .status
}

#[tokio::test]
async fn a_post_going_out_leaves_a_notice_for_every_member() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("jo@example.org", Role::Coach).await;
    let mut ada = app.member("ada@example.org").await;
    let mut ben = app.member("ben@example.org").await;
    // Ben wants no mail about notices.
    assert_eq!(ben.post_form("/settings/mail", &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(publish(&mut coach, "Small bids for connection", "publish", "").await, StatusCode::CREATED);
    app.run_jobs().await;

    let page = ada.get("/").await.body;
    assert!(
        page.contains(">Notices <span class=\"count\">1<span class=\"visually-hidden\"> new</span>"),
        "{page}"
    );
    let list = ada.get("/api/v1/notices").await.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["title"], "A new post: Small bids for connection");
    assert_eq!(list[0]["url"], "/posts/small-bids-for-connection");
    assert!(list[0]["read_at"].is_null());
    assert_eq!(ben.get("/api/v1/notices").await.json().as_array().unwrap().len(), 1);
    assert!(coach.get("/api/v1/notices").await.json().as_array().unwrap().is_empty(), "staff are not told");
    // Ada is mailed, discreetly; Ben is not.
    let mail = app.mail_to("ada@example.org").await;
    let notice_mail: Vec<_> =
        mail.iter().filter(|m| m.subject.starts_with("You have a new notice on")).collect();
    assert_eq!(notice_mail.len(), 1);
    assert!(
        !notice_mail[0].text_body.contains("bids") && !notice_mail[0].html_body.contains("bids"),
        "no topic"
    );
    assert!(
        app.mail_to("ben@example.org").await.iter().all(|m| !m.subject.starts_with("You have a new notice"))
    );

    // Editing the post does not tell anyone again.
    let r = coach
        .send_json(
            Method::PUT,
            "/api/v1/posts/small-bids-for-connection",
            json!({"title": "Small bids for connection", "excerpt": "Edited.", "body": "More words.", "tags": [], "chapters": [], "publish": "keep", "publish_at": ""}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    app.run_jobs().await;
    assert_eq!(ada.get("/api/v1/notices").await.json().as_array().unwrap().len(), 1);

    // Opening marks it read; nobody else can touch it.
    let id = list[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        ben.post_json(&format!("/api/v1/notices/{id}/read"), json!({})).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(ben.delete(&format!("/api/v1/notices/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(ben.get(&format!("/notices/{id}/open")).await.status, StatusCode::NOT_FOUND);
    let r = ada.get(&format!("/notices/{id}/open")).await;
    assert_eq!(r.location(), "/posts/small-bids-for-connection");
    assert!(!ada.get("/").await.body.contains("class=\"count\""), "no count once read");
    assert!(ada.get("/api/v1/notices").await.json()[0]["read_at"].is_string());
    let page = ada.get("/notices").await.body;
    assert!(page.contains("A new post: Small bids for connection") && page.contains("Dismiss"));
    // Dismissed, it is gone.
    assert_eq!(ada.post_form(&format!("/notices/{id}/dismiss"), &[]).await.status, StatusCode::SEE_OTHER);
    assert!(ada.get("/api/v1/notices").await.json().as_array().unwrap().is_empty());
    assert!(ada.get("/notices").await.body.contains("Nothing here just now"));
}

#[tokio::test]
async fn a_scheduled_post_is_announced_at_its_time_not_before() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("jo@example.org", Role::Coach).await;
    let ada = app.member("ada@example.org").await;
    let later = securebase::clock::now() + 3 * 86_400;
    let at = jiff::Timestamp::from_second(later).unwrap().strftime("%Y-%m-%dT%H:%M").to_string();
    assert_eq!(publish(&mut coach, "Repair after a hard week", "schedule", &at).await, StatusCode::CREATED);
    app.run_jobs().await;
    assert!(ada.get("/api/v1/notices").await.json().as_array().unwrap().is_empty(), "not yet");
    // At its time, on whichever instance runs the queue.
    let other = app.second_instance().await;
    securebase::jobs::worker::run_due(&other.state, &securebase::app::job_kinds(), later + 60).await.unwrap();
    let list = ada.get("/api/v1/notices").await.json();
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["title"], "A new post: Repair after a hard week");
}

#[tokio::test]
async fn notices_leave_with_the_account() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("jo@example.org", Role::Coach).await;
    let mut ada = app.member("ada@example.org").await;
    publish(&mut coach, "Turning toward", "publish", "").await;
    // A second device: a security event, kept and mailed.
    let r = app
        .client()
        .post_json("/api/v1/auth/login", json!({"email": "ada@example.org", "password": common::PASSWORD}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    app.run_jobs().await;
    let export = ada.export().await.json();
    assert_eq!(export["notices"][0]["title"], "A new post: Turning toward");
    assert!(export["security_events"].as_array().is_some_and(|e| !e.is_empty()));
    let id = ada.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    let r = ada.send_json(Method::DELETE, "/api/v1/me", json!({"password": common::PASSWORD})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    for sql in [
        "SELECT COUNT(*) FROM notices WHERE user_id = $1",
        "SELECT COUNT(*) FROM security_events WHERE user_id = $1",
        "SELECT COUNT(*) FROM account_tokens WHERE user_id = $1",
        "SELECT COUNT(*) FROM mail_outbox WHERE user_id = $1",
        "SELECT COUNT(*) FROM jobs WHERE user_id = $1",
    ] {
        assert_eq!(app.count(sql, &id).await, 0, "{sql}");
    }
}
