//! What accounts keeps of a member: the account, its sessions, its sign-in
//! counts, its security events and single-use links, and (for the account)
//! mail and other work waiting for it. Listed last by `app`: removing the
//! account row comes last.

use serde::Serialize;

use super::store;
use crate::clock::rfc3339;
use crate::state::AppState;
use crate::web::AppError;
use crate::web::member_data::{ExportFuture, MemberData, section};

pub const MEMBER_DATA: MemberData = MemberData {
    feature: "accounts",
    tables: &[
        "sign_in_failures",
        "sessions",
        "account_tokens",
        "security_events",
        "jobs",
        "mail_outbox",
        "dashboard_versions",
        "users",
    ],
    not_exported: &[
        ("sign_in_failures", "counts of failed sign-ins, kept a day at most; they hold no writing"),
        ("account_tokens", "single-use links sent by mail, kept only as hashes"),
        ("jobs", "work waiting to be done for the account, such as a mail to send; it holds no writing"),
        (
            "mail_outbox",
            "mail kept for the operator when no mail server is set; it holds links and notices, never writing",
        ),
        (
            "dashboard_versions",
            "a number that changes with each write the member's own pages are drawn from; it holds no writing",
        ),
    ],
    delete: &[
        // Counts name the account by id (those kept before it had its address
        // were claimed when it took it).
        "DELETE FROM sign_in_failures WHERE user_id = $1",
        "DELETE FROM sessions WHERE user_id = $1",
        "DELETE FROM account_tokens WHERE user_id = $1",
        "DELETE FROM security_events WHERE user_id = $1",
        // Mail not sent yet goes too: nothing more is sent to a deleted account.
        "DELETE FROM jobs WHERE user_id = $1",
        "DELETE FROM mail_outbox WHERE user_id = $1",
        "DELETE FROM dashboard_versions WHERE user_id = $1",
        "DELETE FROM users WHERE id = $1",
    ],
    export,
};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportedAccount {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub time_zone: String,
    pub created_at: String,
    pub email_verified_at: Option<String>,
    pub notice_mail: bool,
}

#[derive(Debug, Serialize)]
pub struct ExportedSecurityEvent {
    pub kind: String,
    pub device: String,
    pub at: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportedSession {
    pub device: String,
    pub browser: String,
    pub created_at: String,
    pub last_active_at: String,
}

fn export<'a>(state: &'a AppState, user_id: &'a str) -> ExportFuture<'a> {
    Box::pin(async move {
        let user = store::find_user(&state.db, user_id).await?.ok_or(AppError::NotFound)?;
        let now = crate::clock::now();
        let idle_since = now - state.config.session_idle_hours * 3600;
        let sessions: Vec<ExportedSession> = store::list_sessions(&state.db, user_id, now, idle_since)
            .await?
            .into_iter()
            .map(|s| ExportedSession {
                device: s.device,
                browser: s.browser,
                created_at: rfc3339(s.created_at),
                last_active_at: rfc3339(s.last_seen_at),
            })
            .collect();
        let account = ExportedAccount {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            role: user.role.to_string(),
            time_zone: user.time_zone,
            created_at: rfc3339(user.created_at),
            email_verified_at: user.email_verified_at.map(rfc3339),
            notice_mail: user.notice_mail != 0,
        };
        let events: Vec<ExportedSecurityEvent> = super::security::recent(&state.db, user_id, now)
            .await?
            .into_iter()
            .map(|e| ExportedSecurityEvent { kind: e.kind, device: e.device, at: rfc3339(e.created_at) })
            .collect();
        Ok(vec![
            section("account", &account)?,
            section("sessions", &sessions)?,
            section("security_events", &events)?,
        ])
    })
}
