//! What the moments-of-return page and API both do.

use super::rules;
use super::store::{self, ReturnRecord};
use crate::features::undo::{self, Deleted};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

pub async fn find_return(state: &AppState, user: &CurrentUser, id: &str) -> Result<ReturnRecord, AppError> {
    store::find_return(&state.db, &user.id, id).await?.ok_or(AppError::NotFound)
}

pub async fn log_return(
    state: &AppState,
    user: &CurrentUser,
    day: &str,
    text: &str,
) -> Result<String, AppError> {
    rules::validate(day, text, &user.today()).into_result()?;
    Ok(store::insert_return(&state.db.pool, &user.id, day, text.trim(), crate::clock::now()).await?)
}

/// Change a moment; with no day given, it keeps its day.
pub async fn change_return(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    day: Option<&str>,
    text: &str,
) -> Result<ReturnRecord, AppError> {
    let existing = find_return(state, user, id).await?;
    let day = day.unwrap_or(&existing.day);
    rules::validate(day, text, &user.today()).into_result()?;
    store::update_return(&state.db, &user.id, id, day, text.trim()).await?;
    find_return(state, user, id).await
}

/// Delete a moment, undoable for a while.
pub async fn delete_return(state: &AppState, user: &CurrentUser, id: &str) -> Result<Deleted, AppError> {
    undo::delete_or_404(state, &user.id, &store::UNDO, id, "/practice/returns").await
}
