//! Repair plans as JSON. The safety answer comes first, as on the page.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::rules::{self, RepairAnswers};
use super::service;
use super::store::{self, PlanRecord};
use crate::clock::rfc3339;
use crate::features::undo::Deleted;
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

#[derive(Serialize, ToSchema)]
pub struct RepairPlanJson {
    pub id: String,
    pub title: String,
    /// The next step to fill in, 1 to 7.
    pub step: i64,
    pub finished: bool,
    pub answers: RepairAnswers,
    pub created_at: String,
    pub updated_at: String,
    pub finished_at: Option<String>,
}

impl From<PlanRecord> for RepairPlanJson {
    fn from(p: PlanRecord) -> Self {
        RepairPlanJson {
            id: p.id,
            title: rules::title(&p.answers),
            step: p.step,
            finished: p.finished_at.is_some(),
            answers: p.answers.into_inner(),
            created_at: rfc3339(p.created_at),
            updated_at: rfc3339(p.updated_at),
            finished_at: p.finished_at.map(rfc3339),
        }
    }
}

/// The member's repair plans, unfinished first.
#[utoipa::path(get, path = "/api/v1/repair-plans", tag = "practice", responses((status = 200, body = [RepairPlanJson])))]
pub async fn list_plans(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<RepairPlanJson>>, AppError> {
    Ok(Json(store::list_plans(&state.db, &user.id).await?.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct NewPlanRequest {
    /// Must be true: "I am not afraid of my partner." If you are, this is not
    /// the tool; see /safety.
    pub not_afraid: bool,
    #[serde(default)]
    pub answers: RepairAnswers,
    #[serde(default)]
    pub step: Option<i64>,
}

/// Start a repair plan. The safety check comes first.
#[utoipa::path(post, path = "/api/v1/repair-plans", tag = "practice", request_body = NewPlanRequest,
    responses((status = 201, body = RepairPlanJson), (status = 422)))]
pub async fn create_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<NewPlanRequest>,
) -> Result<(StatusCode, Json<RepairPlanJson>), AppError> {
    let plan =
        service::start_plan(&state, &user, req.not_afraid, &req.answers, req.step.unwrap_or(1)).await?;
    Ok((StatusCode::CREATED, Json(plan.into())))
}

/// One repair plan.
#[utoipa::path(get, path = "/api/v1/repair-plans/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = RepairPlanJson), (status = 404)))]
pub async fn get_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<RepairPlanJson>, AppError> {
    Ok(Json(service::find_plan(&state, &user, &id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct PlanUpdateRequest {
    pub answers: RepairAnswers,
    pub step: i64,
    /// Finishing needs a repair attempt.
    #[serde(default)]
    pub finished: bool,
}

/// Replace a repair plan's answers and progress.
#[utoipa::path(put, path = "/api/v1/repair-plans/{id}", tag = "practice", params(("id" = String, Path)),
    request_body = PlanUpdateRequest, responses((status = 200, body = RepairPlanJson), (status = 404), (status = 422)))]
pub async fn update_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<PlanUpdateRequest>,
) -> Result<Json<RepairPlanJson>, AppError> {
    Ok(Json(service::replace_plan(&state, &user, &id, &req.answers, req.step, req.finished).await?.into()))
}

/// Delete a repair plan.
/// It can be brought back with POST /api/v1/undo/{undo_id} until `undo_until`.
#[utoipa::path(delete, path = "/api/v1/repair-plans/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = Deleted), (status = 404)))]
pub async fn delete_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Deleted>, AppError> {
    Ok(Json(service::delete_plan(&state, &user, &id).await?))
}
