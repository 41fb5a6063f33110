//! Visitors' copies of public pages: one copy serves every visitor, nobody
//! signed in ever gets one, a write on this instance shows at once, and a write
//! on another instance (or a scheduled post's time) within `public_cache_ms`.

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::{Client, TestApp};
use securebase::web::Role;
use securebase::web::page_cache::CACHE_HEADER;
use serde_json::json;

async fn publish(coach: &mut Client, title: &str) -> String {
    let r = coach
        .post_json(
            "/api/v1/posts",
            json!({"title": title, "excerpt": "A few words.", "body": "Some words.", "tags": ["repair"], "chapters": [], "publish": "publish", "publish_at": ""}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["slug"].as_str().unwrap().to_owned()
}

fn from_cache(r: &common::TestResponse) -> bool {
    r.header(CACHE_HEADER) == Some("hit")
}

#[tokio::test]
async fn one_copy_serves_every_visitor_and_nobody_signed_in() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("cora@example.org", Role::Coach).await;
    publish(&mut coach, "Turning toward each other").await;
    let mut ana = app.member_named("ana@example.org", "Ana Quill").await;
    let visitor = app.client();
    let first = visitor.get("/posts").await;
    assert!(!from_cache(&first));
    let second = visitor.get("/posts").await;
    assert!(from_cache(&second), "the second visitor gets the kept copy");
    assert_eq!(first.body, second.body);
    assert!(second.body.contains("Turning toward each other"));
    // A member's page is always made fresh, with their own header.
    let mine = ana.get_mut("/posts").await;
    assert!(!from_cache(&mine));
    assert!(mine.body.contains("Sign out") && !second.body.contains("Sign out"));
    assert!(!visitor.get("/posts").await.body.contains("Ana Quill"), "no member's name reaches a visitor");
    // A visitor with a message waiting gets a fresh page that shows it.
    ana.post_form("/signout", &[]).await;
    let after = ana.get_mut("/posts").await;
    assert!(!from_cache(&after));
    assert!(after.body.contains("You have signed out."));
    // Only what every visitor sees is kept: not a 404.
    assert_eq!(visitor.get("/posts/no-such-post").await.status, StatusCode::NOT_FOUND);
    assert!(!from_cache(&visitor.get("/posts/no-such-post").await));
}

#[tokio::test]
async fn a_post_saved_here_shows_at_once_and_elsewhere_within_the_cache_time() {
    let app = TestApp::spawn().await;
    let other = app.second_instance().await;
    let mut coach = app.with_role("cora@example.org", Role::Coach).await;
    let here = app.client();
    let there = other.client();
    publish(&mut coach, "The first post").await;
    for c in [&here, &there] {
        c.get("/posts").await;
        assert!(from_cache(&c.get("/posts").await));
    }
    let slug = publish(&mut coach, "A second post").await;
    let page = here.get("/posts").await;
    assert!(page.body.contains("A second post"), "on the instance that saved it: at once");
    assert!(here.get(&format!("/posts/{slug}")).await.body.contains("A second post"));
    // The other instance: within public_cache_ms (a second by default).
    let ttl = Duration::from_millis(other.state.config.public_cache_ms);
    tokio::time::sleep(ttl + Duration::from_millis(100)).await;
    assert!(there.get("/posts").await.body.contains("A second post"));
    assert!(there.get("/tags/repair").await.body.contains("A second post"));
    assert!(there.get("/feed.xml").await.body.contains("A second post"));
    // An edit and a deletion, the same.
    let r = coach
        .send_json(
            axum::http::Method::PUT,
            &format!("/api/v1/posts/{slug}"),
            json!({"title": "A second post, retitled", "slug": slug, "excerpt": "A few words.", "body": "Some words.", "tags": [], "chapters": [], "publish": "publish", "publish_at": ""}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(here.get(&format!("/posts/{slug}")).await.body.contains("retitled"));
    coach.delete(&format!("/api/v1/posts/{slug}")).await;
    assert_eq!(here.get(&format!("/posts/{slug}")).await.status, StatusCode::NOT_FOUND);
    assert!(!here.get("/posts").await.body.contains("retitled"));
}

#[tokio::test]
async fn a_scheduled_post_appears_at_its_time() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("cora@example.org", Role::Coach).await;
    let visitor = app.client();
    let later = securebase::clock::now() + 3 * 86_400;
    let at = jiff::Timestamp::from_second(later).unwrap().strftime("%Y-%m-%dT%H:%M").to_string();
    let r = coach
        .post_json(
            "/api/v1/posts",
            json!({"title": "Coming soon", "excerpt": "Soon.", "body": "Soon.", "tags": [], "chapters": [], "publish": "schedule", "publish_at": at}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // Its time comes in two seconds (as if the days had passed).
    let due = securebase::clock::now() + 2;
    app.exec(
        "UPDATE posts SET publish_at = CAST($1 AS BIGINT) WHERE title = $2",
        &[&due.to_string(), "Coming soon"],
    )
    .await;
    visitor.get("/posts").await;
    assert!(!visitor.get("/posts").await.body.contains("Coming soon"), "not before its time");
    let ttl = Duration::from_millis(app.state.config.public_cache_ms);
    tokio::time::sleep(Duration::from_secs(2) + ttl + Duration::from_millis(200)).await;
    assert!(visitor.get("/posts").await.body.contains("Coming soon"));
}
