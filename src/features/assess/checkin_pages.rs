//! Check-in pages and the dashboard.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::checkin_store;
use super::checkins::{self, CheckInInput, Kind, KindInfo};
use super::dashboard::{self, Dashboard, Range};
use super::{CHECKIN_DELETED, CHECKIN_SAVED};
use crate::clock::format_in_zone;
use crate::state::AppState;
use crate::web::forms::form_pairs;
use crate::web::redirect_with_flash;
use crate::web::{AppError, CurrentUser, FieldErrors, Layout, kept_or_drawn, render_kept};

pub struct ItemField {
    pub id: &'static str,
    pub text: &'static str,
    pub options: Vec<(i64, bool)>,
    pub problem: Option<String>,
}

pub struct RecentRow {
    pub id: String,
    pub when: String,
    pub summary: String,
    pub note: String,
}

/// A check-in page below the header: kept between the member's requests
/// while it is the plain form (see `web::kept_pages`).
#[derive(Template)]
#[template(path = "assess/checkin_body.html")]
struct CheckInBody {
    /// Offer to share each recent check-in (Together).
    partner_linked: bool,
    kind: &'static KindInfo,
    editing: Option<String>,
    items: Vec<ItemField>,
    note: String,
    note_problem: Option<String>,
    needs: Vec<(&'static str, &'static str, bool)>,
    recent: Vec<RecentRow>,
    is_today: bool,
    is_needs: bool,
    has_problems: bool,
}

fn kind(slug: &str) -> Result<&'static KindInfo, AppError> {
    checkins::info(slug).ok_or(AppError::NotFound)
}

async fn draw_body(
    state: &AppState,
    user: &CurrentUser,
    k: &'static KindInfo,
    editing: Option<String>,
    input: &CheckInInput,
    errors: &FieldErrors,
) -> Result<CheckInBody, AppError> {
    let items = k
        .items
        .iter()
        .map(|(id, text)| ItemField {
            id,
            text,
            options: (k.min..=k.max).map(|v| (v, input.values.get(*id) == Some(&v))).collect(),
            problem: errors.get(id).map(str::to_owned),
        })
        .collect();
    let recent = checkin_store::latest(&state.db, &user.id, k.slug, 20)
        .await?
        .into_iter()
        .map(|c| RecentRow {
            when: format_in_zone(c.created_at, &user.time_zone),
            summary: if k.items.len() == 1 {
                format!("{} of {}", c.score, k.max)
            } else {
                format!("average {:.1} of {}", c.score, k.max)
            },
            note: match k.kind {
                Kind::Needs => checkins::NEEDS
                    .items
                    .iter()
                    .find(|(id, _)| *id == c.note)
                    .map(|(_, t)| format!("would like to name: {}", t.to_lowercase()))
                    .unwrap_or_default(),
                _ => c.note,
            },
            id: c.id,
        })
        .collect();
    Ok(CheckInBody {
        partner_linked: user.partner_linked,
        kind: k,
        editing,
        items,
        note: input.note.clone(),
        note_problem: errors.get("note").map(str::to_owned),
        needs: checkins::NEEDS.items.iter().map(|(id, t)| (*id, *t, input.note == *id)).collect(),
        recent,
        is_today: k.kind == Kind::Today,
        is_needs: k.kind == Kind::Needs,
        has_problems: !errors.is_empty(),
    })
}

/// The page around a check-in body, with `status`.
fn page(layout: Layout, k: &KindInfo, status: StatusCode, body: CheckInBody) -> Result<Response, AppError> {
    let mut page = render_kept(layout, &format!("{} check-in", k.title), body.render()?.as_bytes())?;
    *page.status_mut() = status;
    Ok(page)
}

fn read_form(body: &[u8]) -> CheckInInput {
    let mut input = CheckInInput::default();
    for (k, v) in form_pairs(body) {
        if k == "note" {
            input.note = v;
        } else if let Ok(n) = v.trim().parse::<i64>() {
            input.values.insert(k, n);
        }
    }
    input
}

