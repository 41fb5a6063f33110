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
//! committed write); on PostgreSQL it hands the query to the pool unchanged.
//! Stores choose it with `.fetch_all(db.reads())` instead of `&db.pool`, for
//! single statements that only read and return a page's worth of rows. Writes
//! and transactions stay on the pool.
//!
//! No call yields between taking a connection and giving it back, so each
//! worker thread uses at most one connection at a time and the set grows to
//! the number of threads that read. Each connection keeps its prepared
//! statements, as sqlx's own cache does. A read here never waits for a lock:
//! should SQLite be busy (a checkpoint truncating the log), the read goes to
//! the pool instead, which may wait without holding up the thread.

use std::ffi::{CStr, CString, c_int};
use std::path::{Path, PathBuf};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;
use futures_util::stream::{self, BoxStream, StreamExt};
use libsqlite3_sys as sqlite;
use sqlx::any::{AnyArguments, AnyQueryResult, AnyRow, AnyTypeInfo, AnyTypeInfoKind, AnyValue};
use sqlx::{Any, Either, Error, Execute, Executor};
use sqlx_core::any::{AnyArgumentBuffer, AnyColumn, AnyValueKind};
use sqlx_core::ext::ustr::UStr;

use super::Db;

/// Prepared statements kept per connection; past this the cache starts over.
const STATEMENTS_KEPT: usize = 64;

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

/// Why a read on this thread gave no rows.
enum Failure {
    /// SQLite was busy: the pool reads instead.
    Busy,
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
            None if !self.is_open() => return Err(Failure::Busy),
            None => Connection::open(&self.path)?,
        };
        let rows = connection.read(sql, args, limit);
        // A connection left inside a transaction would keep reading an old
        // snapshot and hold back checkpoints: it is closed instead.
        // SAFETY: an open handle.
        let in_transaction = unsafe { sqlite::sqlite3_get_autocommit(connection.handle.as_ptr()) } == 0;
        if !in_transaction && self.is_open() {
            self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(connection);
        }
        if in_transaction && rows.is_ok() {
            return Err(Failure::Failed(Error::Protocol(
                "a statement that opens a transaction goes to the pool".into(),
            )));
        }
        rows
    }
}

/// One read-only connection and its prepared statements.
struct Connection {
    handle: NonNull<sqlite::sqlite3>,
    /// By their SQL text (hashbrown's fast hash: a page's statement is a few KiB).
    statements: sqlx_core::HashMap<Box<str>, Statement>,
}

// SAFETY: the connection is opened with SQLITE_OPEN_NOMUTEX and used by one
// thread at a time: it is either in `idle` behind the mutex or held by the one
// call to `SqliteReaders::read` that took it.
unsafe impl Send for Connection {}

struct Statement {
    handle: NonNull<sqlite::sqlite3_stmt>,
    /// For each of the statement's parameters in SQLite's order, the index of
    /// the argument it takes (`$3` takes the third).
    arguments: Vec<usize>,
    column_names: Arc<sqlx_core::HashMap<UStr, usize>>,
    columns: Vec<AnyColumn>,
}

impl Connection {
    fn open(path: &Path) -> Result<Connection, Error> {
        let path = CString::new(path.as_os_str().as_encoded_bytes())
            .map_err(|_| Error::Configuration("the database path holds a NUL byte".into()))?;
        let mut handle = std::ptr::null_mut();
        let flags = sqlite::SQLITE_OPEN_READONLY | sqlite::SQLITE_OPEN_NOMUTEX;
        // SAFETY: a valid C string and out-pointer; SQLite allocates the handle
        // even on failure, and it is closed below in that case.
        let answer = unsafe { sqlite::sqlite3_open_v2(path.as_ptr(), &mut handle, flags, std::ptr::null()) };
        let Some(handle) = NonNull::new(handle) else {
            return Err(Error::Protocol("SQLite could not allocate a connection".into()));
        };
        let connection = Connection { handle, statements: sqlx_core::HashMap::default() };
        if answer != sqlite::SQLITE_OK {
            return Err(connection.error(answer, None));
        }
        // SAFETY: an open handle.
        unsafe {
            sqlite::sqlite3_extended_result_codes(handle.as_ptr(), 1);
            // No busy handler: a lock held by a checkpoint or a crash's
            // recovery answers SQLITE_BUSY at once, and the pool reads instead.
            sqlite::sqlite3_busy_timeout(handle.as_ptr(), 0);
        }
        Ok(connection)
    }

