//! Together: two members linked as partners, and what each chooses to share
//! with the other, one item at a time. Everything the other person sees is
//! read through the reader's own row of `partner_links`, so an unlink (or a
//! safety reset, or a deletion) ends it from the very next request on every
//! instance. Coaches and admins have no view of any of it.

pub mod content;
pub mod link;
pub mod mails;
pub mod member_data;
pub mod needs;
pub mod repairs;
pub mod reset;
pub mod reveal;
pub mod rules;
pub mod shares;

use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::{AppError, Flash};

/// The kind of every notice Together leaves (removed for both on unlink).
pub const NOTICE_KIND: &str = "together";

pub const LINKED: Flash =
    Flash::new("together-linked", "You are linked. Nothing is shared until one of you chooses to share it.");
pub const UNLINKED: Flash =
    Flash::new("together-unlinked", "You are unlinked. Nothing shared between you can be seen any more.");
pub const DECLINED: Flash =
    Flash::new("together-declined", "You declined. They will see only that it was not accepted.");
pub const INVITATION_SENT: Flash = Flash::new("together-invitation-sent", "The invitation is on its way.");
pub const INVITATION_REVOKED: Flash =
    Flash::new("together-invitation-revoked", "The invitation no longer works.");
pub const SHARED: Flash = Flash::new("together-shared", "Shared. Your partner sees this version.");
pub const NOTHING_NEW: Flash =
    Flash::new("together-nothing-new", "Your partner already sees exactly this version.");
pub const UNSHARED: Flash = Flash::new("together-unshared", "No longer shared.");
pub const NEED_NAMED: Flash = Flash::new("together-need-named", "Your need is named.");
pub const NEED_ANSWERED: Flash = Flash::new("together-need-answered", "Your answer is sent.");
pub const REPAIR_SENT: Flash = Flash::new("together-repair-sent", "Your invitation to repair is sent.");
pub const REPAIR_ANSWERED: Flash = Flash::new("together-repair-answered", "Your answer is sent.");
pub const REPAIR_CLOSED: Flash = Flash::new(
    "together-repair-closed",
    "Closed as \u{201c}we found our way back\u{201d}. A moment of return is in each of your lists.",
);
pub const REVEAL_ANSWERED: Flash =
    Flash::new("together-reveal-answered", "Your answer is kept until you have both answered.");
pub const REVEAL_SKIPPED: Flash = Flash::new("together-reveal-skipped", "Skipped. Neither answer will show.");
pub const SAFETY_RESET_DONE: Flash = Flash::new(
    "together-safety-reset",
    "Done: you are unlinked, nothing you shared can be seen, your other sessions are ended and your invitations no longer work.",
);

pub const FLASHES: &[Flash] = &[
    LINKED,
    UNLINKED,
    DECLINED,
    INVITATION_SENT,
    INVITATION_REVOKED,
    SHARED,
    NOTHING_NEW,
    UNSHARED,
    NEED_NAMED,
    NEED_ANSWERED,
    REPAIR_SENT,
    REPAIR_ANSWERED,
    REPAIR_CLOSED,
    REVEAL_ANSWERED,
    REVEAL_SKIPPED,
    SAFETY_RESET_DONE,
];

/// What doing something with a partner says when there is none.
pub fn not_linked() -> AppError {
    AppError::Conflict(
        "You are not linked with a partner. Invite someone from the Together page first.".into(),
    )
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/together", get(link::pages::together))
        .route("/together/invitations", post(link::pages::invite))
        .route("/together/invitations/{id}/revoke", post(link::pages::revoke))
        .route("/together/join/{token}", get(link::pages::join))
        .route("/together/join/{token}/accept", post(link::pages::accept))
        .route("/together/join/{token}/decline", post(link::pages::decline))
        .route("/together/unlink", get(link::pages::unlink_confirm).post(link::pages::unlink))
        .route("/together/solo", get(link::pages::solo))
        .route("/together/reset", get(reset::reset_page).post(reset::reset))
        .route("/together/share/{kind}/{id}", get(shares::pages::preview).post(shares::pages::share))
        .route("/together/shares", get(shares::pages::shares))
        .route("/together/shares/{id}", get(shares::pages::show))
        .route("/together/shares/{id}/unshare", post(shares::pages::unshare))
        .route("/together/needs", get(needs::pages::needs).post(needs::pages::name_need))
        .route("/together/needs/{id}/answer", post(needs::pages::answer))
        .route("/together/repair", get(repairs::pages::repair).post(repairs::pages::invite))
        .route("/together/repair/{id}/answer", post(repairs::pages::answer))
        .route("/together/repair/{id}/close", post(repairs::pages::close))
        .route("/together/reveal", get(reveal::pages::reveal))
        .route("/together/reveal/{id}", post(reveal::pages::answer))
        .routes(routes!(link::api::get_together))
        .routes(routes!(link::api::create_invitation))
        .routes(routes!(link::api::revoke_invitation))
        .routes(routes!(link::api::look_at_invitation))
        .routes(routes!(link::api::accept_invitation))
        .routes(routes!(link::api::decline_invitation))
        .routes(routes!(link::api::unlink))
        .routes(routes!(link::api::safety_reset))
        .routes(routes!(shares::api::list_shares, shares::api::create_share))
        .routes(routes!(shares::api::get_share, shares::api::delete_share))
        .routes(routes!(shares::api::preview_share))
        .routes(routes!(needs::api::list_needs, needs::api::create_need))
        .routes(routes!(needs::api::answer_need))
        .routes(routes!(repairs::api::list_repairs, repairs::api::create_repair))
        .routes(routes!(repairs::api::answer_repair))
        .routes(routes!(repairs::api::close_repair))
        .routes(routes!(reveal::api::list_reveal))
        .routes(routes!(reveal::api::answer_reveal))
}
