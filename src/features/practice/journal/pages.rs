//! Journal pages: the list with its prompts, reading one entry, deleting one,
//! and discarding a draft. Writing and editing are in `form`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::content::REFRAME_PROMPT_ID;
use super::paging::Cursor;
use super::rules::{self, DraftFor, Prompt};
use super::store::EntryRecord;
use super::{DRAFT_DISCARDED, ENTRY_DELETED, service};
use crate::clock::format_in_zone;
use crate::state::AppState;
use crate::web::{AppError, CurrentUser, Layout, kept_or_drawn, render, render_kept};

pub struct EntryRow {
    pub id: String,
    pub title: String,
    pub prompt: Option<String>,
    pub when: String,
    pub edited: bool,
}

/// An unfinished new entry, to continue.
pub struct DraftRow {
    pub title: String,
    pub when: String,
    pub url: String,
}

pub struct PromptRow {
    pub id: String,
    pub text: String,
    pub used: bool,
    pub write_url: String,
    pub filter_url: String,
    pub selected: bool,
}

/// The journal list below the header: kept between the member's requests
/// (see `web::kept_pages`).
#[derive(Template)]
#[template(path = "practice/journal_list_body.html")]
struct ListBody {
    entries: Vec<EntryRow>,
    prompts: Vec<PromptRow>,
    filter: Option<String>,
    filter_text: Option<String>,
    /// Not the newest page: say so, and offer the way back.
    further_back: bool,
    newest_url: String,
    newer_url: Option<String>,
    older_url: Option<String>,
    oldest_url: Option<String>,
    /// Unfinished new entries, most recent first.
    drafts: Vec<DraftRow>,
    /// A new entry: with drafts kept, in a slot of its own beside them.
    new_entry_url: &'static str,
}

#[derive(Deserialize)]
pub struct ListQuery {
    prompt: Option<String>,
    before: Option<String>,
    after: Option<String>,
    /// `1`: the oldest entries; a value that is no yes or no counts as no.
    oldest: Option<String>,
}

/// A page of the list; `place` is `before=…`, `after=…` or `oldest=1`.
fn list_url(prompt: Option<&str>, place: Option<String>) -> String {
    let mut parts: Vec<String> = prompt.map(|p| format!("prompt={p}")).into_iter().collect();
    parts.extend(place);
    if parts.is_empty() {
        "/practice/journal".to_owned()
    } else {
        format!("/practice/journal?{}", parts.join("&"))
    }
}

pub async fn list(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    // Which page of the list, as asked for: one kept copy per member.
    let also = format!("{:?} {:?} {:?} {:?}", q.prompt, q.before, q.after, q.oldest);
    let body = kept_or_drawn(&state, &user, "journal list", also, |_| async {
        Ok(list_body(&state, &user, &q).await?.into())
    })
    .await?;
    render_kept(layout, "Reflection journal", &body)
}

