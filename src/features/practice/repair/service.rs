//! What the repair guide's pages and API both do: start a plan (only after the
//! safety answer), save it step by step, replace it whole, delete it.

use super::rules::{self, RepairAnswers};
use super::store::{self, PlanRecord};
use crate::features::undo::{self, Deleted};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

pub async fn find_plan(state: &AppState, user: &CurrentUser, id: &str) -> Result<PlanRecord, AppError> {
    store::find_plan(&state.db, &user.id, id).await?.ok_or(AppError::NotFound)
}

/// Start a plan at `step`. Refused, with the way to help named, unless the
/// member said they are not afraid of their partner.
pub async fn start_plan(
    state: &AppState,
    user: &CurrentUser,
    not_afraid: bool,
    answers: &RepairAnswers,
    step: i64,
) -> Result<PlanRecord, AppError> {
    rules::safety_check(not_afraid).into_result()?;
    rules::validate(answers, false).into_result()?;
    let id = store::insert_plan(
        &state.db,
        &user.id,
        step.clamp(1, rules::LAST_STEP),
        answers,
        crate::clock::now(),
    )
    .await?;
    find_plan(state, user, &id).await
}

/// Save one step's answers; finishing after step 7 marks the plan done.
pub async fn save_step(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    step: i64,
    from: RepairAnswers,
    finishing: bool,
) -> Result<PlanRecord, AppError> {
    let mut plan = find_plan(state, user, id).await?;
    rules::merge_step(&mut plan.answers, from, step);
    rules::validate(&plan.answers, finishing).into_result()?;
    let reached = rules::next_step(plan.step, step);
    let finished_at =
        if finishing { plan.finished_at.or(Some(crate::clock::now())) } else { plan.finished_at };
    store::update_plan(&state.db, &user.id, id, reached, &plan.answers, finished_at).await?;
    find_plan(state, user, id).await
}

/// Replace a whole plan (the API's update).
pub async fn replace_plan(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    answers: &RepairAnswers,
    step: i64,
    finished: bool,
) -> Result<PlanRecord, AppError> {
    let plan = find_plan(state, user, id).await?;
    rules::validate(answers, finished).into_result()?;
    let finished_at = if finished { plan.finished_at.or(Some(crate::clock::now())) } else { None };
    store::update_plan(&state.db, &user.id, id, step.clamp(1, rules::LAST_STEP), answers, finished_at)
        .await?;
    find_plan(state, user, id).await
}

/// Delete a plan, undoable for a while.
pub async fn delete_plan(state: &AppState, user: &CurrentUser, id: &str) -> Result<Deleted, AppError> {
    undo::delete_or_404(state, &user.id, &store::UNDO, id, &format!("/practice/repair/{id}")).await
}
