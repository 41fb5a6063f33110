//! Learn: the guide, FAQ, resources, get started, posts with feeds, and search.

pub mod api;
pub mod content;
pub mod editor;
pub mod feed;
pub mod index;
pub mod markdown;
pub mod member_data;
pub mod pages;
pub mod posts;
pub mod service;
pub mod start;
pub mod store;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/guide", get(pages::guide_index))
        .route("/guide/{slug}", get(pages::chapter))
        .route("/faq", get(pages::faq))
        .route("/resources", get(pages::resources))
        .route("/start", get(pages::start_page).post(pages::start_submit))
        .route("/start/plan", get(pages::start_plan))
        .route("/posts", get(pages::posts))
        .route("/posts/{slug}", get(pages::post))
        .route("/tags/{tag}", get(pages::tag))
        .route("/tags/{tag}/feed.xml", get(feed::tag_feed))
        .route("/feed.xml", get(feed::site_feed))
        .route("/search", get(pages::search_page))
        .route("/coach/posts", get(editor::list))
        .route("/coach/posts/new", get(editor::new_page).post(editor::create))
        .route("/coach/posts/{id}", get(editor::edit_page).post(editor::update))
        .route("/coach/posts/{id}/delete", post(editor::delete))
        .route("/api/v1/guide", get(api::guide))
        .route("/api/v1/guide/{slug}", get(api::chapter))
        .route("/api/v1/faq", get(api::faq))
        .route("/api/v1/posts", get(api::list_posts).post(api::create_post))
        .route("/api/v1/posts/preview", post(api::preview))
        .route("/api/v1/posts/{slug}", get(api::get_post).put(api::update_post).delete(api::delete_post))
        .route("/api/v1/search", get(api::search))
        .route("/api/v1/start", get(api::my_start).post(api::start))
}

/// Work done once at start-up: index the guide and FAQ for search.
pub async fn startup(db: &crate::db::Db) -> anyhow::Result<()> {
    index::index_static_content(db).await?;
    Ok(())
}
