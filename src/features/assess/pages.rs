//! Know yourself pages: the instruments, taking one, and a result on the plane.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::instrument::{Instrument, Region};
use super::service::{self, DimensionChange, DimensionScore, TakeError};
use super::{plane, store};
use crate::clock::format_in_zone;
use crate::state::AppState;
use crate::web::forms::form_pairs;
use crate::web::{AppError, CurrentUser, Layout, render, render_with_status};

pub struct ResultRow {
    pub id: String,
    pub title: String,
    pub when: String,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "assess/know.html")]
struct KnowPage {
    layout: Layout,
    instruments: Vec<(String, String, String, usize)>,
    results: Vec<ResultRow>,
}

pub async fn know(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let mut results: Vec<ResultRow> = store::list(&state.db, &user.id, None)
        .await?
        .into_iter()
        .map(|r| {
            let instrument = state.instruments.iter().find(|i| i.id == r.instrument_id);
            ResultRow {
                title: instrument.map_or_else(|| r.instrument_id.clone(), |i| i.title.clone()),
                when: format_in_zone(r.taken_at, &user.time_zone),
                summary: instrument
                    .map(|i| {
                        i.dimensions
                            .iter()
                            .filter_map(|d| {
                                r.scores.get(&d.id).map(|s| format!("{} {s:.1}", d.title.to_lowercase()))
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default(),
                id: r.id,
            }
        })
        .collect();
    results.reverse();
    let instruments = state
        .instruments
        .iter()
        .map(|i| (i.id.clone(), i.title.clone(), i.description.clone(), i.items.len()))
        .collect();
    render(KnowPage { layout, instruments, results })
}

pub struct ItemView {
    pub id: String,
    pub number: usize,
    pub text: String,
    pub options: Vec<(i64, String, bool)>,
    pub problem: Option<String>,
}

#[derive(Template)]
#[template(path = "assess/take.html")]
struct TakePage {
    layout: Layout,
    instrument_id: String,
    title: String,
    description: String,
    attribution: String,
    items: Vec<ItemView>,
    missing: usize,
}

fn take_page(
    layout: Layout,
    i: &Instrument,
    answers: &BTreeMap<String, i64>,
    problems: &BTreeMap<String, String>,
) -> TakePage {
    let items = i
        .items
        .iter()
        .enumerate()
        .map(|(n, item)| ItemView {
            id: item.id.clone(),
            number: n + 1,
            text: item.text.clone(),
            options: i
                .labels
                .iter()
                .enumerate()
                .map(|(k, label)| {
                    let value = k as i64 + 1;
                    (value, label.clone(), answers.get(&item.id) == Some(&value))
                })
                .collect(),
            problem: problems.get(&item.id).cloned(),
        })
        .collect();
    TakePage {
        layout,
        instrument_id: i.id.clone(),
        title: i.title.clone(),
        description: i.description.clone(),
        attribution: i.attribution.clone(),
        items,
        missing: problems.len(),
    }
}

pub async fn take_form(
    State(state): State<AppState>,
    layout: Layout,
    _user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let i = service::instrument(&state, &id)?;
    render(take_page(layout, i, &BTreeMap::new(), &BTreeMap::new()))
}

pub async fn take_submit(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let i = service::instrument(&state, &id)?;
    let mut answers = BTreeMap::new();
    for (k, v) in form_pairs(&body) {
        if let Ok(n) = v.parse::<i64>() {
            answers.insert(k, n);
        }
    }
    match service::take(&state, &user, i, &answers).await {
        Ok(result_id) => Ok(Redirect::to(&format!("/know/results/{result_id}")).into_response()),
        Err(TakeError::Incomplete(problems)) => {
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, take_page(layout, i, &answers, &problems))
        }
        Err(TakeError::Other(e)) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "assess/result.html")]
struct ResultPage {
    layout: Layout,
    id: String,
    instrument_id: String,
    title: String,
    when: String,
    scores: Vec<DimensionScore>,
    changes: Vec<DimensionChange>,
    /// Said once when any change cannot be judged against the questionnaire's noise.
    unmeasured_change: Option<&'static str>,
    previous_when: Option<String>,
    region: Option<Region>,
    plane_svg: Option<String>,
    trail: Vec<(String, String, String)>,
    points: u8,
}

pub async fn result(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (view, i) = service::result_view(&state, &user, &id).await?;
    let points = service::plane_points(&view.trail, &user.time_zone);
    let plane_svg = (points.len() == view.trail.len() && !points.is_empty())
        .then(|| plane::svg(&points, i.points, "Where this result sits on the two dimensions"));
    let trail = view
        .trail
        .iter()
        .rev()
        .map(|r| {
            (
                format_in_zone(r.taken_at, &user.time_zone),
                r.scores.get("anxiety").map_or_else(String::new, |s| format!("{s:.1}")),
                r.scores.get("avoidance").map_or_else(String::new, |s| format!("{s:.1}")),
            )
        })
        .collect();
    render(ResultPage {
        layout,
        id,
        instrument_id: i.id.clone(),
        title: i.title.clone(),
        when: format_in_zone(view.record.taken_at, &user.time_zone),
        scores: view.scores,
        unmeasured_change: service::unmeasured_change(&view.changes),
        changes: view.changes,
        previous_when: view.previous_at.map(|t| format_in_zone(t, &user.time_zone)),
        region: view.region,
        plane_svg,
        trail,
        points: i.points,
    })
}