/// The list below the header, drawn from the member's entries and drafts.
async fn list_body(state: &AppState, user: &CurrentUser, q: &ListQuery) -> Result<String, AppError> {
    let cursor = Cursor::from_query(
        q.before.as_deref(),
        q.after.as_deref(),
        q.oldest.as_deref().and_then(crate::web::forms::parse_flag).unwrap_or(false),
    );
    let service::JournalList { prompts, filter, page, around } =
        service::list_with_surroundings(state, &user.id, q.prompt.as_deref(), &cursor).await?;
    let url = |place: Option<String>| list_url(filter.as_deref(), place);
    let used = around.used_prompt_ids;
    let entries = page
        .rows
        .into_iter()
        .map(|e| EntryRow {
            title: rules::display_title(&e.title, &e.opening),
            prompt: rules::entry_question(&prompts, &e.prompt_id, &e.prompt_text),
            when: format_in_zone(e.created_at, &user.time_zone),
            edited: e.updated_at > e.created_at + 60,
            id: e.id,
        })
        .collect();
    let mut prompt_rows: Vec<PromptRow> =
        rules::offered(&prompts).into_iter().map(|p| prompt_row(p, &used, filter.as_deref())).collect();
    if let Some(reframe) = prompts.iter().find(|p| p.id == REFRAME_PROMPT_ID) {
        prompt_rows.push(prompt_row(reframe, &used, filter.as_deref()));
    }
    // Drafts of new entries only: changes to an entry are offered on its page.
    let drafts: Vec<DraftRow> = around
        .new_drafts
        .into_iter()
        .map(|d| DraftRow {
            title: rules::display_title(&d.title, &d.body),
            when: format_in_zone(d.updated_at, &user.time_zone),
            url: DraftFor::from_key(&d.key).form_url(),
        })
        .collect();
    // Beside kept drafts, a new entry gets a slot of its own when the link is
    // followed (this page may be a kept copy, so it names no slot itself).
    let new_entry_url =
        if drafts.is_empty() { "/practice/journal/new" } else { "/practice/journal/new?draft=fresh" };
    Ok(ListBody {
        entries,
        prompts: prompt_rows,
        filter_text: filter.as_deref().and_then(|f| rules::prompt_text(&prompts, f)).map(str::to_owned),
        further_back: cursor != Cursor::Newest,
        newest_url: url(None),
        newer_url: page.newer.as_ref().map(|p| url(Some(format!("after={}", p.encode())))),
        older_url: page.older.as_ref().map(|p| url(Some(format!("before={}", p.encode())))),
        oldest_url: page.older.is_some().then(|| url(Some("oldest=1".to_owned()))),
        filter,
        drafts,
        new_entry_url,
    }
    .render()?)
}

fn prompt_row(p: &Prompt, used: &[String], filter: Option<&str>) -> PromptRow {
    PromptRow {
        id: p.id.clone(),
        text: p.text.clone(),
        used: used.contains(&p.id),
        write_url: rules::write_url(&p.id),
        filter_url: format!("/practice/journal?prompt={}", p.id),
        selected: filter == Some(p.id.as_str()),
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
    /// The draft slot the entry was just written in, which this browser may
    /// still hold a copy of (see draft-keeper.js).
    written_from: Option<String>,
}

#[derive(Deserialize)]
pub struct ShowQuery {
    from: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let entry = service::find_entry(&state, &user, &id).await?;
    let prompts = service::prompts(&state).await?;
    let written_from =
        q.from.as_deref().and_then(|f| DraftFor::named(None, Some(f))).map(|d| d.key().to_owned());
    render(EntryPage {
        display_title: rules::display_title(&entry.title, &entry.body),
        prompt_text: rules::entry_question(&prompts, &entry.prompt_id, &entry.prompt_text),
        written: format_in_zone(entry.created_at, &user.time_zone),
        edited: (entry.updated_at > entry.created_at + 60)
            .then(|| format_in_zone(entry.updated_at, &user.time_zone)),
        paragraphs: entry.body.split("\n\n").map(str::to_owned).collect(),
        user_id: user.id.clone(),
        written_from,
        entry,
        layout,
    })
}

#[derive(Deserialize)]
pub struct DiscardForm {
    #[serde(default)]
    entry: String,
    /// A new entry's draft slot, when not the first.
    #[serde(default)]
    draft: String,
}

/// Throw away a draft on purpose (the member pressed "discard").
pub async fn discard_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::Form(form): axum::Form<DiscardForm>,
) -> Result<Response, AppError> {
    let draft = DraftFor::named(Some(&form.entry), Some(&form.draft)).ok_or(AppError::NotFound)?;
    let to = match draft.entry_id() {
        Some(id) => format!("/practice/journal/{id}"),
        None => "/practice/journal".to_owned(),
    };
    Ok(service::discard_draft(&state, &user, &draft).await?.redirect(&to, &DRAFT_DISCARDED))
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    Ok(service::delete_entry(&state, &user, &id).await?.redirect("/practice/journal", &ENTRY_DELETED))
}
