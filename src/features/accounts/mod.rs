//! Accounts: sign-up, sign-in, sessions, settings. Export and deletion are the
//! privacy feature's, composed from every feature's member data.

pub mod api;
pub mod carry;
pub mod device;
pub mod member_data;
pub mod pages;
pub mod password;
pub mod service;
pub mod sessions;
pub mod store;
pub mod throttle;
pub mod validate;

use axum::Router;
use axum::routing::{delete, get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signup", get(pages::sign_up_page).post(pages::sign_up))
        .route("/signin", get(pages::sign_in_page).post(pages::sign_in))
        .route("/signout", post(pages::sign_out))
        .route("/exit", get(pages::quick_exit).post(pages::quick_exit_beacon))
        .route("/settings", get(pages::settings_page))
        .route("/settings/profile", post(pages::save_profile))
        .route("/settings/email", post(pages::change_email))
        .route("/settings/password", post(pages::change_password))
        .route("/settings/sessions", get(pages::sessions_page))
        .route("/settings/sessions/end-others", post(pages::end_other_sessions))
        .route("/settings/sessions/{id}/end", post(pages::end_session))
        .route("/api/v1/auth/signup", post(api::sign_up))
        .route("/api/v1/auth/login", post(api::sign_in))
        .route("/api/v1/auth/logout", post(api::sign_out))
        .route("/api/v1/me", get(api::me).patch(api::update_me))
        .route("/api/v1/me/email", post(api::change_email))
        .route("/api/v1/me/password", post(api::change_password))
        .route("/api/v1/me/sessions", get(api::list_sessions))
        .route("/api/v1/me/sessions/end-others", post(api::end_other_sessions))
        .route("/api/v1/me/sessions/{id}", delete(api::end_session))
}
