//! The practice tools as JSON: journal, drafts, prompts, affirmations, repair
//! plans, cycle maps with their versions, and moments of return. Every route
//! reads and writes only the signed-in member's own rows.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::cycle::CycleFields;
use super::journal::{self, EntryInput, Prompt};
use super::repair::RepairAnswers;
use super::service::{self, Affirmation, EntryUpdate};
use super::store::{self, DraftRecord, EntryRecord, MapRecord, MapVersion, PlanRecord, ReturnRecord};
use crate::clock::rfc3339;
use crate::state::AppState;
use crate::web::{AppError, CurrentUser, RequireStaff};

// ---- journal ---------------------------------------------------------------

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
    pub entries: Vec<EntrySummaryJson>,
    pub page: i64,
    /// True when older entries follow on the next page.
    pub has_more: bool,
}

#[derive(Deserialize, IntoParams)]
pub struct EntryListQuery {
    /// Only entries written to this prompt.
    prompt: Option<String>,
    /// 1-based; 20 entries a page, newest first.
    page: Option<i64>,
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
    let page = crate::web::forms::page_number(q.page);
    let (rows, has_more) = super::journal_pages::list_page(&state, &user.id, prompt, page).await?;
    let entries = rows
        .into_iter()
        .map(|e| EntrySummaryJson {
            display_title: journal::display_title(&e.title, &e.opening),
            id: e.id,
            prompt_id: e.prompt_id,
            title: e.title,
            created_at: rfc3339(e.created_at),
            updated_at: rfc3339(e.updated_at),
        })
        .collect();
    Ok(Json(EntryPage { entries, page, has_more }))
}

/// Write an entry.
#[utoipa::path(post, path = "/api/v1/journal", tag = "practice", request_body = EntryInput,
    responses((status = 201, body = EntryJson), (status = 422), (status = 401)))]
pub async fn create_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<EntryInput>,
) -> Result<(StatusCode, Json<EntryJson>), AppError> {
    let id = service::create_entry(&state, &user, &input).await?;
    let entry = store::find_entry(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(entry.into())))
}

/// Read one entry.
#[utoipa::path(get, path = "/api/v1/journal/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = EntryJson), (status = 404)))]
pub async fn get_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<EntryJson>, AppError> {
    Ok(Json(store::find_entry(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?.into()))
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

/// Delete an entry (and any draft of changes to it).
#[utoipa::path(delete, path = "/api/v1/journal/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 204), (status = 404)))]
pub async fn delete_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    service::delete_entry(&state, &user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- drafts ----------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct DraftJson {
    /// The entry being edited, or null for a new entry.
    pub entry_id: Option<String>,
    pub prompt_id: String,
    pub title: String,
    pub body: String,
    /// For an edit: the entry's version the draft started from.
    pub base_version: i64,
    pub updated_at: String,
}

impl From<DraftRecord> for DraftJson {
    fn from(d: DraftRecord) -> Self {
        DraftJson {
            entry_id: (d.key != "new").then_some(d.key),
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
    #[serde(flatten)]
    pub entry: EntryInput,
    #[serde(default)]
    pub base_version: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
pub struct DraftQuery {
    /// The entry whose draft of changes to read; leave out for the new-entry draft.
    entry: Option<String>,
}

/// The kept draft of a new entry, or of changes to one entry.
#[utoipa::path(get, path = "/api/v1/journal/draft", tag = "practice", params(DraftQuery),
    responses((status = 200, body = DraftJson), (status = 404, description = "No draft")))]
pub async fn get_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DraftQuery>,
) -> Result<Json<DraftJson>, AppError> {
    let entry = q.entry.as_deref().filter(|e| !e.is_empty());
    Ok(Json(service::find_draft(&state, &user, entry).await?.ok_or(AppError::NotFound)?.into()))
}

/// Keep a draft (the page does this every few seconds while the member writes).
#[utoipa::path(put, path = "/api/v1/journal/draft", tag = "practice", request_body = DraftRequest,
    responses((status = 200, body = DraftJson), (status = 404), (status = 422), (status = 401)))]
pub async fn save_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<DraftRequest>,
) -> Result<Json<DraftJson>, AppError> {
    let entry = req.entry_id.as_deref().filter(|e| !e.is_empty());
    Ok(Json(service::save_draft(&state, &user.id, entry, &req.entry, req.base_version).await?.into()))
}

