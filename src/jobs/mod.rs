//! Background jobs, kept in the database so any instance can do them and none
//! is lost to a restart: sending mail now, a reminder later. A feature
//! declares its kinds of job (`JobKind`); `app::job_kinds` gathers them; each
//! instance runs one worker (`worker::run`).
//!
//! A job does what it must outside the database first (hand a mail to the
//! mail server), with no transaction open, then writes what it must and ends
//! itself in one transaction (`complete`). Writes to the database therefore
//! happen exactly once, even when an instance is killed mid-job. What happens
//! outside it can repeat only if an instance dies between the two steps; a
//! job's dedupe key, once recorded as done, keeps it from running again.

pub mod mail;
pub mod worker;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub use crate::db::queue::{ClaimedJob, NewJob};
use crate::state::AppState;

/// How a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finished {
    Done,
    /// Another instance took the job over (this one's lease ran out): nothing
    /// this run wrote was kept.
    LeaseLost,
}

pub type JobFuture<'a> = Pin<Box<dyn Future<Output = anyhow::Result<Finished>> + Send + 'a>>;

/// A kind of job and the work it does. `run` ends with `complete`, inside
/// whose transaction it makes its writes.
#[derive(Clone, Copy)]
pub struct JobKind {
    pub name: &'static str,
    pub max_attempts: i64,
    pub run: for<'a> fn(&'a AppState, &'a ClaimedJob) -> JobFuture<'a>,
}

/// End a job in the transaction that holds its writes: kept only while the
/// job is still this instance's (its lease), rolled back otherwise.
pub async fn complete(
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    job: &ClaimedJob,
) -> anyhow::Result<Finished> {
    if crate::db::queue::finish(&mut tx, job, crate::clock::now()).await? {
        tx.commit().await?;
        Ok(Finished::Done)
    } else {
        tx.rollback().await?;
        Ok(Finished::LeaseLost)
    }
}

/// Every kind of job this instance knows.
#[derive(Clone)]
pub struct JobKinds(Arc<Vec<JobKind>>);

impl JobKinds {
    pub fn new(kinds: Vec<JobKind>) -> Self {
        let mut names: Vec<&str> = kinds.iter().map(|k| k.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), kinds.len(), "two job kinds share a name");
        JobKinds(Arc::new(kinds))
    }

    pub fn find(&self, name: &str) -> Option<&JobKind> {
        self.0.iter().find(|k| k.name == name)
    }

    /// The kinds' names: an instance claims only jobs it knows how to do
    /// (during an upgrade, an older instance leaves newer kinds alone).
    pub fn names(&self) -> Vec<&'static str> {
        self.0.iter().map(|k| k.name).collect()
    }
}

/// Seconds before attempt `attempts + 1`: 30 s, then doubling, at most six hours.
pub fn backoff_seconds(attempts: i64) -> i64 {
    let exponent = attempts.clamp(1, 20) - 1;
    (30_i64 << exponent).min(6 * 3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_and_stop_growing() {
        assert_eq!(backoff_seconds(1), 30);
        assert_eq!(backoff_seconds(2), 60);
        assert_eq!(backoff_seconds(3), 120);
        assert_eq!(backoff_seconds(12), 6 * 3600);
        assert_eq!(backoff_seconds(0), 30);
    }
}
