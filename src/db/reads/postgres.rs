//! Connections to PostgreSQL for short reads, given back without a ping.
//!
//! sqlx's pool pings every connection as it takes it back, so that a query
//! cancelled half-way leaves no half-read answer for the next one. That is a
//! second round trip for every statement, and on a member page (the session's
//! read, then the page's) it was half of what PostgreSQL was asked to do
//! (bench/RESULTS.md). Here a connection goes straight back to the idle set
//! when its statement ran to the end. One whose statement was dropped
//! half-way (the request went away) is first read to the end of what the
//! server still sends, in a task of its own that keeps its turn (a ping, as
//! sqlx's pool does for every statement), so no answer is ever left unread
//! on a connection that is used again, and a stream of cancelled requests
//! does not make the server start a new session for each. One whose
//! statement failed is closed.
//!
//! The connections are read-only sessions: a write sent here by mistake is
//! refused by PostgreSQL itself. At most [`POSTGRES_READERS`] are open at once
//! per instance, beside the pool's own.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::any::{AnyArguments, AnyConnectOptions, AnyRow};
use sqlx::{AnyConnection, ConnectOptions, Connection, Error, SqlStr};
use sqlx_core::any::{AnyArgumentBuffer, AnyValueKind};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How many read connections one instance opens to PostgreSQL at most. Two
/// cores answer a handful of statements at a time; more only wait, and
/// measured a longer tail (p99) with eight than with four (bench/RESULTS.md).
pub const POSTGRES_READERS: usize = 4;

/// An idle connection this long is pinged before it is used again: the
/// server, or something between, may have hung up meanwhile.
const PING_AFTER_IDLE: Duration = Duration::from_secs(5);

/// An idle connection this long is closed rather than used again.
const CLOSE_AFTER_IDLE: Duration = Duration::from_secs(600);

/// How long a read waits for a connection before it fails (as the pool's).
const WAIT_FOR_A_CONNECTION: Duration = Duration::from_secs(10);

/// How long a connection whose statement was dropped may take to finish
/// answering it before it is closed instead.
const FINISH_WITHIN: Duration = Duration::from_secs(5);

pub struct PostgresReaders {
    options: AnyConnectOptions,
    /// Most recently given back last.
    idle: Mutex<Vec<Idle>>,
    room: Arc<Semaphore>,
    closed: AtomicBool,
}

struct Idle {
    connection: AnyConnection,
    since: Instant,
}

impl std::fmt::Debug for PostgresReaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresReaders").field("idle", &self.idle_count()).finish_non_exhaustive()
    }
}

impl PostgresReaders {
    pub fn new(options: AnyConnectOptions) -> PostgresReaders {
        PostgresReaders {
            options,
            idle: Mutex::new(Vec::new()),
            room: Arc::new(Semaphore::new(POSTGRES_READERS)),
            closed: AtomicBool::new(false),
        }
    }

