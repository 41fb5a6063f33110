//! Learn: the guide, FAQ, get started, posts (visibility, slugs, sanitising),
//! feeds and search — on either database.

mod common;

use axum::http::{Method, StatusCode};
use common::{Client, TestApp};
use securebase::web::Role;
use serde_json::{Value, json};

async fn create_post(coach: &mut Client, title: &str, publish: &str, extra: Value) -> Value {
    let mut body =
        json!({"title": title, "body": format!("Body of {title}."), "publish": publish, "tags": ["repair"]});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let r = coach.post_json("/api/v1/posts", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()
}

fn in_a_week() -> String {
    securebase::clock::rfc3339(securebase::clock::now() + 7 * 86_400)
}

#[tokio::test]
async fn the_guide_has_twelve_chapters_with_previous_and_next() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let index = c.get("/guide").await;
    assert_eq!(index.status, StatusCode::OK);
    let list = c.get("/api/v1/guide").await.json();
    let chapters = list.as_array().unwrap();
    assert_eq!(chapters.len(), 12);
    for ch in chapters {
        let slug = ch["slug"].as_str().unwrap();
        assert!(index.body.contains(&format!("href=\"/guide/{slug}\"")), "{slug}");
        let page = c.get(&format!("/guide/{slug}")).await;
        assert_eq!(page.status, StatusCode::OK, "{slug}");
        let title = ch["title"].as_str().unwrap().replace('\'', "&#39;");
        assert!(page.body.contains(&title), "{title}");
        assert!(page.body.contains("id=\"quick-exit\""));
    }
    let first = c.get("/guide/what-it-is").await.body;
    assert!(first.contains("rel=\"next\" href=\"/guide/what-it-is-not\"") && !first.contains("rel=\"prev\""));
    let last = c.get("/guide/when-it-isnt-safe").await.body;
    assert!(last.contains("rel=\"prev\" href=\"/guide/four-paths\"") && !last.contains("rel=\"next\""));
    assert!(last.contains("abuse") && last.contains("href=\"/safety\""));
    assert_eq!(c.get("/guide/no-such-chapter").await.status, StatusCode::NOT_FOUND);
    let one = c.get("/api/v1/guide/conflict").await.json();
    assert!(one["html"].as_str().unwrap().contains("on one side, against the problem"));
    assert_eq!(c.get("/api/v1/guide/nope").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn faq_and_resources() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let faq = c.get("/api/v1/faq").await.json();
    let page = c.get("/faq").await.body;
    for q in faq.as_array().unwrap() {
        assert!(page.contains(&format!("id=\"{}\"", q["id"].as_str().unwrap())));
    }
    for id in [
        "fixed-in-childhood",
        "hard-feelings",
        "can-it-be-built",
        "relationship-more-secure",
        "boring",
        "is-this-therapy",
        "who-sees-what",
    ] {
        assert!(faq.as_array().unwrap().iter().any(|q| q["id"] == id), "{id}");
    }
    let resources = c.get("/resources").await.body;
    assert!(resources.contains("Hold Me Tight") && resources.contains("1987"));
}

#[tokio::test]
async fn drafts_and_scheduled_posts_are_hidden_from_everyone_but_staff() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("coach@example.org", Role::Coach).await;
    let admin = app.with_role("admin@example.org", Role::Admin).await;
    let member = app.member("member@example.org").await;
    let visitor = app.client();

    create_post(&mut coach, "Published piece", "publish", json!({})).await;
    create_post(&mut coach, "Draft piece", "draft", json!({})).await;
    create_post(&mut coach, "Scheduled piece", "schedule", json!({"publish_at": in_a_week()})).await;

    for (who, c) in [("visitor", &visitor), ("member", &member)] {
        let list = c.get("/posts").await.body;
        assert!(list.contains("Published piece"), "{who}");
        assert!(!list.contains("Draft piece") && !list.contains("Scheduled piece"), "{who}");
        let api = c.get("/api/v1/posts").await.json();
        assert_eq!(api["total"], 1, "{who}");
        for slug in ["draft-piece", "scheduled-piece"] {
            assert_eq!(c.get(&format!("/posts/{slug}")).await.status, StatusCode::NOT_FOUND, "{who} {slug}");
            assert_eq!(
                c.get(&format!("/api/v1/posts/{slug}")).await.status,
                StatusCode::NOT_FOUND,
                "{who} {slug}"
            );
        }
        let tag = c.get("/tags/repair").await.body;
        assert!(
            tag.contains("Published piece")
                && !tag.contains("Draft piece")
                && !tag.contains("Scheduled piece")
        );
        let feed = c.get("/feed.xml").await.body;
        assert!(
            feed.contains("Published piece")
                && !feed.contains("Draft piece")
                && !feed.contains("Scheduled piece")
        );
        let hits = c.get("/api/v1/search?q=piece").await.json();
        let titles: Vec<_> =
            hits.as_array().unwrap().iter().map(|h| h["title"].as_str().unwrap().to_owned()).collect();
        assert_eq!(titles, ["Published piece"], "{who}");
    }
    for c in [&coach, &admin] {
        let draft = c.get("/posts/draft-piece").await;
        assert_eq!(draft.status, StatusCode::OK);
        assert!(draft.body.contains("only coaches can see it"));
        assert_eq!(c.get("/api/v1/posts/scheduled-piece").await.json()["status"], "scheduled");
    }
}

