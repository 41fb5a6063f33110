//! The public Learn pages: the guide, FAQ and resources. Get started is in
//! `start_pages.rs`, posts and search in `post_pages.rs`.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::content::{self, Chapter, FaqEntry, Resource};
use super::store;
use crate::state::AppState;
use crate::web::{AppError, Layout, render};

// ---- guide ---------------------------------------------------------------------

#[derive(Template)]
#[template(path = "learn/guide_index.html")]
struct GuideIndex {
    layout: Layout,
    chapters: &'static [Chapter],
}

pub async fn guide_index(layout: Layout) -> Result<Response, AppError> {
    render(GuideIndex { layout, chapters: content::chapters() })
}

#[derive(Template)]
#[template(path = "learn/chapter.html")]
struct ChapterPage {
    layout: Layout,
    chapter: &'static Chapter,
    chapters: &'static [Chapter],
    prev: Option<&'static Chapter>,
    next: Option<&'static Chapter>,
    related: Vec<(String, String)>,
    practise: Vec<&'static crate::features::practice::pointers::ToolPointer>,
}

pub async fn chapter(
    State(state): State<AppState>,
    layout: Layout,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let chapter = content::chapter(&slug).ok_or(AppError::NotFound)?;
    let all = content::chapters();
    let i = chapter.number - 1;
    let related = store::published_for_chapter(&state.db, &chapter.slug, crate::clock::now()).await?;
    render(ChapterPage {
        layout,
        chapter,
        chapters: all,
        prev: i.checked_sub(1).and_then(|p| all.get(p)),
        next: all.get(i + 1),
        related,
        practise: crate::features::practice::pointers::tools_for_chapter(&chapter.slug),
    })
}

// ---- FAQ and resources -------------------------------------------------------------

#[derive(Template)]
#[template(path = "learn/faq.html")]
struct FaqPage {
    layout: Layout,
    questions: &'static [FaqEntry],
}

pub async fn faq(layout: Layout) -> Result<Response, AppError> {
    render(FaqPage { layout, questions: content::faq() })
}

#[derive(Template)]
#[template(path = "learn/resources.html")]
struct ResourcesPage {
    layout: Layout,
    resources: &'static [Resource],
}

pub async fn resources(layout: Layout) -> Result<Response, AppError> {
    render(ResourcesPage { layout, resources: content::resources() })
}
