//! What follows a change to one row: the next page, or "not found". (A
//! member's own writing is deleted without asking first, and can be undone:
//! see `features::undo`.)

use axum::response::Response;

use super::AppError;
use super::flash::{Flash, redirect_with_flash};

/// After changing or deleting one row: on to `to` with a message, or 404 when
/// there was no such row (or it was someone else's).
pub fn done_or_404(done: bool, to: &str, flash: &Flash) -> Result<Response, AppError> {
    if done { Ok(redirect_with_flash(to, flash)) } else { Err(AppError::NotFound) }
}
