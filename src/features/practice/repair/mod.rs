//! The conflict-repair guide: a safety check first, then seven steps that can
//! be left and resumed, and a finished plan that can be printed.

pub mod api;
pub mod content;
pub mod member_data;
pub mod pages;
pub mod rules;
pub mod service;
pub mod steps;
pub mod store;

use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::Flash;
use crate::web::assets::{self, Asset, JS};

pub const PLAN_STARTED: Flash =
    Flash::new("plan-started", "Your repair plan is started. You can leave at any step and come back.");
pub const STEP_SAVED: Flash = Flash::new("step-saved", "Saved.");
pub const PLAN_KEPT: Flash =
    Flash::new("plan-kept", "Your plan is kept. Pick it up again whenever you are ready.");
pub const PLAN_FINISHED: Flash =
    Flash::new("plan-finished", "Your repair plan is complete. It is here whenever you need it.");
pub const PLAN_DELETED: Flash = Flash::new("plan-deleted", "The repair plan is deleted.");

pub const FLASHES: &[Flash] = &[PLAN_STARTED, STEP_SAVED, PLAN_KEPT, PLAN_FINISHED, PLAN_DELETED];

/// The pause timer and the print button.
pub const ASSETS: &[Asset] = &[Asset {
    name: "practice.js",
    content_type: JS,
    body: include_bytes!("../../../../static/practice.js"),
}];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/practice/repair", get(pages::list))
        .route("/practice/repair/new", get(pages::safety_check).post(pages::safety_submit))
        .route("/practice/repair/{id}", get(pages::show))
        .route("/practice/repair/{id}/step/{n}", get(steps::step_form).post(steps::step_submit))
        .route("/practice/repair/{id}/delete", post(pages::delete))
        .routes(routes!(api::list_plans, api::create_plan))
        .routes(routes!(api::get_plan, api::update_plan, api::delete_plan))
        .merge(assets::routes(ASSETS).into())
}
