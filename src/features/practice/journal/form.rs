//! Writing and editing an entry: the form with a kept draft, stale copies
//! caught (both shown, nothing overwritten), and a form posted after the
//! session ended carried through sign-in.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::ENTRY_SAVED;
use super::carry::carry;
use super::content::REFRAME_PROMPT_ID;
use super::rules::{self, DraftFor, EntryInput, Prompt};
use super::service::{self, EntryUpdate};
use crate::clock::format_in_zone;
use crate::state::AppState;
use crate::web::carry::sign_in_to_keep;
use crate::web::forms::{form_pairs, normalise_newlines};
use crate::web::{
    AppError, CurrentUser, FieldErrors, Layout, MaybeUser, redirect_with_flash, render, render_with_status,
};

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
pub struct FormPage {
    layout: Layout,
    user_id: String,
    entry_id: Option<String>,
    /// For a new entry, the slot its draft is kept in when not the first.
    slot: Option<String>,
    draft_key: String,
    version: i64,
    input: EntryInput,
    prompt_text: Option<String>,
    prompts: Vec<PromptOption>,
    errors: FieldErrors,
    /// Why the text on the form is not the saved entry: a kept draft or sign-in.
    kept_notice: Option<&'static str>,
    conflict: Option<SavedCopy>,
}

fn prompt_options(prompts: &[Prompt], chosen: &str) -> Vec<PromptOption> {
    prompts
        .iter()
        .filter(|p| (!p.retired && p.id != REFRAME_PROMPT_ID) || p.id == chosen)
        .map(|p| PromptOption { id: p.id.clone(), text: p.text.clone(), selected: p.id == chosen })
        .collect()
}

/// What the form shows besides the prompts: whose entry, which version, the
/// words, and anything to report about them.
pub struct FormState {
    pub entry_id: Option<String>,
    /// Where a new entry's draft is kept (ignored for an edit).
    pub new_draft: DraftFor,
    pub version: i64,
    pub input: EntryInput,
    pub errors: FieldErrors,
    pub kept_notice: Option<&'static str>,
    pub conflict: Option<SavedCopy>,
}

impl FormState {
    /// The form for a new entry (`entry_id` None) or an edit, with nothing to report yet.
    pub fn new(entry_id: Option<String>, version: i64, input: EntryInput) -> Self {
        FormState {
            entry_id,
            new_draft: DraftFor::new_entry(),
            version,
            input,
            errors: FieldErrors::new(),
            kept_notice: None,
            conflict: None,
        }
    }
}

