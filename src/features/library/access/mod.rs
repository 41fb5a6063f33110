//! Who may watch: memberships (granted by a coach, a code or a payment), and
//! the check every library request makes.

pub mod coach;
pub mod pages;
pub mod payments;
pub mod rules;
pub mod store;

use crate::features::accounts::store as accounts;
use crate::features::accounts::throttle::{Rule, Scope};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

/// Codes a member may try before waiting (the wait grows to a quarter of an hour).
pub const CODE_TRIES: Rule = Rule { free: 10, max_wait_seconds: 15 * 60 };

/// Redeems a code, counting tries per member so codes cannot be guessed in bulk.
pub async fn redeem(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
) -> Result<Result<(), store::RedeemRefusal>, AppError> {
    let scopes = [Scope {
        key: format!("library-code:{}", user.id),
        rule: CODE_TRIES,
        user_id: Some(user.id.clone()),
        email_hash: None,
    }];
    if let Some(wait) = accounts::reserve_attempt(&state.db, &scopes, crate::clock::now_ms()).await? {
        return Err(AppError::TooManyRequests {
            message: format!(
                "That was a lot of codes in a short time. Please wait {} and try again.",
                crate::clock::wait_in_words(wait)
            ),
            retry_after: wait,
        });
    }
    let result = store::redeem(&state.db, &user.id, code, crate::clock::now()).await?;
    if result.is_ok() {
        accounts::clear_attempts(&state.db, &scopes).await?;
    }
    Ok(result)
}

/// Whether this person may watch now. Coaches and admins always may (they
/// look after the library); a member needs a membership that holds at this
/// moment. It is read from the database on every request, with the session
/// (`accounts::store::find_live_session`), so a revocation or an expiry counts
/// from the very next one, on every instance.
pub fn may_watch(user: &CurrentUser) -> bool {
    // The session lookup read the membership in the same query as the session.
    user.role.is_staff() || user.library_access
}

/// Like `may_watch`, after taking up a paid membership waiting for this
/// member's confirmed address (bought before they had an account).
pub async fn may_watch_claiming(state: &AppState, user: &CurrentUser) -> Result<bool, AppError> {
    if user.email_verified
        && !user.role.is_staff()
        && !user.library_access
        && store::claim_pending(&state.db, &user.id, &user.email, crate::clock::now()).await?
    {
        return Ok(true);
    }
    Ok(may_watch(user))
}
