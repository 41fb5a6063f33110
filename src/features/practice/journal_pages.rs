//! Journal pages: the list with prompts, writing and editing (with drafts kept
//! and stale copies caught), reading and deleting.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::journal::{self, EntryInput, Prompt};
use super::service::{self, EntryUpdate};
use super::store::{self, EntryRecord};
use crate::clock::format_in_zone;
use crate::state::AppState;
use crate::web::carry::{Carried, KeepFuture, Keeper, sign_in_to_keep};
use crate::web::forms::form_pairs;
use crate::web::layout::redirect_with_flash;
use crate::web::{AppError, CurrentUser, FieldErrors, Layout, MaybeUser, render, render_with_status};

pub struct EntryRow {
    pub id: String,
    pub title: String,
    pub prompt: Option<String>,
    pub when: String,
    pub edited: bool,
}

pub struct PromptRow {
    pub id: String,
    pub text: String,
    pub used: bool,
    pub write_url: String,
    pub filter_url: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "practice/journal_list.html")]
struct ListPage {
    layout: Layout,
    entries: Vec<EntryRow>,
    prompts: Vec<PromptRow>,
    filter: Option<String>,
    filter_text: Option<String>,
    page: i64,
    prev_url: Option<String>,
    next_url: Option<String>,
    has_draft: bool,
}

#[derive(Deserialize)]
pub struct ListQuery {
    prompt: Option<String>,
    page: Option<i64>,
}

fn list_url(prompt: Option<&str>, page: i64) -> String {
    match prompt {
        Some(p) => format!("/practice/journal?prompt={p}&page={page}"),
        None => format!("/practice/journal?page={page}"),
    }
}

pub async fn list(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let prompts = service::prompts(&state).await?;
    let filter = q.prompt.filter(|p| prompts.iter().any(|x| &x.id == p));
    let page = crate::web::forms::page_number(q.page);
    let (rows, has_more) = list_page(&state, &user.id, filter.as_deref(), page).await?;
    let ids: Vec<&str> = prompts.iter().filter(|p| !p.retired).map(|p| p.id.as_str()).collect();
    let used = store::used_prompt_ids(&state.db, &user.id, &ids).await?;
    let entries = rows
        .into_iter()
        .map(|e| EntryRow {
            title: journal::display_title(&e.title, &e.opening),
            prompt: journal::entry_question(&prompts, &e.prompt_id, &e.prompt_text),
            when: format_in_zone(e.created_at, &user.time_zone),
            edited: e.updated_at > e.created_at + 60,
            id: e.id,
        })
        .collect();
    let mut prompt_rows: Vec<PromptRow> =
        journal::offered(&prompts).into_iter().map(|p| prompt_row(p, &used, filter.as_deref())).collect();
    if let Some(reframe) = prompts.iter().find(|p| p.id == super::content::REFRAME_PROMPT_ID) {
        prompt_rows.push(prompt_row(reframe, &used, filter.as_deref()));
    }
    // The button leads to the new-entry form, so only a draft of a new entry counts.
    let has_draft = service::find_draft(&state, &user, None).await?.is_some();
    render(ListPage {
        layout,
        entries,
        prompts: prompt_rows,
        filter_text: filter.as_deref().and_then(|f| journal::prompt_text(&prompts, f)).map(str::to_owned),
        prev_url: (page > 1).then(|| list_url(filter.as_deref(), page - 1)),
        next_url: has_more.then(|| list_url(filter.as_deref(), page + 1)),
        filter,
        page,
        has_draft,
    })
}

/// One page of the member's entries and whether older ones follow. No
/// count of the whole journal: one row more than a page says it all.
pub async fn list_page(
    state: &AppState,
    user_id: &str,
    prompt: Option<&str>,
    page: i64,
) -> Result<(Vec<store::EntrySummary>, bool), AppError> {
    let offset = (page - 1).saturating_mul(journal::PAGE_SIZE);
    let mut rows = store::list_entries(&state.db, user_id, prompt, journal::PAGE_SIZE + 1, offset).await?;
    let has_more = rows.len() as i64 > journal::PAGE_SIZE;
    rows.truncate(journal::PAGE_SIZE as usize);
    Ok((rows, has_more))
}

