//! What the account pages and the account API both do, so the handlers stay thin.

use super::store::{self, InsertUserError, UserRecord};
use super::{password, sessions, throttle, validate};
use crate::app::AppState;
use crate::web::client::ClientInfo;
use crate::web::{AppError, CurrentUser, FieldErrors, Role};

pub struct SignUp<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub time_zone: Option<&'a str>,
}

/// Create a member account and sign them in. Returns the member and the
/// session cookie.
pub async fn sign_up(
    state: &AppState,
    input: SignUp<'_>,
    client: &ClientInfo,
) -> Result<(UserRecord, String), AppError> {
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
    let user = create_user(state, &email, &name, input.password, Role::Member, &time_zone).await?;
    let cookie = sessions::start(state, &user.id, &client.user_agent).await?;
    Ok((user, cookie))
}

/// Create an account with a role (used by sign-up, the CLI and demo data).
pub async fn create_user(
    state: &AppState,
    email: &str,
    display_name: &str,
    plain_password: &str,
    role: Role,
    time_zone: &str,
) -> Result<UserRecord, AppError> {
    let password_hash = password::hash(plain_password.to_owned()).await?;
    store::insert_user(
        &state.db,
        store::NewUser { email, display_name, password_hash: &password_hash, role, time_zone },
    )
    .await
    .map_err(|e| match e {
        InsertUserError::EmailTaken => {
            let mut errors = FieldErrors::new();
            errors
                .add("email", "An account with this email address already exists. You can sign in instead.");
            AppError::Validation(errors)
        }
        InsertUserError::Db(e) => e.into(),
    })
}

#[derive(Debug)]
pub enum SignInError {
    /// The email and password do not match an account (the same answer for both).
    Mismatch,
    /// Too many recent failures: wait this many seconds.
    Throttled(i64),
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
            SignInError::Internal(e) => e,
        }
    }
}

pub const MISMATCH: &str = "That email address and password do not match an account.";

pub fn throttled_message(seconds: i64) -> String {
    format!(
        "There have been several unsuccessful attempts. Please wait {seconds} second{} and try again.",
        if seconds == 1 { "" } else { "s" }
    )
}

/// Check an email and password and start a new session (a fresh token every time).
pub async fn sign_in(
    state: &AppState,
    raw_email: &str,
    plain_password: &str,
    client: &ClientInfo,
) -> Result<(UserRecord, String), SignInError> {
    let email = validate::normalize_email(raw_email).unwrap_or_else(|_| raw_email.trim().to_lowercase());
    let scopes = throttle::Scopes::new(&email, &client.address);
    let now = crate::clock::now();
    let local = store::failures_for(&state.db, &[scopes.pair.clone(), scopes.address.clone()]).await?;
    let account =
        store::failures_for(&state.db, std::slice::from_ref(&scopes.account)).await?.first().copied();
    let wait = throttle::seconds_to_wait(now, &local, account);
    if wait > 0 {
        return Err(SignInError::Throttled(wait));
    }

    let user = store::find_user_by_email(&state.db, &email).await?;
    let matched =
        password::verify(plain_password.to_owned(), user.as_ref().map(|u| u.password_hash.clone())).await?;
    let Some(user) = user.filter(|_| matched) else {
        let forget_before = now - throttle::FORGET_AFTER;
        for scope in [&scopes.pair, &scopes.address, &scopes.account] {
            store::record_failure(&state.db, scope, now, forget_before).await?;
        }
        return Err(SignInError::Mismatch);
    };
    store::clear_failures(&state.db, &[scopes.pair, scopes.account]).await?;
    let cookie = sessions::start(state, &user.id, &client.user_agent).await?;
    Ok((user, cookie))
}

async fn confirm_password(
    state: &AppState,
    user: &CurrentUser,
    plain: &str,
    field: &str,
) -> Result<(), AppError> {
    // Someone holding an unlocked session must not be able to guess the password
    // quickly either: the same growing waits as signing in, counted per account.
    let scope = format!("reenter:{}", user.id);
    let now = crate::clock::now();
    let wait = throttle::seconds_to_wait(
        now,
        &store::failures_for(&state.db, std::slice::from_ref(&scope)).await?,
        None,
    );
    if wait > 0 {
        return Err(AppError::TooManyRequests { message: throttled_message(wait), retry_after: wait });
    }
    let record = store::find_user(&state.db, &user.id).await?.ok_or(AppError::Unauthorized)?;
    if password::verify(plain.to_owned(), Some(record.password_hash)).await? {
        store::clear_failures(&state.db, &[scope]).await?;
        Ok(())
    } else {
        store::record_failure(&state.db, &scope, now, now - throttle::FORGET_AFTER).await?;
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
    store::update_email(&state.db, &user.id, &email).await.map_err(|e| match e {
        InsertUserError::EmailTaken => {
            let mut errors = FieldErrors::new();
            errors.add("new_email", "Another account already uses this email address.");
            AppError::Validation(errors)
        }
        InsertUserError::Db(e) => e.into(),
    })
}

/// Change the password and end every other session.
pub async fn change_password(
    state: &AppState,
    user: &CurrentUser,
    current: &str,
    new_password: &str,
    confirm: &str,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    if let Err(e) = password::check_policy(new_password, &user.email, &user.display_name) {
        errors.add("new_password", e);
    } else if new_password != confirm {
        errors.add("confirm_password", "The two new passwords are not the same.");
    }
    errors.into_result()?;
    confirm_password(state, user, current, "current_password").await?;
    let hash = password::hash(new_password.to_owned()).await?;
    store::update_password(&state.db, &user.id, &hash).await?;
    store::delete_other_sessions(&state.db, &user.id, &user.session_id).await?;
    Ok(())
}

/// Delete the account and everything in it, after the password is entered again.
pub async fn delete_account(
    state: &AppState,
    user: &CurrentUser,
    plain_password: &str,
) -> Result<(), AppError> {
    confirm_password(state, user, plain_password, "password").await?;
    store::delete_user_and_data(&state.db, &user.id).await?;
    Ok(())
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