pub async fn form(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let k = kind(&slug)?;
    // The plain form and the recent check-ins: kept while nothing changed.
    let kept = kept_or_drawn(
        &state,
        &user,
        &format!("checkin {}", k.slug),
        user.partner_linked.to_string(),
        |_| async {
            let body =
                draw_body(&state, &user, k, None, &CheckInInput::default(), &FieldErrors::new()).await?;
            Ok(body.render()?.into())
        },
    )
    .await?;
    render_kept(layout, &format!("{} check-in", k.title), &kept)
}

pub async fn submit(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(slug): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let k = kind(&slug)?;
    let input = read_form(&body);
    match dashboard::save(&state, &user, k, &input).await {
        Ok(_) => Ok(redirect_with_flash(&format!("/know/checkins/{}", k.slug), &CHECKIN_SAVED)),
        Err(AppError::Validation(errors)) => {
            let b = draw_body(&state, &user, k, None, &input, &errors).await?;
            page(layout, k, StatusCode::UNPROCESSABLE_ENTITY, b)
        }
        Err(e) => Err(e),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let k = kind(&slug)?;
    let existing = checkin_store::find(&state.db, &user.id, &id)
        .await?
        .filter(|c| c.kind == k.slug)
        .ok_or(AppError::NotFound)?;
    let input = CheckInInput { values: existing.values.into_inner(), note: existing.note };
    page(layout, k, StatusCode::OK, draw_body(&state, &user, k, Some(id), &input, &FieldErrors::new()).await?)
}

pub async fn edit_submit(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path((slug, id)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let k = kind(&slug)?;
    let input = read_form(&body);
    match dashboard::update(&state, &user, k, &id, &input).await {
        Ok(()) => Ok(redirect_with_flash(&format!("/know/checkins/{}", k.slug), &CHECKIN_SAVED)),
        Err(AppError::Validation(errors)) => {
            let b = draw_body(&state, &user, k, Some(id), &input, &errors).await?;
            page(layout, k, StatusCode::UNPROCESSABLE_ENTITY, b)
        }
        Err(e) => Err(e),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let k = kind(&slug)?;
    let deleted = super::service::delete_checkin(&state, &user.id, k, &id).await?;
    Ok(deleted.redirect(&format!("/know/checkins/{}", k.slug), &CHECKIN_DELETED))
}

#[derive(Template)]
#[template(path = "assess/dashboard_body.html")]
struct DashboardBody<'a> {
    dashboard: &'a Dashboard,
    ranges: Vec<(&'static str, &'static str, bool)>,
    by_month: bool,
    range_is_all: bool,
}

impl DashboardBody<'_> {
    /// The table beside each chart repeats every point's value.
    fn one_decimal(&self, value: &f64) -> super::chart::OneDecimal {
        super::chart::OneDecimal(*value)
    }
}

#[derive(Deserialize)]
pub struct RangeQuery {
    range: Option<String>,
}

pub async fn dashboard_page(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let range = Range::parse(q.range.as_deref());
    let body = dashboard::kept_or_drawn(&state, &user, range, "page", |range, dashboard| {
        Ok(dashboard_body(range, dashboard)?.into())
    })
    .await?;
    render_kept(layout, "How you are changing", &body)
}

/// The dashboard's page below the header, drawn once for each kept copy.
fn dashboard_body(range: Range, dashboard: &Dashboard) -> Result<String, AppError> {
    let ranges = [Range::Week, Range::Quarter, Range::Year, Range::All]
        .iter()
        .map(|r| (r.slug(), r.label(), *r == range))
        .collect();
    Ok(DashboardBody {
        dashboard,
        ranges,
        by_month: matches!(range, Range::All | Range::Year),
        range_is_all: range == Range::All,
    }
    .render()?)
}

pub async fn results_csv(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let body = dashboard::csv(&state, &user).await?;
    let mut response = body.into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    response.headers_mut().insert(
        CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"securebase-results.csv\""),
    );
    Ok(response)
}
