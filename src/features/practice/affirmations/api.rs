//! Affirmations as JSON: the built-in ones and the member's own, with marks.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::rules::Affirmation;
use super::service;
use crate::features::undo::Deleted;
use crate::state::AppState;
use crate::web::forms::TextRequest;
use crate::web::{AppError, CurrentUser};

/// Built-in and own affirmations with the member's marks, favourites first.
#[utoipa::path(get, path = "/api/v1/affirmations", tag = "practice",
    responses((status = 200, body = [Affirmation]), (status = 401)))]
pub async fn list_affirmations(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<Affirmation>>, AppError> {
    Ok(Json(service::affirmations(&state, &user).await?))
}

/// One affirmation.
#[utoipa::path(get, path = "/api/v1/affirmations/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = Affirmation), (status = 404)))]
pub async fn get_affirmation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Affirmation>, AppError> {
    Ok(Json(service::affirmation(&state, &user, &id).await?))
}

/// Add an affirmation of your own.
#[utoipa::path(post, path = "/api/v1/affirmations", tag = "practice", request_body = TextRequest,
    responses((status = 201, body = Affirmation), (status = 422)))]
pub async fn create_affirmation(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<TextRequest>,
) -> Result<(StatusCode, Json<Affirmation>), AppError> {
    let id = service::add(&state, &user, &req.text).await?;
    Ok((StatusCode::CREATED, Json(service::affirmation(&state, &user, &id).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct AffirmationUpdate {
    /// New words (own affirmations only).
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub favourite: Option<bool>,
    #[serde(default)]
    pub hidden: Option<bool>,
}

/// Reword an own affirmation, or keep any one as a favourite or hide it.
#[utoipa::path(put, path = "/api/v1/affirmations/{id}", tag = "practice", params(("id" = String, Path)),
    request_body = AffirmationUpdate, responses((status = 200, body = Affirmation), (status = 404), (status = 422)))]
pub async fn update_affirmation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<AffirmationUpdate>,
) -> Result<Json<Affirmation>, AppError> {
    let AffirmationUpdate { text, favourite, hidden } = req;
    Ok(Json(service::update(&state, &user, &id, text.as_deref(), favourite, hidden).await?))
}

/// Delete an own affirmation (built-in ones can only be hidden).
/// It can be brought back with POST /api/v1/undo/{undo_id} until `undo_until`.
#[utoipa::path(delete, path = "/api/v1/affirmations/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = Deleted), (status = 404)))]
pub async fn delete_affirmation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Deleted>, AppError> {
    Ok(Json(service::delete(&state, &user, &id).await?))
}