    /// SQLite's result code with its message, or with `cause` when the
    /// refusal came from here rather than from SQLite.
    fn error(&self, answer: c_int, cause: Option<&str>) -> Error {
        let message = match cause {
            Some(cause) => cause.to_owned(),
            // SAFETY: an open handle; the message is copied before any other call.
            None => unsafe { CStr::from_ptr(sqlite::sqlite3_errmsg(self.handle.as_ptr())) }
                .to_string_lossy()
                .into_owned(),
        };
        Error::Protocol(format!("SQLite ({answer}): {message}"))
    }

    fn read(&mut self, sql: &str, args: &[AnyValueKind], limit: usize) -> Result<Vec<AnyRow>, Failure> {
        if !self.statements.contains_key(sql) {
            if self.statements.len() >= STATEMENTS_KEPT {
                self.statements.clear();
            }
            let statement = self.prepare(sql).map_err(|(answer, e)| {
                if answer & 0xff == sqlite::SQLITE_BUSY { Failure::Busy } else { Failure::Failed(e) }
            })?;
            self.statements.insert(sql.into(), statement);
        }
        let statement = &self.statements[sql];
        let rows = statement.run(args, limit);
        // SAFETY: the statement belongs to this connection. Resetting ends its
        // read transaction, so a later read sees later writes and the log can
        // be checkpointed; bindings are cleared so no member's values linger.
        unsafe {
            sqlite::sqlite3_reset(statement.handle.as_ptr());
            sqlite::sqlite3_clear_bindings(statement.handle.as_ptr());
        }
        rows.map_err(|(answer, cause)| {
            if answer & 0xff == sqlite::SQLITE_BUSY {
                Failure::Busy
            } else {
                Failure::Failed(self.error(answer, cause))
            }
        })
    }

    /// Prepare one statement that reads; on failure, SQLite's result code
    /// (`SQLITE_ERROR` for this module's own refusals) and the error.
    fn prepare(&self, sql: &str) -> Result<Statement, (c_int, Error)> {
        let refused = |why: &str| (sqlite::SQLITE_ERROR, Error::Protocol(why.into()));
        let length = c_int::try_from(sql.len()).map_err(|_| refused("statement too long"))?;
        let mut handle = std::ptr::null_mut();
        let mut tail = std::ptr::null();
        // SAFETY: `sql` is valid for `length` bytes; the statement is kept
        // (PERSISTENT) and finalized when dropped.
        let answer = unsafe {
            sqlite::sqlite3_prepare_v3(
                self.handle.as_ptr(),
                sql.as_ptr().cast(),
                length,
                sqlite::SQLITE_PREPARE_PERSISTENT,
                &mut handle,
                &mut tail,
            )
        };
        if answer != sqlite::SQLITE_OK {
            return Err((answer, self.error(answer, None)));
        }
        let Some(handle) = NonNull::new(handle) else {
            return Err(refused("an empty statement"));
        };
        let statement = Statement::describe(handle).map_err(|e| (sqlite::SQLITE_ERROR, e))?;
        // Anything after the first statement would be silently left out.
        let consumed = (tail as usize).saturating_sub(sql.as_ptr() as usize);
        if !sql.get(consumed..).unwrap_or(sql).trim().trim_matches(';').trim().is_empty() {
            return Err(refused("one statement at a time"));
        }
        if !statement.only_reads() {
            return Err(refused("a statement that writes goes to the pool"));
        }
        Ok(statement)
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.statements.clear();
        // SAFETY: every statement was finalized above; the handle is not used again.
        unsafe { sqlite::sqlite3_close(self.handle.as_ptr()) };
    }
}

