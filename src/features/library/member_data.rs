//! What the library keeps of a member: their membership and the codes they
//! redeemed, where they stopped, their notes and their last visit. Recordings
//! themselves are the coach's, not the member's.

use serde::Serialize;

use super::access::store as access;
use super::live::store as live;
use super::watching::store as watching;
use crate::clock::rfc3339;
use crate::web::member_data::{MemberData, section};

pub const MEMBER_DATA: MemberData = MemberData {
    feature: "library",
    tables: &[
        "library_memberships",
        "library_redemptions",
        "library_pending_grants",
        "library_positions",
        "library_notes",
        "library_visits",
        "library_rsvps",
        "library_calendar_feeds",
    ],
    not_exported: &[
        (
            "library_pending_grants",
            "a paid membership waiting for an account with this address; once the account exists it is the membership",
        ),
        (
            "library_calendar_feeds",
            "only a hash of the secret calendar address is kept; the export says whether there is one and since when",
        ),
    ],
    delete: &[
        "DELETE FROM library_notes WHERE member_id = $1",
        "DELETE FROM library_positions WHERE member_id = $1",
        "DELETE FROM library_visits WHERE member_id = $1",
        "DELETE FROM library_rsvps WHERE member_id = $1",
        "DELETE FROM library_calendar_feeds WHERE member_id = $1",
        "DELETE FROM library_redemptions WHERE member_id = $1",
        "DELETE FROM library_pending_grants WHERE email IN (SELECT email FROM users WHERE id = $1)",
        "DELETE FROM library_memberships WHERE member_id = $1",
    ],
    export: |state, member_id| Box::pin(export(state, member_id)),
};

#[derive(Serialize)]
struct MembershipExport {
    how: String,
    granted_at: String,
    expires_at: Option<String>,
    revoked_at: Option<String>,
}

#[derive(Serialize)]
struct PositionExport {
    recording_id: String,
    position_seconds: i64,
    completed_at: Option<String>,
    updated_at: String,
}

#[derive(Serialize)]
struct NoteExport {
    recording: String,
    at_seconds: i64,
    text: String,
    created_at: String,
}

async fn export<'a>(
    state: &'a crate::state::AppState,
    member_id: &'a str,
) -> Result<Vec<(&'static str, serde_json::Value)>, crate::web::AppError> {
    let membership = access::membership(&state.db, member_id).await?.map(|m| MembershipExport {
        how: m.source,
        granted_at: rfc3339(m.granted_at),
        expires_at: m.expires_at.map(rfc3339),
        revoked_at: m.revoked_at.map(rfc3339),
    });
    let redeemed: Vec<(String, String)> = access::redeemed(&state.db, member_id)
        .await?
        .into_iter()
        .map(|(label, at)| (label, rfc3339(at)))
        .collect();
    let positions: Vec<PositionExport> = watching::positions(&state.db, member_id)
        .await?
        .into_iter()
        .map(|p| PositionExport {
            recording_id: p.recording_id,
            position_seconds: p.position_seconds,
            completed_at: p.completed_at.map(rfc3339),
            updated_at: rfc3339(p.updated_at),
        })
        .collect();
    let notes: Vec<NoteExport> = watching::notes(&state.db, member_id, None)
        .await?
        .into_iter()
        .map(|n| NoteExport {
            recording: n.recording_title,
            at_seconds: n.at_seconds,
            text: n.text,
            created_at: rfc3339(n.created_at),
        })
        .collect();
    let last_visit = watching::last_visit(&state.db, member_id).await?;
    let rsvps: Vec<(String, String, String)> = live::rsvps_for_export(&state.db, member_id)
        .await?
        .into_iter()
        .map(|(title, starts, at)| (title, rfc3339(starts), rfc3339(at)))
        .collect();
    let feed_since = live::feed_since(&state.db, member_id).await?.map(rfc3339);
    Ok(vec![
        section("library_membership", &membership)?,
        section("library_codes_redeemed", &redeemed)?,
        section("library_positions", &positions)?,
        section("library_notes", &notes)?,
        section("library_last_visit", &last_visit.map(rfc3339))?,
        section("library_rsvps", &rsvps)?,
        section("library_calendar_feed_since", &feed_since)?,
    ])
}
