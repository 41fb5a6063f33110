//! The Learn JSON API: guide, FAQ, posts, search, get started.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::content::{self, Chapter, FaqEntry};
use super::posts::{PostInput, PostStatus};
use super::start::{self, StartAnswers, StartPlan};
use super::{markdown, post_pages, service, start_pages, store};
use crate::clock::rfc3339;
use crate::db::search;
use crate::state::AppState;
use crate::web::member_search::MemberSearches;
use crate::web::{AppError, CurrentUser, MaybeUser, RequireStaff};

#[derive(Serialize, ToSchema)]
pub struct ChapterSummary {
    pub number: usize,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub reading_minutes: i64,
}

/// The guide's chapters, in order.
#[utoipa::path(get, path = "/api/v1/guide", tag = "learn", responses((status = 200, body = [ChapterSummary])))]
pub async fn guide() -> Json<Vec<ChapterSummary>> {
    Json(
        content::chapters()
            .iter()
            .map(|c| ChapterSummary {
                number: c.number,
                slug: c.slug.clone(),
                title: c.title.clone(),
                summary: c.summary.clone(),
                reading_minutes: c.reading_minutes,
            })
            .collect(),
    )
}

/// One chapter with its HTML.
#[utoipa::path(get, path = "/api/v1/guide/{slug}", tag = "learn",
    params(("slug" = String, Path)), responses((status = 200, body = Chapter), (status = 404)))]
pub async fn chapter(Path(slug): Path<String>) -> Result<Json<&'static Chapter>, AppError> {
    content::chapter(&slug).map(Json).ok_or(AppError::NotFound)
}

/// The frequently asked questions.
#[utoipa::path(get, path = "/api/v1/faq", tag = "learn", responses((status = 200, body = [FaqEntry])))]
pub async fn faq() -> Json<&'static [FaqEntry]> {
    Json(content::faq())
}

#[derive(Serialize, ToSchema)]
pub struct PostJson {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    pub body_markdown: String,
    pub body_html: String,
    pub tags: Vec<String>,
    pub chapters: Vec<String>,
    pub status: PostStatus,
    pub publish_at: Option<String>,
    pub reading_minutes: i64,
    pub author: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<store::PostRecord> for PostJson {
    fn from(p: store::PostRecord) -> Self {
        PostJson {
            status: PostStatus::of(&p.status, p.publish_at, crate::clock::now()),
            body_html: markdown::to_safe_html(&p.body),
            publish_at: p.publish_at.map(rfc3339),
            created_at: rfc3339(p.created_at),
            updated_at: rfc3339(p.updated_at),
            id: p.id,
            slug: p.slug,
            title: p.title,
            excerpt: p.excerpt,
            body_markdown: p.body,
            tags: p.tags,
            chapters: p.chapters,
            reading_minutes: p.reading_minutes,
            author: p.author_name,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PostPage {
    pub posts: Vec<PostJson>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
}

#[derive(Deserialize, IntoParams)]
pub struct PostListQuery {
    /// Only posts with this tag.
    tag: Option<String>,
    /// Page number, from 1.
    page: Option<i64>,
}

/// Published posts, newest first (ten a page).
#[utoipa::path(get, path = "/api/v1/posts", tag = "learn", params(PostListQuery), responses((status = 200, body = PostPage)))]
pub async fn list_posts(
    State(state): State<AppState>,
    Query(q): Query<PostListQuery>,
) -> Result<Json<PostPage>, AppError> {
    let page = crate::web::forms::page_number(q.page);
    let size = post_pages::PAGE_SIZE;
    let (posts, total) =
        store::list_published(&state.db, crate::clock::now(), q.tag.as_deref(), size, (page - 1) * size)
            .await?;
    Ok(Json(PostPage {
        posts: posts.into_iter().map(PostJson::from).collect(),
        page,
        pages: ((total + size - 1) / size).max(1),
        total,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct PostRequest {
    pub title: String,
    /// Left empty, the slug is made from the title.
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub excerpt: String,
    /// Markdown.
    pub body: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Slugs of related guide chapters.
    #[serde(default)]
    pub chapters: Vec<String>,
    /// `draft`, `publish` (now), `schedule` (at `publish_at`) or `keep` (keep the current publication time).
    pub publish: String,
    /// RFC 3339 time for `schedule`.
    #[serde(default)]
    pub publish_at: String,
}

impl PostRequest {
    fn into_input(self, existing_publish_at: Option<i64>) -> PostInput {
        PostInput {
            title: self.title,
            slug: self.slug,
            excerpt: self.excerpt,
            body: self.body,
            tags: self.tags.join(","),
            chapters: self.chapters,
            publish: self.publish,
            publish_at: self.publish_at,
            existing_publish_at,
        }
    }
}

/// Create a post (coaches and admins).
#[utoipa::path(post, path = "/api/v1/posts", tag = "learn", request_body = PostRequest,
    responses((status = 201, body = PostJson), (status = 422), (status = 403)))]
pub async fn create_post(
    State(state): State<AppState>,
    RequireStaff(user): RequireStaff,
    Json(body): Json<PostRequest>,
) -> Result<(StatusCode, Json<PostJson>), AppError> {
    let post = service::save_post(&state, &user, None, &body.into_input(None)).await?;
    Ok((StatusCode::CREATED, Json(post.into())))
}

/// One post. Drafts and scheduled posts are 404 except to coaches and admins.
#[utoipa::path(get, path = "/api/v1/posts/{slug}", tag = "learn", params(("slug" = String, Path)),
    responses((status = 200, body = PostJson), (status = 404)))]
pub async fn get_post(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(slug): Path<String>,
) -> Result<Json<PostJson>, AppError> {
    let is_staff = user.0.as_ref().is_some_and(|u| u.role.is_staff());
    Ok(Json(service::visible_post(&state, &slug, is_staff).await?.into()))
}

/// Replace a post (coaches and admins).
#[utoipa::path(put, path = "/api/v1/posts/{slug}", tag = "learn", params(("slug" = String, Path)), request_body = PostRequest,
    responses((status = 200, body = PostJson), (status = 404), (status = 422), (status = 403)))]
pub async fn update_post(
    State(state): State<AppState>,
    RequireStaff(user): RequireStaff,
    Path(slug): Path<String>,
    Json(body): Json<PostRequest>,
) -> Result<Json<PostJson>, AppError> {
    let existing = store::find_by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let post =
        service::save_post(&state, &user, Some(&existing.id), &body.into_input(existing.publish_at)).await?;
    Ok(Json(post.into()))
}

/// Delete a post (coaches and admins).
#[utoipa::path(delete, path = "/api/v1/posts/{slug}", tag = "learn", params(("slug" = String, Path)),
    responses((status = 204), (status = 404), (status = 403)))]
