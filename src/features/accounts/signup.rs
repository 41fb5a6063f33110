//! Sign-up. The answer is the same for a new address and one that already has
//! an account ("check your inbox to finish"), so the form cannot tell anyone
//! whether a person uses this service. A new account gets a link to confirm
//! its address; an address already in use gets a mail saying someone tried,
//! with ways to sign in or choose a new password.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::link_mail::{self, LinkRequest};
use super::store::{self, UserRecord};
use super::tokens::{self, NewToken, Purpose};
use super::{mails, password, throttle, validate};
use crate::passwords::Lane;
use crate::state::AppState;
use crate::web::client::ClientInfo;
use crate::web::{
    AppError, FieldErrors, Layout, MaybeUser, OnUnique, Role, SessionChange, render, render_with_status,
};

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
    /// Accounts made by the operator (CLI, demo) start with their address confirmed.
    pub verified: bool,
}

/// What became of a sign-up. Both answer the person the same way.
#[derive(Debug)]
pub enum SignedUp {
    /// A new account, waiting for its address to be confirmed.
    Created(UserRecord),
    /// The address already has this account; its owner is told someone tried.
    AddressInUse(UserRecord),
}

impl SignedUp {
    /// The mark learn follows: a visitor's answers move into a new account, and
    /// leave this browser either way (so the two answers look alike).
    pub fn session_change(&self) -> SessionChange {
        match self {
            SignedUp::Created(user) => SessionChange::SignedUp { user_id: Some(user.id.clone()) },
            SignedUp::AddressInUse(_) => SessionChange::SignedUp { user_id: None },
        }
    }
}

/// The cookie the sign-up form sets, in both answers: a new account's link
/// signs in the browser that holds it, and no other.
pub const SIGN_UP_COOKIE: &str = "sb_signup";

/// A sign-up's answer: what became of it, and the cookie for this browser.
pub struct SignUpAnswer {
    pub outcome: SignedUp,
    /// A `Set-Cookie` value, alike for both outcomes.
    pub cookie: String,
}

/// Check the form, then make the account (or tell the address's owner that
/// someone tried). Every sign-up from an address counts against it, as the
/// answer gives nothing away either way. The new account cannot be signed in
/// to with its password until its address is confirmed: otherwise whoever
/// signs up with an address could learn, by signing in, whether it was free.
pub async fn sign_up(
    state: &AppState,
    input: SignUp<'_>,
    client: &ClientInfo,
) -> Result<SignUpAnswer, AppError> {
    let scopes = [throttle::sign_up_scope(&client.address)];
    if let Some(wait) = store::reserve_attempt(&state.db, &scopes, crate::clock::now_ms()).await? {
        return Err(AppError::TooManyRequests {
            message: super::service::throttled_message(wait),
            retry_after: wait,
        });
    }
    let result = create_member(state, input, &client.address).await;
    if matches!(result, Err(AppError::Busy { .. })) {
        // Nothing was tried, so nothing counts.
        store::release_attempt(&state.db, &scopes).await?;
    }
    let outcome = result?;
    if let SignedUp::Created(user) = &outcome {
        store::claim_attempts(&state.db, &user.id, &throttle::email_hash(&user.email)).await?;
    }
    let browser = NewToken::make();
    let now = crate::clock::now();
    let base = state.config.base_url();
    let mut tx = state.db.begin().await?;
    match &outcome {
        SignedUp::Created(user) => {
            let request =
                LinkRequest::Verify { user_id: user.id.clone(), browser: Some(browser.hash.clone()) };
            link_mail::queue(&mut *tx, &request, None).await?;
        }
        SignedUp::AddressInUse(owner) => {
            let message =
                mails::sign_up_with_known_address(&format!("{base}/signin"), &format!("{base}/forgot"))
                    .render(&state.config.instance_name, &owner.email)?;
            // At most one such mail an hour, however often someone tries.
            let key = format!("sign-up-tried:{}:{}", owner.id, now / 3600);
            crate::jobs::mail::send(&mut *tx, Some(&owner.id), message, key).await?;
        }
    }
    tx.commit().await?;
    state.wake_worker.notify_one();
    let cookie = crate::web::cookies::set_cookie(
        SIGN_UP_COOKIE,
        &browser.token,
        Some(Purpose::Verify.lifetime_seconds()),
    );
    Ok(SignUpAnswer { outcome, cookie })
}

async fn create_member(state: &AppState, input: SignUp<'_>, address: &str) -> Result<SignedUp, AppError> {
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
        verified: false,
    };
    // The password is hashed whether or not the address is in use, so the
    // two answers take the same time.
    let held = tokens::address_held(&state.db, &email, crate::clock::now()).await?;
    let owner_id = match create_user_unless(state, new, Lane::Address(address), held.is_some()).await {
        Ok(user) => return Ok(SignedUp::Created(user)),
        Err(AppError::Validation(errors)) if errors.get("email").is_some() => held,
        Err(e) => return Err(e),
    };
    // The address has an account, or an account may still take it back (a
    // changed address within its undo link's week): that account is told.
    let owner = match owner_id {
        Some(id) => store::find_user(&state.db, &id).await?,
        None => store::find_user_by_email(&state.db, &email).await?,
    };
    let mut owner =
        owner.ok_or_else(|| AppError::Internal(anyhow::anyhow!("the address's owner is gone")))?;
    // Held for an account that moved away from it: the mail goes to the held address.
    owner.email = email;
    Ok(SignedUp::AddressInUse(owner))
}

