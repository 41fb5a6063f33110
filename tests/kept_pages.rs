//! A member's own pages (the home, the journal list, the check-in pages) are
//! kept between their requests and used again only while nothing they were
//! drawn from has changed, on any instance; and only for that member. And
//! the short reads pages are drawn with (`Db::reads`) refuse to write and
//! never answer with another read's rows.

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::{Client, TestApp};
use serde_json::json;
use sqlx::Row;

const VERSION: &str = "SELECT version FROM dashboard_versions WHERE user_id = $1";
const PUT_BACK: &str = "UPDATE dashboard_versions SET version = CAST($1 AS BIGINT) WHERE user_id = $2";

async fn id_of(c: &mut Client) -> String {
    c.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned()
}

/// The three pages, each looked at once (and so kept).
async fn look_at_all(c: &mut Client) -> [String; 3] {
    [c.get("/").await.body, c.get("/practice/journal").await.body, c.get("/know/checkins/today").await.body]
}

#[tokio::test]
async fn kept_member_pages_give_way_to_any_write_on_any_instance() {
    let app = TestApp::spawn().await;
    let other = app.second_instance().await;
    let mut here = app.member_named("rue@example.org", "Rue Marsh").await;
    let mut there = here.with_router(other.router.clone());
    let me = id_of(&mut here).await;
    let [home, journal, checkin] = look_at_all(&mut here).await;
    assert!(home.contains("Welcome, Rue.") && home.contains("Not sure where to begin?"), "{home}");
    assert!(journal.contains("Your reflection journal") && !journal.contains("Continue “"));
    assert!(!checkin.contains("Recent check-ins"));
    assert_eq!(app.state.member_copies.len(), 3, "each page kept");

    // A journal entry written on the other instance shows here at once,
    // in the list; edited and deleted, the same.
    let r = there
        .post_json("/api/v1/journal", json!({"title": "Harbour walk", "body": "We walked.", "prompt_id": ""}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let entry = r.json()["id"].as_str().unwrap().to_owned();
    assert!(here.get("/practice/journal").await.body.contains("Harbour walk"));
    let r = there
        .send_json(
            Method::PUT,
            &format!("/api/v1/journal/{entry}"),
            json!({"title": "Harbour walk at dusk", "body": "We walked.", "version": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(here.get("/practice/journal").await.body.contains("Harbour walk at dusk"));
    let undo = there.delete(&format!("/api/v1/journal/{entry}")).await.json();
    assert!(!here.get("/practice/journal").await.body.contains("Harbour walk"));
    let r = there.post_json(&format!("/api/v1/undo/{}", undo["undo_id"].as_str().unwrap()), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(here.get("/practice/journal").await.body.contains("Harbour walk at dusk"));

    // A draft shows in the list and on the home.
    let r = there
        .send_json(
            Method::PUT,
            "/api/v1/journal/draft",
            json!({"prompt_id": "", "title": "Half a thought", "body": "I"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(here.get("/practice/journal").await.body.contains("Continue “Half a thought”"));
    assert!(here.get("/").await.body.contains("“Half a thought” is kept as a draft."));

    // The get-started answers, a repair plan and a moment of return, on the home.
    let r = there
        .post_json(
            "/api/v1/start",
            json!({"path": "growing", "company": "alone", "reasons": [], "afraid": false}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(here.get("/").await.body.contains("Your starting plan"));
    let r = there.post_json("/api/v1/repair-plans", json!({"not_afraid": true})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(here.get("/").await.body.contains("Finish your repair plan"));
    let r = there.post_json("/api/v1/returns", json!({"text": "Tea on the step together"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(here.get("/").await.body.contains("Tea on the step together"));

    // A check-in, on its page and on the home.
    let r = there.post_json("/api/v1/checkins/today", json!({"values": {"closeness": 4}})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let page = here.get("/know/checkins/today").await.body;
    assert!(page.contains("Recent check-ins") && page.contains(": 4 of 5"), "{page}");
    assert!(!page.contains("class=\"share-offer\""), "no partner, no offer");

    // A coach's new prompt shows in every member's list, from any instance.
    let mut coach = app.with_role("coach@example.org", securebase::web::Role::Coach).await;
    let mut coach_there = coach.with_router(other.router.clone());
    assert!(!here.get("/practice/journal").await.body.contains("What surprised you this week?"));
    let r = coach_there.post_json("/api/v1/prompts", json!({"text": "What surprised you this week?"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(here.get("/practice/journal").await.body.contains("What surprised you this week?"));
    let _ = &mut coach;

    // Linked with a partner, the check-in page offers sharing: drawn afresh,
    // though no row of the member's own changed.
    let mut ash = app.member_named("ash@example.org", "Ash").await;
    let r = ash.post_json("/api/v1/together/invitations", json!({})).await;
    let token = r.json()["link"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    let r = there.post_json("/api/v1/together/invitations/accept", json!({ "token": token })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(here.get("/know/checkins/today").await.body.contains("class=\"share-offer\""));

    // While nothing changes, the kept copy is what is shown: a title changed
    // by hand, with the version put back, is not seen...
    here.get("/practice/journal").await;
    let before = app.count(VERSION, &me).await;
    app.exec("UPDATE journal_entries SET title = 'Changed by hand' WHERE user_id = $1", &[&me]).await;
    assert!(app.count(VERSION, &me).await > before, "an update by hand raises the version");
    app.exec(PUT_BACK, &[&before.to_string(), &me]).await;
    let kept = here.get("/practice/journal").await.body;
    assert!(kept.contains("Harbour walk at dusk") && !kept.contains("Changed by hand"), "kept");
    // ...nor on another page of the list, which is drawn afresh...
    assert!(here.get("/practice/journal?oldest=1").await.body.contains("Changed by hand"));
    // ...until the next write, from anywhere.
    there.post_json("/api/v1/returns", json!({"text": "A long call"})).await;
    assert!(here.get("/practice/journal").await.body.contains("Changed by hand"));

    // The header is drawn on each request: the name changed shows at once,
    // and the home's greeting with it.
    let r = there.send_json(Method::PATCH, "/api/v1/me", json!({"display_name": "Ruth Marsh"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(here.get("/").await.body.contains("Welcome, Ruth."));
}

#[tokio::test]
async fn every_write_a_member_page_is_drawn_from_raises_the_version() {
    let app = TestApp::spawn().await;
    let mut owner = app.member("ivy@example.org").await;
    let mut bystander = app.member("oak@example.org").await;
    let me = id_of(&mut owner).await;
    let them = id_of(&mut bystander).await;
    let theirs = app.count(VERSION, &them).await;
    let mut last = app.count(VERSION, &me).await;
    let now = securebase::clock::now().to_string();
    let writes: [(&str, &'static str); 12] = [
        ("entry insert", "INSERT INTO journal_entries (id, user_id, prompt_id, title, body, version, created_at, updated_at)
                          VALUES ('e1', $1, '', 't', 'b', 1, CAST($2 AS BIGINT), CAST($2 AS BIGINT))"),
        ("entry update", "UPDATE journal_entries SET title = 'u' WHERE user_id = $1 AND $2 <> ''"),
        ("entry delete", "DELETE FROM journal_entries WHERE user_id = $1 AND $2 <> ''"),
        ("draft insert", "INSERT INTO journal_drafts (user_id, draft_key, prompt_id, title, body, base_version, updated_at)
                          VALUES ($1, 'new', '', 't', 'b', 0, CAST($2 AS BIGINT))"),
        ("draft update", "UPDATE journal_drafts SET body = 'c' WHERE user_id = $1 AND $2 <> ''"),
        ("draft delete", "DELETE FROM journal_drafts WHERE user_id = $1 AND $2 <> ''"),
        ("plan insert", "INSERT INTO repair_plans (id, user_id, step, answers, created_at, updated_at)
                         VALUES ('p1', $1, 1, '{}', CAST($2 AS BIGINT), CAST($2 AS BIGINT))"),
        ("plan update", "UPDATE repair_plans SET step = 2 WHERE user_id = $1 AND $2 <> ''"),
        ("plan delete", "DELETE FROM repair_plans WHERE user_id = $1 AND $2 <> ''"),
        ("start insert", "INSERT INTO start_answers (user_id, answers, updated_at) VALUES ($1, '{}', CAST($2 AS BIGINT))"),
        ("start update", "UPDATE start_answers SET answers = '{\"a\":1}' WHERE user_id = $1 AND $2 <> ''"),
        ("start delete", "DELETE FROM start_answers WHERE user_id = $1 AND $2 <> ''"),
    ];
    for (label, sql) in writes {
        app.exec(sql, &[&me, &now]).await;
        let raised = app.count(VERSION, &me).await;
        assert!(raised > last, "{label}: {raised} after {last}");
        last = raised;
    }
    assert_eq!(app.count(VERSION, &them).await, theirs, "a bystander's version is untouched");

    // A coach's prompt shows to everyone: each change the list shows raises
    // every version; a change it does not show raises none.
    let mut both = (last, theirs);
    let versions = || async { (app.count(VERSION, &me).await, app.count(VERSION, &them).await) };
    for (sql, shows) in [
        (
            "INSERT INTO journal_prompts (id, text, created_by, created_at) VALUES ('cp', 'A prompt', $2, CAST($1 AS BIGINT))",
            true,
        ),
        (
            "UPDATE journal_prompts SET text = 'Another prompt' WHERE id = 'cp' AND $1 <> '' AND $2 <> ''",
            true,
        ),
        ("UPDATE journal_prompts SET retired_at = CAST($1 AS BIGINT) WHERE id = 'cp' AND $2 <> ''", true),
        // What deleting the coach's account does: no list shows who wrote a prompt.
        ("UPDATE journal_prompts SET created_by = NULL WHERE created_by = $2 AND $1 <> ''", false),
        ("UPDATE journal_prompts SET text = text WHERE id = 'cp' AND $1 <> '' AND $2 <> ''", false),
        ("DELETE FROM journal_prompts WHERE id = 'cp' AND $1 <> '' AND $2 <> ''", true),
    ] {
        app.exec(sql, &[&now, &them]).await;
        let after = versions().await;
        if shows {
            assert!(after.0 > both.0 && after.1 > both.1, "{sql}: {after:?} after {both:?}");
        } else {
            assert_eq!(after, both, "{sql}");
        }
        both = after;
    }
}

#[tokio::test]
async fn a_kept_member_page_is_its_members_alone() {
    let app = TestApp::spawn().await;
    let mut ana = app.member_named("ana@example.org", "Ana").await;
    let mut ben = app.member_named("ben@example.org", "Ben").await;
    let ids = [id_of(&mut ana).await, id_of(&mut ben).await];
    for (c, word) in [(&mut ana, "Lantern"), (&mut ben, "Thimble")] {
        let r =
            c.post_json("/api/v1/journal", json!({"title": word, "body": "private", "prompt_id": ""})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        c.post_json("/api/v1/returns", json!({"text": format!("{word} moment")})).await;
        let r =
            c.post_json("/api/v1/checkins/today", json!({"values": {"closeness": 2}, "note": word})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    // Their versions made equal by hand: only the key tells their copies apart.
    app.exec("UPDATE dashboard_versions SET version = 7 WHERE user_id IN ($1, $2)", &[&ids[0], &ids[1]])
        .await;
    for round in 0..2 {
        let [home, journal, checkin] = look_at_all(&mut ana).await;
        for page in [&home, &journal, &checkin] {
            assert!(page.contains("Lantern") && !page.contains("Thimble"), "round {round}: {page}");
        }
        let [home, journal, checkin] = look_at_all(&mut ben).await;
        for page in [&home, &journal, &checkin] {
            assert!(page.contains("Thimble") && !page.contains("Lantern"), "round {round}: {page}");
        }
    }
    assert_eq!(app.state.member_copies.len(), 6);

    // A visitor, and someone signed out, see none of it.
    let visitor = app.client();
    let home = visitor.get("/").await.body;
    assert!(!home.contains("Lantern") && !home.contains("Thimble"));
    let journal = visitor.get("/practice/journal").await;
    assert!(!journal.status.is_success() && !journal.body.contains("Lantern"), "{}", journal.status);

    // Deleting the account forgets its copies at once.
    let r = ana.send_json(Method::DELETE, "/api/v1/me", json!({"password": common::PASSWORD})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(app.state.member_copies.len(), 3, "Ben's alone are left");
    // Signing out forgets them too.
    let r = ben.post_json("/api/v1/auth/logout", json!({})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert!(app.state.member_copies.is_empty());
}

#[tokio::test]
async fn with_member_cache_ms_0_no_page_is_kept() {
    let app = TestApp::spawn_with(&[("SECUREBASE_MEMBER_CACHE_MS", "0")]).await;
    let mut c = app.member("fen@example.org").await;
    let me = id_of(&mut c).await;
    look_at_all(&mut c).await;
    assert!(app.state.member_copies.is_empty());
    // Every change shows, even one that leaves the version as it was.
    c.post_json("/api/v1/journal", json!({"title": "First", "body": "b", "prompt_id": ""})).await;
    c.get("/practice/journal").await;
    let before = app.count(VERSION, &me).await;
    app.exec("UPDATE journal_entries SET title = 'Second' WHERE user_id = $1", &[&me]).await;
    app.exec(PUT_BACK, &[&before.to_string(), &me]).await;
    assert!(c.get("/practice/journal").await.body.contains("Second"));
}

#[tokio::test]
async fn a_short_read_refuses_to_write_and_never_answers_with_another_reads_rows() {
    let app = TestApp::spawn().await;
    let mut c = app.member_named("gil@example.org", "Gil").await;
    let me = id_of(&mut c).await;
    let db = &app.state.db;
    let refused = sqlx::query("UPDATE users SET display_name = 'Changed' WHERE id = $1")
        .bind(&me)
        .execute(db.reads())
        .await;
    assert!(refused.is_err(), "a write through the short reads is refused");
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE display_name = 'Gil' AND id = $1", &me).await, 1);
    if db.backend != securebase::db::Backend::Postgres {
        return;
    }
    // A read cancelled half-way (the request went away) gives its turn back
    // (three times as many of them as there are turns, each followed by a
    // read that must be answered at once); its connection finishes the
    // statement in the background and is used again, and the read after it
    // gets its own rows, never the cancelled one's. Every read here runs
    // over one of a few sessions: a cancelled read does not cost a new one.
    let mut sessions = std::collections::BTreeSet::new();
    for i in 0..24 {
        let slow = sqlx::query_scalar::<_, String>("SELECT CAST('slow' AS TEXT) FROM pg_sleep(0.2)")
            .fetch_one(db.reads());
        assert!(tokio::time::timeout(Duration::from_millis(20), slow).await.is_err(), "cancelled");
        if i % 2 == 0 {
            // Time for the cancelled statement to end, and its connection to come back.
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        let row = sqlx::query("SELECT CAST($1 AS TEXT) AS said, pg_backend_pid() AS session")
            .bind(format!("quick {i}"))
            .fetch_one(db.reads())
            .await
            .unwrap();
        assert_eq!(row.get::<String, _>("said"), format!("quick {i}"));
        sessions.insert(row.get::<i32, _>("session"));
    }
    assert!(sessions.len() <= 4, "{} sessions for 24 cancelled reads", sessions.len());
    // Connections the server closed (a restart, an administrator) are
    // replaced: the read is tried once more on a new one.
    app.exec(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'securebase reads' AND datname = current_database() AND $1 <> ''",
        &[&me],
    )
    .await;
    let after: String = sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
        .bind(&me)
        .fetch_one(db.reads())
        .await
        .expect("answered on a new connection");
    assert_eq!(after, "Gil");
    // And a read sees what was committed just before it, on any connection.
    for name in ["One", "Two", "Three"] {
        app.exec("UPDATE users SET display_name = $1 WHERE id = $2", &[name, &me]).await;
        let seen: String = sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
            .bind(&me)
            .fetch_one(db.reads())
            .await
            .unwrap();
        assert_eq!(seen, name);
    }
}