/// Throw a draft away.
#[utoipa::path(delete, path = "/api/v1/journal/draft", tag = "practice", params(DraftQuery),
    responses((status = 204), (status = 404)))]
pub async fn delete_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DraftQuery>,
) -> Result<StatusCode, AppError> {
    let key = journal::draft_key(q.entry.as_deref().filter(|e| !e.is_empty()));
    if store::delete_draft(&state.db, &user.id, &key).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}

// ---- prompts ---------------------------------------------------------------

/// Every prompt: built-in, the instance's own (retired ones flagged), and the reframe's.
#[utoipa::path(get, path = "/api/v1/prompts", tag = "practice", responses((status = 200, body = [Prompt]), (status = 401)))]
pub async fn list_prompts(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> Result<Json<Vec<Prompt>>, AppError> {
    Ok(Json(service::prompts(&state).await?))
}

/// One prompt.
#[utoipa::path(get, path = "/api/v1/prompts/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = Prompt), (status = 404)))]
pub async fn get_prompt(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Prompt>, AppError> {
    service::prompts(&state).await?.into_iter().find(|p| p.id == id).map(Json).ok_or(AppError::NotFound)
}

#[derive(Deserialize, ToSchema)]
pub struct TextRequest {
    pub text: String,
}

/// Add a prompt for everyone on this instance (coaches and admins).
#[utoipa::path(post, path = "/api/v1/prompts", tag = "practice", request_body = TextRequest,
    responses((status = 201, body = Prompt), (status = 403), (status = 422)))]
pub async fn create_prompt(
    State(state): State<AppState>,
    RequireStaff(user): RequireStaff,
    Json(req): Json<TextRequest>,
) -> Result<(StatusCode, Json<Prompt>), AppError> {
    journal::validate_prompt_text(&req.text).into_result()?;
    let id = store::insert_prompt(&state.db, req.text.trim(), &user.id).await?;
    let p = service::prompts(&state).await?.into_iter().find(|p| p.id == id).ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// Reword one of the instance's prompts (coaches and admins).
#[utoipa::path(put, path = "/api/v1/prompts/{id}", tag = "practice", params(("id" = String, Path)),
    request_body = TextRequest, responses((status = 200, body = Prompt), (status = 403), (status = 404), (status = 422)))]
pub async fn update_prompt(
    State(state): State<AppState>,
    RequireStaff(_staff): RequireStaff,
    Path(id): Path<String>,
    Json(req): Json<TextRequest>,
) -> Result<Json<Prompt>, AppError> {
    journal::validate_prompt_text(&req.text).into_result()?;
    if !store::update_prompt(&state.db, &id, req.text.trim()).await? {
        return Err(AppError::NotFound);
    }
    service::prompts(&state).await?.into_iter().find(|p| p.id == id).map(Json).ok_or(AppError::NotFound)
}

/// Retire one of the instance's prompts: no longer offered; entries keep it.
#[utoipa::path(delete, path = "/api/v1/prompts/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 204), (status = 403), (status = 404)))]
pub async fn delete_prompt(
    State(state): State<AppState>,
    RequireStaff(_staff): RequireStaff,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if store::retire_prompt(&state.db, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}

// ---- affirmations ----------------------------------------------------------

/// Built-in and own affirmations with the member's marks, favourites first.
#[utoipa::path(get, path = "/api/v1/affirmations", tag = "practice",
    responses((status = 200, body = [Affirmation]), (status = 401)))]
