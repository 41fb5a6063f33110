//! The public Learn pages: guide, FAQ, resources, get started, posts, search.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::content::{self, Chapter, FaqEntry, Resource};
use super::start::{self, StartAnswers, StartPlan};
use super::{markdown, service, store};
use crate::clock::format_date;
use crate::db::search::{self, MARK_END, MARK_START};
use crate::state::AppState;
use crate::web::auth::cookie;
use crate::web::cookies;
use crate::web::forms::form_pairs;
use crate::web::member_search::MemberSearches;
use crate::web::{AppError, FieldErrors, Layout, MaybeUser, SessionChange, render, render_with_status};

pub const START_COOKIE: &str = "sb_start";
pub const PAGE_SIZE: i64 = 10;

fn viewer_zone(user: &MaybeUser) -> String {
    user.0.as_ref().map_or_else(|| "UTC".to_owned(), |u| u.time_zone.clone())
}

// ---- guide ---------------------------------------------------------------------

#[derive(Template)]
#[template(path = "learn/guide_index.html")]
struct GuideIndex {
    layout: Layout,
    chapters: &'static [Chapter],
}

pub async fn guide_index(layout: Layout) -> Result<Response, AppError> {
    render(GuideIndex { layout, chapters: content::chapters() })
}

#[derive(Template)]
#[template(path = "learn/chapter.html")]
struct ChapterPage {
    layout: Layout,
    chapter: &'static Chapter,
    chapters: &'static [Chapter],
    prev: Option<&'static Chapter>,
    next: Option<&'static Chapter>,
    related: Vec<(String, String)>,
    practise: Vec<&'static crate::features::practice::pointers::ToolPointer>,
}

pub async fn chapter(
    State(state): State<AppState>,
    layout: Layout,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let chapter = content::chapter(&slug).ok_or(AppError::NotFound)?;
    let all = content::chapters();
    let i = chapter.number - 1;
    let related = store::published_for_chapter(&state.db, &chapter.slug, crate::clock::now()).await?;
    render(ChapterPage {
        layout,
        chapter,
        chapters: all,
        prev: i.checked_sub(1).and_then(|p| all.get(p)),
        next: all.get(i + 1),
        related,
        practise: crate::features::practice::pointers::tools_for_chapter(&chapter.slug),
    })
}

// ---- FAQ and resources -------------------------------------------------------------

#[derive(Template)]
#[template(path = "learn/faq.html")]
struct FaqPage {
    layout: Layout,
    questions: &'static [FaqEntry],
}

pub async fn faq(layout: Layout) -> Result<Response, AppError> {
    render(FaqPage { layout, questions: content::faq() })
}

#[derive(Template)]
#[template(path = "learn/resources.html")]
struct ResourcesPage {
    layout: Layout,
    resources: &'static [Resource],
}

pub async fn resources(layout: Layout) -> Result<Response, AppError> {
    render(ResourcesPage { layout, resources: content::resources() })
}

// ---- get started -------------------------------------------------------------------

pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

fn choices(options: &'static [(&'static str, &'static str)], chosen: &[&str]) -> Vec<Choice> {
    options.iter().map(|(value, label)| Choice { value, label, checked: chosen.contains(value) }).collect()
}

#[derive(Template)]
#[template(path = "learn/start.html")]
struct StartPage {
    layout: Layout,
    paths: Vec<Choice>,
    company: Vec<Choice>,
    reasons: Vec<Choice>,
    afraid: bool,
    errors: FieldErrors,
    retaking: bool,
}

impl StartPage {
    fn new(layout: Layout, a: Option<&StartAnswers>, errors: FieldErrors) -> Self {
        let reasons: Vec<&str> =
            a.map(|a| a.reasons.iter().map(String::as_str).collect()).unwrap_or_default();
        StartPage {
            layout,
            paths: choices(start::PATHS, &[a.map_or("", |a| a.path.as_str())]),
            company: choices(start::COMPANY, &[a.map_or("", |a| a.company.as_str())]),
            reasons: choices(start::REASONS, &reasons),
            afraid: a.is_some_and(|a| a.afraid),
            errors,
            retaking: a.is_some(),
        }
    }
}

/// The answers on record: the member's saved ones, or a visitor's cookie.
pub async fn current_answers(
    state: &AppState,
    user: &MaybeUser,
    headers: &HeaderMap,
) -> Result<Option<StartAnswers>, AppError> {
    if let Some(u) = &user.0
        && let Some(saved) = store::start_answers(&state.db, &u.id).await?
    {
        return Ok(StartAnswers::decode(&saved));
    }
    Ok(cookie(headers, START_COOKIE).and_then(StartAnswers::decode))
}

