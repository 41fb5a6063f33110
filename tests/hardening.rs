//! Attacks an intimate adversary would try (a partner on the same Wi-Fi, at the
//! same device, who knows the email), and input that must get a clear answer,
//! on either database.

mod common;

use axum::http::{Method, StatusCode};
use common::{Client, PASSWORD, TestApp};
use serde_json::json;

/// Fire `n` copies of a request at once and collect the statuses.
async fn burst(
    c: &Client,
    n: usize,
    method: Method,
    uri: &'static str,
    body: serde_json::Value,
) -> Vec<StatusCode> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let mut c = c.clone();
        let method = method.clone();
        let body = body.clone();
        tasks.spawn(async move { c.send_json(method, uri, body).await.status });
    }
    let mut out = Vec::new();
    while let Some(status) = tasks.join_next().await {
        out.push(status.unwrap());
    }
    out
}

fn count(statuses: &[StatusCode], wanted: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == wanted).count()
}

fn login(email: &str, password: &str) -> serde_json::Value {
    json!({ "email": email, "password": password })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parallel_burst_of_guesses_gets_only_the_free_attempts_checked() {
    let app = TestApp::spawn().await;
    app.member("ivy@example.org").await;
    let mut attacker = app.client();
    attacker.address = "203.0.113.9".into();
    let statuses = burst(
        &attacker,
        50,
        Method::POST,
        "/api/v1/auth/login",
        login("ivy@example.org", "a wrong guess here"),
    )
    .await;
    // 422: the password was checked. 503: one address may have only a couple
    // of checks in flight, so it was turned away before anything was written.
    // 429: refused by the count. At most the five free attempts are checked.
    let checked = count(&statuses, StatusCode::UNPROCESSABLE_ENTITY);
    assert!((1..=5).contains(&checked), "{statuses:?}");
    assert_eq!(
        checked
            + count(&statuses, StatusCode::SERVICE_UNAVAILABLE)
            + count(&statuses, StatusCode::TOO_MANY_REQUESTS),
        50
    );
    assert!(app.state.passwords.peak() <= app.state.passwords.limit());
    assert_eq!(
        app.count(
            "SELECT failures FROM sign_in_failures WHERE scope = $1",
            &format!(
                "pair:{}|203.0.113.9",
                securebase::features::accounts::throttle::email_hash("ivy@example.org")
            )
        )
        .await,
        checked as i64,
        "only checked attempts count"
    );
    // Guessing on one at a time uses up the rest; then even the right password waits.
    for _ in checked..5 {
        let r =
            attacker.post_json("/api/v1/auth/login", login("ivy@example.org", "a wrong guess here")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = attacker.post_json("/api/v1/auth/login", login("ivy@example.org", PASSWORD)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.header("retry-after").unwrap().parse::<i64>().unwrap() >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_spread_over_many_addresses_gets_only_the_accounts_free_attempts_checked() {
    let app = TestApp::spawn().await;
    app.member("oak@example.org").await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..60 {
        let mut c = app.client();
        c.address = format!("198.18.{}.{}", i / 200, i % 200 + 1);
        tasks.spawn(async move {
            c.post_json("/api/v1/auth/login", login("oak@example.org", "a wrong guess here")).await.status
        });
    }
    let mut statuses = Vec::new();
    while let Some(s) = tasks.join_next().await {
        statuses.push(s.unwrap());
    }
    // Each address is new, so only the account's own count (20 free) holds them back.
    let checked = count(&statuses, StatusCode::UNPROCESSABLE_ENTITY);
    assert!((1..=20).contains(&checked), "{statuses:?}");
    assert!(
        count(&statuses, StatusCode::TOO_MANY_REQUESTS)
            >= 40 - count(&statuses, StatusCode::SERVICE_UNAVAILABLE)
    );
    assert_eq!(statuses.len(), 60);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parallel_burst_of_password_reentries_is_bounded_the_same_way() {
    let app = TestApp::spawn().await;
    let c = app.member("wren@example.org").await;
    let id = c.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    let statuses =
        burst(&c, 50, Method::DELETE, "/api/v1/me", json!({"password": "a wrong guess here"})).await;
    assert_eq!(count(&statuses, StatusCode::UNPROCESSABLE_ENTITY), 5, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 45, "{statuses:?}");
    let statuses =
        burst(&c, 10, Method::POST, "/api/v1/me/export", json!({"password": "another guess"})).await;
    assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 10, "export asks through the same count");
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE id = $1", &id).await, 1);
}

#[tokio::test]
async fn the_owner_signs_in_from_a_known_device_while_a_partner_guesses_from_the_same_address() {
    let app = TestApp::spawn().await;
    app.member("sky@example.org").await;
    let home = "198.51.100.7";

    // The owner signed in on their phone before: it now holds a known-device cookie.
    let mut phone = app.client();
    phone.address = home.into();
    let r = phone.post_json("/api/v1/auth/login", login("sky@example.org", PASSWORD)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(phone.cookies.contains_key("securebase_device"), "{:?}", phone.cookies);
    phone.post_json("/api/v1/auth/logout", json!({})).await;
    assert!(phone.cookies.contains_key("securebase_device"), "the device stays known after signing out");

    // The partner, on the same Wi-Fi, keeps guessing.
    let mut partner = app.client();
    partner.address = home.into();
    for _ in 0..12 {
        partner.post_json("/api/v1/auth/login", login("sky@example.org", "is it our anniversary")).await;
    }
    let r = partner.post_json("/api/v1/auth/login", login("sky@example.org", PASSWORD)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "an unknown device from that address waits");

    // The owner's known device is not held back by the partner's failures.
    let r = phone.post_json("/api/v1/auth/login", login("sky@example.org", PASSWORD)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(phone.get("/api/v1/me").await.json()["email"], "sky@example.org");

    // Someone else behind the same router signs in to their own account at once.
    app.member("neighbour@example.org").await;
    let mut neighbour = app.client();
    neighbour.address = home.into();
    let r = neighbour.post_json("/api/v1/auth/login", login("neighbour@example.org", PASSWORD)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // A known device still has its own count: the partner with the owner's phone
    // gets the same few tries as anywhere else.
    let mut stolen = phone.clone();
    stolen.post_json("/api/v1/auth/logout", json!({})).await;
    let mut refused = 0;
    for _ in 0..8 {
        let r =
            stolen.post_json("/api/v1/auth/login", login("sky@example.org", "is it our anniversary")).await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
        }
    }
    assert_eq!(refused, 3, "five free tries, then waits");

    // A forged or another account's device cookie counts for nothing.
    let mut forged = partner.clone();
    forged.cookies.insert("securebase_device".into(), format!("{}.{}", "ab".repeat(16), "cd".repeat(32)));
    let r = forged.post_json("/api/v1/auth/login", login("sky@example.org", PASSWORD)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let mut borrowed = partner.clone();
    borrowed.cookies.insert("securebase_device".into(), neighbour.cookies["securebase_device"].clone());
    let r = borrowed.post_json("/api/v1/auth/login", login("sky@example.org", PASSWORD)).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "a device known to another account is not known here"
    );

    // The counts are in the database: a second instance refuses the same.
    let second = app.second_instance().await;
    let mut on_second = partner.with_router(second.router.clone());
    let r = on_second.post_json("/api/v1/auth/login", login("sky@example.org", PASSWORD)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_password_change_retires_other_known_devices() {
    let app = TestApp::spawn().await;
    app.member("tam@example.org").await;
    let mut laptop = app.client();
    laptop.post_json("/api/v1/auth/login", login("tam@example.org", PASSWORD)).await;
    let old_cookie = laptop.cookies["securebase_device"].clone();
    let new_password = "a different walk by the sea";
    let r = laptop
        .post_json("/api/v1/me/password", json!({"current_password": PASSWORD, "new_password": new_password}))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_ne!(laptop.cookies["securebase_device"], old_cookie, "this device gets a fresh cookie");

    // Guesses from this address fill the count; the old cookie no longer exempts.
    let mut other = app.client();
    for _ in 0..8 {
        other.post_json("/api/v1/auth/login", login("tam@example.org", "wrong wrong wrong")).await;
    }
    let mut old_device = app.client();
    old_device.cookies.insert("securebase_device".into(), old_cookie);
    let r = old_device.post_json("/api/v1/auth/login", login("tam@example.org", new_password)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    laptop.post_json("/api/v1/auth/logout", json!({})).await;
    let r = laptop.post_json("/api/v1/auth/login", login("tam@example.org", new_password)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn sign_up_probes_from_one_address_are_throttled() {
    let app = TestApp::spawn().await;
    app.member("known@example.org").await;
    let mut prober = app.client();
    prober.address = "203.0.113.50".into();
    let mut statuses = Vec::new();
    for i in 0..14 {
        let r = prober
            .post_json(
                "/api/v1/auth/signup",
                json!({"email": if i % 2 == 0 { "known@example.org" } else { "nope" }, "password": PASSWORD, "display_name": "P"}),
            )
            .await;
        statuses.push(r.status);
    }
    // A known address and a new one get the same answer, so every sign-up
    // counts alike: ten, then waits.
    assert_eq!(count(&statuses, StatusCode::ACCEPTED), 5, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::UNPROCESSABLE_ENTITY), 5, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 4, "{statuses:?}");
    // The page keeps what was typed and says why.
    let r = prober
        .post_form(
            "/signup",
            &[("email", "someone@example.org"), ("display_name", "Someone"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("value=\"someone@example.org\"") && r.body.contains("Please wait"));
    assert!(!r.body.contains(PASSWORD));
    // Another address is not held back; even a busy one (a group signing up on
    // one network) only waits a little after ten.
    let mut newcomer = app.client();
    newcomer.address = "198.51.100.80".into();
    for i in 0..11 {
        let r = newcomer
            .post_json(
                "/api/v1/auth/signup",
                json!({"email": format!("new{i}@example.org"), "password": PASSWORD, "display_name": "N"}),
            )
            .await;
        if i < 10 {
            assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        } else {
            assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
            let wait: i64 = r.header("retry-after").unwrap().parse().unwrap();
            assert!((1..=60).contains(&wait), "{wait}");
        }
    }
}

#[tokio::test]
async fn password_hashing_is_capped_and_the_rest_are_told_to_come_back() {
    let app = TestApp::spawn_with(&[
        ("SECUREBASE_PASSWORD_HASH_LIMIT", "2"),
        ("SECUREBASE_PASSWORD_HASH_WAIT_MS", "0"),
    ])
    .await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..30 {
        let mut c = app.client();
        c.address = format!("192.0.2.{}", i + 1);
        tasks.spawn(async move {
            let r = c
                .post_json("/api/v1/auth/login", login(&format!("nobody{i}@example.org"), "some guess"))
                .await;
            (r.status, r.header("retry-after").map(str::to_owned), r.body)
        });
    }
    let mut busy = 0;
    while let Some(done) = tasks.join_next().await {
        let (status, retry_after, body) = done.unwrap();
        match status {
            StatusCode::UNPROCESSABLE_ENTITY => {}
            StatusCode::SERVICE_UNAVAILABLE => {
                busy += 1;
                assert!(retry_after.unwrap().parse::<i64>().unwrap() >= 1);
                assert_eq!(
                    serde_json::from_str::<serde_json::Value>(&body).unwrap()["error"]["code"],
                    "busy"
                );
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert!(app.state.passwords.peak() <= 2, "peak {}", app.state.passwords.peak());
    assert!(busy > 0, "30 at once with two permits and no wait must turn some away");
    // A request turned away counted against nobody.
    let counted = app
        .count(
            "SELECT CAST(COALESCE(SUM(failures), 0) AS BIGINT) FROM sign_in_failures WHERE scope LIKE $1",
            "pair:%",
        )
        .await;
    assert_eq!(counted as usize, 30 - busy);
}

#[tokio::test]
async fn next_never_leads_off_site_and_odd_values_never_break_the_page() {
    let app = TestApp::spawn().await;
    app.member("nia@example.org").await;
    for next in [
        "%2F%09%2Fevil.example",
        "/%09/evil.example",
        "//evil.example",
        "/%5Cevil.example",
        "https://evil.example",
        "/%0A/evil.example",
        "/%0D%0ASet-Cookie:%20x=1",
        "%20/evil.example",
    ] {
        let mut c = app.client();
        let page = c.get_mut(&format!("/signin?next={next}")).await;
        assert_eq!(page.status, StatusCode::OK, "{next}: {}", page.body);
        assert!(page.body.contains("name=\"next\" value=\"/\""), "{next}");
        let body = format!("email=nia%40example.org&password={}&next={next}", common::encode(PASSWORD));
        let r =
            c.request(Method::POST, "/signin", Some("application/x-www-form-urlencoded"), body, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next}: {}", r.body);
        assert_eq!(r.location(), "/", "{next}");
    }
    // A NUL in next is refused with a clear answer, and no session is made.
    let mut c = app.client();
    assert_eq!(c.get_mut("/signin?next=/%00").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = format!("email=nia%40example.org&password={}&next=%2F%00", common::encode(PASSWORD));
    let r = c.request(Method::POST, "/signin", Some("application/x-www-form-urlencoded"), body, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.headers.get("set-cookie").is_none());
    // A failed sign-in with an odd next leaves no session behind.
    let mut c = app.client();
    let r = c
        .request(
            Method::POST,
            "/signin",
            Some("application/x-www-form-urlencoded"),
            "email=nia%40example.org&password=wrong+wrong+wrong&next=%2F%0A%00".into(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.headers
            .get_all("set-cookie")
            .iter()
            .all(|v| !v.to_str().unwrap().starts_with("securebase_session="))
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions WHERE $1 = $1", "").await,
        1 + 8,
        "the sign-up's and the eight above"
    );
}

#[tokio::test]
async fn a_nul_character_is_refused_by_field_everywhere_and_the_text_stays_on_the_page() {
    let app = TestApp::spawn().await;
    let mut c = app.member("nul@example.org").await;
    let mut coach = app.with_role("coach-nul@example.org", securebase::web::Role::Coach).await;
    let nul = "before\u{0}after";
    let json_routes: Vec<(Method, &str, serde_json::Value, &str)> = vec![
        (
            Method::POST,
            "/api/v1/auth/signup",
            json!({"email": nul, "password": PASSWORD, "display_name": "N"}),
            "email",
        ),
        (Method::POST, "/api/v1/auth/login", json!({"email": nul, "password": PASSWORD}), "email"),
        (Method::PATCH, "/api/v1/me", json!({"display_name": nul}), "display_name"),
        (Method::POST, "/api/v1/me/email", json!({"new_email": nul, "password": PASSWORD}), "new_email"),
        (Method::POST, "/api/v1/journal", json!({"title": "t", "body": nul}), "body"),
        (Method::PUT, "/api/v1/journal/draft", json!({"body": nul}), "body"),
        (Method::POST, "/api/v1/affirmations", json!({"text": nul}), "text"),
        (Method::POST, "/api/v1/returns", json!({"text": nul, "day": "2026-11-30"}), "text"),
        (
            Method::POST,
            "/api/v1/cycle-maps",
            json!({"my_trigger": nul, "my_feeling": "f", "my_move": "m", "partner_reads": "r", "partner_move": "p"}),
            "my_trigger",
        ),
        (
            Method::POST,
            "/api/v1/repair-plans",
            json!({"not_afraid": true, "answers": {"what_happened": nul}}),
            "answers.what_happened",
        ),
        (Method::POST, "/api/v1/checkins/today", json!({"values": {"safety": 3}, "note": nul}), "note"),
        (
            Method::POST,
            "/api/v1/start",
            json!({"path": "growing", "company": "alone", "reasons": [nul]}),
            "reasons.0",
        ),
    ];
    for (method, uri, body, field) in json_routes {
        let r = c.send_json(method.clone(), uri, body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{method} {uri}: {}", r.body);
        assert!(r.json()["error"]["fields"][field].as_str().unwrap().contains("null"), "{uri}: {}", r.body);
    }
    let r = coach.post_json("/api/v1/posts", json!({"title": nul, "body_markdown": "b"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"]["fields"]["title"].is_string());

    // The journal page form: refused with the words kept, ready to send again.
    let r = c
        .post_form(
            "/practice/journal",
            &[("prompt_id", ""), ("title", "Kept"), ("body", "All of this\u{0} matters\nstill")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("&ldquo;body&rdquo;") || r.body.contains("“body”"), "{}", r.body);
    assert!(r.body.contains("All of this matters\nstill</textarea>"), "{}", r.body);
    assert!(r.body.contains("action=\"/practice/journal\""));
    assert!(r.body.contains("name=\"title\" value=\"Kept\""));
    // A password is never written back into the page.
    let r = c.post_form("/settings/delete", &[("password", "secret\u{0}password")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!r.body.contains("secret"));
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = $1", "nul@example.org").await, 1);

    // In the address: a path id is simply not found; a query names its parameter.
    assert_eq!(c.get("/practice/journal/abc%00def").await.status, StatusCode::NOT_FOUND);
    assert_eq!(c.get("/api/v1/journal/abc%00def").await.status, StatusCode::NOT_FOUND);
    let r = c.get("/api/v1/search?q=repair%00").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"]["fields"]["q"].is_string());
    let r = c.get("/search?q=repair%00").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("“q”"), "{}", r.body);
    // Nothing with a NUL was stored anywhere.
    assert_eq!(app.count("SELECT COUNT(*) FROM journal_entries WHERE $1 = $1", "").await, 0);
}

#[tokio::test]
async fn a_form_that_is_not_utf8_is_refused_not_mangled() {
    let app = TestApp::spawn().await;
    let mut c = app.member("bytes@example.org").await;
    for body in [b"title=t&body=caf%E9".to_vec(), b"title=t&body=\xff\xfe".to_vec()] {
        let r = c
            .request_bytes(
                Method::POST,
                "/practice/journal",
                Some("application/x-www-form-urlencoded"),
                body,
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("not valid text (UTF-8)"), "{}", r.body);
    }
    let r = c.get("/api/v1/search?q=caf%E9").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["code"], "not_utf8");
    assert_eq!(app.count("SELECT COUNT(*) FROM journal_entries WHERE $1 = $1", "").await, 0);
}

#[tokio::test]
async fn huge_page_numbers_show_an_empty_page_not_an_error() {
    let app = TestApp::spawn().await;
    let c = app.member("pages@example.org").await;
    for uri in [
        "/posts?page=9223372036854775807",
        "/posts?page=-9223372036854775808",
        "/api/v1/posts?page=9223372036854775807",
        "/practice/journal?before=9223372036854775807.ffff",
        "/practice/journal?after=99999999999999999999.x&before=-1.0",
        "/api/v1/journal?before=9223372036854775807.ffff",
        "/api/v1/journal?after=%27%20OR%201%3D1--",
    ] {
        let r = c.get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
    }
    let r = c.get("/api/v1/journal?before=0.0000").await.json();
    assert_eq!(r["entries"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn writing_too_long_to_keep_comes_back_after_sign_in_with_the_problem_named() {
    let app = TestApp::spawn().await;
    let c = app.member("long@example.org").await;
    let id = c.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    app.exec("DELETE FROM sessions WHERE user_id = $1", &[&id]).await;
    let mut c = c;
    let text = format!("{}the end", "word ".repeat(20_001));
    let r = c.post_form("/practice/journal", &[("prompt_id", ""), ("title", "Long"), ("body", &text)]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // A wrong password first: no session is made and the text is still there.
    let carried = [
        ("email", "long@example.org"),
        ("password", "not the password"),
        ("next", "/practice/journal"),
        ("carry.entry", ""),
        ("carry.prompt_id", ""),
        ("carry.title", "Long"),
        ("carry.version", ""),
        ("carry.owner", id.as_str()),
        ("carry_kind", "journal"),
        ("carry_label.body", "What you were writing"),
        ("carry.body", &text),
    ];
    let r = c.post_form("/signin", &carried).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("the end</textarea>"));
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions WHERE user_id = $1", &id).await, 0);

    let mut carried = carried;
    carried[1] = ("password", PASSWORD);
    let r = c.post_form("/signin", &carried).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "the text needs attention");
    assert!(r.body.contains("You are signed in again"), "{}", &r.body[..500]);
    assert!(r.body.contains("100000"), "the problem is named");
    assert!(r.body.contains("the end</textarea>"), "the text is back in the form");
    assert!(r.body.contains("value=\"Long\""));
    assert_eq!(c.get("/api/v1/me").await.json()["email"], "long@example.org", "and the member is signed in");
}

#[tokio::test]
async fn metrics_need_the_token_or_their_own_loopback_listener() {
    use tower::ServiceExt;
    // The main listener may sit behind a proxy on this machine: no token, no metrics,
    // whatever the request looks like.
    let open = TestApp::spawn().await;
    for extra in [vec![], vec![("x-real-ip", "8.8.8.8")], vec![("x-forwarded-for", "203.0.113.1")]] {
        let mut c = open.client();
        let r = c.request(Method::GET, "/metrics", None, String::new(), &extra).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{extra:?}");
        assert!(!r.body.contains("http_requests_total"));
    }
    let guarded = TestApp::spawn_with(&[("SECUREBASE_METRICS_TOKEN", "a-long-metrics-token")]).await;
    let mut g = guarded.client();
    g.address = "203.0.113.1".into();
    let r = g
        .request(
            Method::GET,
            "/metrics",
            None,
            String::new(),
            &[("authorization", "Bearer a-long-metrics-token")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("http_requests_total"));
    let r = g
        .request(
            Method::GET,
            "/metrics",
            None,
            String::new(),
            &[("authorization", "Bearer a-long-metrics-tokeX")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // The separate metrics listener (metrics_bind, loopback) serves them, and nothing else.
    let local = TestApp::spawn_with(&[("SECUREBASE_METRICS_BIND", "127.0.0.1:9464")]).await;
    let router = securebase::ops::metrics_router(local.state.clone());
    let get = |path: &str| axum::http::Request::get(path).body(axum::body::Body::empty()).unwrap();
    let r = router.clone().oneshot(get("/metrics")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = router.oneshot(get("/api/v1/me")).await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_reworded_prompt_leaves_the_question_in_old_entries_as_it_was() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("coach-w@example.org", securebase::web::Role::Coach).await;
    let mut member = app.member("wil@example.org").await;
    let pid = coach
        .post_json("/api/v1/prompts", json!({"text": "What did the week teach you?"}))
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let e = member.post_json("/api/v1/journal", json!({"prompt_id": pid, "body": "Patience."})).await.json();
    let eid = e["id"].as_str().unwrap().to_owned();
    assert_eq!(e["prompt_text"], "What did the week teach you?");
    let r = coach
        .send_json(Method::PUT, &format!("/api/v1/prompts/{pid}"), json!({"text": "What surprised you?"}))
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let page = member.get(&format!("/practice/journal/{eid}")).await.body;
    assert!(page.contains("What did the week teach you?") && !page.contains("What surprised you?"));
    let list = member.get("/practice/journal").await.body;
    assert!(list.contains("What did the week teach you?"));
    // An edit that keeps the prompt keeps its words; new entries get the new ones.
    let r = member
        .send_json(
            Method::PUT,
            &format!("/api/v1/journal/{eid}"),
            json!({"prompt_id": pid, "body": "Patience, mostly.", "version": 1}),
        )
        .await;
    assert_eq!(r.json()["prompt_text"], "What did the week teach you?", "{}", r.body);
    let e2 = member.post_json("/api/v1/journal", json!({"prompt_id": pid, "body": "Rain."})).await.json();
    assert_eq!(e2["prompt_text"], "What surprised you?");
}

#[tokio::test]
async fn get_started_answers_last_only_the_browser_session_and_quick_exit_clears_them() {
    let app = TestApp::spawn().await;
    let mut visitor = app.client();
    let r = visitor
        .post_form("/start", &[("path", "growing"), ("company", "with-partner"), ("afraid", "yes")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let set = r.header("set-cookie").unwrap();
    assert!(set.starts_with("sb_start=") && !set.contains("Max-Age") && !set.contains("Expires"), "{set}");
    let r = visitor.get_mut("/exit").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), app.state.config.quick_exit_url);
    assert!(r.headers.get_all("set-cookie").iter().any(|v| v.to_str().unwrap().starts_with("sb_start=;")));
    assert!(!visitor.cookies.contains_key("sb_start"));
    assert!(visitor.get("/start/plan").await.location().ends_with("/start"), "nothing is read back");

    // Signing in to an existing account drops a visitor's answers from the browser.
    app.member("ana@example.org").await;
    let mut shared = app.client();
    shared.post_form("/start", &[("path", "growing"), ("company", "alone"), ("afraid", "yes")]).await;
    assert!(shared.cookies.contains_key("sb_start"));
    let r = shared
        .post_form("/signin", &[("email", "ana@example.org"), ("password", PASSWORD), ("next", "/")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!shared.cookies.contains_key("sb_start"));
    assert!(shared.export().await.json()["get_started"].is_null(), "someone else's answers are not adopted");
}

#[tokio::test]
async fn a_partner_signing_in_on_the_shared_laptop_does_not_unknow_the_owner() {
    let app = TestApp::spawn().await;
    app.member("owner@example.org").await;
    app.member("partner@example.org").await;
    let home = "198.51.100.20";
    let mut laptop = app.client();
    laptop.address = home.into();
    assert_eq!(
        laptop.post_json("/api/v1/auth/login", login("owner@example.org", PASSWORD)).await.status,
        StatusCode::OK
    );
    laptop.post_json("/api/v1/auth/logout", json!({})).await;
    // The partner signs in to their own account in the same browser, and out again.
    assert_eq!(
        laptop.post_json("/api/v1/auth/login", login("partner@example.org", PASSWORD)).await.status,
        StatusCode::OK
    );
    laptop.post_json("/api/v1/auth/logout", json!({})).await;
    // Then guesses the owner's password from the home Wi-Fi, on another device.
    let mut phone = app.client();
    phone.address = home.into();
    for _ in 0..10 {
        phone.post_json("/api/v1/auth/login", login("owner@example.org", "was it the dog's name")).await;
    }
    assert_eq!(
        phone.post_json("/api/v1/auth/login", login("owner@example.org", PASSWORD)).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The laptop still knows the owner.
    let r = laptop.post_json("/api/v1/auth/login", login("owner@example.org", PASSWORD)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn a_form_sent_with_another_content_type_is_checked_all_the_same() {
    let app = TestApp::spawn().await;
    let mut c = app.member("ct@example.org").await;
    for ct in [Some("text/plain"), None, Some("application/x-www-form-urlencoded; charset=latin1")] {
        let r = c.request(Method::POST, "/practice/journal", ct, "title=t&body=a%00b".into(), &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{ct:?}");
        let r = c
            .request_bytes(Method::POST, "/practice/journal", ct, b"title=t&body=caf%E9".to_vec(), &[])
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{ct:?}");
    }
    // JSON by any of its names.
    let r = c
        .request(
            Method::POST,
            "/api/v1/journal",
            Some("application/vnd.api+json"),
            r#"{"body":"a\u0000b"}"#.into(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("SELECT COUNT(*) FROM journal_entries WHERE $1 = $1", "").await, 0);
}

#[tokio::test]
async fn nul_in_the_other_page_forms_is_refused_with_the_words_kept() {
    let app = TestApp::spawn().await;
    let mut c = app.member("forms@example.org").await;
    let mut coach = app.with_role("coach-forms@example.org", securebase::web::Role::Coach).await;
    for (as_coach, uri, fields) in [
        (false, "/know/checkins/today", vec![("safety", "3"), ("note", "calm\u{0}ish")]),
        (false, "/settings/profile", vec![("display_name", "Fo\u{0}rms"), ("time_zone", "UTC")]),
        (false, "/practice/returns", vec![("text", "We laughed\u{0} again"), ("day", "2026-11-30")]),
        (false, "/start", vec![("path", "growing"), ("company", "alone"), ("reasons", "x\u{0}")]),
        (true, "/coach/posts", vec![("title", "A tit\u{0}le"), ("body_markdown", "Body")]),
    ] {
        let client = if as_coach { &mut coach } else { &mut c };
        let r = client.post_form(uri, &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}: {}", r.body);
        assert!(r.body.contains(&format!("action=\"{uri}\"")), "{uri}");
        let (name, typed) = fields.iter().find(|(_, v)| v.contains('\u{0}')).unwrap();
        assert!(r.body.contains(&format!("&ldquo;{name}&rdquo;")), "{uri}: {}", r.body);
        assert!(r.body.contains(&typed.replace('\u{0}', "")), "{uri}: the words come back");
    }
}

#[tokio::test]
async fn quick_exit_signs_the_device_out() {
    let app = TestApp::spawn().await;
    let mut c = app.member("quick@example.org").await;
    let id = c.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    let r = c.get_mut("/exit").await;
    assert_eq!(r.location(), app.state.config.quick_exit_url);
    assert_eq!(c.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions WHERE user_id = $1", &id).await, 0);
    // The beacon sent with JavaScript: the session ends a moment later.
    let mut c = app.client();
    c.post_json("/api/v1/auth/login", login("quick@example.org", PASSWORD)).await;
    let r = c
        .request(
            Method::POST,
            "/exit",
            Some("text/plain"),
            String::new(),
            &[("sec-fetch-site", "same-origin")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    for _ in 0..60 {
        if app.count("SELECT COUNT(*) FROM sessions WHERE user_id = $1", &id).await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions WHERE user_id = $1", &id).await, 0);
}

#[tokio::test]
async fn writing_carried_through_sign_in_is_kept_only_for_the_member_who_wrote_it() {
    let app = TestApp::spawn().await;
    let victim = app.member("vi@example.org").await;
    let victim_id = victim.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    app.member("pa@example.org").await;
    // The victim's session ends mid-entry; the partner signs in at the same browser.
    app.exec("DELETE FROM sessions WHERE user_id = $1", &[&victim_id]).await;
    let mut shared = victim.clone();
    let r = shared
        .post_form(
            "/practice/journal",
            &[("owner", &victim_id), ("title", "Private"), ("body", "What I cannot say at home")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains(&format!("name=\"carry.owner\" value=\"{victim_id}\"")));
    let r = shared
        .post_form(
            "/signin",
            &[
                ("email", "pa@example.org"),
                ("password", PASSWORD),
                ("carry_kind", "journal"),
                ("carry.owner", &victim_id),
                ("carry.entry", ""),
                ("carry.title", "Private"),
                ("carry.body", "What I cannot say at home"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/practice/journal");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM journal_drafts WHERE body = $1", "What I cannot say at home").await,
        0
    );
}

/// Every text a member wrote, searched for in the database files themselves.
#[tokio::test]
async fn deletion_leaves_nothing_of_the_member_on_disk() {
    let app = TestApp::spawn().await;
    let canary = format!("canary{}", uuid::Uuid::new_v4().simple());
    let email = format!("{canary}@example.org");
    // Someone tried the address before it had an account (from another address).
    let mut early = app.client();
    early.address = "198.51.100.99".into();
    early.post_json("/api/v1/auth/login", login(&email, "not it at all")).await;
    let mut c = app.member_named(&email, &format!("Name {canary}")).await;
    let body = format!("journal {canary} ").repeat(400);
    c.post_json("/api/v1/journal", json!({"title": format!("Title {canary}"), "body": body})).await;
    c.send_json(Method::PUT, "/api/v1/journal/draft", json!({"body": format!("draft {canary}")})).await;
    c.post_json("/api/v1/affirmations", json!({"text": format!("affirmation {canary}")})).await;
    c.post_json("/api/v1/returns", json!({"text": format!("return {canary}"), "day": "2026-11-30"})).await;
    c.post_json("/api/v1/checkins/today", json!({"values": {"safety": 4}, "note": format!("note {canary}")}))
        .await;
    let must_find = app.db.is_postgres() || {
        let path = app.db.url.trim_start_matches("sqlite://").to_owned();
        ["", "-wal"].iter().any(|sfx| {
            std::fs::read(format!("{path}{sfx}"))
                .is_ok_and(|b| b.windows(canary.len()).any(|w| w == canary.as_bytes()))
        })
    };
    assert!(must_find, "the scan below finds the member's words while they exist");
    #[cfg(unix)]
    if !app.db.is_postgres() {
        use std::os::unix::fs::PermissionsExt;
        let path = app.db.url.trim_start_matches("sqlite://").to_owned();
        for sfx in ["", "-wal", "-shm"] {
            let mode = std::fs::metadata(format!("{path}{sfx}")).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{sfx}: only this user reads the database files");
        }
    }
    // A failed sign-in for the address leaves its count (which names the email).
    app.client().post_json("/api/v1/auth/login", login(&email, "not it at all")).await;
    let hash = securebase::features::accounts::throttle::email_hash(&email);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sign_in_failures WHERE email_hash = $1", &hash).await,
        3,
        "this address and another, and the account from everywhere"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sign_in_failures WHERE email_hash = $1 AND user_id IS NULL", &hash)
            .await,
        0,
        "the counts from before sign-up became the account's"
    );

    let r = c.send_json(Method::DELETE, "/api/v1/me", json!({"password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(app.count("SELECT COUNT(*) FROM sign_in_failures WHERE email_hash = $1", &hash).await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = $1", &email).await, 0);

    if app.db.is_postgres() {
        return; // The files below are SQLite's; PostgreSQL's rows are checked above.
    }
    let db_path = app.db.url.trim_start_matches("sqlite://").to_owned();
    let scan = || {
        let mut hits = Vec::new();
        for suffix in ["", "-wal", "-shm"] {
            let file = format!("{db_path}{suffix}");
            if std::fs::read(&file).is_ok_and(|b| b.windows(canary.len()).any(|w| w == canary.as_bytes())) {
                hits.push(file);
            }
        }
        hits
    };
    assert_eq!(scan(), Vec::<String>::new(), "right after deletion");
    app.state.db.close().await;
    assert_eq!(scan(), Vec::<String>::new(), "after shutdown");
    assert!(std::fs::metadata(format!("{db_path}-wal")).map_or(true, |m| m.len() == 0));
}

mod connections {
    use std::time::{Duration, Instant};

    use securebase::server::{ServeLimits, serve};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    use super::common::TestApp;

    async fn start(
        app: &TestApp,
        limits: ServeLimits,
    ) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let router = securebase::app::build_router(app.state.clone());
        let server = tokio::spawn(async move {
            serve(listener, router, limits, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        (addr, stop, server)
    }

    async fn healthz(addr: std::net::SocketAddr) -> String {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        out
    }

    /// True once the server has closed the connection (EOF or reset).
    async fn closed_by_server(s: &mut TcpStream, within: Duration) -> bool {
        let mut buf = [0u8; 64];
        matches!(tokio::time::timeout(within, s.read(&mut buf)).await, Ok(Ok(0)) | Ok(Err(_)))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn slow_and_idle_connections_cannot_keep_others_out() {
        let app = TestApp::spawn().await;
        let limits = ServeLimits {
            header_read_timeout: Duration::from_millis(800),
            max_connections: 1024,
            per_address: None,
            shutdown_grace: Duration::from_secs(2),
        };
        let (addr, stop, server) = start(&app, limits).await;
        // 300 connections that send half a request and then nothing.
        let mut slow = Vec::new();
        for _ in 0..300 {
            let mut s = TcpStream::connect(addr).await.unwrap();
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: local").await.unwrap();
            slow.push(s);
        }
        let started = Instant::now();
        let answer = tokio::time::timeout(Duration::from_secs(5), healthz(addr)).await.expect("answered");
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(started.elapsed() < Duration::from_millis(700), "answered at once, not after the slow ones");
        // The server closes each slow connection when its header deadline passes.
        for s in slow.iter_mut().take(30) {
            assert!(closed_by_server(s, Duration::from_secs(3)).await, "a slow connection was held open");
        }
        // An idle keep-alive connection is closed the same way after a response.
        let mut idle = TcpStream::connect(addr).await.unwrap();
        idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
        let mut buf = vec![0u8; 4096];
        let n = idle.read(&mut buf).await.unwrap();
        assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
        assert!(closed_by_server(&mut idle, Duration::from_secs(3)).await, "idle keep-alive was held open");
        stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(5), server).await.expect("shut down").unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn at_the_connection_cap_new_clients_wait_their_turn_and_are_served() {
        let app = TestApp::spawn().await;
        let limits = ServeLimits {
            header_read_timeout: Duration::from_millis(500),
            max_connections: 16,
            per_address: None,
            shutdown_grace: Duration::from_secs(2),
        };
        let (addr, stop, server) = start(&app, limits).await;
        let mut held = Vec::new();
        for _ in 0..16 {
            held.push(TcpStream::connect(addr).await.unwrap());
        }
        // The 17th waits in the queue until a held one times out, then is served.
        let answer =
            tokio::time::timeout(Duration::from_secs(5), healthz(addr)).await.expect("served in the end");
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(5), server).await.expect("shut down").unwrap();
    }

    /// A connection from a chosen loopback address (127.0.0.0/8 all reach us).
    async fn connect_from(from: &str, addr: std::net::SocketAddr) -> TcpStream {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
        socket.connect(addr).await.unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_address_cannot_hold_every_connection() {
        let app = TestApp::spawn().await;
        let limits = ServeLimits {
            header_read_timeout: Duration::from_secs(5),
            max_connections: 64,
            per_address: Some(8),
            shutdown_grace: Duration::from_secs(2),
        };
        let (addr, stop, server) = start(&app, limits).await;
        let mut hog = Vec::new();
        for _ in 0..8 {
            hog.push(connect_from("127.0.0.2", addr).await);
        }
        // The ninth from the same address is closed at once ...
        let mut ninth = connect_from("127.0.0.2", addr).await;
        assert!(closed_by_server(&mut ninth, Duration::from_secs(2)).await, "the ninth was kept");
        // ... while another address is served straight away.
        let mut other = connect_from("127.0.0.3", addr).await;
        other
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        tokio::time::timeout(Duration::from_secs(2), other.read_to_string(&mut answer))
            .await
            .unwrap()
            .unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        // When the hog lets one go, its place comes back.
        drop(hog.pop());
        tokio::time::sleep(Duration::from_millis(100)).await;
        let mut again = connect_from("127.0.0.2", addr).await;
        again
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        tokio::time::timeout(Duration::from_secs(2), again.read_to_string(&mut answer))
            .await
            .unwrap()
            .unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(5), server).await.expect("shut down").unwrap();
    }
}

/// A request refused before it reaches a page (a body announced as too
/// large) and a static file that is not there still carry the security
/// headers, and neither may be kept; a static file that is there may be.
#[tokio::test]
async fn early_refusals_and_missing_static_files_carry_the_security_headers() {
    let app = TestApp::spawn().await;
    let mut c = app.client();
    let too_large = (2 * 1024 * 1024 + 10).to_string();
    let refused = c
        .request(
            Method::POST,
            "/api/v1/journal",
            Some("application/json"),
            "{}".to_owned(),
            &[("content-length", too_large.as_str())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    let missing = c.get("/static/nope.css").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    for r in [&refused, &missing] {
        assert_eq!(r.header("x-frame-options"), Some("DENY"));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert!(r.header("content-security-policy").is_some_and(|p| p.contains("frame-ancestors 'none'")));
        assert_eq!(r.header("cache-control"), Some("no-store"));
    }
    let css = c.get("/static/site.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.header("cache-control"), Some("public, max-age=3600"));
    assert_eq!(css.header("x-content-type-options"), Some("nosniff"));
}
