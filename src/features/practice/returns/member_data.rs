//! What moments of return keep of a member: every moment.

use serde::Serialize;

use super::store;
use crate::web::member_data::{ExportFuture, MemberData, section};

pub const MEMBER_DATA: MemberData = MemberData {
    feature: "practice/returns",
    tables: &["moments_of_return"],
    not_exported: &[],
    delete: &["DELETE FROM moments_of_return WHERE user_id = $1"],
    export: |state, user_id| -> ExportFuture<'_> {
        Box::pin(async move {
            let moments_of_return: Vec<ExportedReturn> = store::list_returns(&state.db, user_id, i64::MAX)
                .await?
                .into_iter()
                .rev()
                .map(|r| ExportedReturn { day: r.day, text: r.text })
                .collect();
            Ok(vec![section("practice", &serde_json::json!({ "moments_of_return": moments_of_return }))?])
        })
    },
};

#[derive(Debug, Serialize)]
pub struct ExportedReturn {
    pub day: String,
    pub text: String,
}
