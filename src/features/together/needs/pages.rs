//! The needs page: name one, read and answer the partner's.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::service::{self, AnswerInput, NeedInput, NeedView};
use crate::features::assess::checkins::NEEDS;
use crate::features::together::link::store::{self as links, Partner};
use crate::features::together::{NEED_ANSWERED, NEED_NAMED};
use crate::state::AppState;
use crate::web::{
    AppError, CurrentUser, FieldErrors, Layout, redirect_with_flash, render, render_with_status,
};

#[derive(Default, Deserialize)]
pub struct NeedForm {
    #[serde(default)]
    need: String,
    #[serde(default)]
    own_words: String,
    #[serde(default)]
    message: String,
}

#[derive(Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    talk_at: String,
    #[serde(default)]
    text: String,
}

#[derive(Template)]
#[template(path = "together/needs.html")]
struct NeedsPage {
    layout: Layout,
    partner: Option<Partner>,
    needs: Vec<NeedView>,
    options: &'static [(&'static str, &'static str)],
    form: NeedForm,
    errors: FieldErrors,
    /// The need whose answer came back with a problem, and what was typed.
    answering: Option<String>,
    answer: AnswerForm,
    answer_errors: FieldErrors,
    soonest: String,
}

struct Extra {
    form: NeedForm,
    errors: FieldErrors,
    answering: Option<String>,
    answer: AnswerForm,
    answer_errors: FieldErrors,
}

async fn page(
    state: &AppState,
    layout: Layout,
    user: &CurrentUser,
    extra: Extra,
) -> Result<NeedsPage, AppError> {
    let partner = links::partner_of(&state.db.pool, &user.id).await?;
    let needs = if partner.is_some() { service::needs(state, user).await? } else { Vec::new() };
    Ok(NeedsPage {
        layout,
        partner,
        needs,
        options: NEEDS.items,
        form: extra.form,
        errors: extra.errors,
        answering: extra.answering,
        answer: extra.answer,
        answer_errors: extra.answer_errors,
        soonest: crate::clock::to_local_input(crate::clock::now() + 60, &user.time_zone),
    })
}

fn blank() -> Extra {
    Extra {
        form: NeedForm::default(),
        errors: FieldErrors::new(),
        answering: None,
        answer: AnswerForm::default(),
        answer_errors: FieldErrors::new(),
    }
}

pub async fn needs(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    render(page(&state, layout, &user, blank()).await?)
}

pub async fn name_need(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Form(form): Form<NeedForm>,
) -> Result<Response, AppError> {
    let input = NeedInput { need: &form.need, own_words: &form.own_words, message: &form.message };
    match service::name_need(&state, &user, input).await {
        Ok(_) => Ok(redirect_with_flash("/together/needs", &NEED_NAMED)),
        Err(AppError::Validation(errors)) => {
            let page = page(&state, layout, &user, Extra { form, errors, ..blank() }).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => Err(e),
    }
}

pub async fn answer(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    let input = AnswerInput {
        kind: &form.kind,
        talk_at: crate::clock::parse_time(&form.talk_at, &user.time_zone),
        text: &form.text,
    };
    match service::answer(&state, &user, &id, input).await {
        Ok(()) => Ok(redirect_with_flash("/together/needs", &NEED_ANSWERED)),
        Err(AppError::Validation(answer_errors)) => {
            let extra = Extra { answering: Some(id), answer: form, answer_errors, ..blank() };
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page(&state, layout, &user, extra).await?)
        }
        Err(e) => Err(e),
    }
}
