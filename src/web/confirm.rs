//! "Are you sure?" before anything a member wrote is deleted, and what
//! follows a change to one row: the next page, or "not found".

use askama::Template;
use axum::response::Response;

use super::flash::{Flash, redirect_with_flash};
use super::{AppError, Layout, render};

/// What the confirmation page names: "Delete this entry? «Sunday», written …".
pub struct DeleteQuestion {
    /// "entry", "repair plan", "map".
    pub what: &'static str,
    pub name: String,
    pub detail: String,
    /// Where the form posts.
    pub action: String,
    /// Where "keep it" leads.
    pub back: String,
}

#[derive(Template)]
#[template(path = "confirm_delete.html")]
struct ConfirmDeletePage {
    layout: Layout,
    q: DeleteQuestion,
}

/// The confirmation page, or 404 when there is nothing of the member's to delete.
pub fn ask_before_deleting(layout: Layout, question: Option<DeleteQuestion>) -> Result<Response, AppError> {
    render(ConfirmDeletePage { layout, q: question.ok_or(AppError::NotFound)? })
}

/// After changing or deleting one row: on to `to` with a message, or 404 when
/// there was no such row (or it was someone else's).
pub fn done_or_404(done: bool, to: &str, flash: &Flash) -> Result<Response, AppError> {
    if done { Ok(redirect_with_flash(to, flash)) } else { Err(AppError::NotFound) }
}
