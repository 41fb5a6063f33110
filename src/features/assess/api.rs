//! The Know-yourself JSON API: instruments, responses and results.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::instrument::{Instrument, Region};
use super::service::{self, DimensionChange, DimensionScore, TakeError};
use super::store;
use crate::clock::rfc3339;
use crate::state::AppState;
use crate::web::{AppError, CurrentUser, FieldErrors};

#[derive(Serialize, ToSchema)]
pub struct InstrumentSummary {
    pub id: String,
    pub title: String,
    pub description: String,
    pub items: usize,
}

/// The instruments this instance offers.
#[utoipa::path(get, path = "/api/v1/instruments", tag = "assess", responses((status = 200, body = [InstrumentSummary])))]
pub async fn list(State(state): State<AppState>) -> Json<Vec<InstrumentSummary>> {
    Json(
        state
            .instruments
            .iter()
            .map(|i| InstrumentSummary {
                id: i.id.clone(),
                title: i.title.clone(),
                description: i.description.clone(),
                items: i.items.len(),
            })
            .collect(),
    )
}

/// One instrument with its scale, dimensions and items (with dimension and reverse flag).
#[utoipa::path(get, path = "/api/v1/instruments/{id}", tag = "assess", params(("id" = String, Path)),
    responses((status = 200, body = Instrument), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Instrument>, AppError> {
    Ok(Json(service::instrument(&state, &id)?.clone()))
}

#[derive(Deserialize, ToSchema)]
pub struct ResponseRequest {
    /// Item id → answer (1 to the scale's number of points).
    pub answers: BTreeMap<String, i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ResultJson {
    pub id: String,
    pub instrument_id: String,
    pub taken_at: String,
    pub answers: BTreeMap<String, i64>,
    pub scores: Vec<DimensionScore>,
    /// How each dimension moved since the previous result of the same instrument.
    pub change_from_previous: Vec<DimensionChange>,
    /// Said once when any change cannot be judged against the instrument's
    /// own noise (its `change.kind` is `unknown`).
    pub unmeasured_change: Option<&'static str>,
    pub region: Option<Region>,
}

async fn result_json(state: &AppState, user: &CurrentUser, id: &str) -> Result<ResultJson, AppError> {
    let (view, _) = service::result_view(state, user, id).await?;
    Ok(ResultJson {
        id: view.record.id,
        instrument_id: view.record.instrument_id,
        taken_at: rfc3339(view.record.taken_at),
        answers: view.record.answers.into_inner(),
        scores: view.scores,
        unmeasured_change: service::unmeasured_change(&view.changes),
        change_from_previous: view.changes,
        region: view.region,
    })
}

/// Answer an instrument. Missing or out-of-range answers get 422 naming each item.
#[utoipa::path(post, path = "/api/v1/instruments/{id}/responses", tag = "assess", params(("id" = String, Path)),
    request_body = ResponseRequest, responses((status = 201, body = ResultJson), (status = 422), (status = 404), (status = 401)))]
pub async fn respond(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(body): Json<ResponseRequest>,
) -> Result<(StatusCode, Json<ResultJson>), AppError> {
    let instrument = service::instrument(&state, &id)?;
    let result_id = match service::take(&state, &user, instrument, &body.answers).await {
        Ok(id) => id,
        Err(TakeError::Incomplete(problems)) => {
            let mut fields = FieldErrors::new();
            for (item, problem) in problems {
                fields.add(&item, problem);
            }
            return Err(AppError::Validation(fields));
        }
        Err(TakeError::Other(e)) => return Err(e),
    };
    Ok((StatusCode::CREATED, Json(result_json(&state, &user, &result_id).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct ResultSummary {
    pub id: String,
    pub instrument_id: String,
    pub taken_at: String,
    pub scores: BTreeMap<String, f64>,
}

/// The member's results, oldest first.
#[utoipa::path(get, path = "/api/v1/results", tag = "assess", responses((status = 200, body = [ResultSummary]), (status = 401)))]
pub async fn results(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<ResultSummary>>, AppError> {
    Ok(Json(
        store::list(&state.db, &user.id, None)
            .await?
            .into_iter()
            .map(|r| ResultSummary {
                id: r.id,
                instrument_id: r.instrument_id,
                taken_at: rfc3339(r.taken_at),
                scores: r.scores.into_inner(),
            })
            .collect(),
    ))
}

/// One of the member's results with the change from the previous one (404 for anyone else's).
#[utoipa::path(get, path = "/api/v1/results/{id}", tag = "assess", params(("id" = String, Path)),
    responses((status = 200, body = ResultJson), (status = 404), (status = 401)))]
pub async fn result(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ResultJson>, AppError> {
    Ok(Json(result_json(&state, &user, &id).await?))
}
