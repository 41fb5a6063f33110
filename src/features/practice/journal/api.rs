//! The journal as JSON: entries and drafts. Every route reads and writes only
//! the signed-in member's own rows.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::paging::Cursor;
use super::rules::{self, DraftFor, EntryInput};
use super::service::{self, EntryUpdate};
use super::store::{DraftRecord, EntryRecord};
use crate::clock::rfc3339;
use crate::features::undo::Deleted;
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

#[derive(Serialize, ToSchema)]
pub struct EntryJson {
    pub id: String,
    /// Empty when the entry has no prompt.
    pub prompt_id: String,
    /// The prompt's words when the entry was written (empty when not recorded).
    pub prompt_text: String,
    pub title: String,
    /// Exactly as written.
    pub body: String,
    /// Send this back with an update; a stale one gets 409.
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<EntryRecord> for EntryJson {
    fn from(e: EntryRecord) -> Self {
        EntryJson {
            id: e.id,
            prompt_id: e.prompt_id,
            prompt_text: e.prompt_text,
            title: e.title,
            body: e.body,
            version: e.version,
            created_at: rfc3339(e.created_at),
            updated_at: rfc3339(e.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EntrySummaryJson {
    pub id: String,
    pub prompt_id: String,
    pub title: String,
    /// The title, or the opening words when there is none.
    pub display_title: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct EntryPage {
    /// Up to 20 entries, newest first.
    pub entries: Vec<EntrySummaryJson>,
    /// When older entries follow: pass it as `before` for the next page.
    pub older: Option<String>,
    /// When newer entries come before: pass it as `after` for the page before.
    pub newer: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct EntryListQuery {
    /// Only entries written to this prompt.
    prompt: Option<String>,
    /// The entries just older than this position (an `older` from a page).
    before: Option<String>,
    /// The entries just newer than this position (a `newer` from a page).
    after: Option<String>,
    /// `true` (or `1`): the oldest entries.
    #[serde(default, deserialize_with = "crate::web::forms::flag")]
    #[param(value_type = Option<bool>)]
    oldest: bool,
}

/// The member's journal, newest first.
#[utoipa::path(get, path = "/api/v1/journal", tag = "practice", params(EntryListQuery),
    responses((status = 200, body = EntryPage), (status = 401)))]
pub async fn list_entries(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<EntryListQuery>,
) -> Result<Json<EntryPage>, AppError> {
    let prompt = q.prompt.as_deref().filter(|p| !p.is_empty());
    let cursor = Cursor::from_query(q.before.as_deref(), q.after.as_deref(), q.oldest);
    let page = service::list_page(&state, &user.id, prompt, &cursor).await?;
    let entries = page
        .rows
        .into_iter()
        .map(|e| EntrySummaryJson {
            display_title: rules::display_title(&e.title, &e.opening),
            id: e.id,
            prompt_id: e.prompt_id,
            title: e.title,
            created_at: rfc3339(e.created_at),
            updated_at: rfc3339(e.updated_at),
        })
        .collect();
    Ok(Json(EntryPage {
        entries,
        older: page.older.map(|p| p.encode()),
        newer: page.newer.map(|p| p.encode()),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewEntryRequest {
    #[serde(flatten)]
    pub entry: EntryInput,
    /// The draft slot it was written in (see the draft routes), which is then
    /// done with; leave out for the first.
    #[serde(default)]
    pub draft: Option<String>,
}

/// Write an entry.
#[utoipa::path(post, path = "/api/v1/journal", tag = "practice", request_body = NewEntryRequest,
    responses((status = 201, body = EntryJson), (status = 422), (status = 401)))]
pub async fn create_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<NewEntryRequest>,
) -> Result<(StatusCode, Json<EntryJson>), AppError> {
    let draft = DraftFor::named(None, req.draft.as_deref()).ok_or_else(unknown_slot)?;
    let id = service::create_entry(&state, &user, &req.entry, &draft).await?;
    Ok((StatusCode::CREATED, Json(service::find_entry(&state, &user, &id).await?.into())))
}

/// Read one entry.
#[utoipa::path(get, path = "/api/v1/journal/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = EntryJson), (status = 404)))]
pub async fn get_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<EntryJson>, AppError> {
    Ok(Json(service::find_entry(&state, &user, &id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct EntryUpdateRequest {
    #[serde(flatten)]
    pub entry: EntryInput,
    /// The version this edit was based on.
    pub version: i64,
}

/// Change an entry. If it changed since `version`, nothing is overwritten:
/// the answer is 409 with the saved entry as `current`.
#[utoipa::path(put, path = "/api/v1/journal/{id}", tag = "practice", params(("id" = String, Path)),
    request_body = EntryUpdateRequest,
    responses((status = 200, body = EntryJson), (status = 409, description = "Stale version; body has `current`"),
        (status = 404), (status = 422)))]
pub async fn update_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<EntryUpdateRequest>,
) -> Result<Response, AppError> {
    match service::update_entry(&state, &user, &id, req.version, &req.entry).await? {
        EntryUpdate::Saved(e) => Ok(Json(EntryJson::from(e)).into_response()),
        EntryUpdate::Stale(current) => Ok((
            StatusCode::CONFLICT,
            Json(serde_json::json!({
                "error": {
                    "code": "conflict",
                    "message": "This entry changed since the version you edited. Nothing was overwritten; the saved entry is in `current`.",
                },
                "current": EntryJson::from(current),
            })),
        )
            .into_response()),
    }
}

/// Delete an entry (and any draft of changes to it). It can be brought back
/// with POST /api/v1/undo/{undo_id} until `undo_until`.
#[utoipa::path(delete, path = "/api/v1/journal/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = Deleted), (status = 404)))]
pub async fn delete_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Deleted>, AppError> {
    Ok(Json(service::delete_entry(&state, &user, &id).await?))
}

// ---- drafts ----------------------------------------------------------------

fn unknown_slot() -> AppError {
    AppError::BadRequest(
        "`draft` names a slot that is not one of ours: leave it out, or use one from the journal.".into(),
    )
}

#[derive(Serialize, ToSchema)]
pub struct DraftJson {
    /// The entry being edited, or null for a new entry.
    pub entry_id: Option<String>,
    /// For a new entry: its slot ("new" for the first, `new-<uuid>` for one
    /// started beside it).
    pub draft: Option<String>,
    pub prompt_id: String,
    pub title: String,
    pub body: String,
    /// For an edit: the entry's version the draft started from.
    pub base_version: i64,
    pub updated_at: String,
}

impl From<DraftRecord> for DraftJson {
    fn from(d: DraftRecord) -> Self {
        let new = rules::is_new_draft_key(&d.key);
        DraftJson {
            entry_id: (!new).then(|| d.key.clone()),
            draft: new.then_some(d.key),
            prompt_id: d.prompt_id,
            title: d.title,
            body: d.body,
            base_version: d.base_version,
            updated_at: rfc3339(d.updated_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct DraftRequest {
    /// The entry being edited; leave out for a new entry.
    #[serde(default)]
    pub entry_id: Option<String>,
    /// For a new entry: its slot, to keep several at once. Leave out for the
    /// first; start another with `new-` and a UUID of your choosing.
    #[serde(default)]
    pub draft: Option<String>,
    /// The member the page was shown to (the page sends it): a draft from a
    /// page another account left open on this device is refused (401), never
    /// kept in the account signed in now.
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(flatten)]
    pub entry: EntryInput,
    #[serde(default)]
    pub base_version: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
pub struct DraftQuery {
    /// The entry whose draft of changes to read; leave out for a new entry's draft.
    entry: Option<String>,
    /// A new entry's slot; leave out for the first.
    draft: Option<String>,
}

impl DraftQuery {
    fn target(&self) -> Result<DraftFor, AppError> {
        DraftFor::named(self.entry.as_deref(), self.draft.as_deref()).ok_or_else(unknown_slot)
    }
}

/// The kept draft of a new entry, or of changes to one entry.
#[utoipa::path(get, path = "/api/v1/journal/draft", tag = "practice", params(DraftQuery),
    responses((status = 200, body = DraftJson), (status = 404, description = "No draft")))]
pub async fn get_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DraftQuery>,
) -> Result<Json<DraftJson>, AppError> {
    Ok(Json(service::find_draft(&state, &user, &q.target()?).await?.ok_or(AppError::NotFound)?.into()))
}

/// Keep a draft (the page does this every few seconds while the member writes).
#[utoipa::path(put, path = "/api/v1/journal/draft", tag = "practice", request_body = DraftRequest,
    responses((status = 200, body = DraftJson), (status = 404), (status = 422), (status = 401)))]
pub async fn save_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<DraftRequest>,
) -> Result<Json<DraftJson>, AppError> {
    if req.owner.as_deref().is_some_and(|o| !o.is_empty() && o != user.id) {
        return Err(AppError::Unauthorized);
    }
    let draft = DraftFor::named(req.entry_id.as_deref(), req.draft.as_deref()).ok_or_else(unknown_slot)?;
    Ok(Json(service::autosave_draft(&state, &user.id, &draft, &req.entry, req.base_version).await?.into()))
}

/// Every kept draft of a new entry, most recent first.
#[utoipa::path(get, path = "/api/v1/journal/drafts", tag = "practice", responses((status = 200, body = Vec<DraftJson>)))]
pub async fn list_new_drafts(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<DraftJson>>, AppError> {
    Ok(Json(service::new_drafts(&state, &user).await?.into_iter().map(DraftJson::from).collect()))
}

/// Throw a draft away. It can be brought back with POST
/// /api/v1/undo/{undo_id} until `undo_until`.
#[utoipa::path(delete, path = "/api/v1/journal/draft", tag = "practice", params(DraftQuery),
    responses((status = 200, body = Deleted), (status = 404)))]
pub async fn delete_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DraftQuery>,
) -> Result<Json<Deleted>, AppError> {
    Ok(Json(service::discard_draft(&state, &user, &q.target()?).await?))
}
