//! The jobs table: enqueue, claim, finish, retry or fail. Claiming is where
//! the dialects differ: PostgreSQL skips rows another instance has locked
//! (`FOR UPDATE SKIP LOCKED`); SQLite's single writer makes one `UPDATE` with
//! its sub-select atomic. A claim sets a lease (`locked_until`, `lease`): an
//! instance that dies loses its job to another once the lease runs out, and a
//! job only finishes under the lease that claimed it.

use super::{Backend, BindAll, Db, new_id, placeholders};

/// Work to do later.
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: String,
    /// The same key twice is one job, and work already done with a key is not done again.
    pub dedupe_key: Option<String>,
    /// The member the job is for (their pending jobs go when the account goes).
    pub user_id: Option<&'a str>,
    pub run_at: i64,
    pub max_attempts: i64,
}

/// A job this instance has claimed, under `lease`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedJob {
    pub id: String,
    pub kind: String,
    pub payload: String,
    pub dedupe_key: Option<String>,
    pub user_id: Option<String>,
    pub attempts: i64,
    pub max_attempts: i64,
    pub lease: String,
}

/// Add a job; false when a job with its key is waiting or its work is done.
pub async fn enqueue<'c, E>(executor: E, job: NewJob<'_>) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let done = sqlx::query(
        "INSERT INTO jobs (id, kind, payload, dedupe_key, user_id, run_at, attempts, max_attempts, created_at)
         SELECT $1, $2, $3, $4, $5, $6, 0, $7, $8
         WHERE NOT EXISTS (SELECT 1 FROM jobs_done WHERE dedupe_key = $4)
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(new_id())
    .bind(job.kind)
    .bind(job.payload)
    .bind(job.dedupe_key)
    .bind(job.user_id)
    .bind(job.run_at)
    .bind(job.max_attempts)
    .bind(crate::clock::now())
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Claim the next due job of one of `kinds`, if any, for `lease_seconds`.
pub async fn claim(
    db: &Db,
    kinds: &[&str],
    now: i64,
    lease_seconds: i64,
) -> Result<Option<ClaimedJob>, sqlx::Error> {
    if kinds.is_empty() {
        return Ok(None);
    }
    // Built from fixed text and numbered placeholders only; every value is bound.
    let lock = if db.backend == Backend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE jobs SET attempts = attempts + 1, locked_until = $1, lease = $2
         WHERE id = (SELECT id FROM jobs
                     WHERE failed_at IS NULL AND run_at <= $3 AND attempts < max_attempts
                       AND (locked_until IS NULL OR locked_until <= $3) AND kind IN ({})
                     ORDER BY run_at, id LIMIT 1{lock})
         RETURNING id, kind, payload, dedupe_key, user_id, attempts, max_attempts, lease",
        placeholders(4, kinds.len())
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(now + lease_seconds)
        .bind(new_id())
        .bind(now)
        .bind_all(kinds)
        .fetch_optional(&db.pool)
        .await
}

/// Jobs whose last attempt never ended (their instance died, or the work
/// outlived its lease) are kept as failed, for the admin to see.
pub async fn fail_abandoned(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE jobs SET failed_at = $1, locked_until = NULL, lease = NULL,
            last_error = 'the last attempt did not finish: the instance doing it stopped, or it took longer than its lease'
         WHERE failed_at IS NULL AND attempts >= max_attempts AND locked_until <= $1",
    )
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected())
}

/// Whether work with this key is already done.
pub async fn is_done(db: &Db, dedupe_key: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs_done WHERE dedupe_key = $1")
        .bind(dedupe_key)
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}

/// Finish a job inside the transaction that did its work. False when the
/// lease was lost (another instance took the job over): roll back then.
pub async fn finish(conn: &mut sqlx::AnyConnection, job: &ClaimedJob, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM jobs WHERE id = $1 AND lease = $2")
        .bind(&job.id)
        .bind(&job.lease)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    if let Some(key) = &job.dedupe_key {
        sqlx::query(
            "INSERT INTO jobs_done (dedupe_key, done_at) VALUES ($1, $2) ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(key)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(true)
}

/// A failed attempt: try again at `retry_at`, or keep the job as failed once
/// it has had all its attempts.
pub async fn fail(
    db: &Db,
    job: &ClaimedJob,
    error: &str,
    now: i64,
    retry_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE jobs SET last_error = $1, run_at = $2, locked_until = NULL, lease = NULL,
            failed_at = CASE WHEN attempts >= max_attempts THEN $3 ELSE NULL END
         WHERE id = $4 AND lease = $5",
    )
    .bind(error)
    .bind(retry_at)
    .bind(now)
    .bind(&job.id)
    .bind(&job.lease)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A job that used up its attempts, as the admin sees it (never its payload).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FailedJob {
    pub id: String,
    pub kind: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub failed_at: i64,
}

/// Jobs whose kind starts with this are part of someone's private life (an
/// invitation to a partner, a promised return): no admin view lists or counts
/// them, and their errors are not shown to anyone.
pub const PRIVATE_KIND_PREFIX: &str = "private:";

pub async fn failed(db: &Db) -> Result<Vec<FailedJob>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind, attempts, last_error, created_at, failed_at FROM jobs
         WHERE failed_at IS NOT NULL AND kind NOT LIKE 'private:%' ORDER BY failed_at DESC, id LIMIT 200",
    )
    .fetch_all(&db.pool)
    .await
}

/// Give a failed job its attempts again, from now.
pub async fn retry(db: &Db, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE jobs SET failed_at = NULL, attempts = 0, run_at = $1, last_error = NULL
         WHERE id = $2 AND failed_at IS NOT NULL AND kind NOT LIKE 'private:%'",
    )
    .bind(now)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many jobs wait (due or not), for the admin.
pub async fn waiting(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE failed_at IS NULL AND kind NOT LIKE 'private:%'")
        .fetch_one(&db.pool)
        .await
}

/// Forget done keys and failed jobs older than `before` (housekeeping: a
/// week; the admin page says so).
pub async fn forget_before(db: &Db, before: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM jobs_done WHERE done_at < $1").bind(before).execute(&db.pool).await?;
    sqlx::query("DELETE FROM jobs WHERE failed_at < $1").bind(before).execute(&db.pool).await?;
    Ok(())
}
