//! What affirmations keep of a member: their own, and their marks.

use std::collections::BTreeMap;

use serde::Serialize;

use super::store;
use crate::clock::rfc3339;
use crate::web::member_data::{ExportFuture, MemberData, section};

pub const MEMBER_DATA: MemberData = MemberData {
    feature: "practice/affirmations",
    tables: &["affirmation_marks", "own_affirmations"],
    not_exported: &[],
    delete: &[
        "DELETE FROM affirmation_marks WHERE user_id = $1",
        "DELETE FROM own_affirmations WHERE user_id = $1",
    ],
    export: |state, user_id| -> ExportFuture<'_> {
        Box::pin(async move {
            let own_affirmations: Vec<ExportedAffirmation> = store::own_affirmations(&state.db, user_id)
                .await?
                .into_iter()
                .map(|a| ExportedAffirmation { id: a.id, text: a.text, created_at: rfc3339(a.created_at) })
                .collect();
            // Affirmation id → "favourite" or "hidden".
            let affirmation_marks: BTreeMap<String, String> =
                store::affirmation_marks(&state.db, user_id).await?.into_iter().collect();
            let part = serde_json::json!({ "own_affirmations": own_affirmations, "affirmation_marks": affirmation_marks });
            Ok(vec![section("practice", &part)?])
        })
    },
};

#[derive(Debug, Serialize)]
pub struct ExportedAffirmation {
    pub id: String,
    pub text: String,
    pub created_at: String,
}
