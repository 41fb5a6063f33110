//! The coach's post editor: list, write with a live preview, schedule, publish, delete.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::content::{self, Chapter};
use super::posts::{self, PostInput, PostStatus};
use super::{POST_DELETED, POST_SAVED};
use super::{markdown, service, store};
use crate::clock::format_in_zone;
use crate::state::AppState;
use crate::web::forms::form_pairs;
use crate::web::redirect_with_flash;
use crate::web::{AppError, FieldErrors, Layout, RequireStaff, render, render_with_status};

pub struct EditorRow {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub status: PostStatus,
    pub when: String,
}

#[derive(Template)]
#[template(path = "learn/editor_list.html")]
struct EditorList {
    layout: Layout,
    posts: Vec<EditorRow>,
}

pub async fn list(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(user): RequireStaff,
) -> Result<Response, AppError> {
    let now = crate::clock::now();
    let posts = store::list_all(&state.db)
        .await?
        .into_iter()
        .map(|p| {
            let status = PostStatus::of(&p.status, p.publish_at, now);
            EditorRow {
                when: match status {
                    PostStatus::Draft => format!("edited {}", format_in_zone(p.updated_at, &user.time_zone)),
                    _ => format_in_zone(p.publish_at.unwrap_or(p.created_at), &user.time_zone),
                },
                id: p.id,
                slug: p.slug,
                title: p.title,
                status,
            }
        })
        .collect();
    render(EditorList { layout, posts })
}

pub struct ChapterChoice {
    pub slug: &'static str,
    pub title: &'static str,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "learn/editor.html")]
struct EditorPage {
    layout: Layout,
    post_id: Option<String>,
    input: PostInput,
    chapters: Vec<ChapterChoice>,
    errors: FieldErrors,
    preview_html: String,
    time_zone: String,
}

impl EditorPage {
    fn new(
        layout: Layout,
        post_id: Option<String>,
        input: PostInput,
        errors: FieldErrors,
        time_zone: &str,
    ) -> Self {
        let chapters = content::chapters()
            .iter()
            .map(|c: &'static Chapter| ChapterChoice {
                slug: &c.slug,
                title: &c.title,
                checked: input.chapters.iter().any(|s| s == &c.slug),
            })
            .collect();
        let preview_html = markdown::to_safe_html(&input.body);
        EditorPage { layout, post_id, input, chapters, errors, preview_html, time_zone: time_zone.to_owned() }
    }
}

pub async fn new_page(layout: Layout, RequireStaff(user): RequireStaff) -> Result<Response, AppError> {
    let input = PostInput { publish: "draft".into(), ..Default::default() };
    render(EditorPage::new(layout, None, input, FieldErrors::new(), &user.time_zone))
}

pub async fn edit_page(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(user): RequireStaff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let post = store::find_by_id(&state.db, &id).await?.ok_or(AppError::NotFound)?;
    let status = PostStatus::of(&post.status, post.publish_at, crate::clock::now());
    let input = PostInput {
        title: post.title,
        slug: post.slug,
        excerpt: post.excerpt,
        body: post.body,
        tags: post.tags.join(", "),
        chapters: post.chapters,
        publish: match status {
            PostStatus::Draft => "draft",
            PostStatus::Scheduled => "schedule",
            PostStatus::Published => "keep",
        }
        .into(),
        publish_at: post.publish_at.map(|t| posts::to_local_input(t, &user.time_zone)).unwrap_or_default(),
        existing_publish_at: post.publish_at,
    };
    render(EditorPage::new(layout, Some(id), input, FieldErrors::new(), &user.time_zone))
}

/// Read the editor form (chapter checkboxes repeat their name).
fn read_form(body: &[u8]) -> (PostInput, String) {
    let mut input = PostInput::default();
    let mut action = String::new();
    for (k, v) in form_pairs(body) {
        match k.as_str() {
            "title" => input.title = v,
            "slug" => input.slug = v,
            "excerpt" => input.excerpt = v,
            "body" => input.body = v,
            "tags" => input.tags = v,
            "chapters" => input.chapters.push(v),
            "publish" => input.publish = v,
            "publish_at" => input.publish_at = v,
            "action" => action = v,
            _ => {}
        }
    }
    (input, action)
}

async fn save(
    state: &AppState,
    layout: Layout,
    user: &crate::web::CurrentUser,
    id: Option<String>,
    body: &[u8],
) -> Result<Response, AppError> {
    let (mut input, action) = read_form(body);
    if action == "preview" {
        return render(EditorPage::new(layout, id, input, FieldErrors::new(), &user.time_zone));
    }
    if let Some(id) = &id {
        input.existing_publish_at = store::find_by_id(&state.db, id).await?.and_then(|p| p.publish_at);
    }
    match service::save_post(state, user, id.as_deref(), &input).await {
        Ok(_) => Ok(redirect_with_flash("/coach/posts", &POST_SAVED)),
        Err(AppError::Validation(errors)) => {
            let page = EditorPage::new(layout, id, input, errors, &user.time_zone);
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => Err(e),
    }
}

pub async fn create(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(user): RequireStaff,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    save(&state, layout, &user, None, &body).await
}

pub async fn update(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(user): RequireStaff,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    save(&state, layout, &user, Some(id), &body).await
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

pub async fn delete(
    State(state): State<AppState>,
    _staff: RequireStaff,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<DeleteForm>,
) -> Result<Response, AppError> {
    if form.confirm != "yes" {
        return Err(AppError::BadRequest("Tick the box to confirm deleting the post.".into()));
    }
    service::delete_post(&state, &id).await?;
    Ok(redirect_with_flash("/coach/posts", &POST_DELETED))
}
