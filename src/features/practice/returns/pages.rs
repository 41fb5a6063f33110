//! The moments-of-return page: note one, see them by month, change or delete one.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::{RETURN_DELETED, RETURN_SAVED, rules, service, store};
use crate::state::AppState;
use crate::web::{
    AppError, CurrentUser, FieldErrors, Layout, redirect_with_flash, render, render_with_status,
};

pub struct ReturnRow {
    pub id: String,
    pub day: String,
    pub label: String,
    pub text: String,
}

pub struct MonthGroup {
    pub label: String,
    pub count: usize,
    pub moments: Vec<ReturnRow>,
}

#[derive(Template)]
#[template(path = "practice/returns.html")]
struct ReturnsPage {
    layout: Layout,
    editing: Option<String>,
    day: String,
    text: String,
    today: String,
    errors: FieldErrors,
    months: Vec<MonthGroup>,
}

async fn returns_page(
    state: &AppState,
    layout: Layout,
    user: &CurrentUser,
    editing: Option<String>,
    day: String,
    text: String,
    errors: FieldErrors,
) -> Result<ReturnsPage, AppError> {
    let mut months: Vec<MonthGroup> = Vec::new();
    for r in store::list_returns(&state.db, &user.id, 500).await? {
        let label = rules::month_label(&r.day);
        let row = ReturnRow { id: r.id, label: rules::day_label(&r.day), day: r.day, text: r.text };
        match months.last_mut() {
            Some(m) if m.label == label => {
                m.count += 1;
                m.moments.push(row);
            }
            _ => months.push(MonthGroup { label, count: 1, moments: vec![row] }),
        }
    }
    Ok(ReturnsPage { layout, editing, day, text, today: user.today(), errors, months })
}

pub async fn returns(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let today = user.today();
    render(returns_page(&state, layout, &user, None, today, String::new(), FieldErrors::new()).await?)
}

#[derive(Deserialize)]
pub struct ReturnForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    text: String,
}

pub async fn log_return(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Form(form): Form<ReturnForm>,
) -> Result<Response, AppError> {
    match service::log_return(&state, &user, form.day.trim(), &form.text).await {
        Ok(_) => Ok(redirect_with_flash("/practice/returns", &RETURN_SAVED)),
        Err(AppError::Validation(errors)) => {
            let page = returns_page(&state, layout, &user, None, form.day, form.text, errors).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => Err(e),
    }
}

pub async fn edit_return(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = service::find_return(&state, &user, &id).await?;
    render(returns_page(&state, layout, &user, Some(id), r.day, r.text, FieldErrors::new()).await?)
}

pub async fn edit_return_submit(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<ReturnForm>,
) -> Result<Response, AppError> {
    match service::change_return(&state, &user, &id, Some(form.day.trim()), &form.text).await {
        Ok(_) => Ok(redirect_with_flash("/practice/returns", &RETURN_SAVED)),
        Err(AppError::Validation(errors)) => {
            let page = returns_page(&state, layout, &user, Some(id), form.day, form.text, errors).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => Err(e),
    }
}

pub async fn delete_return(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    Ok(service::delete_return(&state, &user, &id).await?.redirect("/practice/returns", &RETURN_DELETED))
}
