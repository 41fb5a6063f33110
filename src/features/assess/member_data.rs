//! What know-yourself keeps of a member: questionnaire results and check-ins.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{checkin_store, store};
use crate::clock::rfc3339;
use crate::state::AppState;
use crate::web::member_data::{ExportFuture, MemberData, section};

pub const MEMBER_DATA: MemberData = MemberData {
    feature: "assess",
    tables: &["instrument_results", "checkins", "checkin_months"],
    not_exported: &[("checkin_months", "sums of the exported check-ins per month, kept for the dashboard")],
    delete: &[
        "DELETE FROM instrument_results WHERE user_id = $1",
        "DELETE FROM checkins WHERE user_id = $1",
        "DELETE FROM checkin_months WHERE user_id = $1",
    ],
    export,
};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportedResult {
    pub instrument_id: String,
    pub taken_at: String,
    pub answers: BTreeMap<String, i64>,
    pub scores: BTreeMap<String, f64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportedCheckIn {
    pub kind: String,
    pub day: String,
    pub values: BTreeMap<String, i64>,
    pub note: String,
    pub created_at: String,
}

fn export<'a>(state: &'a AppState, user_id: &'a str) -> ExportFuture<'a> {
    Box::pin(async move {
        let results: Vec<ExportedResult> = store::list(&state.db, user_id, None)
            .await?
            .into_iter()
            .map(|r| ExportedResult {
                instrument_id: r.instrument_id,
                taken_at: rfc3339(r.taken_at),
                answers: r.answers.into_inner(),
                scores: r.scores.into_inner(),
            })
            .collect();
        let checkins: Vec<ExportedCheckIn> = checkin_store::all(&state.db, user_id)
            .await?
            .into_iter()
            .map(|c| ExportedCheckIn {
                kind: c.kind,
                day: c.day,
                values: c.values.into_inner(),
                note: c.note,
                created_at: rfc3339(c.created_at),
            })
            .collect();
        Ok(vec![section("instrument_results", &results)?, section("checkins", &checkins)?])
    })
}
