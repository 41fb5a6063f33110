//! Search over what only some signed-in people may read (a library's
//! transcripts, for its members), declared by the feature that owns it and
//! listed in `app`. Site search asks each for the person searching; each
//! decides, on every request, whether that person may see anything at all.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::{AppError, CurrentUser};
use crate::db::search::SearchHit;
use crate::state::AppState;

pub type MemberSearchFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<SearchHit>, AppError>> + Send + 'a>>;

/// Hits for this person and query: empty for anyone who may not see them.
pub type MemberSearch = for<'a> fn(&'a AppState, &'a CurrentUser, &'a str) -> MemberSearchFuture<'a>;

#[derive(Clone, Default)]
pub struct MemberSearches(Arc<Vec<MemberSearch>>);

impl MemberSearches {
    pub fn new(searches: Vec<MemberSearch>) -> Self {
        MemberSearches(Arc::new(searches))
    }

    /// Every declared search's hits for a signed-in person (none for a visitor).
    pub async fn search(
        &self,
        state: &AppState,
        user: Option<&CurrentUser>,
        query: &str,
    ) -> Result<Vec<SearchHit>, AppError> {
        let Some(user) = user else { return Ok(Vec::new()) };
        let mut hits = Vec::new();
        for search in self.0.iter() {
            // One part of search failing leaves the rest of it working.
            match search(state, user, query).await {
                Ok(found) => hits.extend(found),
                Err(e) => tracing::error!(error = %e, "a member search failed"),
            }
        }
        Ok(hits)
    }
}
