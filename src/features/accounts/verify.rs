//! Confirming the address an account was made with. Until then a member can
//! use everything that is theirs alone; what reaches another person waits
//! (`CurrentUser::require_verified`). Confirming does not sign anyone in: a
//! link in a mail proves only that someone could read that inbox.

use axum::extract::{Path, State};
use axum::response::Response;

use super::tokens::{self, Purpose};
use super::{ADDRESS_CONFIRMED, VERIFY_SENT, links, mails, store};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser, Layout, MaybeUser, redirect_with_flash};

/// Mark the address confirmed; the account it belongs to, or None when the
/// link no longer works.
pub async fn confirm(state: &AppState, token: &str) -> Result<Option<String>, AppError> {
    let now = crate::clock::now();
    let mut tx = state.db.begin().await?;
    let Some(t) = tokens::spend(&mut *tx, token, Purpose::Verify, now).await? else {
        return Ok(None);
    };
    // The link confirms the address it was sent to, not one changed since.
    let current = store::find_user(&state.db, &t.user_id).await?;
    if current.as_ref().is_some_and(|u| u.email == t.email) {
        store::mark_verified(&mut *tx, &t.user_id, now).await?;
    }
    tx.commit().await?;
    Ok(Some(t.user_id))
}

/// A new link for a member who has not confirmed yet (the older ones stop
/// working). At most one mail each ten minutes, however often they ask.
pub async fn send_again(state: &AppState, user: &CurrentUser) -> Result<(), AppError> {
    if user.email_verified {
        return Ok(());
    }
    let now = crate::clock::now();
    let mut tx = state.db.begin().await?;
    tokens::spend_all(&mut *tx, &user.id, Purpose::Verify, now).await?;
    let token = tokens::issue(&mut *tx, &user.id, Purpose::Verify, &user.email, now).await?;
    let link = format!("{}/verify/{token}", state.config.base_url());
    let message = mails::verify(&link).render(&state.config.instance_name, &user.email)?;
    let key = format!("verify-again:{}:{}", user.id, now / 600);
    crate::jobs::mail::send(&mut *tx, Some(&user.id), message, key).await?;
    tx.commit().await?;
    state.jobs_waiting.notify_one();
    Ok(())
}

pub async fn confirm_page(
    layout: Layout,
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    if tokens::peek(&state.db, &token, Purpose::Verify, crate::clock::now()).await?.is_none() {
        return links::spent(layout, "Sign in to have a new link sent", "/settings");
    }
    links::confirm(
        layout,
        "Confirm your email address",
        "This tells us the address is yours, so we can reach you if you ever need to choose a new password.",
        "Confirm my address",
        format!("/verify/{token}"),
    )
}

pub async fn confirm_submit(
    layout: Layout,
    user: MaybeUser,
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Some(owner) = confirm(&state, &token).await? else {
        return links::spent(layout, "Sign in to have a new link sent", "/settings");
    };
    // Signed in here as that member: carry on. Anyone else: sign in first.
    let to = if user.0.is_some_and(|u| u.id == owner) { "/" } else { "/signin" };
    Ok(redirect_with_flash(to, &ADDRESS_CONFIRMED))
}

pub async fn send_again_submit(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    send_again(&state, &user).await?;
    Ok(redirect_with_flash("/settings", &VERIFY_SENT))
}
