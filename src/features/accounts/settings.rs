//! Settings: profile, email address (changed only once the new address
//! confirms it), password, mail, recent security events, and the sessions
//! page.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::mails::SecurityEvent;
use super::signup::{ZoneOption, zone_options};
use super::{MAIL_SAVED, OTHERS_ENDED, PASSWORD_CHANGED, PROFILE_SAVED, SESSION_ENDED, SIGNED_OUT};
use super::{device, email, security, service, sessions, store, tokens};
use crate::clock::format_in_zone;
use crate::state::AppState;
use crate::web::client::ClientInfo;
use crate::web::cookies::with_cookie;
use crate::web::{
    AppError, CurrentUser, FieldErrors, Layout, SessionChange, redirect_with_flash, render,
    render_with_status,
};

/// One line of "recent security events".
pub struct EventRow {
    pub sentence: &'static str,
    pub device: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "accounts/settings.html")]
struct SettingsPage {
    layout: Layout,
    display_name: String,
    email: String,
    email_verified: bool,
    /// A new address waiting for its confirmation.
    pending_email: Option<String>,
    new_email: String,
    notice_mail: bool,
    events: Vec<EventRow>,
    errors: FieldErrors,
    zones: Vec<ZoneOption>,
}

impl SettingsPage {
    async fn new(state: &AppState, layout: Layout, user: &CurrentUser) -> Result<Self, AppError> {
        let now = crate::clock::now();
        let record = store::find_user(&state.db, &user.id).await?.ok_or(AppError::Unauthorized)?;
        let events = security::recent(&state.db, &user.id, now)
            .await?
            .into_iter()
            .filter_map(|e| {
                Some(EventRow {
                    sentence: SecurityEvent::parse(&e.kind)?.sentence(),
                    device: e.device,
                    when: format_in_zone(e.created_at, &user.time_zone),
                })
            })
            .collect();
        Ok(SettingsPage {
            layout,
            display_name: user.display_name.clone(),
            email: user.email.clone(),
            email_verified: user.email_verified,
            pending_email: tokens::pending_email(&state.db, &user.id, now).await?,
            new_email: String::new(),
            notice_mail: record.notice_mail != 0,
            events,
            errors: FieldErrors::new(),
            zones: zone_options(&user.time_zone),
        })
    }
}

pub async fn settings_page(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    render(SettingsPage::new(&state, layout, &user).await?)
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
                ..SettingsPage::new(&state, layout, &user).await?
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
    match email::request_change(&state, &user, &form.new_email, &form.password).await {
        Ok(_) => Ok(email::after_request()),
        Err(e) => {
            let page =
                SettingsPage { new_email: form.new_email, ..SettingsPage::new(&state, layout, &user).await? };
            settings_error(page, e)
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
    client: ClientInfo,
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
        &client.user_agent,
    )
    .await
    {
        Ok(device_cookie) => {
            Ok(with_cookie(redirect_with_flash("/settings", &PASSWORD_CHANGED), &device_cookie))
        }
        Err(e) => settings_error(SettingsPage::new(&state, layout, &user).await?, e),
    }
}

#[derive(Deserialize)]
pub struct MailForm {
    /// "on" when the box is ticked; absent otherwise.
    notice_mail: Option<String>,
}

pub async fn save_mail(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<MailForm>,
) -> Result<Response, AppError> {
    store::set_notice_mail(&state.db, &user.id, form.notice_mail.is_some()).await?;
    Ok(redirect_with_flash("/settings#mail", &MAIL_SAVED))
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
    client: ClientInfo,
    Path(session_id): Path<String>,
) -> Result<Response, AppError> {
    service::end_session(&state, &user, &session_id, &client.user_agent).await?;
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
    client: ClientInfo,
) -> Result<Response, AppError> {
    service::end_other_sessions(&state, &user, &client.user_agent).await?;
    Ok(redirect_with_flash("/settings/sessions", &OTHERS_ENDED))
}
