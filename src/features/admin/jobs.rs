//! Background work, as the admin sees it: how much waits, and the jobs that
//! failed every attempt, with their last error (never what they carried).

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

use super::JOB_RETRIED;
use crate::clock::format_in_zone;
use crate::db::queue;
use crate::state::AppState;
use crate::web::confirm::done_or_404;
use crate::web::{AppError, Layout, RequireAdmin, render};

pub struct FailedRow {
    pub id: String,
    pub kind: String,
    pub attempts: i64,
    pub error: String,
    pub failed: String,
}

#[derive(Template)]
#[template(path = "admin/jobs.html")]
struct JobsPage {
    layout: Layout,
    waiting: i64,
    failed: Vec<FailedRow>,
    outbox: bool,
}

pub async fn page(
    State(state): State<AppState>,
    layout: Layout,
    RequireAdmin(admin): RequireAdmin,
) -> Result<Response, AppError> {
    let failed = queue::failed(&state.db)
        .await?
        .into_iter()
        .map(|j| FailedRow {
            failed: format_in_zone(j.failed_at, &admin.time_zone),
            error: j.last_error.unwrap_or_default(),
            id: j.id,
            kind: j.kind,
            attempts: j.attempts,
        })
        .collect();
    let waiting = queue::waiting(&state.db).await?;
    render(JobsPage { layout, waiting, failed, outbox: state.mailer.uses_outbox() })
}

pub async fn retry(
    State(state): State<AppState>,
    RequireAdmin(_): RequireAdmin,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    done_or_404(queue::retry(&state.db, &id, crate::clock::now()).await?, "/admin/jobs", &JOB_RETRIED)
}

#[derive(Serialize, ToSchema)]
pub struct FailedJobJson {
    pub id: String,
    pub kind: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: String,
    pub failed_at: String,
}

/// Jobs that failed every attempt (admins only).
#[utoipa::path(get, path = "/api/v1/admin/jobs/failed", tag = "admin",
    responses((status = 200, body = [FailedJobJson]), (status = 403)))]
pub async fn failed_jobs(
    State(state): State<AppState>,
    _admin: RequireAdmin,
) -> Result<Json<Vec<FailedJobJson>>, AppError> {
    Ok(Json(
        queue::failed(&state.db)
            .await?
            .into_iter()
            .map(|j| FailedJobJson {
                id: j.id,
                kind: j.kind,
                attempts: j.attempts,
                last_error: j.last_error,
                created_at: crate::clock::rfc3339(j.created_at),
                failed_at: crate::clock::rfc3339(j.failed_at),
            })
            .collect(),
    ))
}
