//! The reveal page: the questions by theme, each answered privately.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::service::{self, RevealView};
use crate::features::together::content::THEMES;
use crate::features::together::link::store::{self as links, Partner};
use crate::features::together::rules::RevealState;
use crate::features::together::{REVEAL_ANSWERED, REVEAL_SKIPPED};
use crate::state::AppState;
use crate::web::{
    AppError, CurrentUser, FieldErrors, Layout, redirect_with_flash, render, render_with_status,
};

#[derive(Deserialize)]
pub struct RevealForm {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    action: String,
}

pub struct Theme {
    pub name: &'static str,
    pub questions: Vec<RevealView>,
}

#[derive(Template)]
#[template(path = "together/reveal.html")]
struct RevealPage {
    layout: Layout,
    partner: Option<Partner>,
    themes: Vec<Theme>,
    answering: String,
    answer: String,
    errors: FieldErrors,
}

async fn page(
    state: &AppState,
    layout: Layout,
    user: &CurrentUser,
    answering: String,
    answer: String,
    errors: FieldErrors,
) -> Result<RevealPage, AppError> {
    let partner = links::partner_of(&state.db.pool, &user.id).await?;
    let mut all = if partner.is_some() { service::questions(state, user).await? } else { Vec::new() };
    let themes = THEMES
        .iter()
        .map(|name| {
            let (these, rest): (Vec<_>, Vec<_>) = all.drain(..).partition(|v| v.question.theme == *name);
            all = rest;
            Theme { name, questions: these }
        })
        .collect();
    Ok(RevealPage { layout, partner, themes, answering, answer, errors })
}

pub async fn reveal(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    render(page(&state, layout, &user, String::new(), String::new(), FieldErrors::new()).await?)
}

pub async fn answer(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<RevealForm>,
) -> Result<Response, AppError> {
    let skip = form.action == "skip";
    match service::answer(&state, &user, &id, &form.answer, skip).await {
        Ok(()) => Ok(redirect_with_flash(
            &format!("/together/reveal#q-{id}"),
            if skip { &REVEAL_SKIPPED } else { &REVEAL_ANSWERED },
        )),
        Err(AppError::Validation(errors)) => render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&state, layout, &user, id, form.answer, errors).await?,
        ),
        Err(e) => Err(e),
    }
}
