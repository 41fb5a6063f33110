//! What the account pages and the account API both do, so the handlers stay
//! thin: signing in, asking for the password again, the profile, the
//! password, signing out and roles. Sign-up, address confirmation, email
//! changes and password resets have their own files.

use super::mails::SecurityEvent;
use super::security::{self, Owner};
use super::store::{self, UserRecord};
use super::{device, password, sessions, throttle, tokens, validate};
use crate::passwords::{Lane, PasswordError};
use crate::state::AppState;
use crate::web::client::ClientInfo;
use crate::web::{AppError, CurrentUser, FieldErrors, Role};

#[derive(Debug)]
pub enum SignInError {
    /// The email and password do not match an account (the same answer for both).
    Mismatch,
    /// Too many recent failures: wait this many seconds.
    Throttled(i64),
    /// Too many passwords are being checked right now: try again shortly.
    Busy,
    /// The password matched, but an admin has disabled the account.
    Disabled,
    Internal(AppError),
}

impl From<sqlx::Error> for SignInError {
    fn from(e: sqlx::Error) -> Self {
        SignInError::Internal(e.into())
    }
}

impl From<anyhow::Error> for SignInError {
    fn from(e: anyhow::Error) -> Self {
        SignInError::Internal(e.into())
    }
}

impl From<SignInError> for AppError {
    fn from(e: SignInError) -> Self {
        match e {
            SignInError::Mismatch => {
                let mut errors = FieldErrors::new();
                errors.add("password", MISMATCH);
                AppError::Validation(errors)
            }
            SignInError::Throttled(seconds) => {
                AppError::TooManyRequests { message: throttled_message(seconds), retry_after: seconds }
            }
            SignInError::Busy => AppError::Busy { retry_after: crate::passwords::BUSY_RETRY_AFTER },
            SignInError::Disabled => {
                let mut errors = FieldErrors::new();
                errors.add("email", DISABLED);
                AppError::Validation(errors)
            }
            SignInError::Internal(e) => e,
        }
    }
}

pub const MISMATCH: &str = "That email address and password do not match an account. \
A new account can sign in once the link we mailed has confirmed its address.";

/// Said only to someone who gave the account's own password.
pub const DISABLED: &str = "This account is disabled, so it cannot sign in. \
The person who runs this site can tell you why, and can enable it again.";

pub fn throttled_message(seconds: i64) -> String {
    format!(
        "There have been several unsuccessful attempts. Please wait {} and try again.",
        crate::clock::wait_in_words(seconds)
    )
}

/// A member who just signed in: the account and the cookies to set (a new
/// session, and the refreshed known-device cookie).
pub struct SignedIn {
    pub user: UserRecord,
    pub session_id: String,
    pub cookies: Vec<String>,
}

impl SignedIn {
    /// The member as the pages of this same response see them.
    pub fn current_user(&self) -> CurrentUser {
        let facts = sessions::SessionFacts { session_id: self.session_id.clone(), ..Default::default() };
        sessions::current_user(self.user.clone(), facts)
    }
}

