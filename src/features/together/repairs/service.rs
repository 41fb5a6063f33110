//! Invitations to repair: "I'd like to repair", answered with "ready now" or
//! "I need time, I'll come back at …". At that time both get a notice (a
//! job, on whichever instance claims it). Either can close it as "we found
//! our way back", which gives each of them a moment of return of their own.

use serde::{Deserialize, Serialize};

use super::store::{self, RepairRow};
use crate::features::accounts::store as accounts;
use crate::features::notices::service as notices;
use crate::features::notices::store::NewNotice;
use crate::features::practice::returns::store as returns;
use crate::features::together::link::store as links;
use crate::features::together::rules::{self, RepairAnswerKind};
use crate::features::together::shares::{items::ItemKind, store as shares};
use crate::features::together::{NOTICE_KIND, not_linked};
use crate::jobs::{ClaimedJob, JobFuture, JobKind, NewJob};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

/// At the promised time, a notice for both.
pub const RETURN_REMINDER: JobKind =
    JobKind { name: "private:together-return", max_attempts: 8, run: remind };

/// What each partner's moment of return says when a repair is closed.
pub const FOUND_OUR_WAY_BACK: &str = "We found our way back after a rupture.";

#[derive(Serialize, Deserialize)]
struct Reminder {
    invitation_id: String,
    return_at: i64,
}

