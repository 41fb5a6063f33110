//! One error type for every handler. A page gets an HTML error page, the API gets
//! JSON; the choice is made once, in `render_errors`, from the request path.
//! Internal details are logged, never shown.

use std::collections::BTreeMap;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Problems with a form or JSON body, by field name.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.entry(field.to_owned()).or_insert_with(|| message.into());
    }
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() { Ok(()) } else { Err(AppError::Validation(self)) }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("{0}")]
    BadRequest(String),
    #[error("invalid input")]
    Validation(FieldErrors),
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: i64 },
    #[error("{0}")]
    Conflict(String),
    /// Something that reaches other people waits until the member has
    /// confirmed their address; `doing` says what ("invite a partner").
    #[error("address not confirmed")]
    Unverified { doing: &'static str },
    /// The server is at its limit for this kind of work; try again after `retry_after` seconds.
    #[error("busy")]
    Busy { retry_after: i64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(e.into())
    }
}

/// A unique-constraint violation becomes a problem named on one field (422),
/// for the few values that must be unique: an email address, a post's slug.
pub trait OnUnique<T> {
    fn on_unique(self, field: &str, message: &str) -> Result<T, AppError>;
}

impl<T> OnUnique<T> for Result<T, sqlx::Error> {
    fn on_unique(self, field: &str, message: &str) -> Result<T, AppError> {
        self.map_err(|e| {
            if crate::db::is_unique_violation(&e) {
                let mut errors = FieldErrors::new();
                errors.add(field, message);
                AppError::Validation(errors)
            } else {
                e.into()
            }
        })
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(e.into())
    }
}

/// Marks a response whose words are meant as they are (a machine protocol's
/// plain-text answer, such as an upload's or a payment webhook's): the error
/// pages leave it alone.
#[derive(Debug, Clone, Copy)]
pub struct AnswerAsIs;

/// A plain-text answer with its status, kept as it is.
pub fn plain_answer(status: StatusCode, text: impl Into<String>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut response = (status, text.into()).into_response();
    response.extensions_mut().insert(AnswerAsIs);
    response
}

/// What an error response carries until `render_errors` turns it into HTML or JSON.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorInfo {
    #[serde(skip)]
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "FieldErrors::is_empty")]
    pub fields: FieldErrors,
}

impl ErrorInfo {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), fields: FieldErrors::new() }
    }

    pub fn json_response(&self) -> Response {
        let mut response = (self.status, Json(serde_json::json!({ "error": self }))).into_response();
        response.extensions_mut().insert(self.clone());
        response
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let info = match &self {
            AppError::NotFound => {
                ErrorInfo::new(StatusCode::NOT_FOUND, "not_found", "We could not find that page.")
            }
            AppError::Unauthorized => {
                ErrorInfo::new(StatusCode::UNAUTHORIZED, "unauthorized", "Please sign in to continue.")
            }
            AppError::Forbidden => {
                ErrorInfo::new(StatusCode::FORBIDDEN, "forbidden", "You do not have access to this.")
            }
            AppError::BadRequest(m) => ErrorInfo::new(StatusCode::BAD_REQUEST, "bad_request", m),
            AppError::Validation(fields) => ErrorInfo {
                fields: fields.clone(),
                ..ErrorInfo::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid",
                    "Some fields need another look.",
                )
            },
            AppError::TooManyRequests { message, .. } => {
                ErrorInfo::new(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", message)
            }
            AppError::Conflict(m) => ErrorInfo::new(StatusCode::CONFLICT, "conflict", m),
            AppError::Unverified { doing } => ErrorInfo::new(
                StatusCode::FORBIDDEN,
                "unverified",
                format!(
                    "To {doing}, first confirm your email address: open the link we sent to it. \
                     Everything that is yours alone works in the meantime."
                ),
            ),
            AppError::Busy { .. } => ErrorInfo::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "Many people are signing in at once. Please try again in a few seconds; nothing was changed.",
            ),
            AppError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                ErrorInfo::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Something went wrong on our side. Nothing you wrote was lost; please try again.",
                )
            }
        };
        let mut response = info.json_response();
        if let AppError::TooManyRequests { retry_after, .. } | AppError::Busy { retry_after } = self
            && let Ok(v) = HeaderValue::from_str(&retry_after.max(1).to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

impl From<crate::passwords::PasswordError> for AppError {
    fn from(e: crate::passwords::PasswordError) -> Self {
        match e {
            crate::passwords::PasswordError::Busy => {
                AppError::Busy { retry_after: crate::passwords::BUSY_RETRY_AFTER }
            }
            crate::passwords::PasswordError::Internal(e) => AppError::Internal(e),
        }
    }
}
