//! Check-ins and the dashboard: saving a check-in, the series per kind over a
//! range, the plane with its trail, a plain summary, and the CSV download.

use std::collections::BTreeMap;

use axum::body::Bytes;
use serde::Serialize;
use utoipa::ToSchema;

use super::checkin_store::{self, NewCheckIn};
use super::checkins::{self, CheckInInput, KindInfo};
use super::dashboard_store::{self, DashboardQuery};
use super::{chart, plane, service, store};
use crate::clock::rfc3339;
use crate::state::AppState;
use crate::web::{AppError, CurrentUser, FieldErrors};

fn problems_to_fields(problems: BTreeMap<String, String>) -> AppError {
    let mut fields = FieldErrors::new();
    for (k, v) in problems {
        fields.add(&k, v);
    }
    AppError::Validation(fields)
}

/// Save a new check-in on the member's current day.
pub async fn save(
    state: &AppState,
    user: &CurrentUser,
    k: &KindInfo,
    input: &CheckInInput,
) -> Result<String, AppError> {
    checkins::validate(k, input).map_err(problems_to_fields)?;
    let now = crate::clock::now();
    let day = crate::clock::day_in_zone(now, &user.time_zone);
    Ok(checkin_store::insert(
        &state.db,
        NewCheckIn {
            user_id: &user.id,
            kind: k.slug,
            day: &day,
            values: &input.values,
            note: input.note.trim(),
            score: checkins::score(&input.values),
            at: now,
        },
    )
    .await?)
}

