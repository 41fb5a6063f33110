//! The conflict-repair guide: a safety check, seven steps that can be left
//! and resumed, and the finished plan, printable.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::content::{FEELINGS, PAUSE_MESSAGE, PROTECTIVE_MOVES, REPAIR_EXAMPLES};
use super::journal_pages::{ConfirmDelete, done_or_404};
use super::repair::{self, RepairAnswers, STEPS, Step};
use super::service;
use super::store::{self, PlanRecord};
use crate::clock::format_in_zone;
use crate::config::HelpLine;
use crate::state::AppState;
use crate::web::forms::form_pairs;
use crate::web::layout::redirect_with_flash;
use crate::web::{AppError, CurrentUser, FieldErrors, Layout, render, render_with_status};

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
            title: repair::title(&p.answers),
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
    match form.safety.as_str() {
        "safe" => {
            let answers = RepairAnswers { pause_message: PAUSE_MESSAGE.into(), ..Default::default() };
            let id = service::start_plan(&state, &user, &answers, 1).await?;
            Ok(redirect_with_flash(&format!("/practice/repair/{id}/step/1"), "plan-started"))
        }
        "afraid" | "unsure" => render(SafetyCheckPage {
            layout,
            error: None,
            stop_here: true,
            help_lines: state.config.help_lines.clone(),
        }),
        _ => {
            let page = SafetyCheckPage {
                layout,
                error: Some("Choose one answer, so we can point you to the right place."),
                stop_here: false,
                help_lines: Vec::new(),
            };
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
    }
}

pub struct Choice {
    pub id: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "practice/repair_step.html")]
struct StepPage {
    layout: Layout,
    plan_id: String,
    step: &'static Step,
    steps: Vec<(i64, &'static str, bool, bool)>,
    answers: RepairAnswers,
    feelings: Vec<Choice>,
    moves: Vec<Choice>,
    examples: &'static [&'static str],
    errors: FieldErrors,
    is_last: bool,
}

fn choices(list: &[(&'static str, &'static str)], chosen: &[String]) -> Vec<Choice> {
    list.iter().map(|(id, label)| Choice { id, label, checked: chosen.iter().any(|c| c == id) }).collect()
}

fn step_page(
    layout: Layout,
    plan: &PlanRecord,
    n: i64,
    answers: RepairAnswers,
    errors: FieldErrors,
) -> Result<StepPage, AppError> {
    let step = repair::step(n).ok_or(AppError::NotFound)?;
    Ok(StepPage {
        layout,
        plan_id: plan.id.clone(),
        step,
        steps: STEPS.iter().map(|s| (s.number, s.short, s.number == n, s.number <= plan.step)).collect(),
        feelings: choices(FEELINGS, &answers.feelings),
        moves: choices(PROTECTIVE_MOVES, &answers.moves),
        answers,
        examples: REPAIR_EXAMPLES,
        errors,
        is_last: n == repair::LAST_STEP,
    })
}

pub async fn step_form(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path((id, n)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let plan = store::find_plan(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?;
    let answers = plan.answers.clone();
    render(step_page(layout, &plan, n, answers, FieldErrors::new())?)
}

/// The answers one step's form carries, and which button was pressed.
fn read_step(body: &[u8]) -> (RepairAnswers, String) {
    let mut a = RepairAnswers::default();
    let mut action = String::from("next");
    for (k, v) in form_pairs(body) {
        let v = super::journal::normalise_form_newlines(&v);
        match k.as_str() {
            "pause_message" => a.pause_message = v,
            "what_happened" => a.what_happened = v,
            "feelings" => a.feelings.push(v),
            "what_i_felt" => a.what_i_felt = v,
            "moves" => a.moves.push(v),
            "how_i_protected" => a.how_i_protected = v,
            "my_part" => a.my_part = v,
            "what_i_need" => a.what_i_need = v,
            "repair_attempt" => a.repair_attempt = v,
            "action" => action = v,
            _ => {}
        }
    }
    (a, action)
}

pub async fn step_submit(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path((id, n)): Path<(String, i64)>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    repair::step(n).ok_or(AppError::NotFound)?;
    let (answers, action) = read_step(&body);
    let finishing = action == "finish" && n == repair::LAST_STEP;
    match service::save_step(&state, &user, &id, n, answers.clone(), finishing).await {
        Ok(plan) => Ok(match action.as_str() {
            "leave" => redirect_with_flash("/practice/repair", "plan-kept"),
            "back" => {
                redirect_with_flash(&format!("/practice/repair/{id}/step/{}", (n - 1).max(1)), "step-saved")
            }
            _ if finishing => redirect_with_flash(&format!("/practice/repair/{id}"), "plan-finished"),
            _ if n == repair::LAST_STEP => {
                redirect_with_flash(&format!("/practice/repair/{id}"), "step-saved")
            }
            _ => redirect_with_flash(&format!("/practice/repair/{}/step/{}", plan.id, n + 1), "step-saved"),
        }),
        Err(AppError::Validation(errors)) => {
            let plan = store::find_plan(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?;
            let mut shown = plan.answers.clone();
            repair::merge_step(&mut shown, answers, n);
            let page = step_page(layout, &plan, n, shown, errors)?;
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
    let plan = store::find_plan(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?;
    render(PlanPage {
        title: repair::title(&plan.answers),
        started: format_in_zone(plan.created_at, &user.time_zone),
        finished: plan.finished_at.map(|t| format_in_zone(t, &user.time_zone)),
        feelings: repair::labels(&plan.answers.feelings, FEELINGS),
        moves: repair::labels(&plan.answers.moves, PROTECTIVE_MOVES),
        plan,
        layout,
    })
}

pub async fn delete_confirm(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let plan = store::find_plan(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?;
    render(ConfirmDelete {
        layout,
        what: "repair plan",
        name: repair::title(&plan.answers),
        detail: format!("started {}", format_in_zone(plan.created_at, &user.time_zone)),
        action: format!("/practice/repair/{id}/delete"),
        back: format!("/practice/repair/{id}"),
    })
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    done_or_404(store::delete_plan(&state.db, &user.id, &id).await?, "/practice/repair", "plan-deleted")
}
