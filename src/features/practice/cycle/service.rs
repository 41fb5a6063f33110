//! What the cycle map's pages and API both do: draw a map, and save a new
//! version only when the loop itself changed.

use super::rules::{self, CycleFields};
use super::store::{self, MapRecord};
use crate::features::undo::{self, Deleted};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

pub async fn find_map(state: &AppState, user: &CurrentUser, id: &str) -> Result<MapRecord, AppError> {
    store::find_map(&state.db, &user.id, id).await?.ok_or(AppError::NotFound)
}

pub async fn create_map(
    state: &AppState,
    user: &CurrentUser,
    title: &str,
    f: &CycleFields,
) -> Result<String, AppError> {
    rules::validate(title, f).into_result()?;
    Ok(store::insert_map(&state.db, &user.id, &rules::map_title(title), f, crate::clock::now()).await?)
}

/// Save a map: a new version when the links changed, only the title otherwise.
/// Returns whether a new version was kept.
pub async fn save_map(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    title: &str,
    f: &CycleFields,
) -> Result<bool, AppError> {
    let map = find_map(state, user, id).await?;
    rules::validate(title, f).into_result()?;
    if &*map.latest == f {
        store::rename_map(&state.db, &user.id, id, &rules::map_title(title)).await?;
        return Ok(false);
    }
    if !store::add_map_version(&state.db, &user.id, id, &rules::map_title(title), f).await? {
        return Err(AppError::NotFound);
    }
    Ok(true)
}

/// Delete a map with its versions, undoable for a while.
pub async fn delete_map(state: &AppState, user: &CurrentUser, id: &str) -> Result<Deleted, AppError> {
    undo::delete_or_404(state, &user.id, &store::UNDO, id, &format!("/practice/cycle/{id}")).await
}
