//! What the practice pages and the API share: saving entries with a check for
//! stale copies, drafts, repair plans step by step, cycle-map versions,
//! moments of return and affirmations with the member's marks.

use serde::Serialize;
use utoipa::ToSchema;

use super::content::{AFFIRMATIONS, REFRAME_PROMPT_ID};
use super::cycle::{self, CycleFields};
use super::journal::{self, EntryInput, Prompt};
use super::repair::{self, RepairAnswers};
use super::store::{self, DraftRecord, EntryRecord, EntryText, PlanRecord};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser, FieldErrors};

pub async fn prompts(state: &AppState) -> Result<Vec<Prompt>, AppError> {
    Ok(journal::all_prompts(&store::instance_prompts(&state.db).await?))
}

// ---- journal ---------------------------------------------------------------

pub async fn create_entry(
    state: &AppState,
    user: &CurrentUser,
    input: &EntryInput,
) -> Result<String, AppError> {
    let prompts = prompts(state).await?;
    journal::validate(input, &prompts, None).into_result()?;
    let id = store::insert_entry(
        &state.db,
        &user.id,
        EntryText {
            prompt_id: &input.prompt_id,
            prompt_text: journal::prompt_text(&prompts, &input.prompt_id).unwrap_or_default(),
            title: input.title.trim(),
            body: &input.body,
        },
        crate::clock::now(),
    )
    .await?;
    store::delete_draft(&state.db, &user.id, "new").await?;
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
    journal::validate(&input, &prompts(state).await?, None).into_result()?;
    let text = EntryText {
        prompt_id: REFRAME_PROMPT_ID,
        prompt_text: super::content::REFRAME_PROMPT_TEXT,
        title,
        body,
    };
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
    let current = store::find_entry(&state.db, &user.id, id).await?.ok_or(AppError::NotFound)?;
    let prompts = prompts(state).await?;
    journal::validate(input, &prompts, Some(&current.prompt_id)).into_result()?;
    if current.version != base_version {
        return Ok(EntryUpdate::Stale(current));
    }
    let saved = store::update_entry(
        &state.db,
        &user.id,
        id,
        base_version,
        EntryText {
            prompt_id: &input.prompt_id,
            // The same question keeps the words it was written to; a new one takes today's.
            prompt_text: if input.prompt_id == current.prompt_id {
                &current.prompt_text
            } else {
                journal::prompt_text(&prompts, &input.prompt_id).unwrap_or_default()
            },
            title: input.title.trim(),
            body: &input.body,
        },
    )
    .await?;
    let now = store::find_entry(&state.db, &user.id, id).await?.ok_or(AppError::NotFound)?;
    if !saved {
        // Another save landed between the check and ours.
        return Ok(EntryUpdate::Stale(now));
    }
    store::delete_draft(&state.db, &user.id, id).await?;
    Ok(EntryUpdate::Saved(now))
}

pub async fn delete_entry(state: &AppState, user: &CurrentUser, id: &str) -> Result<(), AppError> {
    if store::delete_entry(&state.db, &user.id, id).await? { Ok(()) } else { Err(AppError::NotFound) }
}

/// Keep a draft for a new entry (`entry_id` None) or for one of the member's
/// entries. A draft for someone else's entry is a 404 like any other.
pub async fn save_draft(
    state: &AppState,
    user_id: &str,
    entry_id: Option<&str>,
    input: &EntryInput,
    base_version: Option<i64>,
) -> Result<DraftRecord, AppError> {
    let base_version = match entry_id {
        Some(id) => {
            let entry = store::find_entry(&state.db, user_id, id).await?.ok_or(AppError::NotFound)?;
            base_version.unwrap_or(entry.version)
        }
        None => 0,
    };
    journal::validate_draft(input).into_result()?;
    let draft = DraftRecord {
        key: journal::draft_key(entry_id),
        prompt_id: input.prompt_id.clone(),
        title: input.title.clone(),
        body: input.body.clone(),
        base_version,
        updated_at: crate::clock::now(),
    };
    store::save_draft(&state.db, user_id, &draft).await?;
    Ok(draft)
}

pub async fn find_draft(
    state: &AppState,
    user: &CurrentUser,
    entry_id: Option<&str>,
) -> Result<Option<DraftRecord>, AppError> {
    Ok(store::find_draft(&state.db, &user.id, &journal::draft_key(entry_id)).await?)
}

// ---- repair plans ----------------------------------------------------------

pub async fn start_plan(
    state: &AppState,
    user: &CurrentUser,
    answers: &RepairAnswers,
    step: i64,
) -> Result<String, AppError> {
    repair::validate(answers, false).into_result()?;
    Ok(store::insert_plan(
        &state.db,
        &user.id,
        step.clamp(1, repair::LAST_STEP),
        answers,
        crate::clock::now(),
    )
    .await?)
}

/// Save one step's answers; finishing after step 7 marks the plan done.
pub async fn save_step(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    step: i64,
    from: RepairAnswers,
    finishing: bool,
) -> Result<PlanRecord, AppError> {
    let mut plan = store::find_plan(&state.db, &user.id, id).await?.ok_or(AppError::NotFound)?;
    repair::merge_step(&mut plan.answers, from, step);
    repair::validate(&plan.answers, finishing).into_result()?;
    let reached = repair::next_step(plan.step, step);
    let finished_at =
        if finishing { plan.finished_at.or(Some(crate::clock::now())) } else { plan.finished_at };
    store::update_plan(&state.db, &user.id, id, reached, &plan.answers, finished_at).await?;
    store::find_plan(&state.db, &user.id, id).await?.ok_or(AppError::NotFound)
}

