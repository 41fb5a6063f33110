//! The reflection journal: entries written to a prompt or to none, drafts
//! kept while the member writes (never lost, even across a sign-in), and the
//! instance's own prompts, which coaches add, reword and retire.

pub mod api;
pub mod carry;
pub mod content;
pub mod drafts;
pub mod form;
pub mod list_store;
pub mod member_data;
pub mod pages;
pub mod paging;
pub mod prompt_store;
pub mod prompts;
pub mod rules;
pub mod service;
pub mod store;

use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::Flash;
use crate::web::assets::{self, Asset, JS};

pub const ENTRY_SAVED: Flash = Flash::new("entry-saved", "Your entry is saved.");
pub const ENTRY_DELETED: Flash = Flash::new("entry-deleted", "The entry is deleted.");
pub const DRAFT_DISCARDED: Flash = Flash::new("draft-discarded", "The draft is discarded.");
pub const PROMPT_SAVED: Flash = Flash::new("prompt-saved", "The prompt is added for every member.");
pub const PROMPT_REWORDED: Flash = Flash::new("prompt-reworded", "The prompt's new wording is saved.");
pub const PROMPT_RETIRED: Flash =
    Flash::new("prompt-retired", "The prompt is retired. Entries written to it keep it.");

pub const FLASHES: &[Flash] =
    &[ENTRY_SAVED, ENTRY_DELETED, DRAFT_DISCARDED, PROMPT_SAVED, PROMPT_REWORDED, PROMPT_RETIRED];

/// Keeps what is typed in the browser and on the server every few seconds.
pub const ASSETS: &[Asset] = &[Asset {
    name: "draft-keeper.js",
    content_type: JS,
    body: include_bytes!("../../../../static/draft-keeper.js"),
}];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/practice/journal", get(pages::list).post(form::create))
        .route("/practice/journal/new", get(form::new_form))
        .route("/practice/journal/draft/discard", post(pages::discard_draft))
        .route("/practice/journal/{id}", get(pages::show))
        .route("/practice/journal/{id}/edit", get(form::edit_form).post(form::edit_submit))
        .route("/practice/journal/{id}/delete", post(pages::delete))
        .route("/coach/prompts", get(prompts::coach_page).post(prompts::coach_add))
        .route("/coach/prompts/{id}", post(prompts::coach_reword))
        .route("/coach/prompts/{id}/retire", post(prompts::coach_retire))
        .routes(routes!(api::list_entries, api::create_entry))
        .routes(routes!(api::get_entry, api::update_entry, api::delete_entry))
        .routes(routes!(api::get_draft, api::save_draft, api::delete_draft))
        .routes(routes!(api::list_new_drafts))
        .routes(routes!(prompts::list_prompts, prompts::create_prompt))
        .routes(routes!(prompts::get_prompt, prompts::update_prompt, prompts::delete_prompt))
        .merge(assets::routes(ASSETS).into())
}