pub async fn update(
    state: &AppState,
    user: &CurrentUser,
    k: &KindInfo,
    id: &str,
    input: &CheckInInput,
) -> Result<(), AppError> {
    let existing = checkin_store::find(&state.db, &user.id, id).await?.ok_or(AppError::NotFound)?;
    if existing.kind != k.slug {
        return Err(AppError::NotFound);
    }
    checkins::validate(k, input).map_err(problems_to_fields)?;
    checkin_store::update(
        &state.db,
        &user.id,
        id,
        &input.values,
        input.note.trim(),
        checkins::score(&input.values),
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Range {
    Week,
    Quarter,
    Year,
    All,
}

impl Range {
    pub fn parse(s: Option<&str>) -> Range {
        match s {
            Some("week") => Range::Week,
            Some("year") => Range::Year,
            Some("all") => Range::All,
            _ => Range::Quarter,
        }
    }
    pub fn slug(self) -> &'static str {
        match self {
            Range::Week => "week",
            Range::Quarter => "quarter",
            Range::Year => "year",
            Range::All => "all",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Range::Week => "A week",
            Range::Quarter => "Three months",
            Range::Year => "A year",
            Range::All => "All",
        }
    }
    fn days(self) -> Option<i64> {
        match self {
            Range::Week => Some(6),
            Range::Quarter => Some(90),
            Range::Year => Some(364),
            Range::All => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Series {
    pub kind: String,
    pub title: String,
    pub min: i64,
    pub max: i64,
    pub from: String,
    pub to: String,
    /// (day, mean): one point per day, or per month (dated the 1st) for a year or more;
    /// a mean is rounded to six decimals.
    pub points: Vec<(String, f64)>,
    #[serde(skip)]
    pub svg: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NeedSummary {
    pub need: String,
    pub title: String,
    pub mean: f64,
}

/// Moments of return logged in one month (a count, never a streak).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonthCount {
    /// YYYY-MM.
    pub month: String,
    pub label: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Dashboard {
    pub range: Range,
    pub series: Vec<Series>,
    /// Needs that have felt least met over the last 30 days, lowest first.
    pub least_met_needs: Vec<NeedSummary>,
    #[serde(skip)]
    pub plane_svg: Option<String>,
    /// Moments of return per month, over the last twelve months (or since the
    /// first, for "all"); months without any count as zero.
    pub returns_by_month: Vec<MonthCount>,
}

/// The member's dashboard for `range` as `form` ("page" or "json"), which
/// `to_body` makes from what it shows: the copy kept from an earlier request
/// while nothing it was drawn from has changed (see `cache`), or drawn afresh.
pub async fn kept_or_drawn(
    state: &AppState,
    user: &CurrentUser,
    range: Range,
    form: &'static str,
    to_body: impl FnOnce(Range, &Dashboard) -> Result<Bytes, AppError>,
) -> Result<Bytes, AppError> {
    let which = format!("dashboard {form} {}", range.slug());
    crate::web::kept_or_drawn(state, user, &which, String::new(), |today| async move {
        to_body(range, &draw(state, user, range, &today).await?)
    })
    .await
}

/// The dashboard drawn afresh from the member's rows.
async fn draw(
    state: &AppState,
    user: &CurrentUser,
    range: Range,
    today: &str,
) -> Result<Dashboard, AppError> {
    let from = match range.days() {
        Some(d) => crate::clock::days_before(today, d),
        None => "0000-01-01".to_owned(),
    };
    // A year or more is drawn by month; shorter ranges by day.
    let by_month = matches!(range, Range::All | Range::Year);
    let kinds: Vec<&str> = checkins::ALL.iter().map(|k| k.slug).collect();
    let month_ago = crate::clock::days_before(today, 29);
    let year_ago = format!("{}-01", &crate::clock::days_before(today, 334)[..7]);
    let returns_from = if range == Range::All { "0000-01-01" } else { year_ago.as_str() };
    let rows = dashboard_store::dashboard(
        &state.db,
        &DashboardQuery {
            user_id: &user.id,
            kinds: &kinds,
            from: &from,
            by_month,
            needs_from: &month_ago,
            today,
            returns_from,
        },
    )
    .await?;
    let all_means = rows.means;
    let mut series = Vec::new();
    for k in checkins::ALL {
        let buckets: Vec<(String, f64)> =
            all_means.iter().filter(|(kind, _, _)| kind == k.slug).map(|(_, b, m)| (b.clone(), *m)).collect();
        let from = if range == Range::All {
            buckets.first().map_or_else(|| today.to_owned(), |d| d.0.clone())
        } else {
            from.clone()
        };
        let points = chart::downsample(&buckets, chart::MAX_POINTS);
        let svg = if points.is_empty() {
            String::new()
        } else {
            chart::line_chart(
                &points,
                &from,
                today,
                (k.min as f64, k.max as f64),
                by_month,
                &format!("{} over time", k.title),
            )
        };
        series.push(Series {
            kind: k.slug.to_owned(),
            title: k.title.to_owned(),
            min: k.min,
            max: k.max,
            from,
            to: today.to_owned(),
            points,
            svg,
        });
    }
    let least_met_needs = least_met(&rows.recent_needs);
    let points = service::plane_points(&rows.reflections, &user.time_zone);
    let plane_svg =
        (!points.is_empty()).then(|| plane::svg(&points, 7, "Your closeness reflection results over time"));
    use crate::features::practice::returns::rules as returns;
    let counts = rows.returns_per_month;
    // Quiet months count as zero; with none noted at all there is nothing to show.
    let returns_by_month = match counts.first() {
        None => Vec::new(),
        Some((first, _)) => {
            let start = if range == Range::All { first.clone() } else { year_ago[..7].to_owned() };
            returns::every_month(&counts, &start, &today[..7])
                .into_iter()
                .map(|(month, count)| MonthCount { label: returns::month_label(&month), month, count })
                .collect()
        }
    };
    Ok(Dashboard { range, series, least_met_needs, plane_svg, returns_by_month })
}

/// The three needs with the lowest mean rating, if any needs check-ins exist.
pub fn least_met(needs: &[BTreeMap<String, i64>]) -> Vec<NeedSummary> {
    let mut sums: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for values in needs {
        for (k, v) in values {
            let e = sums.entry(k.as_str()).or_default();
            e.0 += *v as f64;
            e.1 += 1.0;
        }
    }
    let mut means: Vec<NeedSummary> = checkins::NEEDS
        .items
        .iter()
        .filter_map(|(id, title)| {
            let (sum, n) = sums.get(id)?;
            Some(NeedSummary { need: (*id).to_owned(), title: (*title).to_owned(), mean: sum / n })
        })
        .collect();
    means.sort_by(|a, b| a.mean.total_cmp(&b.mean));
    means.truncate(3);
    means
}

/// Every result and check-in of the member as CSV, safe to open in a spreadsheet.
pub async fn csv(state: &AppState, user: &CurrentUser) -> Result<String, AppError> {
    let mut out = checkins::csv_row(&["type", "source", "date", "item", "value", "note"]);
    for r in store::list(&state.db, &user.id, None).await? {
        let taken = rfc3339(r.taken_at);
        for (dimension, score) in r.scores.iter() {
            out.push_str(&checkins::csv_row(&[
                "result",
                &r.instrument_id,
                &taken,
                dimension,
                &format!("{score:.2}"),
                "",
            ]));
        }
    }
    for c in checkin_store::all(&state.db, &user.id).await? {
        for (i, (item, value)) in c.values.iter().enumerate() {
            let note = if i == 0 { c.note.as_str() } else { "" };
            out.push_str(&checkins::csv_row(&["checkin", &c.kind, &c.day, item, &value.to_string(), note]));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_met_needs_come_first() {
        let c = |pairs: &[(&str, i64)]| pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        let list = vec![
            c(&[("warmth", 2), ("honesty", 8), ("repair", 5)]),
            c(&[("warmth", 4), ("honesty", 9), ("repair", 1)]),
        ];
        let least = least_met(&list);
        assert_eq!(
            least.iter().map(|n| n.need.as_str()).collect::<Vec<_>>(),
            ["repair", "warmth", "honesty"]
        );
        assert_eq!(least[0].mean, 3.0);
    }

    #[test]
    fn ranges_parse_with_a_sensible_default() {
        assert_eq!(Range::parse(Some("week")), Range::Week);
        assert_eq!(Range::parse(Some("nonsense")), Range::Quarter);
        assert_eq!(Range::parse(None), Range::Quarter);
    }
}