/// Replace a whole plan (the API's update).
pub async fn replace_plan(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    answers: &RepairAnswers,
    step: i64,
    finished: bool,
) -> Result<PlanRecord, AppError> {
    let plan = store::find_plan(&state.db, &user.id, id).await?.ok_or(AppError::NotFound)?;
    repair::validate(answers, finished).into_result()?;
    let finished_at = if finished { plan.finished_at.or(Some(crate::clock::now())) } else { None };
    store::update_plan(&state.db, &user.id, id, step.clamp(1, repair::LAST_STEP), answers, finished_at)
        .await?;
    store::find_plan(&state.db, &user.id, id).await?.ok_or(AppError::NotFound)
}

// ---- cycle maps ------------------------------------------------------------

fn map_title(title: &str) -> String {
    let t = title.trim();
    if t.is_empty() { cycle::DEFAULT_TITLE.into() } else { t.into() }
}

pub async fn create_map(
    state: &AppState,
    user: &CurrentUser,
    title: &str,
    f: &CycleFields,
) -> Result<String, AppError> {
    cycle::validate(title, f).into_result()?;
    Ok(store::insert_map(&state.db, &user.id, &map_title(title), f, crate::clock::now()).await?)
}

/// Save a map: a new version when the links changed, only the title otherwise.
/// Returns whether a new version was kept.
pub async fn save_map(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    title: &str,
    f: &CycleFields,
) -> Result<bool, AppError> {
    let map = store::find_map(&state.db, &user.id, id).await?.ok_or(AppError::NotFound)?;
    cycle::validate(title, f).into_result()?;
    if &map.latest == f {
        store::rename_map(&state.db, &user.id, id, &map_title(title)).await?;
        return Ok(false);
    }
    if !store::add_map_version(&state.db, &user.id, id, &map_title(title), f).await? {
        return Err(AppError::NotFound);
    }
    Ok(true)
}

// ---- moments of return -----------------------------------------------------

pub fn today(user: &CurrentUser) -> String {
    crate::clock::day_in_zone(crate::clock::now(), &user.time_zone)
}

pub async fn log_return(
    state: &AppState,
    user: &CurrentUser,
    day: &str,
    text: &str,
) -> Result<String, AppError> {
    super::returns::validate(day, text, &today(user)).into_result()?;
    Ok(store::insert_return(&state.db, &user.id, day, text.trim(), crate::clock::now()).await?)
}

pub async fn change_return(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    day: &str,
    text: &str,
) -> Result<(), AppError> {
    store::find_return(&state.db, &user.id, id).await?.ok_or(AppError::NotFound)?;
    super::returns::validate(day, text, &today(user)).into_result()?;
    store::update_return(&state.db, &user.id, id, day, text.trim()).await?;
    Ok(())
}

// ---- affirmations ----------------------------------------------------------

pub const MAX_AFFIRMATION_CHARS: usize = 300;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Affirmation {
    pub id: String,
    pub text: String,
    /// True for the member's own; built-in ones can be hidden but not changed.
    pub own: bool,
    pub favourite: bool,
    pub hidden: bool,
}

pub async fn affirmations(state: &AppState, user: &CurrentUser) -> Result<Vec<Affirmation>, AppError> {
    let marks = store::affirmation_marks(&state.db, &user.id).await?;
    let mark = |id: &str| marks.iter().find(|(a, _)| a == id).map(|(_, m)| m.as_str());
    let mut out: Vec<Affirmation> = AFFIRMATIONS
        .iter()
        .map(|a| (a.id.to_owned(), a.text.to_owned(), false))
        .chain(
            store::own_affirmations(&state.db, &user.id)
                .await?
                .into_iter()
                .map(|(id, text, _)| (id, text, true)),
        )
        .map(|(id, text, own)| Affirmation {
            favourite: mark(&id) == Some("favourite"),
            hidden: mark(&id) == Some("hidden"),
            id,
            text,
            own,
        })
        .collect();
    // Favourites first; the order is otherwise the order they were written in.
    out.sort_by_key(|a| !a.favourite);
    Ok(out)
}

pub fn validate_affirmation(text: &str) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if text.trim().is_empty() {
        errors.add("text", "Write the sentence you would like to come back to.");
    } else if text.chars().count() > MAX_AFFIRMATION_CHARS {
        errors.add("text", format!("Keep it to {MAX_AFFIRMATION_CHARS} characters."));
    }
    errors
}

/// Mark an affirmation the member can see: favourite, hidden, or neither.
pub async fn mark_affirmation(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    mark: Option<&str>,
) -> Result<(), AppError> {
    let known =
        AFFIRMATIONS.iter().any(|a| a.id == id) || store::owns_affirmation(&state.db, &user.id, id).await?;
    if !known {
        return Err(AppError::NotFound);
    }
    store::set_affirmation_mark(&state.db, &user.id, id, mark).await?;
    Ok(())
}
