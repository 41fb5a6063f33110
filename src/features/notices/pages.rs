//! The Notices page: what the product left for the member, read or dismissed
//! one at a time. Nobody else ever learns whether a notice was read.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Redirect, Response};

use super::store;
use super::{NOTICE_DISMISSED, NOTICE_READ};
use crate::clock::format_in_zone;
use crate::state::AppState;
use crate::web::confirm::done_or_404;
use crate::web::{AppError, CurrentUser, Layout, render};

pub struct NoticeRow {
    pub id: String,
    pub title: String,
    pub body: String,
    pub when: String,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "notices/index.html")]
struct NoticesPage {
    layout: Layout,
    notices: Vec<NoticeRow>,
}

pub async fn list(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let notices = store::list(&state.db, &user.id, 200)
        .await?
        .into_iter()
        .map(|n| NoticeRow {
            unread: n.read_at.is_none(),
            when: format_in_zone(n.created_at, &user.time_zone),
            id: n.id,
            title: n.title,
            body: n.body,
        })
        .collect();
    render(NoticesPage { layout, notices })
}

/// Open what a notice points to, marking it read.
pub async fn open(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let notice = store::find(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?;
    store::mark_read(&state.db, &user.id, &id, crate::clock::now()).await?;
    Ok(axum::response::IntoResponse::into_response(Redirect::to(&crate::web::forms::safe_next(Some(
        &notice.url,
    )))))
}

pub async fn mark_read(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    done_or_404(
        store::mark_read(&state.db, &user.id, &id, crate::clock::now()).await?,
        "/notices",
        &NOTICE_READ,
    )
}

pub async fn dismiss(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    done_or_404(store::dismiss(&state.db, &user.id, &id).await?, "/notices", &NOTICE_DISMISSED)
}
