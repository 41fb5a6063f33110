//! Affirmations to practise: short sentences to come back to, the built-in
//! ones and the member's own, one at a time or all together, with favourites
//! first and the ones that do not fit hidden.

pub mod api;
pub mod content;
pub mod member_data;
pub mod pages;
pub mod rules;
pub mod service;
pub mod store;

use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::Flash;

pub const AFFIRMATION_ADDED: Flash = Flash::new("affirmation-added", "Your affirmation is added.");
pub const AFFIRMATION_MARKED: Flash = Flash::new("affirmation-marked", "Saved.");
pub const AFFIRMATION_DELETED: Flash = Flash::new("affirmation-deleted", "The affirmation is deleted.");

pub const FLASHES: &[Flash] = &[AFFIRMATION_ADDED, AFFIRMATION_MARKED, AFFIRMATION_DELETED];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/practice/affirmations", get(pages::affirmations).post(pages::add_affirmation))
        .route("/practice/affirmations/{id}/mark", post(pages::mark_affirmation))
        .route("/practice/affirmations/{id}/delete", post(pages::delete_affirmation))
        .routes(routes!(api::list_affirmations, api::create_affirmation))
        .routes(routes!(api::get_affirmation, api::update_affirmation, api::delete_affirmation))
}
