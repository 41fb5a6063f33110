//! Who may watch: memberships (granted by a coach, a code or a payment), and
//! the check every library request makes.

pub mod coach;
pub mod pages;
pub mod payments;
pub mod rules;
pub mod store;

use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

/// Whether this person may watch now. Coaches and admins always may (they
/// look after the library); a member needs a membership that holds at this
/// moment: it is read from the database on every request, so a revocation
/// or an expiry counts from the very next one, on every instance.
pub async fn may_watch(state: &AppState, user: &CurrentUser) -> Result<bool, AppError> {
    if user.role.is_staff() {
        return Ok(true);
    }
    Ok(store::has_access(&state.db, &user.id, crate::clock::now()).await?)
}

/// Like `may_watch`, after taking up a paid membership waiting for this
/// member's confirmed address (bought before they had an account).
pub async fn may_watch_claiming(state: &AppState, user: &CurrentUser) -> Result<bool, AppError> {
    if user.email_verified && !user.role.is_staff() {
        store::claim_pending(&state.db, &user.id, &user.email, crate::clock::now()).await?;
    }
    may_watch(state, user).await
}
