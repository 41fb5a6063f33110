//! What notices keep of a member: their notices.

use serde::Serialize;

use super::store;
use crate::clock::rfc3339;
use crate::web::member_data::{ExportFuture, MemberData, section};

pub const MEMBER_DATA: MemberData = MemberData {
    feature: "notices",
    tables: &["notices"],
    not_exported: &[],
    delete: &["DELETE FROM notices WHERE user_id = $1"],
    export: |state, user_id| -> ExportFuture<'_> {
        Box::pin(async move {
            let notices: Vec<ExportedNotice> = store::list(&state.db, user_id, i64::MAX)
                .await?
                .into_iter()
                .map(|n| ExportedNotice {
                    title: n.title,
                    body: n.body,
                    url: n.url,
                    created_at: rfc3339(n.created_at),
                    read_at: n.read_at.map(rfc3339),
                })
                .collect();
            Ok(vec![section("notices", &notices)?])
        })
    },
};

#[derive(Debug, Serialize)]
pub struct ExportedNotice {
    pub title: String,
    pub body: String,
    pub url: String,
    pub created_at: String,
    pub read_at: Option<String>,
}
