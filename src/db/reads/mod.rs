//! Short reads on the request's own thread (SQLite).
//!
//! sqlx runs each SQLite connection on a thread of its own: a statement, its
//! arguments and every row cross to that thread and back over channels, about
//! four thread switches a statement, the largest single cost of a member page
//! (bench/RESULTS.md). The reads a member page is made of take tens of
//! microseconds in SQLite itself, less than the switches around them.
//!
//! [`Reads`] is an executor for those reads. On SQLite it runs the statement
//! at once, on the calling thread, over a read-only connection of its own
//! (write-ahead logging lets readers run beside the pool's writer and see every
//! committed write). On PostgreSQL it runs the statement over a read-only
//! connection of a small set of its own, which goes back to the set without
//! the ping sqlx's pool sends after every statement (`postgres.rs`).
//! Stores choose it with `.fetch_all(db.reads())` instead of `&db.pool`, for
//! single statements that only read and return a page's worth of rows. Writes
//! and transactions stay on the pool.
//!
//! No call yields between taking a connection and giving it back, so each
//! worker thread uses at most one connection at a time and the set grows to
//! the number of threads that read. Each connection keeps its prepared
//! statements, as sqlx's own cache does. A read here never waits for a lock:
//! should SQLite be busy (a checkpoint truncating the log), the read goes to
//! the pool instead, which may wait without holding up the thread; so does a
//! read that runs past 2 000 rows, which would hold the thread too long.

mod connection;
mod postgres;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::future::BoxFuture;
use futures_util::stream::{self, BoxStream, StreamExt};
use sqlx::any::{AnyArguments, AnyQueryResult, AnyRow, AnyTypeInfo};
use sqlx::{Any, Either, Error, Execute, Executor};
use sqlx_core::any::{AnyArgumentBuffer, AnyValueKind};

use super::Db;
use connection::Connection;
pub use postgres::PostgresReaders;

/// The executor for short reads; see the module's documentation.
#[derive(Clone, Copy, Debug)]
pub struct Reads<'a>(pub(super) &'a Db);

/// Read-only SQLite connections to one database file, taken and given back
/// around each read.
pub struct SqliteReaders {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    /// Set by `close`: reads go to the (closing) pool, and no connection is
    /// opened that would keep the log from being removed.
    closed: AtomicBool,
}

/// A read on the request's thread stops past this many rows and goes to the
/// pool instead: a page's reads are far shorter, and a longer one would hold
/// the thread.
const MOST_ROWS_HERE: usize = 2_000;

/// Why a read on this thread gave no rows.
enum Failure {
    /// The pool answers instead: SQLite was busy, the readers are closed, or
    /// the read ran past its bound of rows.
    ToPool,
    Failed(Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Failed(e)
    }
}

impl std::fmt::Debug for SqliteReaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteReaders").field("path", &self.path).finish_non_exhaustive()
    }
}

impl SqliteReaders {
    pub fn new(path: &Path) -> SqliteReaders {
        SqliteReaders { path: path.to_owned(), idle: Mutex::new(Vec::new()), closed: AtomicBool::new(false) }
    }

    /// Close the idle connections and open no more, so the pool's last one
    /// may remove the write-ahead log as it closes.
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    fn is_open(&self) -> bool {
        !self.closed.load(Ordering::SeqCst)
    }

    /// Run one statement and collect its rows (at most `limit`).
    fn read(&self, sql: &str, args: &[AnyValueKind], limit: usize) -> Result<Vec<AnyRow>, Failure> {
        let taken = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut connection = match taken {
            Some(c) => c,
            // After `close`, no new connection: the pool (closing) answers.
            None if !self.is_open() => return Err(Failure::ToPool),
            None => Connection::open(&self.path)?,
        };
        let rows = connection.read(sql, args, limit.min(MOST_ROWS_HERE + 1));
        // A connection left inside a transaction would keep reading an old
        // snapshot and hold back checkpoints: it is closed instead.
        let in_transaction = connection.in_transaction();
        if !in_transaction && self.is_open() {
            self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(connection);
        }
        if in_transaction && rows.is_ok() {
            return Err(Failure::Failed(Error::Protocol(
                "a statement that opens a transaction goes to the pool".into(),
            )));
        }
        match rows {
            Ok(rows) if rows.len() > MOST_ROWS_HERE => Err(Failure::ToPool),
            rows => rows,
        }
    }
}

