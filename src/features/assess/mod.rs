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
pub mod member_data;
pub mod pages;
pub mod plane;
pub mod service;
pub mod store;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/know", get(pages::know))
        .route("/know/instruments/{id}", get(pages::take_form).post(pages::take_submit))
        .route("/know/results/{id}", get(pages::result))
        .route("/api/v1/instruments", get(api::list))
        .route("/api/v1/instruments/{id}", get(api::get))
        .route("/api/v1/instruments/{id}/responses", post(api::respond))
        .route("/api/v1/results", get(api::results))
        .route("/api/v1/results/{id}", get(api::result))
        .route("/know/checkins/{kind}", get(checkin_pages::form).post(checkin_pages::submit))
        .route("/know/checkins/{kind}/{id}", get(checkin_pages::edit_form).post(checkin_pages::edit_submit))
        .route("/know/checkins/{kind}/{id}/delete", post(checkin_pages::delete))
        .route("/dashboard", get(checkin_pages::dashboard_page))
        .route("/dashboard/results.csv", get(checkin_pages::results_csv))
        .route("/api/v1/checkins/{kind}", get(checkin_api::list).post(checkin_api::create))
        .route(
            "/api/v1/checkins/{kind}/{id}",
            axum::routing::put(checkin_api::update).delete(checkin_api::delete),
        )
        .route("/api/v1/dashboard", get(checkin_api::dashboard))
        .route("/api/v1/me/results.csv", get(checkin_api::results_csv))
}
