//! The affirmations page: one at a time to practise, the whole list with
//! favourites and hidden ones, and the member's own.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::rules::{Affirmation, Choice};
use super::{AFFIRMATION_ADDED, AFFIRMATION_DELETED, AFFIRMATION_MARKED, service};
use crate::state::AppState;
use crate::web::forms::TextRequest;
use crate::web::{
    AppError, CurrentUser, FieldErrors, Layout, redirect_with_flash, render, render_with_status,
};

#[derive(Template)]
#[template(path = "practice/affirmations.html")]
struct AffirmationsPage {
    layout: Layout,
    current: Option<Affirmation>,
    position: usize,
    showing: usize,
    next: usize,
    all: Vec<Affirmation>,
    new_text: String,
    errors: FieldErrors,
}

#[derive(Deserialize)]
pub struct PracticeQuery {
    n: Option<usize>,
}

async fn affirmations_page(
    state: &AppState,
    layout: Layout,
    user: &CurrentUser,
    n: usize,
    new_text: String,
    errors: FieldErrors,
) -> Result<AffirmationsPage, AppError> {
    let all = service::affirmations(state, user).await?;
    let visible: Vec<&Affirmation> = all.iter().filter(|a| !a.hidden).collect();
    let showing = visible.len();
    let position = if showing == 0 { 0 } else { n % showing };
    Ok(AffirmationsPage {
        layout,
        current: visible.get(position).map(|a| (*a).clone()),
        position: position + 1,
        showing,
        next: if showing == 0 { 0 } else { (position + 1) % showing },
        all,
        new_text,
        errors,
    })
}

pub async fn affirmations(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Query(q): Query<PracticeQuery>,
) -> Result<Response, AppError> {
    render(
        affirmations_page(&state, layout, &user, q.n.unwrap_or(0), String::new(), FieldErrors::new()).await?,
    )
}

pub async fn add_affirmation(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Form(form): Form<TextRequest>,
) -> Result<Response, AppError> {
    match service::add(&state, &user, &form.text).await {
        Ok(_) => Ok(redirect_with_flash("/practice/affirmations#yours", &AFFIRMATION_ADDED)),
        Err(AppError::Validation(errors)) => {
            let page = affirmations_page(&state, layout, &user, 0, form.text, errors).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct MarkForm {
    /// favourite, unfavourite, hidden or shown.
    mark: String,
    n: Option<usize>,
}

pub async fn mark_affirmation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<MarkForm>,
) -> Result<Response, AppError> {
    let choice = Choice::parse(&form.mark).map_err(|_| AppError::BadRequest("Unknown choice.".into()))?;
    service::mark(&state, &user, &id, choice).await?;
    let to = match form.n {
        Some(n) => format!("/practice/affirmations?n={n}"),
        None => "/practice/affirmations#all".into(),
    };
    Ok(redirect_with_flash(&to, &AFFIRMATION_MARKED))
}

pub async fn delete_affirmation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    Ok(service::delete(&state, &user, &id)
        .await?
        .redirect("/practice/affirmations#all", &AFFIRMATION_DELETED))
}
