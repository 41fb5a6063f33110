//! The `mail` job: hand a mail to the mail server (no transaction open while
//! it does), or keep it in the outbox in the transaction that ends the job.
//! A request never sends mail itself; it queues this job, usually in the same
//! transaction as the change the mail is about. Mail that carries a
//! single-use link is sent by a job of its own that makes the link as it
//! sends (see `accounts::link_mail`), so no link waits in this table.

use serde::{Deserialize, Serialize};

use super::{ClaimedJob, JobFuture, JobKind, NewJob};
use crate::mail::{Message, outbox};
use crate::state::AppState;

pub const KIND: JobKind = JobKind { name: "mail", max_attempts: 8, run };

#[derive(Serialize, Deserialize)]
struct MailJob {
    message: Message,
}

fn run<'a>(state: &'a AppState, job: &'a ClaimedJob) -> JobFuture<'a> {
    Box::pin(async move {
        let MailJob { message } = serde_json::from_str(&job.payload)?;
        let tx = deliver(state, job.user_id.as_deref(), &message).await?;
        super::complete(tx, job).await
    })
}

/// Send a mail from inside a job: over SMTP at once (no transaction is open
/// while the mail server answers), or, with the outbox, kept in the
/// transaction this returns. The job adds its own writes to that transaction
/// and ends with `jobs::complete`.
pub async fn deliver(
    state: &AppState,
    user_id: Option<&str>,
    message: &Message,
) -> anyhow::Result<sqlx::Transaction<'static, sqlx::Any>> {
    if !state.mailer.uses_outbox() {
        state.mailer.send_smtp(message).await?;
    }
    let mut tx = state.db.begin().await?;
    if state.mailer.uses_outbox() {
        outbox::keep(&mut tx, user_id, message, crate::clock::now()).await?;
    }
    Ok(tx)
}

/// Queue a mail. `dedupe_key` names this one mail (the same key twice sends
/// it once); `user_id` is the member it is for, when there is one. False when
/// it was not queued (the same mail is waiting, or was sent).
pub async fn send<'c, E>(
    executor: E,
    user_id: Option<&str>,
    message: Message,
    dedupe_key: String,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let payload = serde_json::to_string(&MailJob { message }).map_err(|e| sqlx::Error::Encode(e.into()))?;
    crate::db::queue::enqueue(
        executor,
        NewJob {
            kind: KIND.name,
            payload,
            dedupe_key: Some(format!("mail:{dedupe_key}")),
            user_id,
            run_at: crate::clock::now(),
            max_attempts: KIND.max_attempts,
        },
    )
    .await
}
