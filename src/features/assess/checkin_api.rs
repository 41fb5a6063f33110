//! The check-in and dashboard JSON API.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::checkin_store::{self, CheckInRecord};
use super::checkins::{self, CheckInInput, KindInfo};
use super::dashboard::{self, Dashboard, Range};
use crate::clock::rfc3339;
use crate::features::undo::Deleted;
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

fn kind(slug: &str) -> Result<&'static KindInfo, AppError> {
    checkins::info(slug).ok_or(AppError::NotFound)
}

#[derive(Deserialize, ToSchema)]
pub struct CheckInRequest {
    /// Item id → value (signs and growth 1–5, needs 0–10, today 1–5).
    pub values: BTreeMap<String, i64>,
    /// Today: a word or two. Needs: the id of the need you would like to name.
    #[serde(default)]
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct CheckInJson {
    pub id: String,
    pub kind: String,
    /// The day in the member's time zone.
    pub day: String,
    pub values: BTreeMap<String, i64>,
    pub note: String,
    pub score: f64,
    pub created_at: String,
}

impl From<CheckInRecord> for CheckInJson {
    fn from(c: CheckInRecord) -> Self {
        CheckInJson {
            id: c.id,
            kind: c.kind,
            day: c.day,
            values: c.values.into_inner(),
            note: c.note,
            score: c.score,
            created_at: rfc3339(c.created_at),
        }
    }
}

/// Record a check-in (kind: signs, growth, needs or today).
#[utoipa::path(post, path = "/api/v1/checkins/{kind}", tag = "assess", params(("kind" = String, Path)),
    request_body = CheckInRequest, responses((status = 201, body = CheckInJson), (status = 422), (status = 401)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Json(body): Json<CheckInRequest>,
) -> Result<(StatusCode, Json<CheckInJson>), AppError> {
    let k = kind(&slug)?;
    let id =
        dashboard::save(&state, &user, k, &CheckInInput { values: body.values, note: body.note }).await?;
    let saved = checkin_store::find(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}

#[derive(Deserialize, IntoParams)]
pub struct DayRange {
    /// First day (YYYY-MM-DD), inclusive.
    from: Option<String>,
    /// Last day (YYYY-MM-DD), inclusive.
    to: Option<String>,
}

/// The member's check-ins of one kind, newest first.
#[utoipa::path(get, path = "/api/v1/checkins/{kind}", tag = "assess", params(("kind" = String, Path), DayRange),
    responses((status = 200, body = [CheckInJson]), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<DayRange>,
) -> Result<Json<Vec<CheckInJson>>, AppError> {
    let k = kind(&slug)?;
    let valid = |d: &Option<String>| {
        d.as_deref().filter(|d| d.parse::<jiff::civil::Date>().is_ok()).map(str::to_owned)
    };
    let from = valid(&q.from).unwrap_or_else(|| "0000-01-01".into());
    let to = valid(&q.to).unwrap_or_else(|| "9999-12-31".into());
    let list = checkin_store::between(&state.db, &user.id, k.slug, &from, &to, 10_000).await?;
    Ok(Json(list.into_iter().map(CheckInJson::from).collect()))
}

/// Change one of the member's check-ins.
#[utoipa::path(put, path = "/api/v1/checkins/{kind}/{id}", tag = "assess", params(("kind" = String, Path), ("id" = String, Path)),
    request_body = CheckInRequest, responses((status = 200, body = CheckInJson), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, id)): Path<(String, String)>,
    Json(body): Json<CheckInRequest>,
) -> Result<Json<CheckInJson>, AppError> {
    let k = kind(&slug)?;
    dashboard::update(&state, &user, k, &id, &CheckInInput { values: body.values, note: body.note }).await?;
    Ok(Json(checkin_store::find(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?.into()))
}

/// Delete one of the member's check-ins. It can be brought back with
/// POST /api/v1/undo/{undo_id} until `undo_until`.
#[utoipa::path(delete, path = "/api/v1/checkins/{kind}/{id}", tag = "assess", params(("kind" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = Deleted), (status = 404)))]
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<Deleted>, AppError> {
    Ok(Json(super::service::delete_checkin(&state, &user.id, kind(&slug)?, &id).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct RangeParam {
    /// week, quarter (the default), year or all.
    range: Option<String>,
}

/// The dashboard's series as JSON.
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "assess", params(RangeParam), responses((status = 200, body = Dashboard), (status = 401)))]
pub async fn dashboard(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<RangeParam>,
) -> Result<Response, AppError> {
    let range = Range::parse(q.range.as_deref());
    let body = dashboard::kept_or_drawn(&state, &user, range, "json", |_, dashboard| {
        Ok(serde_json::to_vec(dashboard).map_err(|e| AppError::Internal(e.into()))?.into())
    })
    .await?;
    Ok(([(CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response())
}

/// Every result and check-in as CSV (cells that could be read as formulas are escaped).
#[utoipa::path(get, path = "/api/v1/me/results.csv", tag = "assess", responses((status = 200, content_type = "text/csv"), (status = 401)))]
pub async fn results_csv(state: State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    super::checkin_pages::results_csv(state, user).await
}