pub async fn delete_post(
    State(state): State<AppState>,
    _staff: RequireStaff,
    Path(slug): Path<String>,
) -> Result<StatusCode, AppError> {
    let existing = store::find_by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    service::delete_post(&state, &existing.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct PreviewRequest {
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct PreviewResponse {
    pub html: String,
}

/// Render Markdown as the published post would show it (the editor's live preview).
#[utoipa::path(post, path = "/api/v1/posts/preview", tag = "learn", request_body = PreviewRequest,
    responses((status = 200, body = PreviewResponse), (status = 403)))]
pub async fn preview(_staff: RequireStaff, Json(body): Json<PreviewRequest>) -> Json<PreviewResponse> {
    Json(PreviewResponse { html: markdown::to_safe_html(&body.body) })
}

#[derive(Serialize, ToSchema)]
pub struct SearchResult {
    /// Guide, FAQ or Post.
    pub kind: String,
    pub url: String,
    pub title: String,
    /// HTML-escaped text with `<mark>` around matches.
    pub snippet_html: String,
}

#[derive(Deserialize, IntoParams)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
}

/// Search the guide, the FAQ and published posts, best matches first.
#[utoipa::path(get, path = "/api/v1/search", tag = "learn", params(SearchParams), responses((status = 200, body = [SearchResult])))]
pub async fn search(
    State(state): State<AppState>,
    user: MaybeUser,
    searches: Option<Extension<MemberSearches>>,
    Query(p): Query<SearchParams>,
) -> Result<Json<Vec<SearchResult>>, AppError> {
    let query: String = p.q.chars().take(post_pages::MAX_QUERY).collect();
    let mut hits = search::search(&state.db, &query, crate::clock::now(), 30).await?;
    if let Some(Extension(searches)) = searches {
        hits.extend(searches.search(&state, user.0.as_ref(), &query).await?);
    }
    Ok(Json(
        hits.into_iter()
            .map(|h| SearchResult {
                snippet_html: post_pages::highlight(&h.snippet),
                kind: h.kind,
                url: h.url,
                title: h.title,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct StartResponse {
    pub answers: StartAnswers,
    pub plan: StartPlan,
}

/// Answer get-started and receive a starting plan; a signed-in member's answers are kept.
#[utoipa::path(post, path = "/api/v1/start", tag = "learn", request_body = StartAnswers,
    responses((status = 200, body = StartResponse), (status = 422)))]
pub async fn start(
    State(state): State<AppState>,
    user: MaybeUser,
    Json(answers): Json<StartAnswers>,
) -> Result<Json<StartResponse>, AppError> {
    answers.validate().map_err(AppError::Validation)?;
    if let Some(u) = &user.0 {
        store::save_start_answers(&state.db, &u.id, &answers.encode()).await?;
    }
    Ok(Json(StartResponse { plan: start::plan(&answers), answers }))
}

/// The member's saved get-started answers and plan (404 before they have answered).
#[utoipa::path(get, path = "/api/v1/start", tag = "learn", responses((status = 200, body = StartResponse), (status = 404), (status = 401)))]
pub async fn my_start(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Result<Json<StartResponse>, AppError> {
    let answers = start_pages::current_answers(&state, &MaybeUser(Some(user)), &headers)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(StartResponse { plan: start::plan(&answers), answers }))
}
