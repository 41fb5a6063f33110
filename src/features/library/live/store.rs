//! Live sessions' SQL: the schedule, RSVPs and calendar feeds.

use sqlx::Any;

use crate::db::{Db, new_id};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LiveRow {
    pub id: String,
    pub title: String,
    pub description: String,
    pub starts_at: i64,
    pub time_zone: String,
    pub duration_minutes: i64,
    pub join_url: String,
    pub recording_id: Option<String>,
    pub cancelled_at: Option<i64>,
    pub updated_at: i64,
}

const COLUMNS: &str =
    "s.id, s.title, s.description, s.starts_at, s.time_zone, s.duration_minutes, s.join_url,
    s.recording_id, s.cancelled_at, s.updated_at";

pub struct NewLive<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub starts_at: i64,
    pub time_zone: &'a str,
    pub duration_minutes: i64,
    pub join_url: &'a str,
    pub topics: &'a [String],
    pub now: i64,
}

pub async fn insert(conn: &mut sqlx::AnyConnection, s: NewLive<'_>) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO library_live_sessions (id, title, description, starts_at, time_zone, duration_minutes, join_url,
            created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&id)
    .bind(s.title)
    .bind(s.description)
    .bind(s.starts_at)
    .bind(s.time_zone)
    .bind(s.duration_minutes)
    .bind(s.join_url)
    .bind(s.now)
    .execute(&mut *conn)
    .await?;
    for topic in s.topics {
        sqlx::query(
            "INSERT INTO library_live_topics (session_id, topic) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(&id)
        .bind(topic)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

pub async fn find(db: &Db, id: &str) -> Result<Option<LiveRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM library_live_sessions s WHERE s.id = $1"
    )))
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// Sessions that end after `since`, soonest first (cancelled ones too: they say so).
pub async fn upcoming(db: &Db, since: i64) -> Result<Vec<LiveRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM library_live_sessions s
         WHERE s.starts_at + s.duration_minutes * 60 > $1 ORDER BY s.starts_at LIMIT 100"
    )))
    .bind(since)
    .fetch_all(&db.pool)
    .await
}

/// Past sessions, most recent first.
pub async fn past(db: &Db, before: i64) -> Result<Vec<LiveRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM library_live_sessions s
         WHERE s.starts_at + s.duration_minutes * 60 <= $1 ORDER BY s.starts_at DESC LIMIT 100"
    )))
    .bind(before)
    .fetch_all(&db.pool)
    .await
}

/// The sessions one member said they would come to (for their calendar feed).
pub async fn rsvped_by(db: &Db, member_id: &str, since: i64) -> Result<Vec<LiveRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM library_live_sessions s
         JOIN library_rsvps r ON r.session_id = s.id AND r.member_id = $1
         WHERE s.starts_at > $2 ORDER BY s.starts_at LIMIT 200"
    )))
    .bind(member_id)
    .bind(since)
    .fetch_all(&db.pool)
    .await
}

pub async fn topics(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT session_id, topic FROM library_live_topics ORDER BY topic")
        .fetch_all(&db.pool)
        .await
}

/// The sessions this member RSVP'd to, among all.
pub async fn my_rsvps(db: &Db, member_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT session_id FROM library_rsvps WHERE member_id = $1")
        .bind(member_id)
        .fetch_all(&db.pool)
        .await
}

pub async fn rsvp(db: &Db, session_id: &str, member_id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO library_rsvps (session_id, member_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (session_id, member_id) DO NOTHING",
    )
    .bind(session_id)
    .bind(member_id)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn unrsvp(db: &Db, session_id: &str, member_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM library_rsvps WHERE session_id = $1 AND member_id = $2")
        .bind(session_id)
        .bind(member_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Who said they would come and may still watch the library (for reminders and the recording).
pub async fn attendees<'c, E>(executor: E, session_id: &str, now: i64) -> Result<Vec<String>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    sqlx::query_scalar(
        "SELECT r.member_id FROM library_rsvps r
         JOIN library_memberships m ON m.member_id = r.member_id AND m.revoked_at IS NULL
            AND (m.expires_at IS NULL OR m.expires_at > $2)
         JOIN users u ON u.id = r.member_id AND u.disabled_at IS NULL
         WHERE r.session_id = $1 ORDER BY r.member_id",
    )
    .bind(session_id)
    .bind(now)
    .fetch_all(executor)
    .await
}

/// How many said they would join, per session.
pub async fn rsvp_counts(db: &Db) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT session_id, COUNT(*) FROM library_rsvps GROUP BY session_id")
        .fetch_all(&db.pool)
        .await
}

pub async fn cancel(db: &Db, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE library_live_sessions SET cancelled_at = $2, updated_at = $2 WHERE id = $1 AND cancelled_at IS NULL",
    )
    .bind(id)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Attaches a recording, once: true when this call attached it.
pub async fn attach<'c, E>(executor: E, id: &str, recording_id: &str, now: i64) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "UPDATE library_live_sessions SET recording_id = $2, updated_at = $3
         WHERE id = $1 AND recording_id IS NULL AND cancelled_at IS NULL",
    )
    .bind(id)
    .bind(recording_id)
    .bind(now)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Replaces the member's calendar feed address (only its hash is kept).
pub async fn set_feed(db: &Db, member_id: &str, token_hash: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO library_calendar_feeds (member_id, token_hash, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (member_id) DO UPDATE SET token_hash = $2, created_at = $3",
    )
    .bind(member_id)
    .bind(token_hash)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn revoke_feed(db: &Db, member_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM library_calendar_feeds WHERE member_id = $1")
        .bind(member_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Since when the member has a feed, if they do.
pub async fn feed_since(db: &Db, member_id: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT created_at FROM library_calendar_feeds WHERE member_id = $1")
        .bind(member_id)
        .fetch_optional(&db.pool)
        .await
}

/// Whose feed an address is.
pub async fn feed_owner(db: &Db, token_hash: &str) -> Result<Option<String>, sqlx::Error> {
    // A disabled account's feed answers as an unknown one.
    sqlx::query_scalar(
        "SELECT f.member_id FROM library_calendar_feeds f JOIN users u ON u.id = f.member_id
         WHERE f.token_hash = $1 AND u.disabled_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(&db.pool)
    .await
}

/// For the export: the sessions a member RSVP'd to.
pub async fn rsvps_for_export(db: &Db, member_id: &str) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.title, s.starts_at, r.created_at FROM library_rsvps r
         JOIN library_live_sessions s ON s.id = r.session_id WHERE r.member_id = $1 ORDER BY s.starts_at",
    )
    .bind(member_id)
    .fetch_all(&db.pool)
    .await
}
