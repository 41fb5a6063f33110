//! What the cycle map keeps of a member: their maps with every version.

use serde::Serialize;

use super::rules::CycleFields;
use super::store;
use crate::clock::rfc3339;
use crate::web::member_data::{ExportFuture, MemberData, section};

pub const MEMBER_DATA: MemberData = MemberData {
    feature: "practice/cycle",
    tables: &["cycle_map_versions", "cycle_maps"],
    not_exported: &[],
    delete: &[
        "DELETE FROM cycle_map_versions WHERE user_id = $1",
        "DELETE FROM cycle_maps WHERE user_id = $1",
    ],
    export: |state, user_id| -> ExportFuture<'_> {
        Box::pin(async move {
            let mut versions = store::all_map_versions(&state.db, user_id).await?;
            let cycle_maps: Vec<ExportedMap> = store::list_maps(&state.db, user_id)
                .await?
                .into_iter()
                .map(|m| ExportedMap {
                    versions: versions
                        .extract_if(.., |v| v.map_id == m.id)
                        .map(|v| ExportedMapVersion {
                            number: v.version.number,
                            fields: v.version.fields.into_inner(),
                            created_at: rfc3339(v.version.created_at),
                        })
                        .collect(),
                    title: m.title,
                })
                .collect();
            Ok(vec![section("practice", &serde_json::json!({ "cycle_maps": cycle_maps }))?])
        })
    },
};

#[derive(Debug, Serialize)]
pub struct ExportedMap {
    pub title: String,
    pub versions: Vec<ExportedMapVersion>,
}

#[derive(Debug, Serialize)]
pub struct ExportedMapVersion {
    pub number: i64,
    pub fields: CycleFields,
    pub created_at: String,
}
