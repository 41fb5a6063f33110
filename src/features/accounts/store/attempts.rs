//! Sign-in throttling: counts of attempts per scope, reserved before a
//! password is checked.

use sqlx::Row;

use crate::db::Db;
use crate::features::accounts::throttle::{self, Scope};

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
