//! The library as JSON: what I may watch, one recording with its chapters,
//! transcript and my notes, saving my place, notes, and redeeming a code.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::access::{self, rules::normalise_code, store as memberships};
use super::recordings::pages::{lines_of, visible};
use super::recordings::store;
use super::watching::pages::{LONGEST_SECONDS, NOTE_MAX, is_completed, known_length};
use super::watching::store as watching;
use crate::features::undo::Deleted;
use crate::state::AppState;
use crate::web::{AppError, CurrentUser, FieldErrors};

#[derive(Serialize, ToSchema)]
pub struct RecordingSummary {
    pub id: String,
    pub title: String,
    pub description: String,
    pub session_date: String,
    pub series: String,
    pub duration_seconds: Option<i64>,
    pub media_type: String,
    /// Where I stopped, in seconds (0: not started).
    pub position_seconds: i64,
    pub completed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct LibraryJson {
    /// Whether I may watch now.
    pub access: bool,
    /// When my access ends (RFC 3339); none when it does not end or I have none.
    pub expires_at: Option<String>,
    /// Empty without access.
    pub recordings: Vec<RecordingSummary>,
}

fn media_type(kind: &str) -> String {
    super::sniff::MediaKind::parse(kind).map_or("application/octet-stream", |k| k.content_type()).to_owned()
}

/// The library as I may see it.
#[utoipa::path(get, path = "/api/v1/library", tag = "library", responses((status = 200, body = LibraryJson)))]
pub async fn library(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<LibraryJson>, AppError> {
    let now = crate::clock::now();
    let access = access::may_watch_claiming(&state, &user).await?;
    let expires_at = memberships::membership(&state.db, &user.id)
        .await?
        .filter(|m| m.is_active(now))
        .and_then(|m| m.expires_at)
        .map(crate::clock::rfc3339);
    let mut recordings = Vec::new();
    if access {
        let positions = watching::positions(&state.db, &user.id).await?;
        for r in store::list_published(&state.db, now, None).await? {
            let p = positions.iter().find(|p| p.recording_id == r.id);
            recordings.push(RecordingSummary {
                media_type: media_type(&r.media_kind),
                position_seconds: p.map_or(0, |p| p.position_seconds),
                completed: p.is_some_and(|p| p.completed_at.is_some()),
                id: r.id,
                title: r.title,
                description: r.description,
                session_date: r.session_date,
                series: r.series,
                duration_seconds: r.duration_seconds,
            });
        }
    }
    Ok(Json(LibraryJson { access, expires_at, recordings }))
}

#[derive(Serialize, ToSchema)]
pub struct ChapterJson {
    pub at_seconds: i64,
    pub title: String,
}

#[derive(Serialize, ToSchema)]
pub struct CueJson {
    pub start_ms: u64,
    pub end_ms: u64,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct NoteJson {
    pub id: String,
    pub at_seconds: i64,
    pub text: String,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct RecordingJson {
    pub id: String,
    pub title: String,
    pub description: String,
    pub session_date: String,
    pub series: String,
    pub topics: Vec<String>,
    pub duration_seconds: Option<i64>,
    pub media_type: String,
    /// The bytes, with range requests.
    pub media_url: String,
    pub chapters: Vec<ChapterJson>,
    pub transcript: Vec<CueJson>,
    pub position_seconds: i64,
    pub completed: bool,
    pub notes: Vec<NoteJson>,
}

fn watchable(user: &CurrentUser) -> Result<(), AppError> {
    if access::may_watch(user) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// One recording, with its transcript and my place and notes in it.
#[utoipa::path(get, path = "/api/v1/library/recordings/{id}", tag = "library",
    responses((status = 200, body = RecordingJson), (status = 403), (status = 404)))]
pub async fn recording(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<RecordingJson>, AppError> {
    watchable(&user)?;
    let r = visible(&state, &user, &id).await?;
    let position = watching::position(&state.db, &user.id, &r.id).await?;
    Ok(Json(RecordingJson {
        topics: store::topics_of(&state.db, &r.id).await?,
        chapters: store::chapters_of(&state.db, &r.id)
            .await?
            .into_iter()
            .map(|(at_seconds, title)| ChapterJson { at_seconds, title })
            .collect(),
        transcript: lines_of(store::transcript_of(&state.db, &r.id).await?.as_deref())
            .into_iter()
            .map(|l| CueJson { start_ms: l.start_ms, end_ms: l.end_ms, text: l.text })
            .collect(),
        notes: watching::notes(&state.db, &user.id, Some(&r.id))
            .await?
            .into_iter()
            .map(|n| NoteJson {
                id: n.id,
                at_seconds: n.at_seconds,
                text: n.text,
                created_at: crate::clock::rfc3339(n.created_at),
            })
            .collect(),
        position_seconds: position.as_ref().map_or(0, |p| p.position_seconds),
        completed: position.is_some_and(|p| p.completed_at.is_some()),
        media_type: media_type(&r.media_kind),
        media_url: format!("/library/{}/media", r.id),
        id: r.id,
        title: r.title,
        description: r.description,
        session_date: r.session_date,
        series: r.series,
        duration_seconds: r.duration_seconds,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct PositionRequest {
    pub seconds: f64,
    /// The player's length in seconds, used when the recording's is not known.
    #[serde(default)]
    pub duration: Option<f64>,
}

/// Where I am in a recording (90 % counts as completed).
#[utoipa::path(put, path = "/api/v1/library/recordings/{id}/position", tag = "library", request_body = PositionRequest,
    responses((status = 204), (status = 403), (status = 404)))]
pub async fn save_position(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(body): Json<PositionRequest>,
) -> Result<StatusCode, AppError> {
    watchable(&user)?;
    let r = visible(&state, &user, &id).await?;
    if !body.seconds.is_finite() || body.seconds < 0.0 {
        let mut errors = FieldErrors::new();
        errors.add("seconds", "Give a number of seconds from 0.");
        return Err(AppError::Validation(errors));
    }
    let length = known_length(r.duration_seconds, body.duration);
    let seconds = (body.seconds as i64).min(length.unwrap_or(LONGEST_SECONDS));
    let completed = is_completed(seconds, length);
    watching::save_position(&state.db, &user.id, &r.id, seconds, completed, crate::clock::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct NoteRequest {
    pub at_seconds: i64,
    pub text: String,
}

/// Pin a private note to a moment.
#[utoipa::path(post, path = "/api/v1/library/recordings/{id}/notes", tag = "library", request_body = NoteRequest,
    responses((status = 201, body = NoteJson), (status = 422)))]
pub async fn add_note(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(body): Json<NoteRequest>,
) -> Result<(StatusCode, Json<NoteJson>), AppError> {
    watchable(&user)?;
    let r = visible(&state, &user, &id).await?;
    let mut errors = FieldErrors::new();
    if body.at_seconds < 0 || body.at_seconds > r.duration_seconds.unwrap_or(LONGEST_SECONDS) {
        errors.add("at_seconds", "Give a moment within the recording.");
    }
    let text = crate::web::forms::normalise_newlines(body.text.trim());
    if text.is_empty() || text.chars().count() > NOTE_MAX {
        errors.add("text", format!("Write a note of up to {NOTE_MAX} characters."));
    }
    errors.into_result()?;
    let now = crate::clock::now();
    let id = watching::add_note(&state.db, &user.id, &r.id, body.at_seconds, &text, now).await?;
    let note = NoteJson { id, at_seconds: body.at_seconds, text, created_at: crate::clock::rfc3339(now) };
    Ok((StatusCode::CREATED, Json(note)))
}

/// Delete one of my notes. It can be brought back with POST
/// /api/v1/undo/{undo_id} until `undo_until`.
#[utoipa::path(delete, path = "/api/v1/library/notes/{id}", tag = "library",
    responses((status = 200, body = Deleted), (status = 404)))]
pub async fn delete_note(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Deleted>, AppError> {
    Ok(Json(super::watching::delete_note(&state, &user.id, &id).await?.0))
}

#[derive(Deserialize, ToSchema)]
pub struct RedeemRequest {
    pub code: String,
}

/// Redeem an invite code for library access.
#[utoipa::path(post, path = "/api/v1/library/redeem", tag = "library", request_body = RedeemRequest,
    responses((status = 204), (status = 422)))]
pub async fn redeem(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<RedeemRequest>,
) -> Result<StatusCode, AppError> {
    let code = normalise_code(&body.code);
    let result = access::redeem(&state, &user, &code).await?;
    if let Err(refusal) = result {
        let mut errors = FieldErrors::new();
        errors.add("code", super::access::pages::refusal_text(&refusal));
        return Err(AppError::Validation(errors));
    }
    Ok(StatusCode::NO_CONTENT)
}