pub async fn start_page(
    State(state): State<AppState>,
    layout: Layout,
    user: MaybeUser,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let answers = current_answers(&state, &user, &headers).await?;
    render(StartPage::new(layout, answers.as_ref(), FieldErrors::new()))
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    path: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    reasons: Vec<String>,
    #[serde(default)]
    afraid: Option<String>,
}

pub async fn start_submit(
    State(state): State<AppState>,
    layout: Layout,
    user: MaybeUser,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    // Checkbox groups repeat a name, which serde_urlencoded's maps cannot hold.
    let form = parse_start_form(&body);
    let answers = StartAnswers {
        path: form.path,
        company: form.company,
        reasons: form.reasons,
        afraid: form.afraid.is_some(),
    };
    if let Err(errors) = answers.validate() {
        let page = StartPage::new(layout, Some(&answers), errors);
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, StartPage { retaking: false, ..page });
    }
    let mut response = Redirect::to("/start/plan").into_response();
    match &user.0 {
        Some(u) => store::save_start_answers(&state.db, &u.id, &answers.encode()).await?,
        None => {
            // A visitor's answers last only as long as the browser session: on a
            // shared device they must not be read back to the next person.
            cookies::append(&mut response, &cookies::set_cookie(START_COOKIE, &answers.encode(), None));
        }
    }
    Ok(response)
}

fn parse_start_form(body: &[u8]) -> StartForm {
    let mut form =
        StartForm { path: String::new(), company: String::new(), reasons: Vec::new(), afraid: None };
    for (k, v) in form_pairs(body) {
        match k.as_str() {
            "path" => form.path = v,
            "company" => form.company = v,
            "reasons" => form.reasons.push(v),
            "afraid" => form.afraid = Some(v),
            _ => {}
        }
    }
    form
}

#[derive(Template)]
#[template(path = "learn/start_plan.html")]
struct PlanPage {
    layout: Layout,
    plan: StartPlan,
    signed_in: bool,
}

pub async fn start_plan(
    State(state): State<AppState>,
    layout: Layout,
    user: MaybeUser,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let Some(answers) = current_answers(&state, &user, &headers).await? else {
        return Ok(Redirect::to("/start").into_response());
    };
    render(PlanPage { layout, plan: start::plan(&answers), signed_in: user.0.is_some() })
}

/// Follow sign-up, sign-in and sign-out (`SessionChange`, set by accounts): a
/// visitor's answers in this browser move to a new account, and are dropped
/// from the browser in every case. At sign-in they are not adopted: on a
/// shared device they may be someone else's.
pub async fn follow_session_changes(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let had_answers = cookie(request.headers(), START_COOKIE).map(str::to_owned);
    let mut response = next.run(request).await;
    let Some(change) = response.extensions().get::<SessionChange>().cloned() else {
        return response;
    };
    let Some(saved) = had_answers else {
        return response;
    };
    if let SessionChange::SignedUp { user_id: Some(user_id) } = &change
        && let Some(a) = StartAnswers::decode(&saved)
        && let Err(e) = store::save_start_answers(&state.db, user_id, &a.encode()).await
    {
        tracing::error!(error = %e, "could not keep get-started answers on the new account");
    }
    cookies::append(&mut response, &clear_start_cookie());
    response
}

pub fn clear_start_cookie() -> String {
    cookies::clear_cookie(START_COOKIE)
}

// ---- posts -----------------------------------------------------------------------

pub struct PostCard {
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    pub date: String,
    pub reading_minutes: i64,
    pub tags: Vec<String>,
}

impl PostCard {
    fn from(p: store::PostRecord, zone: &str) -> Self {
        PostCard {
            date: format_date(p.publish_at.unwrap_or(p.created_at), zone),
            excerpt: if p.excerpt.is_empty() {
                let text = markdown::to_plain_text(&p.body);
                let cut: String = text.chars().take(220).collect();
                if cut.len() < text.len() { format!("{}…", cut.trim_end()) } else { cut }
            } else {
                p.excerpt
            },
            slug: p.slug,
            title: p.title,
            reading_minutes: p.reading_minutes,
            tags: p.tags,
        }
    }
}

