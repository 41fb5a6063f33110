//! Named needs as JSON.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::service::{self, AnswerInput, NeedInput, NeedView};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

#[derive(Serialize, ToSchema)]
pub struct NeedJson {
    pub id: String,
    /// True when I named it.
    pub mine: bool,
    pub need: String,
    pub message: String,
    /// "hear", "talk" or "own", once answered.
    pub answer_kind: Option<String>,
    pub talk_at: Option<String>,
    pub answer_text: Option<String>,
    /// The answer as a sentence.
    pub answer: Option<String>,
}

impl From<NeedView> for NeedJson {
    fn from(n: NeedView) -> Self {
        NeedJson {
            id: n.id,
            mine: n.mine,
            need: n.label,
            message: n.message,
            talk_at: n.talk_at.map(crate::clock::rfc3339),
            answer_text: n.answer_kind.as_ref().map(|_| n.answer_text),
            answer_kind: n.answer_kind,
            answer: n.answer,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NeedRequest {
    /// One of the ten needs' ids, or empty with `own_words`.
    #[serde(default)]
    pub need: String,
    #[serde(default)]
    pub own_words: String,
    #[serde(default)]
    pub message: String,
}

#[derive(Deserialize, ToSchema)]
pub struct NeedAnswerRequest {
    /// "hear", "talk" (with `talk_at`, RFC 3339) or "own" (with `text`).
    pub kind: String,
    #[serde(default)]
    pub talk_at: Option<String>,
    #[serde(default)]
    pub text: String,
}

/// The needs named within my link, by either of us.
#[utoipa::path(get, path = "/api/v1/together/needs", tag = "together", responses((status = 200, body = [NeedJson])))]
pub async fn list_needs(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<NeedJson>>, AppError> {
    Ok(Json(service::needs(&state, &user).await?.into_iter().map(Into::into).collect()))
}

/// Name a need to my partner.
#[utoipa::path(post, path = "/api/v1/together/needs", tag = "together", request_body = NeedRequest,
    responses((status = 201, body = NeedJson), (status = 409), (status = 422)))]
pub async fn create_need(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<NeedRequest>,
) -> Result<(StatusCode, Json<NeedJson>), AppError> {
    let id = service::name_need(
        &state,
        &user,
        NeedInput { need: &req.need, own_words: &req.own_words, message: &req.message },
    )
    .await?;
    find(&state, &user, &id).await.map(|n| (StatusCode::CREATED, Json(n)))
}

async fn find(state: &AppState, user: &CurrentUser, id: &str) -> Result<NeedJson, AppError> {
    let need =
        service::needs(state, user).await?.into_iter().find(|n| n.id == id).ok_or(AppError::NotFound)?;
    Ok(need.into())
}

/// Answer a need my partner named.
#[utoipa::path(post, path = "/api/v1/together/needs/{id}/answer", tag = "together", params(("id" = String, Path)),
    request_body = NeedAnswerRequest, responses((status = 200, body = NeedJson), (status = 404), (status = 422)))]
pub async fn answer_need(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<NeedAnswerRequest>,
) -> Result<Json<NeedJson>, AppError> {
    let talk_at = req.talk_at.as_deref().and_then(|t| crate::clock::parse_time(t, &user.time_zone));
    service::answer(&state, &user, &id, AnswerInput { kind: &req.kind, talk_at, text: &req.text }).await?;
    Ok(Json(find(&state, &user, &id).await?))
}
