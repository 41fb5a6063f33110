//! Undo a delete. A member's own writing (journal entries, check-ins, maps,
//! plans, moments of return, affirmations, notes on recordings) is deleted at
//! once, without an "are you sure?" step, and the next page offers "Undo" for
//! `UNDO_SECONDS`. Until then the item's rows, and what was shared of it with
//! a partner, wait in `deleted_items`, out of every page, count, share and
//! export; a job purges them when the time is up. Undoing puts the same rows
//! back, with the same ids, so the item and its share are as they were.
//!
//! Deleting the whole account is not undone: it stays final.

pub mod rows;
pub mod store;

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::jobs::{ClaimedJob, JobFuture, JobKind};
use crate::state::AppState;
use crate::web::flash::redirect_with_undo;
use crate::web::member_data::{ExportFuture, MemberData};
use crate::web::{AppError, CurrentUser, Flash, Layout, redirect_with_flash, render_with_status};
use store::Undone;

/// How long a delete can be undone. The page says "two minutes".
pub const UNDO_SECONDS: i64 = 120;

/// Something a member can delete and undo: its rows in each table, the item's
/// own row first, then what hangs off it.
pub struct Undoable {
    /// What the kept rows are ("journal-entry"), for the API's answer.
    pub kind: &'static str,
    pub rows: &'static [ItemRows],
    /// For an item a member can share with a partner (`shared_with_partner!`).
    pub shared: Option<&'static SharedWithPartner>,
}

/// What was shared of an item with a partner (Together): the member's share
/// of it and its versions go and come back with the item, so the partner
/// loses sight of it at once, sees it again after an undo, and no snapshot
/// outlives the purge. The partner's notice of the share is removed for good
/// (it is theirs, not the member's to put back). A share whose link ended in
/// the meantime (an unlink, a safety reset, an account deleted) is not put
/// back.
pub struct SharedWithPartner {
    pub rows: &'static [ItemRows],
    /// Run (with `$1` the item's id, `$2` the member's) before the rows go.
    pub forget: &'static str,
}

/// The `SharedWithPartner` of an item shared as `$kind` (`shares.item_kind`).
macro_rules! shared_with_partner {
    ($kind:literal) => {
        &$crate::features::undo::SharedWithPartner {
            rows: &[
                $crate::features::undo::ItemRows {
                    table: "shares",
                    filter: concat!("item_kind = '", $kind, "' AND item_id = $1 AND author_id = $2"),
                },
                $crate::features::undo::ItemRows {
                    table: "share_versions",
                    filter: concat!(
                        "share_id IN (SELECT id FROM shares WHERE item_kind = '",
                        $kind,
                        "' AND item_id = $1 AND author_id = $2)"
                    ),
                },
            ],
            forget: concat!(
                "DELETE FROM notices WHERE kind = 'together' AND url IN (SELECT '/together/shares/' || id FROM shares
                 WHERE item_kind = '",
                $kind,
                "' AND item_id = $1 AND author_id = $2)"
            ),
        }
    };
}
pub(crate) use shared_with_partner;

/// The rows of one table that belong to the item. `filter` is SQL with `$1`
/// bound to the item's id and `$2` to the member's, and must name the member
/// (directly, or through a table listed before it).
pub struct ItemRows {
    pub table: &'static str,
    pub filter: &'static str,
}

pub const RESTORED: Flash = Flash::new("undone", "Undone: it is back as it was.");
pub const FLASHES: &[Flash] = &[RESTORED];

/// Purges whatever can no longer be undone. Private: when a member deletes
/// something is theirs alone, so no admin view lists these jobs.
pub const PURGE: JobKind = JobKind { name: "private:undo-purge", max_attempts: 5, run: purge };

pub const MEMBER_DATA: MemberData = MemberData {
    feature: "undo",
    tables: &["deleted_items"],
    not_exported: &[(
        "deleted_items",
        "what the member deleted, kept only for the two minutes in which they may undo it",
    )],
    delete: &["DELETE FROM deleted_items WHERE user_id = $1"],
    export: |_, _| -> ExportFuture<'_> { Box::pin(async { Ok(Vec::new()) }) },
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().route("/undo/{id}", post(undo_page)).routes(routes!(undo_api))
}