    /// Close the idle connections and open no more; reads go to the pool.
    pub fn close(&self) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        self.closed.store(true, Ordering::SeqCst);
        idle.clear();
    }

    pub fn is_open(&self) -> bool {
        !self.closed.load(Ordering::SeqCst)
    }

    pub fn idle_count(&self) -> usize {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Run one statement: all its rows, or only the first when `one`.
    pub async fn read(
        self: &Arc<Self>,
        sql: SqlStr,
        args: Vec<AnyValueKind>,
        one: bool,
    ) -> Result<Vec<AnyRow>, Error> {
        if !reads_only(sql.as_str()) {
            return Err(Error::Protocol("only a SELECT or WITH statement is a short read".into()));
        }
        // The wait for a turn and for a connection (opened, or pinged after
        // sitting idle) are bounded together, as the pool bounds them.
        let (mut lent, reused) = tokio::time::timeout(WAIT_FOR_A_CONNECTION, async {
            let turn = self.room.clone().acquire_owned().await.map_err(|_| Error::PoolClosed)?;
            let (connection, reused) = self.take().await?;
            Ok::<_, Error>((
                Lent { readers: self.clone(), turn: Some(turn), connection: Some(connection) },
                reused,
            ))
        })
        .await
        .map_err(|_| Error::PoolTimedOut)??;
        match self.run(&mut lent, &sql, &args, one).await {
            // A reused connection the server has since closed (a restart, a
            // terminated backend): the statement only reads, so it is tried
            // once more on a new connection.
            Err(e) if reused && is_lost_connection(&e) => {
                let connection = tokio::time::timeout(WAIT_FOR_A_CONNECTION, self.open())
                    .await
                    .map_err(|_| Error::PoolTimedOut)??;
                lent.connection = Some(connection);
                self.run(&mut lent, &sql, &args, one).await
            }
            rows => rows,
        }
    }

    /// The statement on the lent connection, which goes back to the idle set
    /// when the statement ran to the end and is closed when it failed.
    async fn run(
        &self,
        lent: &mut Lent,
        sql: &SqlStr,
        args: &[AnyValueKind],
        one: bool,
    ) -> Result<Vec<AnyRow>, Error> {
        let args = AnyArguments { values: AnyArgumentBuffer(args.to_vec()) };
        let query = sqlx::query_with(sql.clone(), args);
        let connection = lent.connection.as_mut().ok_or(Error::PoolClosed)?;
        // Should this future be dropped while the statement runs, `lent`
        // finishes the statement in the background (see `Lent`).
        let rows = if one {
            query.fetch_optional(&mut *connection).await.map(|row| row.into_iter().collect())
        } else {
            query.fetch_all(&mut *connection).await
        };
        let connection = lent.connection.take();
        // A connection whose statement failed is closed: whatever the failure
        // left on it stays with it.
        if let (Ok(_), Some(connection)) = (&rows, connection) {
            self.give_back(connection);
        }
        rows
    }

    fn give_back(&self, connection: AnyConnection) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        // Checked under the lock `close` empties the set under.
        if self.is_open() {
            idle.push(Idle { connection, since: Instant::now() });
        }
    }

    /// The connection given back last, pinged if it sat idle a while, or a
    /// new one; and whether it was used before.
    async fn take(&self) -> Result<(AnyConnection, bool), Error> {
        loop {
            let taken = {
                let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
                idle.retain(|c| c.since.elapsed() < CLOSE_AFTER_IDLE);
                idle.pop()
            };
            let Some(Idle { mut connection, since }) = taken else { break };
            if since.elapsed() < PING_AFTER_IDLE || connection.ping().await.is_ok() {
                return Ok((connection, true));
            }
        }
        Ok((self.open().await?, false))
    }

    /// A new read-only connection.
    async fn open(&self) -> Result<AnyConnection, Error> {
        if !self.is_open() {
            return Err(Error::PoolClosed);
        }
        let mut connection = self.options.connect().await?;
        sqlx::raw_sql(
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY; SET application_name = 'securebase reads'",
        )
        .execute(&mut connection)
        .await?;
        Ok(connection)
    }
}

/// A connection lent to one statement, with its turn. Dropped while it
/// still holds the connection (the statement's future was dropped half-way),
/// it lets the connection finish answering in a task of its own, keeping the
/// turn until then, and gives it back; one that does not finish in time, or
/// fails, is closed.
struct Lent {
    readers: Arc<PostgresReaders>,
    turn: Option<OwnedSemaphorePermit>,
    connection: Option<AnyConnection>,
}

impl Drop for Lent {
    fn drop(&mut self) {
        let (Some(mut connection), Some(turn)) = (self.connection.take(), self.turn.take()) else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let readers = self.readers.clone();
        runtime.spawn(async move {
            // A ping reads past every answer still owed, to the server's
            // "ready" after the ping itself.
            if let Ok(Ok(())) = tokio::time::timeout(FINISH_WITHIN, connection.ping()).await {
                readers.give_back(connection);
            }
            drop(turn);
        });
    }
}

/// A statement that can only read: it starts with SELECT or WITH (the
/// session refuses any write within; this keeps `SET`, `BEGIN` and the like,
/// which would outlast the statement on a reused connection, away).
fn reads_only(sql: &str) -> bool {
    let sql = sql.trim_start();
    let word = &sql[..sql.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(sql.len())];
    word.eq_ignore_ascii_case("select") || word.eq_ignore_ascii_case("with")
}

/// The connection itself failed (rather than the statement).
fn is_lost_connection(e: &Error) -> bool {
    match e {
        Error::Io(_) | Error::Protocol(_) | Error::WorkerCrashed => true,
        // 57P01: terminated by an administrator; 08…: connection exceptions.
        Error::Database(db) => db.code().is_some_and(|c| c == "57P01" || c.starts_with("08")),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::reads_only;

    #[test]
    fn only_a_select_or_with_is_a_short_read() {
        for sql in [
            "SELECT 1",
            "  select 1",
            "\n WITH t AS (SELECT 1) SELECT * FROM t",
            "with x as (select 1) select 1",
        ] {
            assert!(reads_only(sql), "{sql}");
        }
        for sql in
            ["SET application_name = 'x'", "BEGIN", "LISTEN x", "UPDATE t SET a = 1", "sel", "", "WITHOUT"]
        {
            assert!(!reads_only(sql), "{sql}");
        }
    }
}
