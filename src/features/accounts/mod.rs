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

use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::Flash;

pub const WELCOME: Flash = Flash::new("welcome", "Welcome. Your account is ready.");
pub const SIGNED_OUT: Flash = Flash::new("signed-out", "You have signed out.");
pub const PROFILE_SAVED: Flash = Flash::new("profile-saved", "Your settings are saved.");
pub const EMAIL_CHANGED: Flash = Flash::new("email-changed", "Your email address is changed.");
pub const PASSWORD_CHANGED: Flash =
    Flash::new("password-changed", "Your password is changed. Your other sessions have ended.");
pub const SESSION_ENDED: Flash = Flash::new("session-ended", "That session has ended.");
pub const OTHERS_ENDED: Flash = Flash::new("others-ended", "All your other sessions have ended.");

pub const FLASHES: &[Flash] =
    &[WELCOME, SIGNED_OUT, PROFILE_SAVED, EMAIL_CHANGED, PASSWORD_CHANGED, SESSION_ENDED, OTHERS_ENDED];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
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
        .routes(routes!(api::sign_up))
        .routes(routes!(api::sign_in))
        .routes(routes!(api::sign_out))
        .routes(routes!(api::me, api::update_me))
        .routes(routes!(api::change_email))
        .routes(routes!(api::change_password))
        .routes(routes!(api::list_sessions))
        .routes(routes!(api::end_other_sessions))
        .routes(routes!(api::end_session))
}
