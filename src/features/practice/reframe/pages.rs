//! The reframe page: the five questions, and the member's earlier reframes.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::REFRAME_SAVED;
use super::rules::ReframeForm;
use crate::features::practice::journal::{self, content::REFRAME_PROMPT_ID};
use crate::state::AppState;
use crate::web::{
    AppError, CurrentUser, FieldErrors, Layout, redirect_with_flash, render, render_with_status,
};

#[derive(Template)]
#[template(path = "practice/reframe.html")]
struct ReframePage {
    layout: Layout,
    form: ReframeForm,
    errors: FieldErrors,
    earlier: Vec<(String, String)>,
}

async fn earlier_reframes(state: &AppState, user: &CurrentUser) -> Result<Vec<(String, String)>, AppError> {
    Ok(journal::store::list_entries(
        &state.db,
        &user.id,
        Some(REFRAME_PROMPT_ID),
        &journal::paging::Cursor::Newest,
        5,
    )
    .await?
    .into_iter()
    .map(|e| (e.id, journal::rules::display_title(&e.title, &e.opening)))
    .collect())
}

pub async fn reframe(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let earlier = earlier_reframes(&state, &user).await?;
    render(ReframePage { layout, form: ReframeForm::default(), errors: FieldErrors::new(), earlier })
}

pub async fn reframe_submit(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Form(form): Form<ReframeForm>,
) -> Result<Response, AppError> {
    let errors = form.validate();
    if !errors.is_empty() {
        let earlier = earlier_reframes(&state, &user).await?;
        return render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            ReframePage { layout, form, errors, earlier },
        );
    }
    let (title, body) = form.to_entry();
    let id = journal::service::create_reframe(&state, &user, &title, &body).await?;
    Ok(redirect_with_flash(&format!("/practice/journal/{id}"), &REFRAME_SAVED))
}
