//! Notices: what the product leaves for a member to find later (a new post
//! from the coach today; partner invitations, reminders and new recordings
//! as those arrive). A count in the header, a page to read or dismiss them one
//! at a time, the API, and a discreet mail when the member wants one.

pub mod api;
pub mod mails;
pub mod member_data;
pub mod pages;
pub mod service;
pub mod store;

use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::Flash;

pub const NOTICE_READ: Flash = Flash::new("notice-read", "Marked as read.");
pub const NOTICE_DISMISSED: Flash = Flash::new("notice-dismissed", "The notice is dismissed.");

pub const FLASHES: &[Flash] = &[NOTICE_READ, NOTICE_DISMISSED];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/notices", get(pages::list))
        .route("/notices/{id}/open", get(pages::open))
        .route("/notices/{id}/read", post(pages::mark_read))
        .route("/notices/{id}/dismiss", post(pages::dismiss))
        .routes(routes!(api::list))
        .routes(routes!(api::mark_read))
        .routes(routes!(api::dismiss))
}
