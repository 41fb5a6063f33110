//! "Download everything of mine" and "delete my account": both ask for the
//! password again, and both are composed from every feature's own declaration
//! of the member data it keeps (`web::member_data`), listed by `app`. This
//! feature names no other feature but accounts (for the password).

pub mod api;
pub mod pages;
pub mod service;

use axum::Router;
use axum::routing::{delete, get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/settings/export", get(pages::delete_page).post(pages::download_export))
        .route("/settings/delete", get(pages::delete_page).post(pages::delete_account))
        .route("/api/v1/me/export", post(api::export))
        .route("/api/v1/me", delete(api::delete_me))
}
