//! What the journal's pages and API both do: prompts on offer, saving entries
//! with a check for stale copies, drafts, and the coach's prompts.

use super::content::{REFRAME_PROMPT_ID, REFRAME_PROMPT_TEXT};
use super::list_store::{self, ListQuery, ListSurroundings};
use super::paging::{self, Cursor, Page, Position};
use super::rules::{self, DraftFor, EntryInput, Prompt};
use super::store::{self, DraftRecord, EntryRecord, EntrySummary, EntryText};
use crate::features::undo::{self, Deleted};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

pub async fn prompts(state: &AppState) -> Result<Vec<Prompt>, AppError> {
    Ok(rules::all_prompts(&store::instance_prompts(&state.db).await?))
}

/// The journal list, read at once: every prompt, a page of the member's
/// entries (for `prompt`, when it names one), and the list's surroundings.
/// Returns the filter that was applied: a `prompt` naming no prompt is
/// ignored, as if not given.
pub async fn list_with_surroundings(
    state: &AppState,
    user_id: &str,
    prompt: Option<&str>,
    cursor: &Cursor,
) -> Result<JournalList, AppError> {
    let builtin = rules::all_prompts(&[]);
    let builtin_prompt_ids: Vec<&str> = builtin.iter().map(|p| p.id.as_str()).collect();
    let query = ListQuery {
        user_id,
        builtin_prompt_ids: &builtin_prompt_ids,
        prompt,
        cursor,
        limit: rules::PAGE_SIZE + 1,
    };
    let (mut rows, around) = list_store::list_with_surroundings(&state.db, &query).await?;
    let prompts = rules::all_prompts(&around.instance_prompts);
    let filter = prompt.filter(|p| prompts.iter().any(|x| &x.id == p)).map(str::to_owned);
    if prompt.is_some() && filter.is_none() {
        // Only a link made by hand names no prompt: read the page again, unfiltered.
        rows = store::list_entries(&state.db, user_id, None, cursor, rules::PAGE_SIZE + 1).await?;
    }
    let page = paging::page(cursor, rows, rules::PAGE_SIZE as usize, |e| Position {
        created_at: e.created_at,
        id: e.id.clone(),
    });
    Ok(JournalList { prompts, filter, page, around })
}

/// What `list_with_surroundings` read.
pub struct JournalList {
    pub prompts: Vec<Prompt>,
    /// The prompt the entries were filtered by, if any.
    pub filter: Option<String>,
    pub page: Page<EntrySummary>,
    pub around: ListSurroundings,
}

pub async fn find_entry(state: &AppState, user: &CurrentUser, id: &str) -> Result<EntryRecord, AppError> {
    store::find_entry(&state.db, &user.id, id).await?.ok_or(AppError::NotFound)
}

/// One page of the member's entries, newest first, and where the pages
/// beside it start. No count of the whole journal, and no OFFSET: a row more
/// than a page says whether more follow.
pub async fn list_page(
    state: &AppState,
    user_id: &str,
    prompt: Option<&str>,
    cursor: &Cursor,
) -> Result<Page<EntrySummary>, AppError> {
    let rows = store::list_entries(&state.db, user_id, prompt, cursor, rules::PAGE_SIZE + 1).await?;
    Ok(paging::page(cursor, rows, rules::PAGE_SIZE as usize, |e| Position {
        created_at: e.created_at,
        id: e.id.clone(),
    }))
}

/// Save a new entry; the draft it was written in (`from`) is done with.
pub async fn create_entry(
    state: &AppState,
    user: &CurrentUser,
    input: &EntryInput,
    from: &DraftFor,
) -> Result<String, AppError> {
    let prompts = prompts(state).await?;
    rules::validate(input, &prompts, None).into_result()?;
    let text = EntryText {
        prompt_id: &input.prompt_id,
        prompt_text: rules::prompt_text(&prompts, &input.prompt_id).unwrap_or_default(),
        title: input.title.trim(),
        body: &input.body,
    };
    let id = store::insert_entry(&state.db, &user.id, text, crate::clock::now()).await?;
    if let DraftFor::New(slot) = from {
        store::delete_draft(&state.db, &user.id, slot).await?;
    }
    Ok(id)
}

/// The reframe's answers become a private entry under the reframe prompt.
pub async fn create_reframe(
    state: &AppState,
    user: &CurrentUser,
    title: &str,
    body: &str,
) -> Result<String, AppError> {
    let input = EntryInput { prompt_id: REFRAME_PROMPT_ID.into(), title: title.into(), body: body.into() };
    rules::validate(&input, &prompts(state).await?, None).into_result()?;
    let text = EntryText { prompt_id: REFRAME_PROMPT_ID, prompt_text: REFRAME_PROMPT_TEXT, title, body };
    Ok(store::insert_entry(&state.db, &user.id, text, crate::clock::now()).await?)
}

pub enum EntryUpdate {
    Saved(EntryRecord),
    /// The entry moved on since the copy the member edited: here is what is saved now.
    Stale(EntryRecord),
}