pub async fn list_affirmations(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<Affirmation>>, AppError> {
    Ok(Json(service::affirmations(&state, &user).await?))
}

async fn one_affirmation(state: &AppState, user: &CurrentUser, id: &str) -> Result<Affirmation, AppError> {
    service::affirmations(state, user).await?.into_iter().find(|a| a.id == id).ok_or(AppError::NotFound)
}

/// One affirmation.
#[utoipa::path(get, path = "/api/v1/affirmations/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = Affirmation), (status = 404)))]
pub async fn get_affirmation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Affirmation>, AppError> {
    Ok(Json(one_affirmation(&state, &user, &id).await?))
}

/// Add an affirmation of your own.
#[utoipa::path(post, path = "/api/v1/affirmations", tag = "practice", request_body = TextRequest,
    responses((status = 201, body = Affirmation), (status = 422)))]
pub async fn create_affirmation(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<TextRequest>,
) -> Result<(StatusCode, Json<Affirmation>), AppError> {
    service::validate_affirmation(&req.text).into_result()?;
    let id = store::insert_affirmation(&state.db, &user.id, req.text.trim()).await?;
    Ok((StatusCode::CREATED, Json(one_affirmation(&state, &user, &id).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct AffirmationUpdate {
    /// New words (own affirmations only).
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub favourite: Option<bool>,
    #[serde(default)]
    pub hidden: Option<bool>,
}

/// Reword an own affirmation, or keep any one as a favourite or hide it.
#[utoipa::path(put, path = "/api/v1/affirmations/{id}", tag = "practice", params(("id" = String, Path)),
    request_body = AffirmationUpdate, responses((status = 200, body = Affirmation), (status = 404), (status = 422)))]
pub async fn update_affirmation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<AffirmationUpdate>,
) -> Result<Json<Affirmation>, AppError> {
    let current = one_affirmation(&state, &user, &id).await?;
    if let Some(text) = &req.text {
        if !current.own {
            return Err(AppError::BadRequest(
                "Built-in affirmations cannot be reworded; add your own instead.".into(),
            ));
        }
        service::validate_affirmation(text).into_result()?;
        store::update_affirmation(&state.db, &user.id, &id, text.trim()).await?;
    }
    let favourite = req.favourite.unwrap_or(current.favourite);
    let hidden = req.hidden.unwrap_or(current.hidden);
    let mark = match (favourite, hidden) {
        (_, true) => Some("hidden"),
        (true, false) => Some("favourite"),
        (false, false) => None,
    };
    service::mark_affirmation(&state, &user, &id, mark).await?;
    Ok(Json(one_affirmation(&state, &user, &id).await?))
}

/// Delete an own affirmation (built-in ones can only be hidden).
#[utoipa::path(delete, path = "/api/v1/affirmations/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 204), (status = 404)))]
pub async fn delete_affirmation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if store::delete_affirmation(&state.db, &user.id, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}

// ---- repair plans ----------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct RepairPlanJson {
    pub id: String,
    pub title: String,
    /// The next step to fill in, 1 to 7.
    pub step: i64,
    pub finished: bool,
    pub answers: RepairAnswers,
    pub created_at: String,
    pub updated_at: String,
    pub finished_at: Option<String>,
}

impl From<PlanRecord> for RepairPlanJson {
    fn from(p: PlanRecord) -> Self {
        RepairPlanJson {
            id: p.id,
            title: super::repair::title(&p.answers),
            step: p.step,
            finished: p.finished_at.is_some(),
            answers: p.answers,
            created_at: rfc3339(p.created_at),
            updated_at: rfc3339(p.updated_at),
            finished_at: p.finished_at.map(rfc3339),
        }
    }
}

