//! One read-only SQLite connection on the calling thread, through SQLite's
//! C interface: its prepared statements, binding `$n` arguments, and rows
//! filled in as sqlx's SQLite driver fills them for `Any`.

use std::ffi::{CStr, CString, c_int};
use std::path::Path;
use std::ptr::NonNull;
use std::sync::Arc;

use libsqlite3_sys as sqlite;
use sqlx::Error;
use sqlx::any::{AnyRow, AnyTypeInfo, AnyTypeInfoKind, AnyValue};
use sqlx_core::any::{AnyColumn, AnyValueKind};
use sqlx_core::ext::ustr::UStr;

use super::Failure;

/// Prepared statements kept per connection; past this the cache starts over.
pub(super) const STATEMENTS_KEPT: usize = 64;

/// One read-only connection and its prepared statements.
pub(super) struct Connection {
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
    pub(super) fn open(path: &Path) -> Result<Connection, Error> {
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

    /// Whether the connection is inside a transaction (and so would keep
    /// reading an old snapshot).
    pub(super) fn in_transaction(&self) -> bool {
        // SAFETY: an open handle.
        unsafe { sqlite::sqlite3_get_autocommit(self.handle.as_ptr()) == 0 }
    }

    #[cfg(test)]
    pub(super) fn statements_kept(&self) -> usize {
        self.statements.len()
    }

    /// Run one statement and collect its rows (at most `limit`).
    pub(super) fn read(
        &mut self,
        sql: &str,
        args: &[AnyValueKind],
        limit: usize,
    ) -> Result<Vec<AnyRow>, Failure> {
        if !self.statements.contains_key(sql) {
            if self.statements.len() >= STATEMENTS_KEPT {
                self.statements.clear();
            }
            let statement = self.prepare(sql).map_err(|(answer, e)| {
                if answer & 0xff == sqlite::SQLITE_BUSY { Failure::ToPool } else { Failure::Failed(e) }
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
                Failure::ToPool
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