fn prompt_row(p: &Prompt, used: &[String], filter: Option<&str>) -> PromptRow {
    PromptRow {
        id: p.id.clone(),
        text: p.text.clone(),
        used: used.contains(&p.id),
        write_url: journal::write_url(&p.id),
        filter_url: format!("/practice/journal?prompt={}", p.id),
        selected: filter == Some(p.id.as_str()),
    }
}

pub struct PromptOption {
    pub id: String,
    pub text: String,
    pub selected: bool,
}

/// The saved copy shown beside the member's own when two edits crossed.
pub struct SavedCopy {
    pub title: String,
    pub body: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "practice/journal_form.html")]
struct FormPage {
    layout: Layout,
    user_id: String,
    entry_id: Option<String>,
    version: i64,
    input: EntryInput,
    prompt_text: Option<String>,
    prompts: Vec<PromptOption>,
    errors: FieldErrors,
    /// Why the text on the form is not the saved entry: a kept draft or sign-in.
    kept_notice: Option<&'static str>,
    conflict: Option<SavedCopy>,
}

impl FormPage {
    fn draft_key(&self) -> String {
        journal::draft_key(self.entry_id.as_deref())
    }
}

fn prompt_options(prompts: &[Prompt], chosen: &str) -> Vec<PromptOption> {
    prompts
        .iter()
        .filter(|p| (!p.retired && p.id != super::content::REFRAME_PROMPT_ID) || p.id == chosen)
        .map(|p| PromptOption { id: p.id.clone(), text: p.text.clone(), selected: p.id == chosen })
        .collect()
}

struct FormState {
    entry_id: Option<String>,
    version: i64,
    input: EntryInput,
    errors: FieldErrors,
    kept_notice: Option<&'static str>,
    conflict: Option<SavedCopy>,
}

impl FormState {
    /// The form for a new entry (`entry_id` None) or an edit, with nothing to report yet.
    fn new(entry_id: Option<String>, version: i64, input: EntryInput) -> Self {
        FormState { entry_id, version, input, errors: FieldErrors::new(), kept_notice: None, conflict: None }
    }
}

async fn form_page(
    state: &AppState,
    layout: Layout,
    user: &CurrentUser,
    f: FormState,
) -> Result<FormPage, AppError> {
    let prompts = service::prompts(state).await?;
    Ok(FormPage {
        layout,
        user_id: user.id.clone(),
        prompt_text: journal::prompt_text(&prompts, &f.input.prompt_id).map(str::to_owned),
        prompts: prompt_options(&prompts, &f.input.prompt_id),
        entry_id: f.entry_id,
        version: f.version,
        input: f.input,
        errors: f.errors,
        kept_notice: f.kept_notice,
        conflict: f.conflict,
    })
}

#[derive(Deserialize)]
pub struct NewQuery {
    prompt: Option<String>,
    kept: Option<String>,
}

const KEPT_AFTER_SIGN_IN: &str =
    "You were signed out while writing. Nothing was lost: your text is below, saved as a draft.";
const ENTRY_GONE: &str = "This entry no longer exists: it may have been deleted in another tab. \
     Nothing you wrote is lost; it is below, ready to save as a new entry.";
const KEPT_DRAFT: &str =
    "You have an unfinished entry, kept as a draft. Carry on where you left off, or discard it.";

pub async fn new_form(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let draft = service::find_draft(&state, &user, None).await?;
    let (input, kept_notice) = match draft {
        Some(d) => (
            EntryInput { prompt_id: d.prompt_id, title: d.title, body: d.body },
            Some(if q.kept.is_some() { KEPT_AFTER_SIGN_IN } else { KEPT_DRAFT }),
        ),
        None => (EntryInput { prompt_id: q.prompt.unwrap_or_default(), ..Default::default() }, None),
    };
    let f = FormState { kept_notice, ..FormState::new(None, 0, input) };
    render(form_page(&state, layout, &user, f).await?)
}

/// The journal's part in writing carried through sign-in (listed by `app`).
pub const CARRY_KEEPER: Keeper = Keeper { kind: journal::CARRY_KIND, keep: keep_carried };

fn keep_carried(state: AppState, user: CurrentUser, carried: Carried) -> KeepFuture {
    Box::pin(async move { keep_after_sign_in(&state, &user, &carried).await })
}

const KEPT_BUT_INVALID: &str = "You are signed in again. Your text is below, just as you wrote it, \
     but it cannot be saved until the problem marked below is put right.";

