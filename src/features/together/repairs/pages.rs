//! The repair page: invite, answer with "ready now" or a promised return,
//! close as "we found our way back".

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::service::{self, RepairView};
use crate::features::together::link::store::{self as links, Partner};
use crate::features::together::shares::{items::ItemKind, service as shares};
use crate::features::together::{REPAIR_ANSWERED, REPAIR_CLOSED, REPAIR_SENT};
use crate::state::AppState;
use crate::web::confirm::done_or_404;
use crate::web::{
    AppError, CurrentUser, FieldErrors, Layout, redirect_with_flash, render, render_with_status,
};

#[derive(Default, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    message: String,
    #[serde(default)]
    share_id: String,
}

#[derive(Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    return_at: String,
    #[serde(default)]
    message: String,
}

pub struct PlanOption {
    pub id: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "together/repair.html")]
struct RepairPage {
    layout: Layout,
    partner: Option<Partner>,
    invitations: Vec<RepairView>,
    plans: Vec<PlanOption>,
    form: InviteForm,
    errors: FieldErrors,
    answering: Option<String>,
    answer: AnswerForm,
    answer_errors: FieldErrors,
    soonest: String,
}

async fn page(
    state: &AppState,
    layout: Layout,
    user: &CurrentUser,
    (form, errors): (InviteForm, FieldErrors),
    (answering, answer, answer_errors): (Option<String>, AnswerForm, FieldErrors),
) -> Result<RepairPage, AppError> {
    let partner = links::partner_of(&state.db.pool, &user.id).await?;
    let (invitations, plans) = if partner.is_some() {
        let shared = shares::lists(state, user).await?.by_me;
        let plans = shared
            .into_iter()
            .filter(|s| s.kind == ItemKind::Repair)
            .map(|s| PlanOption {
                label: format!(
                    "{}, shared {}",
                    s.heading,
                    crate::clock::format_date(s.shared_at, &user.time_zone)
                ),
                id: s.id,
            })
            .collect();
        (service::invitations(state, user).await?, plans)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(RepairPage {
        layout,
        partner,
        invitations,
        plans,
        form,
        errors,
        answering,
        answer,
        answer_errors,
        soonest: crate::clock::to_local_input(crate::clock::now() + 60, &user.time_zone),
    })
}

pub async fn repair(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let blank = (InviteForm::default(), FieldErrors::new());
    render(page(&state, layout, &user, blank, (None, AnswerForm::default(), FieldErrors::new())).await?)
}

pub async fn invite(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    match service::invite(&state, &user, &form.message, Some(&form.share_id)).await {
        Ok(_) => Ok(redirect_with_flash("/together/repair", &REPAIR_SENT)),
        Err(AppError::Validation(errors)) => {
            let page = page(
                &state,
                layout,
                &user,
                (form, errors),
                (None, AnswerForm::default(), FieldErrors::new()),
            )
            .await?;
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
    let return_at = crate::clock::parse_time(&form.return_at, &user.time_zone);
    match service::answer(&state, &user, &id, &form.kind, return_at, &form.message).await {
        Ok(()) => Ok(redirect_with_flash("/together/repair", &REPAIR_ANSWERED)),
        Err(AppError::Validation(errors)) => {
            let blank = (InviteForm::default(), FieldErrors::new());
            render_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&state, layout, &user, blank, (Some(id), form, errors)).await?,
            )
        }
        Err(e) => Err(e),
    }
}

pub async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    done_or_404(service::close(&state, &user, &id).await?, "/together/repair", &REPAIR_CLOSED)
}
