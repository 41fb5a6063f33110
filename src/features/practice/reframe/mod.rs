//! The reframe: turning "who is right?" into "what keeps us connected?", kept
//! as a private journal entry.

pub mod pages;
pub mod rules;

use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;
use crate::web::Flash;

pub const REFRAME_SAVED: Flash =
    Flash::new("reframe-saved", "Your reframe is saved as a private journal entry.");

pub const FLASHES: &[Flash] = &[REFRAME_SAVED];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().route("/practice/reframe", get(pages::reframe).post(pages::reframe_submit))
}
