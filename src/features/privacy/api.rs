//! The privacy JSON API: the full export and account deletion.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use utoipa::ToSchema;

use super::service;
use crate::features::accounts::{device, service::confirm_password, sessions};
use crate::state::AppState;
use crate::web::cookies;
use crate::web::member_data::MemberDataRegistry;
use crate::web::{AppError, CurrentUser, SessionChange};

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordAgain {
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ExportRequest {
    pub password: String,
    /// `json` (the default) or `readable`: the same as Markdown, for reading.
    #[serde(default)]
    pub format: Option<String>,
}

/// Everything of the member's, as one JSON document (asks for the password
/// again): `format`, `version`, `exported_at`, then one section per kind of
/// data (`account`, `sessions`, `get_started`, `posts_written`,
/// `instrument_results`, `checkins`, `practice`, …).
/// With `"format": "readable"`, the same as a Markdown document (`text/markdown`).
#[utoipa::path(post, path = "/api/v1/me/export", tag = "privacy", request_body = ExportRequest,
    responses((status = 200, body = Object), (status = 422), (status = 429), (status = 401)))]
pub async fn export(
    State(state): State<AppState>,
    Extension(registry): Extension<MemberDataRegistry>,
    user: CurrentUser,
    Json(body): Json<ExportRequest>,
) -> Result<Response, AppError> {
    let readable = match body.format.as_deref() {
        None | Some("json") => false,
        Some("readable") => true,
        Some(_) => {
            let mut errors = crate::web::FieldErrors::new();
            errors.add("format", "Choose json or readable.");
            return Err(AppError::Validation(errors));
        }
    };
    confirm_password(&state, &user, &body.password, "password").await?;
    let doc = service::export(&state, &registry, &user.id).await?;
    if readable {
        let text = super::readable::markdown(&doc, &user.display_name);
        return Ok(
            ([(axum::http::header::CONTENT_TYPE, "text/markdown; charset=utf-8")], text).into_response()
        );
    }
    Ok(Json(doc).into_response())
}

/// Delete the account and everything of the member's (asks for the password).
#[utoipa::path(delete, path = "/api/v1/me", tag = "privacy", request_body = PasswordAgain,
    responses((status = 204), (status = 422), (status = 429), (status = 401)))]
pub async fn delete_me(
    State(state): State<AppState>,
    Extension(registry): Extension<MemberDataRegistry>,
    user: CurrentUser,
    headers: axum::http::HeaderMap,
    Json(body): Json<PasswordAgain>,
) -> Result<Response, AppError> {
    confirm_password(&state, &user, &body.password, "password").await?;
    let device_cookie = device::cookie_after_deletion(&state, &headers, &user.id).await?;
    service::delete(&state, &registry, &user.id).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    cookies::append(&mut response, &device_cookie);
    cookies::append(&mut response, &sessions::clear_cookie_value(state.config.serves_https()));
    Ok(SessionChange::SignedOut.mark(response))
}