impl Statement {
    /// Name its columns and map its parameters (`$n` or `?`) to arguments.
    fn describe(handle: NonNull<sqlite::sqlite3_stmt>) -> Result<Statement, Error> {
        let raw = handle.as_ptr();
        // Owned at once, so an early return below finalizes it.
        let mut statement =
            Statement { handle, arguments: Vec::new(), column_names: Arc::default(), columns: Vec::new() };
        // SAFETY: a prepared statement; names are copied before the next call.
        unsafe {
            for i in 1..=sqlite::sqlite3_bind_parameter_count(raw) {
                let name = sqlite::sqlite3_bind_parameter_name(raw, i);
                let argument = if name.is_null() {
                    i as usize
                } else {
                    let name = CStr::from_ptr(name).to_string_lossy();
                    name.strip_prefix('$')
                        .and_then(|n| n.parse::<usize>().ok())
                        .filter(|n| *n >= 1)
                        .ok_or_else(|| Error::Protocol(format!("parameter {name} is not $1, $2, …")))?
                };
                statement.arguments.push(argument - 1);
            }
            let count = sqlite::sqlite3_column_count(raw);
            let mut names = sqlx_core::HashMap::default();
            for i in 0..count {
                let name = sqlite::sqlite3_column_name(raw, i);
                if name.is_null() {
                    return Err(Error::Protocol("SQLite ran out of memory naming a column".into()));
                }
                let name = CStr::from_ptr(name).to_string_lossy().into_owned();
                let name = UStr::from(name);
                names.insert(name.clone(), i as usize);
                statement.columns.push(AnyColumn {
                    ordinal: i as usize,
                    name,
                    type_info: AnyTypeInfo { kind: AnyTypeInfoKind::Null },
                });
            }
            statement.column_names = Arc::new(names);
        }
        Ok(statement)
    }

    fn only_reads(&self) -> bool {
        // SAFETY: a prepared statement.
        unsafe { sqlite::sqlite3_stmt_readonly(self.handle.as_ptr()) != 0 }
    }

    /// Bind, step and copy out the rows. On failure, the result code and,
    /// when the refusal is this module's own, what it was.
    fn run(&self, args: &[AnyValueKind], limit: usize) -> Result<Vec<AnyRow>, (c_int, Option<&'static str>)> {
        let raw = self.handle.as_ptr();
        for (i, &argument) in self.arguments.iter().enumerate() {
            let value =
                args.get(argument).ok_or((sqlite::SQLITE_RANGE, Some("a parameter has no argument")))?;
            // SAFETY: `i + 1` is one of the statement's parameters; text and
            // blobs are copied by SQLite (TRANSIENT).
            let answer = unsafe {
                let at = i as c_int + 1;
                match value {
                    AnyValueKind::Null(_) => sqlite::sqlite3_bind_null(raw, at),
                    AnyValueKind::Bool(b) => sqlite::sqlite3_bind_int64(raw, at, i64::from(*b)),
                    AnyValueKind::SmallInt(n) => sqlite::sqlite3_bind_int64(raw, at, i64::from(*n)),
                    AnyValueKind::Integer(n) => sqlite::sqlite3_bind_int64(raw, at, i64::from(*n)),
                    AnyValueKind::BigInt(n) => sqlite::sqlite3_bind_int64(raw, at, *n),
                    AnyValueKind::Real(x) => sqlite::sqlite3_bind_double(raw, at, f64::from(*x)),
                    AnyValueKind::Double(x) => sqlite::sqlite3_bind_double(raw, at, *x),
                    AnyValueKind::Text(s) => bind_text(raw, at, s),
                    AnyValueKind::TextSlice(s) => bind_text(raw, at, s),
                    AnyValueKind::Blob(b) => sqlite::sqlite3_bind_blob64(
                        raw,
                        at,
                        b.as_ptr().cast(),
                        b.len() as u64,
                        sqlite::SQLITE_TRANSIENT(),
                    ),
                    _ => {
                        return Err((
                            sqlite::SQLITE_MISMATCH,
                            Some("an argument of a kind SQLite does not store"),
                        ));
                    }
                }
            };
            if answer != sqlite::SQLITE_OK {
                return Err((answer, None));
            }
        }
        let mut rows = Vec::new();
        while rows.len() < limit {
            // SAFETY: a bound statement of this thread's connection.
            match unsafe { sqlite::sqlite3_step(raw) } {
                sqlite::SQLITE_ROW => rows.push(self.row()?),
                sqlite::SQLITE_DONE => break,
                answer => return Err((answer, None)),
            }
        }
        Ok(rows)
    }

