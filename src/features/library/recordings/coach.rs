//! The coach's side of recordings: the list with upload and counts, the
//! details form, the transcript, and deleting.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::pages::session_day;
use super::rules::{STARTER_TOPICS, chapters_text, clock, duration_words, parse_chapters, parse_topics};
use super::store::{self, Details, RecordingRow};
use crate::features::library::upload::rules::size_words;
use crate::features::library::{RECORDING_DELETED, RECORDING_SAVED, TRANSCRIPT_SAVED, vtt};
use crate::state::AppState;
use crate::web::{
    AppError, FieldErrors, Layout, RequireStaff, redirect_with_flash, render, render_with_status,
};

/// Counts below this are shown as "fewer than 5", so no one member's watching can be read off.
pub const SMALLEST_COUNT_SHOWN: i64 = 5;

pub fn count_words(n: i64) -> String {
    if n < SMALLEST_COUNT_SHOWN { format!("fewer than {SMALLEST_COUNT_SHOWN}") } else { n.to_string() }
}

pub struct CoachLine {
    pub id: String,
    pub title: String,
    pub day: String,
    pub state: &'static str,
    pub length: String,
    pub views: String,
    pub completions: String,
    pub has_transcript: bool,
}

#[derive(Template)]
#[template(path = "library/coach_list.html")]
struct ListPage {
    layout: Layout,
    lines: Vec<CoachLine>,
    max_upload: String,
    max_upload_bytes: u64,
}

fn state_of(r: &RecordingRow, now: i64) -> &'static str {
    match r.published_at {
        None => "Draft",
        Some(p) if p > now => "Scheduled",
        Some(_) => "Published",
    }
}

pub async fn list(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(_): RequireStaff,
) -> Result<Response, AppError> {
    let now = crate::clock::now();
    let counts: HashMap<String, (i64, i64)> =
        store::watch_counts(&state.db).await?.into_iter().map(|(id, v, c)| (id, (v, c))).collect();
    let lines = store::list_all(&state.db)
        .await?
        .into_iter()
        .map(|r| {
            let (views, completions) = counts.get(&r.id).copied().unwrap_or((0, 0));
            CoachLine {
                state: state_of(&r, now),
                day: session_day(&r.session_date, "UTC"),
                length: r.duration_seconds.map(duration_words).unwrap_or_else(|| "length unknown".into()),
                views: count_words(views),
                completions: count_words(completions),
                has_transcript: r.has_transcript == 1,
                id: r.id,
                title: r.title,
            }
        })
        .collect();
    let max = state.config.library.upload_max_bytes;
    render(ListPage { layout, lines, max_upload: size_words(max), max_upload_bytes: max })
}

#[derive(Default)]
pub struct DetailsForm {
    title: String,
    description: String,
    session_date: String,
    series: String,
    /// Ticked starter topics (the field repeats).
    topic: Vec<String>,
    other_topics: String,
    chapters: String,
    published: Option<String>,
}

impl DetailsForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = DetailsForm::default();
        for (name, value) in pairs {
            match name.as_str() {
                "title" => form.title = value,
                "description" => form.description = value,
                "session_date" => form.session_date = value,
                "series" => form.series = value,
                "topic" => form.topic.push(value),
                "other_topics" => form.other_topics = value,
                "chapters" => form.chapters = value,
                "published" => form.published = Some(value),
                _ => {}
            }
        }
        form
    }
}

#[derive(Template)]
#[template(path = "library/coach_edit.html")]
struct EditPage {
    layout: Layout,
    r: RecordingRow,
    form: DetailsForm,
    errors: FieldErrors,
    starter_topics: &'static [&'static str],
    transcript_error: Option<String>,
    cue_count: usize,
    length: String,
    size: String,
}

impl EditPage {
    fn ticked(&self, topic: &&str) -> bool {
        self.form.topic.iter().any(|t| t == topic)
    }
}

async fn edit_page(
    state: &AppState,
    layout: Layout,
    r: RecordingRow,
    form: Option<DetailsForm>,
    errors: FieldErrors,
    transcript_error: Option<String>,
) -> Result<EditPage, AppError> {
    let form = match form {
        Some(f) => f,
        None => {
            let topics = store::topics_of(&state.db, &r.id).await?;
            let (starter, other): (Vec<String>, Vec<String>) =
                topics.into_iter().partition(|t| STARTER_TOPICS.contains(&t.as_str()));
            DetailsForm {
                title: r.title.clone(),
                description: r.description.clone(),
                session_date: r.session_date.clone(),
                series: r.series.clone(),
                topic: starter,
                other_topics: other.join(", "),
                chapters: chapters_text(&store::chapters_of(&state.db, &r.id).await?),
                published: r.published_at.map(|_| "on".into()),
            }
        }
    };
    let cue_count = super::pages::lines_of(store::transcript_of(&state.db, &r.id).await?.as_deref()).len();
    Ok(EditPage {
        layout,
        length: r.duration_seconds.map(clock).unwrap_or_else(|| "unknown".into()),
        size: size_words(r.size_bytes as u64),
        r,
        form,
        errors,
        starter_topics: STARTER_TOPICS,
        transcript_error,
        cue_count,
    })
}

