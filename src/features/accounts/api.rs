//! The accounts JSON API under `/api/v1`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::mails::SecurityEvent;
use super::signup::{self, SignUp};
use super::{device, email, reset, security, service, sessions, store, validate, verify};
use crate::clock::rfc3339;
use crate::state::AppState;
use crate::web::client::ClientInfo;
use crate::web::cookies::with_cookie;
use crate::web::{AppError, CurrentUser, Role, SessionChange};

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignUpRequest {
    pub email: String,
    pub password: String,
    pub display_name: String,
    /// An IANA time zone such as `Europe/London`; UTC when left out.
    pub time_zone: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignInRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub time_zone: String,
    /// Whether the address is confirmed (what reaches other people waits for it).
    pub email_verified: bool,
}

impl From<&CurrentUser> for Me {
    fn from(u: &CurrentUser) -> Self {
        Me {
            id: u.id.clone(),
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            role: u.role,
            time_zone: u.time_zone.clone(),
            email_verified: u.email_verified,
        }
    }
}

impl From<store::UserRecord> for Me {
    fn from(u: store::UserRecord) -> Self {
        Me {
            email_verified: u.email_verified_at.is_some(),
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            role: u.role,
            time_zone: u.time_zone,
        }
    }
}

/// What the API says when it has sent (or may have sent) a mail.
#[derive(Debug, Serialize, ToSchema)]
pub struct MailSent {
    /// Always "check-inbox".
    pub status: &'static str,
    pub message: String,
}

fn check_inbox(message: String) -> Response {
    (StatusCode::ACCEPTED, Json(MailSent { status: "check-inbox", message })).into_response()
}

/// Create an account. The answer is the same whether or not the address
/// already has one: a link to confirm it (or, for a known address, a note
/// that someone tried) goes to that inbox. Nobody is signed in: the link signs
/// in the client that signed up (it keeps the cookie this sets); elsewhere,
/// sign in with the password once the address is confirmed.
#[utoipa::path(post, path = "/api/v1/auth/signup", tag = "accounts", request_body = SignUpRequest,
    responses((status = 202, body = MailSent), (status = 422, description = "Field errors"),
        (status = 429, description = "Too many sign-ups from this address; see Retry-After")))]
pub async fn sign_up(
    State(state): State<AppState>,
    client: ClientInfo,
    Json(body): Json<SignUpRequest>,
) -> Result<Response, AppError> {
    let input = SignUp {
        email: &body.email,
        display_name: &body.display_name,
        password: &body.password,
        time_zone: body.time_zone.as_deref(),
    };
    let answer = signup::sign_up(&state, input, &client).await?;
    let email = validate::normalize_email(&body.email).unwrap_or(body.email);
    let response = with_cookie(check_inbox(format!("Check the inbox of {email} to finish.")), &answer.cookie);
    Ok(answer.outcome.session_change().mark(response))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ForgotRequest {
    pub email: String,
}

/// Ask for a link to choose a new password. The same answer whether or not
/// an account uses the address.
#[utoipa::path(post, path = "/api/v1/auth/forgot", tag = "accounts", request_body = ForgotRequest,
    responses((status = 202, body = MailSent), (status = 422), (status = 429)))]
pub async fn forgot(
    State(state): State<AppState>,
    client: ClientInfo,
    Json(body): Json<ForgotRequest>,
) -> Result<Response, AppError> {
    let email = validate::normalize_email(&body.email).map_err(|e| {
        let mut errors = crate::web::FieldErrors::new();
        errors.add("email", e);
        AppError::Validation(errors)
    })?;
    reset::request_by_address(&state, &email, &client).await?;
    Ok(check_inbox(format!("If an account uses {email}, a link to choose a new password is on its way.")))
}

/// Sign in (sets the session cookie).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts", request_body = SignInRequest,
    responses((status = 200, body = Me), (status = 422, description = "The email and password do not match"),
        (status = 429, description = "Too many attempts; see Retry-After"),
        (status = 503, description = "Too many sign-ins at once; see Retry-After")))]
pub async fn sign_in(
    State(state): State<AppState>,
    client: ClientInfo,
    headers: axum::http::HeaderMap,
    Json(body): Json<SignInRequest>,
) -> Result<Response, AppError> {
    let known = device::from_headers(&headers, state.config.serves_https());
    let signed_in = service::sign_in(&state, &body.email, &body.password, &client, known).await?;
    let user_id = signed_in.user.id.clone();
    let mut response = Json(Me::from(signed_in.user)).into_response();
    for cookie in &signed_in.cookies {
        response = with_cookie(response, cookie);
    }
    Ok(SessionChange::SignedIn { user_id }.mark(response))
}

/// End the current session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts",
    responses((status = 204), (status = 401)))]
pub async fn sign_out(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    service::sign_out(&state, &user).await?;
    let cookie = sessions::clear_cookie_value(state.config.serves_https());
    Ok(SessionChange::SignedOut.mark(with_cookie(StatusCode::NO_CONTENT.into_response(), &cookie)))
}