/// Where a short read runs instead of the pool.
#[derive(Clone, Copy)]
enum Here<'c> {
    Sqlite(&'c SqliteReaders),
    Postgres(&'c std::sync::Arc<PostgresReaders>),
}

impl<'c> Reads<'c> {
    /// The readers, while they may be used (not closing).
    fn here(self) -> Option<Here<'c>> {
        if let Some(r) = self.0.sqlite_readers.as_deref().filter(|r| r.is_open()) {
            return Some(Here::Sqlite(r));
        }
        self.0.postgres_readers.as_ref().filter(|r| r.is_open()).map(Here::Postgres)
    }

    /// Read on this thread (SQLite) or over a reader's connection
    /// (PostgreSQL), or through the pool when neither may.
    async fn read<'q>(
        self,
        here: Here<'c>,
        mut query: impl Execute<'q, Any>,
        limit: usize,
    ) -> Result<Vec<AnyRow>, Error> {
        let args = query.take_arguments().map_err(Error::Encode)?.map(|a| a.values.0).unwrap_or_default();
        let sql = query.sql();
        let readers = match here {
            Here::Postgres(readers) => return readers.read(sql, args, limit == 1).await,
            Here::Sqlite(readers) => readers,
        };
        match readers.read(sql.as_str(), &args, limit) {
            Ok(rows) => Ok(rows),
            Err(Failure::Failed(e)) => Err(e),
            Err(Failure::ToPool) => {
                let args = AnyArguments { values: AnyArgumentBuffer(args) };
                let mut rows = sqlx::query_with(sql, args).fetch_all(&self.0.pool).await?;
                rows.truncate(limit);
                Ok(rows)
            }
        }
    }
}

