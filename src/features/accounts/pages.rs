//! Account pages: sign up, sign in, sign out, settings, sessions, export, deletion.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use super::service::{self, SignInError};
use super::{
    EMAIL_CHANGED, OTHERS_ENDED, PASSWORD_CHANGED, PROFILE_SAVED, SESSION_ENDED, SIGNED_OUT, WELCOME,
};
use super::{device, sessions, store, validate};
use crate::clock::format_in_zone;
use crate::state::AppState;
use crate::web::carry::{Carried, Keepers};
use crate::web::client::ClientInfo;
use crate::web::cookies::with_cookie;
use crate::web::flash::SIGNED_IN;
use crate::web::forms::{form_pairs, safe_next};
use crate::web::redirect_with_flash;
use crate::web::{AppError, CurrentUser, FieldErrors, Layout, SessionChange, render, render_with_status};

/// One entry of a time-zone menu.
pub struct ZoneOption {
    pub name: String,
    pub selected: bool,
}

/// The common zones, plus the chosen one when it is not among them.
fn zone_options(chosen: &str) -> Vec<ZoneOption> {
    let mut names: Vec<&str> = validate::COMMON_TIME_ZONES.to_vec();
    if !chosen.is_empty() && !names.contains(&chosen) && validate::time_zone(chosen).is_ok() {
        names.insert(0, chosen);
    }
    names.into_iter().map(|n| ZoneOption { name: n.to_owned(), selected: n == chosen }).collect()
}

// ---- sign up ---------------------------------------------------------------

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

