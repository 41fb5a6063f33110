//! Leaving a notice for a member: kept in the app, and, when the member wants
//! it and their address is confirmed, a discreet mail that something waits.

use serde::{Deserialize, Serialize};

use super::mails;
use super::store::{self, NewNotice};
use crate::features::accounts::store as accounts;
use crate::jobs::{ClaimedJob, JobFuture, JobKind, NewJob};
use crate::state::AppState;
use crate::web::AppError;

/// The job that mails a member about a new notice (looked up when it runs, so
/// a member who turned the mail off meanwhile, or left, gets none).
pub const MAIL_JOB: JobKind = JobKind { name: "notice-mail", max_attempts: 5, run: run_mail_job };

#[derive(Serialize, Deserialize)]
struct NoticeMail {
    user_id: String,
    notice_id: String,
    /// Mailed even when another notice was mailed in the last hours (a
    /// reminder at a time someone promised).
    #[serde(default)]
    timely: bool,
}

/// Leave a notice, inside `conn`'s transaction, and queue its mail (at most
/// one such mail every six hours, however many notices arrive).
pub async fn send(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    notice: &NewNotice<'_>,
    now: i64,
) -> Result<String, AppError> {
    leave(conn, user_id, notice, now, false).await
}

/// As `send`, for a notice whose moment matters (a promised time has come):
/// its mail goes even if another went out in the last hours.
pub async fn send_timely(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    notice: &NewNotice<'_>,
    now: i64,
) -> Result<String, AppError> {
    leave(conn, user_id, notice, now, true).await
}

async fn leave(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    notice: &NewNotice<'_>,
    now: i64,
    timely: bool,
) -> Result<String, AppError> {
    if !crate::web::forms::is_local_path(notice.url) {
        return Err(AppError::Internal(anyhow::anyhow!("a notice must link within this site")));
    }
    let id = store::insert(&mut *conn, user_id, notice, now).await?;
    let payload =
        serde_json::to_string(&NoticeMail { user_id: user_id.to_owned(), notice_id: id.clone(), timely })
            .map_err(|e| AppError::Internal(e.into()))?;
    let job = NewJob {
        kind: MAIL_JOB.name,
        payload,
        dedupe_key: Some(format!("notice-mail:{id}")),
        user_id: Some(user_id),
        run_at: now,
        max_attempts: MAIL_JOB.max_attempts,
    };
    crate::db::queue::enqueue(&mut *conn, job).await?;
    Ok(id)
}

fn run_mail_job<'a>(state: &'a AppState, job: &'a ClaimedJob) -> JobFuture<'a> {
    Box::pin(async move {
        let NoticeMail { user_id, notice_id, timely } = serde_json::from_str(&job.payload)?;
        let user = accounts::find_user(&state.db, &user_id).await?;
        let unread = store::find(&state.db, &user_id, &notice_id).await?.is_some_and(|n| n.read_at.is_none());
        // A disabled account is sent nothing: it cannot sign in to read it.
        let wanted = user.filter(|u| {
            u.notice_mail != 0 && u.email_verified_at.is_some() && u.disabled_at.is_none() && unread
        });
        let Some(user) = wanted else { return crate::jobs::complete(state.db.begin().await?, job).await };
        let base = state.config.base_url();
        let instance = &state.config.instance_name;
        let message =
            mails::new_notice(instance, &format!("{base}/notices"), &format!("{base}/settings#mail"))
                .render(instance, &user.email)?;
        // However many notices arrive, at most one such mail every six hours.
        let key = if timely {
            format!("notices:{user_id}:timely:{notice_id}")
        } else {
            format!("notices:{user_id}:{}", crate::clock::now() / 21_600)
        };
        let mut tx = state.db.begin().await?;
        crate::jobs::mail::send(&mut *tx, Some(&user_id), message, key).await?;
        crate::jobs::complete(tx, job).await
    })
}
