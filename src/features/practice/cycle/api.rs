//! Cycle maps as JSON, with every version kept.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::rules::CycleFields;
use super::service;
use super::store::{self, MapRecord, MapVersion};
use crate::clock::rfc3339;
use crate::features::undo::Deleted;
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

#[derive(Serialize, ToSchema)]
pub struct CycleMapJson {
    pub id: String,
    pub title: String,
    pub versions: i64,
    /// The latest version's links.
    pub current: CycleFields,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct CycleVersionJson {
    pub number: i64,
    pub fields: CycleFields,
    pub created_at: String,
}

impl From<MapVersion> for CycleVersionJson {
    fn from(v: MapVersion) -> Self {
        CycleVersionJson {
            number: v.number,
            fields: v.fields.into_inner(),
            created_at: rfc3339(v.created_at),
        }
    }
}

impl From<MapRecord> for CycleMapJson {
    fn from(m: MapRecord) -> Self {
        CycleMapJson {
            id: m.id,
            title: m.title,
            versions: m.versions,
            current: m.latest.into_inner(),
            created_at: rfc3339(m.created_at),
            updated_at: rfc3339(m.updated_at),
        }
    }
}

async fn one_map(state: &AppState, user: &CurrentUser, id: &str) -> Result<CycleMapJson, AppError> {
    Ok(service::find_map(state, user, id).await?.into())
}

/// The member's cycle maps, most recently changed first.
#[utoipa::path(get, path = "/api/v1/cycle-maps", tag = "practice", responses((status = 200, body = [CycleMapJson])))]
pub async fn list_maps(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<CycleMapJson>>, AppError> {
    Ok(Json(store::list_maps(&state.db, &user.id).await?.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct CycleMapRequest {
    #[serde(default)]
    pub title: String,
    #[serde(flatten)]
    pub fields: CycleFields,
}

/// Draw a new map (its first version).
#[utoipa::path(post, path = "/api/v1/cycle-maps", tag = "practice", request_body = CycleMapRequest,
    responses((status = 201, body = CycleMapJson), (status = 422)))]
pub async fn create_map(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<CycleMapRequest>,
) -> Result<(StatusCode, Json<CycleMapJson>), AppError> {
    let id = service::create_map(&state, &user, &req.title, &req.fields).await?;
    Ok((StatusCode::CREATED, Json(one_map(&state, &user, &id).await?)))
}

/// One map with its latest version.
#[utoipa::path(get, path = "/api/v1/cycle-maps/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = CycleMapJson), (status = 404)))]
pub async fn get_map(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<CycleMapJson>, AppError> {
    Ok(Json(one_map(&state, &user, &id).await?))
}

/// Save a map: a new version when the links changed.
#[utoipa::path(put, path = "/api/v1/cycle-maps/{id}", tag = "practice", params(("id" = String, Path)),
    request_body = CycleMapRequest, responses((status = 200, body = CycleMapJson), (status = 404), (status = 422)))]
pub async fn update_map(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<CycleMapRequest>,
) -> Result<Json<CycleMapJson>, AppError> {
    service::save_map(&state, &user, &id, &req.title, &req.fields).await?;
    Ok(Json(one_map(&state, &user, &id).await?))
}

/// Delete a map and all its versions.
/// It can be brought back with POST /api/v1/undo/{undo_id} until `undo_until`.
#[utoipa::path(delete, path = "/api/v1/cycle-maps/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = Deleted), (status = 404)))]
pub async fn delete_map(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Deleted>, AppError> {
    Ok(Json(service::delete_map(&state, &user, &id).await?))
}

/// Every version of a map, oldest first.
#[utoipa::path(get, path = "/api/v1/cycle-maps/{id}/versions", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = [CycleVersionJson]), (status = 404)))]
pub async fn map_versions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<CycleVersionJson>>, AppError> {
    service::find_map(&state, &user, &id).await?;
    Ok(Json(store::map_versions(&state.db, &user.id, &id).await?.into_iter().map(Into::into).collect()))
}
