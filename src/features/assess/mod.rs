//! Know yourself: instruments (data files), taking them, and results on the
//! attachment plane with an honest view of change. Check-ins and the dashboard
//! build on this.

pub mod api;
pub mod instrument;
pub mod pages;
pub mod plane;
pub mod registry;
pub mod service;
pub mod store;

use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;

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
}
