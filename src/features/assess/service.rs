//! What the assess pages and API share: taking an instrument and describing a result.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::instrument::{self, AnswerProblems, Change, Instrument, Region};
use super::plane::PlanePoint;
use super::store::{self, ResultRecord};
use crate::features::undo::{self, Deleted};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

/// Delete one of the member's check-ins of this kind, undoable for a while;
/// the page of that kind is where an undo returns.
pub async fn delete_checkin(
    state: &AppState,
    user_id: &str,
    kind: &super::checkins::KindInfo,
    id: &str,
) -> Result<Deleted, AppError> {
    // One of another kind is not found here; one already deleted is left to
    // `undo`, which answers a second press of Delete with the first one's undo.
    if super::checkin_store::find(&state.db, user_id, id).await?.is_some_and(|c| c.kind != kind.slug) {
        return Err(AppError::NotFound);
    }
    let list = format!("/know/checkins/{}", kind.slug);
    undo::delete_or_404(state, user_id, &super::checkin_store::UNDO, id, &list).await
}

pub fn instrument<'a>(state: &'a AppState, id: &str) -> Result<&'a Instrument, AppError> {
    state.instruments.iter().find(|i| i.id == id).ok_or(AppError::NotFound)
}

pub enum TakeError {
    Incomplete(AnswerProblems),
    Other(AppError),
}

impl From<sqlx::Error> for TakeError {
    fn from(e: sqlx::Error) -> Self {
        TakeError::Other(e.into())
    }
}

/// Check and store a member's answers; returns the new result's id.
pub async fn take(
    state: &AppState,
    user: &CurrentUser,
    instrument: &Instrument,
    answers: &BTreeMap<String, i64>,
) -> Result<String, TakeError> {
    instrument.check_answers(answers).map_err(TakeError::Incomplete)?;
    let scores = instrument.score(answers);
    Ok(store::insert(&state.db, &user.id, &instrument.id, answers, &scores).await?)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DimensionScore {
    pub dimension: String,
    pub title: String,
    pub score: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DimensionChange {
    pub dimension: String,
    pub before: f64,
    pub after: f64,
    pub change: Change,
    /// The change in plain words.
    pub summary: String,
}

/// The caveat to say once when any change cannot be judged against noise.
pub fn unmeasured_change(changes: &[DimensionChange]) -> Option<&'static str> {
    changes
        .iter()
        .any(|c| c.change == crate::instruments::Change::Unknown)
        .then_some(crate::instruments::UNMEASURED_CHANGE)
}

/// A result with everything its page shows.
pub struct ResultView {
    pub record: ResultRecord,
    pub scores: Vec<DimensionScore>,
    pub changes: Vec<DimensionChange>,
    pub previous_at: Option<i64>,
    pub region: Option<Region>,
    /// This result and the earlier ones of the same instrument, oldest first.
    pub trail: Vec<ResultRecord>,
}

pub async fn result_view<'a>(
    state: &'a AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<(ResultView, &'a Instrument), AppError> {
    let record = store::find(&state.db, &user.id, id).await?.ok_or(AppError::NotFound)?;
    let instrument = instrument(state, &record.instrument_id)?;
    let all = store::list(&state.db, &user.id, Some(&record.instrument_id)).await?;
    let position = all.iter().position(|r| r.id == record.id).unwrap_or(0);
    let trail: Vec<ResultRecord> = all[..=position].to_vec();
    let previous = position.checked_sub(1).and_then(|p| all.get(p));
    let scores = instrument
        .dimensions
        .iter()
        .filter_map(|d| {
            record.scores.get(&d.id).map(|s| DimensionScore {
                dimension: d.id.clone(),
                title: d.title.clone(),
                score: *s,
            })
        })
        .collect();
    let changes = previous
        .map(|prev| {
            instrument
                .dimensions
                .iter()
                .filter_map(|d| {
                    let (before, after) = (*prev.scores.get(&d.id)?, *record.scores.get(&d.id)?);
                    let change = instrument::reliable_change(before, after, d.sd, d.reliability);
                    Some(DimensionChange {
                        dimension: d.id.clone(),
                        before,
                        after,
                        change,
                        summary: instrument::describe_change(&d.title.to_lowercase(), before, after, change),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let region = instrument.interpretation(&record.scores);
    Ok((
        ResultView { previous_at: previous.map(|p| p.taken_at), record, scores, changes, region, trail },
        instrument,
    ))
}

/// The plane's points for a trail (instruments with anxiety and avoidance
/// dimensions), each dated in the member's time zone.
pub fn plane_points(trail: &[ResultRecord], time_zone: &str) -> Vec<PlanePoint> {
    trail
        .iter()
        .filter_map(|r| {
            Some(PlanePoint {
                avoidance: *r.scores.get("avoidance")?,
                anxiety: *r.scores.get("anxiety")?,
                day: crate::clock::day_in_zone(r.taken_at, time_zone),
            })
        })
        .collect()
}