impl<'c> Executor<'c> for Reads<'c> {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, Error>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Any>,
    {
        let Some(here) = self.here() else {
            return self.0.pool.fetch_many(query);
        };
        stream::once(self.read(here, query, usize::MAX))
            .flat_map(|rows| match rows {
                Ok(rows) => stream::iter(rows.into_iter().map(|row| Ok(Either::Right(row)))).left_stream(),
                Err(e) => stream::once(async { Err(e) }).right_stream(),
            })
            .boxed()
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, Result<Option<AnyRow>, Error>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Any>,
    {
        let Some(here) = self.here() else {
            return self.0.pool.fetch_optional(query);
        };
        Box::pin(async move { Ok(self.read(here, query, 1).await?.pop()) })
    }

    fn prepare_with<'e>(
        self,
        sql: sqlx::SqlStr,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, Result<sqlx::any::AnyStatement, Error>>
    where
        'c: 'e,
    {
        self.0.pool.prepare_with(sql, parameters)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;

    async fn sqlite_db(dir: &Path) -> Db {
        let db = Db::connect(&format!("sqlite://{}", dir.join("reads.db").display())).await.unwrap();
        sqlx::raw_sql(
            "CREATE TABLE t (id TEXT PRIMARY KEY, n BIGINT, x DOUBLE PRECISION, note TEXT, b BLOB);
             INSERT INTO t VALUES ('a', 1, 0.5, 'first', X'00ff'), ('b', 2, NULL, NULL, NULL), ('c', 3, 2.25, 'é', NULL);",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        db
    }

    #[tokio::test]
    async fn rows_read_on_this_thread_decode_as_the_pools_rows_do() {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite_db(dir.path()).await;
        let sql = "SELECT id, n, x, note, b FROM t WHERE n >= $2 AND id <> $1 ORDER BY n";
        let pooled = sqlx::query(sql).bind("c").bind(1_i64).fetch_all(&db.pool).await.unwrap();
        let here = sqlx::query(sql).bind("c").bind(1_i64).fetch_all(db.reads()).await.unwrap();
        assert_eq!(here.len(), 2);
        for (p, h) in pooled.iter().zip(&here) {
            assert_eq!(p.try_get::<String, _>("id").unwrap(), h.try_get::<String, _>("id").unwrap());
            assert_eq!(p.try_get::<i64, _>("n").unwrap(), h.try_get::<i64, _>("n").unwrap());
            assert_eq!(p.try_get::<Option<f64>, _>("x").unwrap(), h.try_get::<Option<f64>, _>("x").unwrap());
            assert_eq!(
                p.try_get::<Option<String>, _>("note").unwrap(),
                h.try_get::<Option<String>, _>("note").unwrap()
            );
            assert_eq!(
                p.try_get::<Option<Vec<u8>>, _>("b").unwrap(),
                h.try_get::<Option<Vec<u8>>, _>("b").unwrap()
            );
        }
        assert_eq!(here[0].try_get::<Option<Vec<u8>>, _>("b").unwrap(), Some(vec![0, 255]));
        let one = sqlx::query("SELECT note FROM t WHERE id = $1")
            .bind("c")
            .fetch_optional(db.reads())
            .await
            .unwrap();
        assert_eq!(one.unwrap().try_get::<String, _>("note").unwrap(), "é");
        let none = sqlx::query("SELECT note FROM t WHERE id = $1")
            .bind("z")
            .fetch_optional(db.reads())
            .await
            .unwrap();
        assert!(none.is_none());
    }

    #[tokio::test]
    async fn a_read_sees_each_committed_write_and_refuses_to_write() {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite_db(dir.path()).await;
        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM t").fetch_one(db.reads()).await.unwrap()
        };
        assert_eq!(count().await, 3);
        sqlx::query("INSERT INTO t (id, n) VALUES ('d', 4)").execute(&db.pool).await.unwrap();
        assert_eq!(count().await, 4, "the read after a committed write sees it");
        let refused = sqlx::query("DELETE FROM t").fetch_all(db.reads()).await.err().expect("refused");
        assert!(refused.to_string().contains("pool"), "{refused}");
        let two = sqlx::query("SELECT 1; SELECT 2").fetch_all(db.reads()).await.err().expect("refused");
        assert!(two.to_string().contains("one statement"), "{two}");
        let begin = sqlx::query("BEGIN").fetch_all(db.reads()).await.err().expect("refused");
        assert!(begin.to_string().contains("transaction"), "{begin}");
        // A reader kept inside that transaction would take its snapshot now
        // and never see the insert below.
        assert_eq!(count().await, 4);
        sqlx::query("INSERT INTO t (id, n) VALUES ('e', 5)").execute(&db.pool).await.unwrap();
        assert_eq!(count().await, 5, "no reader was left holding an old snapshot");
        let missing =
            sqlx::query("SELECT $2").bind(1_i64).fetch_all(db.reads()).await.err().expect("refused");
        assert!(missing.to_string().contains("SQLite"), "{missing}");
    }

    #[tokio::test]
    async fn past_its_bound_the_statement_cache_starts_over_and_reads_stay_right() {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite_db(dir.path()).await;
        let readers = db.sqlite_readers.clone().expect("SQLite has readers");
        let many = connection::STATEMENTS_KEPT as i64 + 6;
        // Twice through more statements than are kept, each with its own answer.
        for _ in 0..2 {
            for i in 0..many {
                let sql = format!("SELECT n + {i} AS m FROM t WHERE id = $1");
                let m: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                    .bind("b")
                    .fetch_one(db.reads())
                    .await
                    .unwrap();
                assert_eq!(m, 2 + i);
            }
        }
        let idle = readers.idle.lock().unwrap();
        assert_eq!(idle.len(), 1, "one thread, one reader");
        // Emptied each time the 65th arrived: what came since is kept.
        assert_eq!(idle[0].statements_kept(), (2 * many as usize) % connection::STATEMENTS_KEPT);
    }

    #[tokio::test]
    async fn a_read_past_its_bound_of_rows_is_answered_whole_by_the_pool() {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite_db(dir.path()).await;
        sqlx::query(
            "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < $1)
             INSERT INTO t (id, n) SELECT 'r' || i, 100 + i FROM r",
        )
        .bind(MOST_ROWS_HERE as i64 + 500)
        .execute(&db.pool)
        .await
        .unwrap();
        let rows = sqlx::query("SELECT id, n FROM t ORDER BY n").fetch_all(db.reads()).await.unwrap();
        assert_eq!(rows.len(), MOST_ROWS_HERE + 503, "every row, none cut off at the bound");
        assert_eq!(rows.last().unwrap().try_get::<i64, _>("n").unwrap(), 100 + MOST_ROWS_HERE as i64 + 500);
        let short = sqlx::query("SELECT id FROM t WHERE n < 10").fetch_all(db.reads()).await.unwrap();
        assert_eq!(short.len(), 3);
    }

    #[tokio::test]
    async fn after_close_reads_go_to_the_pool_and_no_reader_is_opened() {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite_db(dir.path()).await;
        let readers = db.sqlite_readers.clone().expect("SQLite has readers");
        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM t").fetch_one(db.reads()).await.unwrap()
        };
        assert_eq!(count().await, 3);
        assert_eq!(readers.idle.lock().unwrap().len(), 1, "the read kept its connection");
        readers.close();
        assert_eq!(count().await, 3, "the pool answers");
        assert!(readers.idle.lock().unwrap().is_empty());
        let busy = readers.read("SELECT 1", &[], 1);
        assert!(matches!(busy, Err(Failure::ToPool)), "a read after close opens no connection");
    }
}
