//! Notices as JSON.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use super::store::{self, NoticeRecord};
use crate::clock::rfc3339;
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

#[derive(Serialize, ToSchema)]
pub struct NoticeJson {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    /// A path on this site.
    pub url: String,
    pub created_at: String,
    /// When the member read it; null while unread.
    pub read_at: Option<String>,
}

impl From<NoticeRecord> for NoticeJson {
    fn from(n: NoticeRecord) -> Self {
        NoticeJson {
            id: n.id,
            kind: n.kind,
            title: n.title,
            body: n.body,
            url: n.url,
            created_at: rfc3339(n.created_at),
            read_at: n.read_at.map(rfc3339),
        }
    }
}

/// The member's notices, unread first.
#[utoipa::path(get, path = "/api/v1/notices", tag = "notices", responses((status = 200, body = [NoticeJson]), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<NoticeJson>>, AppError> {
    Ok(Json(store::list(&state.db, &user.id, 200).await?.into_iter().map(Into::into).collect()))
}

/// Mark a notice read.
#[utoipa::path(post, path = "/api/v1/notices/{id}/read", tag = "notices", params(("id" = String, Path)),
    responses((status = 204), (status = 404)))]
pub async fn mark_read(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if store::mark_read(&state.db, &user.id, &id, crate::clock::now()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}

/// Dismiss a notice.
#[utoipa::path(delete, path = "/api/v1/notices/{id}", tag = "notices", params(("id" = String, Path)),
    responses((status = 204), (status = 404)))]
pub async fn dismiss(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if store::dismiss(&state.db, &user.id, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}
