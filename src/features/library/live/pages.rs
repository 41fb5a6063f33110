//! Live sessions: members with access see what is coming, say they will
//! come, and add it to their calendar; coaches schedule, cancel and attach
//! the recording afterwards.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::rules::{self, ScheduleInput};
use super::service;
use super::store::{self, LiveRow, NewLive};
use crate::features::accounts::sessions::{hash_token, new_token};
use crate::features::library::access::{self, pages::join_page, store as memberships};
use crate::features::library::recordings::rules::parse_topics;
use crate::features::library::recordings::store as recordings;
use crate::features::library::{
    FEED_MADE, FEED_REVOKED, LIVE_CANCELLED, LIVE_SCHEDULED, RECORDING_ATTACHED, RSVP_DROPPED, RSVP_SAVED,
};
use crate::state::AppState;
use crate::web::{
    AppError, CurrentUser, FieldErrors, Layout, RequireStaff, redirect_with_flash, render, render_with_status,
};

pub struct SessionView {
    pub id: String,
    pub title: String,
    pub description: String,
    /// In the reader's zone.
    pub when: String,
    /// In the zone the coach scheduled it in, when that differs.
    pub their_when: Option<String>,
    pub minutes: i64,
    pub join_url: String,
    pub topics: Vec<String>,
    pub cancelled: bool,
    pub coming: bool,
    pub recording_id: Option<String>,
    pub rsvps: i64,
}

fn view(
    s: LiveRow,
    zone: &str,
    topics: &HashMap<String, Vec<String>>,
    coming: bool,
    rsvps: i64,
) -> SessionView {
    let when = crate::clock::format_in_zone(s.starts_at, zone);
    let theirs = crate::clock::format_in_zone(s.starts_at, &s.time_zone);
    SessionView {
        their_when: (theirs != when).then_some(theirs),
        when,
        minutes: s.duration_minutes,
        topics: topics.get(&s.id).cloned().unwrap_or_default(),
        cancelled: s.cancelled_at.is_some(),
        coming,
        recording_id: s.recording_id,
        rsvps,
        join_url: s.join_url,
        title: s.title,
        description: s.description,
        id: s.id,
    }
}

async fn topics_by_session(state: &AppState) -> Result<HashMap<String, Vec<String>>, AppError> {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for (id, topic) in store::topics(&state.db).await? {
        map.entry(id).or_default().push(topic);
    }
    Ok(map)
}

#[derive(Template)]
#[template(path = "library/live.html")]
struct LivePage {
    layout: Layout,
    upcoming: Vec<SessionView>,
    past: Vec<SessionView>,
    feed_since: Option<String>,
    /// Shown once, right after it is made.
    new_feed_url: Option<String>,
}

async fn live_page(
    state: &AppState,
    layout: Layout,
    user: &CurrentUser,
    new_feed_url: Option<String>,
) -> Result<Response, AppError> {
    let now = crate::clock::now();
    let topics = topics_by_session(state).await?;
    let mine: HashSet<String> = store::my_rsvps(&state.db, &user.id).await?.into_iter().collect();
    let upcoming = store::upcoming(&state.db, now)
        .await?
        .into_iter()
        .map(|s| {
            let coming = mine.contains(&s.id);
            view(s, &user.time_zone, &topics, coming, 0)
        })
        .collect();
    let past = store::past(&state.db, now)
        .await?
        .into_iter()
        .filter(|s| s.cancelled_at.is_none())
        .map(|s| view(s, &user.time_zone, &topics, false, 0))
        .collect();
    let feed_since =
        store::feed_since(&state.db, &user.id).await?.map(|t| crate::clock::format_date(t, &user.time_zone));
    render(LivePage { layout, upcoming, past, feed_since, new_feed_url })
}

pub async fn live(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    if !access::may_watch_claiming(&state, &user).await? {
        return join_page(&state, layout, &user, String::new(), FieldErrors::new(), StatusCode::OK).await;
    }
    live_page(&state, layout, &user, None).await
}