/// The member's repair plans, unfinished first.
#[utoipa::path(get, path = "/api/v1/repair-plans", tag = "practice", responses((status = 200, body = [RepairPlanJson])))]
pub async fn list_plans(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<RepairPlanJson>>, AppError> {
    Ok(Json(store::list_plans(&state.db, &user.id).await?.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct NewPlanRequest {
    /// Must be true: "I am not afraid of my partner." If you are, this is not
    /// the tool; see /safety.
    pub not_afraid: bool,
    #[serde(default)]
    pub answers: RepairAnswers,
    #[serde(default)]
    pub step: Option<i64>,
}

/// Start a repair plan. The safety check comes first.
#[utoipa::path(post, path = "/api/v1/repair-plans", tag = "practice", request_body = NewPlanRequest,
    responses((status = 201, body = RepairPlanJson), (status = 422)))]
pub async fn create_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<NewPlanRequest>,
) -> Result<(StatusCode, Json<RepairPlanJson>), AppError> {
    if !req.not_afraid {
        let mut errors = crate::web::FieldErrors::new();
        errors.add(
            "not_afraid",
            "If you are afraid of your partner, this guide is not the right tool. The Safety page (/safety) has places to turn.",
        );
        return Err(AppError::Validation(errors));
    }
    let id = service::start_plan(&state, &user, &req.answers, req.step.unwrap_or(1)).await?;
    let plan = store::find_plan(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(plan.into())))
}

