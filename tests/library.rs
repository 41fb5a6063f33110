//! The library: memberships checked on every byte range, codes, signed
//! payment webhooks, tus uploads that leave nothing behind when refused or
//! cancelled, range streaming, transcripts in captions and members' search
//! only, resume, notes, export and deletion, and who may reach each route.

mod common;

use axum::http::{Method, StatusCode};
use common::{Client, TestApp};
use securebase::features::library::stripe;
use securebase::web::Role;
use serde_json::json;

/// A real recording (MP4, 78 s) from the demo content.
fn fixture() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/content/library/the-dance-we-get-stuck-in.mp4"))
        .unwrap()
}

fn fixture_vtt() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/content/library/the-dance-we-get-stuck-in.vtt"))
        .unwrap()
}

const TUS: (&str, &str) = ("tus-resumable", "1.0.0");

/// Starts a tus upload; returns its path.
async fn create_upload(coach: &mut Client, length: usize, metadata: &str) -> String {
    let length = length.to_string();
    let r = coach
        .request(
            Method::POST,
            "/coach/library/uploads",
            None,
            String::new(),
            &[TUS, ("upload-length", &length), ("upload-metadata", metadata)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.location().to_owned()
}

async fn patch(coach: &mut Client, at: &str, offset: usize, bytes: &[u8]) -> common::TestResponse {
    let offset = offset.to_string();
    coach
        .request_bytes(
            Method::PATCH,
            at,
            Some("application/offset+octet-stream"),
            bytes.to_vec(),
            &[TUS, ("upload-offset", &offset)],
        )
        .await
}

/// Uploads, describes and publishes the fixture; returns the recording's id.
async fn publish_fixture(coach: &mut Client, title: &str) -> String {
    let bytes = fixture();
    let at = create_upload(coach, bytes.len(), "filename dGhlLWRhbmNlLm1wNA==").await;
    let r = patch(coach, &at, 0, &bytes).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let page = r.header("upload-recording").expect("the final answer names the recording").to_owned();
    let id = page.rsplit('/').next().unwrap().to_owned();
    let r = coach
        .post_form(
            &page,
            &[
                ("title", title),
                ("description", "The pursue and withdraw loop."),
                ("session_date", "2026-10-07"),
                ("series", "Together in practice"),
                ("topic", "negative cycles"),
                ("other_topics", ""),
                ("chapters", "0:00 The loop\n0:46 The common enemy"),
                ("published", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    id
}

fn multipart(field: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----securebase-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: text/vtt\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn add_transcript(coach: &mut Client, id: &str, vtt: &[u8]) -> common::TestResponse {
    let (content_type, body) = multipart("transcript", "session.vtt", vtt);
    coach
        .request_bytes(
            Method::POST,
            &format!("/coach/library/{id}/transcript"),
            Some(&content_type),
            body,
            &[],
        )
        .await
}

async fn range(c: &Client, id: &str, range: &str) -> common::TestResponse {
    c.clone()
        .request(Method::GET, &format!("/library/{id}/media"), None, String::new(), &[("range", range)])
        .await
}

/// Files left under the media folder's `uploads/`.
fn leftover_parts(app: &TestApp) -> usize {
    let dir = app.state.config.data_dir.join("media").join("uploads");
    walk(&dir)
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum())
        .unwrap_or(0)
}

async fn member_id(c: &Client) -> String {
    c.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn access_is_checked_on_every_range_and_ends_at_the_next_one() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("coach@example.org", Role::Coach).await;
    let id = publish_fixture(&mut coach, "The dance we get stuck in").await;
    let sam = app.member("sam@example.org").await;

    // Without a membership: a kind join page, never a bare refusal, and no bytes.
    let r = sam.get("/library").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("How to join") && r.body.contains("Have a code?"), "{}", r.body);
    assert!(!r.body.contains("The dance we get stuck in"), "the join page lists no titles");
    let r = sam.get(&format!("/library/{id}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("Have a code?") && !r.body.contains("The dance we get stuck in"));
    assert_eq!(range(&sam, &id, "bytes=0-99").await.status, StatusCode::FORBIDDEN);
    assert_eq!(sam.get("/api/v1/library").await.json()["access"], false);
    assert_eq!(sam.get(&format!("/api/v1/library/recordings/{id}")).await.status, StatusCode::FORBIDDEN);

    // The coach grants access; the player gets its ranges.
    let r =
        coach.post_form("/coach/library/access/grant", &[("email", "sam@example.org"), ("days", "")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = range(&sam, &id, "bytes=0-99").await;
    assert_eq!(r.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(r.bytes, fixture()[..100]);
    let page = sam.get(&format!("/library/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("The dance we get stuck in") && page.body.contains("0:46"), "chapters show");

    // Revoked: the very next range is refused, on this instance and another.
    let sam_id = member_id(&sam).await;
    let r = coach.post_form(&format!("/coach/library/access/{sam_id}/revoke"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(range(&sam, &id, "bytes=100-199").await.status, StatusCode::FORBIDDEN);
    let other = app.second_instance().await;
    assert_eq!(
        range(&sam.with_router(other.router.clone()), &id, "bytes=100-199").await.status,
        StatusCode::FORBIDDEN
    );
    let r = sam.get("/library").await;
    assert!(r.body.contains("Your membership has ended."), "{}", r.body);

    // Renewed for a day, then the day passes: refused again, and the page says when it ended.
    let r = coach.post_form(&format!("/coach/library/access/{sam_id}/extend"), &[("days", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(range(&sam, &id, "bytes=0-0").await.status, StatusCode::PARTIAL_CONTENT);
    app.exec("UPDATE library_memberships SET expires_at = 1000 WHERE member_id = $1", &[&sam_id]).await;
    assert_eq!(range(&sam, &id, "bytes=0-0").await.status, StatusCode::FORBIDDEN);
    assert!(sam.get("/library").await.body.contains("Your membership ended on"));
}

#[tokio::test]
async fn unpublishing_or_deleting_stops_the_very_next_range() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("coach@example.org", Role::Coach).await;
    let id = publish_fixture(&mut coach, "Soon a draft").await;
    let sam = app.member("sam@example.org").await;
    coach.post_form("/coach/library/access/grant", &[("email", "sam@example.org"), ("days", "")]).await;
    // Ranges in quick succession (the recording's facts are kept for a moment).
    for _ in 0..3 {
        assert_eq!(range(&sam, &id, "bytes=0-99").await.status, StatusCode::PARTIAL_CONTENT);
    }
    let edit = format!("/coach/library/{id}");
    let r = coach.post_form(&edit, &[("title", "Soon a draft"), ("session_date", "2026-10-07")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(range(&sam, &id, "bytes=0-99").await.status, StatusCode::NOT_FOUND, "a draft at once");
    assert_eq!(
        range(&coach, &id, "bytes=0-99").await.status,
        StatusCode::PARTIAL_CONTENT,
        "coaches see drafts"
    );
    coach
        .post_form(&edit, &[("title", "Soon a draft"), ("session_date", "2026-10-07"), ("published", "on")])
        .await;
    assert_eq!(range(&sam, &id, "bytes=0-99").await.bytes, fixture()[..100]);
    // A note Sam deleted cannot come back once its recording is gone.
    let mut sam = sam;
    let r = sam
        .post_json(
            &format!("/api/v1/library/recordings/{id}/notes"),
            json!({"at_seconds": 3, "text": "pinned"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let note_id = r.json()["id"].as_str().unwrap().to_owned();
    let undo = sam.delete(&format!("/api/v1/library/notes/{note_id}")).await.json()["undo_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = coach.post_form(&format!("/coach/library/{id}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(range(&sam, &id, "bytes=0-99").await.status, StatusCode::NOT_FOUND);
    assert_eq!(range(&coach, &id, "bytes=0-99").await.status, StatusCode::NOT_FOUND);
    assert_eq!(sam.post_json(&format!("/api/v1/undo/{undo}"), json!({})).await.status, StatusCode::GONE);
    assert_eq!(app.count("SELECT COUNT(*) FROM library_notes WHERE id = $1", &note_id).await, 0);
}

#[tokio::test]
async fn ranges_follow_the_http_rules() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("coach@example.org", Role::Coach).await;
    let id = publish_fixture(&mut coach, "Ranges").await;
    let bytes = fixture();
    let total = bytes.len();

    let whole = coach.get(&format!("/library/{id}/media")).await;
    assert_eq!(whole.status, StatusCode::OK);
    assert_eq!(whole.bytes, bytes);
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    assert_eq!(whole.header("content-type"), Some("video/mp4"));
    assert_eq!(whole.header("cache-control"), Some("private, no-cache"));
    assert!(whole.header("content-encoding").is_none(), "media is never compressed");
    let etag = whole.header("etag").unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.len() > 10, "a strong ETag: {etag}");

    let cases: [(String, usize, usize); 5] = [
        ("bytes=0-1023".into(), 0, 1023),
        ("bytes=200000-200999".into(), 200_000, 200_999),
        (format!("bytes={}-", total - 10), total - 10, total - 1),
        ("bytes=-500".into(), total - 500, total - 1),
        (format!("bytes={}-{}", total - 1, total + 50), total - 1, total - 1),
    ];
    for (header, start, end) in cases {
        let r = range(&coach, &id, &header).await;
        assert_eq!(r.status, StatusCode::PARTIAL_CONTENT, "{header}");
        assert_eq!(r.header("content-range").unwrap(), format!("bytes {start}-{end}/{total}"), "{header}");
        assert_eq!(r.header("content-length").unwrap(), (end - start + 1).to_string());
        assert_eq!(r.bytes, bytes[start..=end], "{header}");
    }
    let r = range(&coach, &id, &format!("bytes={total}-")).await;
    assert_eq!(r.status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(r.header("content-range").unwrap(), format!("bytes */{total}"));
    let r = range(&coach, &id, "bytes=abc").await;
    assert_eq!((r.status, r.bytes.len()), (StatusCode::OK, total), "an invalid range gets the whole file");

    // If-Range: the same version gets the range; another version gets everything.
    let uri = format!("/library/{id}/media");
    let r = coach
        .clone()
        .request(Method::GET, &uri, None, String::new(), &[("range", "bytes=0-9"), ("if-range", &etag)])
        .await;
    assert_eq!((r.status, r.bytes.len()), (StatusCode::PARTIAL_CONTENT, 10));
    let r = coach
        .clone()
        .request(
            Method::GET,
            &uri,
            None,
            String::new(),
            &[("range", "bytes=0-9"), ("if-range", "\"another\"")],
        )
        .await;
    assert_eq!((r.status, r.bytes.len()), (StatusCode::OK, total));
    let r = coach.clone().request(Method::GET, &uri, None, String::new(), &[("if-none-match", &etag)]).await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    assert!(r.bytes.is_empty());
}

#[tokio::test]
async fn uploads_are_recognised_by_content_and_refused_ones_leave_nothing() {
    let app = TestApp::spawn_with(&[("SECUREBASE_UPLOAD_MAX_BYTES", "1048576")]).await;
    let mut coach = app.with_role("coach@example.org", Role::Coach).await;
    let mut member = app.member("member@example.org").await;
    let recordings = "SELECT COUNT(*) FROM library_recordings WHERE $1 = $1";
    let uploads = "SELECT COUNT(*) FROM library_uploads WHERE $1 = $1";

    // Only coaches upload.
    let r = member
        .request(
            Method::POST,
            "/coach/library/uploads",
            None,
            String::new(),
            &[TUS, ("upload-length", "100")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // One byte over the limit: refused before anything is stored, with the limit named.
    let r = coach
        .request(
            Method::POST,
            "/coach/library/uploads",
            None,
            String::new(),
            &[TUS, ("upload-length", "1048577")],
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("limit of 1 MiB"), "{}", r.body);

    // A PNG named .mp4: refused by its bytes; the upload and its bytes are gone.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.resize(4096, 0);
    let at = create_upload(&mut coach, png.len(), "filename bW92aWUubXA0").await;
    let r = patch(&mut coach, &at, 0, &png).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(r.body.contains("not a recording we can play"), "{}", r.body);
    assert_eq!(app.count(uploads, "x").await, 0);
    assert_eq!(leftover_parts(&app), 0);
    assert_eq!(
        coach.clone().request(Method::HEAD, &at, None, String::new(), &[TUS]).await.status,
        StatusCode::NOT_FOUND
    );

    // Names that try to climb out of the folder become a plain title; ids are UUIDs or nothing.
    let bytes = fixture();
    let traversal = "filename Li4vLi4vZXRjL3Bhc3N3ZC5tcDQ="; // ../../etc/passwd.mp4
    let at = create_upload(&mut coach, bytes.len(), traversal).await;
    for bad in ["/coach/library/uploads/..%2F..%2Fsecurebase.db", "/coach/library/uploads/not-a-uuid"] {
        let r = patch(&mut coach, bad, 0, &bytes[..100]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
    }

    // Interrupted half-way, asked where it got to, resumed: one recording with the right bytes.
    let half = bytes.len() / 2;
    assert_eq!(patch(&mut coach, &at, 0, &bytes[..half]).await.status, StatusCode::NO_CONTENT);
    let r = coach.clone().request(Method::HEAD, &at, None, String::new(), &[TUS]).await;
    assert_eq!(r.header("upload-offset"), Some(half.to_string().as_str()));
    let r = patch(&mut coach, &at, 0, &bytes[..10]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "a stale offset is refused with the real one");
    assert_eq!(r.header("upload-offset"), Some(half.to_string().as_str()));
    let r = patch(&mut coach, &at, half, &bytes[half..]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let page = r.header("upload-recording").unwrap().to_owned();
    let id = page.rsplit('/').next().unwrap().to_owned();
    let edit = coach.get(&page).await;
    assert!(edit.body.contains("passwd") && !edit.body.contains("../"), "the title is the plain name");
    assert!(edit.body.contains("1:18"), "the length is read from the MP4: {}", edit.body);
    assert_eq!(coach.get(&format!("/library/{id}/media")).await.bytes, bytes);
    assert_eq!(leftover_parts(&app), 0, "parts are removed once joined");
    assert_eq!(app.count(recordings, "x").await, 1);
    // The last piece sent again (a retry after a lost answer) makes no second recording.
    let r = patch(&mut coach, &at, bytes.len(), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count(recordings, "x").await, 1);

    // Two requests racing for the same offset: one wins, the other's bytes never replace its part.
    let at = create_upload(&mut coach, bytes.len(), "").await;
    let (mut one, mut two) = (coach.clone(), coach.clone());
    let (a, b) =
        tokio::join!(patch(&mut one, &at, 0, &bytes[..half]), patch(&mut two, &at, 0, &bytes[..half]));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::NO_CONTENT, StatusCode::CONFLICT]);
    let r = patch(&mut coach, &at, half, &bytes[half..]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let raced = r.header("upload-recording").unwrap().rsplit('/').next().unwrap().to_owned();
    assert_eq!(coach.get(&format!("/library/{raced}/media")).await.bytes, bytes);
    assert_eq!(leftover_parts(&app), 0);

    // A connection that drops mid-way keeps what arrived; the upload carries on from there.
    let at = create_upload(&mut coach, bytes.len(), "").await;
    let first = bytes[..150_000].to_vec();
    let pieces: Vec<Result<Vec<u8>, std::io::Error>> =
        vec![Ok(first), Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "dropped"))];
    let request = axum::http::Request::builder()
        .method(Method::PATCH)
        .uri(&at)
        .header(
            "cookie",
            coach.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "),
        )
        .header("content-type", "application/offset+octet-stream")
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", "0")
        .body(axum::body::Body::from_stream(futures_util::stream::iter(pieces)))
        .unwrap();
    let _ = tower::ServiceExt::oneshot(app.router.clone(), request).await.unwrap();
    let r = coach.clone().request(Method::HEAD, &at, None, String::new(), &[TUS]).await;
    assert_eq!(r.header("upload-offset"), Some("150000"), "the bytes before the drop are kept");
    let r = patch(&mut coach, &at, 150_000, &bytes[150_000..]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let resumed = r.header("upload-recording").unwrap().rsplit('/').next().unwrap().to_owned();
    assert_eq!(coach.get(&format!("/library/{resumed}/media")).await.bytes, bytes);
    assert_eq!(app.count(recordings, "x").await, 3);

    // Cancelled: nothing stays.
    let at = create_upload(&mut coach, bytes.len(), "").await;
    assert_eq!(patch(&mut coach, &at, 0, &bytes[..1000]).await.status, StatusCode::NO_CONTENT);
    assert_eq!(leftover_parts(&app), 1);
    let r = coach.request(Method::DELETE, &at, None, String::new(), &[TUS]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!((app.count(uploads, "x").await, leftover_parts(&app)), (0, 0));

    // Abandoned: the clean-up job removes it once a day has passed without a byte.
    let at = create_upload(&mut coach, bytes.len(), "").await;
    assert_eq!(patch(&mut coach, &at, 0, &bytes[..1000]).await.status, StatusCode::NO_CONTENT);
    app.exec("UPDATE library_uploads SET updated_at = 0 WHERE $1 = $1", &["x"]).await;
    app.exec("UPDATE jobs SET run_at = 0 WHERE kind = $1", &["library-upload-cleanup"]).await;
    app.run_jobs().await;
    assert_eq!((app.count(uploads, "x").await, leftover_parts(&app)), (0, 0));
    assert_eq!(app.count(recordings, "x").await, 3, "finished recordings are not touched");

    // More bytes than announced: refused, and nothing kept.
    let at = create_upload(&mut coach, 2000, "").await;
    let r = patch(&mut coach, &at, 0, &bytes[..3000]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!((app.count(uploads, "x").await, leftover_parts(&app)), (0, 0));
}

#[tokio::test]
async fn codes_open_the_library_once_per_member_until_used_up() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("coach@example.org", Role::Coach).await;
    let r = coach
        .post_form(
            "/coach/library/codes",
            &[("label", "Autumn group"), ("uses", "1"), ("valid_days", "30"), ("grant_days", "90")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = coach.get("/coach/library/access").await.body;
    let code = page.split("<code>").nth(1).unwrap().split("</code>").next().unwrap().to_owned();
    assert!(page.contains("1 of 1 uses left"));

    // A bad form keeps what was typed and names the problem.
    let r = coach
        .post_form("/coach/library/codes", &[("label", "Spring"), ("uses", "many"), ("valid_days", "30")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"Spring\"") && r.body.contains("Give a whole number of uses"));

    let mut alex = app.member("alex@example.org").await;
    let r = alex.post_form("/library/join", &[("code", &code.to_lowercase().replace('-', " "))]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "typed loosely, it still works: {}", r.body);
    let lib = alex.get("/api/v1/library").await.json();
    assert_eq!(lib["access"], true);
    assert!(lib["expires_at"].is_string(), "the code gives 90 days");

    let mut sam = app.member("sam@example.org").await;
    let r = sam.post_form("/library/join", &[("code", &code)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("That code does not work") && r.body.contains(&format!("value=\"{code}\"")));
    let r = sam.post_json("/api/v1/library/redeem", json!({ "code": "NOPE-NOPE-NOPE" })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(sam.get("/api/v1/library").await.json()["access"], false);
    assert!(coach.get("/coach/library/access").await.body.contains("Used up"));

    // Guessing codes in bulk runs into a wait.
    let mut refused = 0;
    for n in 0..12 {
        let r = sam.post_json("/api/v1/library/redeem", json!({ "code": format!("GUES-SING-{n:04}") })).await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
        }
    }
    assert!(refused >= 1, "after ten tries a member waits");
}

fn webhook_body(id: &str, kind: &str, object: serde_json::Value) -> String {
    json!({ "id": id, "type": kind, "data": { "object": object } }).to_string()
}

async fn send_webhook(c: &mut Client, body: &str, secret: &str, t: i64) -> common::TestResponse {
    let signature = stripe::sign(body.as_bytes(), secret, t);
    c.request(
        Method::POST,
        "/api/v1/library/payments/stripe",
        Some("application/json"),
        body.to_owned(),
        &[("stripe-signature", &signature)],
    )
    .await
}

#[tokio::test]
async fn signed_payment_events_grant_and_end_memberships_once() {
    let secret = "whsec_test_0123456789abcdef";
    let app = TestApp::spawn_with(&[("SECUREBASE_PAYMENT_WEBHOOK_SECRET", secret)]).await;
    let alex = app.member("alex@example.org").await;
    let mut provider = app.client();
    let now = securebase::clock::now();
    let checkout = webhook_body(
        "evt_1",
        "checkout.session.completed",
        json!({ "customer": "cus_1", "subscription": "sub_1", "customer_details": { "email": "Alex@Example.org" } }),
    );

    // Tampered, unsigned, signed with another secret, or stale: refused, nothing granted.
    let tampered = checkout.replace("cus_1", "cus_2");
    let signature = stripe::sign(checkout.as_bytes(), secret, now);
    let r = provider
        .request(
            Method::POST,
            "/api/v1/library/payments/stripe",
            Some("application/json"),
            tampered,
            &[("stripe-signature", &signature)],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = provider
        .request(
            Method::POST,
            "/api/v1/library/payments/stripe",
            Some("application/json"),
            checkout.clone(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        send_webhook(&mut provider, &checkout, "whsec_someone_else_entirely", now).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        send_webhook(&mut provider, &checkout, secret, now - 3600).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(alex.get("/api/v1/library").await.json()["access"], false);

    // Paid later (a bank transfer): nothing until the money arrives.
    let unpaid = webhook_body(
        "evt_0",
        "checkout.session.completed",
        json!({ "payment_status": "unpaid", "customer_details": { "email": "alex@example.org" } }),
    );
    assert_eq!(send_webhook(&mut provider, &unpaid, secret, now).await.status, StatusCode::OK);
    assert_eq!(alex.get("/api/v1/library").await.json()["access"], false);

    // Valid: access for as long as the subscription lasts, and one discreet mail.
    let r = send_webhook(&mut provider, &checkout, secret, now).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let lib = alex.get("/api/v1/library").await.json();
    assert_eq!((lib["access"].clone(), lib["expires_at"].clone()), (json!(true), json!(null)));
    // Replayed: handled once.
    assert_eq!(send_webhook(&mut provider, &checkout, secret, now).await.body, "already handled");
    let mails = app.mail_to("alex@example.org").await;
    let membership_mails: Vec<_> = mails.iter().filter(|m| m.subject == "Your library membership").collect();
    assert_eq!(membership_mails.len(), 1);

    // Cancelled: it ends.
    let ended =
        webhook_body("evt_2", "customer.subscription.deleted", json!({ "id": "sub_1", "customer": "cus_1" }));
    assert_eq!(send_webhook(&mut provider, &ended, secret, now).await.status, StatusCode::OK);
    assert_eq!(alex.get("/api/v1/library").await.json()["access"], false);

    // Paid before having an account: mailed to sign up; the membership waits for the confirmed address.
    let one_time = webhook_body(
        "evt_3",
        "checkout.session.completed",
        json!({ "customer_email": "newcomer@example.org", "metadata": { "plan": "month" } }),
    );
    assert_eq!(send_webhook(&mut provider, &one_time, secret, now).await.status, StatusCode::OK);
    let mails = app.mail_to("newcomer@example.org").await;
    assert!(mails.iter().any(|m| m.text_body.contains("/signup")), "{mails:#?}");
    let newcomer = app.member("newcomer@example.org").await;
    let lib = newcomer.get("/api/v1/library").await.json();
    assert_eq!(lib["access"], true, "{lib}");
    let until: jiff::Timestamp = lib["expires_at"].as_str().unwrap().parse().unwrap();
    assert_eq!((until.as_second() - now) / 86_400, 31, "the month plan: {lib}");
}

#[tokio::test]
async fn transcripts_become_captions_and_members_search_but_nobody_else_sees_them() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("coach@example.org", Role::Coach).await;
    let id = publish_fixture(&mut coach, "The dance we get stuck in").await;

    // A broken file is refused with its line and reason, and nothing changes.
    let broken = b"WEBVTT\n\n00:00:01.000 --> 00:00:00.500\nBackwards\n";
    let r = add_transcript(&mut coach, &id, broken).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("line 3"), "{}", r.body);
    let r = add_transcript(&mut coach, &id, b"Just some text").await;
    assert!(r.body.contains("line 1"), "{}", r.body);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM library_recordings WHERE transcript_vtt IS NOT NULL AND $1 = $1",
            "x"
        )
        .await,
        0
    );

    let r = add_transcript(&mut coach, &id, &fixture_vtt()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let alex = app.member("alex@example.org").await;
    let phrase = "playful name";
    // Without access: no captions, and search finds nothing of the transcript.
    assert_eq!(alex.get(&format!("/library/{id}/captions.vtt")).await.status, StatusCode::FORBIDDEN);
    let r = app.client().get("/api/v1/search?q=playful+name").await;
    assert_eq!(r.json(), json!([]));
    let r = alex.get("/api/v1/search?q=playful+name").await;
    assert_eq!(r.json(), json!([]), "a member without access finds nothing of a transcript");
    assert!(!alex.get("/search?q=playful+name").await.body.contains("/library/"));

    coach.post_form("/coach/library/access/grant", &[("email", "alex@example.org"), ("days", "30")]).await;
    let captions = alex.get(&format!("/library/{id}/captions.vtt")).await;
    assert_eq!(captions.header("content-type"), Some("text/vtt; charset=utf-8"));
    assert!(captions.body.starts_with("WEBVTT") && captions.body.contains(phrase));
    let page = alex.get(&format!("/library/{id}")).await.body;
    assert!(page.contains("<track kind=\"captions\""), "captions in the player");
    assert!(page.contains(&format!("href=\"/library/{id}?t=71#player\"")), "each line links to its moment");

    // With access: a search hit opens the recording at that moment.
    let hits = alex.get("/api/v1/search?q=playful+name").await.json();
    let hit = hits.as_array().unwrap().iter().find(|h| h["kind"] == "Recording").expect("a transcript hit");
    assert_eq!(hit["url"], format!("/library/{id}?t=71"));
    assert!(hit["snippet_html"].as_str().unwrap().contains("<mark>playful</mark>"));
    let r = alex.get("/search?q=playful+name").await;
    assert!(r.body.contains(&format!("/library/{id}?t=71")));
    // A visitor's search never does.
    assert!(!app.client().get("/search?q=playful+name").await.body.contains("/library/"));
}

#[tokio::test]
async fn the_place_and_notes_are_the_members_own() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("coach@example.org", Role::Coach).await;
    let id = publish_fixture(&mut coach, "The dance we get stuck in").await;
    let mut alex = app.member("alex@example.org").await;
    let mut sam = app.member("sam@example.org").await;
    for email in ["alex@example.org", "sam@example.org"] {
        let r = coach.post_form("/coach/library/access/grant", &[("email", email), ("days", "")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }

    // Resume: the place is saved and the home offers to continue.
    let r = alex.post_form(&format!("/library/{id}/position"), &[("seconds", "31.7")]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let home = alex.get("/library").await.body;
    assert!(home.contains("Continue where you stopped") && home.contains("Stopped at 0:31"));
    let page = alex.get(&format!("/library/{id}")).await.body;
    assert!(page.contains("Picking up where you stopped, at 0:31") && page.contains("media#t=31"));
    assert!(!sam.get("/library").await.body.contains("Continue where you stopped"), "Sam's place is Sam's");
    // 90 % counts as watched.
    let r = alex
        .send_json(
            Method::PUT,
            &format!("/api/v1/library/recordings/{id}/position"),
            json!({ "seconds": 71 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(alex.get(&format!("/api/v1/library/recordings/{id}")).await.json()["completed"], true);

    // A note at a moment; a bad one comes back with the text kept.
    let r = alex
        .post_form(
            &format!("/library/{id}/notes"),
            &[("at", "0:46"), ("text", "The loop is the problem, not us.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = alex.post_form(&format!("/library/{id}/notes"), &[("at", "99:00"), ("text", "Too late")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("after the end of the recording") && r.body.contains("Too late"));
    let notes = alex.get("/library/notes").await.body;
    assert!(
        notes.contains("The loop is the problem, not us.") && notes.contains(&format!("/library/{id}?t=46"))
    );
    assert!(!sam.get("/library/notes").await.body.contains("The loop is the problem"));
    assert!(!sam.get(&format!("/library/{id}")).await.body.contains("The loop is the problem"));
    let note_id = alex.get(&format!("/api/v1/library/recordings/{id}")).await.json()["notes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        sam.post_form(&format!("/library/notes/{note_id}/delete"), &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(sam.delete(&format!("/api/v1/library/notes/{note_id}")).await.status, StatusCode::NOT_FOUND);
    // Alex deletes the note from the page and takes it back with Undo.
    let r = alex.post_form(&format!("/library/notes/{note_id}/delete"), &[]).await;
    assert_eq!(r.location(), format!("/library/{id}#notes"));
    let page = alex.get_mut(&format!("/library/{id}")).await.body;
    assert!(!page.contains("The loop is the problem") && page.contains("Note deleted."));
    let undo =
        page.split("action=\"/undo/").nth(1).and_then(|r| r.split('"').next()).expect("Undo").to_owned();
    assert_eq!(sam.post_form(&format!("/undo/{undo}"), &[]).await.status, StatusCode::GONE);
    let r = alex.post_form(&format!("/undo/{undo}"), &[]).await;
    assert_eq!(r.location(), format!("/library/{id}#notes"));
    assert!(alex.get(&format!("/library/{id}")).await.body.contains("The loop is the problem"));

    // Coaches see counts only, and small ones not exactly.
    let list = coach.get("/coach/library").await.body;
    assert!(list.contains("fewer than 5") && !list.contains("alex@example.org"));

    // Export holds the notes and the place; deletion removes them.
    let export = alex.export().await.json();
    assert_eq!(export["library_notes"][0]["text"], "The loop is the problem, not us.");
    assert_eq!(export["library_positions"][0]["position_seconds"], 71);
    assert!(export["library_membership"]["how"] == "coach");
    let alex_id = member_id(&alex).await;
    let r = alex.send_json(Method::DELETE, "/api/v1/me", json!({ "password": common::PASSWORD })).await;
    assert!(r.status.is_success(), "{}", r.body);
    for table in ["library_notes", "library_positions", "library_memberships", "library_visits"] {
        let sql: &'static str = match table {
            "library_notes" => "SELECT COUNT(*) FROM library_notes WHERE member_id = $1",
            "library_positions" => "SELECT COUNT(*) FROM library_positions WHERE member_id = $1",
            "library_memberships" => "SELECT COUNT(*) FROM library_memberships WHERE member_id = $1",
            _ => "SELECT COUNT(*) FROM library_visits WHERE member_id = $1",
        };
        assert_eq!(app.count(sql, &alex_id).await, 0, "{table}");
    }
}

#[tokio::test]
async fn every_library_route_answers_each_kind_of_person_as_it_should() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("coach@example.org", Role::Coach).await;
    let admin = app.with_role("admin@example.org", Role::Admin).await;
    let id = publish_fixture(&mut coach, "Matrix").await;
    let member = app.member("member@example.org").await;
    let mut watcher = app.member("watcher@example.org").await;
    coach.post_form("/coach/library/access/grant", &[("email", "watcher@example.org"), ("days", "")]).await;
    let _ = &mut watcher;
    let anonymous = app.client();

    let member_pages =
        [format!("/library/{id}"), format!("/library/{id}/media"), format!("/library/{id}/captions.vtt")];
    let coach_pages = [
        "/coach/library".to_owned(),
        "/coach/library/access".to_owned(),
        "/coach/library/live".to_owned(),
        format!("/coach/library/{id}"),
    ];
    for path in member_pages.iter().chain(coach_pages.iter()) {
        let r = anonymous.get(path).await;
        assert!(
            r.status == StatusCode::UNAUTHORIZED || r.status == StatusCode::SEE_OTHER,
            "{path}: {}",
            r.status
        );
    }
    for path in &coach_pages {
        assert_eq!(member.get(path).await.status, StatusCode::FORBIDDEN, "member {path}");
        assert_eq!(watcher.get(path).await.status, StatusCode::FORBIDDEN, "watcher {path}");
        assert_eq!(coach.get(path).await.status, StatusCode::OK, "coach {path}");
        assert_eq!(admin.get(path).await.status, StatusCode::OK, "admin {path}");
    }
    assert_eq!(member.get(&member_pages[0]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(member.get(&member_pages[1]).await.status, StatusCode::FORBIDDEN);
    for who in [&watcher, &coach, &admin] {
        assert_eq!(who.get(&member_pages[0]).await.status, StatusCode::OK);
        assert_eq!(who.get(&member_pages[1]).await.status, StatusCode::OK);
    }
    // A draft is for coaches only, even for members with access.
    coach
        .post_form(
            &format!("/coach/library/{id}"),
            &[
                ("title", "Matrix"),
                ("description", ""),
                ("session_date", "2026-10-07"),
                ("series", ""),
                ("chapters", ""),
            ],
        )
        .await;
    assert_eq!(watcher.get(&member_pages[0]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(watcher.get(&member_pages[1]).await.status, StatusCode::NOT_FOUND);
    assert!(coach.get(&member_pages[0]).await.body.contains("Draft"));
    assert!(!watcher.get("/library").await.body.contains("Matrix"));
}

/// A plain HTTP/1.1 exchange with the S3 server (no client library needed).
async fn raw_http(
    endpoint: &str,
    method: &str,
    path_and_query: &str,
    headers: &[(&str, &str)],
) -> (u16, String, Vec<u8>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = endpoint.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = tokio::net::TcpStream::connect(host).await.expect("the S3 server answers");
    let mut request = format!("{method} {path_and_query} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("Content-Length: 0\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete answer");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, head, raw[split + 4..].to_vec())
}

/// The S3-compatible server CI starts (moto); without one this test says so and stops,
/// unless REQUIRE_S3 is set (CI sets it).
fn s3_endpoint() -> Option<String> {
    let endpoint = std::env::var("TEST_S3_ENDPOINT").ok();
    if endpoint.is_none() {
        assert!(std::env::var("REQUIRE_S3").is_err(), "REQUIRE_S3 is set but TEST_S3_ENDPOINT is not");
        eprintln!("TEST_S3_ENDPOINT is not set: the S3 test did not run");
    }
    endpoint
}

#[tokio::test]
async fn recordings_live_in_an_s3_bucket_shared_by_instances() {
    let Some(endpoint) = s3_endpoint() else { return };
    let bucket = "securebase-test";
    let (status, _, _) = raw_http(&endpoint, "PUT", &format!("/{bucket}"), &[]).await;
    assert!(status == 200 || status == 409, "the bucket exists: {status}");
    let settings = |presign: &'static str| {
        vec![
            ("SECUREBASE_MEDIA_STORE", "s3"),
            ("SECUREBASE_S3_ENDPOINT", Box::leak(endpoint.clone().into_boxed_str()) as &str),
            ("SECUREBASE_S3_BUCKET", bucket),
            ("SECUREBASE_S3_ACCESS_KEY_ID", "testing"),
            ("SECUREBASE_S3_SECRET_ACCESS_KEY", "testing"),
            ("SECUREBASE_S3_PRESIGN", presign),
        ]
    };
    let app = TestApp::spawn_with(&settings("false")).await;
    let mut coach = app.with_role("coach@example.org", Role::Coach).await;
    let bytes = fixture();

    // Cancelled: its parts leave the bucket.
    let at = create_upload(&mut coach, bytes.len(), "").await;
    assert_eq!(patch(&mut coach, &at, 0, &bytes[..5000]).await.status, StatusCode::NO_CONTENT);
    let upload = at.rsplit('/').next().unwrap().to_owned();
    let list = format!("/{bucket}?list-type=2&prefix=uploads/{upload}/");
    assert!(String::from_utf8_lossy(&raw_http(&endpoint, "GET", &list, &[]).await.2).contains("<Key>"));
    coach.request(Method::DELETE, &at, None, String::new(), &[TUS]).await;
    assert!(!String::from_utf8_lossy(&raw_http(&endpoint, "GET", &list, &[]).await.2).contains("<Key>"));

    // Uploaded in two pieces, joined in the bucket, its length read by ranged reads.
    let at = create_upload(&mut coach, bytes.len(), "filename ZGFuY2UubXA0").await;
    let half = bytes.len() / 2;
    assert_eq!(patch(&mut coach, &at, 0, &bytes[..half]).await.status, StatusCode::NO_CONTENT);
    let r = patch(&mut coach, &at, half, &bytes[half..]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let page = r.header("upload-recording").unwrap().to_owned();
    let id = page.rsplit('/').next().unwrap().to_owned();
    assert!(coach.get(&page).await.body.contains("length 1:18"));
    let r = coach
        .post_form(&page, &[("title", "In the bucket"), ("session_date", "2026-10-07"), ("published", "on")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    // Through this instance: the same range rules.
    let r = range(&coach, &id, "bytes=1000-1999").await;
    assert_eq!(r.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(r.bytes, bytes[1000..2000]);
    assert_eq!(range(&coach, &id, "bytes=-100").await.bytes, bytes[bytes.len() - 100..]);

    // Another instance hands out short-lived signed addresses, after the same access check.
    let other = app.second_instance_with(&settings("true")).await;
    let mut member = app.member("member@example.org").await.with_router(other.router.clone());
    assert_eq!(member.get(&format!("/library/{id}/media")).await.status, StatusCode::FORBIDDEN);
    coach.post_form("/coach/library/access/grant", &[("email", "member@example.org"), ("days", "")]).await;
    let r = member.get_mut(&format!("/library/{id}/media")).await;
    assert_eq!(r.status, StatusCode::TEMPORARY_REDIRECT);
    let signed = r.location().to_owned();
    assert!(
        signed.starts_with(&endpoint)
            && signed.contains("X-Amz-Signature")
            && signed.contains("X-Amz-Expires=60")
    );
    let page = member.get(&format!("/library/{id}")).await;
    let policy = page.header("content-security-policy").unwrap();
    assert!(policy.contains(&format!("media-src 'self' {}", endpoint.trim_end_matches('/'))), "{policy}");
    let path = &signed[endpoint.trim_end_matches('/').len()..];
    let (status, _, body) = raw_http(&endpoint, "GET", path, &[("Range", "bytes=0-99")]).await;
    assert_eq!(status, 206);
    assert_eq!(body, bytes[..100]);
}

/// The path of the calendar address a page shows (once, right after it is made).
fn feed_path(page: &str) -> String {
    let value =
        page.split("value=\"").find(|v| v.contains("/library/calendar/")).expect("an address on the page");
    let url = value.split('"').next().unwrap();
    url[url.find("/library/calendar/").unwrap()..].to_owned()
}

/// Checks a calendar with Python's `icalendar` (CI requires it; elsewhere, where installed).
fn parses_as_calendar(text: &str, events: usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calendar.ics");
    std::fs::write(&path, text).unwrap();
    let script = "import sys, icalendar\ncal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\nprint(len(cal.walk('VEVENT')))";
    match std::process::Command::new("python3").args(["-c", script]).arg(&path).output() {
        Ok(out) if out.status.success() => {
            assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), events.to_string(), "{text}")
        }
        Ok(out)
            if String::from_utf8_lossy(&out.stderr).contains("No module named 'icalendar'")
                && std::env::var("REQUIRE_ICALENDAR").is_err() => {}
        Ok(out) => {
            panic!("icalendar rejected the calendar: {}\n{text}", String::from_utf8_lossy(&out.stderr))
        }
        Err(_) => assert!(std::env::var("REQUIRE_ICALENDAR").is_err(), "python3 is required"),
    }
}

#[tokio::test]
async fn live_sessions_are_scheduled_joined_put_in_calendars_and_followed_by_their_recording() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("coach@example.org", Role::Coach).await;
    let mut alex = app.member("alex@example.org").await;
    let mut sam = app.member("sam@example.org").await;
    coach.post_form("/coach/library/access/grant", &[("email", "alex@example.org"), ("days", "")]).await;

    // A bad schedule comes back with what was typed.
    let r = coach
        .post_form(
            "/coach/library/live",
            &[
                ("title", "Shame and repair"),
                ("starts", "2020-01-01T18:00"),
                ("time_zone", "Europe/London"),
                ("duration_minutes", "90"),
                ("join_url", "https://meet.example.org/g"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Choose a time that has not passed yet.")
            && r.body.contains("value=\"Shame and repair\"")
    );
    let soon = securebase::clock::to_local_input(securebase::clock::now() + 2 * 86_400, "Europe/London");
    let r = coach
        .post_form(
            "/coach/library/live",
            &[
                ("title", "Shame and repair; a gentle, honest hour"),
                ("description", "Bring a question."),
                ("starts", &soon),
                ("time_zone", "Europe/London"),
                ("duration_minutes", "90"),
                ("join_url", "https://meet.example.org/group"),
                ("topics", "shame"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Sam has no membership: a join page, and nothing of the session.
    let r = sam.get_mut("/library/live").await;
    assert!(r.body.contains("Have a code?") && !r.body.contains("Shame and repair"));
    let page = alex.get("/library/live").await.body;
    assert!(page.contains("Shame and repair; a gentle, honest hour"));
    let id = page.split("/library/live/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    assert_eq!(sam.post_form(&format!("/library/live/{id}/rsvp"), &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(sam.get(&format!("/library/live/{id}/calendar.ics")).await.status, StatusCode::FORBIDDEN);
    let r = alex.post_form(&format!("/library/live/{id}/rsvp"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(alex.get("/library/live").await.body.contains("You said you will join."));

    // The session's own calendar file.
    let ics = alex.get(&format!("/library/live/{id}/calendar.ics")).await;
    assert_eq!(ics.header("content-type"), Some("text/calendar; charset=utf-8"));
    assert!(ics.body.contains("SUMMARY:Shame and repair\\; a gentle\\, honest hour"), "{}", ics.body);
    parses_as_calendar(&ics.body, 1);

    // The personal feed: shown once, works without a session, can be remade and stopped.
    let r = alex.post_form("/library/calendar", &[]).await;
    let path = &feed_path(&r.body);
    assert!(!alex.get("/library/live").await.body.contains(path), "the address is not shown again");
    let feed = app.client().get(path).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.body.contains("Shame and repair"));
    parses_as_calendar(&feed.body, 1);
    let r = alex.post_form("/library/calendar", &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        app.client().get(path).await.status,
        StatusCode::NOT_FOUND,
        "a remade address ends the old one"
    );
    let newer = &feed_path(&r.body);
    assert_eq!(app.client().get(newer).await.status, StatusCode::OK);
    // A disabled account's feed stops with it, and comes back when it is enabled.
    let alex_id = member_id(&alex).await;
    app.exec("UPDATE users SET disabled_at = 1 WHERE id = $1", &[&alex_id]).await;
    assert_eq!(app.client().get(newer).await.status, StatusCode::NOT_FOUND);
    app.exec("UPDATE users SET disabled_at = NULL WHERE id = $1", &[&alex_id]).await;
    assert_eq!(app.client().get(newer).await.status, StatusCode::OK);
    alex.post_form("/library/calendar/revoke", &[]).await;
    assert_eq!(app.client().get(newer).await.status, StatusCode::NOT_FOUND);

    // An hour before: a reminder notice for those who said they would come.
    app.exec("UPDATE jobs SET run_at = 0 WHERE kind = $1", &["library-live-reminder"]).await;
    app.run_jobs().await;
    let notices = alex.get("/api/v1/notices").await.json();
    assert!(notices.to_string().contains("A live session starts in an hour"), "{notices}");
    assert!(!sam.get("/api/v1/notices").await.json().to_string().contains("live session"));

    // After it: the coach attaches the recording, and those who came are told.
    app.exec("UPDATE library_live_sessions SET starts_at = starts_at - 10 * 86400 WHERE id = $1", &[&id])
        .await;
    let recording = publish_fixture(&mut coach, "Shame and repair (recording)").await;
    let r =
        coach.post_form(&format!("/coach/library/live/{id}/attach"), &[("recording_id", &recording)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let notices = alex.get("/api/v1/notices").await.json().to_string();
    assert!(
        notices.contains("recording is ready") && notices.contains(&format!("/library/{recording}")),
        "{notices}"
    );
    assert!(alex.get("/library/live").await.body.contains(&format!("/library/{recording}")));

    // The export holds the RSVP and whether there is a calendar address; deletion removes both.
    alex.post_form("/library/calendar", &[]).await;
    let export = alex.export().await.json();
    assert_eq!(export["library_rsvps"][0][0], "Shame and repair; a gentle, honest hour");
    assert!(export["library_calendar_feed_since"].is_string());
    let alex_id = member_id(&alex).await;
    let r = alex.send_json(Method::DELETE, "/api/v1/me", json!({ "password": common::PASSWORD })).await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM library_rsvps WHERE member_id = $1", &alex_id).await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM library_calendar_feeds WHERE member_id = $1", &alex_id).await,
        0
    );
}
