//! What the repair guide keeps of a member: their plans.

use serde::Serialize;

use super::rules::RepairAnswers;
use super::store;
use crate::clock::rfc3339;
use crate::web::member_data::{ExportFuture, MemberData, section};

pub const MEMBER_DATA: MemberData = MemberData {
    feature: "practice/repair",
    tables: &["repair_plans"],
    not_exported: &[],
    delete: &["DELETE FROM repair_plans WHERE user_id = $1"],
    export: |state, user_id| -> ExportFuture<'_> {
        Box::pin(async move {
            let repair_plans: Vec<ExportedPlan> = store::list_plans(&state.db, user_id)
                .await?
                .into_iter()
                .map(|p| ExportedPlan {
                    step: p.step,
                    answers: p.answers.into_inner(),
                    created_at: rfc3339(p.created_at),
                    finished_at: p.finished_at.map(rfc3339),
                })
                .collect();
            Ok(vec![section("practice", &serde_json::json!({ "repair_plans": repair_plans }))?])
        })
    },
};

#[derive(Debug, Serialize)]
pub struct ExportedPlan {
    pub step: i64,
    pub answers: RepairAnswers,
    pub created_at: String,
    pub finished_at: Option<String>,
}
