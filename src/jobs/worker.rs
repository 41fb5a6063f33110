//! The worker each instance runs: claim a due job of a kind it knows, do it,
//! and on failure try again later with a growing wait; after the last attempt
//! the job is kept as failed for the admin. A panic in a job is a failure like
//! any other. On shutdown the job in hand is finished first.

use std::time::Duration;

use tokio::sync::watch;

use super::{Finished, JobKinds, backoff_seconds};
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
    // A job whose instance died on its last attempt would otherwise be claimed forever.
    queue::fail_abandoned(&state.db, now).await?;
    let Some(job) = queue::claim(&state.db, &kinds.names(), now, state.config.job_lease_seconds).await?
    else {
        return Ok(Turn::Idle);
    };
    let outcome = match &job.dedupe_key {
        Some(key) if queue::is_done(&state.db, key).await? => {
            super::complete(state.db.begin().await?, &job).await
        }
        _ => work(state, kinds, &job).await,
    };
    match outcome {
        Ok(Finished::Done) => Ok(Turn::Done),
        Ok(Finished::LeaseLost) => Ok(Turn::LeaseLost),
        Err(e) => {
            let error = format!("{e:#}");
            tracing::warn!(job = %job.id, kind = %job.kind, attempt = job.attempts, error = %error, "job failed");
            let retry_at = now + backoff_seconds(job.attempts);
            queue::fail(&state.db, &job, &error, now, retry_at).await?;
            Ok(Turn::Failed)
        }
    }
}

/// Run the job on a task of its own, so that a panic in it is caught and
/// counted as a failed attempt instead of stopping the worker.
async fn work(state: &AppState, kinds: &JobKinds, job: &queue::ClaimedJob) -> anyhow::Result<Finished> {
    let kind = *kinds.find(&job.kind).ok_or_else(|| anyhow::anyhow!("no such kind of job: {}", job.kind))?;
    let (state, job) = (state.clone(), job.clone());
    match tokio::spawn(async move { (kind.run)(&state, &job).await }).await {
        Ok(result) => result,
        Err(e) if e.is_panic() => Err(anyhow::anyhow!("the job panicked")),
        Err(e) => Err(e.into()),
    }
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
        match run_one(&state, &kinds, crate::clock::now()).await {
            Ok(Turn::Idle) => {}
            Ok(_) => continue,
            Err(e) => tracing::warn!(error = %e, "the job worker could not reach the database"),
        }
        tokio::select! {
            _ = tokio::time::sleep(poll) => {}
            _ = state.wake_worker.notified() => {}
            _ = stop.changed() => {}
        }
    }
    tracing::info!("job worker stopped");
}
