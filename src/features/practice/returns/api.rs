//! Moments of return as JSON.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::service;
use super::store::{self, ReturnRecord};
use crate::clock::rfc3339;
use crate::features::undo::Deleted;
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

#[derive(Serialize, ToSchema)]
pub struct ReturnJson {
    pub id: String,
    /// YYYY-MM-DD.
    pub day: String,
    pub text: String,
    pub created_at: String,
}

impl From<ReturnRecord> for ReturnJson {
    fn from(r: ReturnRecord) -> Self {
        ReturnJson { id: r.id, day: r.day, text: r.text, created_at: rfc3339(r.created_at) }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct ReturnRequest {
    /// YYYY-MM-DD; today (in the member's time zone) when left out.
    #[serde(default)]
    pub day: Option<String>,
    pub text: String,
}

/// The member's moments of return, newest first.
#[utoipa::path(get, path = "/api/v1/returns", tag = "practice", responses((status = 200, body = [ReturnJson])))]
pub async fn list_returns(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<ReturnJson>>, AppError> {
    Ok(Json(store::list_returns(&state.db, &user.id, 10_000).await?.into_iter().map(Into::into).collect()))
}

/// Log a moment of return.
#[utoipa::path(post, path = "/api/v1/returns", tag = "practice", request_body = ReturnRequest,
    responses((status = 201, body = ReturnJson), (status = 422)))]
pub async fn create_return(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<ReturnRequest>,
) -> Result<(StatusCode, Json<ReturnJson>), AppError> {
    let day = req.day.unwrap_or_else(|| user.today());
    let id = service::log_return(&state, &user, &day, &req.text).await?;
    Ok((StatusCode::CREATED, Json(service::find_return(&state, &user, &id).await?.into())))
}

/// One moment of return.
#[utoipa::path(get, path = "/api/v1/returns/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = ReturnJson), (status = 404)))]
pub async fn get_return(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ReturnJson>, AppError> {
    Ok(Json(service::find_return(&state, &user, &id).await?.into()))
}

/// Change a moment of return.
#[utoipa::path(put, path = "/api/v1/returns/{id}", tag = "practice", params(("id" = String, Path)),
    request_body = ReturnRequest, responses((status = 200, body = ReturnJson), (status = 404), (status = 422)))]
pub async fn update_return(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<ReturnRequest>,
) -> Result<Json<ReturnJson>, AppError> {
    Ok(Json(service::change_return(&state, &user, &id, req.day.as_deref(), &req.text).await?.into()))
}

/// Delete a moment of return.
/// It can be brought back with POST /api/v1/undo/{undo_id} until `undo_until`.
#[utoipa::path(delete, path = "/api/v1/returns/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = Deleted), (status = 404)))]
pub async fn delete_return(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Deleted>, AppError> {
    Ok(Json(service::delete_return(&state, &user, &id).await?))
}