/// A delete that can still be undone.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Deleted {
    /// POST /api/v1/undo/{undo_id} brings the item back.
    pub undo_id: String,
    /// Unix seconds: after this the item is gone for good.
    pub undo_until: i64,
}

impl Deleted {
    /// On to `to`, saying what was deleted, with "Undo" beside it.
    pub fn redirect(&self, to: &str, flash: &Flash) -> Response {
        redirect_with_undo(to, flash, &self.undo_id, UNDO_SECONDS)
    }
}

/// Delete one of the member's items so that it can come back for
/// `UNDO_SECONDS`; `back_to` is the page an undo returns to. None when the
/// member has no such item.
pub async fn delete(
    state: &AppState,
    user_id: &str,
    what: &Undoable,
    item_id: &str,
    back_to: &str,
) -> Result<Option<Deleted>, AppError> {
    let now = crate::clock::now();
    let until = now + UNDO_SECONDS;
    let waiting =
        match store::move_to_trash(&state.db, user_id, what, item_id, back_to, now, until, &PURGE).await? {
            Some(w) => Some(w),
            // Deleted a moment ago (a double click): the same undo again.
            None => store::waiting_for(&state.db, user_id, what.kind, item_id, now).await?,
        };
    Ok(waiting.map(|w| Deleted { undo_id: w.id, undo_until: w.undo_until }))
}

/// As `delete`, with "not found" for an item that is not the member's.
pub async fn delete_or_404(
    state: &AppState,
    user_id: &str,
    what: &Undoable,
    item_id: &str,
    back_to: &str,
) -> Result<Deleted, AppError> {
    delete(state, user_id, what, item_id, back_to).await?.ok_or(AppError::NotFound)
}

async fn undo(state: &AppState, user_id: &str, id: &str) -> Result<Undone, AppError> {
    // Only a UUID reaches the store; anything else was never an undo.
    if uuid::Uuid::parse_str(id).is_err() {
        return Ok(Undone::Gone);
    }
    Ok(store::restore(&state.db, user_id, id, crate::clock::now()).await?)
}

#[derive(Template)]
#[template(path = "undo/too_late.html")]
struct TooLatePage {
    layout: Layout,
    /// Something new took the item's place, rather than time running out.
    occupied: bool,
}

/// "Undo" from the message after a delete.
pub async fn undo_page(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    match undo(&state, &user.id, &id).await? {
        Undone::Restored { back_to, .. } => Ok(redirect_with_flash(&back_to, &RESTORED)),
        Undone::Gone => render_with_status(StatusCode::GONE, TooLatePage { layout, occupied: false }),
        Undone::Occupied => render_with_status(StatusCode::CONFLICT, TooLatePage { layout, occupied: true }),
    }
}

/// What an undo brought back.
#[derive(Serialize, ToSchema)]
pub struct UndoneJson {
    /// "journal-entry", "check-in", "cycle-map", "repair-plan", "return", "affirmation" or "library-note".
    pub kind: String,
    /// The item's id, the same as before it was deleted.
    pub id: String,
}

/// Undo a delete while its time lasts (`undo_until` in the delete's answer).
/// 410 when it is too late, or the id is not one of the caller's; 409 when
/// something new has taken the item's place.
#[utoipa::path(post, path = "/api/v1/undo/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = UndoneJson), (status = 409), (status = 410)))]
pub async fn undo_api(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    match undo(&state, &user.id, &id).await? {
        Undone::Restored { kind, item_id, .. } => Ok(Json(UndoneJson { kind, id: item_id }).into_response()),
        Undone::Occupied => Ok((
            StatusCode::CONFLICT,
            Json(serde_json::json!({"error": {
                "code": "conflict",
                "message": "This cannot be put back: something new has taken its place (a draft written in the same place since). Nothing has changed.",
            }})),
        )
            .into_response()),
        Undone::Gone => Ok((
            StatusCode::GONE,
            Json(serde_json::json!({"error": {
                "code": "gone",
                "message": "This can no longer be undone: the time to undo ran out, and what was deleted is gone for good.",
            }})),
        )
            .into_response()),
    }
}

fn purge<'a>(state: &'a AppState, job: &'a ClaimedJob) -> JobFuture<'a> {
    Box::pin(async move {
        let mut tx = state.db.begin().await?;
        store::purge_expired(&mut *tx, crate::clock::now()).await?;
        crate::jobs::complete(tx, job).await
    })
}
