//! The mutual reveal as JSON: answers appear only once both have answered.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::service::{self, RevealView};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

#[derive(Serialize, ToSchema)]
pub struct RevealJson {
    pub id: String,
    pub theme: String,
    pub question: String,
    /// "open" (until I answer, whatever my partner did), "waiting-for-partner",
    /// "revealed" or "skipped".
    pub state: String,
    /// Both answers, only when revealed.
    pub my_answer: Option<String>,
    pub partner_answer: Option<String>,
}

impl From<RevealView> for RevealJson {
    fn from(v: RevealView) -> Self {
        let revealed = v.state == crate::features::together::rules::RevealState::Revealed;
        RevealJson {
            id: v.question.id.into(),
            theme: v.question.theme.into(),
            question: v.question.text.into(),
            state: v.state_name().into(),
            my_answer: revealed.then(|| v.mine.clone()),
            partner_answer: revealed.then(|| v.theirs.clone()),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct RevealRequest {
    #[serde(default)]
    pub answer: String,
    /// Skip the question instead (it then stays hidden for both).
    #[serde(default)]
    pub skip: bool,
}

/// The questions and how each stands.
#[utoipa::path(get, path = "/api/v1/together/reveal", tag = "together", responses((status = 200, body = [RevealJson])))]
pub async fn list_reveal(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<RevealJson>>, AppError> {
    Ok(Json(service::questions(&state, &user).await?.into_iter().map(Into::into).collect()))
}

/// Answer or skip one question (once).
#[utoipa::path(put, path = "/api/v1/together/reveal/{id}", tag = "together", params(("id" = String, Path)),
    request_body = RevealRequest, responses((status = 200, body = RevealJson), (status = 404), (status = 409), (status = 422)))]
pub async fn answer_reveal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<RevealRequest>,
) -> Result<Json<RevealJson>, AppError> {
    service::answer(&state, &user, &id, &req.answer, req.skip).await?;
    let view = service::questions(&state, &user)
        .await?
        .into_iter()
        .find(|v| v.question.id == id)
        .ok_or(AppError::NotFound)?;
    Ok(Json(view.into()))
}
