//! Mail that carries a single-use link: confirm an address, choose a new
//! password, confirm or undo an email change. A request only queues what it
//! wants sent; the job makes the token as it sends the mail and keeps only the
//! token's hash, so no link ever waits in the database. Looking the account up
//! in the job also means the request takes the same time whether or not an
//! account uses the address it was given.

use serde::{Deserialize, Serialize};

use super::mails::{self, ResetAskedBy};
use super::store::{self, UserRecord};
use super::throttle;
use super::tokens::{self, NewToken, Purpose, TokenFor};
use crate::jobs::{ClaimedJob, JobFuture, JobKind, NewJob};
use crate::state::AppState;

pub const JOB: JobKind = JobKind { name: "account-link", max_attempts: 8, run };

/// What to send.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum LinkRequest {
    /// A new account's address. `browser` is the hash of the sign-up form's
    /// cookie: the link signs in that browser, and no other.
    Verify { user_id: String, browser: Option<String> },
    /// The confirmation link again, for whoever waits at this address.
    VerifyAgain { email: String },
    /// "Forgot your password?": for whoever uses this address.
    ResetByAddress { email: String },
    /// An admin sends a member a reset link (to the member's own address).
    ResetByAdmin { user_id: String },
    /// An email change: the link that confirms it, to the new address.
    ConfirmEmail { user_id: String, new_email: String },
    /// An email change: the link that undoes it, to the old address.
    UndoEmail { user_id: String, old_email: String },
}

/// Queue a link mail. `dedupe_key`, when given, makes a repeat within its
/// window one mail. False when nothing was queued.
pub async fn queue<'c, E>(
    executor: E,
    request: &LinkRequest,
    dedupe_key: Option<String>,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let user_id = match request {
        LinkRequest::Verify { user_id, .. }
        | LinkRequest::ResetByAdmin { user_id }
        | LinkRequest::ConfirmEmail { user_id, .. }
        | LinkRequest::UndoEmail { user_id, .. } => Some(user_id.as_str()),
        LinkRequest::VerifyAgain { .. } | LinkRequest::ResetByAddress { .. } => None,
    };
    let payload = serde_json::to_string(request).map_err(|e| sqlx::Error::Encode(e.into()))?;
    let job = NewJob {
        kind: JOB.name,
        payload,
        dedupe_key,
        user_id,
        run_at: crate::clock::now(),
        max_attempts: JOB.max_attempts,
    };
    crate::db::queue::enqueue(executor, job).await
}

/// One link mail, decided: to whom, for what, and what older links it replaces.
struct Link {
    user: UserRecord,
    to: String,
    purpose: Purpose,
    /// The address the token carries.
    token_email: String,
    browser: Option<String>,
    replaces: &'static [Purpose],
    words: fn(&str) -> crate::mail::Content,
}

fn run<'a>(state: &'a AppState, job: &'a ClaimedJob) -> JobFuture<'a> {
    Box::pin(async move {
        let request: LinkRequest = serde_json::from_str(&job.payload)?;
        let Some(link) = decide(state, &request).await? else {
            // Nobody to write to (or not now): nothing to send, and the asker heard the same.
            return crate::jobs::complete(state.db.begin().await?, job).await;
        };
        let new = NewToken::make();
        let base = state.config.base_url();
        let path = match link.purpose {
            Purpose::Verify => "verify",
            Purpose::Reset => "reset",
            Purpose::ConfirmEmail => "email/confirm",
            Purpose::CancelEmail => "email/undo",
        };
        let message = (link.words)(&format!("{base}/{path}/{}", new.token))
            .render(&state.config.instance_name, &link.to)?;
        let mut tx = crate::jobs::mail::deliver(state, Some(&link.user.id), &message).await?;
        let now = crate::clock::now();
        tokens::spend_all(&mut tx, &link.user.id, link.replaces, now).await?;
        let token_for = TokenFor {
            user_id: &link.user.id,
            purpose: link.purpose,
            email: &link.token_email,
            browser_hash: link.browser.as_deref(),
        };
        tokens::store(&mut tx, &new.hash, token_for, now).await?;
        crate::jobs::complete(tx, job).await
    })
}

async fn decide(state: &AppState, request: &LinkRequest) -> anyhow::Result<Option<Link>> {
    let db = &state.db;
    let link = |user: UserRecord, purpose, to: String, browser, replaces, words| Link {
        token_email: to.clone(),
        user,
        to,
        purpose,
        browser,
        replaces,
        words,
    };
    Ok(match request {
        LinkRequest::Verify { user_id, browser } => {
            store::find_user(db, user_id).await?.filter(|u| u.email_verified_at.is_none()).map(|u| {
                let to = u.email.clone();
                link(u, Purpose::Verify, to, browser.clone(), &[Purpose::Verify], mails::verify)
            })
        }
        LinkRequest::VerifyAgain { email } => match store::find_user_by_email(db, email).await? {
            Some(u) if u.email_verified_at.is_none() => {
                let browser = tokens::latest_browser(db, &u.id).await?;
                let to = u.email.clone();
                Some(link(u, Purpose::Verify, to, browser, &[Purpose::Verify], mails::verify))
            }
            _ => None,
        },
        // A disabled account is sent no reset link: it could not use one.
        LinkRequest::ResetByAddress { email } => match store::find_user_by_email(db, email).await? {
            Some(u) if u.disabled_at.is_none() => {
                let scopes = [throttle::reset_for_account_scope(&u.id)];
                if store::reserve_attempt(db, &scopes, crate::clock::now_ms()).await?.is_some() {
                    // Enough links for now; the person asking hears the same either way.
                    None
                } else {
                    let to = u.email.clone();
                    Some(link(u, Purpose::Reset, to, None, &[Purpose::Reset], |l| {
                        mails::reset(l, ResetAskedBy::SomeoneWithTheAddress)
                    }))
                }
            }
            _ => None,
        },
        LinkRequest::ResetByAdmin { user_id } => {
            store::find_user(db, user_id).await?.filter(|u| u.disabled_at.is_none()).map(|u| {
                let to = u.email.clone();
                link(u, Purpose::Reset, to, None, &[Purpose::Reset], |l| mails::reset(l, ResetAskedBy::Admin))
            })
        }
        LinkRequest::ConfirmEmail { user_id, new_email } => store::find_user(db, user_id).await?.map(|u| {
            // Only the newest request counts.
            link(
                u,
                Purpose::ConfirmEmail,
                new_email.clone(),
                None,
                &[Purpose::ConfirmEmail],
                mails::confirm_new_address,
            )
        }),
        LinkRequest::UndoEmail { user_id, old_email } => store::find_user(db, user_id).await?.map(|u| {
            link(u, Purpose::CancelEmail, old_email.clone(), None, &[], mails::address_change_asked)
        }),
    })
}
