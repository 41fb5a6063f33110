//! What accounts keeps of a member: the account, its sessions and its
//! sign-in counts. Listed last by `app`: removing the account row comes last.

use serde::Serialize;

use super::store;
use crate::clock::rfc3339;
use crate::state::AppState;
use crate::web::AppError;
use crate::web::member_data::{ExportFuture, MemberData, section};

pub const MEMBER_DATA: MemberData = MemberData {
    feature: "accounts",
    tables: &["sign_in_failures", "sessions", "users"],
    not_exported: &[(
        "sign_in_failures",
        "counts of failed sign-ins, kept a day at most; they hold no writing",
    )],
    delete: &[
        // Counts name the account by id (those kept before it had its address
        // were claimed when it took it).
        "DELETE FROM sign_in_failures WHERE user_id = $1",
        "DELETE FROM sessions WHERE user_id = $1",
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
        };
        Ok(vec![section("account", &account)?, section("sessions", &sessions)?])
    })
}
