//! The `mail` job: hand a mail to the mail server, or keep it in the outbox.
//! A request never sends mail itself; it enqueues this job (usually in the
//! same transaction as the change the mail is about).

use serde::{Deserialize, Serialize};

use super::{ClaimedJob, JobFuture, JobKind, NewJob};
use crate::mail::{Message, outbox};
use crate::state::AppState;

pub const KIND: JobKind = JobKind { kind: "mail", max_attempts: 8, run };

#[derive(Serialize, Deserialize)]
struct MailJob {
    message: Message,
}

fn run<'a>(state: &'a AppState, conn: &'a mut sqlx::AnyConnection, job: &'a ClaimedJob) -> JobFuture<'a> {
    Box::pin(async move {
        let MailJob { message } = serde_json::from_str(&job.payload)?;
        if state.mailer.uses_outbox() {
            outbox::keep(conn, job.user_id.as_deref(), &message, crate::clock::now()).await?;
        } else {
            state.mailer.send_smtp(&message).await?;
        }
        Ok(())
    })
}

/// Queue a mail. `dedupe_key` names this one mail (the same key twice sends
/// it once); `user_id` is the member it is for, when there is one.
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
            kind: KIND.kind,
            payload,
            dedupe_key: Some(format!("mail:{dedupe_key}")),
            user_id,
            run_at: crate::clock::now(),
            max_attempts: KIND.max_attempts,
        },
    )
    .await
}
