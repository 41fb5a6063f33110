//! The practice hub: each tool, with how much of it the member has used.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::{cycle, journal, repair, returns};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser, Layout, render};

#[derive(Template)]
#[template(path = "practice/index.html")]
struct HubPage {
    layout: Layout,
    entries: i64,
    unfinished_plan: Option<String>,
    maps: i64,
    returns: i64,
}

pub async fn hub(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let entries = journal::store::count_entries(&state.db, &user.id).await?;
    let unfinished_plan = repair::store::unfinished_plan(&state.db, &user.id).await?.map(|p| p.id);
    let maps = cycle::store::count_maps(&state.db, &user.id).await?;
    let returns = returns::store::count_returns(&state.db, &user.id).await?;
    render(HubPage { layout, entries, unfinished_plan, maps, returns })
}
