//! Know yourself: instruments (data files), taking them, and results on the
//! attachment plane with an honest view of change, check-ins on signs, growth,
//! needs and today, and a dashboard of change over time.

pub mod api;
/// Instruments are parsed below the features (`crate::instruments`); assess uses them.
pub use crate::instruments as instrument;
pub mod chart;
pub mod checkin_api;
pub mod checkin_pages;
pub mod checkin_store;
pub mod checkins;
pub mod dashboard;
pub mod dashboard_store;
pub mod member_data;
pub mod pages;
pub mod plane;
pub mod service;
pub mod store;

use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::Flash;
use crate::web::assets::{self, Asset, JS};

pub const CHECKIN_SAVED: Flash = Flash::new("checkin-saved", "Your check-in is saved.");
pub const CHECKIN_DELETED: Flash = Flash::new("checkin-deleted", "The check-in is deleted.");

pub const FLASHES: &[Flash] = &[CHECKIN_SAVED, CHECKIN_DELETED];

/// Reads a chart's points with the keyboard and the pointer.
pub const ASSETS: &[Asset] = &[Asset {
    name: "chart-explore.js",
    content_type: JS,
    body: include_bytes!("../../../static/chart-explore.js"),
}];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/know", get(pages::know))
        .route("/know/instruments/{id}", get(pages::take_form).post(pages::take_submit))
        .route("/know/results/{id}", get(pages::result))
        .routes(routes!(api::list))
        .routes(routes!(api::get))
        .routes(routes!(api::respond))
        .routes(routes!(api::results))
        .routes(routes!(api::result))
        .route("/know/checkins/{kind}", get(checkin_pages::form).post(checkin_pages::submit))
        .route("/know/checkins/{kind}/{id}", get(checkin_pages::edit_form).post(checkin_pages::edit_submit))
        .route("/know/checkins/{kind}/{id}/delete", post(checkin_pages::delete))
        .route("/dashboard", get(checkin_pages::dashboard_page))
        .route("/dashboard/results.csv", get(checkin_pages::results_csv))
        .routes(routes!(checkin_api::list, checkin_api::create))
        .routes(routes!(checkin_api::update, checkin_api::delete))
        .routes(routes!(checkin_api::dashboard))
        .routes(routes!(checkin_api::results_csv))
        .merge(assets::routes(ASSETS).into())
}
