//! The instance's journal prompts: the coach's page to add, reword and
//! retire them, and the prompts as JSON.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Form, Json};

use super::content::PROMPTS;
use super::rules::Prompt;
use super::{PROMPT_RETIRED, PROMPT_REWORDED, PROMPT_SAVED, service, store};
use crate::clock::format_in_zone;
use crate::state::AppState;
use crate::web::confirm::done_or_404;
use crate::web::forms::TextRequest;
use crate::web::{
    AppError, CurrentUser, FieldErrors, Layout, RequireStaff, redirect_with_flash, render, render_with_status,
};

// ---- the coach's page ------------------------------------------------------

pub struct CoachPromptRow {
    pub id: String,
    pub text: String,
    pub added: String,
}

#[derive(Template)]
#[template(path = "practice/coach_prompts.html")]
struct CoachPromptsPage {
    layout: Layout,
    built_in: Vec<&'static str>,
    prompts: Vec<CoachPromptRow>,
    text: String,
    errors: FieldErrors,
}

async fn coach_prompts_page(
    state: &AppState,
    layout: Layout,
    user: &CurrentUser,
    text: String,
    errors: FieldErrors,
) -> Result<CoachPromptsPage, AppError> {
    let prompts = store::instance_prompts(&state.db)
        .await?
        .into_iter()
        .filter(|p| p.retired_at.is_none())
        .map(|p| CoachPromptRow {
            id: p.id,
            text: p.text,
            added: format_in_zone(p.created_at, &user.time_zone),
        })
        .collect();
    Ok(CoachPromptsPage { layout, built_in: PROMPTS.iter().map(|p| p.text).collect(), prompts, text, errors })
}

pub async fn coach_page(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(user): RequireStaff,
) -> Result<Response, AppError> {
    render(coach_prompts_page(&state, layout, &user, String::new(), FieldErrors::new()).await?)
}

pub async fn coach_add(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(user): RequireStaff,
    Form(form): Form<TextRequest>,
) -> Result<Response, AppError> {
    match service::add_prompt(&state, &user, &form.text).await {
        Ok(_) => Ok(redirect_with_flash("/coach/prompts", &PROMPT_SAVED)),
        Err(AppError::Validation(errors)) => {
            let page = coach_prompts_page(&state, layout, &user, form.text, errors).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => Err(e),
    }
}

pub async fn coach_reword(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(user): RequireStaff,
    Path(id): Path<String>,
    Form(form): Form<TextRequest>,
) -> Result<Response, AppError> {
    match service::reword_prompt(&state, &id, &form.text).await {
        Ok(_) => Ok(redirect_with_flash("/coach/prompts", &PROMPT_REWORDED)),
        Err(AppError::Validation(errors)) => {
            let page = coach_prompts_page(&state, layout, &user, String::new(), errors).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => Err(e),
    }
}

pub async fn coach_retire(
    State(state): State<AppState>,
    RequireStaff(_): RequireStaff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    done_or_404(store::retire_prompt(&state.db, &id).await?, "/coach/prompts", &PROMPT_RETIRED)
}

// ---- JSON ------------------------------------------------------------------

/// Every prompt: built-in, the instance's own (retired ones flagged), and the reframe's.
#[utoipa::path(get, path = "/api/v1/prompts", tag = "practice", responses((status = 200, body = [Prompt]), (status = 401)))]
pub async fn list_prompts(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> Result<Json<Vec<Prompt>>, AppError> {
    Ok(Json(service::prompts(&state).await?))
}

/// One prompt.
#[utoipa::path(get, path = "/api/v1/prompts/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = Prompt), (status = 404)))]
pub async fn get_prompt(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Prompt>, AppError> {
    Ok(Json(service::prompt(&state, &id).await?))
}

/// Add a prompt for everyone on this instance (coaches and admins).
#[utoipa::path(post, path = "/api/v1/prompts", tag = "practice", request_body = TextRequest,
    responses((status = 201, body = Prompt), (status = 403), (status = 422)))]
pub async fn create_prompt(
    State(state): State<AppState>,
    RequireStaff(user): RequireStaff,
    Json(req): Json<TextRequest>,
) -> Result<(StatusCode, Json<Prompt>), AppError> {
    Ok((StatusCode::CREATED, Json(service::add_prompt(&state, &user, &req.text).await?)))
}

/// Reword one of the instance's prompts (coaches and admins).
#[utoipa::path(put, path = "/api/v1/prompts/{id}", tag = "practice", params(("id" = String, Path)),
    request_body = TextRequest, responses((status = 200, body = Prompt), (status = 403), (status = 404), (status = 422)))]
pub async fn update_prompt(
    State(state): State<AppState>,
    RequireStaff(_staff): RequireStaff,
    Path(id): Path<String>,
    Json(req): Json<TextRequest>,
) -> Result<Json<Prompt>, AppError> {
    Ok(Json(service::reword_prompt(&state, &id, &req.text).await?))
}

/// Retire one of the instance's prompts: no longer offered; entries keep it.
#[utoipa::path(delete, path = "/api/v1/prompts/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 204), (status = 403), (status = 404)))]
pub async fn delete_prompt(
    State(state): State<AppState>,
    RequireStaff(_staff): RequireStaff,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    service::retire_prompt(&state, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
