//! The coach's posts (the list, a tag, one post) and search, for visitors
//! and members alike.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::content::{self, Chapter};
use super::{markdown, service, store};
use crate::clock::format_date;
use crate::db::search::{self, MARK_END, MARK_START};
use crate::state::AppState;
use crate::web::member_search::MemberSearches;
use crate::web::{AppError, Layout, MaybeUser, render};

pub const PAGE_SIZE: i64 = 10;

fn viewer_zone(user: &MaybeUser) -> String {
    user.0.as_ref().map_or_else(|| "UTC".to_owned(), |u| u.time_zone.clone())
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
