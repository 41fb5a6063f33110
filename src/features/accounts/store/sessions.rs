//! Sessions: signing in makes one, every request looks it up, signing out
//! ends it.

use super::UserRecord;
use crate::db::{Db, new_id};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRecord {
    pub id: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub device: String,
    pub browser: String,
}

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: &'a str,
    pub expires_at: i64,
    pub device: &'a str,
    pub browser: &'a str,
    /// Signed in on a device this account had not used before.
    pub on_new_device: bool,
}

pub async fn insert_session(db: &Db, new: NewSession<'_>) -> Result<String, sqlx::Error> {
    let id = new_id();
    let now = crate::clock::now();
    sqlx::query(
        "INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at, device, browser, on_new_device)
         VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(new.token_hash)
    .bind(new.user_id)
    .bind(now)
    .bind(new.expires_at)
    .bind(new.device)
    .bind(new.browser)
    .bind(i64::from(new.on_new_device))
    .execute(&db.pool)
    .await?;
    Ok(id)
}

/// The session's first share from a new device has been told to the owner.
pub async fn clear_new_device(db: &Db, session_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET on_new_device = 0 WHERE id = $1")
        .bind(session_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// A live session with its member, and the member's unread notices (for the
/// header: one query per request, not two).
#[derive(sqlx::FromRow)]
pub struct LiveSession {
    pub session_id: String,
    pub last_seen_at: i64,
    pub unread_notices: i64,
    pub on_new_device: i64,
    /// 1 when the member is linked with a partner (see `together`).
    pub partner_links: i64,
    /// 1 when the member holds a library membership at this moment (see `library`).
    pub library_memberships: i64,
    /// Changes with every write to what the member's own pages are drawn
    /// from (migrations 19 and 20; None only if the member has no row there).
    pub data_version: Option<i64>,
    #[sqlx(flatten)]
    pub user: UserRecord,
}

/// The live session for a token hash, with its member. `idle_since` is the
/// oldest `last_seen_at` still counted as active. `for_page` adds what the
/// header shows (unread notices, a partner link); a recording's byte ranges,
/// which come many a second while someone watches, leave them out (0).
pub async fn find_live_session(
    db: &Db,
    token_hash: &str,
    now: i64,
    idle_since: i64,
    for_page: bool,
) -> Result<Option<LiveSession>, sqlx::Error> {
    /// The session and its member, with the header's two counts as given.
    macro_rules! live_session {
        ($unread_notices:literal, $partner_links:literal) => {
            concat!(
                "SELECT s.id AS session_id, s.last_seen_at, u.id, u.email, u.display_name, u.password_hash,
                        u.role, u.time_zone, u.created_at, u.email_verified_at, u.notice_mail, u.last_sign_in_at,
                        u.disabled_at, mv.version AS data_version, ",
                $unread_notices,
                " AS unread_notices, s.on_new_device, ",
                $partner_links,
                " AS partner_links,
                        (SELECT COUNT(*) FROM library_memberships m WHERE m.member_id = u.id AND m.revoked_at IS NULL
                            AND (m.expires_at IS NULL OR m.expires_at > $2)) AS library_memberships
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 LEFT JOIN dashboard_versions mv ON mv.user_id = u.id
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.disabled_at IS NULL"
            )
        };
    }
    const PAGE: &str = live_session!(
        "(SELECT COUNT(*) FROM notices n WHERE n.user_id = u.id AND n.read_at IS NULL)",
        "(SELECT COUNT(*) FROM partner_links pl WHERE pl.member_id = u.id)"
    );
    const BYTES: &str = live_session!("CAST(0 AS BIGINT)", "CAST(0 AS BIGINT)");
    sqlx::query_as(if for_page { PAGE } else { BYTES })
        .bind(token_hash)
        .bind(now)
        .bind(idle_since)
        .fetch_optional(db.reads())
        .await
}

pub async fn touch_session(db: &Db, session_id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
        .bind(now)
        .bind(session_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn list_sessions(
    db: &Db,
    user_id: &str,
    now: i64,
    idle_since: i64,
) -> Result<Vec<SessionRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, created_at, last_seen_at, expires_at, device, browser FROM sessions
         WHERE user_id = $1 AND expires_at > $2 AND last_seen_at > $3
         ORDER BY last_seen_at DESC, id DESC",
    )
    .bind(user_id)
    .bind(now)
    .bind(idle_since)
    .fetch_all(&db.pool)
    .await
}

/// End one of the member's own sessions. Returns false when no such session is theirs.
pub async fn delete_session(db: &Db, user_id: &str, session_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
        .bind(session_id)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_other_sessions<'c, E>(
    executor: E,
    user_id: &str,
    keep_session_id: &str,
) -> Result<u64, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
        .bind(user_id)
        .bind(keep_session_id)
        .execute(executor)
        .await?;
    Ok(done.rows_affected())
}

pub async fn delete_expired_sessions(db: &Db, now: i64, idle_since: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(idle_since)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

/// End every session of an account (a password reset, an undone email change).
pub async fn delete_all_sessions<'c, E>(executor: E, user_id: &str) -> Result<u64, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(executor)
        .await?
        .rows_affected())
}

/// Whether a session still stands, read inside a transaction: work that must
/// not outlive a "sign out everywhere" checks it after taking its locks.
pub async fn session_stands<'c, E>(executor: E, user_id: &str, session_id: &str) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM sessions WHERE id = $1 AND user_id = $2")
        .bind(session_id)
        .bind(user_id)
        .fetch_optional(executor)
        .await?;
    Ok(found.is_some())
}