pub async fn update_entry(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    base_version: i64,
    input: &EntryInput,
) -> Result<EntryUpdate, AppError> {
    let current = find_entry(state, user, id).await?;
    let prompts = prompts(state).await?;
    rules::validate(input, &prompts, Some(&current.prompt_id)).into_result()?;
    if current.version != base_version {
        return Ok(EntryUpdate::Stale(current));
    }
    let text = EntryText {
        prompt_id: &input.prompt_id,
        // The same question keeps the words it was written to; a new one takes today's.
        prompt_text: if input.prompt_id == current.prompt_id {
            &current.prompt_text
        } else {
            rules::prompt_text(&prompts, &input.prompt_id).unwrap_or_default()
        },
        title: input.title.trim(),
        body: &input.body,
    };
    let saved = store::update_entry(&state.db, &user.id, id, base_version, text).await?;
    let now = find_entry(state, user, id).await?;
    if !saved {
        // Another save landed between the check and ours.
        return Ok(EntryUpdate::Stale(now));
    }
    store::delete_draft(&state.db, &user.id, id).await?;
    Ok(EntryUpdate::Saved(now))
}

/// Delete an entry (and any draft of changes to it), undoable for a while.
pub async fn delete_entry(state: &AppState, user: &CurrentUser, id: &str) -> Result<Deleted, AppError> {
    undo::delete_or_404(state, &user.id, &store::UNDO, id, &format!("/practice/journal/{id}")).await
}

// ---- drafts ----------------------------------------------------------------

/// Keep a draft of a new entry (in its slot) or of changes to one of the
/// member's entries. A draft for someone else's entry is a 404 like any other.
pub async fn save_draft(
    state: &AppState,
    user_id: &str,
    draft: &DraftFor,
    input: &EntryInput,
    base_version: Option<i64>,
) -> Result<DraftRecord, AppError> {
    let base_version = match draft {
        DraftFor::Entry(id) => {
            let entry = store::find_entry(&state.db, user_id, id).await?.ok_or(AppError::NotFound)?;
            base_version.unwrap_or(entry.version)
        }
        DraftFor::New(_) => 0,
    };
    rules::validate_draft(input).into_result()?;
    let draft = DraftRecord {
        key: draft.key().to_owned(),
        prompt_id: input.prompt_id.clone(),
        title: input.title.clone(),
        body: input.body.clone(),
        base_version,
        updated_at: crate::clock::now(),
    };
    store::save_draft(&state.db, user_id, &draft).await?;
    Ok(draft)
}

/// As `save_draft`, for the page's own saving while the member writes (the
/// API): a new slot is refused once `MAX_NEW_DRAFTS` are kept. Words the
/// server keeps itself (a form that needs another look, writing carried
/// through sign-in) are never refused for that.
pub async fn autosave_draft(
    state: &AppState,
    user_id: &str,
    draft: &DraftFor,
    input: &EntryInput,
    base_version: Option<i64>,
) -> Result<DraftRecord, AppError> {
    if let DraftFor::New(slot) = draft
        && store::find_draft(&state.db, user_id, slot).await?.is_none()
        && store::count_new_drafts(&state.db, user_id).await? >= rules::MAX_NEW_DRAFTS
    {
        let mut errors = crate::web::FieldErrors::new();
        errors.add(
            "body",
            format!(
                "You already keep {} unfinished entries. Finish or discard one of them before starting another.",
                rules::MAX_NEW_DRAFTS
            ),
        );
        return Err(AppError::Validation(errors));
    }
    save_draft(state, user_id, draft, input, base_version).await
}

pub async fn find_draft(
    state: &AppState,
    user: &CurrentUser,
    draft: &DraftFor,
) -> Result<Option<DraftRecord>, AppError> {
    Ok(store::find_draft(&state.db, &user.id, draft.key()).await?)
}

/// The member's unfinished new entries, most recent first.
pub async fn new_drafts(state: &AppState, user: &CurrentUser) -> Result<Vec<DraftRecord>, AppError> {
    Ok(store::new_drafts(&state.db, &user.id).await?)
}

/// Throw a draft away on purpose, undoable for a while; an undo reopens it.
pub async fn discard_draft(
    state: &AppState,
    user: &CurrentUser,
    draft: &DraftFor,
) -> Result<Deleted, AppError> {
    undo::delete_or_404(state, &user.id, &store::DRAFT_UNDO, draft.key(), &draft.form_url()).await
}

// ---- the instance's prompts ------------------------------------------------

/// A coach adds a prompt for every member; returns it as members see it.
pub async fn add_prompt(state: &AppState, coach: &CurrentUser, text: &str) -> Result<Prompt, AppError> {
    rules::validate_prompt_text(text).into_result()?;
    let id = store::insert_prompt(&state.db, text.trim(), &coach.id).await?;
    prompt(state, &id).await
}

/// A coach rewords one of the instance's prompts (entries keep the words they were written to).
pub async fn reword_prompt(state: &AppState, id: &str, text: &str) -> Result<Prompt, AppError> {
    rules::validate_prompt_text(text).into_result()?;
    if !store::update_prompt(&state.db, id, text.trim()).await? {
        return Err(AppError::NotFound);
    }
    prompt(state, id).await
}

pub async fn retire_prompt(state: &AppState, id: &str) -> Result<(), AppError> {
    if store::retire_prompt(&state.db, id).await? { Ok(()) } else { Err(AppError::NotFound) }
}

pub async fn prompt(state: &AppState, id: &str) -> Result<Prompt, AppError> {
    prompts(state).await?.into_iter().find(|p| p.id == id).ok_or(AppError::NotFound)
}