/// The session, for someone who may watch; otherwise the join page (403), never a bare refusal.
async fn open_session(
    state: &AppState,
    layout: Layout,
    user: &CurrentUser,
    id: &str,
) -> Result<Result<LiveRow, Response>, AppError> {
    if !access::may_watch(user) {
        let page =
            join_page(state, layout, user, String::new(), FieldErrors::new(), StatusCode::FORBIDDEN).await?;
        return Ok(Err(page));
    }
    Ok(Ok(store::find(&state.db, id).await?.ok_or(AppError::NotFound)?))
}

pub async fn rsvp(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let session = match open_session(&state, layout, &user, &id).await? {
        Ok(session) => session,
        Err(join) => return Ok(join),
    };
    if session.cancelled_at.is_some() || session.starts_at <= crate::clock::now() {
        return Err(AppError::Conflict("This session is no longer ahead.".into()));
    }
    store::rsvp(&state.db, &session.id, &user.id, crate::clock::now()).await?;
    Ok(redirect_with_flash("/library/live", &RSVP_SAVED))
}

pub async fn unrsvp(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    store::unrsvp(&state.db, &id, &user.id).await?;
    Ok(redirect_with_flash("/library/live", &RSVP_DROPPED))
}

fn calendar_response(text: String, file_name: &str) -> Result<Response, AppError> {
    let mut response = text.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    let disposition = format!("attachment; filename=\"{file_name}\"");
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::try_from(disposition).map_err(anyhow::Error::from)?);
    Ok(response)
}

/// One session as a calendar file.
pub async fn session_ics(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let session = match open_session(&state, layout, &user, &id).await? {
        Ok(session) => session,
        Err(join) => return Ok(join),
    };
    let name = format!("{} live session", state.config.instance_name);
    calendar_response(service::calendar(&state, &name, std::slice::from_ref(&session)), "session.ics")
}

/// The member's calendar feed, for a calendar app (no cookie: the secret
/// address is the key). It lists the sessions they said they would join,
/// while they may watch the library.
pub async fn feed(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, AppError> {
    let token = token.trim_end_matches(".ics");
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let member = store::feed_owner(&state.db, &hash_token(token)).await?.ok_or(AppError::NotFound)?;
    let now = crate::clock::now();
    let may_watch = memberships::has_access(&state.db, &member, now).await?
        || memberships::is_staff(&state.db, &member).await?;
    let sessions =
        if may_watch { store::rsvped_by(&state.db, &member, now - 86_400).await? } else { Vec::new() };
    let name = format!("{} live sessions", state.config.instance_name);
    calendar_response(service::calendar(&state, &name, &sessions), "live-sessions.ics")
}

/// Makes (or remakes) the member's feed address and shows it once.
pub async fn make_feed(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    if !access::may_watch(&user) {
        return join_page(&state, layout, &user, String::new(), FieldErrors::new(), StatusCode::FORBIDDEN)
            .await;
    }
    let token = new_token();
    store::set_feed(&state.db, &user.id, &hash_token(&token), crate::clock::now()).await?;
    let url = format!("{}/library/calendar/{token}.ics", state.config.base_url());
    let layout = Layout { flash: Some(FEED_MADE.text), ..layout };
    live_page(&state, layout, &user, Some(url)).await
}

pub async fn revoke_feed(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    store::revoke_feed(&state.db, &user.id).await?;
    Ok(redirect_with_flash("/library/live", &FEED_REVOKED))
}

#[derive(Default, Deserialize)]
pub struct ScheduleForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    starts: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    duration_minutes: String,
    #[serde(default)]
    join_url: String,
    #[serde(default)]
    topics: String,
}

#[derive(Template)]
#[template(path = "library/coach_live.html")]
struct CoachLivePage {
    layout: Layout,
    upcoming: Vec<SessionView>,
    past: Vec<SessionView>,
    recordings: Vec<(String, String)>,
    form: ScheduleForm,
    errors: FieldErrors,
}

