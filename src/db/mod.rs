//! The database: one pool type for SQLite and PostgreSQL (sqlx's `Any` driver),
//! the migrations, and the few places where the two dialects differ.
//!
//! Queries are written once, in the portable subset both speak: `$1` placeholders,
//! `RETURNING`, `ON CONFLICT … DO UPDATE`, `TEXT` and `BIGINT` columns. Ids are
//! UUIDv7 text and times are Unix seconds in `BIGINT`, so every value crosses the
//! `Any` driver as a string or an integer.

mod columns;
pub mod keys;
mod migrate;
pub mod queue;
mod reads;
pub mod search;
mod stable_plans;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use columns::{BindAll, JsonText, new_id, placeholders};
pub use migrate::MIGRATIONS;
pub use reads::Reads;

/// A pooled PostgreSQL connection idle this long is pinged before it is used again.
const PING_AFTER_IDLE: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite: read-only connections for [`Db::reads`].
    sqlite_readers: Option<std::sync::Arc<reads::SqliteReaders>>,
    /// PostgreSQL: connections for [`Db::reads`], given back without a ping.
    postgres_readers: Option<std::sync::Arc<reads::PostgresReaders>>,
}

impl Db {
    /// Connect to either backend. For SQLite the file and its folder are created and
    /// the connection runs in WAL mode with foreign keys enforced.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let backend =
            Backend::from_url(url).ok_or_else(|| anyhow::anyhow!("unsupported database address"))?;
        let url = match backend {
            Backend::Sqlite => {
                stable_plans::plan_without_bound_values();
                let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
                let path = path.split('?').next().unwrap_or(path);
                if let Some(parent) = Path::new(path).parent()
                    && !parent.as_os_str().is_empty()
                {
                    create_private_dir(parent)?;
                }
                private_sqlite_files(Path::new(path))?;
                format!("sqlite://{path}?mode=rwc")
            }
            Backend::Postgres => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let mut pool_options = AnyPoolOptions::new()
            // SQLite runs each connection on a thread of its own: four keep two
            // cores busy without the threads crowding each other (bench/RESULTS.md).
            .max_connections(match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10))
            // sqlx pings every connection it hands out by default: a second round
            // trip (PostgreSQL) or thread hop (SQLite) for every query. An SQLite
            // file cannot hang up; a PostgreSQL connection is checked only after
            // it sat idle long enough for the server to have gone away meanwhile.
            .test_before_acquire(false)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // secure_delete: deleted rows are overwritten, not left in free pages.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; \
                             PRAGMA secure_delete = ON;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            });
        if backend == Backend::Postgres {
            pool_options = pool_options.before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for >= PING_AFTER_IDLE {
                        sqlx::Connection::ping(conn).await?;
                    }
                    Ok(true)
                })
            });
        }
        let postgres_readers = (backend == Backend::Postgres)
            .then(|| std::sync::Arc::new(reads::PostgresReaders::new(options.clone())));
        let pool = pool_options.connect_with(options).await?;
        let mut sqlite_readers = None;
        if backend == Backend::Sqlite {
            // The file the pool opened, as SQLite names it (none in memory).
            let file: String =
                sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
                    .fetch_one(&pool)
                    .await?;
            if !file.is_empty() {
                sqlite_readers = Some(std::sync::Arc::new(reads::SqliteReaders::new(Path::new(&file))));
            }
        }
        Ok(Db { pool, backend, sqlite_readers, postgres_readers })
    }

    /// The executor for a page's short reads: on SQLite they run on the
    /// calling thread; on PostgreSQL, over connections given back without
    /// the pool's ping (see `db/reads/`).
    /// Only for single statements that read.
    pub fn reads(&self) -> Reads<'_> {
        Reads(self)
    }

    /// Bring the schema up to date. Safe to call from several instances at once:
    /// on PostgreSQL an advisory lock lets one instance migrate while the others wait.
    pub async fn migrate(&self) -> anyhow::Result<usize> {
        migrate::run(self).await
    }

    /// After deleting a member: copy the write-ahead log into the database and
    /// truncate it, so the deleted rows survive in neither file (SQLite; on
    /// PostgreSQL, vacuum and the server's own WAL retention apply).
    pub async fn flush_deleted(&self) -> Result<(), sqlx::Error> {
        if self.backend != Backend::Sqlite {
            return Ok(());
        }
        // Each try may wait out the busy timeout; a few are enough, and the
        // hourly housekeeping checkpoints again whatever is left.
        for attempt in 0..3 {
            // (busy, log frames, frames checkpointed); busy is 1 while a reader holds an old snapshot.
            let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&self.pool).await?;
            let busy: i64 = sqlx::Row::try_get(&row, 0)?;
            if busy == 0 {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(5 * (attempt + 1))).await;
        }
        tracing::warn!("the write-ahead log stayed busy; housekeeping truncates it within the hour");
        Ok(())
    }

    /// Before the process ends: checkpoint and close every connection (SQLite
    /// then removes its write-ahead log).
    pub async fn close(&self) {
        if let Err(e) = self.flush_deleted().await {
            tracing::warn!(error = %e, "final checkpoint failed");
        }
        if let Some(readers) = &self.sqlite_readers {
            readers.close();
        }
        if let Some(readers) = &self.postgres_readers {
            readers.close();
        }
        self.pool.close().await;
    }

    /// A transaction that will write. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`), waiting its turn, rather than failing with
    /// "database is locked" when a read inside it must turn into a write
    /// while another connection or process writes.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Change or delete one row of a member's and what hangs off it, in one
    /// transaction. Every statement binds `$1` to the row's id and `$2` to the
    /// member's, so another member's row is never touched; true when the first
    /// statement changed a row (false: no such row, or not theirs).
    pub async fn change_owned(
        &self,
        statements: &[&'static str],
        id: &str,
        user_id: &str,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin().await?;
        let mut changed = None;
        for sql in statements {
            let done = sqlx::query(*sql).bind(id).bind(user_id).execute(&mut *tx).await?;
            changed.get_or_insert(done.rows_affected() > 0);
        }
        tx.commit().await?;
        Ok(changed.unwrap_or(false))
    }

    /// Run a prepared `UPDATE`; true when it changed exactly one row.
    pub async fn changed_one(
        &self,
        query: sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments>,
    ) -> Result<bool, sqlx::Error> {
        Ok(query.execute(&self.pool).await?.rows_affected() == 1)
    }

    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// Create a folder (and its parents) readable by this user alone.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// The database file and its write-ahead log and index readable by this user
/// alone. SQLite gives the `-wal` and `-shm` files the main file's permissions,
/// so the main file is made first, with 0600.
fn private_sqlite_files(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        if !path.exists() {
            std::fs::OpenOptions::new().write(true).create(true).truncate(false).mode(0o600).open(path)?;
        }
        for suffix in ["", "-wal", "-shm"] {
            let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
            if let Ok(meta) = std::fs::metadata(&file)
                && meta.permissions().mode() & 0o077 != 0
            {
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// True when the error is a unique-constraint violation (on either backend).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            db.is_unique_violation() || db.code().is_some_and(|c| c == "23505" || c == "2067" || c == "1555")
        }
        _ => false,
    }
}

/// True when PostgreSQL ended the transaction to break a deadlock (40P01);
/// the whole transaction may simply be tried again.
pub fn is_deadlock(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.code().is_some_and(|c| c == "40P01"))
}