/// After signing in with writing carried through the sign-in form: keep it as
/// the member's draft and open the form with it, or, when it cannot be kept as
/// it is (too long, say), show it back in the form with the problem named.
pub async fn keep_after_sign_in(
    state: &AppState,
    user: &CurrentUser,
    carried: &Carried,
) -> Result<Response, AppError> {
    let journal::CarriedEntry { owner, entry_id, version: carried_version, input } =
        journal::from_carried(carried);
    if owner != user.id {
        // Written by someone else at this device: kept in no other account.
        return Ok(redirect_with_flash("/practice/journal", "signed-in"));
    }
    let entry_id = entry_id.as_deref();
    let saved = match service::save_draft(state, &user.id, entry_id, &input, carried_version).await {
        // The entry was deleted meanwhile: the words become a new entry's draft.
        Err(AppError::NotFound) if entry_id.is_some() => {
            service::save_draft(state, &user.id, None, &input, None).await.map(|_| None)
        }
        other => other.map(|_| entry_id),
    };
    match saved {
        Ok(entry_id) => {
            let to = match entry_id {
                Some(id) => format!("/practice/journal/{id}/edit?kept=1"),
                None => "/practice/journal/new?kept=1".into(),
            };
            Ok(redirect_with_flash(&to, "signed-in"))
        }
        Err(AppError::Validation(errors)) => {
            let (id, version) = match entry_id {
                Some(id) => (Some(id.to_owned()), carried_version.unwrap_or_default()),
                None => (None, 0),
            };
            let path = id.as_ref().map_or_else(
                || "/practice/journal/new".to_owned(),
                |i| format!("/practice/journal/{i}/edit"),
            );
            let layout = Layout::for_state(state, &MaybeUser(Some(user.clone())), &path, Some("signed-in"));
            let f = FormState {
                errors,
                kept_notice: Some(KEPT_BUT_INVALID),
                ..FormState::new(id, version, input)
            };
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, form_page(state, layout, user, f).await?)
        }
        Err(e) => Err(e),
    }
}

/// The journal form: the entry's fields, its version, and who it was shown to.
fn read_form(body: &[u8]) -> (EntryInput, Option<i64>, String) {
    let mut input = EntryInput::default();
    let mut version = None;
    let mut owner = String::new();
    for (k, v) in form_pairs(body) {
        match k.as_str() {
            "owner" => owner = v,
            "prompt_id" => input.prompt_id = v,
            "title" => input.title = v,
            "body" => input.body = journal::normalise_form_newlines(&v),
            "version" => version = v.parse().ok(),
            _ => {}
        }
    }
    (input, version, owner)
}

pub async fn create(
    State(state): State<AppState>,
    layout: Layout,
    user: MaybeUser,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let (input, _, owner) = read_form(&body);
    let Some(user) = user.0 else {
        return Ok(sign_in_to_keep(journal::carry(&owner, None, &input, None)));
    };
    match service::create_entry(&state, &user, &input).await {
        Ok(id) => Ok(redirect_with_flash(&format!("/practice/journal/{id}"), "entry-saved")),
        Err(AppError::Validation(errors)) => {
            // Keep what they wrote as the draft too, so leaving now loses nothing.
            if journal::validate_draft(&input).is_empty() {
                service::save_draft(&state, &user.id, None, &input, None).await?;
            }
            let f = FormState { errors, ..FormState::new(None, 0, input) };
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, form_page(&state, layout, &user, f).await?)
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "practice/journal_entry.html")]
struct EntryPage {
    layout: Layout,
    entry: EntryRecord,
    display_title: String,
    prompt_text: Option<String>,
    written: String,
    edited: Option<String>,
    paragraphs: Vec<String>,
    user_id: String,
}

