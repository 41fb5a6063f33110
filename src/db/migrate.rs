//! A small migration runner. Each migration is one portable SQL file; where the
//! dialects really differ, a migration carries a separate text for each backend.
//! One list for both backends keeps the two schemas from drifting apart.

use sqlx::{Acquire, Connection, Executor, Row};

use super::{Backend, Db};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

macro_rules! portable {
    ($version:literal, $name:literal, $file:literal) => {
        Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!("../../migrations/", $file)),
            postgres: include_str!(concat!("../../migrations/", $file)),
        }
    };
}

/// A migration whose SQL differs between the backends (`<file>.sqlite.sql` and `<file>.postgres.sql`).
macro_rules! per_backend {
    ($version:literal, $name:literal, $file:literal) => {
        Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!("../../migrations/", $file, ".sqlite.sql")),
            postgres: include_str!(concat!("../../migrations/", $file, ".postgres.sql")),
        }
    };
}

pub const MIGRATIONS: &[Migration] = &[
    portable!(1, "accounts", "0001_accounts.sql"),
    portable!(2, "learn", "0002_learn.sql"),
    per_backend!(3, "search", "0003_search"),
    portable!(4, "assess", "0004_assess.sql"),
    portable!(5, "checkins", "0005_checkins.sql"),
    portable!(6, "practice", "0006_practice.sql"),
    portable!(7, "hardening", "0007_hardening.sql"),
    portable!(8, "mail, jobs and notices", "0008_mail_jobs_notices.sql"),
    per_backend!(9, "posts announced", "0009_posts_announced"),
    portable!(10, "check-in means", "0010_checkin_means.sql"),
    portable!(11, "together", "0011_together.sql"),
    portable!(12, "library", "0012_library.sql"),
    per_backend!(13, "library search", "0013_library_search"),
    portable!(14, "live sessions", "0014_library_live.sql"),
    portable!(15, "disabled accounts", "0015_people.sql"),
    portable!(16, "undo", "0016_undo.sql"),
    portable!(17, "checkins by day", "0017_checkins_by_day.sql"),
    per_backend!(18, "checkin months", "0018_checkin_months"),
    per_backend!(19, "dashboard version", "0019_dashboard_version"),
    per_backend!(20, "member version", "0020_member_version"),
];

const LOCK_KEY: i64 = 0x5ecb_a5e0;

/// The migration from which SQLite deletes securely.
const SECURE_DELETE_FROM: i64 = 7;

/// Whether `version` was among the `count` migrations just applied.
async fn newly_applied_includes(
    conn: &mut sqlx::pool::PoolConnection<sqlx::Any>,
    version: i64,
    count: usize,
) -> bool {
    let recent: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM schema_migrations ORDER BY version DESC LIMIT $1")
            .bind(count as i64)
            .fetch_all(&mut **conn)
            .await
            .unwrap_or_default();
    recent.contains(&version)
}

pub async fn run(db: &Db) -> anyhow::Result<usize> {
    let mut conn = db.pool.acquire().await?;
    if db.backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_lock($1)").bind(LOCK_KEY).execute(&mut *conn).await?;
    }
    let result = apply_pending(db.backend, &mut conn).await;
    // From migration 7 on, SQLite overwrites what is deleted; rows deleted
    // before that may still sit in free pages, so the file is rebuilt once.
    if db.backend == Backend::Sqlite
        && let Ok(applied) = &result
        && *applied > 0
        && newly_applied_includes(&mut conn, SECURE_DELETE_FROM, *applied).await
    {
        conn.execute("VACUUM").await?;
    }
    if db.backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_unlock($1)").bind(LOCK_KEY).execute(&mut *conn).await?;
    }
    result
}

async fn apply_pending(
    backend: Backend,
    conn: &mut sqlx::pool::PoolConnection<sqlx::Any>,
) -> anyhow::Result<usize> {
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at BIGINT NOT NULL
        )",
    )
    .await?;
    let applied: Vec<i64> = sqlx::query("SELECT version FROM schema_migrations")
        .fetch_all(&mut **conn)
        .await?
        .iter()
        .map(|r| r.get::<i64, _>(0))
        .collect();
    let mut count = 0;
    for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        let sql = match backend {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        let mut tx = match backend {
            Backend::Sqlite => (**conn).begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => conn.begin().await?,
        };
        tx.execute(sql)
            .await
            .map_err(|e| anyhow::anyhow!("migration {} ({}) failed: {e}", m.version, m.name))?;
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
            .bind(m.version)
            .bind(m.name)
            .bind(crate::clock::now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_increase_and_are_unique() {
        for pair in MIGRATIONS.windows(2) {
            assert!(pair[0].version < pair[1].version, "{} then {}", pair[0].name, pair[1].name);
        }
    }
}