/// Check an email and password and start a new session (a fresh token every
/// time). `device_cookie` is the known-device cookie the browser sent, if any.
pub async fn sign_in(
    state: &AppState,
    raw_email: &str,
    plain_password: &str,
    client: &ClientInfo,
    device_cookie: Option<&str>,
) -> Result<SignedIn, SignInError> {
    // No account's password is longer than this: nothing to check, and a huge
    // one would only cost memory and time.
    if plain_password.chars().count() > password::MAX_LEN {
        return Err(SignInError::Mismatch);
    }
    let Ok(email) = validate::normalize_email(raw_email) else {
        // Not an address any account can have: nothing to count or look up, but
        // the same answer after the same work as a wrong password.
        return match state
            .passwords
            .verify(plain_password.to_owned(), None, Lane::Address(&client.address))
            .await
        {
            Err(PasswordError::Busy) => Err(SignInError::Busy),
            Err(PasswordError::Internal(e)) => Err(e.into()),
            Ok(_) => Err(SignInError::Mismatch),
        };
    };
    let user = store::find_user_by_email(&state.db, &email).await?;
    let key = device::DeviceKey::new(state.device_key().await?);
    let known_device = match (&user, device_cookie) {
        (Some(u), Some(cookie)) => key.verify(cookie, &u.id, &u.password_hash),
        _ => None,
    };
    let scopes = throttle::sign_in_scopes(
        &email,
        user.as_ref().map(|u| u.id.as_str()),
        &client.address,
        known_device.as_deref(),
    );
    // A place to check the password first: an address that already has its
    // few checks in flight is turned away before anything is written.
    let lane = if known_device.is_some() { Lane::Known } else { Lane::Address(&client.address) };
    let admission = state.passwords.admit(lane).map_err(|_| SignInError::Busy)?;
    if let Some(wait) = store::reserve_attempt(&state.db, &scopes, crate::clock::now_ms()).await? {
        return Err(SignInError::Throttled(wait));
    }
    let matched = match state
        .passwords
        .verify_admitted(admission, plain_password.to_owned(), user.as_ref().map(|u| u.password_hash.clone()))
        .await
    {
        Ok(matched) => matched,
        Err(PasswordError::Busy) => {
            // Nothing was checked, so nothing counts against anyone.
            store::release_attempt(&state.db, &scopes).await?;
            return Err(SignInError::Busy);
        }
        Err(PasswordError::Internal(e)) => return Err(e.into()),
    };
    // A failure stays counted: its attempt was reserved above. An account
    // whose address is not confirmed yet answers as a wrong password would:
    // whoever made it with someone else's address must not learn, by signing
    // in, that the address was free.
    let Some(user) = user.filter(|u| matched && u.email_verified_at.is_some()) else {
        return Err(SignInError::Mismatch);
    };
    store::clear_attempts(&state.db, &scopes).await?;
    if user.disabled_at.is_some() {
        return Err(SignInError::Disabled);
    }
    // A first sign-in is on a device not seen before by definition; no notice for it.
    if known_device.is_none() && user.last_sign_in_at.is_some() {
        let owner = Owner::of_record(&user);
        security::record(state, owner, SecurityEvent::NewDevice, &client.user_agent)
            .await
            .map_err(SignInError::Internal)?;
    }
    start_signed_in(state, user, &client.user_agent, device_cookie).await.map_err(SignInError::Internal)
}

/// A new session and a refreshed known-device cookie for a member who just
/// proved who they are (a password, a reset link, a confirmed address).
pub async fn start_signed_in(
    state: &AppState,
    user: UserRecord,
    user_agent: &str,
    device_cookie: Option<&str>,
) -> Result<SignedIn, AppError> {
    // A reset or confirmation link never opens a disabled account either.
    if user.disabled_at.is_some() {
        return Err(AppError::Forbidden);
    }
    let key = device::DeviceKey::new(state.device_key().await?);
    let known_device = device_cookie.and_then(|c| key.verify(c, &user.id, &user.password_hash)).is_some();
    // A first sign-in is on the account's first device, not a new one.
    let on_new_device = !known_device && user.last_sign_in_at.is_some();
    let (session, session_id) = sessions::start(state, &user.id, user_agent, on_new_device).await?;
    store::mark_signed_in(&state.db, &user.id, crate::clock::now()).await?;
    let device = device::set_cookie_value(
        state.config.serves_https(),
        &key.remember(device_cookie, &user.id, &user.password_hash),
    );
    Ok(SignedIn { user, session_id, cookies: vec![session, device] })
}

/// Ask for the password again inside a session (email change, export, deletion):
/// throttled per account like signing in, with the attempt reserved first.
pub async fn confirm_password(
    state: &AppState,
    user: &CurrentUser,
    plain: &str,
    field: &str,
) -> Result<(), AppError> {
    if plain.chars().count() > password::MAX_LEN {
        let mut errors = FieldErrors::new();
        errors.add(field, "That is not your current password.");
        return Err(AppError::Validation(errors));
    }
    let scopes = [throttle::reenter_scope(&user.id, &user.session_id)];
    if let Some(wait) = store::reserve_attempt(&state.db, &scopes, crate::clock::now_ms()).await? {
        return Err(AppError::TooManyRequests { message: throttled_message(wait), retry_after: wait });
    }
    let record = store::find_user(&state.db, &user.id).await?.ok_or(AppError::Unauthorized)?;
    let matched =
        match state.passwords.verify(plain.to_owned(), Some(record.password_hash), Lane::Known).await {
            Ok(m) => m,
            Err(e) => {
                store::release_attempt(&state.db, &scopes).await?;
                return Err(e.into());
            }
        };
    if matched {
        store::clear_attempts(&state.db, &scopes).await?;
        Ok(())
    } else {
        let mut errors = FieldErrors::new();
        errors.add(field, "That is not your current password.");
        Err(AppError::Validation(errors))
    }
}

