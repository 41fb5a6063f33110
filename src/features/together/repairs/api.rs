//! Invitations to repair as JSON.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::service::{self, RepairView};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

#[derive(Serialize, ToSchema)]
pub struct RepairJson {
    pub id: String,
    /// True when I sent it.
    pub mine: bool,
    pub message: String,
    /// The repair plan shared with it, while it is shared.
    pub share_id: Option<String>,
    pub closed: bool,
    /// "ready" or "time", once answered.
    pub answer_kind: Option<String>,
    /// The promised return, in my time zone.
    pub return_at: Option<String>,
    pub answer_message: String,
}

impl From<RepairView> for RepairJson {
    fn from(r: RepairView) -> Self {
        RepairJson {
            id: r.id,
            mine: r.mine,
            message: r.message,
            share_id: r.share_id,
            closed: r.closed,
            answer_kind: r.answer_kind,
            return_at: r.return_at,
            answer_message: r.answer_message,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct RepairRequest {
    #[serde(default)]
    pub message: String,
    /// One of my shares of a repair plan, to point to from the invitation.
    #[serde(default)]
    pub share_id: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct RepairAnswerRequest {
    /// "ready", or "time" with `return_at` (RFC 3339).
    pub kind: String,
    #[serde(default)]
    pub return_at: Option<String>,
    #[serde(default)]
    pub message: String,
}

async fn find(state: &AppState, user: &CurrentUser, id: &str) -> Result<RepairJson, AppError> {
    let all = service::invitations(state, user).await?;
    all.into_iter().find(|r| r.id == id).map(Into::into).ok_or(AppError::NotFound)
}

/// The invitations to repair within my link.
#[utoipa::path(get, path = "/api/v1/together/repairs", tag = "together", responses((status = 200, body = [RepairJson])))]
pub async fn list_repairs(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<RepairJson>>, AppError> {
    Ok(Json(service::invitations(&state, &user).await?.into_iter().map(Into::into).collect()))
}

/// "I'd like to repair."
#[utoipa::path(post, path = "/api/v1/together/repairs", tag = "together", request_body = RepairRequest,
    responses((status = 201, body = RepairJson), (status = 409), (status = 422)))]
pub async fn create_repair(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<RepairRequest>,
) -> Result<(StatusCode, Json<RepairJson>), AppError> {
    let id = service::invite(&state, &user, &req.message, req.share_id.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(find(&state, &user, &id).await?)))
}

/// Answer my partner's invitation: ready now, or a time I will come back.
#[utoipa::path(post, path = "/api/v1/together/repairs/{id}/answer", tag = "together", params(("id" = String, Path)),
    request_body = RepairAnswerRequest, responses((status = 200, body = RepairJson), (status = 404), (status = 409), (status = 422)))]
pub async fn answer_repair(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<RepairAnswerRequest>,
) -> Result<Json<RepairJson>, AppError> {
    let return_at = req.return_at.as_deref().and_then(|t| crate::clock::parse_time(t, &user.time_zone));
    service::answer(&state, &user, &id, &req.kind, return_at, &req.message).await?;
    Ok(Json(find(&state, &user, &id).await?))
}

/// Close as "we found our way back": a moment of return for each of us.
#[utoipa::path(post, path = "/api/v1/together/repairs/{id}/close", tag = "together", params(("id" = String, Path)),
    responses((status = 200, body = RepairJson), (status = 404)))]
pub async fn close_repair(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<RepairJson>, AppError> {
    if !service::close(&state, &user, &id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Json(find(&state, &user, &id).await?))
}