/// "I'd like to repair", with a repair plan the member has already shared
/// (sharing it first is where they see exactly what the partner will see).
pub async fn invite(
    state: &AppState,
    user: &CurrentUser,
    message: &str,
    share_id: Option<&str>,
) -> Result<String, AppError> {
    let message = message.trim();
    let mut errors = rules::validate_message("message", message);
    let share_id = share_id.filter(|s| !s.is_empty());
    if let Some(id) = share_id {
        let shared_plan = shares::own_share(&state.db, &user.id, id).await?;
        if shared_plan.is_none_or(|s| s.item_kind != ItemKind::Repair.as_str()) {
            errors.add("share_id", "Choose one of the repair plans you have shared.");
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = crate::clock::now();
    let mut tx = state.db.begin().await?;
    let partner = links::partner_held(&mut tx, &user.id).await?.ok_or_else(not_linked)?;
    let id = store::insert(&mut *tx, &partner.link_id, &user.id, message, share_id, now).await?;
    let notice = NewNotice {
        kind: NOTICE_KIND,
        title: "An invitation to repair",
        body: "Your partner would like to repair. You can say you are ready, or ask for time and say when you will come back.",
        url: "/together/repair",
    };
    notices::send(&mut tx, &partner.partner_id, &notice, now).await?;
    tx.commit().await?;
    state.wake_worker.notify_one();
    Ok(id)
}

pub async fn answer(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    kind: &str,
    return_at: Option<i64>,
    message: &str,
) -> Result<(), AppError> {
    let now = crate::clock::now();
    let kind = RepairAnswerKind::parse(kind);
    let message = message.trim();
    let errors = rules::validate_repair_answer(kind, return_at, message, now);
    let Some(kind) = kind.filter(|_| errors.is_empty()) else { return Err(AppError::Validation(errors)) };
    let return_at = return_at.filter(|_| kind == RepairAnswerKind::Time);
    let mut tx = state.db.begin().await?;
    links::partner_held(&mut tx, &user.id).await?.ok_or(AppError::NotFound)?;
    let invitation = store::find_visible(&mut *tx, &user.id, id).await?.ok_or(AppError::NotFound)?;
    if invitation.author_id == user.id {
        return Err(AppError::NotFound);
    }
    if invitation.answer_kind.is_some() || invitation.closed_at.is_some() {
        return Err(AppError::Conflict("This invitation has its answer already.".into()));
    }
    store::insert_answer(&mut *tx, id, &user.id, kind.as_str(), return_at, message, now).await?;
    if let Some(at) = return_at {
        let payload = serde_json::to_string(&Reminder { invitation_id: id.to_owned(), return_at: at })
            .map_err(|e| AppError::Internal(e.into()))?;
        let job = NewJob {
            kind: RETURN_REMINDER.name,
            payload,
            dedupe_key: Some(format!("together-return:{id}")),
            user_id: None,
            run_at: at,
            max_attempts: RETURN_REMINDER.max_attempts,
        };
        crate::db::queue::enqueue(&mut *tx, job).await?;
    }
    let notice = NewNotice {
        kind: NOTICE_KIND,
        title: "Your invitation to repair was answered",
        body: "Your partner answered your invitation to repair.",
        url: "/together/repair",
    };
    notices::send(&mut tx, &invitation.author_id, &notice, now).await?;
    tx.commit().await?;
    state.wake_worker.notify_one();
    Ok(())
}

fn remind<'a>(state: &'a AppState, job: &'a ClaimedJob) -> JobFuture<'a> {
    Box::pin(async move {
        let Reminder { invitation_id, return_at } = serde_json::from_str(&job.payload)?;
        let invitation = store::find_any(&state.db, &invitation_id).await?;
        let due = invitation.filter(|i| i.closed_at.is_none() && i.return_at == Some(return_at));
        let members = match &due {
            Some(i) => store::link_members(&state.db, &i.link_id).await?,
            None => Vec::new(),
        };
        let mut tx = state.db.begin().await?;
        // Both still linked: both are reminded; otherwise nobody is.
        if members.len() == 2 {
            let notice = NewNotice {
                kind: NOTICE_KIND,
                title: "The time you agreed to come back",
                body: "You agreed to come back to a repair conversation about now. A slow breath first helps; nobody has to get it right.",
                url: "/together/repair",
            };
            for member in &members {
                notices::send_timely(&mut tx, member, &notice, crate::clock::now()).await?;
            }
            state.wake_worker.notify_one();
        }
        crate::jobs::complete(tx, job).await
    })
}

/// Close as "we found our way back": a moment of return for each partner,
/// on the day it is for each of them. Only once the invitation has its
/// answer, so nobody can put moments in the other's list on their own.
pub async fn close(state: &AppState, user: &CurrentUser, id: &str) -> Result<bool, AppError> {
    let now = crate::clock::now();
    let Some(partner) = links::partner_of(&state.db.pool, &user.id).await? else { return Ok(false) };
    let partner_zone =
        accounts::find_user(&state.db, &partner.partner_id).await?.map(|u| u.time_zone).unwrap_or_default();
    let mut tx = state.db.begin().await?;
    let Some(partner) =
        links::partner_held(&mut tx, &user.id).await?.filter(|p| p.link_id == partner.link_id)
    else {
        return Ok(false);
    };
    let Some(invitation) = store::find_visible(&mut *tx, &user.id, id).await? else { return Ok(false) };
    if invitation.answer_kind.is_none() {
        return Err(AppError::Conflict("This can be closed once your partner has answered.".into()));
    }
    if !store::close(&mut *tx, &user.id, id, now).await? {
        return Ok(false);
    }
    for (member, zone) in [(&user.id, &user.time_zone), (&partner.partner_id, &partner_zone)] {
        let day = crate::clock::day_in_zone(now, zone);
        returns::insert_return(&mut *tx, member, &day, FOUND_OUR_WAY_BACK, now).await?;
    }
    let notice = NewNotice {
        kind: NOTICE_KIND,
        title: "A repair was closed",
        body: "Your partner marked a repair as \u{201c}we found our way back\u{201d}. A moment of return is in your list.",
        url: "/together/repair",
    };
    notices::send(&mut tx, &partner.partner_id, &notice, now).await?;
    tx.commit().await?;
    state.wake_worker.notify_one();
    Ok(true)
}

/// An invitation to repair as one of the two partners reads it.
pub struct RepairView {
    pub id: String,
    pub mine: bool,
    pub message: String,
    pub share_id: Option<String>,
    pub day: String,
    pub closed: bool,
    pub answer_kind: Option<String>,
    pub return_at: Option<String>,
    pub answer_message: String,
}

pub async fn invitations(state: &AppState, user: &CurrentUser) -> Result<Vec<RepairView>, AppError> {
    let rows = store::in_link_of(&state.db, &user.id).await?;
    Ok(rows
        .into_iter()
        .map(|r: RepairRow| RepairView {
            mine: r.author_id == user.id,
            day: crate::clock::format_date(r.created_at, &user.time_zone),
            closed: r.closed_at.is_some(),
            return_at: r.return_at.map(|t| crate::clock::format_in_zone(t, &user.time_zone)),
            answer_kind: r.answer_kind,
            answer_message: r.answer_message.unwrap_or_default(),
            share_id: r.share_id,
            message: r.message,
            id: r.id,
        })
        .collect())
}