/// The signed-in member.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", responses((status = 200, body = Me), (status = 401)))]
pub async fn me(user: CurrentUser) -> Json<Me> {
    Json(Me::from(&user))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateMeRequest {
    pub display_name: Option<String>,
    pub time_zone: Option<String>,
}

/// Change display name and/or time zone.
#[utoipa::path(patch, path = "/api/v1/me", tag = "accounts", request_body = UpdateMeRequest,
    responses((status = 200, body = Me), (status = 422), (status = 401)))]
pub async fn update_me(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<UpdateMeRequest>,
) -> Result<Json<Me>, AppError> {
    let name = body.display_name.unwrap_or_else(|| user.display_name.clone());
    let tz = body.time_zone.unwrap_or_else(|| user.time_zone.clone());
    service::update_profile(&state, &user, &name, &tz).await?;
    let record = store::find_user(&state.db, &user.id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(Me::from(record)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangeEmailRequest {
    pub new_email: String,
    pub password: String,
}

/// Ask to change the sign-in email address (the password again). The change
/// happens when the new address confirms it; the old address is told, with a
/// link that undoes it.
#[utoipa::path(post, path = "/api/v1/me/email", tag = "accounts", request_body = ChangeEmailRequest,
    responses((status = 202, body = MailSent), (status = 422), (status = 429), (status = 401)))]
pub async fn change_email(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<ChangeEmailRequest>,
) -> Result<Response, AppError> {
    let new = email::request_change(&state, &user, &body.new_email, &body.password).await?;
    Ok(check_inbox(format!("Open the link sent to {new} to finish the change.")))
}

/// Send a new link to confirm the account's address (while it is not confirmed).
#[utoipa::path(post, path = "/api/v1/me/verify", tag = "accounts",
    responses((status = 202, body = MailSent), (status = 401)))]
pub async fn send_verification(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    if !user.email_verified {
        verify::send_again(&state, &user.email).await?;
    }
    Ok(check_inbox(format!("While {} is not confirmed, a new link is on its way to it.", user.email)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SecurityEventInfo {
    pub kind: String,
    pub description: String,
    /// The kind of device, never a place.
    pub device: String,
    pub at: String,
}

/// The account's recent security events (the last 90 days).
#[utoipa::path(get, path = "/api/v1/me/security-events", tag = "accounts",
    responses((status = 200, body = [SecurityEventInfo]), (status = 401)))]
pub async fn security_events(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<SecurityEventInfo>>, AppError> {
    let events = security::recent(&state.db, &user.id, crate::clock::now()).await?;
    Ok(Json(
        events
            .into_iter()
            .filter_map(|e| {
                let kind = SecurityEvent::parse(&e.kind)?;
                Some(SecurityEventInfo {
                    kind: e.kind,
                    description: kind.sentence().to_owned(),
                    device: e.device,
                    at: rfc3339(e.created_at),
                })
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// Change the password; every other session ends.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "accounts", request_body = ChangePasswordRequest,
    responses((status = 204), (status = 422), (status = 401)))]
pub async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    client: ClientInfo,
    headers: axum::http::HeaderMap,
    Json(body): Json<ChangePasswordRequest>,
) -> Result<Response, AppError> {
    let device_cookie = service::change_password(
        &state,
        &user,
        &body.current_password,
        &body.new_password,
        &body.new_password,
        device::from_headers(&headers, state.config.serves_https()),
        &client.user_agent,
    )
    .await?;
    Ok(with_cookie(StatusCode::NO_CONTENT.into_response(), &device_cookie))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    pub id: String,
    pub device: String,
    pub browser: String,
    pub created_at: String,
    pub last_active_at: String,
    pub expires_at: String,
    pub current: bool,
}

/// The member's live sessions, most recently active first.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "accounts",
    responses((status = 200, body = [SessionInfo]), (status = 401)))]
pub async fn list_sessions(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<SessionInfo>>, AppError> {
    let now = crate::clock::now();
    let idle_since = now - state.config.session_idle_hours * 3600;
    let list = store::list_sessions(&state.db, &user.id, now, idle_since).await?;
    Ok(Json(
        list.into_iter()
            .map(|s| SessionInfo {
                current: s.id == user.session_id,
                id: s.id,
                device: s.device,
                browser: s.browser,
                created_at: rfc3339(s.created_at),
                last_active_at: rfc3339(s.last_seen_at),
                expires_at: rfc3339(s.expires_at),
            })
            .collect(),
    ))
}

/// End one of the member's sessions (404 for an id that is not theirs).
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", tag = "accounts",
    params(("id" = String, Path, description = "Session id")),
    responses((status = 204), (status = 404), (status = 401)))]
pub async fn end_session(
    State(state): State<AppState>,
    user: CurrentUser,
    client: ClientInfo,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    service::end_session(&state, &user, &id, &client.user_agent).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// End every session but this one.
#[utoipa::path(post, path = "/api/v1/me/sessions/end-others", tag = "accounts",
    responses((status = 204), (status = 401)))]
pub async fn end_other_sessions(
    State(state): State<AppState>,
    user: CurrentUser,
    client: ClientInfo,
) -> Result<StatusCode, AppError> {
    service::end_other_sessions(&state, &user, &client.user_agent).await?;
    Ok(StatusCode::NO_CONTENT)
}
