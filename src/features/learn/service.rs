//! What the post editor and the posts API both do.

use super::posts::{self, PostInput, PostStatus};
use super::store::{self, PostRecord};
use super::{index, markdown};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser, OnUnique};

const SLUG_TAKEN: &str = "Another post already uses this address. Choose a different slug.";

/// Create (`id` = None) or update a post; returns the stored post.
pub async fn save_post(
    state: &AppState,
    author: &CurrentUser,
    id: Option<&str>,
    input: &PostInput,
) -> Result<PostRecord, AppError> {
    let now = crate::clock::now();
    let valid = posts::validate(input, now, &author.time_zone).map_err(AppError::Validation)?;
    let minutes = markdown::reading_minutes(&markdown::to_plain_text(&valid.body));
    let id = match id {
        None => {
            store::insert_post(&state.db, &valid, &author.id, minutes).await.on_unique("slug", SLUG_TAKEN)?
        }
        Some(id) => {
            let updated =
                store::update_post(&state.db, id, &valid, minutes).await.on_unique("slug", SLUG_TAKEN)?;
            if !updated {
                return Err(AppError::NotFound);
            }
            id.to_owned()
        }
    };
    let post = store::find_by_id(&state.db, &id).await?.ok_or(AppError::NotFound)?;
    index::index_post(&state.db, &post).await?;
    // Visitors' copies of the public pages are stale now, on this instance at once.
    state.public_pages.bump();
    super::announce::schedule(state, &post).await?;
    Ok(post)
}

pub async fn delete_post(state: &AppState, id: &str) -> Result<(), AppError> {
    if !store::delete_post(&state.db, id).await? {
        return Err(AppError::NotFound);
    }
    index::remove_post(&state.db, id).await?;
    state.public_pages.bump();
    Ok(())
}

/// A post by its address, if this viewer may see it: drafts and scheduled posts
/// are "not found" for everyone but staff.
pub async fn visible_post(
    state: &AppState,
    slug: &str,
    viewer_is_staff: bool,
) -> Result<PostRecord, AppError> {
    let post = store::find_by_slug(&state.db, slug).await?.ok_or(AppError::NotFound)?;
    let status = PostStatus::of(&post.status, post.publish_at, crate::clock::now());
    if posts::visible_to(status, viewer_is_staff) { Ok(post) } else { Err(AppError::NotFound) }
}
