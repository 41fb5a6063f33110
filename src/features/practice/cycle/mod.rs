//! The negative-cycle map: the loop two partners get caught in, filled in
//! link by link, drawn, and kept in versions as the member's view of it grows.

pub mod api;
pub mod drawing;
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

pub const MAP_SAVED: Flash = Flash::new("map-saved", "Your map is saved.");
pub const MAP_VERSION_SAVED: Flash =
    Flash::new("map-version-saved", "A new version of your map is saved. Earlier versions are kept below.");
pub const MAP_UNCHANGED: Flash =
    Flash::new("map-unchanged", "Nothing in the loop changed, so no new version was needed.");
pub const MAP_DELETED: Flash = Flash::new("map-deleted", "The map is deleted.");

pub const FLASHES: &[Flash] = &[MAP_SAVED, MAP_VERSION_SAVED, MAP_UNCHANGED, MAP_DELETED];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/practice/cycle", get(pages::list).post(pages::create))
        .route("/practice/cycle/{id}", get(pages::show).post(pages::save))
        .route("/practice/cycle/{id}/delete", post(pages::delete))
        .routes(routes!(api::list_maps, api::create_map))
        .routes(routes!(api::get_map, api::update_map, api::delete_map))
        .routes(routes!(api::map_versions))
}
