//! The member's library: the home (continue, new since last visit, topics and
//! series) and one recording with its player, transcript and notes.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::rules::{clock, duration_words};
use super::store::{self, RecordingRow};
use crate::features::library::access::{self, pages::join_page};
use crate::features::library::sniff::MediaKind;
use crate::features::library::vtt;
use crate::features::library::watching::store::{self as watching, NoteRow, PositionRow};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser, FieldErrors, Layout, render};

/// A recording as a card on the home.
pub struct Card {
    pub id: String,
    pub title: String,
    pub description: String,
    pub day: String,
    pub series: String,
    pub length: String,
    pub topics: Vec<String>,
    pub is_video: bool,
    /// "Stopped at 12:30", "Watched", or empty.
    pub progress: String,
}

#[derive(Template)]
#[template(path = "library/home.html")]
struct HomePage {
    layout: Layout,
    continuing: Vec<Card>,
    new_since: Vec<Card>,
    series: Vec<(String, Vec<Card>)>,
    topics: Vec<String>,
    topic: Option<String>,
    filtered: Vec<Card>,
    empty: bool,
    is_staff: bool,
}

#[derive(Deserialize)]
pub struct HomeQuery {
    topic: Option<String>,
}

fn card(
    r: &RecordingRow,
    topics: &HashMap<String, Vec<String>>,
    position: Option<&PositionRow>,
    zone: &str,
) -> Card {
    let progress = match position {
        Some(p) if p.completed_at.is_some() => "Watched".to_owned(),
        Some(p) if p.position_seconds > 0 => format!("Stopped at {}", clock(p.position_seconds)),
        _ => String::new(),
    };
    Card {
        id: r.id.clone(),
        title: r.title.clone(),
        description: r.description.clone(),
        day: session_day(&r.session_date, zone),
        series: r.series.clone(),
        length: r.duration_seconds.map(duration_words).unwrap_or_default(),
        topics: topics.get(&r.id).cloned().unwrap_or_default(),
        is_video: MediaKind::parse(&r.media_kind).is_some_and(MediaKind::is_video),
        progress,
    }
}

/// "14 October 2026" from "2026-10-14".
pub fn session_day(date: &str, _zone: &str) -> String {
    date.parse::<jiff::civil::Date>()
        .map(|d| d.strftime("%-d %B %Y").to_string())
        .unwrap_or_else(|_| date.to_owned())
}

pub async fn home(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Query(q): Query<HomeQuery>,
) -> Result<Response, AppError> {
    if !access::may_watch_claiming(&state, &user).await? {
        return join_page(&state, layout, &user, String::new(), FieldErrors::new(), StatusCode::OK).await;
    }
    let now = crate::clock::now();
    let since = watching::visit(&state.db, &user.id, now).await?;
    let recordings = store::list_published(&state.db, now, None).await?;
    let mut topics_of: HashMap<String, Vec<String>> = HashMap::new();
    for (id, topic) in store::topics(&state.db, now).await? {
        topics_of.entry(id).or_default().push(topic);
    }
    let positions: HashMap<String, PositionRow> = watching::positions(&state.db, &user.id)
        .await?
        .into_iter()
        .map(|p| (p.recording_id.clone(), p))
        .collect();
    let zone = &user.time_zone;
    let make = |r: &RecordingRow| card(r, &topics_of, positions.get(&r.id), zone);

    let mut continuing: Vec<(&PositionRow, Card)> = recordings
        .iter()
        .filter_map(|r| {
            positions
                .get(&r.id)
                .filter(|p| p.completed_at.is_none() && p.position_seconds > 0)
                .map(|p| (p, make(r)))
        })
        .collect();
    continuing.sort_by_key(|c| std::cmp::Reverse(c.0.updated_at));
    let continuing: Vec<Card> = continuing.into_iter().take(4).map(|(_, c)| c).collect();
    let new_since: Vec<Card> = match since {
        Some(since) => {
            recordings.iter().filter(|r| r.published_at.is_some_and(|p| p > since)).map(make).collect()
        }
        None => Vec::new(),
    };
    let topic = q.topic.map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty());
    let mut all_topics: Vec<String> = topics_of.values().flatten().cloned().collect();
    all_topics.sort();
    all_topics.dedup();
    let filtered: Vec<Card> = match &topic {
        Some(t) => recordings
            .iter()
            .filter(|r| topics_of.get(&r.id).is_some_and(|ts| ts.contains(t)))
            .map(make)
            .collect(),
        None => Vec::new(),
    };
    let mut series: BTreeMap<String, Vec<Card>> = BTreeMap::new();
    for r in &recordings {
        let name = if r.series.is_empty() { "More sessions".to_owned() } else { r.series.clone() };
        series.entry(name).or_default().push(make(r));
    }
    render(HomePage {
        layout,
        continuing,
        new_since,
        series: series.into_iter().collect(),
        topics: all_topics,
        topic,
        filtered,
        empty: recordings.is_empty(),
        is_staff: user.role.is_staff(),
    })
}

/// One line of the transcript.
pub struct Line {
    pub at: i64,
    pub end_ms: u64,
    pub start_ms: u64,
    pub clock: String,
    pub text: String,
}