async fn coach_page(
    state: &AppState,
    layout: Layout,
    coach: &CurrentUser,
    form: ScheduleForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let now = crate::clock::now();
    let topics = topics_by_session(state).await?;
    let counts: HashMap<String, i64> = store::rsvp_counts(&state.db).await?.into_iter().collect();
    let upcoming = store::upcoming(&state.db, now)
        .await?
        .into_iter()
        .map(|s| {
            let count = counts.get(&s.id).copied().unwrap_or(0);
            view(s, &coach.time_zone, &topics, false, count)
        })
        .collect();
    let past = store::past(&state.db, now)
        .await?
        .into_iter()
        .map(|s| view(s, &coach.time_zone, &topics, false, 0))
        .collect();
    let recordings = recordings::list_published(&state.db, now, None)
        .await?
        .into_iter()
        .map(|r| (r.id, r.title))
        .collect();
    let form = ScheduleForm {
        time_zone: if form.time_zone.is_empty() { coach.time_zone.clone() } else { form.time_zone },
        duration_minutes: if form.duration_minutes.is_empty() { "90".into() } else { form.duration_minutes },
        ..form
    };
    render_with_status(status, CoachLivePage { layout, upcoming, past, recordings, form, errors })
}

pub async fn coach_live(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(coach): RequireStaff,
) -> Result<Response, AppError> {
    coach_page(&state, layout, &coach, ScheduleForm::default(), FieldErrors::new(), StatusCode::OK).await
}

pub async fn schedule(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(coach): RequireStaff,
    Form(form): Form<ScheduleForm>,
) -> Result<Response, AppError> {
    let now = crate::clock::now();
    let input = ScheduleInput {
        title: &form.title,
        description: &form.description,
        starts: &form.starts,
        time_zone: &form.time_zone,
        duration_minutes: &form.duration_minutes,
        join_url: &form.join_url,
    };
    let mut topic_errors = FieldErrors::new();
    let topics = parse_topics(&[], &form.topics, &mut topic_errors);
    let checked = rules::check(&input, now);
    let schedule = match (checked, topic_errors.is_empty()) {
        (Ok(s), true) => s,
        (Ok(_), false) => {
            return coach_page(&state, layout, &coach, form, topic_errors, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
        (Err(mut errors), _) => {
            if let Some(e) = topic_errors.get("other_topics") {
                errors.add("topics", e);
            }
            return coach_page(&state, layout, &coach, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let mut tx = state.db.begin().await?;
    let new = NewLive {
        title: form.title.trim(),
        description: form.description.trim(),
        starts_at: schedule.starts_at,
        time_zone: form.time_zone.trim(),
        duration_minutes: schedule.duration_minutes,
        join_url: form.join_url.trim(),
        topics: &topics,
        now,
    };
    let id = store::insert(&mut tx, new).await?;
    service::queue_reminder(&mut tx, &id, schedule.starts_at, now).await?;
    tx.commit().await?;
    state.wake_worker.notify_one();
    Ok(redirect_with_flash("/coach/library/live", &LIVE_SCHEDULED))
}

pub async fn cancel(
    State(state): State<AppState>,
    RequireStaff(_): RequireStaff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    if !store::cancel(&state.db, &id, crate::clock::now()).await? {
        return Err(AppError::NotFound);
    }
    Ok(redirect_with_flash("/coach/library/live", &LIVE_CANCELLED))
}

#[derive(Deserialize)]
pub struct AttachForm {
    #[serde(default)]
    recording_id: String,
}

pub async fn attach(
    State(state): State<AppState>,
    RequireStaff(_): RequireStaff,
    Path(id): Path<String>,
    Form(form): Form<AttachForm>,
) -> Result<Response, AppError> {
    let now = crate::clock::now();
    let session = store::find(&state.db, &id).await?.ok_or(AppError::NotFound)?;
    if session.starts_at > now {
        return Err(AppError::Conflict("A recording is attached once the session has been held.".into()));
    }
    let recording = recordings::published(&state.db, &form.recording_id, now).await?.ok_or_else(|| {
        let mut errors = FieldErrors::new();
        errors.add("recording_id", "Choose one of the library's published recordings.");
        AppError::Validation(errors)
    })?;
    if !service::attach(&state, &id, &recording.id).await? {
        return Err(AppError::Conflict("This session already has its recording, or was cancelled.".into()));
    }
    Ok(redirect_with_flash("/coach/library/live", &RECORDING_ATTACHED))
}