pub async fn show(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let entry = store::find_entry(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?;
    let prompts = service::prompts(&state).await?;
    render(EntryPage {
        display_title: journal::display_title(&entry.title, &entry.body),
        prompt_text: journal::entry_question(&prompts, &entry.prompt_id, &entry.prompt_text),
        written: format_in_zone(entry.created_at, &user.time_zone),
        edited: (entry.updated_at > entry.created_at + 60)
            .then(|| format_in_zone(entry.updated_at, &user.time_zone)),
        paragraphs: entry.body.split("\n\n").map(str::to_owned).collect(),
        user_id: user.id.clone(),
        entry,
        layout,
    })
}

#[derive(Deserialize)]
pub struct EditQuery {
    kept: Option<String>,
}

pub async fn edit_form(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<EditQuery>,
) -> Result<Response, AppError> {
    let entry = store::find_entry(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?;
    let draft = service::find_draft(&state, &user, Some(&id)).await?;
    let f = match draft {
        Some(d) => FormState {
            kept_notice: Some(if q.kept.is_some() {
                KEPT_AFTER_SIGN_IN
            } else {
                "You have unsaved changes to this entry, kept as a draft. Carry on, or discard them."
            }),
            ..FormState::new(
                Some(id),
                d.base_version,
                EntryInput { prompt_id: d.prompt_id, title: d.title, body: d.body },
            )
        },
        None => FormState::new(
            Some(id),
            entry.version,
            EntryInput { prompt_id: entry.prompt_id, title: entry.title, body: entry.body },
        ),
    };
    render(form_page(&state, layout, &user, f).await?)
}

pub async fn edit_submit(
    State(state): State<AppState>,
    layout: Layout,
    user: MaybeUser,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let (input, version, owner) = read_form(&body);
    let Some(user) = user.0 else {
        return Ok(sign_in_to_keep(journal::carry(&owner, Some(&id), &input, version)));
    };
    let version =
        version.ok_or_else(|| AppError::BadRequest("The form is missing the entry's version.".into()))?;
    match service::update_entry(&state, &user, &id, version, &input).await {
        Ok(EntryUpdate::Saved(_)) => {
            Ok(redirect_with_flash(&format!("/practice/journal/{id}"), "entry-saved"))
        }
        Ok(EntryUpdate::Stale(current)) => {
            // Keep the member's copy as a draft against the newer version, and show both.
            service::save_draft(&state, &user.id, Some(&id), &input, Some(current.version)).await?;
            let saved = SavedCopy {
                title: journal::display_title(&current.title, &current.body),
                body: current.body,
                when: format_in_zone(current.updated_at, &user.time_zone),
            };
            let f = FormState { conflict: Some(saved), ..FormState::new(Some(id), current.version, input) };
            render_with_status(StatusCode::CONFLICT, form_page(&state, layout, &user, f).await?)
        }
        Err(AppError::NotFound) => {
            // Still a 404, but with the member's own words, to keep as a new entry.
            let f = FormState { kept_notice: Some(ENTRY_GONE), ..FormState::new(None, 0, input) };
            render_with_status(StatusCode::NOT_FOUND, form_page(&state, layout, &user, f).await?)
        }
        Err(AppError::Validation(errors)) => {
            let f = FormState { errors, ..FormState::new(Some(id), version, input) };
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, form_page(&state, layout, &user, f).await?)
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct DiscardForm {
    #[serde(default)]
    entry: String,
}

/// Throw away a draft on purpose (the member pressed "discard").
pub async fn discard_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::Form(form): axum::Form<DiscardForm>,
) -> Result<Response, AppError> {
    let entry = Some(form.entry.as_str()).filter(|e| !e.is_empty());
    store::delete_draft(&state.db, &user.id, &journal::draft_key(entry)).await?;
    let to = match entry {
        Some(id) => format!("/practice/journal/{id}"),
        None => "/practice/journal".to_owned(),
    };
    Ok(redirect_with_flash(&to, "draft-discarded"))
}

/// After changing or deleting one row: on to `to` with a message, or 404 when
/// there was no such row (or it was someone else's).
pub fn done_or_404(done: bool, to: &str, flash: &'static str) -> Result<Response, AppError> {
    if done { Ok(redirect_with_flash(to, flash)) } else { Err(AppError::NotFound) }
}

/// "Are you sure?" before anything a member wrote is deleted.
#[derive(Template)]
#[template(path = "practice/confirm_delete.html")]
pub struct ConfirmDelete {
    pub layout: Layout,
    pub what: &'static str,
    pub name: String,
    pub detail: String,
    pub action: String,
    pub back: String,
}

pub async fn delete_confirm(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let entry = store::find_entry(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?;
    render(ConfirmDelete {
        layout,
        what: "entry",
        name: journal::display_title(&entry.title, &entry.body),
        detail: format!("written {}", format_in_zone(entry.created_at, &user.time_zone)),
        action: format!("/practice/journal/{id}/delete"),
        back: format!("/practice/journal/{id}"),
    })
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    service::delete_entry(&state, &user, &id).await?;
    Ok(redirect_with_flash("/practice/journal", "entry-deleted"))
}
