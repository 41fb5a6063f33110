//! Moments of return: a sentence and a day for each time someone reached and
//! was met. Counted by month, quiet months included; never a streak.

pub mod api;
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

pub const RETURN_SAVED: Flash = Flash::new("return-saved", "Your moment of return is saved.");
pub const RETURN_DELETED: Flash = Flash::new("return-deleted", "The moment is deleted.");

pub const FLASHES: &[Flash] = &[RETURN_SAVED, RETURN_DELETED];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/practice/returns", get(pages::returns).post(pages::log_return))
        .route("/practice/returns/{id}/edit", get(pages::edit_return).post(pages::edit_return_submit))
        .route("/practice/returns/{id}/delete", post(pages::delete_return))
        .routes(routes!(api::list_returns, api::create_return))
        .routes(routes!(api::get_return, api::update_return, api::delete_return))
}
