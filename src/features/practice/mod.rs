//! Practise: the reflection journal (with drafts that are never lost),
//! affirmations, the reframe, the conflict-repair guide, the negative-cycle
//! map kept in versions, and moments of return. Everything here is private to
//! the member who wrote it.

pub mod api;
pub mod content;
pub mod cycle;
pub mod cycle_pages;
pub mod export;
pub mod journal;
pub mod journal_pages;
pub mod pages;
pub mod repair;
pub mod repair_pages;
pub mod returns;
pub mod service;
pub mod store;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/practice", get(pages::hub))
        .route("/practice/journal", get(journal_pages::list).post(journal_pages::create))
        .route("/practice/journal/new", get(journal_pages::new_form))
        .route("/practice/journal/draft/discard", post(journal_pages::discard_draft))
        .route("/practice/journal/{id}", get(journal_pages::show))
        .route("/practice/journal/{id}/edit", get(journal_pages::edit_form).post(journal_pages::edit_submit))
        .route(
            "/practice/journal/{id}/delete",
            get(journal_pages::delete_confirm).post(journal_pages::delete),
        )
        .route("/practice/affirmations", get(pages::affirmations).post(pages::add_affirmation))
        .route("/practice/affirmations/{id}/mark", post(pages::mark_affirmation))
        .route("/practice/affirmations/{id}/delete", post(pages::delete_affirmation))
        .route("/practice/reframe", get(pages::reframe).post(pages::reframe_submit))
        .route("/practice/repair", get(repair_pages::list))
        .route("/practice/repair/new", get(repair_pages::safety_check).post(repair_pages::safety_submit))
        .route("/practice/repair/{id}", get(repair_pages::show))
        .route("/practice/repair/{id}/step/{n}", get(repair_pages::step_form).post(repair_pages::step_submit))
        .route("/practice/repair/{id}/delete", get(repair_pages::delete_confirm).post(repair_pages::delete))
        .route("/practice/cycle", get(cycle_pages::list).post(cycle_pages::create))
        .route("/practice/cycle/{id}", get(cycle_pages::show).post(cycle_pages::save))
        .route("/practice/cycle/{id}/delete", get(cycle_pages::delete_confirm).post(cycle_pages::delete))
        .route("/practice/returns", get(pages::returns).post(pages::log_return))
        .route("/practice/returns/{id}/edit", get(pages::edit_return).post(pages::edit_return_submit))
        .route("/practice/returns/{id}/delete", post(pages::delete_return))
        .route("/coach/prompts", get(pages::coach_prompts).post(pages::coach_add_prompt))
        .route("/coach/prompts/{id}", post(pages::coach_update_prompt))
        .route("/coach/prompts/{id}/retire", post(pages::coach_retire_prompt))
        .route("/api/v1/journal", get(api::list_entries).post(api::create_entry))
        .route("/api/v1/journal/draft", get(api::get_draft).put(api::save_draft).delete(api::delete_draft))
        .route("/api/v1/journal/{id}", get(api::get_entry).put(api::update_entry).delete(api::delete_entry))
        .route("/api/v1/prompts", get(api::list_prompts).post(api::create_prompt))
        .route(
            "/api/v1/prompts/{id}",
            get(api::get_prompt).put(api::update_prompt).delete(api::delete_prompt),
        )
        .route("/api/v1/affirmations", get(api::list_affirmations).post(api::create_affirmation))
        .route(
            "/api/v1/affirmations/{id}",
            get(api::get_affirmation).put(api::update_affirmation).delete(api::delete_affirmation),
        )
        .route("/api/v1/repair-plans", get(api::list_plans).post(api::create_plan))
        .route("/api/v1/repair-plans/{id}", get(api::get_plan).put(api::update_plan).delete(api::delete_plan))
        .route("/api/v1/cycle-maps", get(api::list_maps).post(api::create_map))
        .route("/api/v1/cycle-maps/{id}", get(api::get_map).put(api::update_map).delete(api::delete_map))
        .route("/api/v1/cycle-maps/{id}/versions", get(api::map_versions))
        .route("/api/v1/returns", get(api::list_returns).post(api::create_return))
        .route(
            "/api/v1/returns/{id}",
            get(api::get_return).put(api::update_return).delete(api::delete_return),
        )
}
