//! Linking and unlinking. An invitation is a single-use link (256 random bits,
//! only the hash kept) that lasts a week; the person it reaches signs in,
//! sees who sent it, and accepts or declines. Unlinking is one-sided and
//! immediate, and nothing is sent to anyone when it happens.

use serde::{Deserialize, Serialize};

use super::store::{self, InvitationRecord, NewInvitation, Partner};
use crate::features::accounts::mails::SecurityEvent;
use crate::features::accounts::security::{self, Owner};
use crate::features::accounts::sessions::{hash_token, new_token};
use crate::features::accounts::store as accounts;
use crate::features::accounts::validate;
use crate::features::notices::store as notices;
use crate::features::together::{NOTICE_KIND, mails, rules};
use crate::jobs::{ClaimedJob, JobFuture, JobKind, NewJob};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser, FieldErrors};

/// The job that mails an invitation: it makes the link as it sends, so no
/// working link waits in the database.
pub const INVITATION_MAIL: JobKind =
    JobKind { name: "private:together-invitation", max_attempts: 8, run: mail_invitation };

#[derive(Serialize, Deserialize)]
struct InvitationMail {
    invitation_id: String,
}

/// A new invitation: its link to copy, or (with an address) on its way by mail.
pub struct Invited {
    pub id: String,
    /// The path of the link, when it is to be copied (never for a mailed one).
    pub link: Option<String>,
}

fn conflict(field: &str, message: &str) -> AppError {
    let mut errors = FieldErrors::new();
    errors.add(field, message);
    AppError::Validation(errors)
}

pub async fn invite(state: &AppState, user: &CurrentUser, email: Option<&str>) -> Result<Invited, AppError> {
    user.require_verified("invite a partner")?;
    if let Some(p) = store::partner_of(&state.db.pool, &user.id).await? {
        return Err(conflict(
            "email",
            &format!("You are linked with {} already. Unlink first to invite someone else.", p.display_name),
        ));
    }
    let now = crate::clock::now();
    if store::count_open(&state.db, &user.id, now).await? as usize >= rules::MAX_OPEN_INVITATIONS {
        return Err(conflict(
            "email",
            "You have several open invitations. Revoke one before making another.",
        ));
    }
    // Mailed invitations go to other people's inboxes: a day's worth is capped.
    if store::count_made_since(&state.db, &user.id, now - 86_400).await? as usize
        >= rules::MAX_INVITATIONS_PER_DAY
    {
        return Err(conflict("email", "You have made several invitations today. Please try again tomorrow."));
    }
    let sent_to = match email.map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => {
            let e = validate::normalize_email(e).map_err(|m| conflict("email", m))?;
            if e == user.email {
                return Err(conflict("email", "That is your own address."));
            }
            // Nobody is sent invitation after invitation: one at a time, and
            // none for a month after one was not accepted.
            for earlier in store::invitations_of(&state.db, &user.id, now - 30 * 86_400).await? {
                if earlier.sent_to != e {
                    continue;
                }
                match invitation_status(&earlier, now) {
                    "Waiting" => {
                        return Err(conflict("email", "An invitation to this address is still open."));
                    }
                    "Not accepted" => {
                        return Err(conflict(
                            "email",
                            "You invited this address recently and it was not accepted. Please give it time.",
                        ));
                    }
                    _ => {}
                }
            }
            e
        }
        None => String::new(),
    };
    let token = new_token();
    let new = NewInvitation {
        token_hash: &hash_token(&token),
        inviter_id: &user.id,
        sent_to: &sent_to,
        now,
        expires_at: now + rules::INVITATION_SECONDS,
    };
    let mut tx = state.db.begin().await?;
    store::lock_member(&mut tx, &user.id).await?;
    if !accounts::session_stands(&mut *tx, &user.id, &user.session_id).await? {
        return Err(AppError::Unauthorized);
    }
    let id = store::insert_invitation(&mut *tx, new).await?;
    if sent_to.is_empty() {
        tx.commit().await?;
        return Ok(Invited { id, link: Some(format!("/together/join/{token}")) });
    }
    // Mailed: the token made here is never shown; the job makes the one that is sent.
    let payload = serde_json::to_string(&InvitationMail { invitation_id: id.clone() })
        .map_err(|e| AppError::Internal(e.into()))?;
    let job = NewJob {
        kind: INVITATION_MAIL.name,
        payload,
        dedupe_key: Some(format!("together-invitation:{id}")),
        user_id: Some(&user.id),
        run_at: now,
        max_attempts: INVITATION_MAIL.max_attempts,
    };
    crate::db::queue::enqueue(&mut *tx, job).await?;
    tx.commit().await?;
    state.wake_worker.notify_one();
    Ok(Invited { id, link: None })
}

fn mail_invitation<'a>(state: &'a AppState, job: &'a ClaimedJob) -> JobFuture<'a> {
    Box::pin(async move {
        let InvitationMail { invitation_id } = serde_json::from_str(&job.payload)?;
        let now = crate::clock::now();
        let live = store::find_invitation(&state.db, &invitation_id)
            .await?
            .filter(|i| i.outcome.is_none() && i.expires_at > now && !i.sent_to.is_empty());
        let Some(invitation) = live else { return crate::jobs::complete(state.db.begin().await?, job).await };
        let token = new_token();
        let link = format!("{}/together/join/{token}", state.config.base_url());
        let message = mails::invitation(&invitation.inviter_name, &link)
            .render(&state.config.instance_name, &invitation.sent_to)?;
        let mut tx = crate::jobs::mail::deliver(state, Some(&invitation.inviter_id), &message).await?;
        store::set_token(&mut *tx, &invitation.id, &hash_token(&token), now).await?;
        crate::jobs::complete(tx, job).await
    })
}