pub async fn sign_up_page(layout: Layout, user: crate::web::MaybeUser) -> Result<Response, AppError> {
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

pub async fn sign_up(
    State(state): State<AppState>,
    layout: Layout,
    client: ClientInfo,
    Form(form): Form<SignUpForm>,
) -> Result<Response, AppError> {
    let input = service::SignUp {
        email: &form.email,
        display_name: &form.display_name,
        password: &form.password,
        time_zone: Some(&form.time_zone),
    };
    match service::sign_up(&state, input, &client).await {
        Ok((user, cookie)) => {
            let response = with_cookie(redirect_with_flash("/", &WELCOME), &cookie);
            Ok(SessionChange::SignedUp { user_id: user.id }.mark(response))
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

const BUSY: &str = "Many people are signing in at once. Please try again in a few seconds.";

fn with_retry_after(mut response: Response, seconds: Option<i64>) -> Response {
    if let Some(seconds) = seconds
        && let Ok(v) = HeaderValue::from_str(&seconds.max(1).to_string())
    {
        response.headers_mut().insert("retry-after", v);
    }
    response
}

// ---- sign in / out ---------------------------------------------------------

#[derive(Template)]
#[template(path = "accounts/signin.html")]
struct SignInPage {
    layout: Layout,
    email: String,
    next: String,
    errors: FieldErrors,
    notice: Option<String>,
    /// Writing that arrived after the session ended, carried through sign-in.
    carried: Option<Carried>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The sign-in form: email, password, where to go next, and any carried writing.
struct SignInForm {
    email: String,
    password: String,
    next: Option<String>,
    carried: Option<Carried>,
}

impl SignInForm {
    fn read(body: &[u8]) -> Self {
        let pairs = form_pairs(body);
        let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        SignInForm {
            email: get("email").unwrap_or_default(),
            password: get("password").unwrap_or_default(),
            next: get("next"),
            carried: Carried::from_pairs(&pairs),
        }
    }
}

pub async fn sign_in_page(
    layout: Layout,
    user: crate::web::MaybeUser,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    let next = safe_next(q.next.as_deref());
    if user.0.is_some() {
        return Ok(axum::response::Redirect::to(&next).into_response());
    }
    let notice = (next != "/").then(|| "Please sign in to continue.".to_owned());
    render(SignInPage {
        layout,
        email: String::new(),
        next,
        errors: FieldErrors::new(),
        notice,
        carried: None,
    })
}

/// The sign-in page shown instead of saving, when writing arrives after the
/// session ended: the text rides along in the form and is handed to its
/// feature's keeper once the member has signed in again.
pub fn sign_in_to_keep(layout: Layout, carried: Carried) -> Result<Response, AppError> {
    let page = SignInPage {
        layout,
        email: String::new(),
        next: "/".into(),
        errors: FieldErrors::new(),
        notice: Some(
            "You were signed out while you were writing. Your text is safe: sign in again and it will be waiting for you."
                .into(),
        ),
        carried: Some(carried),
    };
    render_with_status(StatusCode::UNAUTHORIZED, page)
}

pub async fn sign_in(
    State(state): State<AppState>,
    layout: Layout,
    client: ClientInfo,
    headers: axum::http::HeaderMap,
    keepers: Option<Extension<Keepers>>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let form = SignInForm::read(&body);
    let next = safe_next(form.next.as_deref());
    let failed =
        |errors: FieldErrors, notice: Option<String>, status: StatusCode, retry_after: Option<i64>| {
            let page = SignInPage {
                layout: layout.clone(),
                email: form.email.clone(),
                next: next.clone(),
                errors,
                notice,
                carried: form.carried.clone(),
            };
            Ok::<_, AppError>(with_retry_after(render_with_status(status, page)?, retry_after))
        };
    let known = device::from_headers(&headers, state.config.serves_https());
    match service::sign_in(&state, &form.email, &form.password, &client, known).await {
        Ok(signed_in) => {
            // Writing that arrived after the session ended goes to the feature it
            // came from, which keeps it (or shows it back with its problem named).
            let keeper = form.carried.as_ref().and_then(|c| keepers.as_ref()?.find(&c.kind).copied());
            let mut response = match (keeper, form.carried) {
                (Some(keeper), Some(carried)) => {
                    (keeper.keep)(state.clone(), signed_in.current_user(), carried).await?
                }
                _ => redirect_with_flash(&next, &SIGNED_IN),
            };
            for cookie in &signed_in.cookies {
                response = with_cookie(response, cookie);
            }
            Ok(SessionChange::SignedIn { user_id: signed_in.user.id.clone() }.mark(response))
        }
        Err(SignInError::Mismatch) => {
            let mut errors = FieldErrors::new();
            errors.add("password", service::MISMATCH);
            failed(errors, None, StatusCode::UNPROCESSABLE_ENTITY, None)
        }
        Err(SignInError::Throttled(seconds)) => failed(
            FieldErrors::new(),
            Some(service::throttled_message(seconds)),
            StatusCode::TOO_MANY_REQUESTS,
            Some(seconds),
        ),
        Err(SignInError::Busy) => failed(
            FieldErrors::new(),
            Some(BUSY.to_owned()),
            StatusCode::SERVICE_UNAVAILABLE,
            Some(crate::passwords::BUSY_RETRY_AFTER),
        ),
        Err(SignInError::Internal(e)) => Err(e),
    }
}

pub async fn sign_out(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    service::sign_out(&state, &user).await?;
    let mut response = redirect_with_flash("/", &SIGNED_OUT);
    let secure = state.config.serves_https();
    response = with_cookie(response, &sessions::clear_cookie_value(secure));
    // Leaves the browser holding nothing of this visit.
    response.headers_mut().insert("clear-site-data", HeaderValue::from_static("\"cache\", \"storage\""));
    Ok(SessionChange::SignedOut.mark(response))
}

// ---- quick exit ----------------------------------------------------------------

/// Quick exit without JavaScript: end this browser's session (on a shared
/// device the next person must not find it open), forget what the browser
/// holds (learn drops a visitor's answers on `SignedOut`), leave for the
/// neutral site.
pub async fn quick_exit(
    State(state): State<AppState>,
    user: crate::web::MaybeUser,
) -> Result<Response, AppError> {
    if let Some(u) = &user.0 {
        store::delete_session(&state.db, &u.id, &u.session_id).await?;
    }
    let response = axum::response::Redirect::to(&state.config.quick_exit_url).into_response();
    let response = with_cookie(response, &sessions::clear_cookie_value(state.config.serves_https()));
    Ok(SessionChange::SignedOut.mark(response))
}

/// The beacon `quick-exit.js` sends as the page leaves for the neutral site.
/// The session ends two seconds later, so the journal's last draft save, sent
/// as the page goes, still lands.
pub async fn quick_exit_beacon(State(state): State<AppState>, user: crate::web::MaybeUser) -> Response {
    if let Some(u) = user.0 {
        let db = state.db.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            if let Err(e) = store::delete_session(&db, &u.id, &u.session_id).await {
                tracing::warn!(error = %e, "quick exit could not end the session");
            }
        });
    }
    // The cookie stays until then too (the draft save carries it); the ended
    // session's cookie is cleared by the next request that brings it.
    SessionChange::SignedOut.mark(StatusCode::NO_CONTENT.into_response())
}

// ---- settings ----------------------------------------------------------------

#[derive(Template)]
#[template(path = "accounts/settings.html")]
struct SettingsPage {
    layout: Layout,
    display_name: String,
    email: String,
    new_email: String,
    errors: FieldErrors,
    zones: Vec<ZoneOption>,
}

impl SettingsPage {
    fn new(layout: Layout, user: &CurrentUser) -> Self {
        SettingsPage {
            layout,
            display_name: user.display_name.clone(),
            email: user.email.clone(),
            new_email: String::new(),
            errors: FieldErrors::new(),
            zones: zone_options(&user.time_zone),
        }
    }
}

pub async fn settings_page(layout: Layout, user: CurrentUser) -> Result<Response, AppError> {
    render(SettingsPage::new(layout, &user))
}

fn settings_error(page: SettingsPage, err: AppError) -> Result<Response, AppError> {
    match err {
        AppError::Validation(errors) => {
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, SettingsPage { errors, ..page })
        }
        other => Err(other),
    }
}

#[derive(Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    time_zone: String,
}

pub async fn save_profile(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Form(form): Form<ProfileForm>,
) -> Result<Response, AppError> {
    match service::update_profile(&state, &user, &form.display_name, &form.time_zone).await {
        Ok(()) => Ok(redirect_with_flash("/settings", &PROFILE_SAVED)),
        Err(e) => {
            let page = SettingsPage {
                display_name: form.display_name,
                zones: zone_options(&form.time_zone),
                ..SettingsPage::new(layout, &user)
            };
            settings_error(page, e)
        }
    }
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    new_email: String,
    #[serde(default)]
    password: String,
}

pub async fn change_email(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Form(form): Form<EmailForm>,
) -> Result<Response, AppError> {
    match service::change_email(&state, &user, &form.new_email, &form.password).await {
        Ok(()) => Ok(redirect_with_flash("/settings", &EMAIL_CHANGED)),
        Err(e) => {
            settings_error(SettingsPage { new_email: form.new_email, ..SettingsPage::new(layout, &user) }, e)
        }
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    headers: axum::http::HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    match service::change_password(
        &state,
        &user,
        &form.current_password,
        &form.new_password,
        &form.confirm_password,
        device::from_headers(&headers, state.config.serves_https()),
    )
    .await
    {
        Ok(device_cookie) => {
            Ok(with_cookie(redirect_with_flash("/settings", &PASSWORD_CHANGED), &device_cookie))
        }
        Err(e) => settings_error(SettingsPage::new(layout, &user), e),
    }
}

// ---- sessions ----------------------------------------------------------------

pub struct SessionRow {
    pub id: String,
    pub device: String,
    pub browser: String,
    pub created: String,
    pub last_active: String,
    pub is_current: bool,
}

#[derive(Template)]
#[template(path = "accounts/sessions.html")]
struct SessionsPage {
    layout: Layout,
    sessions: Vec<SessionRow>,
}

pub async fn sessions_page(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let now = crate::clock::now();
    let idle_since = now - state.config.session_idle_hours * 3600;
    let mut rows = store::list_sessions(&state.db, &user.id, now, idle_since)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            is_current: s.id == user.session_id,
            id: s.id,
            device: s.device,
            browser: s.browser,
            created: format_in_zone(s.created_at, &user.time_zone),
            last_active: format_in_zone(s.last_seen_at, &user.time_zone),
        })
        .collect::<Vec<_>>();
    // This device first, then the others by most recent activity.
    rows.sort_by_key(|r| !r.is_current);
    render(SessionsPage { layout, sessions: rows })
}

pub async fn end_session(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(session_id): Path<String>,
) -> Result<Response, AppError> {
    if !store::delete_session(&state.db, &user.id, &session_id).await? {
        return Err(AppError::NotFound);
    }
    if session_id == user.session_id {
        let secure = state.config.serves_https();
        let response =
            with_cookie(redirect_with_flash("/", &SIGNED_OUT), &sessions::clear_cookie_value(secure));
        return Ok(SessionChange::SignedOut.mark(response));
    }
    Ok(redirect_with_flash("/settings/sessions", &SESSION_ENDED))
}

pub async fn end_other_sessions(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    store::delete_other_sessions(&state.db, &user.id, &user.session_id).await?;
    Ok(redirect_with_flash("/settings/sessions", &OTHERS_ENDED))
}
