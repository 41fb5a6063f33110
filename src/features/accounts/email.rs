//! Changing the email address. The change waits until the new address
//! confirms it; the old address is told at once, with a link that undoes the
//! change (even after it was confirmed) and signs out every device. Whether a
//! new address is already taken is never said to the person asking: only the
//! holder of that inbox learns it, when they open the link.

use axum::extract::{Path, State};
use axum::response::Response;

use super::link_mail::{self, LinkRequest};
use super::mails::SecurityEvent;
use super::security::{self, Owner};
use super::tokens::{self, Purpose};
use super::{
    ADDRESS_IN_USE, EMAIL_CHANGE_SENT, EMAIL_CHANGE_UNDONE, EMAIL_CHANGED, UNDO_ADDRESS_TAKEN, links, store,
    throttle, validate,
};
use crate::state::AppState;
use crate::web::client::ClientInfo;
use crate::web::{AppError, CurrentUser, FieldErrors, Layout, redirect_with_flash};

/// Ask for the change: the password again, then a link to the new address
/// and a notice (with an undo link) to the old one.
pub async fn request_change(
    state: &AppState,
    user: &CurrentUser,
    new_email: &str,
    plain_password: &str,
) -> Result<String, AppError> {
    let field_error = |message: &str| {
        let mut errors = FieldErrors::new();
        errors.add("new_email", message);
        AppError::Validation(errors)
    };
    let email = validate::normalize_email(new_email).map_err(&field_error)?;
    if email == user.email {
        return Err(field_error("This is already the address of your account."));
    }
    super::service::confirm_password(state, user, plain_password, "email_password").await?;
    let scopes = [throttle::email_change_scope(&user.id)];
    if let Some(wait) = store::reserve_attempt(&state.db, &scopes, crate::clock::now_ms()).await? {
        return Err(AppError::TooManyRequests {
            message: format!(
                "You have asked to change your email address several times just now. Please wait {} and try again.",
                crate::clock::wait_in_words(wait)
            ),
            retry_after: wait,
        });
    }
    let mut tx = state.db.begin().await?;
    let confirm = LinkRequest::ConfirmEmail { user_id: user.id.clone(), new_email: email.clone() };
    link_mail::queue(&mut *tx, &confirm, None).await?;
    if user.email_verified {
        let undo = LinkRequest::UndoEmail { user_id: user.id.clone(), old_email: user.email.clone() };
        link_mail::queue(&mut *tx, &undo, None).await?;
    }
    tx.commit().await?;
    state.wake_worker.notify_one();
    Ok(email)
}

/// What became of a confirmation.
pub enum Confirmed {
    Changed,
    /// Another account took the address meanwhile; nothing changed.
    AddressInUse,
    /// The link was used, replaced or ran out.
    Spent,
}

pub async fn confirm_change(state: &AppState, token: &str, user_agent: &str) -> Result<Confirmed, AppError> {
    let now = crate::clock::now();
    let Some(t) = tokens::peek(&state.db, token, Purpose::ConfirmEmail, now).await? else {
        return Ok(Confirmed::Spent);
    };
    let Some(user) = store::find_user(&state.db, &t.user_id).await? else { return Ok(Confirmed::Spent) };
    // An address another account may still take back (its undo link) is not free.
    let held_by = tokens::address_held(&state.db, &t.email, now).await?;
    let mut tx = state.db.begin().await?;
    if tokens::spend(&mut *tx, token, Purpose::ConfirmEmail, now).await?.is_none() {
        return Ok(Confirmed::Spent);
    }
    if held_by.is_some_and(|id| id != user.id) || !store::update_email(&mut *tx, &user.id, &t.email).await? {
        tx.commit().await?;
        return Ok(Confirmed::AddressInUse);
    }
    store::mark_verified_for(&mut tx, &user.id, &t.email, now).await?;
    tx.commit().await?;
    store::claim_attempts(&state.db, &user.id, &throttle::email_hash(&t.email)).await?;
    // The notice goes to the address the account had: its owner may not be the one who changed it.
    let owner = Owner::of_record(&user);
    security::record(state, owner, SecurityEvent::EmailChanged, user_agent).await?;
    Ok(Confirmed::Changed)
}

