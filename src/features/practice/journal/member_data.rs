//! What the journal keeps of a member: entries and drafts (in the export's
//! `practice` section), and the prompts a coach wrote.

use serde::Serialize;
use utoipa::ToSchema;

use super::store;
use crate::clock::rfc3339;
use crate::web::member_data::{ExportFuture, MemberData, section};

pub const MEMBER_DATA: MemberData = MemberData {
    feature: "practice/journal",
    tables: &["journal_drafts", "journal_entries", "journal_prompts"],
    not_exported: &[(
        "journal_prompts",
        "prompts a coach wrote belong to the instance; they stay, without their author",
    )],
    delete: &[
        "DELETE FROM journal_drafts WHERE user_id = $1",
        "DELETE FROM journal_entries WHERE user_id = $1",
        // Prompts belong to the instance; they stay, without their author.
        "UPDATE journal_prompts SET created_by = NULL WHERE created_by = $1",
    ],
    export: |state, user_id| -> ExportFuture<'_> {
        Box::pin(async move {
            let journal_entries = store::all_entries(&state.db, user_id)
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
            let journal_drafts = store::list_drafts(&state.db, user_id)
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
            Ok(vec![section("practice", &JournalExport { journal_entries, journal_drafts })?])
        })
    },
};

#[derive(Debug, Serialize, ToSchema)]
pub struct JournalExport {
    pub journal_entries: Vec<ExportedEntry>,
    /// Unfinished writing kept as drafts ("new", or the id of the entry being edited).
    pub journal_drafts: Vec<ExportedDraft>,
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
