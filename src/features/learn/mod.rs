//! Learn: the guide, FAQ, resources, get started, posts with feeds, and search.

pub mod announce;
pub mod api;
pub mod content;
pub mod editor;
pub mod feed;
pub mod index;
pub mod markdown;
pub mod member_data;
pub mod pages;
pub mod post_pages;
pub mod posts;
pub mod service;
pub mod start;
pub mod start_pages;
pub mod store;

use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::Flash;
use crate::web::assets::{self, Asset, JS};

pub const POST_SAVED: Flash = Flash::new("post-saved", "The post is saved.");
pub const POST_DELETED: Flash = Flash::new("post-deleted", "The post is deleted.");

pub const FLASHES: &[Flash] = &[POST_SAVED, POST_DELETED];

/// The editor's live preview.
pub const ASSETS: &[Asset] = &[Asset {
    name: "post-preview.js",
    content_type: JS,
    body: include_bytes!("../../../static/post-preview.js"),
}];

/// The pages anyone may read, the same for every visitor: `app` keeps
/// visitors' copies of them (`web::page_cache`).
pub fn public_pages() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/guide", get(pages::guide_index))
        .route("/guide/{slug}", get(pages::chapter))
        .route("/faq", get(pages::faq))
        .route("/resources", get(pages::resources))
        .route("/posts", get(post_pages::posts))
        .route("/posts/{slug}", get(post_pages::post))
        .route("/tags/{tag}", get(post_pages::tag))
        .route("/tags/{tag}/feed.xml", get(feed::tag_feed))
        .route("/feed.xml", get(feed::site_feed))
        .route("/search", get(post_pages::search_page))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/start", get(start_pages::start_page).post(start_pages::start_submit))
        .route("/start/plan", get(start_pages::start_plan))
        .route("/coach/posts", get(editor::list))
        .route("/coach/posts/new", get(editor::new_page).post(editor::create))
        .route("/coach/posts/{id}", get(editor::edit_page).post(editor::update))
        .route("/coach/posts/{id}/delete", post(editor::delete))
        .routes(routes!(api::guide))
        .routes(routes!(api::chapter))
        .routes(routes!(api::faq))
        .routes(routes!(api::list_posts, api::create_post))
        .routes(routes!(api::preview))
        .routes(routes!(api::get_post, api::update_post, api::delete_post))
        .routes(routes!(api::search))
        .routes(routes!(api::my_start, api::start))
        .merge(assets::routes(ASSETS).into())
}

/// Work done once at start-up: index the guide and FAQ for search, and make
/// sure every published post not yet announced has its announcement queued
/// (a post scheduled before this version, say).
pub async fn startup(state: &crate::state::AppState) -> anyhow::Result<()> {
    index::index_static_content(&state.db).await?;
    for post in store::unannounced_published(&state.db).await? {
        announce::schedule(state, &post).await?;
    }
    Ok(())
}