/// Create the account unless its address is held for another (the password
/// is hashed either way, so both take the same time).
async fn create_user_unless(
    state: &AppState,
    new: NewAccount<'_>,
    lane: Lane<'_>,
    held: bool,
) -> Result<UserRecord, AppError> {
    if held {
        state.passwords.hash(new.password.to_owned(), lane).await?;
        let mut errors = FieldErrors::new();
        errors.add("email", "This address is held for another account.");
        return Err(AppError::Validation(errors));
    }
    create_user(state, new, lane).await
}

/// Create an account with a role (sign-up, the CLI and demo data).
pub async fn create_user(
    state: &AppState,
    new: NewAccount<'_>,
    lane: Lane<'_>,
) -> Result<UserRecord, AppError> {
    let password_hash = state.passwords.hash(new.password.to_owned(), lane).await?;
    create_user_hashed(state, new, &password_hash).await
}

/// An account whose password was hashed already (the demo's people share one
/// password, so it is hashed once); `new.password` is not read.
pub async fn create_user_hashed(
    state: &AppState,
    new: NewAccount<'_>,
    password_hash: &str,
) -> Result<UserRecord, AppError> {
    let NewAccount { email, display_name, password: _, role, time_zone, verified } = new;
    let verified_at = verified.then(crate::clock::now);
    store::insert_user(
        &state.db,
        store::NewUser { email, display_name, password_hash, role, time_zone, verified_at },
    )
    .await
    .on_unique("email", "An account with this email address already exists.")
}

// ---- the page ------------------------------------------------------------------

/// One entry of a time-zone menu.
pub struct ZoneOption {
    pub name: String,
    pub selected: bool,
}

/// The common zones, plus the chosen one when it is not among them.
pub fn zone_options(chosen: &str) -> Vec<ZoneOption> {
    let mut names: Vec<&str> = validate::COMMON_TIME_ZONES.to_vec();
    if !chosen.is_empty() && !names.contains(&chosen) && validate::time_zone(chosen).is_ok() {
        names.insert(0, chosen);
    }
    names.into_iter().map(|n| ZoneOption { name: n.to_owned(), selected: n == chosen }).collect()
}

#[derive(Template)]
#[template(path = "accounts/signup.html")]
struct SignUpPage {
    layout: Layout,
    email: String,
    display_name: String,
    errors: FieldErrors,
    zones: Vec<ZoneOption>,
    /// Why nothing happened when it was not the fields (too many tries, busy).
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts/check_inbox.html")]
struct CheckInboxPage {
    layout: Layout,
    email: String,
}

#[derive(Deserialize)]
pub struct SignUpForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    time_zone: String,
}

pub async fn sign_up_page(layout: Layout, user: MaybeUser) -> Result<Response, AppError> {
    if user.0.is_some() {
        return Ok(axum::response::Redirect::to("/").into_response());
    }
    render(SignUpPage {
        layout,
        email: String::new(),
        display_name: String::new(),
        errors: FieldErrors::new(),
        zones: zone_options("UTC"),
        notice: None,
    })
}

pub const BUSY: &str = "Many people are signing in at once. Please try again in a few seconds.";

pub async fn sign_up_submit(
    State(state): State<AppState>,
    layout: Layout,
    client: ClientInfo,
    Form(form): Form<SignUpForm>,
) -> Result<Response, AppError> {
    let input = SignUp {
        email: &form.email,
        display_name: &form.display_name,
        password: &form.password,
        time_zone: Some(&form.time_zone),
    };
    match sign_up(&state, input, &client).await {
        Ok(answer) => {
            let email = validate::normalize_email(&form.email).unwrap_or(form.email);
            let page = render(CheckInboxPage { layout, email })?;
            let page = crate::web::cookies::with_cookie(page, &answer.cookie);
            Ok(answer.outcome.session_change().mark(page))
        }
        Err(e) => {
            // The form comes back with what was typed (never the password).
            let (status, errors, notice, retry_after) = match e {
                AppError::Validation(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None, None),
                AppError::TooManyRequests { message, retry_after } => {
                    (StatusCode::TOO_MANY_REQUESTS, FieldErrors::new(), Some(message), Some(retry_after))
                }
                AppError::Busy { retry_after } => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    FieldErrors::new(),
                    Some(BUSY.to_owned()),
                    Some(retry_after),
                ),
                other => return Err(other),
            };
            let page = SignUpPage {
                layout,
                email: form.email,
                display_name: form.display_name,
                errors,
                zones: zone_options(&form.time_zone),
                notice,
            };
            Ok(with_retry_after(render_with_status(status, page)?, retry_after))
        }
    }
}

pub fn with_retry_after(mut response: Response, seconds: Option<i64>) -> Response {
    if let Some(seconds) = seconds
        && let Ok(v) = HeaderValue::from_str(&seconds.max(1).to_string())
    {
        response.headers_mut().insert("retry-after", v);
    }
    response
}