pub async fn update_profile(
    state: &AppState,
    user: &CurrentUser,
    display_name: &str,
    time_zone: &str,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    let name = validate::display_name(display_name).map_err(|e| errors.add("display_name", e)).ok();
    let tz = validate::time_zone(time_zone).map_err(|e| errors.add("time_zone", e)).ok();
    let (Some(name), Some(tz)) = (name, tz) else {
        return Err(AppError::Validation(errors));
    };
    store::update_profile(&state.db, &user.id, &name, &tz).await?;
    Ok(())
}

/// Change the password and end every other session. Returns the new
/// known-device cookie for this device.
pub async fn change_password(
    state: &AppState,
    user: &CurrentUser,
    current: &str,
    new_password: &str,
    confirm: &str,
    device_cookie: Option<&str>,
    user_agent: &str,
) -> Result<String, AppError> {
    let mut errors = FieldErrors::new();
    if let Err(e) = password::check_policy(new_password, &user.email, &user.display_name) {
        errors.add("new_password", e);
    } else if new_password != confirm {
        errors.add("confirm_password", "The two new passwords are not the same.");
    }
    errors.into_result()?;
    confirm_password(state, user, current, "current_password").await?;
    let old_hash = store::find_user(&state.db, &user.id).await?.ok_or(AppError::Unauthorized)?.password_hash;
    let hash = state.passwords.hash(new_password.to_owned(), Lane::Known).await?;
    // One change: the new password, the other sessions gone, and no reset link
    // or pending email change left that was asked for under the old one.
    let mut tx = state.db.begin().await?;
    store::update_password(&mut *tx, &user.id, &hash).await?;
    store::delete_other_sessions(&mut *tx, &user.id, &user.session_id).await?;
    let now = crate::clock::now();
    tokens::spend_all(&mut tx, &user.id, &[tokens::Purpose::Reset, tokens::Purpose::ConfirmEmail], now)
        .await?;
    tx.commit().await?;
    let owner = Owner::of(user);
    security::record(state, owner, SecurityEvent::PasswordChanged, user_agent).await?;
    // Known-device entries were signed with the old hash and no longer count;
    // this device just proved the password, so it stays known.
    let key = device::DeviceKey::new(state.device_key().await?);
    let others = key.forget(device_cookie, &user.id, &old_hash);
    Ok(device::set_cookie_value(
        state.config.serves_https(),
        &key.remember(others.as_deref(), &user.id, &hash),
    ))
}

/// End one of the member's sessions; another device's ending is a security event.
pub async fn end_session(
    state: &AppState,
    user: &CurrentUser,
    session_id: &str,
    user_agent: &str,
) -> Result<(), AppError> {
    if !store::delete_session(&state.db, &user.id, session_id).await? {
        return Err(AppError::NotFound);
    }
    if session_id != user.session_id {
        let owner = Owner::of(user);
        security::record(state, owner, SecurityEvent::SessionEnded, user_agent).await?;
    }
    Ok(())
}

/// End every session but this one (a security event when there were others).
pub async fn end_other_sessions(
    state: &AppState,
    user: &CurrentUser,
    user_agent: &str,
) -> Result<(), AppError> {
    if store::delete_other_sessions(&state.db.pool, &user.id, &user.session_id).await? > 0 {
        let owner = Owner::of(user);
        security::record(state, owner, SecurityEvent::OtherSessionsEnded, user_agent).await?;
    }
    Ok(())
}

pub async fn sign_out(state: &AppState, user: &CurrentUser) -> Result<(), AppError> {
    store::delete_session(&state.db, &user.id, &user.session_id).await?;
    // Their pages kept here leave memory with them (another device of theirs
    // still signed in draws its next page afresh).
    state.member_copies.forget_member(&user.id);
    Ok(())
}

/// Change a role, keeping at least one admin on the instance.
pub async fn set_role(state: &AppState, user_id: &str, role: Role) -> Result<(), AppError> {
    let target = store::find_user(&state.db, user_id).await?.ok_or(AppError::NotFound)?;
    if role == Role::Admin && target.disabled_at.is_some() {
        return Err(AppError::Conflict(
            "This account is disabled. Enable it before making it an admin.".to_owned(),
        ));
    }
    if target.role == Role::Admin && role != Role::Admin && store::count_admins(&state.db).await? <= 1 {
        return Err(AppError::Conflict(
            "This is the only admin. Make someone else an admin first.".to_owned(),
        ));
    }
    store::set_role(&state.db, user_id, role).await?;
    Ok(())
}
