//! The "Export or delete" settings page.

use askama::Template;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use super::ACCOUNT_DELETED;
use super::service;
use crate::features::accounts::{device, service::confirm_password, sessions};
use crate::state::AppState;
use crate::web::cookies;
use crate::web::member_data::MemberDataRegistry;
use crate::web::redirect_with_flash;
use crate::web::{AppError, CurrentUser, FieldErrors, Layout, SessionChange, render, render_with_status};

#[derive(Template)]
#[template(path = "privacy/delete.html")]
struct DeletePage {
    layout: Layout,
    errors: FieldErrors,
    notice: Option<String>,
}

pub async fn delete_page(layout: Layout, _user: CurrentUser) -> Result<Response, AppError> {
    render(DeletePage { layout, errors: FieldErrors::new(), notice: None })
}

const BUSY: &str = "Many people are signing in at once. Please try again in a few seconds.";

/// The export-or-delete page again, with the problem named.
fn page_with_problem(layout: Layout, e: AppError) -> Result<Response, AppError> {
    let (status, errors, notice, retry_after) = match e {
        AppError::Validation(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None, None),
        AppError::TooManyRequests { message, retry_after } => {
            (StatusCode::TOO_MANY_REQUESTS, FieldErrors::new(), Some(message), Some(retry_after))
        }
        AppError::Busy { retry_after } => {
            (StatusCode::SERVICE_UNAVAILABLE, FieldErrors::new(), Some(BUSY.to_owned()), Some(retry_after))
        }
        other => return Err(other),
    };
    let mut response = render_with_status(status, DeletePage { layout, errors, notice })?;
    if let Some(seconds) = retry_after
        && let Ok(v) = HeaderValue::from_str(&seconds.max(1).to_string())
    {
        response.headers_mut().insert("retry-after", v);
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
    /// "readable" for the Markdown copy; anything else is the JSON file.
    #[serde(default)]
    format: String,
}

/// The download, after the password is entered again: the export holds every
/// private word, so an unlocked session alone is not enough.
pub async fn download_export(
    State(state): State<AppState>,
    Extension(registry): Extension<MemberDataRegistry>,
    layout: Layout,
    user: CurrentUser,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    if let Err(e) = confirm_password(&state, &user, &form.password, "export_password").await {
        return page_with_problem(layout, e);
    }
    let doc = service::export(&state, &registry, &user.id).await?;
    let readable = form.format == "readable";
    let (body, content_type, extension) = if readable {
        (
            super::readable::markdown(&doc, &user.display_name).into_bytes(),
            "text/markdown; charset=utf-8",
            "md",
        )
    } else {
        (serde_json::to_vec_pretty(&doc).map_err(anyhow::Error::from)?, "application/json", "json")
    };
    let date = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
    let disposition = format!("attachment; filename=\"securebase-export-{date}.{extension}\"");
    let mut response = body.into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        response.headers_mut().insert(CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

pub async fn delete_account(
    State(state): State<AppState>,
    Extension(registry): Extension<MemberDataRegistry>,
    layout: Layout,
    user: CurrentUser,
    headers: axum::http::HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    if let Err(e) = confirm_password(&state, &user, &form.password, "password").await {
        return page_with_problem(layout, e);
    }
    let device_cookie = device::cookie_after_deletion(&state, &headers, &user.id).await?;
    service::delete(&state, &registry, &user.id).await?;
    let mut response = redirect_with_flash("/", &ACCOUNT_DELETED);
    cookies::append(&mut response, &device_cookie);
    cookies::append(&mut response, &sessions::clear_cookie_value(state.config.serves_https()));
    // Leaves the browser holding nothing of this visit.
    response.headers_mut().insert("clear-site-data", HeaderValue::from_static("\"cache\", \"storage\""));
    Ok(SessionChange::SignedOut.mark(response))
}
