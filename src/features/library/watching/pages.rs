//! Saving the place, pinning notes, and the page of all of a member's notes.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::store::{self, COMPLETED_SHARE};
use crate::features::library::access::{self, pages::join_page};
use crate::features::library::recordings::pages::{
    NoteInput, NoteView, recording_page, visible, with_media_origin,
};
use crate::features::library::recordings::rules::parse_clock;
use crate::features::library::{NOTE_DELETED, NOTE_PINNED};
use crate::state::AppState;
use crate::web::{
    AppError, CurrentUser, FieldErrors, Layout, redirect_with_flash, render, render_with_status,
};

/// Longest note, in characters.
pub const NOTE_MAX: usize = 4000;

#[derive(Deserialize)]
pub struct PositionForm {
    seconds: f64,
    /// The length the player read from the file, for formats whose length is not stored.
    #[serde(default)]
    duration: Option<f64>,
}

/// The longest a moment may be when a recording's length is not known (a day).
pub const LONGEST_SECONDS: i64 = 24 * 3600;

/// Whether a position counts as having finished the recording.
pub fn is_completed(seconds: i64, duration: Option<i64>) -> bool {
    duration.is_some_and(|d| d > 0 && seconds as f64 >= d as f64 * COMPLETED_SHARE)
}

/// The length to judge by: the stored one, or else the player's (whole seconds, at most a day).
pub fn known_length(stored: Option<i64>, reported: Option<f64>) -> Option<i64> {
    stored.or_else(|| reported.filter(|d| d.is_finite() && *d > 0.0).map(|d| (d as i64).min(LONGEST_SECONDS)))
}

/// Where the member is now (sent by the player every few seconds, and when
/// the page is hidden). 204: nothing to show.
pub async fn save_position(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<PositionForm>,
) -> Result<Response, AppError> {
    if !access::may_watch(&user) {
        return Err(AppError::Forbidden);
    }
    let r = visible(&state, &user, &id).await?;
    if !form.seconds.is_finite() || form.seconds < 0.0 {
        return Err(AppError::BadRequest("seconds must be a number from 0".into()));
    }
    let length = known_length(r.duration_seconds, form.duration);
    let seconds = (form.seconds as i64).min(length.unwrap_or(LONGEST_SECONDS));
    let completed = is_completed(seconds, length);
    store::save_position(&state.db, &user.id, &r.id, seconds, completed, crate::clock::now()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    at: String,
    #[serde(default)]
    text: String,
}

pub async fn add_note(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<NoteForm>,
) -> Result<Response, AppError> {
    if !access::may_watch(&user) {
        return join_page(&state, layout, &user, String::new(), FieldErrors::new(), StatusCode::FORBIDDEN)
            .await;
    }
    let r = visible(&state, &user, &id).await?;
    let mut errors = FieldErrors::new();
    let at = parse_clock(&form.at);
    match at {
        None => errors.add("at", "Give the moment as minutes and seconds, such as 12:30."),
        Some(at) if at > r.duration_seconds.unwrap_or(LONGEST_SECONDS) => {
            errors.add("at", "That moment is after the end of the recording.")
        }
        _ => {}
    }
    let text = crate::web::forms::normalise_newlines(form.text.trim());
    if text.is_empty() {
        errors.add("text", "Write the note first.");
    } else if text.chars().count() > NOTE_MAX {
        errors.add("text", format!("Keep a note under {NOTE_MAX} characters."));
    }
    if let (Some(at), true) = (at, errors.is_empty()) {
        store::add_note(&state.db, &user.id, &r.id, at, &text, crate::clock::now()).await?;
        return Ok(redirect_with_flash(&format!("/library/{}?t={at}#notes", r.id), &NOTE_PINNED));
    }
    let note = NoteInput { at: form.at, text: form.text, errors };
    let page = recording_page(&state, layout, &user, &r.id, at, Some(note)).await?;
    with_media_origin(&state, render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page)?)
}

pub async fn delete_note(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(note_id): Path<String>,
) -> Result<Response, AppError> {
    let (deleted, notes) = super::delete_note(&state, &user.id, &note_id).await?;
    Ok(deleted.redirect(&notes, &NOTE_DELETED))
}

pub struct RecordingNotes {
    pub recording_id: String,
    pub title: String,
    pub notes: Vec<NoteView>,
}

#[derive(Template)]
#[template(path = "library/notes.html")]
struct NotesPage {
    layout: Layout,
    groups: Vec<RecordingNotes>,
}

/// Every note the member pinned, by recording: theirs to read even after
/// their membership ends.
pub async fn notes(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let mut groups: Vec<RecordingNotes> = Vec::new();
    for n in store::notes(&state.db, &user.id, None).await? {
        if groups.last().is_none_or(|g| g.recording_id != n.recording_id) {
            groups.push(RecordingNotes {
                recording_id: n.recording_id.clone(),
                title: n.recording_title.clone(),
                notes: Vec::new(),
            });
        }
        if let Some(g) = groups.last_mut() {
            g.notes.push(n.into());
        }
    }
    render(NotesPage { layout, groups })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_players_length_counts_only_without_a_stored_one() {
        assert_eq!(known_length(Some(100), Some(5.0)), Some(100));
        assert_eq!(known_length(None, Some(66.7)), Some(66));
        assert_eq!(known_length(None, Some(f64::INFINITY)), None);
        assert_eq!(known_length(None, Some(1e12)), Some(LONGEST_SECONDS));
        assert_eq!(known_length(None, None), None);
    }

    #[test]
    fn ninety_percent_is_finished() {
        assert!(is_completed(90, Some(100)));
        assert!(!is_completed(89, Some(100)));
        assert!(!is_completed(10, None));
        assert!(!is_completed(0, Some(0)));
    }
}
