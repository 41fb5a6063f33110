//! What happens around a live session: the reminder an hour before, the
//! notice when its recording is attached, and calendars.

use serde::{Deserialize, Serialize};

use super::store::{self, LiveRow};
use crate::db::queue::{ClaimedJob, NewJob};
use crate::features::library::ics::{self, CalendarEvent};
use crate::features::notices::service as notices;
use crate::features::notices::store::NewNotice;
use crate::jobs::{JobFuture, JobKind};
use crate::state::AppState;
use crate::web::AppError;

pub const NOTICE_KIND: &str = "library";

/// How long before a session its reminder comes.
pub const REMIND_BEFORE: i64 = 3600;

pub const REMINDER: JobKind = JobKind { name: "library-live-reminder", max_attempts: 5, run: remind };

#[derive(Serialize, Deserialize)]
struct Reminder {
    session_id: String,
    starts_at: i64,
}

/// Queues the reminder for a session's start (if that is still ahead).
pub async fn queue_reminder(
    conn: &mut sqlx::AnyConnection,
    session_id: &str,
    starts_at: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let at = (starts_at - REMIND_BEFORE).max(now);
    let payload = serde_json::to_string(&Reminder { session_id: session_id.to_owned(), starts_at })
        .map_err(|e| sqlx::Error::Encode(e.into()))?;
    crate::db::queue::enqueue(
        &mut *conn,
        NewJob {
            kind: REMINDER.name,
            payload,
            dedupe_key: Some(format!("library-live-reminder:{session_id}:{starts_at}")),
            user_id: None,
            run_at: at,
            max_attempts: REMINDER.max_attempts,
        },
    )
    .await?;
    Ok(())
}

fn remind<'a>(state: &'a AppState, job: &'a ClaimedJob) -> JobFuture<'a> {
    Box::pin(async move {
        let Reminder { session_id, starts_at } = serde_json::from_str(&job.payload)?;
        let now = crate::clock::now();
        let session = store::find(&state.db, &session_id).await?;
        let due =
            session.filter(|s| s.cancelled_at.is_none() && s.starts_at == starts_at && starts_at > now - 600);
        let mut tx = state.db.begin().await?;
        if due.is_some() {
            let notice = NewNotice {
                kind: NOTICE_KIND,
                title: "A live session starts in an hour",
                body: "A live group session you said you would join starts in about an hour. The join link is on the live sessions page.",
                url: "/library/live",
            };
            for member in store::attendees(&mut *tx, &session_id, now).await? {
                notices::send_timely(&mut tx, &member, &notice, now).await?;
            }
            state.wake_worker.notify_one();
        }
        crate::jobs::complete(tx, job).await
    })
}

/// Attaches a recording to a session and tells those who said they would
/// come (and may still watch) that it is ready.
pub async fn attach(state: &AppState, session_id: &str, recording_id: &str) -> Result<bool, AppError> {
    let now = crate::clock::now();
    let mut tx = state.db.begin().await?;
    if !store::attach(&mut *tx, session_id, recording_id, now).await? {
        return Ok(false);
    }
    let url = format!("/library/{recording_id}");
    let notice = NewNotice {
        kind: NOTICE_KIND,
        title: "A session's recording is ready",
        body: "The recording of a live session you said you would join is in the library now.",
        url: &url,
    };
    for member in store::attendees(&mut *tx, session_id, now).await? {
        notices::send(&mut tx, &member, &notice, now).await?;
    }
    tx.commit().await?;
    state.wake_worker.notify_one();
    Ok(true)
}

/// Sessions as a calendar (cancelled ones marked so).
pub fn calendar(state: &AppState, name: &str, sessions: &[LiveRow]) -> String {
    let base = state.config.base_url();
    let host =
        base.split("://").nth(1).unwrap_or("localhost").split('/').next().unwrap_or("localhost").to_owned();
    let uids: Vec<String> = sessions.iter().map(|s| format!("{}@{host}", s.id)).collect();
    let descriptions: Vec<String> = sessions
        .iter()
        .map(|s| {
            let join =
                if s.join_url.is_empty() { String::new() } else { format!("\n\nJoin: {}", s.join_url) };
            format!("{}{join}", s.description)
        })
        .collect();
    let now = jiff::Timestamp::now();
    let events: Vec<CalendarEvent<'_>> = sessions
        .iter()
        .zip(uids.iter().zip(descriptions.iter()))
        .filter_map(|(s, (uid, description))| {
            Some(CalendarEvent {
                uid,
                starts: jiff::Timestamp::from_second(s.starts_at).ok()?,
                duration_minutes: u32::try_from(s.duration_minutes).ok()?,
                title: &s.title,
                description,
                url: Some(s.join_url.as_str()).filter(|u| !u.is_empty()),
                stamp: jiff::Timestamp::from_second(s.updated_at).unwrap_or(now),
                cancelled: s.cancelled_at.is_some(),
            })
        })
        .collect();
    ics::calendar(name, &events)
}
