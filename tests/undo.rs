//! Undo after a delete: every kind of a member's own writing comes back
//! exactly (same id, same words, what hung off it), only for its owner, only
//! while its time lasts, without JavaScript; afterwards a job purges it.

mod common;

use axum::http::{Method, StatusCode};
use common::{Client, TestApp};
use serde_json::{Value, json};

fn id_of(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_owned()
}

async fn created(c: &mut Client, uri: &str, body: Value) -> Value {
    let r = c.post_json(uri, body).await;
    assert!(r.status == StatusCode::CREATED || r.status == StatusCode::OK, "{uri}: {}", r.body);
    r.json()
}

/// Delete through the API: the answer names the undo and when it ends.
async fn delete(c: &mut Client, uri: &str) -> String {
    let r = c.delete(uri).await;
    assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
    let answer = r.json();
    let until = answer["undo_until"].as_i64().expect("undo_until");
    let now = securebase::clock::now();
    assert!((now + 100..=now + 121).contains(&until), "about two minutes to undo: {until} vs {now}");
    answer["undo_id"].as_str().expect("undo_id").to_owned()
}

#[tokio::test]
async fn every_kind_of_delete_comes_back_exactly_with_what_hung_off_it() {
    let app = TestApp::spawn().await;
    let mut c = app.member("undo@example.org").await;

    let entry = created(
        &mut c,
        "/api/v1/journal",
        json!({"title": "Sunday", "body": "Ünïcode — kept", "prompt_id": ""}),
    )
    .await;
    let entry_id = id_of(&entry);
    let r = c
        .send_json(
            Method::PUT,
            "/api/v1/journal/draft",
            json!({"entry_id": entry_id, "body": "half-made change", "base_version": 1}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let checkin =
        created(&mut c, "/api/v1/checkins/today", json!({"values": {"closeness": 4}, "note": "close today"}))
            .await;
    let fields = json!({"my_trigger": "t", "my_feeling": "f", "my_move": "m", "partner_reads": "r", "partner_move": "p"});
    let map = created(&mut c, "/api/v1/cycle-maps", fields).await;
    let map_id = id_of(&map);
    let r = c.send_json(Method::PUT, &format!("/api/v1/cycle-maps/{map_id}"), json!({"my_trigger": "t2", "my_feeling": "f", "my_move": "m", "partner_reads": "r", "partner_move": "p"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let plan = created(&mut c, "/api/v1/repair-plans", json!({"not_afraid": true})).await;
    let ret = created(&mut c, "/api/v1/returns", json!({"text": "We came back to each other"})).await;
    let aff = created(&mut c, "/api/v1/affirmations", json!({"text": "I am allowed to ask"})).await;
    let aff_id = id_of(&aff);
    let r =
        c.send_json(Method::PUT, &format!("/api/v1/affirmations/{aff_id}"), json!({"favourite": true})).await;
    assert_eq!(r.json()["favourite"], true);

    let checkin_id = id_of(&checkin);
    let items = [
        ("journal-entry", format!("/api/v1/journal/{entry_id}"), format!("/api/v1/journal/{entry_id}")),
        (
            "cycle-map",
            format!("/api/v1/cycle-maps/{map_id}"),
            format!("/api/v1/cycle-maps/{map_id}/versions"),
        ),
        (
            "repair-plan",
            format!("/api/v1/repair-plans/{}", id_of(&plan)),
            format!("/api/v1/repair-plans/{}", id_of(&plan)),
        ),
        ("return", format!("/api/v1/returns/{}", id_of(&ret)), format!("/api/v1/returns/{}", id_of(&ret))),
        ("affirmation", format!("/api/v1/affirmations/{aff_id}"), format!("/api/v1/affirmations/{aff_id}")),
        ("check-in", format!("/api/v1/checkins/today/{checkin_id}"), "/api/v1/checkins/today".to_owned()),
    ];
    for (kind, delete_uri, read_uri) in items {
        let before = c.get(&read_uri).await;
        assert_eq!(before.status, StatusCode::OK, "{read_uri}");
        let draft_before = c.get(&format!("/api/v1/journal/draft?entry={entry_id}")).await.body;
        let undo_id = delete(&mut c, &delete_uri).await;
        let gone = c.get(&read_uri).await;
        if kind == "check-in" {
            assert!(!gone.body.contains(&checkin_id), "the check-in leaves the list at once");
        } else {
            assert_eq!(gone.status, StatusCode::NOT_FOUND, "{kind} is gone at once");
        }
        // Pressing Delete again (a double click) answers with the same undo.
        let twice = c.delete(&delete_uri).await;
        assert_eq!(twice.status, StatusCode::OK, "{kind}: {}", twice.body);
        assert_eq!(twice.json()["undo_id"], undo_id.as_str(), "{kind}");

        let r = c.post_json(&format!("/api/v1/undo/{undo_id}"), json!({})).await;
        assert_eq!(r.status, StatusCode::OK, "{kind}: {}", r.body);
        assert_eq!(r.json()["kind"], kind);
        let after = c.get(&read_uri).await;
        assert_eq!(after.json(), before.json(), "{kind} comes back exactly as it was");
        assert_eq!(c.get(&format!("/api/v1/journal/draft?entry={entry_id}")).await.body, draft_before);
        // Pressing Undo again changes nothing and still says it is back.
        let again = c.post_json(&format!("/api/v1/undo/{undo_id}"), json!({})).await;
        assert_eq!(again.status, StatusCode::OK, "{kind}");
        assert_eq!(c.get(&read_uri).await.json(), before.json(), "{kind} is there once");
        // Once back, a delete is a new delete, with an undo of its own.
        let fresh = delete(&mut c, &delete_uri).await;
        assert_ne!(fresh, undo_id, "{kind}");
        let r = c.post_json(&format!("/api/v1/undo/{fresh}"), json!({})).await;
        assert_eq!(r.status, StatusCode::OK, "{kind}");
    }
    // What hung off the items came back with them.
    assert_eq!(
        c.get(&format!("/api/v1/journal/draft?entry={entry_id}")).await.json()["body"],
        "half-made change"
    );
    assert_eq!(c.get(&format!("/api/v1/cycle-maps/{map_id}")).await.json()["versions"], 2);
    assert_eq!(c.get(&format!("/api/v1/affirmations/{aff_id}")).await.json()["favourite"], true);
    // Every undone delete holds no rows any more.
    assert_eq!(app.count("SELECT COUNT(*) FROM deleted_items WHERE saved_rows <> $1", "[]").await, 0);
}

#[tokio::test]
async fn only_the_owner_can_undo_and_only_while_its_time_lasts_then_it_is_purged() {
    let app = TestApp::spawn().await;
    let mut owner = app.member("own@example.org").await;
    let mut other = app.member("oth@example.org").await;
    let me = owner.get("/api/v1/me").await.json();
    let owner_id = me["id"].as_str().unwrap().to_owned();
    let ret = created(&mut owner, "/api/v1/returns", json!({"text": "Private return"})).await;
    let ret_id = id_of(&ret);
    let undo_id = delete(&mut owner, &format!("/api/v1/returns/{ret_id}")).await;

    // Someone else's undo id does nothing, and says only "too late".
    let r = other.post_json(&format!("/api/v1/undo/{undo_id}"), json!({})).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(!r.body.contains("Private return") && !r.body.contains(&ret_id));
    let r = other.post_form(&format!("/undo/{undo_id}"), &[]).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(r.body.contains("Too late to undo") && !r.body.contains("Private return"));
    assert_eq!(other.get(&format!("/api/v1/returns/{ret_id}")).await.status, StatusCode::NOT_FOUND);
    let r = app.client().post_json(&format!("/api/v1/undo/{undo_id}"), json!({})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    for junk in ["not-a-uuid", "..%2F..%2Fetc", "00000000-0000-0000-0000-000000000000"] {
        assert_eq!(
            owner.post_json(&format!("/api/v1/undo/{junk}"), json!({})).await.status,
            StatusCode::GONE
        );
    }
    assert_eq!(owner.get(&format!("/api/v1/returns/{ret_id}")).await.status, StatusCode::NOT_FOUND);

    // While it waits it is in no export.
    let export = owner.export().await.body;
    assert!(!export.contains("Private return"), "a deleted item is not exported");

    // When its time has run out it cannot come back, and the job purges it.
    app.exec("UPDATE deleted_items SET undo_until = deleted_at - 1 WHERE user_id = $1", &[&owner_id]).await;
    let r = owner.post_json(&format!("/api/v1/undo/{undo_id}"), json!({})).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert_eq!(owner.get(&format!("/api/v1/returns/{ret_id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("SELECT COUNT(*) FROM deleted_items WHERE user_id = $1", &owner_id).await, 1);
    app.exec("UPDATE jobs SET run_at = 0 WHERE user_id = $1 AND kind = 'private:undo-purge'", &[&owner_id])
        .await;
    app.run_jobs().await;
    assert_eq!(app.count("SELECT COUNT(*) FROM deleted_items WHERE user_id = $1", &owner_id).await, 0);
    // The admin's view of jobs shows nothing of it.
    let mut admin = app.with_role("adm@example.org", securebase::web::Role::Admin).await;
    assert!(!admin.get_mut("/admin/jobs").await.body.contains("undo"));
}

#[tokio::test]
async fn without_javascript_delete_shows_undo_once_and_undo_returns_to_the_item() {
    let app = TestApp::spawn().await;
    let mut c = app.member("nojs@example.org").await;
    let entry = created(
        &mut c,
        "/api/v1/journal",
        json!({"title": "Kept words", "body": "Words I want back", "prompt_id": ""}),
    )
    .await;
    let id = id_of(&entry);
    let page = c.get(&format!("/practice/journal/{id}")).await.body;
    assert!(
        page.contains(&format!("action=\"/practice/journal/{id}/delete\"")),
        "one button deletes, no second page"
    );

    let r = c.post_form(&format!("/practice/journal/{id}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/practice/journal");
    let list = c.get_mut("/practice/journal").await.body;
    assert!(list.contains("The entry is deleted."), "{list}");
    assert!(!list.contains("Words I want back"));
    let action = list
        .split("action=\"/undo/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an Undo form beside the message")
        .to_owned();
    // The offer shows once: the next page has no Undo.
    assert!(!c.get_mut("/practice/journal").await.body.contains("action=\"/undo/"));

    let r = c.post_form(&format!("/undo/{action}"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("/practice/journal/{id}"));
    let back = c.get_mut(&format!("/practice/journal/{id}")).await.body;
    assert!(back.contains("Words I want back") && back.contains("Undone"), "{back}");

    // A second press of the same Undo: still back, once.
    let r = c.post_form(&format!("/undo/{action}"), &[]).await;
    assert_eq!(r.location(), format!("/practice/journal/{id}"));
    assert_eq!(c.get(&format!("/api/v1/journal/{id}")).await.json()["body"], "Words I want back");
    assert_eq!(c.get("/api/v1/journal").await.json()["entries"].as_array().unwrap().len(), 1);

    // A check-in, a moment and an affirmation delete the same way, with Undo.
    let checkin =
        created(&mut c, "/api/v1/checkins/today", json!({"values": {"closeness": 2}, "note": ""})).await;
    let r = c.post_form(&format!("/know/checkins/today/{}/delete", id_of(&checkin)), &[]).await;
    assert_eq!(r.location(), "/know/checkins/today");
    assert!(c.get_mut("/know/checkins/today").await.body.contains("action=\"/undo/"));
    let ret = created(&mut c, "/api/v1/returns", json!({"text": "back again"})).await;
    let r = c.post_form(&format!("/practice/returns/{}/delete", id_of(&ret)), &[]).await;
    assert_eq!(r.location(), "/practice/returns");
    assert!(c.get_mut("/practice/returns").await.body.contains("action=\"/undo/"));
}
