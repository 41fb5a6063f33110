//! What learn keeps of a member: their get-started answers, and the posts
//! they wrote as a coach (which stay on the site, without an author).

use serde::Serialize;

use super::{start, store};
use crate::state::AppState;
use crate::web::member_data::{ExportFuture, MemberData, section};

pub const MEMBER_DATA: MemberData = MemberData {
    feature: "learn",
    tables: &["start_answers", "posts"],
    not_exported: &[],
    delete: &[
        "DELETE FROM start_answers WHERE user_id = $1",
        // Posts belong to the instance; they stay, without an author.
        "UPDATE posts SET author_id = NULL WHERE author_id = $1",
    ],
    export,
};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportedPost {
    pub slug: String,
    pub title: String,
    pub body_markdown: String,
}

fn export<'a>(state: &'a AppState, user_id: &'a str) -> ExportFuture<'a> {
    Box::pin(async move {
        let get_started =
            store::start_answers(&state.db, user_id).await?.and_then(|a| start::StartAnswers::decode(&a));
        let posts: Vec<ExportedPost> = store::posts_by_author(&state.db, user_id)
            .await?
            .into_iter()
            .map(|(slug, title, body_markdown)| ExportedPost { slug, title, body_markdown })
            .collect();
        // The answers given to "get started", if any; posts written as a coach.
        Ok(vec![section("get_started", &get_started)?, section("posts_written", &posts)?])
    })
}
