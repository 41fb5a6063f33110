//! What the account pages and the account API both do, so the handlers stay thin.

use super::store::{self, UserRecord};
use super::{device, password, sessions, throttle, validate};
use crate::passwords::{Lane, PasswordError};
use crate::state::AppState;
use crate::web::client::ClientInfo;
use crate::web::{AppError, CurrentUser, FieldErrors, OnUnique, Role};

pub struct SignUp<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub time_zone: Option<&'a str>,
}

/// An account to create.
pub struct NewAccount<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub role: Role,
    pub time_zone: &'a str,
}

/// Create a member account and sign them in. Returns the member and the
/// session cookie. Sign-ups from one address that fail (a taken address, bad
/// input) are counted like failed sign-ins, so the form cannot be used to probe
/// quickly for who has an account.
pub async fn sign_up(
    state: &AppState,
    input: SignUp<'_>,
    client: &ClientInfo,
) -> Result<(UserRecord, String), AppError> {
    let scopes = [throttle::sign_up_scope(&client.address)];
    if let Some(wait) = store::reserve_attempt(&state.db, &scopes, crate::clock::now_ms()).await? {
        return Err(AppError::TooManyRequests { message: throttled_message(wait), retry_after: wait });
    }
    let result = create_member(state, input, &client.address).await;
    if matches!(result, Ok(_) | Err(AppError::Busy { .. })) {
        // Only what did not work counts against the address.
        store::release_attempt(&state.db, &scopes).await?;
    }
    let user = result?;
    store::claim_attempts(&state.db, &user.id, &throttle::email_hash(&user.email)).await?;
    let (cookie, _) = sessions::start(state, &user.id, &client.user_agent).await?;
    Ok((user, cookie))
}

async fn create_member(state: &AppState, input: SignUp<'_>, address: &str) -> Result<UserRecord, AppError> {
    let mut errors = FieldErrors::new();
    let email = validate::normalize_email(input.email).map_err(|e| errors.add("email", e)).ok();
    let name = validate::display_name(input.display_name).map_err(|e| errors.add("display_name", e)).ok();
    if let Err(e) = password::check_policy(input.password, input.email, input.display_name) {
        errors.add("password", e);
    }
    let time_zone = match input.time_zone.filter(|t| !t.trim().is_empty()) {
        Some(tz) => validate::time_zone(tz).map_err(|e| errors.add("time_zone", e)).ok(),
        None => Some("UTC".to_owned()),
    };
    let (Some(email), Some(name), Some(time_zone), true) = (email, name, time_zone, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let new = NewAccount {
        email: &email,
        display_name: &name,
        password: input.password,
        role: Role::Member,
        time_zone: &time_zone,
    };
    create_user(state, new, Lane::Address(address)).await
}

/// Create an account with a role (used by sign-up, the CLI and demo data).
pub async fn create_user(
    state: &AppState,
    new: NewAccount<'_>,
    lane: Lane<'_>,
) -> Result<UserRecord, AppError> {
    let NewAccount { email, display_name, password: plain_password, role, time_zone } = new;
    let password_hash = state.passwords.hash(plain_password.to_owned(), lane).await?;
    store::insert_user(
        &state.db,
        store::NewUser { email, display_name, password_hash: &password_hash, role, time_zone },
    )
    .await
    .on_unique("email", "An account with this email address already exists. You can sign in instead.")
}

#[derive(Debug)]
pub enum SignInError {
    /// The email and password do not match an account (the same answer for both).
    Mismatch,
    /// Too many recent failures: wait this many seconds.
    Throttled(i64),
    /// Too many passwords are being checked right now: try again shortly.
    Busy,
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
            SignInError::Internal(e) => e,
        }
    }
}

pub const MISMATCH: &str = "That email address and password do not match an account.";

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
        CurrentUser {
            id: self.user.id.clone(),
            email: self.user.email.clone(),
            display_name: self.user.display_name.clone(),
            role: self.user.role,
            time_zone: self.user.time_zone.clone(),
            session_id: self.session_id.clone(),
        }
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
    // A failure stays counted: its attempt was reserved above.
    let Some(user) = user.filter(|_| matched) else {
        return Err(SignInError::Mismatch);
    };
    store::clear_attempts(&state.db, &scopes).await?;
    let secure = state.config.serves_https();
    let (session, session_id) = sessions::start(state, &user.id, &client.user_agent).await?;
    let device =
        device::set_cookie_value(secure, &key.remember(device_cookie, &user.id, &user.password_hash));
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

pub async fn change_email(
    state: &AppState,
    user: &CurrentUser,
    new_email: &str,
    plain_password: &str,
) -> Result<(), AppError> {
    let email = validate::normalize_email(new_email).map_err(|e| {
        let mut errors = FieldErrors::new();
        errors.add("new_email", e);
        AppError::Validation(errors)
    })?;
    confirm_password(state, user, plain_password, "email_password").await?;
    // Whether an address is taken is an answer about someone else: few, and slow.
    let scopes = [throttle::email_change_scope(&user.id)];
    if let Some(wait) = store::reserve_attempt(&state.db, &scopes, crate::clock::now_ms()).await? {
        return Err(AppError::TooManyRequests {
            message: format!(
                "You have changed your email address several times just now. Please wait {} and try again.",
                crate::clock::wait_in_words(wait)
            ),
            retry_after: wait,
        });
    }
    store::update_email(&state.db, &user.id, &email)
        .await
        .on_unique("new_email", "Another account already uses this email address.")?;
    store::claim_attempts(&state.db, &user.id, &throttle::email_hash(&email)).await?;
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
    store::update_password(&state.db, &user.id, &hash).await?;
    store::delete_other_sessions(&state.db, &user.id, &user.session_id).await?;
    // Known-device entries were signed with the old hash and no longer count;
    // this device just proved the password, so it stays known.
    let key = device::DeviceKey::new(state.device_key().await?);
    let others = key.forget(device_cookie, &user.id, &old_hash);
    Ok(device::set_cookie_value(
        state.config.serves_https(),
        &key.remember(others.as_deref(), &user.id, &hash),
    ))
}

pub async fn sign_out(state: &AppState, user: &CurrentUser) -> Result<(), AppError> {
    store::delete_session(&state.db, &user.id, &user.session_id).await?;
    Ok(())
}

/// Change a role, keeping at least one admin on the instance.
pub async fn set_role(state: &AppState, user_id: &str, role: Role) -> Result<(), AppError> {
    let target = store::find_user(&state.db, user_id).await?.ok_or(AppError::NotFound)?;
    if target.role == Role::Admin && role != Role::Admin && store::count_admins(&state.db).await? <= 1 {
        return Err(AppError::Conflict(
            "This is the only admin. Make someone else an admin first.".to_owned(),
        ));
    }
    store::set_role(&state.db, user_id, role).await?;
    Ok(())
}
