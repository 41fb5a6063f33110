//! The page shell, HTML forms, security headers, errors and operations endpoints.

mod common;

use axum::http::{Method, StatusCode};
use common::{PASSWORD, TestApp};

#[tokio::test]
async fn visitor_home_explains_and_invites() {
    let app = TestApp::spawn().await;
    let r = app.client().get("/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("href=\"/signup\""));
    assert!(r.body.contains("secure attachment") || r.body.contains("Secure attachment"));
    assert!(r.body.contains("id=\"quick-exit\""), "quick exit on every page");
    assert!(r.body.contains("href=\"/safety\""), "safety in the footer");
    assert!(!r.body.contains("href=\"/settings\""), "no links a visitor cannot use");
}

#[tokio::test]
async fn every_page_has_quick_exit_and_the_safety_link() {
    let app = TestApp::spawn().await;
    let signed_in = app.member("nia@example.org").await;
    for path in ["/", "/safety", "/signin", "/signup", "/does-not-exist"] {
        let body = app.client().get(path).await.body;
        assert!(body.contains("id=\"quick-exit\"") && body.contains("href=\"/safety\""), "{path}");
    }
    for path in [
        "/",
        "/settings",
        "/settings/sessions",
        "/settings/delete",
        "/know",
        "/know/instruments/closeness-reflection",
    ] {
        let r = signed_in.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(r.body.contains("id=\"quick-exit\""), "{path}");
        assert!(r.body.contains("Sign out"), "{path}");
    }
}

#[tokio::test]
async fn safety_page_says_it_plainly_and_lists_local_help() {
    let app = TestApp::spawn().await;
    let body = app.client().get("/safety").await.body;
    assert!(body.contains("not the answer"));
    assert!(body.contains("emergency"));

    // An instance can add its own help lines (from securebase.toml).
    let mut config = app.state.config.clone();
    config.help_lines = vec![securebase::config::HelpLine {
        name: "Riverside Women's Aid".into(),
        phone: Some("0800 123 456".into()),
        url: Some("https://help.example.org".into()),
        hours: Some("every day, 8am to 10pm".into()),
    }];
    let state = securebase::app::AppState::new(config, app.state.db.clone());
    let router = securebase::app::build_router(state);
    let body = app.client().with_router(router).get("/safety").await.body;
    assert!(body.contains("Riverside Women&#39;s Aid"), "{body}");
    assert!(body.contains("0800 123 456"));
}

#[tokio::test]
async fn sign_up_form_keeps_what_was_typed_except_the_password() {
    let app = TestApp::spawn().await;
    let mut c = app.client();
    let r = c
        .post_form(
            "/signup",
            &[
                ("email", "ora@example"),
                ("display_name", "Ora <b>Lee</b>"),
                ("password", "short-pass"),
                ("time_zone", "Asia/Tokyo"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"ora@example\""));
    assert!(r.body.contains("value=\"Ora &#60;b&#62;Lee&#60;/b&#62;\""), "typed text is kept, escaped");
    assert!(!r.body.contains("short-pass"), "the password is never sent back");
    assert!(r.body.contains("id=\"email-error\"") && r.body.contains("id=\"password-error\""));
    assert!(r.body.contains("aria-invalid=\"true\""));
    assert!(r.body.contains("<option value=\"Asia/Tokyo\" selected>"));

    let r = c
        .post_form(
            "/signup",
            &[
                ("email", "ora@example.org"),
                ("display_name", "Ora"),
                ("password", PASSWORD),
                ("time_zone", "UTC"),
            ],
        )
        .await;
    // Then: the inbox; the link confirms; a first sign-in is welcomed, not welcomed back.
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Check your inbox to finish") && r.body.contains("ora@example.org"),
        "{}",
        r.body
    );
    let link = app.link_in_mail("ora@example.org", "/verify/").await;
    let page = c.get(&link).await;
    assert!(page.body.contains("Confirm my address"), "opening the link changes nothing: {}", page.body);
    let r = c.post_form(&link, &[]).await;
    assert_eq!(r.location(), "/", "confirmed in the browser that signed up: signed in");
    let home = c.get("/").await;
    assert!(home.body.contains("Welcome, Ora.") && !home.body.contains("Welcome back"), "{}", home.body);
    assert!(home.body.contains("Your address is confirmed and you are signed in."));
}