#[derive(Template)]
#[template(path = "learn/posts.html")]
struct PostsPage {
    layout: Layout,
    posts: Vec<PostCard>,
    tag: Option<String>,
    page: i64,
    pages: i64,
    base: String,
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

async fn post_list(
    state: &AppState,
    layout: Layout,
    user: &MaybeUser,
    tag: Option<String>,
    page: Option<i64>,
) -> Result<Response, AppError> {
    let page = crate::web::forms::page_number(page);
    let (posts, total) = store::list_published(
        &state.db,
        crate::clock::now(),
        tag.as_deref(),
        PAGE_SIZE,
        (page - 1) * PAGE_SIZE,
    )
    .await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    if tag.is_some() && total == 0 {
        return Err(AppError::NotFound);
    }
    let zone = viewer_zone(user);
    let base = tag.as_ref().map_or_else(|| "/posts".to_owned(), |t| format!("/tags/{t}"));
    render(PostsPage {
        layout,
        posts: posts.into_iter().map(|p| PostCard::from(p, &zone)).collect(),
        tag,
        page,
        pages,
        base,
    })
}

pub async fn posts(
    State(state): State<AppState>,
    layout: Layout,
    user: MaybeUser,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    post_list(&state, layout, &user, None, q.page).await
}

pub async fn tag(
    State(state): State<AppState>,
    layout: Layout,
    user: MaybeUser,
    Path(tag): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    if !super::posts::is_valid_slug(&tag) {
        return Err(AppError::NotFound);
    }
    post_list(&state, layout, &user, Some(tag), q.page).await
}

#[derive(Template)]
#[template(path = "learn/post.html")]
struct PostPage {
    layout: Layout,
    card: PostCard,
    /// The coach's own excerpt, set as the lede (none when they left it empty).
    lede: String,
    html: String,
    author: Option<String>,
    status_note: Option<&'static str>,
    chapters: Vec<&'static Chapter>,
    read_next: Vec<PostCard>,
}

pub async fn post(
    State(state): State<AppState>,
    layout: Layout,
    user: MaybeUser,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let is_staff = user.0.as_ref().is_some_and(|u| u.role.is_staff());
    let post = service::visible_post(&state, &slug, is_staff).await?;
    let status = super::posts::PostStatus::of(&post.status, post.publish_at, crate::clock::now());
    let html = markdown::to_safe_html(&post.body);
    let chapters = post.chapters.iter().filter_map(|c| content::chapter(c)).collect();
    let zone = viewer_zone(&user);
    let read_next = store::read_next(&state.db, &post.id, crate::clock::now(), READ_NEXT)
        .await?
        .into_iter()
        .map(|p| PostCard::from(p, &zone))
        .collect();
    render(PostPage {
        layout,
        lede: post.excerpt.trim().to_owned(),
        read_next,
        html,
        author: post.author_name.clone(),
        status_note: match status {
            super::posts::PostStatus::Draft => Some("This is a draft: only coaches can see it."),
            super::posts::PostStatus::Scheduled => {
                Some("This post is scheduled: only coaches can see it until then.")
            }
            super::posts::PostStatus::Published => None,
        },
        chapters,
        card: PostCard::from(post, &zone),
    })
}

/// How many other posts a post page offers to read next.
const READ_NEXT: i64 = 3;

// ---- search ---------------------------------------------------------------------

pub struct HitView {
    pub kind: String,
    pub url: String,
    pub title: String,
    /// Escaped text with `<mark>` around matches.
    pub snippet_html: String,
}

/// Escape a snippet, then turn the match markers into `<mark>` elements.
pub fn highlight(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len() + 32);
    for c in snippet.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            MARK_START => out.push_str("<mark>"),
            MARK_END => out.push_str("</mark>"),
            c => out.push(c),
        }
    }
    // A snippet cut in the middle of a match must not leave an element open.
    let opened = out.matches("<mark>").count();
    let closed = out.matches("</mark>").count();
    for _ in closed..opened {
        out.push_str("</mark>");
    }
    out
}

#[derive(Template)]
#[template(path = "learn/search.html")]
struct SearchPage {
    layout: Layout,
    query: String,
    hits: Vec<HitView>,
    searched: bool,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub const MAX_QUERY: usize = 2_000;

pub async fn search_page(
    State(state): State<AppState>,
    layout: Layout,
    user: MaybeUser,
    searches: Option<Extension<MemberSearches>>,
    Query(q): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let query: String = q.q.chars().take(MAX_QUERY).collect();
    let searched = !query.trim().is_empty();
    let hits = if searched {
        let mut hits = search::search(&state.db, &query, crate::clock::now(), 30).await?;
        if let Some(Extension(searches)) = searches {
            hits.extend(searches.search(&state, user.0.as_ref(), &query).await?);
        }
        hits.into_iter()
            .map(|h| HitView {
                snippet_html: highlight(&h.snippet),
                kind: h.kind,
                url: h.url,
                title: h.title,
            })
            .collect()
    } else {
        Vec::new()
    };
    render(SearchPage { layout, query, hits, searched })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_escapes_then_marks() {
        let s = format!("a <b>{MARK_START}repair{MARK_END} & \"more\"");
        assert_eq!(highlight(&s), "a &lt;b&gt;<mark>repair</mark> &amp; &quot;more&quot;");
        assert_eq!(highlight(&format!("{MARK_START}cut")), "<mark>cut</mark>");
    }
}