    /// The current row, typed by each value's own storage class, as sqlx's
    /// SQLite driver gives it to `Any`.
    fn row(&self) -> Result<AnyRow, (c_int, Option<&'static str>)> {
        let raw = self.handle.as_ptr();
        let mut values = Vec::with_capacity(self.columns.len());
        for i in 0..self.columns.len() as c_int {
            // SAFETY: the statement has a row and `i` is one of its columns;
            // text and blobs are copied before the next step.
            let kind = unsafe {
                match sqlite::sqlite3_column_type(raw, i) {
                    sqlite::SQLITE_INTEGER => AnyValueKind::BigInt(sqlite::sqlite3_column_int64(raw, i)),
                    sqlite::SQLITE_FLOAT => AnyValueKind::Double(sqlite::sqlite3_column_double(raw, i)),
                    sqlite::SQLITE_TEXT => {
                        let bytes = column_bytes(raw, i, sqlite::sqlite3_column_text(raw, i).cast())?;
                        let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                            (sqlite::SQLITE_MISMATCH, Some("a text column holds invalid UTF-8"))
                        })?;
                        AnyValueKind::Text(Arc::new(text))
                    }
                    sqlite::SQLITE_BLOB => {
                        let bytes = column_bytes(raw, i, sqlite::sqlite3_column_blob(raw, i).cast())?;
                        AnyValueKind::Blob(Arc::new(bytes.to_vec()))
                    }
                    _ => AnyValueKind::Null(AnyTypeInfoKind::Null),
                }
            };
            values.push(AnyValue { kind });
        }
        Ok(AnyRow { column_names: Arc::clone(&self.column_names), columns: self.columns.clone(), values })
    }
}

impl Drop for Statement {
    fn drop(&mut self) {
        // SAFETY: the statement is not used again.
        unsafe { sqlite::sqlite3_finalize(self.handle.as_ptr()) };
    }
}

/// # Safety
/// `raw` is a prepared statement and `at` one of its parameters.
unsafe fn bind_text(raw: *mut sqlite::sqlite3_stmt, at: c_int, text: &str) -> c_int {
    // SAFETY: as the caller promises; SQLite copies the bytes.
    unsafe {
        sqlite::sqlite3_bind_text64(
            raw,
            at,
            text.as_ptr().cast(),
            text.len() as u64,
            sqlite::SQLITE_TRANSIENT(),
            sqlite::SQLITE_UTF8 as u8,
        )
    }
}

/// # Safety
/// `start` was just returned for column `i` of the current row.
unsafe fn column_bytes<'a>(
    raw: *mut sqlite::sqlite3_stmt,
    i: c_int,
    start: *const u8,
) -> Result<&'a [u8], (c_int, Option<&'static str>)> {
    // SAFETY: SQLite gives the length after the pointer; an empty value may
    // be null, and so is any value SQLite had no memory to convert.
    unsafe {
        let length = sqlite::sqlite3_column_bytes(raw, i) as usize;
        if !start.is_null() && length > 0 {
            Ok(std::slice::from_raw_parts(start, length))
        } else if sqlite::sqlite3_errcode(sqlite::sqlite3_db_handle(raw)) == sqlite::SQLITE_NOMEM {
            Err((sqlite::SQLITE_NOMEM, Some("SQLite ran out of memory reading a value")))
        } else {
            Ok(&[])
        }
    }
}

impl<'c> Reads<'c> {
    /// The readers, while they may be used (SQLite, not closing).
    fn here(self) -> Option<&'c SqliteReaders> {
        self.0.sqlite_readers.as_deref().filter(|r| r.is_open())
    }

    /// Read on this thread; when SQLite is busy, through the pool instead.
    async fn read<'q>(
        self,
        readers: &SqliteReaders,
        mut query: impl Execute<'q, Any>,
        limit: usize,
    ) -> Result<Vec<AnyRow>, Error> {
        let args = query.take_arguments().map_err(Error::Encode)?.map(|a| a.values.0).unwrap_or_default();
        let sql = query.sql();
        match readers.read(sql.as_str(), &args, limit) {
            Ok(rows) => Ok(rows),
            Err(Failure::Failed(e)) => Err(e),
            Err(Failure::Busy) => {
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
        let Some(readers) = self.here() else {
            return self.0.pool.fetch_many(query);
        };
        stream::once(self.read(readers, query, usize::MAX))
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
        let Some(readers) = self.here() else {
            return self.0.pool.fetch_optional(query);
        };
        Box::pin(async move { Ok(self.read(readers, query, 1).await?.pop()) })
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
        assert!(matches!(busy, Err(Failure::Busy)), "a read after close opens no connection");
    }
}
