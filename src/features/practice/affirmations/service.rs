//! What the affirmation pages and API both do: list them with the member's
//! marks, add and reword the member's own, mark any one, delete their own.

use super::rules::{self, Affirmation, Mark};
use super::store;
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

/// Mark an affirmation the member can see: favourite, hidden, or neither.
pub async fn mark(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    mark: Option<Mark>,
) -> Result<(), AppError> {
    if !rules::is_built_in(id) && !store::owns_affirmation(&state.db, &user.id, id).await? {
        return Err(AppError::NotFound);
    }
    store::set_affirmation_mark(&state.db, &user.id, id, mark.map(Mark::as_str)).await?;
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
    let marked = Mark::from_flags(favourite.unwrap_or(current.favourite), hidden.unwrap_or(current.hidden));
    mark(state, user, id, marked).await?;
    affirmation(state, user, id).await
}

pub async fn delete(state: &AppState, user: &CurrentUser, id: &str) -> Result<bool, AppError> {
    Ok(store::delete_affirmation(&state.db, &user.id, id).await?)
}