/// A link opened elsewhere (another browser, or someone else's hands) only
/// confirms the address: it signs nobody in.
#[tokio::test]
async fn a_confirmation_link_opened_elsewhere_signs_nobody_in() {
    let app = TestApp::spawn().await;
    let mut laptop = app.client();
    let form =
        [("email", "uma@example.org"), ("display_name", "Uma"), ("password", PASSWORD), ("time_zone", "UTC")];
    assert_eq!(laptop.post_form("/signup", &form).await.status, StatusCode::OK);
    let link = app.link_in_mail("uma@example.org", "/verify/").await;
    let mut phone = app.client();
    let r = phone.post_form(&link, &[]).await;
    assert_eq!(r.location(), "/signin");
    assert!(phone.session_cookie().is_none());
    assert!(phone.get("/signin").await.body.contains("Your email address is confirmed."));
    let r = phone
        .post_form("/signin", &[("email", "uma@example.org"), ("password", PASSWORD), ("next", "/")])
        .await;
    assert_eq!(r.location(), "/", "now the password signs in");
    // A link asked for again (from the sign-in page) still signs in only the browser that signed up.
    let mut other = app.client();
    let form =
        [("email", "val@example.org"), ("display_name", "Val"), ("password", PASSWORD), ("time_zone", "UTC")];
    laptop.post_form("/signup", &form).await;
    let r = other.post_form("/verify/again", &[("email", "val@example.org")]).await;
    assert_eq!(r.location(), "/signin");
    assert!(other.get("/signin").await.body.contains("a new link is on its way"));
    let mails = app.mail_to("val@example.org").await;
    assert_eq!(mails.len(), 2, "the sign-up's mail and the new one");
    let links: Vec<String> = mails
        .iter()
        .map(|m| {
            let at = m.text_body.find("/verify/").unwrap();
            m.text_body[at..at + "/verify/".len() + 64].to_owned()
        })
        .collect();
    assert_eq!(laptop.post_form(&links[0], &[]).await.status, StatusCode::GONE, "replaced");
    assert_eq!(other.post_form(&links[1], &[]).await.location(), "/signin", "not the asker's browser");
    assert!(other.session_cookie().is_none());
}

#[tokio::test]
async fn a_new_link_still_signs_in_the_browser_that_signed_up() {
    let app = TestApp::spawn().await;
    let mut laptop = app.client();
    let form =
        [("email", "val@example.org"), ("display_name", "Val"), ("password", PASSWORD), ("time_zone", "UTC")];
    laptop.post_form("/signup", &form).await;
    app.run_jobs().await;
    app.client().post_form("/verify/again", &[("email", "val@example.org")]).await;
    let link = app.link_in_mail("val@example.org", "/verify/").await;
    assert_eq!(app.mail_to("val@example.org").await.len(), 2);
    assert_eq!(laptop.post_form(&link, &[]).await.location(), "/");
    assert_eq!(laptop.get("/api/v1/me").await.json()["email"], "val@example.org");
}

#[tokio::test]
async fn sign_in_page_keeps_the_email_and_returns_to_next() {
    let app = TestApp::spawn().await;
    app.member("pat@example.org").await;
    let mut c = app.client();
    let r = c.get_mut("/settings/sessions").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/signin?next=/settings/sessions");

    let r = c
        .post_form(
            "/signin",
            &[("email", "pat@example.org"), ("password", "wrong password"), ("next", "/settings/sessions")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"pat@example.org\""));
    assert!(r.body.contains("do not match"));
    assert!(!r.body.contains("wrong password"));

    let r = c
        .post_form(
            "/signin",
            &[("email", "pat@example.org"), ("password", PASSWORD), ("next", "https://evil.example/")],
        )
        .await;
    assert_eq!(r.location(), "/", "never redirect off-site");
    let r = c
        .post_form(
            "/signin",
            &[("email", "pat@example.org"), ("password", PASSWORD), ("next", "/settings/sessions")],
        )
        .await;
    assert_eq!(r.location(), "/settings/sessions");
}