/// The live invitation behind a link, if it is one.
pub async fn invitation(state: &AppState, token: &str) -> Result<Option<InvitationRecord>, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    Ok(store::live_invitation(&state.db.pool, &hash_token(token), crate::clock::now()).await?)
}

/// Accept: both become partners, if neither has one.
pub async fn accept(
    state: &AppState,
    user: &CurrentUser,
    token: &str,
    user_agent: &str,
) -> Result<Partner, AppError> {
    user.require_verified("link with a partner")?;
    let invitation = invitation(state, token).await?.ok_or(AppError::NotFound)?;
    if invitation.inviter_id == user.id {
        return Err(conflict(
            "invitation",
            "This is your own invitation: send it to the person you want to link with.",
        ));
    }
    let now = crate::clock::now();
    let mut tx = state.db.begin().await?;
    // Both accounts are held in one order, and this session must still stand:
    // a safety reset either finishes first (and this is refused) or after.
    let mut both = [user.id.as_str(), invitation.inviter_id.as_str()];
    both.sort_unstable();
    for member in both {
        store::lock_member(&mut tx, member).await?;
    }
    if !accounts::session_stands(&mut *tx, &user.id, &user.session_id).await? {
        return Err(AppError::Unauthorized);
    }
    if !store::end_invitation(&mut *tx, &invitation.id, None, "accepted", now).await? {
        return Err(AppError::NotFound);
    }
    for (who, message) in [
        (&user.id, "You are linked with someone already. Unlink first to accept this invitation."),
        (
            &invitation.inviter_id,
            "The person who invited you is linked with someone else now, so this invitation no longer works.",
        ),
    ] {
        if store::partner_of(&mut *tx, who).await?.is_some() {
            return Err(conflict("invitation", message));
        }
    }
    store::link(&mut tx, &invitation.inviter_id, &user.id, now).await?;
    // Their other invitations have done their work.
    store::revoke_all(&mut *tx, &invitation.inviter_id, now).await?;
    store::revoke_all(&mut *tx, &user.id, now).await?;
    tx.commit().await?;
    // Each account's owner is told that it was linked, and nobody else.
    security::record(state, Owner::of(user), SecurityEvent::PartnerLinked, user_agent).await?;
    if let Some(inviter) =
        crate::features::accounts::store::find_user(&state.db, &invitation.inviter_id).await?
    {
        security::record(state, Owner::of_record(&inviter), SecurityEvent::PartnerLinked, "").await?;
    }
    store::partner_of(&state.db.pool, &user.id).await?.ok_or(AppError::NotFound)
}

/// Decline: the inviter learns only that it was not accepted.
pub async fn decline(state: &AppState, user: &CurrentUser, token: &str) -> Result<(), AppError> {
    let invitation = invitation(state, token).await?.ok_or(AppError::NotFound)?;
    if invitation.inviter_id == user.id {
        return Err(AppError::NotFound);
    }
    store::end_invitation(&state.db.pool, &invitation.id, None, "declined", crate::clock::now()).await?;
    Ok(())
}

pub async fn revoke(state: &AppState, user: &CurrentUser, id: &str) -> Result<(), AppError> {
    if store::end_invitation(&state.db.pool, id, Some(&user.id), "revoked", crate::clock::now()).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Unlink at once: the link, its shares and both members' Together notices
/// go in one transaction. Nothing is sent to anyone.
pub async fn unlink(state: &AppState, user: &CurrentUser) -> Result<bool, AppError> {
    let mut tx = state.db.begin().await?;
    let Some(partner) = store::unlink(&mut tx, &user.id).await? else { return Ok(false) };
    notices::delete_kind(&mut *tx, &user.id, NOTICE_KIND).await?;
    notices::delete_kind(&mut *tx, &partner.partner_id, NOTICE_KIND).await?;
    tx.commit().await?;
    Ok(true)
}

/// How an invitation stands, as its inviter sees it: "not accepted" whether
/// it was declined or ran out, so a refusal says nothing more.
pub fn invitation_status(i: &InvitationRecord, now: i64) -> &'static str {
    match i.outcome.as_deref() {
        Some("accepted") => "Accepted",
        Some("revoked") => "Revoked",
        Some(_) => "Not accepted",
        None if i.expires_at <= now => "Not accepted",
        None => "Waiting",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(outcome: Option<&str>, expires_at: i64) -> InvitationRecord {
        InvitationRecord {
            id: "i".into(),
            inviter_id: "a".into(),
            inviter_name: "A".into(),
            sent_to: String::new(),
            created_at: 0,
            expires_at,
            outcome: outcome.map(str::to_owned),
        }
    }

    #[test]
    fn a_refusal_and_a_link_that_ran_out_read_the_same() {
        assert_eq!(invitation_status(&record(Some("declined"), 100), 50), "Not accepted");
        assert_eq!(invitation_status(&record(None, 100), 150), "Not accepted");
        assert_eq!(invitation_status(&record(None, 100), 50), "Waiting");
        assert_eq!(invitation_status(&record(Some("accepted"), 100), 50), "Accepted");
        assert_eq!(invitation_status(&record(Some("revoked"), 100), 50), "Revoked");
    }
}
