//! All SQL for accounts, sessions and sign-in throttling. Every query that reads
//! a member's data names the member in its WHERE clause.

use sqlx::Row;

use super::throttle::{self, Scope};
use crate::db::{Db, new_id};
use crate::web::Role;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRecord {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub time_zone: String,
    pub created_at: i64,
    /// When the address was confirmed (None: not yet).
    pub email_verified_at: Option<i64>,
    /// Whether a new notice also sends a mail (1) or not (0).
    pub notice_mail: i64,
    /// The last sign-in (None: never signed in yet).
    pub last_sign_in_at: Option<i64>,
    /// When an admin disabled the account (None: it may sign in).
    pub disabled_at: Option<i64>,
}

/// The user columns every user query selects (a macro so queries stay `&'static str`).
macro_rules! user_columns {
    () => {
        "id, email, display_name, password_hash, role, time_zone, created_at, email_verified_at, notice_mail,
         last_sign_in_at, disabled_at"
    };
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub time_zone: &'a str,
    pub verified_at: Option<i64>,
}

/// A new account; an address already in use is a unique violation (see `OnUnique`).
pub async fn insert_user(db: &Db, new: NewUser<'_>) -> Result<UserRecord, sqlx::Error> {
    let id = new_id();
    let now = crate::clock::now();
    sqlx::query_as(concat!(
        "INSERT INTO users (id, email, display_name, password_hash, role, time_zone, created_at, updated_at,
                            email_verified_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING ",
        user_columns!()
    ))
    .bind(&id)
    .bind(new.email)
    .bind(new.display_name)
    .bind(new.password_hash)
    .bind(new.role.as_str())
    .bind(new.time_zone)
    .bind(now)
    .bind(new.verified_at)
    .fetch_one(&db.pool)
    .await
}

/// The address is confirmed (once; a later confirmation keeps the first time).
pub async fn mark_verified<'c, E>(executor: E, user_id: &str, now: i64) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query("UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2")
        .bind(now)
        .bind(user_id)
        .execute(executor)
        .await?;
    Ok(())
}

/// Confirm `email` for the account if it is still the account's address; false otherwise.
pub async fn mark_verified_for(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    email: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2 AND email = $3",
    )
    .bind(now)
    .bind(user_id)
    .bind(email)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The account signed in just now.
pub async fn mark_signed_in(db: &Db, user_id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET last_sign_in_at = $1 WHERE id = $2")
        .bind(now)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// When an account was made, set back in time (demo people joined months ago).
pub async fn backdate(db: &Db, user_id: &str, created_at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET created_at = $1 WHERE id = $2")
        .bind(created_at)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Whether a new notice also sends a mail.
pub async fn set_notice_mail(db: &Db, user_id: &str, on: bool) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET notice_mail = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(on))
        .bind(crate::clock::now())
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
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

pub async fn find_user_by_email(db: &Db, email: &str) -> Result<Option<UserRecord>, sqlx::Error> {
    sqlx::query_as(concat!("SELECT ", user_columns!(), " FROM users WHERE email = $1"))
        .bind(email)
        .fetch_optional(&db.pool)
        .await
}

pub async fn find_user(db: &Db, user_id: &str) -> Result<Option<UserRecord>, sqlx::Error> {
    sqlx::query_as(concat!("SELECT ", user_columns!(), " FROM users WHERE id = $1"))
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await
}

pub async fn update_profile(
    db: &Db,
    user_id: &str,
    display_name: &str,
    time_zone: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET display_name = $1, time_zone = $2, updated_at = $3 WHERE id = $4")
        .bind(display_name)
        .bind(time_zone)
        .bind(crate::clock::now())
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Change the address unless another account uses it (false then). Written
/// so it never raises a unique violation, which on PostgreSQL would abort the
/// transaction it is part of.
pub async fn update_email<'c, E>(executor: E, user_id: &str, email: &str) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let done = sqlx::query(
        "UPDATE users SET email = $1, updated_at = $2
         WHERE id = $3 AND NOT EXISTS (SELECT 1 FROM users o WHERE o.email = $1 AND o.id <> $3)",
    )
    .bind(email)
    .bind(crate::clock::now())
    .bind(user_id)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn update_password<'c, E>(
    executor: E,
    user_id: &str,
    password_hash: &str,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(crate::clock::now())
        .bind(user_id)
        .execute(executor)
        .await?;
    Ok(())
}

pub async fn set_role(db: &Db, user_id: &str, role: Role) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
        .bind(role.as_str())
        .bind(crate::clock::now())
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn count_admins(db: &Db) -> Result<i64, sqlx::Error> {
    // A disabled admin cannot sign in, so does not count.
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL")
        .fetch_one(&db.pool)
        .await
}