#[tokio::test]
async fn password_change_page_names_the_problem() {
    let app = TestApp::spawn().await;
    let mut c = app.member("quinn@example.org").await;
    let r = c
        .post_form(
            "/settings/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "another good sentence"),
                ("confirm_password", "another good sentense"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"confirm_password-error\""));
    assert!(r.body.contains("not the same"));
    let r = c
        .post_form(
            "/settings/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "another good sentence"),
                ("confirm_password", "another good sentence"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let app = TestApp::spawn().await;
    let c = app.member("rae@example.org").await;
    for path in ["/", "/signin", "/api/v1/me", "/nope", "/static/site.css"] {
        let r = c.get(path).await;
        let csp = r.header("content-security-policy").unwrap_or_else(|| panic!("CSP on {path}"));
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
        assert!(r.header("permissions-policy").unwrap().contains("camera=()"));
    }
    assert_eq!(c.get("/settings").await.header("cache-control"), Some("no-store"));
    assert!(c.get("/static/site.css").await.header("cache-control").unwrap().contains("max-age"));
}

#[tokio::test]
async fn pages_have_no_inline_scripts_or_styles() {
    let app = TestApp::spawn().await;
    let c = app.member("sol@example.org").await;
    for path in ["/", "/settings", "/settings/sessions", "/safety"] {
        let body = c.get(path).await.body;
        for tag in body.match_indices("<script") {
            let rest = &body[tag.0..];
            let end = rest.find('>').unwrap();
            assert!(rest[..end].contains("src="), "inline script on {path}");
        }
        assert!(!body.contains("<style") && !body.contains(" style=\""), "inline style on {path}");
        assert!(!body.contains(" onclick="), "inline handler on {path}");
    }
}

#[tokio::test]
async fn sign_out_clears_the_browser() {
    let app = TestApp::spawn().await;
    let mut c = app.member("tam@example.org").await;
    let r = c.post_form("/signout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.header("clear-site-data").unwrap().contains("storage"));
    assert!(c.session_cookie().is_none());
    assert_eq!(c.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    assert!(c.get("/").await.body.contains("You have signed out."));
}

#[tokio::test]
async fn cross_site_form_posts_are_refused() {
    let app = TestApp::spawn().await;
    let mut victim = app.member("uma@example.org").await;
    let r = victim
        .request(
            Method::POST,
            "/settings/sessions/end-others",
            Some("application/x-www-form-urlencoded"),
            String::new(),
            &[
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "cross-site"),
                ("host", "localhost:8080"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("another site"), "{}", r.body);
    let r = victim
        .request(
            Method::POST,
            "/api/v1/me/sessions/end-others",
            Some("application/json"),
            "{}".into(),
            &[("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["code"], "cross_site_request");
    // The same form from the site itself goes through.
    let r = victim
        .request(
            Method::POST,
            "/settings/sessions/end-others",
            Some("application/x-www-form-urlencoded"),
            String::new(),
            &[
                ("origin", "http://localhost:8080"),
                ("sec-fetch-site", "same-origin"),
                ("host", "localhost:8080"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn errors_are_html_for_pages_and_json_for_the_api() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let page = c.get("/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    assert!(page.body.contains("Page not found"));
    let api = c.get("/api/v1/no/such/thing").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.json()["error"]["code"], "not_found");
    let unauth = c.get("/api/v1/me").await;
    assert_eq!(unauth.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unauth.json()["error"]["code"], "unauthorized");
    let member = app.member("vic@example.org").await;
    let forbidden = member.get("/admin/users").await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert!(forbidden.body.contains("This is not open to you"));
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = TestApp::spawn().await;
    let c = app.client();
    assert_eq!(c.get("/healthz").await.body, "ok");
    assert_eq!(c.get("/readyz").await.body, "ready");
    c.get("/").await;
    // Without a token the main listener shows no metrics (see metrics_bind).
    assert_eq!(c.get("/metrics").await.status, StatusCode::UNAUTHORIZED);

    let guarded = TestApp::spawn_with(&[("SECUREBASE_METRICS_TOKEN", "a-long-metrics-token")]).await;
    let c = guarded.client();
    assert_eq!(c.get("/metrics").await.status, StatusCode::UNAUTHORIZED);
    let mut c = guarded.client();
    let r = c
        .request(
            Method::GET,
            "/metrics",
            None,
            String::new(),
            &[("authorization", "Bearer a-long-metrics-token")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("http_requests_total"), "{}", r.body);
}

#[tokio::test]
async fn openapi_describes_every_api_route() {
    let app = TestApp::spawn().await;
    let doc = app.client().get("/api/v1/openapi.json").await.json();
    assert_eq!(doc["openapi"].as_str().unwrap().chars().next(), Some('3'));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/auth/signup", "post"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/me", "patch"),
        ("/api/v1/me", "delete"),
        ("/api/v1/me/sessions", "get"),
        ("/api/v1/me/sessions/{id}", "delete"),
        ("/api/v1/me/export", "post"),
        ("/api/v1/admin/users", "get"),
        ("/api/v1/guide", "get"),
        ("/api/v1/guide/{slug}", "get"),
        ("/api/v1/faq", "get"),
        ("/api/v1/posts", "post"),
        ("/api/v1/posts/{slug}", "put"),
        ("/api/v1/search", "get"),
        ("/api/v1/instruments/{id}/responses", "post"),
        ("/api/v1/results/{id}", "get"),
    ] {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} missing");
    }
}

#[tokio::test]
async fn https_instances_use_host_prefixed_secure_cookies() {
    let app = TestApp::spawn_with(&[("SECUREBASE_PUBLIC_URL", "https://care.example.org")]).await;
    app.member("wren@example.org").await;
    let mut c = app.client();
    let r = c
        .post_json(
            "/api/v1/auth/login",
            serde_json::json!({"email": "wren@example.org", "password": PASSWORD}),
        )
        .await;
    let cookie = r.header("set-cookie").unwrap();
    assert!(cookie.starts_with("__Host-securebase="), "{cookie}");
    assert!(cookie.contains("; Secure"));
    assert!(c.get("/").await.header("strict-transport-security").is_some());
}

/// Every cookie an https instance sets is `Secure`: the session, the known
/// device, a one-off message, a visitor's get-started answers, and their removal.
#[tokio::test]
async fn https_instances_mark_every_cookie_secure() {
    let app = TestApp::spawn_with(&[("SECUREBASE_PUBLIC_URL", "https://care.example.org")]).await;
    let mut c = app.client();
    let mut seen: Vec<String> = Vec::new();
    let mut keep = |r: &common::TestResponse| {
        seen.extend(r.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()));
    };
    keep(&c.post_form("/start", &[("path", "growing"), ("company", "alone")]).await);
    keep(
        &c.post_form(
            "/signup",
            &[
                ("email", "wren@example.org"),
                ("display_name", "Wren"),
                ("password", PASSWORD),
                ("time_zone", "UTC"),
            ],
        )
        .await,
    );
    let link = app.link_in_mail("wren@example.org", "/verify/").await;
    keep(&c.post_form(&link, &[]).await);
    keep(&c.get_mut("/").await);
    keep(&c.post_form("/signout", &[]).await);
    keep(
        &c.post_form("/signin", &[("email", "wren@example.org"), ("password", PASSWORD), ("next", "/")])
            .await,
    );
    for name in ["sb_start=", "sb_signup=", "__Host-securebase=", "__Host-securebase-device=", "sb_flash="] {
        assert!(seen.iter().any(|c| c.starts_with(name)), "{name} was set: {seen:#?}");
    }
    for cookie in &seen {
        assert_eq!(cookie.matches("; Secure").count(), 1, "{cookie}");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    }
}

#[tokio::test]
async fn internal_errors_say_nothing_about_the_inside() {
    let app = TestApp::spawn().await;
    let mut c = app.client();
    app.state.db.pool.close().await;
    let api = c
        .post_json("/api/v1/auth/login", serde_json::json!({"email": "x@example.org", "password": PASSWORD}))
        .await;
    assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(api.json()["error"]["code"], "internal");
    let page = c.post_form("/signin", &[("email", "x@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(page.body.contains("Something went wrong"));
    for body in [&api.body, &page.body] {
        let lower = body.to_lowercase();
        assert!(!lower.contains("pool") && !lower.contains("sqlx") && !lower.contains("closed"), "{body}");
    }
    assert_eq!(c.get("/readyz").await.status, StatusCode::SERVICE_UNAVAILABLE);
}

/// Every promise about partners and sharing, on every page that makes one,
/// paired with the route that keeps it: the claim is on the page, and the
/// route answers a member with what it promises.
#[tokio::test]
async fn every_partner_claim_is_kept_by_a_route() {
    let app = TestApp::spawn().await;
    let member = app.member("claims@example.org").await;
    // (page, who reads it, the claim, the route that makes it true, what that route shows)
    let claims: &[(&str, bool, &str, &str, &str)] = &[
        ("/", false, "For people and couples", "/together", "Invite a partner"),
        (
            "/",
            false,
            "alone or with a partner, sharing only what you choose",
            "/together/shares",
            "one at a time",
        ),
        (
            "/",
            false,
            "A partner you link with sees something only when you decide to share that one thing",
            "/together",
            "What a partner can and cannot see",
        ),
        (
            "/faq",
            false,
            "they see an item only when you share that one item",
            "/together/shares",
            "shared on purpose, one at a time",
        ),
        (
            "/faq",
            false,
            "guidance for the steadier partner",
            "/together/solo",
            "If you are the more secure partner",
        ),
        (
            "/safety",
            false,
            "The <a href=\"/together/reset\">safety reset</a>",
            "/together/reset",
            "Reset now",
        ),
        ("/safety", false, "You can unlink at any time, without asking", "/together/unlink", ""),
        (
            "/signup",
            false,
            "Nobody else sees it unless you choose to share it",
            "/together/shares",
            "shared on purpose, one at a time",
        ),
        (
            "/practice/reframe",
            true,
            "Your partner does not see it unless you choose to share what you wrote",
            "/together/shares",
            "Shared",
        ),
        ("/settings", true, "Go to the safety reset", "/together/reset", "Reset now"),
    ];
    for (page, signed_in, claim, route, shows) in claims {
        let reader = if *signed_in { member.clone() } else { app.client() };
        let body = reader.get(page).await.body;
        assert!(body.contains(claim), "{page} no longer says {claim:?}");
        let r = member.get(route).await;
        if shows.is_empty() {
            // Unlinking without a partner: nothing to confirm, so not found.
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{route}");
            assert!(body.contains("unlink"), "{page}");
        } else {
            assert_eq!(r.status, StatusCode::OK, "{route}");
            assert!(r.body.contains(shows), "{route} does not show {shows:?}");
        }
    }
}

#[tokio::test]
async fn a_member_who_said_they_are_afraid_finds_safety_first_at_home() {
    let app = TestApp::spawn().await;
    let mut member = app.member("ash@example.org").await;
    let r = member
        .post_json(
            "/api/v1/start",
            serde_json::json!({"path": "growing", "company": "alone", "reasons": [], "afraid": true}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let home = member.get("/").await.body;
    let safety = home.find("Your safety comes first.").expect("safety leads");
    let next = home.find("What next, if you like").unwrap_or(usize::MAX);
    assert!(safety < next, "safety comes before the suggestions");
    assert!(home.contains("href=\"/safety\""));
    // Without that answer, no such section.
    let other = app.member("kai@example.org").await;
    assert!(!other.get("/").await.body.contains("Your safety comes first."));
}

/// Every `/static/…` address a text names (href, src, or CSS url()).
fn static_refs(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for opener in ["href=\"", "src=\"", "url(\""] {
        for piece in text.split(opener).skip(1) {
            let address = piece.split('"').next().unwrap_or_default();
            if address.starts_with("/static/") && !found.contains(&address.to_owned()) {
                found.push(address.to_owned());
            }
        }
    }
    found
}

#[tokio::test]
async fn a_first_visit_with_stylesheet_scripts_and_fonts_stays_under_60_kb_as_sent() {
    let app = TestApp::spawn().await;
    let mut c = app.client();
    let member = app.member("weigh@example.org").await;
    for (mut who, path) in [
        (c.clone(), "/"),
        (c.clone(), "/guide/conflict"),
        (member.clone(), "/"),
        (member, "/practice/journal"),
    ] {
        let gzip = [("accept-encoding", "gzip")];
        let page = who.request(Method::GET, path, None, String::new(), &gzip).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let plain = who.get(path).await;
        assert_eq!(plain.status, StatusCode::OK, "{path}");
        let html = plain.body;
        let mut total = page.bytes.len();
        let mut assets = static_refs(&html);
        let css = c.get("/static/site.css").await.body;
        assets.extend(static_refs(&css).into_iter().filter(|a| !assets.contains(a)).collect::<Vec<_>>());
        assert!(assets.iter().any(|a| a.ends_with(".woff2")), "the fonts are counted");
        for asset in &assets {
            let r = c.request(Method::GET, asset, None, String::new(), &gzip).await;
            assert_eq!(r.status, StatusCode::OK, "{asset}");
            total += r.bytes.len();
        }
        assert!(total < 60 * 1024, "{path}: {total} bytes as sent ({assets:?})");
    }
}
