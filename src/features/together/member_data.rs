//! What Together keeps of a member: what they authored (invitations, shares,
//! needs and answers, invitations to repair and answers, reveal answers) and
//! their link. Deleting an account unlinks it: the partner keeps what they
//! wrote themselves and loses what was shared with them.

use serde::Serialize;

use super::link::store as links;
use super::needs::store as needs;
use super::repairs::store as repairs;
use super::reveal::store as reveal;
use super::shares::store as shares;
use crate::clock::rfc3339;
use crate::web::member_data::{ExportFuture, MemberData, section};

pub const MEMBER_DATA: MemberData = MemberData {
    feature: "together",
    tables: &[
        "partner_invitations",
        "partner_links",
        "shares",
        "share_versions",
        "named_needs",
        "need_answers",
        "repair_invitations",
        "repair_answers",
        "reveal_answers",
    ],
    not_exported: &[(
        "partner_links",
        "whom one is linked with is the other person's account; the export holds only what the member wrote",
    )],
    delete: &[
        // The partner's Together notices, and everything shared within the link, both ways.
        "DELETE FROM notices WHERE kind = 'together' AND user_id IN (SELECT partner_id FROM partner_links WHERE member_id = $1)",
        "DELETE FROM shares WHERE link_id IN (SELECT link_id FROM partner_links WHERE member_id = $1)",
        "DELETE FROM share_versions WHERE author_id = $1",
        "DELETE FROM shares WHERE author_id = $1",
        "DELETE FROM partner_links WHERE member_id = $1 OR partner_id = $1",
        // The partner's answers to this member's needs and invitations stay
        // theirs (the reference to what they answered becomes NULL).
        "DELETE FROM need_answers WHERE author_id = $1",
        "DELETE FROM named_needs WHERE author_id = $1",
        "DELETE FROM repair_answers WHERE author_id = $1",
        "DELETE FROM repair_invitations WHERE author_id = $1",
        "DELETE FROM reveal_answers WHERE author_id = $1",
        "DELETE FROM partner_invitations WHERE inviter_id = $1",
    ],
    export: |state, user_id| -> ExportFuture<'_> {
        Box::pin(async move {
            let db = &state.db;
            let invitations: Vec<ExportedInvitation> = links::invitations_of(db, user_id, 0)
                .await?
                .into_iter()
                .rev()
                .map(|i| ExportedInvitation {
                    sent_to: i.sent_to,
                    created_at: rfc3339(i.created_at),
                    expires_at: rfc3339(i.expires_at),
                    outcome: i.outcome,
                })
                .collect();
            let shares: Vec<ExportedShare> = shares::authored(db, user_id)
                .await?
                .into_iter()
                .map(|(share_id, item_kind, v)| ExportedShare {
                    share_id,
                    item_kind,
                    version: v.version,
                    shared_at: rfc3339(v.shared_at),
                    snapshot: serde_json::from_str(&v.snapshot)
                        .unwrap_or(serde_json::Value::String(v.snapshot)),
                })
                .collect();
            let (named, answered) = needs::authored(db, user_id).await?;
            let (repairs_sent, repair_answers) = repairs::authored(db, user_id).await?;
            let reveal = reveal::authored(db, user_id).await?;
            let together = serde_json::json!({
                "invitations": invitations,
                "shares": shares,
                "needs_named": named.into_iter().map(|(need, own_words, message, at)|
                    serde_json::json!({ "need": need, "own_words": own_words, "message": message, "named_at": rfc3339(at) })).collect::<Vec<_>>(),
                "need_answers": answered.into_iter().map(|(kind, talk_at, text, at)|
                    serde_json::json!({ "kind": kind, "talk_at": talk_at.map(rfc3339), "text": text, "answered_at": rfc3339(at) })).collect::<Vec<_>>(),
                "repair_invitations": repairs_sent.into_iter().map(|(message, at, closed)|
                    serde_json::json!({ "message": message, "sent_at": rfc3339(at), "closed_at": closed.map(rfc3339) })).collect::<Vec<_>>(),
                "repair_answers": repair_answers.into_iter().map(|(kind, return_at, message, at)|
                    serde_json::json!({ "kind": kind, "return_at": return_at.map(rfc3339), "message": message, "answered_at": rfc3339(at) })).collect::<Vec<_>>(),
                "reveal_answers": reveal.into_iter().map(|(question, answer, skipped, at)|
                    serde_json::json!({ "question": question, "answer": answer, "skipped": skipped != 0, "answered_at": rfc3339(at) })).collect::<Vec<_>>(),
            });
            Ok(vec![section("together", &together)?])
        })
    },
};

#[derive(Debug, Serialize)]
pub struct ExportedInvitation {
    pub sent_to: String,
    pub created_at: String,
    pub expires_at: String,
    pub outcome: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ExportedShare {
    pub share_id: String,
    pub item_kind: String,
    pub version: i64,
    pub shared_at: String,
    pub snapshot: serde_json::Value,
}
