//! The repair guide's seven steps: each can be saved, left and resumed, and
//! going back keeps the place reached.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::content::{FEELINGS, PROTECTIVE_MOVES, REPAIR_EXAMPLES};
use super::rules::{self, RepairAnswers, STEPS, Step};
use super::store::PlanRecord;
use super::{PLAN_FINISHED, PLAN_KEPT, STEP_SAVED, service};
use crate::state::AppState;
use crate::web::forms::{form_pairs, normalise_newlines};
use crate::web::{
    AppError, CurrentUser, FieldErrors, Layout, redirect_with_flash, render, render_with_status,
};

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
    let step = rules::step(n).ok_or(AppError::NotFound)?;
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
        is_last: n == rules::LAST_STEP,
    })
}

pub async fn step_form(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path((id, n)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let plan = service::find_plan(&state, &user, &id).await?;
    let answers = plan.answers.0.clone();
    render(step_page(layout, &plan, n, answers, FieldErrors::new())?)
}

/// The answers one step's form carries, and which button was pressed.
fn read_step(body: &[u8]) -> (RepairAnswers, String) {
    let mut a = RepairAnswers::default();
    let mut action = String::from("next");
    for (k, v) in form_pairs(body) {
        let v = normalise_newlines(&v);
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
    rules::step(n).ok_or(AppError::NotFound)?;
    let (answers, action) = read_step(&body);
    let finishing = action == "finish" && n == rules::LAST_STEP;
    match service::save_step(&state, &user, &id, n, answers.clone(), finishing).await {
        Ok(plan) => Ok(match action.as_str() {
            "leave" => redirect_with_flash("/practice/repair", &PLAN_KEPT),
            "back" => {
                redirect_with_flash(&format!("/practice/repair/{id}/step/{}", (n - 1).max(1)), &STEP_SAVED)
            }
            _ if finishing => redirect_with_flash(&format!("/practice/repair/{id}"), &PLAN_FINISHED),
            _ if n == rules::LAST_STEP => redirect_with_flash(&format!("/practice/repair/{id}"), &STEP_SAVED),
            _ => redirect_with_flash(&format!("/practice/repair/{}/step/{}", plan.id, n + 1), &STEP_SAVED),
        }),
        Err(AppError::Validation(errors)) => {
            let plan = service::find_plan(&state, &user, &id).await?;
            let mut shown = plan.answers.0.clone();
            rules::merge_step(&mut shown, answers, n);
            let page = step_page(layout, &plan, n, shown, errors)?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => Err(e),
    }
}
