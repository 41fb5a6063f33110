//! A member's own place in the library: resume, completion, notes.

pub mod pages;
pub mod store;

use crate::features::undo::{self, Deleted};
use crate::state::AppState;
use crate::web::AppError;

/// Delete one of the member's notes, undoable for a while: the delete, and
/// the notes on the recording it was pinned to, where an undo returns.
pub async fn delete_note(
    state: &AppState,
    member_id: &str,
    note_id: &str,
) -> Result<(Deleted, String), AppError> {
    let recording_id =
        store::note_recording(&state.db, member_id, note_id).await?.ok_or(AppError::NotFound)?;
    let notes = format!("/library/{recording_id}#notes");
    Ok((undo::delete_or_404(state, member_id, &store::NOTE_UNDO, note_id, &notes).await?, notes))
}
