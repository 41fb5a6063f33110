//! The conflict-repair guide's pages: the list, the safety check that comes
//! first, the finished plan (printable) and deleting one. The steps are in `steps`.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::content::{FEELINGS, PAUSE_MESSAGE, PROTECTIVE_MOVES};
use super::rules::{self, RepairAnswers, SafetyAnswer};
use super::store::{self, PlanRecord};
use super::{PLAN_DELETED, PLAN_STARTED, service};
use crate::clock::format_in_zone;
use crate::config::HelpLine;
use crate::state::AppState;
use crate::web::{AppError, CurrentUser, Layout, redirect_with_flash, render, render_with_status};

pub struct PlanRow {
    pub id: String,
    pub title: String,
    pub when: String,
    pub finished: bool,
    pub step: i64,
}

#[derive(Template)]
#[template(path = "practice/repair_list.html")]
struct ListPage {
    layout: Layout,
    plans: Vec<PlanRow>,
}

pub async fn list(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let plans = store::list_plans(&state.db, &user.id)
        .await?
        .into_iter()
        .map(|p| PlanRow {
            title: rules::title(&p.answers),
            when: format_in_zone(p.updated_at, &user.time_zone),
            finished: p.finished_at.is_some(),
            step: p.step,
            id: p.id,
        })
        .collect();
    render(ListPage { layout, plans })
}

#[derive(Template)]
#[template(path = "practice/repair_safety.html")]
struct SafetyCheckPage {
    layout: Layout,
    error: Option<&'static str>,
    /// Set once the member said they are afraid (or not sure).
    stop_here: bool,
    help_lines: Vec<HelpLine>,
}

pub async fn safety_check(layout: Layout, _user: CurrentUser) -> Result<Response, AppError> {
    render(SafetyCheckPage { layout, error: None, stop_here: false, help_lines: Vec::new() })
}

#[derive(Deserialize)]
pub struct SafetyForm {
    #[serde(default)]
    safety: String,
}

pub async fn safety_submit(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Form(form): Form<SafetyForm>,
) -> Result<Response, AppError> {
    let answer = SafetyAnswer::parse(&form.safety);
    if matches!(answer, SafetyAnswer::Afraid | SafetyAnswer::Unsure) {
        let help_lines = state.config.help_lines.clone();
        return render(SafetyCheckPage { layout, error: None, stop_here: true, help_lines });
    }
    let answers = RepairAnswers { pause_message: PAUSE_MESSAGE.into(), ..Default::default() };
    match service::start_plan(&state, &user, answer == SafetyAnswer::Safe, &answers, 1).await {
        Ok(plan) => Ok(redirect_with_flash(&format!("/practice/repair/{}/step/1", plan.id), &PLAN_STARTED)),
        Err(AppError::Validation(_)) => {
            let page = SafetyCheckPage {
                layout,
                error: Some("Choose one answer, so we can point you to the right place."),
                stop_here: false,
                help_lines: Vec::new(),
            };
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "practice/repair_plan.html")]
struct PlanPage {
    layout: Layout,
    plan: PlanRecord,
    title: String,
    started: String,
    finished: Option<String>,
    feelings: Vec<&'static str>,
    moves: Vec<&'static str>,
}

pub async fn show(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let plan = service::find_plan(&state, &user, &id).await?;
    render(PlanPage {
        title: rules::title(&plan.answers),
        started: format_in_zone(plan.created_at, &user.time_zone),
        finished: plan.finished_at.map(|t| format_in_zone(t, &user.time_zone)),
        feelings: rules::labels(&plan.answers.feelings, FEELINGS),
        moves: rules::labels(&plan.answers.moves, PROTECTIVE_MOVES),
        plan,
        layout,
    })
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    Ok(service::delete_plan(&state, &user, &id).await?.redirect("/practice/repair", &PLAN_DELETED))
}
