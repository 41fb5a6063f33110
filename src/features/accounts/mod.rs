//! Accounts: sign-up with a confirmed address, sign-in, password resets,
//! email changes that the old address can undo, sessions, settings and
//! security notices. Export and deletion are the privacy feature's, composed
//! from every feature's member data.

pub mod api;
pub mod carry;
pub mod device;
pub mod email;
pub mod link_mail;
pub mod links;
pub mod mails;
pub mod member_data;
pub mod pages;
pub mod password;
pub mod reset;
pub mod security;
pub mod service;
pub mod sessions;
pub mod settings;
pub mod signup;
pub mod store;
pub mod throttle;
pub mod tokens;
pub mod validate;
pub mod verify;

use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::Flash;
use crate::web::assets::{self, Asset, JS};

pub const SIGNED_OUT: Flash = Flash::new("signed-out", "You have signed out.");
pub const PROFILE_SAVED: Flash = Flash::new("profile-saved", "Your settings are saved.");
pub const EMAIL_CHANGE_SENT: Flash = Flash::new(
    "email-change-sent",
    "We sent a link to the new address. Your address changes once you open it; until then, you sign in with this one.",
);
pub const EMAIL_CHANGED: Flash = Flash::new("email-changed", "Your email address is changed.");
pub const ADDRESS_IN_USE: Flash =
    Flash::new("address-in-use", "That address is already used by another account, so nothing was changed.");
pub const EMAIL_CHANGE_UNDONE: Flash = Flash::new(
    "email-change-undone",
    "The change of address is undone and every device is signed out. If someone else may know your password, choose a new one now.",
);
pub const ADDRESS_CONFIRMED: Flash =
    Flash::new("address-confirmed", "Your email address is confirmed. Thank you.");
pub const VERIFY_SENT: Flash = Flash::new(
    "verify-sent",
    "If an account is waiting for that address to be confirmed, a new link is on its way. Links sent before it stop working.",
);
pub const WELCOME: Flash = Flash::new("welcome", "Welcome. Your address is confirmed and you are signed in.");
pub const LINK_FOR_OLD_ADDRESS: Flash = Flash::new(
    "link-for-old-address",
    "That link was for an address this account no longer uses, so nothing was changed.",
);
pub const UNDO_ADDRESS_TAKEN: Flash = Flash::new(
    "undo-address-taken",
    "Every device is signed out and the links we sent are cancelled, but your old address now belongs to another account, so the new one stays. Choose a new password now.",
);
pub const PASSWORD_CHANGED: Flash =
    Flash::new("password-changed", "Your password is changed. Your other sessions have ended.");
pub const PASSWORD_RESET: Flash =
    Flash::new("password-reset", "Your new password is set, and every other device is signed out.");
pub const MAIL_SAVED: Flash = Flash::new("mail-saved", "Your mail settings are saved.");
pub const SESSION_ENDED: Flash = Flash::new("session-ended", "That session has ended.");
pub const OTHERS_ENDED: Flash = Flash::new("others-ended", "All your other sessions have ended.");

pub const FLASHES: &[Flash] = &[
    SIGNED_OUT,
    PROFILE_SAVED,
    EMAIL_CHANGE_SENT,
    EMAIL_CHANGED,
    ADDRESS_IN_USE,
    EMAIL_CHANGE_UNDONE,
    ADDRESS_CONFIRMED,
    VERIFY_SENT,
    WELCOME,
    LINK_FOR_OLD_ADDRESS,
    UNDO_ADDRESS_TAKEN,
    PASSWORD_CHANGED,
    PASSWORD_RESET,
    MAIL_SAVED,
    SESSION_ENDED,
    OTHERS_ENDED,
];

/// Fills in the time zone on the sign-up form from the browser's own.
pub const ASSETS: &[Asset] =
    &[Asset { name: "time-zone.js", content_type: JS, body: include_bytes!("../../../static/time-zone.js") }];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/signup", get(signup::sign_up_page).post(signup::sign_up_submit))
        .route("/signin", get(pages::sign_in_page).post(pages::sign_in))
        .route("/signout", post(pages::sign_out))
        .route("/exit", get(pages::quick_exit).post(pages::quick_exit_beacon))
        .route("/forgot", get(reset::forgot_page).post(reset::forgot_submit))
        .route("/reset/{token}", get(reset::reset_page).post(reset::reset_submit))
        .route("/verify/again", post(verify::again_submit))
        .route("/verify/{token}", get(verify::confirm_page).post(verify::confirm_submit))
        .route("/email/confirm/{token}", get(email::confirm_page).post(email::confirm_submit))
        .route("/email/undo/{token}", get(email::undo_page).post(email::undo_submit))
        .route("/settings", get(settings::settings_page))
        .route("/settings/profile", post(settings::save_profile))
        .route("/settings/email", post(settings::change_email))
        .route("/settings/password", post(settings::change_password))
        .route("/settings/mail", post(settings::save_mail))
        .route("/settings/verify", post(verify::send_again_submit))
        .route("/settings/sessions", get(settings::sessions_page))
        .route("/settings/sessions/end-others", post(settings::end_other_sessions))
        .route("/settings/sessions/{id}/end", post(settings::end_session))
        .routes(routes!(api::sign_up))
        .routes(routes!(api::sign_in))
        .routes(routes!(api::sign_out))
        .routes(routes!(api::forgot))
        .routes(routes!(api::me, api::update_me))
        .routes(routes!(api::change_email))
        .routes(routes!(api::change_password))
        .routes(routes!(api::send_verification))
        .routes(routes!(api::security_events))
        .routes(routes!(api::list_sessions))
        .routes(routes!(api::end_other_sessions))
        .routes(routes!(api::end_session))
        .merge(assets::routes(ASSETS).into())
}