// ---- sessions --------------------------------------------------------------

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
                        u.disabled_at, ",
                $unread_notices,
                " AS unread_notices, s.on_new_device, ",
                $partner_links,
                " AS partner_links,
                        (SELECT COUNT(*) FROM library_memberships m WHERE m.member_id = u.id AND m.revoked_at IS NULL
                            AND (m.expires_at IS NULL OR m.expires_at > $2)) AS library_memberships
                 FROM sessions s JOIN users u ON u.id = s.user_id
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

// ---- throttling -------------------------------------------------------------

/// Reserve one attempt against every scope, or none: the check of each count and
/// its increment are one statement, and all scopes share one transaction, so
/// parallel attempts cannot slip past a count. `Ok(None)` when the attempt may
/// go ahead; `Ok(Some(seconds))` when it must wait that long.
pub async fn reserve_attempt(db: &Db, scopes: &[Scope], now_ms: i64) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = db.begin().await?;
    for scope in scopes {
        if let Some(wait) = reserve_one(&mut tx, scope, now_ms).await? {
            // Counts reserved for the scopes before this one are given back.
            tx.rollback().await?;
            return Ok(Some(wait));
        }
    }
    tx.commit().await?;
    Ok(None)
}

/// Reserve one attempt against one count, inside the caller's transaction:
/// `Ok(Some(seconds))`, and nothing written, when it must wait.
pub async fn reserve_one(
    conn: &mut sqlx::AnyConnection,
    scope: &Scope,
    now_ms: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let now = now_ms.div_euclid(1000);
    let forget_before = now - throttle::FORGET_AFTER;
    // The row is locked (PostgreSQL) or the database write-locked (SQLite)
    // from here to the commit, so the second statement cannot be raced either.
    let reserved = sqlx::query(
        "INSERT INTO sign_in_failures (scope, failures, last_failure_at, next_allowed_ms, user_id, email_hash)
         VALUES ($1, 1, $2, 0, $3, $4)
         ON CONFLICT (scope) DO UPDATE SET
            failures = CASE WHEN sign_in_failures.last_failure_at < $5 THEN 1
                            ELSE sign_in_failures.failures + 1 END,
            last_failure_at = $2,
            user_id = COALESCE(excluded.user_id, sign_in_failures.user_id),
            email_hash = COALESCE(excluded.email_hash, sign_in_failures.email_hash)
         WHERE sign_in_failures.last_failure_at < $5
            OR sign_in_failures.failures < $6
            OR sign_in_failures.next_allowed_ms <= $7
         RETURNING failures",
    )
    .bind(&scope.key)
    .bind(now)
    .bind(scope.user_id.as_deref())
    .bind(scope.email_hash.as_deref())
    .bind(forget_before)
    .bind(scope.rule.free)
    .bind(now_ms)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = reserved else {
        let next: i64 = sqlx::query_scalar("SELECT next_allowed_ms FROM sign_in_failures WHERE scope = $1")
            .bind(&scope.key)
            .fetch_one(&mut *conn)
            .await?;
        return Ok(Some(((next - now_ms + 999) / 1000).max(1)));
    };
    let failures: i64 = row.try_get(0)?;
    let wait = throttle::wait_after(failures, scope.rule);
    if wait > 0 {
        sqlx::query("UPDATE sign_in_failures SET next_allowed_ms = $1 WHERE scope = $2")
            .bind(now_ms + wait * 1000)
            .bind(&scope.key)
            .execute(&mut *conn)
            .await?;
    }
    Ok(None)
}

/// Give back a reserved attempt that was never decided (the server was too busy
/// to check the password, or a sign-up went through).
pub async fn release_attempt(db: &Db, scopes: &[Scope]) -> Result<(), sqlx::Error> {
    for scope in scopes {
        sqlx::query("UPDATE sign_in_failures SET failures = failures - 1 WHERE scope = $1 AND failures > 0")
            .bind(&scope.key)
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}

/// Forget the counts after a success.
pub async fn clear_attempts(db: &Db, scopes: &[Scope]) -> Result<(), sqlx::Error> {
    for scope in scopes {
        sqlx::query("DELETE FROM sign_in_failures WHERE scope = $1")
            .bind(&scope.key)
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}

/// Counts kept for an address before an account had it become that account's
/// (at sign-up, or when it becomes the account's new address), so deleting
/// the account removes them too.
pub async fn claim_attempts(db: &Db, user_id: &str, email_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sign_in_failures SET user_id = $1 WHERE email_hash = $2 AND user_id IS NULL")
        .bind(user_id)
        .bind(email_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Counts nobody has added to for a day are worth nothing; remove them.
pub async fn delete_stale_attempts(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sign_in_failures WHERE last_failure_at < $1")
        .bind(now - throttle::FORGET_AFTER)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
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
