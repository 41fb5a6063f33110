//! Connections to PostgreSQL for short reads, given back without a ping.
//!
//! sqlx's pool pings every connection as it takes it back, so that a query
//! cancelled half-way leaves no half-read answer for the next one. That is a
//! second round trip for every statement, and on a member page (the session's
//! read, then the page's) it was half of what PostgreSQL was asked to do
//! (bench/RESULTS.md). Here a connection goes back to the idle set only when
//! its statement ran to the end; one dropped half-way (the request was
//! cancelled) or that failed is closed instead, so no answer is ever left
//! unread on a connection that is used again.
//!
//! The connections are read-only sessions: a write sent here by mistake is
//! refused by PostgreSQL itself. At most [`POSTGRES_READERS`] are open at once
//! per instance, beside the pool's own.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use sqlx::any::{AnyArguments, AnyConnectOptions, AnyRow};
use sqlx::{AnyConnection, ConnectOptions, Connection, Error, Executor, SqlStr};
use tokio::sync::Semaphore;

/// How many read connections one instance opens to PostgreSQL at most. Two
/// cores answer a handful of statements at a time; more would only wait.
pub const POSTGRES_READERS: usize = 8;

/// An idle connection this long is pinged before it is used again: the
/// server, or something between, may have hung up meanwhile.
const PING_AFTER_IDLE: Duration = Duration::from_secs(5);

/// An idle connection this long is closed rather than used again.
const CLOSE_AFTER_IDLE: Duration = Duration::from_secs(600);

/// How long a read waits for a connection before it fails (as the pool's).
const WAIT_FOR_A_CONNECTION: Duration = Duration::from_secs(10);

pub struct PostgresReaders {
    options: AnyConnectOptions,
    /// Most recently given back last.
    idle: Mutex<Vec<Idle>>,
    room: Semaphore,
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
            room: Semaphore::new(POSTGRES_READERS),
            closed: AtomicBool::new(false),
        }
    }

    /// Close the idle connections and open no more; reads go to the pool.
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    pub fn is_open(&self) -> bool {
        !self.closed.load(Ordering::SeqCst)
    }

    pub fn idle_count(&self) -> usize {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Run one statement: all its rows, or only the first when `one`.
    pub async fn read(&self, sql: SqlStr, args: AnyArguments, one: bool) -> Result<Vec<AnyRow>, Error> {
        let _turn = tokio::time::timeout(WAIT_FOR_A_CONNECTION, self.room.acquire())
            .await
            .map_err(|_| Error::PoolTimedOut)?
            .map_err(|_| Error::PoolClosed)?;
        let mut connection = self.take().await?;
        let query = sqlx::query_with(sql, args);
        // Should this future be dropped while the statement runs, `connection`
        // is dropped with it, and closed.
        let rows = if one {
            query.fetch_optional(&mut connection).await.map(|row| row.into_iter().collect())
        } else {
            query.fetch_all(&mut connection).await
        };
        // A connection whose statement failed is closed too: whatever the
        // failure left on it stays with it.
        if rows.is_ok() && self.is_open() {
            self.idle
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(Idle { connection, since: Instant::now() });
        }
        rows
    }

    /// The connection given back last, pinged if it sat idle a while, or a
    /// new one.
    async fn take(&self) -> Result<AnyConnection, Error> {
        loop {
            let taken = {
                let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
                idle.retain(|c| c.since.elapsed() < CLOSE_AFTER_IDLE);
                idle.pop()
            };
            let Some(Idle { mut connection, since }) = taken else { break };
            if since.elapsed() < PING_AFTER_IDLE || connection.ping().await.is_ok() {
                return Ok(connection);
            }
        }
        if !self.is_open() {
            return Err(Error::PoolClosed);
        }
        let mut connection = self.options.connect().await?;
        connection.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY").await?;
        Ok(connection)
    }
}