/// One repair plan.
#[utoipa::path(get, path = "/api/v1/repair-plans/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = RepairPlanJson), (status = 404)))]
pub async fn get_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<RepairPlanJson>, AppError> {
    Ok(Json(store::find_plan(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct PlanUpdateRequest {
    pub answers: RepairAnswers,
    pub step: i64,
    /// Finishing needs a repair attempt.
    #[serde(default)]
    pub finished: bool,
}

/// Replace a repair plan's answers and progress.
#[utoipa::path(put, path = "/api/v1/repair-plans/{id}", tag = "practice", params(("id" = String, Path)),
    request_body = PlanUpdateRequest, responses((status = 200, body = RepairPlanJson), (status = 404), (status = 422)))]
pub async fn update_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<PlanUpdateRequest>,
) -> Result<Json<RepairPlanJson>, AppError> {
    Ok(Json(service::replace_plan(&state, &user, &id, &req.answers, req.step, req.finished).await?.into()))
}

/// Delete a repair plan.
#[utoipa::path(delete, path = "/api/v1/repair-plans/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 204), (status = 404)))]
pub async fn delete_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if store::delete_plan(&state.db, &user.id, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}

// ---- cycle maps ------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct CycleMapJson {
    pub id: String,
    pub title: String,
    pub versions: i64,
    /// The latest version's links.
    pub current: CycleFields,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct CycleVersionJson {
    pub number: i64,
    pub fields: CycleFields,
    pub created_at: String,
}

impl From<MapVersion> for CycleVersionJson {
    fn from(v: MapVersion) -> Self {
        CycleVersionJson { number: v.number, fields: v.fields, created_at: rfc3339(v.created_at) }
    }
}

impl From<MapRecord> for CycleMapJson {
    fn from(m: MapRecord) -> Self {
        CycleMapJson {
            id: m.id,
            title: m.title,
            versions: m.versions,
            current: m.latest,
            created_at: rfc3339(m.created_at),
            updated_at: rfc3339(m.updated_at),
        }
    }
}

async fn one_map(state: &AppState, user: &CurrentUser, id: &str) -> Result<CycleMapJson, AppError> {
    Ok(store::find_map(&state.db, &user.id, id).await?.ok_or(AppError::NotFound)?.into())
}

/// The member's cycle maps, most recently changed first.
#[utoipa::path(get, path = "/api/v1/cycle-maps", tag = "practice", responses((status = 200, body = [CycleMapJson])))]
pub async fn list_maps(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<CycleMapJson>>, AppError> {
    Ok(Json(store::list_maps(&state.db, &user.id).await?.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct CycleMapRequest {
    #[serde(default)]
    pub title: String,
    #[serde(flatten)]
    pub fields: CycleFields,
}

/// Draw a new map (its first version).
#[utoipa::path(post, path = "/api/v1/cycle-maps", tag = "practice", request_body = CycleMapRequest,
    responses((status = 201, body = CycleMapJson), (status = 422)))]
pub async fn create_map(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<CycleMapRequest>,
) -> Result<(StatusCode, Json<CycleMapJson>), AppError> {
    let id = service::create_map(&state, &user, &req.title, &req.fields).await?;
    Ok((StatusCode::CREATED, Json(one_map(&state, &user, &id).await?)))
}

/// One map with its latest version.
#[utoipa::path(get, path = "/api/v1/cycle-maps/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = CycleMapJson), (status = 404)))]
pub async fn get_map(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<CycleMapJson>, AppError> {
    Ok(Json(one_map(&state, &user, &id).await?))
}

/// Save a map: a new version when the links changed.
#[utoipa::path(put, path = "/api/v1/cycle-maps/{id}", tag = "practice", params(("id" = String, Path)),
    request_body = CycleMapRequest, responses((status = 200, body = CycleMapJson), (status = 404), (status = 422)))]
pub async fn update_map(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<CycleMapRequest>,
) -> Result<Json<CycleMapJson>, AppError> {
    service::save_map(&state, &user, &id, &req.title, &req.fields).await?;
    Ok(Json(one_map(&state, &user, &id).await?))
}

/// Delete a map and all its versions.
#[utoipa::path(delete, path = "/api/v1/cycle-maps/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 204), (status = 404)))]
pub async fn delete_map(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if store::delete_map(&state.db, &user.id, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}

/// Every version of a map, oldest first.
#[utoipa::path(get, path = "/api/v1/cycle-maps/{id}/versions", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = [CycleVersionJson]), (status = 404)))]
pub async fn map_versions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<CycleVersionJson>>, AppError> {
    store::find_map(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(store::map_versions(&state.db, &user.id, &id).await?.into_iter().map(Into::into).collect()))
}

// ---- moments of return -----------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct ReturnJson {
    pub id: String,
    /// YYYY-MM-DD.
    pub day: String,
    pub text: String,
    pub created_at: String,
}

impl From<ReturnRecord> for ReturnJson {
    fn from(r: ReturnRecord) -> Self {
        ReturnJson { id: r.id, day: r.day, text: r.text, created_at: rfc3339(r.created_at) }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct ReturnRequest {
    /// YYYY-MM-DD; today (in the member's time zone) when left out.
    #[serde(default)]
    pub day: Option<String>,
    pub text: String,
}

/// The member's moments of return, newest first.
#[utoipa::path(get, path = "/api/v1/returns", tag = "practice", responses((status = 200, body = [ReturnJson])))]
pub async fn list_returns(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<ReturnJson>>, AppError> {
    Ok(Json(store::list_returns(&state.db, &user.id, 10_000).await?.into_iter().map(Into::into).collect()))
}

/// Log a moment of return.
#[utoipa::path(post, path = "/api/v1/returns", tag = "practice", request_body = ReturnRequest,
    responses((status = 201, body = ReturnJson), (status = 422)))]
pub async fn create_return(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<ReturnRequest>,
) -> Result<(StatusCode, Json<ReturnJson>), AppError> {
    let day = req.day.unwrap_or_else(|| service::today(&user));
    let id = service::log_return(&state, &user, &day, &req.text).await?;
    let r = store::find_return(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

/// One moment of return.
#[utoipa::path(get, path = "/api/v1/returns/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 200, body = ReturnJson), (status = 404)))]
pub async fn get_return(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ReturnJson>, AppError> {
    Ok(Json(store::find_return(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?.into()))
}

/// Change a moment of return.
#[utoipa::path(put, path = "/api/v1/returns/{id}", tag = "practice", params(("id" = String, Path)),
    request_body = ReturnRequest, responses((status = 200, body = ReturnJson), (status = 404), (status = 422)))]
pub async fn update_return(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<ReturnRequest>,
) -> Result<Json<ReturnJson>, AppError> {
    let existing = store::find_return(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?;
    let day = req.day.unwrap_or(existing.day);
    service::change_return(&state, &user, &id, &day, &req.text).await?;
    Ok(Json(store::find_return(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?.into()))
}

/// Delete a moment of return.
#[utoipa::path(delete, path = "/api/v1/returns/{id}", tag = "practice", params(("id" = String, Path)),
    responses((status = 204), (status = 404)))]
pub async fn delete_return(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if store::delete_return(&state.db, &user.id, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}
