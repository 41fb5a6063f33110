//! Background jobs, kept in the database so any instance can do them and none
//! is lost to a restart: sending mail now, a reminder later. A feature
//! declares its kinds of job (`JobKind`); `app::job_kinds` gathers them; each
//! instance runs one worker (`worker::run`).
//!
//! A job's work and its removal from the table share one transaction, so work
//! that writes to the database happens exactly once even when an instance is
//! killed mid-job. Work outside the database (handing a mail to a mail server)
//! is done before that transaction commits: a crash in between can repeat it,
//! so such jobs carry a dedupe key and are skipped once recorded as done.

pub mod mail;
pub mod worker;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub use crate::db::queue::{ClaimedJob, NewJob};
use crate::state::AppState;

pub type JobFuture<'a> = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + 'a>>;

/// A kind of job and the work it does. `run` gets the transaction the job
/// finishes in: write through it, and the writes and the job's end are one.
#[derive(Clone, Copy)]
pub struct JobKind {
    pub kind: &'static str,
    pub max_attempts: i64,
    pub run: for<'a> fn(&'a AppState, &'a mut sqlx::AnyConnection, &'a ClaimedJob) -> JobFuture<'a>,
}

/// Every kind of job this instance knows.
#[derive(Clone)]
pub struct JobKinds(Arc<Vec<JobKind>>);

impl JobKinds {
    pub fn new(kinds: Vec<JobKind>) -> Self {
        let mut names: Vec<&str> = kinds.iter().map(|k| k.kind).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), kinds.len(), "two job kinds share a name");
        JobKinds(Arc::new(kinds))
    }

    pub fn find(&self, kind: &str) -> Option<&JobKind> {
        self.0.iter().find(|k| k.kind == kind)
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