#[tokio::test]
async fn only_staff_write_posts() {
    let app = TestApp::spawn().await;
    let mut member = app.member("m@example.org").await;
    let body = json!({"title": "Hi", "body": "x", "publish": "publish"});
    assert_eq!(member.post_json("/api/v1/posts", body.clone()).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.client().post_json("/api/v1/posts", body).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(member.get("/coach/posts").await.status, StatusCode::FORBIDDEN);
    assert_eq!(member.get("/coach/posts/new").await.status, StatusCode::FORBIDDEN);
    let mut coach = app.with_role("c@example.org", Role::Coach).await;
    create_post(&mut coach, "Mine", "publish", json!({})).await;
    assert_eq!(member.delete("/api/v1/posts/mine").await.status, StatusCode::FORBIDDEN);
    let r = member
        .send_json(
            Method::PUT,
            "/api/v1/posts/mine",
            json!({"title": "Taken over", "body": "x", "publish": "publish"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(member.get("/posts/mine").await.body.contains("Mine"));
}

#[tokio::test]
async fn a_slug_clash_is_a_field_error() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("c@example.org", Role::Coach).await;
    create_post(&mut coach, "On repair", "publish", json!({})).await;
    let r = coach
        .post_json("/api/v1/posts", json!({"title": "On repair", "body": "Again.", "publish": "draft"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"]["fields"]["slug"].as_str().unwrap().contains("already uses"));

    // Through the editor, the text comes back intact with the problem named.
    let r = coach
        .post_form(
            "/coach/posts/new",
            &[
                ("title", "Second"),
                ("slug", "on-repair"),
                ("body", "Words I do not want to lose."),
                ("publish", "draft"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"slug-error\""));
    assert!(r.body.contains("Words I do not want to lose."));
}

#[tokio::test]
async fn hostile_markdown_is_sanitised_everywhere() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("c@example.org", Role::Coach).await;
    let payloads = [
        "<script>alert('x')</script>",
        "<img src=x onerror=alert(1)>",
        "[click me](javascript:alert(1))",
        "<a href=\"JAVASCRIPT:alert(1)\">x</a>",
        "<div onclick=\"alert(1)\">x</div>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<svg onload=alert(1)>",
        "<p style=\"position:fixed\">x</p>",
        "[x](data:text/html,<script>alert(1)</script>)",
        "<form action=https://evil.example><button>x</button></form>",
    ];
    let body = payloads.join("\n\n") + "\n\nAnd some *real* words.";
    let post = create_post(&mut coach, "Hostile", "publish", json!({"body": body})).await;
    let html = post["body_html"].as_str().unwrap().to_lowercase();
    let page = app.client().get("/posts/hostile").await.body.to_lowercase();
    let feed = app.client().get("/feed.xml").await.body.to_lowercase();
    let preview = coach.post_json("/api/v1/posts/preview", json!({"body": body})).await.json()["html"]
        .as_str()
        .unwrap()
        .to_lowercase();
    for bad in
        ["<script", "onerror", "onclick", "onload", "javascript:", "<iframe", "style=", "data:text", "<form"]
    {
        assert!(!html.contains(bad), "API html has {bad}: {html}");
        assert!(!preview.contains(bad), "preview has {bad}");
        let article = &page[page.find("<article").unwrap()..];
        assert!(!article.contains(bad), "page has {bad}");
        assert!(!feed.contains(&bad.replace('<', "&lt;")), "feed has {bad}");
    }
    assert!(html.contains("<em>real</em>"));
}

#[tokio::test]
async fn search_ranks_titles_first_and_survives_any_input() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("c@example.org", Role::Coach).await;
    create_post(
        &mut coach,
        "Everyday things",
        "publish",
        json!({"body": "A note that mentions lanterns only once, in passing."}),
    )
    .await;
    create_post(
        &mut coach,
        "Lanterns in the dark",
        "publish",
        json!({"body": "Lanterns help. Lanterns guide. Lanterns glow."}),
    )
    .await;
    let c = app.client();
    let hits = c.get("/api/v1/search?q=lanterns").await.json();
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0]["title"], "Lanterns in the dark");
    assert!(hits[0]["snippet_html"].as_str().unwrap().to_lowercase().contains("<mark>lanterns</mark>"));

    // The guide and FAQ are searchable too.
    let guide = c.get("/api/v1/search?q=accountability").await.json();
    assert!(guide.as_array().unwrap().iter().any(|h| h["url"] == "/guide/what-it-needs"), "{guide}");
    let faq = c.get("/api/v1/search?q=boring").await.json();
    assert!(faq.as_array().unwrap().iter().any(|h| h["kind"] == "FAQ"), "{faq}");

    let long = "love ".repeat(400);
    for q in [
        "\"unbalanced",
        "repair OR",
        "NEAR(a b)",
        "*",
        "-",
        "a:b",
        "💔🙂",
        "' OR 1=1 --",
        "<script>",
        "%",
        "\\",
        &long,
        "AND AND",
        ":*",
        "&|!",
    ] {
        let page = c.get(&format!("/search?q={}", common::encode(q))).await;
        assert_eq!(page.status, StatusCode::OK, "{q}");
        assert!(!page.body.contains("<script>"), "{q}");
        let api = c.get(&format!("/api/v1/search?q={}", common::encode(q))).await;
        assert_eq!(api.status, StatusCode::OK, "{q}: {}", api.body);
        assert!(api.json().is_array());
    }
    let page = c.get("/search?q=repair").await;
    assert!(page.body.contains("<mark>"));
}

#[tokio::test]
async fn the_atom_feed_is_valid() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("c@example.org", Role::Coach).await;
    create_post(
        &mut coach,
        "Feed & friends <together>",
        "publish",
        json!({"excerpt": "An excerpt.", "tags": ["repair", "shame"]}),
    )
    .await;
    create_post(&mut coach, "Second post", "publish", json!({"tags": ["shame"]})).await;
    let r = app.client().get("/feed.xml").await;
    assert!(r.header("content-type").unwrap().starts_with("application/atom+xml"));
    let feed = atom_syndication::Feed::read_from(r.body.as_bytes()).expect("a parser accepts the feed");
    assert_eq!(feed.entries().len(), 2);
    assert!(feed.entries().iter().any(|e| e.title().as_str() == "Feed & friends <together>"));
    assert!(feed.entries().iter().all(|e| e.links().iter().any(|l| l.href().contains("/posts/"))));
    let tag = app.client().get("/tags/repair/feed.xml").await;
    assert_eq!(atom_syndication::Feed::read_from(tag.body.as_bytes()).unwrap().entries().len(), 1);
    assert_eq!(app.client().get("/tags/nothing-here/feed.xml").await.status, StatusCode::NOT_FOUND);

    // A real-world feed reader must accept it too (Python's feedparser, where installed).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.xml");
    std::fs::write(&path, &r.body).unwrap();
    let script = "import sys, feedparser\nd = feedparser.parse(sys.argv[1])\nassert not d.bozo, d.bozo_exception\nassert d.version == 'atom10', d.version\nprint(len(d.entries))";
    match std::process::Command::new("python3").args(["-c", script]).arg(&path).output() {
        Ok(out) if out.status.success() => assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "2"),
        Ok(out)
            if String::from_utf8_lossy(&out.stderr).contains("No module named 'feedparser'")
                && std::env::var("REQUIRE_FEEDPARSER").is_err() => {}
        Ok(out) => panic!("feedparser rejected the feed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => assert!(std::env::var("REQUIRE_FEEDPARSER").is_err(), "python3 is required"),
    }
}

#[tokio::test]
async fn get_started_answers_follow_a_visitor_into_their_account() {
    let app = TestApp::spawn().await;
    let mut visitor = app.client();
    let r = visitor
        .post_form(
            "/start",
            &[
                ("path", "more-secure-partner"),
                ("company", "with-partner"),
                ("reasons", "conflict"),
                ("reasons", "after-hurt"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let plan = visitor.get("/start/plan").await.body;
    assert!(plan.contains("/guide/four-paths#more-secure-partner"));
    assert!(plan.contains("/guide/conflict"));

    let r = visitor
        .post_json(
            "/api/v1/auth/signup",
            json!({"email": "new@example.org", "password": common::PASSWORD, "display_name": "New"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    assert!(!visitor.cookies.contains_key("sb_start"), "the cookie is cleared once kept");
    let link = app.link_in_mail("new@example.org", "/verify/").await;
    visitor.post_form(&link, &[]).await;
    let r = visitor
        .post_json("/api/v1/auth/login", json!({"email": "new@example.org", "password": common::PASSWORD}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let saved = visitor.get("/api/v1/start").await.json();
    assert_eq!(saved["answers"]["path"], "more-secure-partner");
    assert_eq!(saved["answers"]["reasons"], json!(["conflict", "after-hurt"]));
    let export = visitor.export().await.json();
    assert_eq!(export["get_started"]["company"], "with-partner");

    // Retaking updates the profile; the form shows the saved answers.
    let form = visitor.get("/start").await.body;
    assert!(form.contains("value=\"more-secure-partner\" checked"));
    visitor.post_form("/start", &[("path", "growing"), ("company", "alone")]).await;
    assert_eq!(visitor.get("/api/v1/start").await.json()["answers"]["path"], "growing");

    // Fear of a partner puts safety first.
    let r = visitor
        .post_json(
            "/api/v1/start",
            json!({"path": "growing", "company": "with-partner", "reasons": [], "afraid": true}),
        )
        .await;
    assert_eq!(r.json()["plan"]["steps"][0]["url"], "/safety");

    // Bad answers come back marked, with the choices kept.
    let r = app.client().post_form("/start", &[("company", "alone"), ("reasons", "conflict")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"path-error\"") && r.body.contains("value=\"conflict\" checked"));
}

#[tokio::test]
async fn the_editor_previews_then_saves_and_keeps_the_publication_date() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("c@example.org", Role::Coach).await;
    let r = coach
        .post_form(
            "/coach/posts/new",
            &[
                ("title", "Preview me"),
                ("body", "## A heading\n\n*soft*"),
                ("publish", "publish"),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<em>soft</em>") && r.body.contains("value=\"Preview me\""));
    assert_eq!(app.client().get("/api/v1/posts").await.json()["total"], 0, "preview saves nothing");

    let r = coach
        .post_form(
            "/coach/posts/new",
            &[
                ("title", "Preview me"),
                ("body", "Text."),
                ("publish", "publish"),
                ("chapters", "conflict"),
                ("chapters", "what-it-needs"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let post = coach.get("/api/v1/posts/preview-me").await.json();
    assert_eq!(post["chapters"], json!(["conflict", "what-it-needs"]));
    let id = post["id"].as_str().unwrap().to_owned();
    app.exec("UPDATE posts SET publish_at = publish_at - 86400 WHERE id = $1", &[&id]).await;
    let before = coach.get("/api/v1/posts/preview-me").await.json()["publish_at"].clone();
    let r = coach
        .post_form(
            &format!("/coach/posts/{id}"),
            &[
                ("title", "Preview me"),
                ("body", "Edited."),
                ("publish", "keep"),
                ("chapters", "conflict"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let after = coach.get("/api/v1/posts/preview-me").await.json();
    assert_eq!(after["publish_at"], before);
    assert_eq!(after["body_markdown"], "Edited.");
    // The chapter page links back to the post.
    assert!(app.client().get("/guide/conflict").await.body.contains("href=\"/posts/preview-me\""));

    let r = coach.post_form(&format!("/coach/posts/{id}/delete"), &[("confirm", "yes")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.client().get("/posts/preview-me").await.status, StatusCode::NOT_FOUND);
    assert!(app.client().get("/api/v1/search?q=edited").await.json().as_array().unwrap().is_empty());
}

#[tokio::test]
async fn posts_paginate() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("c@example.org", Role::Coach).await;
    for i in 0..12 {
        create_post(&mut coach, &format!("Post number {i}"), "publish", json!({})).await;
    }
    let c = app.client();
    let first = c.get("/posts").await.body;
    assert_eq!(first.matches("<li class=\"card\">").count(), 10);
    assert!(first.contains("href=\"/posts?page=2\""));
    let second = c.get("/posts?page=2").await.body;
    assert_eq!(second.matches("<li class=\"card\">").count(), 2);
    assert_eq!(c.get("/api/v1/posts?page=2").await.json()["pages"], 2);
}

#[tokio::test]
async fn a_post_page_has_its_lede_byline_and_posts_to_read_next() {
    let app = TestApp::spawn().await;
    let mut coach = app.with_role("writer@example.org", Role::Coach).await;
    let main = create_post(
        &mut coach,
        "On coming back",
        "publish",
        json!({"excerpt": "Why the return matters more than the rupture.", "tags": ["repair", "shame"]}),
    )
    .await;
    create_post(&mut coach, "Shared both", "publish", json!({"tags": ["repair", "shame"]})).await;
    create_post(&mut coach, "Shared none", "publish", json!({"tags": ["closeness"]})).await;
    create_post(&mut coach, "Shared one", "publish", json!({"tags": ["shame"]})).await;
    create_post(&mut coach, "Also one", "publish", json!({"tags": ["repair"]})).await;
    create_post(&mut coach, "A draft", "draft", json!({"tags": ["repair", "shame"]})).await;
    let slug = main["slug"].as_str().unwrap();
    let page = app.client().get(&format!("/posts/{slug}")).await.body;
    assert!(page.contains("<p class=\"lede\">Why the return matters more than the rupture.</p>"), "{page}");
    assert!(page.contains("By <strong>"), "an author line: {page}");
    let next = &page[page.find("Read next").expect("a read-next section")..];
    let (both, one, none) =
        (next.find("Shared both").unwrap(), next.find("Shared one").unwrap(), next.find("Shared none"));
    assert!(both < one, "most shared tags first");
    assert!(next.contains("Also one"));
    assert!(none.is_none(), "three at most, the unrelated one left out");
    assert!(!next.contains("A draft") && !next.contains("On coming back"));
    // Without an excerpt of its own, a post has no lede (its text is not repeated).
    let page = app.client().get("/posts/shared-one").await.body;
    assert!(!page.contains("<p class=\"lede\">"));
}
