//! The worker each instance runs: claim a due job, do it, finish it in the
//! same transaction as its work; on failure, try again later with a growing
//! wait, and after the last attempt keep it as failed for the admin. On
//! shutdown the job in hand is finished first.

use std::time::Duration;

use tokio::sync::watch;

use super::{ClaimedJob, JobKinds, backoff_seconds};
use crate::db::queue;
use crate::state::AppState;

/// What one turn of the worker did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    /// Nothing was due.
    Idle,
    Done,
    /// The work failed; the job waits for its next attempt or is kept as failed.
    Failed,
    /// Another instance took the job over (the lease ran out); nothing was kept.
    LeaseLost,
}

/// Claim and do one due job.
pub async fn run_one(state: &AppState, kinds: &JobKinds, now: i64) -> anyhow::Result<Turn> {
    let Some(job) = queue::claim(&state.db, now, state.config.job_lease_seconds).await? else {
        return Ok(Turn::Idle);
    };
    match work(state, kinds, &job, now).await {
        Ok(true) => Ok(Turn::Done),
        Ok(false) => Ok(Turn::LeaseLost),
        Err(e) => {
            let error = format!("{e:#}");
            tracing::warn!(job = %job.id, kind = %job.kind, attempt = job.attempts, error = %error, "job failed");
            let retry_at = now + backoff_seconds(job.attempts);
            queue::fail(&state.db, &job, &error, now, retry_at).await?;
            Ok(Turn::Failed)
        }
    }
}

async fn work(state: &AppState, kinds: &JobKinds, job: &ClaimedJob, now: i64) -> anyhow::Result<bool> {
    let kind = kinds.find(&job.kind).ok_or_else(|| anyhow::anyhow!("no such kind of job: {}", job.kind))?;
    let mut tx = state.db.begin().await?;
    let already_done = match &job.dedupe_key {
        Some(key) => queue::is_done(&mut tx, key).await?,
        None => false,
    };
    if !already_done {
        (kind.run)(state, &mut tx, job).await?;
    }
    if !queue::finish(&mut tx, job, now).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    tx.commit().await?;
    Ok(true)
}

/// Do every job due at `now` (the tests' way to run the queue).
pub async fn run_due(state: &AppState, kinds: &JobKinds, now: i64) -> anyhow::Result<usize> {
    let mut turns = 0;
    while run_one(state, kinds, now).await? != Turn::Idle {
        turns += 1;
    }
    Ok(turns)
}

/// The worker: runs until `stop` turns true, finishing the job in hand first.
pub async fn run(state: AppState, kinds: JobKinds, mut stop: watch::Receiver<bool>) {
    let poll = Duration::from_secs(2);
    loop {
        if *stop.borrow() {
            break;
        }
        let turn = run_one(&state, &kinds, crate::clock::now()).await;
        match turn {
            Ok(Turn::Idle) => {}
            Ok(_) => continue,
            Err(e) => tracing::warn!(error = %e, "the job worker could not reach the database"),
        }
        tokio::select! {
            _ = tokio::time::sleep(poll) => {}
            _ = state.jobs_waiting.notified() => {}
            _ = stop.changed() => {}
        }
    }
    tracing::info!("job worker stopped");
}
