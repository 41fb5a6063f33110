//! What the affirmation pages and API both do: list them with the member's
//! marks, add and reword the member's own, mark any one, delete their own.

use super::rules::{self, Affirmation, Choice, Marks};
use super::store;
use crate::features::undo::{self, Deleted};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

pub async fn affirmations(state: &AppState, user: &CurrentUser) -> Result<Vec<Affirmation>, AppError> {
    let marks = store::affirmation_marks(&state.db, &user.id).await?;
    let own =
        store::own_affirmations(&state.db, &user.id).await?.into_iter().map(|a| (a.id, a.text)).collect();
    Ok(rules::arrange(own, &marks))
}

pub async fn affirmation(state: &AppState, user: &CurrentUser, id: &str) -> Result<Affirmation, AppError> {
    affirmations(state, user).await?.into_iter().find(|a| a.id == id).ok_or(AppError::NotFound)
}

pub async fn add(state: &AppState, user: &CurrentUser, text: &str) -> Result<String, AppError> {
    rules::validate(text).into_result()?;
    Ok(store::insert_affirmation(&state.db, &user.id, text.trim()).await?)
}

/// Apply a member's choice to an affirmation they can see; the other mark stays.
pub async fn mark(state: &AppState, user: &CurrentUser, id: &str, choice: Choice) -> Result<(), AppError> {
    let current = affirmation(state, user, id).await?;
    let marks = choice.apply(Marks { favourite: current.favourite, hidden: current.hidden });
    set_marks(state, user, id, marks).await
}

/// Both callers found the affirmation among the member's own list first, so
/// it is built in or theirs.
async fn set_marks(state: &AppState, user: &CurrentUser, id: &str, marks: Marks) -> Result<(), AppError> {
    store::set_affirmation_mark(&state.db, &user.id, id, marks.stored()).await?;
    Ok(())
}

/// Reword an own affirmation (built-in ones cannot be), and set its marks;
/// whatever is left out stays as it was.
pub async fn update(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    text: Option<&str>,
    favourite: Option<bool>,
    hidden: Option<bool>,
) -> Result<Affirmation, AppError> {
    let current = affirmation(state, user, id).await?;
    if let Some(text) = text {
        if !current.own {
            return Err(AppError::BadRequest(
                "Built-in affirmations cannot be reworded; add your own instead.".into(),
            ));
        }
        rules::validate(text).into_result()?;
        store::update_affirmation(&state.db, &user.id, id, text.trim()).await?;
    }
    let marks =
        Marks { favourite: favourite.unwrap_or(current.favourite), hidden: hidden.unwrap_or(current.hidden) };
    set_marks(state, user, id, marks).await?;
    affirmation(state, user, id).await
}

/// Delete an own affirmation, undoable for a while.
pub async fn delete(state: &AppState, user: &CurrentUser, id: &str) -> Result<Deleted, AppError> {
    undo::delete_or_404(state, &user.id, &store::UNDO, id, "/practice/affirmations#all").await
}