pub async fn form_page(
    state: &AppState,
    layout: Layout,
    user: &CurrentUser,
    f: FormState,
) -> Result<FormPage, AppError> {
    let prompts = service::prompts(state).await?;
    let draft = match &f.entry_id {
        Some(id) => DraftFor::Entry(id.clone()),
        None => f.new_draft,
    };
    Ok(FormPage {
        layout,
        user_id: user.id.clone(),
        slot: draft.extra_slot().map(str::to_owned),
        draft_key: draft.key().to_owned(),
        prompt_text: rules::prompt_text(&prompts, &f.input.prompt_id).map(str::to_owned),
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
    /// Which kept draft to continue, or `fresh`: a slot of its own for a new
    /// entry started beside them (the journal's "New entry" link).
    draft: Option<String>,
}

/// `?draft=fresh`: a new entry in a slot of its own, made when asked for.
const FRESH: &str = "fresh";
const KEPT_AFTER_SIGN_IN: &str =
    "You were signed out while writing. Nothing was lost: your text is below, saved as a draft.";
const ENTRY_GONE: &str = "This entry no longer exists: it may have been deleted in another tab. \
     Nothing you wrote is lost; it is below, ready to save as a new entry.";
const KEPT_DRAFT: &str =
    "You have an unfinished entry, kept as a draft. Carry on where you left off, or discard it.";
const KEPT_CHANGES: &str =
    "You have unsaved changes to this entry, kept as a draft. Carry on, or discard them.";

pub async fn new_form(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let slot = DraftFor::named(None, q.draft.as_deref().filter(|d| *d != FRESH));
    let draft = match &slot {
        Some(slot) => service::find_draft(&state, &user, slot).await?,
        None => None,
    };
    let beside_draft = q.draft.is_none() && q.prompt.is_some() && draft.is_some();
    if q.draft.as_deref() == Some(FRESH) || beside_draft {
        // "New entry" or "Write about this" beside a kept draft: a new entry of
        // its own, in a slot made now and named in the address (so a reload
        // comes back to it).
        let prompt = q.prompt.as_deref().map(crate::web::middleware::encode_component);
        let prompt = prompt.map(|p| format!("prompt={p}&")).unwrap_or_default();
        let to = format!("/practice/journal/new?{prompt}draft={}", DraftFor::fresh().key());
        return Ok(axum::response::Redirect::to(&to).into_response());
    }
    let slot = slot.ok_or(AppError::NotFound)?;
    let (input, kept_notice) = match draft {
        Some(d) => (
            EntryInput { prompt_id: d.prompt_id, title: d.title, body: d.body },
            Some(if q.kept.is_some() { KEPT_AFTER_SIGN_IN } else { KEPT_DRAFT }),
        ),
        None => (EntryInput { prompt_id: q.prompt.unwrap_or_default(), ..Default::default() }, None),
    };
    let f = FormState { kept_notice, new_draft: slot, ..FormState::new(None, 0, input) };
    render(form_page(&state, layout, &user, f).await?)
}

/// The member a posted form may be kept for: the one signed in, and only if
/// the form was shown to them. A form left open by another account on this
/// device (it signed out, someone else signed in) is answered as if nobody
/// were signed in: the words ride through the sign-in page, and only the
/// account they were written in can take them.
fn signed_in_owner(user: MaybeUser, owner: &str) -> Option<CurrentUser> {
    user.0.filter(|u| owner.is_empty() || u.id == owner)
}

/// The journal form as posted.
pub struct PostedForm {
    pub input: EntryInput,
    pub version: Option<i64>,
    /// The member the form was shown to.
    pub owner: String,
    /// A new entry's draft slot, when not the first.
    pub slot: Option<String>,
}

fn read_form(body: &[u8]) -> PostedForm {
    let mut input = EntryInput::default();
    let mut version = None;
    let mut owner = String::new();
    let mut slot = None;
    for (k, v) in form_pairs(body) {
        match k.as_str() {
            "owner" => owner = v,
            "draft" => slot = Some(v).filter(|v| !v.is_empty()),
            "prompt_id" => input.prompt_id = v,
            "title" => input.title = v,
            "body" => input.body = normalise_newlines(&v),
            "version" => version = v.parse().ok(),
            _ => {}
        }
    }
    PostedForm { input, version, owner, slot }
}

pub async fn create(
    State(state): State<AppState>,
    layout: Layout,
    user: MaybeUser,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let PostedForm { input, owner, slot, .. } = read_form(&body);
    let draft = DraftFor::named(None, slot.as_deref())
        .ok_or_else(|| AppError::BadRequest("The form names a draft that is not one of ours.".into()))?;
    let Some(user) = signed_in_owner(user, &owner) else {
        return Ok(sign_in_to_keep(carry(&owner, &draft, &input, None)));
    };
    match service::create_entry(&state, &user, &input, &draft).await {
        Ok(id) => {
            // The entry's page tells this browser its copy of that draft is done with.
            Ok(redirect_with_flash(&format!("/practice/journal/{id}?from={}", draft.key()), &ENTRY_SAVED))
        }
        Err(AppError::Validation(errors)) => {
            // Keep what they wrote as the draft too, so leaving now loses nothing.
            if rules::validate_draft(&input).is_empty() {
                service::save_draft(&state, &user.id, &draft, &input, None).await?;
            }
            let f = FormState { errors, new_draft: draft, ..FormState::new(None, 0, input) };
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, form_page(&state, layout, &user, f).await?)
        }
        Err(e) => Err(e),
    }
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
    let entry = service::find_entry(&state, &user, &id).await?;
    let f = match service::find_draft(&state, &user, &DraftFor::Entry(id.clone())).await? {
        Some(d) => FormState {
            kept_notice: Some(if q.kept.is_some() { KEPT_AFTER_SIGN_IN } else { KEPT_CHANGES }),
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
    let PostedForm { input, version, owner, .. } = read_form(&body);
    let Some(user) = signed_in_owner(user, &owner) else {
        return Ok(sign_in_to_keep(carry(&owner, &DraftFor::Entry(id.clone()), &input, version)));
    };
    let version =
        version.ok_or_else(|| AppError::BadRequest("The form is missing the entry's version.".into()))?;
    match service::update_entry(&state, &user, &id, version, &input).await {
        Ok(EntryUpdate::Saved(_)) => {
            Ok(redirect_with_flash(&format!("/practice/journal/{id}"), &ENTRY_SAVED))
        }
        Ok(EntryUpdate::Stale(current)) => {
            // Keep the member's copy as a draft against the newer version, and show both.
            let draft = DraftFor::Entry(id.clone());
            service::save_draft(&state, &user.id, &draft, &input, Some(current.version)).await?;
            let saved = SavedCopy {
                title: rules::display_title(&current.title, &current.body),
                body: current.body,
                when: format_in_zone(current.updated_at, &user.time_zone),
            };
            let f = FormState { conflict: Some(saved), ..FormState::new(Some(id), current.version, input) };
            render_with_status(StatusCode::CONFLICT, form_page(&state, layout, &user, f).await?)
        }
        Err(AppError::NotFound) => {
            // Still a 404, but with the member's own words, kept as a new
            // entry's draft in a slot of its own (a kept draft stays as it is).
            let fresh = DraftFor::fresh();
            if rules::validate_draft(&input).is_empty() {
                service::save_draft(&state, &user.id, &fresh, &input, None).await?;
            }
            let f = FormState {
                kept_notice: Some(ENTRY_GONE),
                new_draft: fresh,
                ..FormState::new(None, 0, input)
            };
            render_with_status(StatusCode::NOT_FOUND, form_page(&state, layout, &user, f).await?)
        }
        Err(AppError::Validation(errors)) => {
            let f = FormState { errors, ..FormState::new(Some(id), version, input) };
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, form_page(&state, layout, &user, f).await?)
        }
        Err(e) => Err(e),
    }
}
