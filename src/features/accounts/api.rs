//! The accounts JSON API under `/api/v1`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::service::{self, SignUp};
use super::{device, sessions, store};
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
}

impl From<&CurrentUser> for Me {
    fn from(u: &CurrentUser) -> Self {
        Me {
            id: u.id.clone(),
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            role: u.role,
            time_zone: u.time_zone.clone(),
        }
    }
}

impl From<store::UserRecord> for Me {
    fn from(u: store::UserRecord) -> Self {
        Me { id: u.id, email: u.email, display_name: u.display_name, role: u.role, time_zone: u.time_zone }
    }
}

/// Create an account and sign in (sets the session cookie).
#[utoipa::path(post, path = "/api/v1/auth/signup", tag = "accounts", request_body = SignUpRequest,
    responses((status = 201, body = Me), (status = 422, description = "Field errors")))]
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
    let (user, cookie) = service::sign_up(&state, input, &client).await?;
    let response = with_cookie((StatusCode::CREATED, Json(Me::from(user.clone()))).into_response(), &cookie);
    Ok(SessionChange::SignedUp { user_id: user.id }.mark(response))
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

/// Change the sign-in email address (asks for the password again).
#[utoipa::path(post, path = "/api/v1/me/email", tag = "accounts", request_body = ChangeEmailRequest,
    responses((status = 204), (status = 422), (status = 401)))]
pub async fn change_email(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<ChangeEmailRequest>,
) -> Result<StatusCode, AppError> {
    service::change_email(&state, &user, &body.new_email, &body.password).await?;
    Ok(StatusCode::NO_CONTENT)
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
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if store::delete_session(&state.db, &user.id, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}

/// End every session but this one.
#[utoipa::path(post, path = "/api/v1/me/sessions/end-others", tag = "accounts",
    responses((status = 204), (status = 401)))]
pub async fn end_other_sessions(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<StatusCode, AppError> {
    store::delete_other_sessions(&state.db, &user.id, &user.session_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