pub async fn edit(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(_): RequireStaff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = store::any(&state.db, &id).await?.ok_or(AppError::NotFound)?;
    render(edit_page(&state, layout, r, None, FieldErrors::new(), None).await?)
}

pub async fn save(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(_): RequireStaff,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let form = DetailsForm::from_pairs(crate::web::forms::form_pairs(&body));
    let r = store::any(&state.db, &id).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let title = form.title.trim();
    if title.is_empty() || title.chars().count() > 120 {
        errors.add("title", "Give a title of up to 120 characters.");
    }
    if form.description.chars().count() > 2000 {
        errors.add("description", "Keep the description under 2000 characters.");
    }
    if form.session_date.trim().parse::<jiff::civil::Date>().is_err() {
        errors.add("session_date", "Give the day the group met.");
    }
    if form.series.trim().chars().count() > 80 {
        errors.add("series", "Keep the series name under 80 characters.");
    }
    let topics = parse_topics(&form.topic, &form.other_topics, &mut errors);
    let chapters = parse_chapters(&form.chapters, r.duration_seconds, &mut errors);
    if !errors.is_empty() {
        let page = edit_page(&state, layout, r, Some(form), errors, None).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page);
    }
    let now = crate::clock::now();
    let published_at = match (form.published.is_some(), r.published_at) {
        (true, Some(p)) => Some(p),
        (true, None) => Some(now),
        (false, _) => None,
    };
    let details = Details {
        title,
        description: form.description.trim(),
        session_date: form.session_date.trim(),
        series: form.series.trim(),
        topics: &topics,
        chapters: &chapters,
        published_at,
        now,
    };
    store::save_details(&state.db, &r.id, details).await?;
    // Unpublished or rescheduled: this instance's byte ranges see it at once.
    state.media_facts.bump();
    Ok(redirect_with_flash(&format!("/coach/library/{}", r.id), &RECORDING_SAVED))
}

/// A WebVTT file, checked by the strict parser; a bad one is refused with its line and reason.
pub async fn transcript(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(_): RequireStaff,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let r = store::any(&state.db, &id).await?.ok_or(AppError::NotFound)?;
    let mut file: Option<axum::body::Bytes> = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| AppError::BadRequest(e.body_text()))? {
        if field.name() == Some("transcript") {
            file = Some(field.bytes().await.map_err(|e| AppError::BadRequest(e.body_text()))?);
        }
    }
    let problem = match file.as_deref() {
        None | Some([]) => Err("Choose a WebVTT (.vtt) file first.".to_owned()),
        Some(bytes) => vtt::parse(bytes).map_err(|e| format!("This file cannot be used as it is: {e}.")),
    };
    let cues = match problem {
        Ok(cues) => cues,
        Err(message) => {
            let page = edit_page(&state, layout, r, None, FieldErrors::new(), Some(message)).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page);
        }
    };
    if let (Some(d), Some(last)) = (r.duration_seconds, cues.last())
        && last.start_ms / 1000 > d as u64
    {
        let message = format!(
            "The transcript goes on past the end of the recording (its last line starts at {}).",
            vtt::clock(last.start_ms)
        );
        let page = edit_page(&state, layout, r, None, FieldErrors::new(), Some(message)).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page);
    }
    let clean = vtt::to_vtt(&cues);
    let search: Vec<(i64, String)> =
        cues.iter().map(|c| ((c.start_ms / 1000) as i64, c.text.clone())).collect();
    store::save_transcript(&state.db, &r.id, &r.title, &clean, &search, crate::clock::now()).await?;
    Ok(redirect_with_flash(&format!("/coach/library/{}", r.id), &TRANSCRIPT_SAVED))
}

pub async fn delete(
    State(state): State<AppState>,
    RequireStaff(_): RequireStaff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let key = store::delete(&state.db, &id).await?.ok_or(AppError::NotFound)?;
    state.media_facts.bump();
    state.media.delete(&key).await.map_err(anyhow::Error::from)?;
    Ok(redirect_with_flash("/coach/library", &RECORDING_DELETED))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_not_shown_exactly() {
        assert_eq!(count_words(0), "fewer than 5");
        assert_eq!(count_words(4), "fewer than 5");
        assert_eq!(count_words(5), "5");
    }
}
