//! A member's own place in the library: where they stopped, what they
//! finished, the notes they pinned, and when they last came. Every query
//! names the member.

use crate::db::{Db, new_id};
use crate::features::undo::{ItemRows, Undoable};

/// A recording counts as finished from this share of its length on.
pub const COMPLETED_SHARE: f64 = 0.9;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PositionRow {
    pub recording_id: String,
    pub position_seconds: i64,
    pub completed_at: Option<i64>,
    pub updated_at: i64,
}

/// Saves where the member is; a recording once completed stays completed.
pub async fn save_position(
    db: &Db,
    member_id: &str,
    recording_id: &str,
    seconds: i64,
    completed: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    let completed_at = completed.then_some(now);
    sqlx::query(
        "INSERT INTO library_positions (member_id, recording_id, position_seconds, completed_at, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (member_id, recording_id) DO UPDATE SET position_seconds = $3,
            completed_at = COALESCE(library_positions.completed_at, $4), updated_at = $5",
    )
    .bind(member_id)
    .bind(recording_id)
    .bind(seconds)
    .bind(completed_at)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn position(
    db: &Db,
    member_id: &str,
    recording_id: &str,
) -> Result<Option<PositionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT recording_id, position_seconds, completed_at, updated_at FROM library_positions
         WHERE member_id = $1 AND recording_id = $2",
    )
    .bind(member_id)
    .bind(recording_id)
    .fetch_optional(&db.pool)
    .await
}

pub async fn positions(db: &Db, member_id: &str) -> Result<Vec<PositionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT recording_id, position_seconds, completed_at, updated_at FROM library_positions
         WHERE member_id = $1 ORDER BY updated_at DESC LIMIT 1000",
    )
    .bind(member_id)
    .fetch_all(&db.pool)
    .await
}

/// Records this visit to the library home; returns when the one before was.
pub async fn visit(db: &Db, member_id: &str, now: i64) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let last: Option<i64> =
        sqlx::query_scalar("SELECT last_visit_at FROM library_visits WHERE member_id = $1")
            .bind(member_id)
            .fetch_optional(&mut *tx)
            .await?;
    // Visits within the hour count as one, so "new since" survives a reload.
    let previous: Option<i64> =
        sqlx::query_scalar("SELECT previous_visit_at FROM library_visits WHERE member_id = $1")
            .bind(member_id)
            .fetch_optional(&mut *tx)
            .await?;
    let (keep_previous, since) = match (last, previous) {
        (Some(l), Some(p)) if now - l < 3600 => (p, Some(p)),
        (Some(l), _) => (l, Some(l)),
        _ => (now, None),
    };
    sqlx::query(
        "INSERT INTO library_visits (member_id, previous_visit_at, last_visit_at) VALUES ($1, $2, $3)
         ON CONFLICT (member_id) DO UPDATE SET previous_visit_at = $2, last_visit_at = $3",
    )
    .bind(member_id)
    .bind(keep_previous)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(since)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoteRow {
    pub id: String,
    pub recording_id: String,
    pub at_seconds: i64,
    pub text: String,
    pub created_at: i64,
    pub recording_title: String,
}

pub async fn add_note(
    db: &Db,
    member_id: &str,
    recording_id: &str,
    at_seconds: i64,
    text: &str,
    now: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO library_notes (id, member_id, recording_id, at_seconds, text, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(member_id)
    .bind(recording_id)
    .bind(at_seconds)
    .bind(text)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(id)
}

/// The member's notes on one recording (or all, with `None`), in order.
pub async fn notes(
    db: &Db,
    member_id: &str,
    recording_id: Option<&str>,
) -> Result<Vec<NoteRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.id, n.recording_id, n.at_seconds, n.text, n.created_at,
                CASE WHEN r.published_at IS NULL THEN '' ELSE r.title END AS recording_title
         FROM library_notes n JOIN library_recordings r ON r.id = n.recording_id
         WHERE n.member_id = $1 AND ($2 = '' OR n.recording_id = $2)
         ORDER BY r.session_date DESC, n.recording_id, n.at_seconds, n.created_at LIMIT 2000",
    )
    .bind(member_id)
    .bind(recording_id.unwrap_or(""))
    .fetch_all(&db.pool)
    .await
}

/// A note, deleted and undone whole.
pub const NOTE_UNDO: Undoable = Undoable {
    kind: "library-note",
    rows: &[ItemRows { table: "library_notes", filter: "id = $1 AND member_id = $2" }],
    shared: None,
};

/// The recording one of the member's notes is pinned to.
pub async fn note_recording(db: &Db, member_id: &str, note_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT recording_id FROM library_notes WHERE id = $1 AND member_id = $2")
        .bind(note_id)
        .bind(member_id)
        .fetch_optional(&db.pool)
        .await
}

pub async fn last_visit(db: &Db, member_id: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT last_visit_at FROM library_visits WHERE member_id = $1")
        .bind(member_id)
        .fetch_optional(&db.pool)
        .await
}
