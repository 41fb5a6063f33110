//! "Forgot your password?": an address in, the same answer whether or not an
//! account uses it. The lookup, the per-account limit and the mail happen in
//! a job, so the answer takes the same time either way. The link works once,
//! for 30 minutes; choosing the new password signs out every device, sends a
//! security notice and signs the member in here. An admin can send the link
//! too; it goes to the member's address, never to the admin.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::link_mail::{self, LinkRequest};
use super::mails::SecurityEvent;
use super::security::{self, Owner};
use super::signup::with_retry_after;
use super::tokens::{self, Purpose};
use super::{PASSWORD_RESET, links, password, service, store, throttle, validate};
use crate::passwords::Lane;
use crate::state::AppState;
use crate::web::client::ClientInfo;
use crate::web::cookies::with_cookie;
use crate::web::{
    AppError, FieldErrors, Layout, SessionChange, redirect_with_flash, render, render_with_status,
};

/// Queue a reset link for whoever uses `email` (nothing happens when nobody does).
pub async fn request_by_address(state: &AppState, email: &str, client: &ClientInfo) -> Result<(), AppError> {
    let scopes = [throttle::reset_from_address_scope(&client.address)];
    if let Some(wait) = store::reserve_attempt(&state.db, &scopes, crate::clock::now_ms()).await? {
        return Err(AppError::TooManyRequests {
            message: format!("Please wait {} before asking again.", crate::clock::wait_in_words(wait)),
            retry_after: wait,
        });
    }
    link_mail::queue(&state.db.pool, &LinkRequest::ResetByAddress { email: email.to_owned() }, None).await?;
    state.wake_worker.notify_one();
    Ok(())
}

/// An admin sends a member a reset link (to the member's own address).
pub async fn request_by_admin(state: &AppState, user_id: &str) -> Result<(), AppError> {
    store::find_user(&state.db, user_id).await?.ok_or(AppError::NotFound)?;
    link_mail::queue(&state.db.pool, &LinkRequest::ResetByAdmin { user_id: user_id.to_owned() }, None)
        .await?;
    state.wake_worker.notify_one();
    Ok(())
}

/// Choose the new password with a live link: every session ends, the owner
/// is told, and a new session starts here.
pub async fn complete(
    state: &AppState,
    token: &str,
    new_password: &str,
    confirm: &str,
    client: &ClientInfo,
    device_cookie: Option<&str>,
) -> Result<Option<service::SignedIn>, AppError> {
    let now = crate::clock::now();
    let Some(t) = tokens::peek(&state.db, token, Purpose::Reset, now).await? else { return Ok(None) };
    let user = store::find_user(&state.db, &t.user_id).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    if user.disabled_at.is_some() {
        // Nothing is changed or spent: the link stays as it was.
        errors.add("new_password", service::DISABLED);
    } else if let Err(e) = password::check_policy(new_password, &user.email, &user.display_name) {
        errors.add("new_password", e);
    } else if new_password != confirm {
        errors.add("confirm_password", "The two passwords are not the same.");
    }
    errors.into_result()?;
    let hash = state.passwords.hash(new_password.to_owned(), Lane::Address(&client.address)).await?;
    let mut tx = state.db.begin().await?;
    if tokens::spend(&mut *tx, token, Purpose::Reset, now).await?.is_none() {
        return Ok(None);
    }
    // Other reset links, a pending email change, an old confirmation link: all spent.
    // (An undo link to the old address stays: it is the owner's way back.)
    tokens::spend_all(&mut tx, &user.id, &[Purpose::Reset, Purpose::Verify, Purpose::ConfirmEmail], now)
        .await?;
    store::update_password(&mut *tx, &user.id, &hash).await?;
    store::delete_all_sessions(&mut *tx, &user.id).await?;
    // The link came to this address, so it is theirs.
    store::mark_verified(&mut *tx, &user.id, now).await?;
    tx.commit().await?;
    // The link came to this address, so it is confirmed now.
    let owner = Owner { user_id: &user.id, email: &user.email, verified: true, time_zone: &user.time_zone };
    security::record(state, owner, SecurityEvent::PasswordReset, &client.user_agent).await?;
    let user = store::find_user(&state.db, &user.id).await?.ok_or(AppError::NotFound)?;
    Ok(Some(service::start_signed_in(state, user, &client.user_agent, device_cookie).await?))
}

// ---- pages -------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "accounts/forgot.html")]
struct ForgotPage {
    layout: Layout,
    email: String,
    errors: FieldErrors,
    notice: Option<String>,
    /// Set once a request was taken: the same words for every address.
    sent_to: Option<String>,
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

pub async fn forgot_page(layout: Layout) -> Result<Response, AppError> {
    render(ForgotPage {
        layout,
        email: String::new(),
        errors: FieldErrors::new(),
        notice: None,
        sent_to: None,
    })
}

pub async fn forgot_submit(
    State(state): State<AppState>,
    layout: Layout,
    client: ClientInfo,
    Form(form): Form<ForgotForm>,
) -> Result<Response, AppError> {
    let email = match validate::normalize_email(&form.email) {
        Ok(email) => email,
        Err(e) => {
            let mut errors = FieldErrors::new();
            errors.add("email", e);
            let page = ForgotPage { layout, email: form.email, errors, notice: None, sent_to: None };
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page);
        }
    };
    match request_by_address(&state, &email, &client).await {
        Ok(()) => render(ForgotPage {
            layout,
            email: String::new(),
            errors: FieldErrors::new(),
            notice: None,
            sent_to: Some(email),
        }),
        Err(AppError::TooManyRequests { message, retry_after }) => {
            let page = ForgotPage {
                layout,
                email: form.email,
                errors: FieldErrors::new(),
                notice: Some(message),
                sent_to: None,
            };
            Ok(with_retry_after(render_with_status(StatusCode::TOO_MANY_REQUESTS, page)?, Some(retry_after)))
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "accounts/reset.html")]
struct ResetPage {
    layout: Layout,
    action: String,
    errors: FieldErrors,
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

pub async fn reset_page(
    layout: Layout,
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    if tokens::peek(&state.db, &token, Purpose::Reset, crate::clock::now()).await?.is_none() {
        return links::spent(layout, "Ask for a new link", "/forgot");
    }
    render(ResetPage { layout, action: format!("/reset/{token}"), errors: FieldErrors::new() })
}

pub async fn reset_submit(
    State(state): State<AppState>,
    layout: Layout,
    client: ClientInfo,
    headers: axum::http::HeaderMap,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> Result<Response, AppError> {
    let known = super::device::from_headers(&headers, state.config.serves_https());
    match complete(&state, &token, &form.new_password, &form.confirm_password, &client, known).await {
        Ok(Some(signed_in)) => {
            let mut response = redirect_with_flash("/", &PASSWORD_RESET);
            for cookie in &signed_in.cookies {
                response = with_cookie(response, cookie);
            }
            Ok(SessionChange::SignedIn { user_id: signed_in.user.id.clone() }.mark(response))
        }
        Ok(None) => links::spent(layout, "Ask for a new link", "/forgot"),
        Err(AppError::Validation(errors)) => render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            ResetPage { layout, action: format!("/reset/{token}"), errors },
        ),
        Err(e) => Err(e),
    }
}