pub struct Chapter {
    pub at: i64,
    pub clock: String,
    pub title: String,
}

pub struct NoteView {
    pub id: String,
    pub at: i64,
    pub clock: String,
    pub text: String,
}

impl From<NoteRow> for NoteView {
    fn from(n: NoteRow) -> Self {
        NoteView { id: n.id, at: n.at_seconds, clock: clock(n.at_seconds), text: n.text }
    }
}

#[derive(Template)]
#[template(path = "library/recording.html")]
pub struct RecordingPage {
    pub layout: Layout,
    pub r: RecordingRow,
    pub day: String,
    pub length: String,
    pub is_video: bool,
    pub content_type: &'static str,
    pub topics: Vec<String>,
    pub chapters: Vec<Chapter>,
    pub lines: Vec<Line>,
    pub notes: Vec<NoteView>,
    pub start_at: i64,
    pub start_clock: String,
    pub resumed: bool,
    pub completed: bool,
    pub note_at: String,
    pub note_text: String,
    pub note_errors: FieldErrors,
    pub draft: bool,
}

#[derive(Deserialize)]
pub struct RecordingQuery {
    t: Option<String>,
}

/// A recording this person may see: published, or any for staff.
pub async fn visible(state: &AppState, user: &CurrentUser, id: &str) -> Result<RecordingRow, AppError> {
    let found = if user.role.is_staff() {
        store::any(&state.db, id).await?
    } else {
        store::published(&state.db, id, crate::clock::now()).await?
    };
    found.ok_or(AppError::NotFound)
}

/// The cues of a stored transcript (one stored is always valid; a broken one reads as none).
pub fn lines_of(vtt_text: Option<&str>) -> Vec<Line> {
    let cues = vtt_text.and_then(|t| vtt::parse(t.as_bytes()).ok()).unwrap_or_default();
    cues.into_iter()
        .map(|c| Line {
            at: (c.start_ms / 1000) as i64,
            start_ms: c.start_ms,
            end_ms: c.end_ms,
            clock: clock((c.start_ms / 1000) as i64),
            text: c.text,
        })
        .collect()
}

pub struct NoteInput {
    pub at: String,
    pub text: String,
    pub errors: FieldErrors,
}

pub async fn recording_page(
    state: &AppState,
    layout: Layout,
    user: &CurrentUser,
    id: &str,
    t: Option<i64>,
    note: Option<NoteInput>,
) -> Result<RecordingPage, AppError> {
    let r = visible(state, user, id).await?;
    let position = watching::position(&state.db, &user.id, &r.id).await?;
    let resume = position.as_ref().filter(|p| p.completed_at.is_none()).map_or(0, |p| p.position_seconds);
    let start_at = t.unwrap_or(resume).clamp(0, r.duration_seconds.unwrap_or(i64::MAX));
    let kind = MediaKind::parse(&r.media_kind);
    let note =
        note.unwrap_or(NoteInput { at: clock(start_at), text: String::new(), errors: FieldErrors::new() });
    Ok(RecordingPage {
        layout,
        day: session_day(&r.session_date, &user.time_zone),
        length: r.duration_seconds.map(duration_words).unwrap_or_default(),
        is_video: kind.is_some_and(MediaKind::is_video),
        content_type: kind.map_or("application/octet-stream", MediaKind::content_type),
        topics: store::topics_of(&state.db, &r.id).await?,
        chapters: store::chapters_of(&state.db, &r.id)
            .await?
            .into_iter()
            .map(|(at, title)| Chapter { at, clock: clock(at), title })
            .collect(),
        lines: lines_of(store::transcript_of(&state.db, &r.id).await?.as_deref()),
        notes: watching::notes(&state.db, &user.id, Some(&r.id)).await?.into_iter().map(Into::into).collect(),
        start_at,
        start_clock: clock(start_at),
        resumed: t.is_none() && resume > 0,
        completed: position.is_some_and(|p| p.completed_at.is_some()),
        note_at: note.at,
        note_text: note.text,
        note_errors: note.errors,
        draft: r.published_at.is_none_or(|p| p > crate::clock::now()),
        r,
    })
}

pub async fn recording(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<RecordingQuery>,
) -> Result<Response, AppError> {
    if !access::may_watch_claiming(&state, &user).await? {
        return join_page(&state, layout, &user, String::new(), FieldErrors::new(), StatusCode::FORBIDDEN)
            .await;
    }
    let t = q.t.as_deref().and_then(super::rules::parse_clock);
    let page = recording_page(&state, layout, &user, &id, t, None).await?;
    with_media_origin(&state, render(page)?)
}

/// With S3 addresses handed to the player, its page lets media come from there.
pub fn with_media_origin(state: &AppState, mut response: Response) -> Result<Response, AppError> {
    if let Some(origin) = state.media.signed_origin() {
        let policy = crate::web::middleware::CONTENT_SECURITY_POLICY
            .replace("media-src 'self'", &format!("media-src 'self' {origin}"));
        let value = axum::http::HeaderValue::try_from(policy).map_err(anyhow::Error::from)?;
        response.headers_mut().insert("content-security-policy", value);
    }
    Ok(response)
}