/// What became of an undo.
pub enum Undone {
    /// The account has its old address again; every session ended.
    Restored,
    /// Every session ended and every link spent, but another account has the
    /// old address (it was free before the undo link held it).
    AddressTaken,
    Spent,
}

/// From the old address: cancel the change (or undo it, if it was confirmed),
/// spend every other link of the account, and sign out every device.
pub async fn undo_change(state: &AppState, token: &str, user_agent: &str) -> Result<Undone, AppError> {
    let now = crate::clock::now();
    let Some(t) = tokens::peek(&state.db, token, Purpose::CancelEmail, now).await? else {
        return Ok(Undone::Spent);
    };
    let Some(user) = store::find_user(&state.db, &t.user_id).await? else { return Ok(Undone::Spent) };
    let mut tx = state.db.begin().await?;
    if tokens::spend(&mut *tx, token, Purpose::CancelEmail, now).await?.is_none() {
        return Ok(Undone::Spent);
    }
    // No link that could still change the account outlives the undo: not the
    // other side's confirmation, not a later change's undo, not a reset.
    tokens::spend_all(&mut tx, &user.id, tokens::EVERY_PURPOSE, now).await?;
    let restored = user.email == t.email || store::update_email(&mut *tx, &user.id, &t.email).await?;
    store::delete_all_sessions(&mut *tx, &user.id).await?;
    tx.commit().await?;
    // Undo links are only sent to a confirmed address.
    let owner = Owner { user_id: &user.id, email: &t.email, verified: true, time_zone: &user.time_zone };
    security::record(state, owner, SecurityEvent::EmailChangeUndone, user_agent).await?;
    Ok(if restored { Undone::Restored } else { Undone::AddressTaken })
}

// ---- the pages the links open ------------------------------------------------------

pub async fn confirm_page(
    layout: Layout,
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    if tokens::peek(&state.db, &token, Purpose::ConfirmEmail, crate::clock::now()).await?.is_none() {
        return links::spent(layout, "Go to your settings", "/settings");
    }
    links::confirm(
        layout,
        "Confirm your new address",
        "Your account will use this address from now on: you sign in with it, and mail about your account comes here.",
        "Use this address",
        format!("/email/confirm/{token}"),
    )
}

pub async fn confirm_submit(
    layout: Layout,
    State(state): State<AppState>,
    client: ClientInfo,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    match confirm_change(&state, &token, &client.user_agent).await? {
        Confirmed::Changed => Ok(redirect_with_flash("/settings", &EMAIL_CHANGED)),
        Confirmed::AddressInUse => Ok(redirect_with_flash("/settings", &ADDRESS_IN_USE)),
        Confirmed::Spent => links::spent(layout, "Go to your settings", "/settings"),
    }
}

pub async fn undo_page(
    layout: Layout,
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    if tokens::peek(&state.db, &token, Purpose::CancelEmail, crate::clock::now()).await?.is_none() {
        return links::spent(layout, "Choose a new password", "/forgot");
    }
    links::confirm(
        layout,
        "Undo the change of address",
        "Your account goes back to this address, and every device signed in to it is signed out. Afterwards, choose a new password: someone may know yours.",
        "Undo the change and sign out everywhere",
        format!("/email/undo/{token}"),
    )
}

pub async fn undo_submit(
    layout: Layout,
    State(state): State<AppState>,
    client: ClientInfo,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let flash = match undo_change(&state, &token, &client.user_agent).await? {
        Undone::Restored => &EMAIL_CHANGE_UNDONE,
        Undone::AddressTaken => &UNDO_ADDRESS_TAKEN,
        Undone::Spent => return links::spent(layout, "Choose a new password", "/forgot"),
    };
    let clear = super::sessions::clear_cookie_value(state.config.serves_https());
    let response = crate::web::cookies::with_cookie(redirect_with_flash("/forgot", flash), &clear);
    Ok(crate::web::SessionChange::SignedOut.mark(response))
}

/// After asking: settings, with word that the link is on its way.
pub fn after_request() -> Response {
    redirect_with_flash("/settings", &EMAIL_CHANGE_SENT)
}
