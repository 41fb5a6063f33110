//! Know yourself: instruments, answering them, results and change, privacy.

mod common;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{Value, json};

const SCALE: &str = "closeness-reflection";

/// Every item answered with `value` (reverse-keyed ones too).
async fn all_answers(app: &TestApp, value: i64) -> BTreeMap<String, i64> {
    let instrument = app.client().get(&format!("/api/v1/instruments/{SCALE}")).await.json();
    instrument["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].as_str().unwrap().to_owned(), value))
        .collect()
}

#[tokio::test]
async fn instruments_describe_their_items() {
    let app = TestApp::spawn().await;
    let list = app.client().get("/api/v1/instruments").await.json();
    assert!(list.as_array().unwrap().iter().any(|i| i["id"] == SCALE && i["items"] == 20));
    let one = app.client().get(&format!("/api/v1/instruments/{SCALE}")).await.json();
    let items = one["items"].as_array().unwrap();
    assert_eq!(items.iter().filter(|i| i["dimension"] == "anxiety").count(), 10);
    assert_eq!(items.iter().filter(|i| i["reverse"] == true).count(), 7);
    assert_eq!(one["points"], 7);
    assert_eq!(app.client().get("/api/v1/instruments/nope").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn answers_are_checked_scored_and_compared() {
    let app = TestApp::spawn().await;
    let mut c = app.member("ren@example.org").await;
    let url = format!("/api/v1/instruments/{SCALE}/responses");

    let r = c.post_json(&url, json!({"answers": {"an1": 3, "av1": 9}})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = r.json()["error"]["fields"].clone();
    assert!(fields["av1"].as_str().unwrap().contains("1 to 7"));
    assert!(fields["an2"].as_str().unwrap().contains("choose"));
    assert_eq!(fields.as_object().unwrap().len(), 19, "every missing item is named");

    // All 7s: anxiety has 3 reverse-keyed items (7 → 1): (7·7 + 3·1) / 10 = 5.2;
    // avoidance has 4: (6·7 + 4·1) / 10 = 4.6.
    let r = c.post_json(&url, json!({"answers": all_answers(&app, 7).await})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let first = r.json();
    let score = |v: &Value, d: &str| {
        v["scores"].as_array().unwrap().iter().find(|s| s["dimension"] == d).unwrap()["score"]
            .as_f64()
            .unwrap()
    };
    assert!((score(&first, "anxiety") - 5.2).abs() < 1e-9);
    assert!((score(&first, "avoidance") - 4.6).abs() < 1e-9);
    assert!(first["change_from_previous"].as_array().unwrap().is_empty());
    assert_eq!(first["region"]["title"], "Wanting closeness and finding it hard");

    let r = c.post_json(&url, json!({"answers": all_answers(&app, 2).await})).await;
    let second = r.json();
    let changes = second["change_from_previous"].as_array().unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0]["change"]["kind"], "unknown", "our own scale has no psychometrics");
    assert!(changes[0]["summary"].as_str().unwrap().starts_with("Your worry"), "{}", changes[0]["summary"]);
    assert!(
        second["unmeasured_change"].as_str().unwrap().contains("cannot tell"),
        "said once, beside the changes"
    );
    assert!(first["unmeasured_change"].is_null(), "nothing to judge on a first result");

    let list = c.get("/api/v1/results").await.json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let page = c.get(&format!("/know/results/{}", second["id"].as_str().unwrap())).await.body;
    assert!(page.contains("<svg class=\"plane\""));
    assert_eq!(page.matches("class=\"plane-then\"").count(), 1);
    assert_eq!(page.matches("class=\"plane-now\"").count(), 1);
    assert_eq!(
        page.matches("cannot tell").count(),
        1,
        "the reliability caveat is said once, under both changes"
    );
}

#[tokio::test]
async fn an_incomplete_form_keeps_every_answer() {
    let app = TestApp::spawn().await;
    let mut c = app.member("sky@example.org").await;
    let url = format!("/know/instruments/{SCALE}");
    let r = c.post_form(&url, &[("an1", "6"), ("av1", "2")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("name=\"an1\" value=\"6\" checked"));
    assert!(r.body.contains("name=\"av1\" value=\"2\" checked"));
    assert!(r.body.contains("id=\"an2-error\""));
    assert!(r.body.contains("18 statements need an answer"));
    // Progress shows without JavaScript: each statement says where it is.
    assert!(r.body.contains("<span class=\"item-number\">1 of 20.</span>"));
    assert!(r.body.contains("<span class=\"item-number\">20 of 20.</span>"));

    let answers: Vec<(String, String)> =
        all_answers(&app, 4).await.into_iter().map(|(k, v)| (k, v.to_string())).collect();
    let pairs: Vec<(&str, &str)> = answers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = c.post_form(&url, &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/know/results/"));
    let page = c.get(r.location()).await.body;
    assert!(page.contains("Near the middle on both"), "4 is the midpoint: neither side describes it");
    assert!(page.contains("<h1>Near the middle on both</h1>"), "the title names the middle, not a side");
    assert!(page.contains("This is your first result"));
}

#[tokio::test]
async fn results_belong_to_their_member_alone() {
    let app = TestApp::spawn().await;
    let mut owner = app.member("own@example.org").await;
    let other = app.member("oth@example.org").await;
    let r = owner
        .post_json(
            &format!("/api/v1/instruments/{SCALE}/responses"),
            json!({"answers": all_answers(&app, 5).await}),
        )
        .await;
    let id = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(other.get(&format!("/api/v1/results/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(other.get(&format!("/know/results/{id}")).await.status, StatusCode::NOT_FOUND);
    assert!(other.get("/api/v1/results").await.json().as_array().unwrap().is_empty());
    assert!(!other.get("/know").await.body.contains(&id));
    assert_eq!(app.client().get(&format!("/api/v1/results/{id}")).await.status, StatusCode::UNAUTHORIZED);

    let export = owner.export().await.json();
    assert_eq!(export["instrument_results"].as_array().unwrap().len(), 1);
    let me = owner.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    owner.send_json(axum::http::Method::DELETE, "/api/v1/me", json!({"password": common::PASSWORD})).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM instrument_results WHERE user_id = $1", &me).await, 0);
}

#[tokio::test]
async fn a_licensed_instrument_with_psychometrics_judges_change() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("instruments")).unwrap();
    let text = include_str!("../content/instruments/closeness-reflection.toml")
        .replace("id = \"closeness-reflection\"", "id = \"licensed\"")
        .replace(
            "title = \"Worry about the bond\"",
            "title = \"Worry about the bond\"\nreliability = 0.9\nsd = 1.0",
        );
    std::fs::write(dir.path().join("instruments").join("licensed.toml"), text).unwrap();
    std::fs::write(dir.path().join("instruments").join("broken.toml"), "id = \"broken\"\n").unwrap();
    let mut config = app.state.config.clone();
    config.data_dir = dir.path().to_path_buf();
    let state = securebase::app::AppState::new(config, app.state.db.clone());
    assert!(state.instruments.iter().any(|i| i.id == "licensed"));
    assert!(!state.instruments.iter().any(|i| i.id == "broken"), "a malformed file is skipped");
    let router = securebase::app::build_router(state);
    let mut c = app.member("lic@example.org").await.with_router(router);
    let answers = |v: i64| json!({"answers": (1..=10).flat_map(|n| [(format!("an{n}"), v), (format!("av{n}"), 4)]).collect::<BTreeMap<_, _>>()});
    c.post_json("/api/v1/instruments/licensed/responses", answers(2)).await;
    let r = c.post_json("/api/v1/instruments/licensed/responses", answers(6)).await;
    let changes = r.json()["change_from_previous"].clone();
    let anxiety = changes.as_array().unwrap().iter().find(|c| c["dimension"] == "anxiety").unwrap().clone();
    assert_eq!(anxiety["change"]["kind"], "reliable", "{anxiety}");
    assert!(anxiety["summary"].as_str().unwrap().contains("real change"));
    let avoidance =
        changes.as_array().unwrap().iter().find(|c| c["dimension"] == "avoidance").unwrap().clone();
    assert_eq!(avoidance["change"]["kind"], "unknown");
}

#[tokio::test]
async fn check_ins_are_saved_on_the_members_day_and_can_be_changed() {
    let app = TestApp::spawn().await;
    let mut c = app.member("tui@example.org").await;
    c.send_json(axum::http::Method::PATCH, "/api/v1/me", json!({"time_zone": "Pacific/Auckland"})).await;

    let r = c.post_json("/api/v1/checkins/today", json!({"values": {"closeness": 6}})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"]["fields"]["closeness"].as_str().unwrap().contains("1 to 5"));
    assert_eq!(
        c.post_json("/api/v1/checkins/moods", json!({"values": {}})).await.status,
        StatusCode::NOT_FOUND
    );

    let r = c
        .post_json("/api/v1/checkins/today", json!({"values": {"closeness": 4}, "note": "walk together"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let saved = r.json();
    let expected_day = securebase::clock::day_in_zone(securebase::clock::now(), "Pacific/Auckland");
    assert_eq!(saved["day"], expected_day);
    // Several a day are allowed.
    c.post_json("/api/v1/checkins/today", json!({"values": {"closeness": 2}})).await;
    let list = c.get("/api/v1/checkins/today").await.json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let none = c.get("/api/v1/checkins/today?from=2000-01-01&to=2000-12-31").await.json();
    assert!(none.as_array().unwrap().is_empty());

    let id = saved["id"].as_str().unwrap();
    let r = c
        .send_json(
            axum::http::Method::PUT,
            &format!("/api/v1/checkins/today/{id}"),
            json!({"values": {"closeness": 5}, "note": "better"}),
        )
        .await;
    assert_eq!(r.json()["values"]["closeness"], 5);
    assert_eq!(c.delete(&format!("/api/v1/checkins/today/{id}")).await.status, StatusCode::OK);
    assert_eq!(c.get("/api/v1/checkins/today").await.json().as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn another_members_check_in_is_not_found_anywhere() {
    let app = TestApp::spawn().await;
    let mut owner = app.member("ow@example.org").await;
    let mut other = app.member("ot@example.org").await;
    let r = owner
        .post_json("/api/v1/checkins/today", json!({"values": {"closeness": 3}, "note": "private words"}))
        .await;
    let id = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(other.get(&format!("/know/checkins/today/{id}")).await.status, StatusCode::NOT_FOUND);
    let r = other
        .send_json(
            axum::http::Method::PUT,
            &format!("/api/v1/checkins/today/{id}"),
            json!({"values": {"closeness": 1}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(other.delete(&format!("/api/v1/checkins/today/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        other.post_form(&format!("/know/checkins/today/{id}/delete"), &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(other.get("/api/v1/checkins/today").await.json().as_array().unwrap().is_empty());
    assert!(!other.get("/dashboard").await.body.contains("private words"));
    assert!(!other.get("/api/v1/me/results.csv").await.body.contains("private words"));
    assert_eq!(owner.get("/api/v1/checkins/today").await.json()[0]["note"], "private words");
}

#[tokio::test]
async fn the_check_in_form_keeps_values_and_the_dashboard_charts_them() {
    let app = TestApp::spawn().await;
    let mut c = app.member("ula@example.org").await;
    let r =
        c.post_form("/know/checkins/needs", &[("warmth", "3"), ("honesty", "9"), ("note", "repair")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("name=\"warmth\" value=\"3\" checked"));
    assert!(r.body.contains("id=\"repair-error\""));
    assert!(r.body.contains("<option value=\"repair\" selected>"));

    let needs = [
        ("responsiveness", "6"),
        ("consistency", "7"),
        ("repair", "2"),
        ("validation", "5"),
        ("warmth", "3"),
        ("accountability", "8"),
        ("honesty", "9"),
        ("trustworthiness", "9"),
        ("accessibility", "4"),
        ("mutual-care", "7"),
        ("note", "repair"),
    ];
    let r = c.post_form("/know/checkins/needs", &needs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    c.post_json("/api/v1/checkins/today", json!({"values": {"closeness": 4}})).await;

    let page = c.get("/dashboard?range=week").await.body;
    // One check-in in the range is written as its value, not drawn as a lone dot.
    assert!(!page.contains("<svg class=\"chart\""));
    assert!(page.contains("<p class=\"chart-single\"><strong>4.0</strong>"), "{page}");
    assert!(page.contains("Needs that have felt least met"));
    let least = page.find("<strong>Repair</strong>").unwrap();
    assert!(least < page.find("<strong>Warmth</strong>").unwrap(), "lowest first");
    let api = c.get("/api/v1/dashboard?range=all").await.json();
    let today = api["series"].as_array().unwrap().iter().find(|s| s["kind"] == "today").unwrap();
    assert_eq!(today["points"].as_array().unwrap().len(), 1);
    assert_eq!(api["least_met_needs"][0]["need"], "repair");
}

#[tokio::test]
async fn the_csv_is_formula_safe_and_export_and_deletion_include_check_ins() {
    let app = TestApp::spawn().await;
    let mut c = app.member("vi@example.org").await;
    c.post_json(
        "/api/v1/checkins/today",
        json!({"values": {"closeness": 2}, "note": "=HYPERLINK(\"http://evil\")"}),
    )
    .await;
    let r = c.get("/api/v1/me/results.csv").await;
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    assert!(r.body.starts_with("type,source,date,item,value,note\r\n"));
    assert!(r.body.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""), "{}", r.body);
    assert!(!r.body.contains(",=HYPERLINK"));
    let export = c.export().await.json();
    assert_eq!(export["checkins"].as_array().unwrap().len(), 1);
    let me = c.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    c.send_json(axum::http::Method::DELETE, "/api/v1/me", json!({"password": common::PASSWORD})).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM checkins WHERE user_id = $1", &me).await, 0);
}

/// The monthly sums the dashboard's long ranges read, as a direct aggregate of
/// the member's check-ins would give them: (kind, month, sum, count).
async fn months_kept_and_computed(
    app: &TestApp,
    user_id: &str,
) -> (Vec<(String, String, f64, i64)>, Vec<(String, String, f64, i64)>) {
    let kept = sqlx::query_as(
        "SELECT kind, month, total, n FROM checkin_months WHERE user_id = $1 ORDER BY kind, month",
    )
    .bind(user_id)
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    let computed = sqlx::query_as(
        "SELECT kind, SUBSTR(day, 1, 7) AS month, SUM(score), COUNT(*) FROM checkins WHERE user_id = $1
         GROUP BY kind, SUBSTR(day, 1, 7) ORDER BY kind, month",
    )
    .bind(user_id)
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    (kept, computed)
}

#[tokio::test]
async fn monthly_sums_follow_every_write_and_the_long_ranges_read_them() {
    let app = TestApp::spawn().await;
    let mut c = app.member("wen@example.org").await;
    let me = c.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    let mut ids = Vec::new();
    for closeness in [2, 4, 5] {
        let r = c.post_json("/api/v1/checkins/today", json!({"values": {"closeness": closeness}})).await;
        ids.push(r.json()["id"].as_str().unwrap().to_owned());
    }
    // Two of them moved back to earlier months, as if written then.
    app.exec("UPDATE checkins SET day = '2025-03-14' WHERE id = $1", &[&ids[0]]).await;
    app.exec("UPDATE checkins SET day = '2025-05-02' WHERE id = $1", &[&ids[1]]).await;
    let (kept, computed) = months_kept_and_computed(&app, &me).await;
    assert_eq!(kept.len(), 3, "{kept:?}");
    assert_eq!(kept, computed);

    // Edited, deleted and brought back with Undo: the sums follow each time.
    c.send_json(
        axum::http::Method::PUT,
        &format!("/api/v1/checkins/today/{}", ids[1]),
        json!({"values": {"closeness": 1}}),
    )
    .await;
    let (kept, computed) = months_kept_and_computed(&app, &me).await;
    assert_eq!(kept, computed);
    assert!(
        kept.iter().any(|(_, month, total, n)| month == "2025-05" && *total == 1.0 && *n == 1),
        "{kept:?}"
    );
    let undo = c.delete(&format!("/api/v1/checkins/today/{}", ids[0])).await.json();
    let (kept, computed) = months_kept_and_computed(&app, &me).await;
    assert_eq!(kept, computed);
    assert!(!kept.iter().any(|(_, month, _, _)| month == "2025-03"), "an emptied month goes: {kept:?}");
    c.post_json(&format!("/api/v1/undo/{}", undo["undo_id"].as_str().unwrap()), json!({})).await;
    let (kept, computed) = months_kept_and_computed(&app, &me).await;
    assert_eq!(kept, computed);
    assert_eq!(kept.len(), 3);

    // "All" is drawn by month from the sums: oldest first, each month's mean.
    let api = c.get("/api/v1/dashboard?range=all").await.json();
    let today = api["series"].as_array().unwrap().iter().find(|s| s["kind"] == "today").unwrap();
    let points = today["points"].as_array().unwrap();
    assert_eq!(points.len(), 3, "{points:?}");
    assert_eq!(points[0], json!(["2025-03-01", 2.0]));
    assert_eq!(points[1], json!(["2025-05-01", 1.0]));

    c.send_json(axum::http::Method::DELETE, "/api/v1/me", json!({"password": common::PASSWORD})).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM checkin_months WHERE user_id = $1", &me).await, 0);
}

/// The dashboard reads everything in one statement: each part of it is the
/// member's own, whatever another member has written.
#[tokio::test]
async fn the_dashboard_shows_its_member_alone() {
    let app = TestApp::spawn().await;
    let mut owner = app.member("yara@example.org").await;
    let mut other = app.member("zed@example.org").await;
    let url = format!("/api/v1/instruments/{SCALE}/responses");
    for value in [2, 6] {
        let r = owner.post_json(&url, json!({"answers": all_answers(&app, value).await})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let needs = |low: &str| {
        let mut values: BTreeMap<String, i64> = [
            "responsiveness",
            "consistency",
            "repair",
            "validation",
            "warmth",
            "accountability",
            "honesty",
            "trustworthiness",
            "accessibility",
            "mutual-care",
        ]
        .iter()
        .map(|n| (n.to_string(), 8))
        .collect();
        values.insert(low.to_owned(), 1);
        json!({ "values": values })
    };
    assert_eq!(owner.post_json("/api/v1/checkins/needs", needs("repair")).await.status, StatusCode::CREATED);
    assert_eq!(other.post_json("/api/v1/checkins/needs", needs("honesty")).await.status, StatusCode::CREATED);
    let r = owner.post_json("/api/v1/returns", json!({"text": "We found our way back"})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    for closeness in [2, 5] {
        let r = owner.post_json("/api/v1/checkins/today", json!({"values": {"closeness": closeness}})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }

    let mine = owner.get("/api/v1/dashboard").await.json();
    assert_eq!(mine["least_met_needs"][0]["need"], "repair", "{mine}");
    assert_eq!(mine["least_met_needs"][0]["mean"], 1.0);
    let counts: i64 =
        mine["returns_by_month"].as_array().unwrap().iter().map(|m| m["count"].as_i64().unwrap()).sum();
    assert_eq!(counts, 1);
    let today = mine["series"].as_array().unwrap().iter().find(|s| s["kind"] == "today").unwrap();
    assert_eq!(today["points"].as_array().unwrap().len(), 1);
    assert_eq!(today["points"][0][1], 3.5, "the day's mean");
    let page = owner.get("/dashboard").await.body;
    assert_eq!(page.matches("class=\"plane-then\"").count(), 1, "the earlier result, on the trail");
    assert_eq!(page.matches("class=\"plane-now\"").count(), 1);

    let theirs = other.get("/api/v1/dashboard").await.json();
    assert_eq!(theirs["least_met_needs"][0]["need"], "honesty", "{theirs}");
    assert_eq!(theirs["least_met_needs"][0]["mean"], 1.0, "nothing of the owner's is averaged in");
    assert!(theirs["returns_by_month"].as_array().unwrap().is_empty());
    let today = theirs["series"].as_array().unwrap().iter().find(|s| s["kind"] == "today").unwrap();
    assert!(today["points"].as_array().unwrap().is_empty());
    let page = other.get("/dashboard").await.body;
    assert!(!page.contains("<svg class=\"plane\""));
    assert!(page.contains("Take the <a href=\"/know/instruments/closeness-reflection\">"));

    // The long ranges read the monthly sums: the same, member by member.
    let today_points = |dashboard: &Value| {
        let series = dashboard["series"].as_array().unwrap().iter().find(|s| s["kind"] == "today").unwrap();
        series["points"].as_array().unwrap().clone()
    };
    let mine = owner.get("/api/v1/dashboard?range=all").await.json();
    let points = today_points(&mine);
    assert_eq!(points.len(), 1, "{mine}");
    assert_eq!(points[0][1], 3.5, "the month's mean");
    assert_eq!(mine["least_met_needs"][0]["need"], "repair");
    let theirs = other.get("/api/v1/dashboard?range=year").await.json();
    assert!(today_points(&theirs).is_empty(), "{theirs}");
    assert_eq!(theirs["least_met_needs"][0]["need"], "honesty");
    assert!(theirs["returns_by_month"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_planes_trail_shows_the_latest_two_hundred_results() {
    let app = TestApp::spawn().await;
    let mut owner = app.member("wren@example.org").await;
    let url = format!("/api/v1/instruments/{SCALE}/responses");
    let r = owner.post_json(&url, json!({"answers": all_answers(&app, 3).await})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let me = owner.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    // 205 older results, a day apart: the 199th back at the far corner (7, 7),
    // the six oldest at the near one (1, 1), the rest as the first.
    app.exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 205)
         INSERT INTO instrument_results (id, user_id, instrument_id, answers, scores, taken_at)
         SELECT 'older-' || CAST(n.i AS TEXT), r.user_id, r.instrument_id, r.answers,
                CASE WHEN n.i = 199 THEN '{\"anxiety\":7.0,\"avoidance\":7.0}'
                     WHEN n.i >= 200 THEN '{\"anxiety\":1.0,\"avoidance\":1.0}'
                     ELSE r.scores END,
                r.taken_at - n.i * 86400
         FROM n, instrument_results r WHERE r.user_id = $1",
        &[&me],
    )
    .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM instrument_results WHERE user_id = $1", &me).await, 206);
    let page = owner.get("/dashboard").await.body;
    assert_eq!(page.matches("class=\"plane-now\"").count(), 1, "the latest result");
    assert_eq!(page.matches("class=\"plane-then\"").count(), 199, "199 before it");
    assert!(page.contains(": discomfort 7.0, worry 7.0</title></circle>"), "the 200th latest is drawn");
    assert!(!page.contains("discomfort 1.0, worry 1.0"), "the six oldest are left out");
}

/// A member's dashboard is kept between their requests and used again only
/// while nothing it was drawn from has changed: every kind of write, made on
/// another instance, shows on the very next request here.
#[tokio::test]
async fn a_kept_dashboard_gives_way_to_any_write_on_any_instance() {
    let app = TestApp::spawn().await;
    let other = app.second_instance().await;
    let mut here = app.member("kit@example.org").await;
    let mut there = here.with_router(other.router.clone());
    let me = here.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    let today_points = |dashboard: &Value| {
        let series = dashboard["series"].as_array().unwrap().iter().find(|s| s["kind"] == "today").unwrap();
        series["points"].as_array().unwrap().iter().map(|p| p[1].as_f64().unwrap()).collect::<Vec<_>>()
    };
    let week = "/api/v1/dashboard?range=week";
    assert!(today_points(&here.get(week).await.json()).is_empty());
    let page = here.get("/dashboard?range=week").await.body;
    assert!(page.contains("No check-ins in this range yet"));
    assert_eq!(app.state.member_copies.len(), 2, "the week's page and its JSON, kept");

    // Each write on the other instance shows here at once, on the page and in the API.
    let r = there.post_json("/api/v1/checkins/today", json!({"values": {"closeness": 4}})).await;
    let id = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(today_points(&here.get(week).await.json()), [4.0]);
    assert!(here.get("/dashboard?range=week").await.body.contains("<strong>4.0</strong>"));
    let edit = format!("/api/v1/checkins/today/{id}");
    there.send_json(axum::http::Method::PUT, &edit, json!({"values": {"closeness": 2}})).await;
    assert_eq!(today_points(&here.get(week).await.json()), [2.0]);
    assert!(here.get("/dashboard?range=week").await.body.contains("<strong>2.0</strong>"));
    let undo = there.delete(&edit).await.json();
    assert!(today_points(&here.get(week).await.json()).is_empty());
    there.post_json(&format!("/api/v1/undo/{}", undo["undo_id"].as_str().unwrap()), json!({})).await;
    assert_eq!(today_points(&here.get(week).await.json()), [2.0]);
    let r = there.post_json("/api/v1/returns", json!({"text": "We found our way back"})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let counts = here.get(week).await.json()["returns_by_month"].clone();
    assert_eq!(counts.as_array().unwrap().iter().map(|m| m["count"].as_i64().unwrap()).sum::<i64>(), 1);
    let url = format!("/api/v1/instruments/{SCALE}/responses");
    let r = there.post_json(&url, json!({"answers": all_answers(&app, 3).await})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(here.get("/dashboard?range=week").await.body.matches("class=\"plane-now\"").count(), 1);
    // A write by any other path than the app's own (here, by hand) too.
    app.exec("DELETE FROM instrument_results WHERE user_id = $1", &[&me]).await;
    assert!(!here.get("/dashboard?range=week").await.body.contains("class=\"plane-now\""));

    // While nothing changes, the kept copy is what is shown: a score changed
    // by hand, with the version put back, is not seen...
    here.get(week).await;
    let version_sql = "SELECT version FROM dashboard_versions WHERE user_id = $1";
    let put_back = "UPDATE dashboard_versions SET version = CAST($1 AS BIGINT) WHERE user_id = $2";
    let before = app.count(version_sql, &me).await;
    app.exec("UPDATE checkins SET score = 9 WHERE user_id = $1", &[&me]).await;
    assert!(app.count(version_sql, &me).await > before, "an update by hand raises the version");
    app.exec(put_back, &[&before.to_string(), &me]).await;
    assert_eq!(today_points(&here.get(week).await.json()), [2.0], "kept");
    // ...until the member's time zone (or day) is another...
    let zone = "Pacific/Kiritimati";
    let r = here.send_json(axum::http::Method::PATCH, "/api/v1/me", json!({"time_zone": zone})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let zone_day = securebase::clock::day_in_zone(securebase::clock::now(), zone);
    let afresh = here.get(week).await.json();
    assert_eq!(today_points(&afresh), [9.0], "drawn afresh for the new zone");
    assert_eq!(afresh["series"][0]["to"], zone_day.as_str());
    let saved_day = afresh["series"][0]["points"][0][0].as_str().unwrap().to_owned();
    // ...or the next write comes, from anywhere.
    let before = app.count(version_sql, &me).await;
    app.exec("UPDATE checkins SET score = 3 WHERE user_id = $1", &[&me]).await;
    app.exec(put_back, &[&before.to_string(), &me]).await;
    assert_eq!(today_points(&here.get(week).await.json()), [9.0], "kept");
    let r = there.post_json("/api/v1/checkins/today", json!({"values": {"closeness": 5}})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // The new check-in is dated in the new zone: the same day as the first, or the next.
    let expect: &[f64] = if saved_day == zone_day { &[4.0] } else { &[3.0, 5.0] };
    assert_eq!(today_points(&here.get(week).await.json()), expect);
}

/// Every write to what the dashboard is drawn from raises the member's
/// version, by whatever path, and nobody else's.
#[tokio::test]
async fn every_write_the_dashboard_is_drawn_from_raises_its_version() {
    let app = TestApp::spawn().await;
    let mut c = app.member("oak@example.org").await;
    let bystander = app.member("pia@example.org").await;
    let me = c.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    let them = bystander.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    let version_sql = "SELECT version FROM dashboard_versions WHERE user_id = $1";
    assert_eq!(app.count("SELECT COUNT(*) FROM dashboard_versions WHERE user_id = $1", &them).await, 1);
    let theirs = app.count(version_sql, &them).await;
    let mut last = app.count(version_sql, &me).await;
    let mut raised = |app_version: i64, what: &str| {
        assert!(app_version > last, "{what}: {app_version} after {last}");
        last = app_version;
    };
    let r = c.post_json("/api/v1/checkins/today", json!({"values": {"closeness": 3}})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    raised(app.count(version_sql, &me).await, "a check-in saved");
    let r = c.post_json("/api/v1/returns", json!({"text": "We came back to it"})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    raised(app.count(version_sql, &me).await, "a moment of return saved");
    let url = format!("/api/v1/instruments/{SCALE}/responses");
    let r = c.post_json(&url, json!({"answers": all_answers(&app, 4).await})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    raised(app.count(version_sql, &me).await, "a result saved");
    for sql in [
        "UPDATE checkins SET note = 'changed' WHERE user_id = $1",
        "UPDATE moments_of_return SET text = 'changed' WHERE user_id = $1",
        "UPDATE instrument_results SET taken_at = taken_at - 60 WHERE user_id = $1",
        "DELETE FROM checkins WHERE user_id = $1",
        "DELETE FROM moments_of_return WHERE user_id = $1",
        "DELETE FROM instrument_results WHERE user_id = $1",
    ] {
        app.exec(sql, &[&me]).await;
        raised(app.count(version_sql, &me).await, sql);
    }
    assert_eq!(app.count(version_sql, &them).await, theirs, "nobody else's");

    // A row moved to another member (by hand; the app never does) raises both.
    let r = c.post_json("/api/v1/returns", json!({"text": "Moved away"})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    raised(app.count(version_sql, &me).await, "a moment of return saved again");
    app.exec("UPDATE moments_of_return SET user_id = $1 WHERE user_id = $2", &[&them, &me]).await;
    raised(app.count(version_sql, &me).await, "a row moved away");
    assert!(app.count(version_sql, &them).await > theirs, "and the member it moved to");

    // Without a version, a dashboard is drawn afresh each time and none is kept.
    app.exec("DELETE FROM dashboard_versions WHERE user_id = $1", &[&me]).await;
    let r = c.post_json("/api/v1/checkins/today", json!({"values": {"closeness": 5}})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    for _ in 0..2 {
        assert!(c.get("/dashboard?range=week").await.body.contains("<strong>5.0</strong>"));
    }
    assert!(app.state.member_copies.is_empty());
}

/// Kept dashboards are each member's own, and none is kept when the setting is 0.
#[tokio::test]
async fn a_kept_dashboard_is_its_members_alone() {
    let app = TestApp::spawn().await;
    let mut owner = app.member("lark@example.org").await;
    let mut other = app.member("moss@example.org").await;
    let r = owner
        .post_json("/api/v1/checkins/today", json!({"values": {"closeness": 4}, "note": "private"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = other.post_json("/api/v1/checkins/today", json!({"values": {"closeness": 2}})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // The same version for both, by hand: only the key tells their copies apart.
    let ids = [owner.get("/api/v1/me").await.json(), other.get("/api/v1/me").await.json()]
        .map(|me| me["id"].as_str().unwrap().to_owned());
    app.exec("UPDATE dashboard_versions SET version = 7 WHERE user_id IN ($1, $2)", &[&ids[0], &ids[1]])
        .await;
    for range in ["week", "quarter", "year", "all"] {
        let mine = owner.get(&format!("/dashboard?range={range}")).await.body;
        assert!(mine.contains("<strong>4.0</strong>"), "{range}: {mine}");
        let theirs = other.get(&format!("/dashboard?range={range}")).await.body;
        assert!(
            theirs.contains("<strong>2.0</strong>") && !theirs.contains("<strong>4.0</strong>"),
            "{range}"
        );
        let theirs = other.get(&format!("/api/v1/dashboard?range={range}")).await.body;
        assert!(theirs.contains("2.0") && !theirs.contains("4.0"), "{range}: {theirs}");
    }
    assert_eq!(app.state.member_copies.len(), 12, "four pages for each, and the other's JSON");
    owner.send_json(axum::http::Method::DELETE, "/api/v1/me", json!({"password": common::PASSWORD})).await;
    assert_eq!(app.state.member_copies.len(), 8, "a deleted account's are forgotten at once");

    let off = TestApp::spawn_with(&[("SECUREBASE_MEMBER_CACHE_MS", "0")]).await;
    let mut c = off.member("nell@example.org").await;
    c.post_json("/api/v1/checkins/today", json!({"values": {"closeness": 3}})).await;
    assert!(c.get("/dashboard?range=week").await.body.contains("<strong>3.0</strong>"));
    assert!(off.state.member_copies.is_empty());
}
