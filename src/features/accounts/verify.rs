//! Confirming the address an account was made with. A new account cannot be
//! signed in to with its password until then (see `signup`). The link signs
//! in only the browser that signed up (its cookie's hash rides with the
//! token): a link in a mail proves only that someone could read that inbox,
//! and that may be a partner.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::link_mail::{self, LinkRequest};
use super::signup::SIGN_UP_COOKIE;
use super::tokens::{self, Purpose};
use super::{ADDRESS_CONFIRMED, LINK_FOR_OLD_ADDRESS, VERIFY_SENT, WELCOME, links, service, store, throttle};
use crate::state::AppState;
use crate::web::auth::cookie;
use crate::web::client::ClientInfo;
use crate::web::cookies::{clear_cookie, with_cookie};
use crate::web::{AppError, CurrentUser, Layout, MaybeUser, SessionChange, redirect_with_flash};

/// What a confirmation came to.
pub enum Confirmed {
    /// Confirmed; signed in here when this is the browser that signed up.
    Yes { user_id: String, signed_in: Option<Box<service::SignedIn>> },
    /// The account's address changed since the link was sent: nothing was marked.
    AddressChanged,
    /// Used, replaced, or run out.
    Spent,
}

pub async fn confirm(
    state: &AppState,
    token: &str,
    browser_cookie: Option<&str>,
    client: &ClientInfo,
) -> Result<Confirmed, AppError> {
    let now = crate::clock::now();
    let mut tx = state.db.begin().await?;
    let Some(t) = tokens::spend(&mut *tx, token, Purpose::Verify, now).await? else {
        return Ok(Confirmed::Spent);
    };
    if !store::mark_verified_for(&mut tx, &t.user_id, &t.email, now).await? {
        tx.commit().await?;
        return Ok(Confirmed::AddressChanged);
    }
    tx.commit().await?;
    let same_browser = match (browser_cookie, &t.browser_hash) {
        (Some(c), Some(h)) => crate::features::accounts::sessions::hash_token(c) == *h,
        _ => false,
    };
    if !same_browser {
        return Ok(Confirmed::Yes { user_id: t.user_id, signed_in: None });
    }
    let user = store::find_user(&state.db, &t.user_id).await?.ok_or(AppError::NotFound)?;
    let signed_in = service::start_signed_in(state, user, &client.user_agent, None).await?;
    Ok(Confirmed::Yes { user_id: t.user_id, signed_in: Some(Box::new(signed_in)) })
}

/// The confirmation link again, for whoever waits at `email` (nothing when no
/// unconfirmed account uses it; the asker hears the same). One mail in ten
/// minutes at most; the links sent before stop working when it goes.
pub async fn send_again(state: &AppState, email: &str) -> Result<(), AppError> {
    let key = format!("verify-again:{}:{}", throttle::email_hash(email), crate::clock::now() / 600);
    link_mail::queue(&state.db.pool, &LinkRequest::VerifyAgain { email: email.to_owned() }, Some(key))
        .await?;
    state.wake_worker.notify_one();
    Ok(())
}

pub async fn confirm_page(
    layout: Layout,
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    if tokens::peek(&state.db, &token, Purpose::Verify, crate::clock::now()).await?.is_none() {
        return links::spent(layout, "Have a new link sent", "/signin#again");
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
    State(state): State<AppState>,
    current: MaybeUser,
    client: ClientInfo,
    headers: axum::http::HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    match confirm(&state, &token, cookie(&headers, SIGN_UP_COOKIE), &client).await? {
        Confirmed::Yes { signed_in: Some(signed_in), .. } => {
            let mut response = with_cookie(redirect_with_flash("/", &WELCOME), &clear_cookie(SIGN_UP_COOKIE));
            for c in &signed_in.cookies {
                response = with_cookie(response, c);
            }
            Ok(SessionChange::SignedIn { user_id: signed_in.user.id.clone() }.mark(response))
        }
        // Already signed in to that account here (a link asked for from the settings page).
        Confirmed::Yes { user_id, signed_in: None }
            if current.0.as_ref().is_some_and(|u| u.id == user_id) =>
        {
            Ok(redirect_with_flash("/", &ADDRESS_CONFIRMED))
        }
        Confirmed::Yes { signed_in: None, .. } => Ok(redirect_with_flash("/signin", &ADDRESS_CONFIRMED)),
        Confirmed::AddressChanged => Ok(redirect_with_flash("/signin", &LINK_FOR_OLD_ADDRESS)),
        Confirmed::Spent => links::spent(layout, "Have a new link sent", "/signin#again"),
    }
}

#[derive(Deserialize)]
pub struct AgainForm {
    #[serde(default)]
    email: String,
}

/// "Send the link again", from the sign-in page: the same answer for every address.
pub async fn again_submit(
    State(state): State<AppState>,
    client: ClientInfo,
    Form(form): Form<AgainForm>,
) -> Result<Response, AppError> {
    let scopes = [throttle::reset_from_address_scope(&client.address)];
    if store::reserve_attempt(&state.db, &scopes, crate::clock::now_ms()).await?.is_none()
        && let Ok(email) = super::validate::normalize_email(&form.email)
    {
        send_again(&state, &email).await?;
    }
    Ok(redirect_with_flash("/signin", &VERIFY_SENT))
}

/// From the settings page, for a member whose address is not confirmed.
pub async fn send_again_submit(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    if !user.email_verified {
        send_again(&state, &user.email).await?;
    }
    Ok(redirect_with_flash("/settings", &VERIFY_SENT))
}
