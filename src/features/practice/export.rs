//! What the practice tools keep of a member: the practice section of the
//! export, and the tables deletion empties.

use serde::Serialize;
use utoipa::ToSchema;

use super::cycle::CycleFields;
use super::repair::RepairAnswers;
use super::store;
use crate::clock::rfc3339;
use crate::db::Db;
use crate::web::member_data::{ExportFuture, MemberData, section};

pub const MEMBER_DATA: MemberData = MemberData {
    feature: "practice",
    tables: &[
        "journal_drafts",
        "journal_entries",
        "affirmation_marks",
        "own_affirmations",
        "repair_plans",
        "cycle_map_versions",
        "cycle_maps",
        "moments_of_return",
        "journal_prompts",
    ],
    not_exported: &[(
        "journal_prompts",
        "prompts a coach wrote belong to the instance; they stay, without their author",
    )],
    delete: super::store::DELETE_MEMBER_DATA,
    export: |state, user_id| -> ExportFuture<'_> {
        Box::pin(async move { Ok(vec![section("practice", &collect(&state.db, user_id).await?)?]) })
    },
};

#[derive(Debug, Serialize, ToSchema)]
pub struct PracticeExport {
    pub journal_entries: Vec<ExportedEntry>,
    /// Unfinished writing kept as drafts ("new", or the id of the entry being edited).
    pub journal_drafts: Vec<ExportedDraft>,
    pub own_affirmations: Vec<ExportedAffirmation>,
    /// Affirmation id → "favourite" or "hidden".
    pub affirmation_marks: std::collections::BTreeMap<String, String>,
    pub repair_plans: Vec<ExportedPlan>,
    pub cycle_maps: Vec<ExportedMap>,
    pub moments_of_return: Vec<ExportedReturn>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedEntry {
    pub id: String,
    pub prompt_id: String,
    /// The question as it read when the entry was written.
    pub prompt_text: String,
    pub title: String,
    pub body: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedDraft {
    pub key: String,
    pub prompt_id: String,
    pub title: String,
    pub body: String,
    pub updated_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedAffirmation {
    pub id: String,
    pub text: String,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedPlan {
    pub step: i64,
    pub answers: RepairAnswers,
    pub created_at: String,
    pub finished_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedMap {
    pub title: String,
    pub versions: Vec<ExportedMapVersion>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedMapVersion {
    pub number: i64,
    pub fields: CycleFields,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedReturn {
    pub day: String,
    pub text: String,
}

pub async fn collect(db: &Db, user_id: &str) -> Result<PracticeExport, sqlx::Error> {
    let journal_entries = store::all_entries(db, user_id)
        .await?
        .into_iter()
        .map(|e| ExportedEntry {
            id: e.id,
            prompt_id: e.prompt_id,
            prompt_text: e.prompt_text,
            title: e.title,
            body: e.body,
            created_at: rfc3339(e.created_at),
            updated_at: rfc3339(e.updated_at),
        })
        .collect();
    let journal_drafts = store::list_drafts(db, user_id)
        .await?
        .into_iter()
        .map(|d| ExportedDraft {
            key: d.key,
            prompt_id: d.prompt_id,
            title: d.title,
            body: d.body,
            updated_at: rfc3339(d.updated_at),
        })
        .collect();
    let own_affirmations = store::own_affirmations(db, user_id)
        .await?
        .into_iter()
        .map(|(id, text, at)| ExportedAffirmation { id, text, created_at: rfc3339(at) })
        .collect();
    let affirmation_marks = store::affirmation_marks(db, user_id).await?.into_iter().collect();
    let repair_plans = store::list_plans(db, user_id)
        .await?
        .into_iter()
        .map(|p| ExportedPlan {
            step: p.step,
            answers: p.answers,
            created_at: rfc3339(p.created_at),
            finished_at: p.finished_at.map(rfc3339),
        })
        .collect();
    let mut versions = store::all_map_versions(db, user_id).await?;
    let cycle_maps = store::list_maps(db, user_id)
        .await?
        .into_iter()
        .map(|m| ExportedMap {
            versions: versions
                .extract_if(.., |(map_id, _)| *map_id == m.id)
                .map(|(_, v)| ExportedMapVersion {
                    number: v.number,
                    fields: v.fields,
                    created_at: rfc3339(v.created_at),
                })
                .collect(),
            title: m.title,
        })
        .collect();
    let moments_of_return = store::list_returns(db, user_id, i64::MAX)
        .await?
        .into_iter()
        .rev()
        .map(|r| ExportedReturn { day: r.day, text: r.text })
        .collect();
    Ok(PracticeExport {
        journal_entries,
        journal_drafts,
        own_affirmations,
        affirmation_marks,
        repair_plans,
        cycle_maps,
        moments_of_return,
    })
}
