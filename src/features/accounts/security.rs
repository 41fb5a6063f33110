//! Security events: what happened to an account that its owner should know
//! of. Each is kept for the settings page ("recent security events", device
//! class and time, never a place) and sent as a mail that cannot be turned
//! off, to the account's owner only.

use super::mails::{self, SecurityEvent};
use super::sessions::describe_user_agent;
use crate::clock::format_in_zone;
use crate::db::{Db, new_id};
use crate::state::AppState;
use crate::web::AppError;

/// How long events stay on the settings page.
pub const KEPT_DAYS: i64 = 90;

/// "Firefox on a phone".
pub fn device_label(user_agent: &str) -> String {
    let (device, browser) = describe_user_agent(user_agent);
    match device {
        "Unknown device" | "Other device" => format!("{browser} on another kind of device"),
        other => format!("{browser} on a {}", other.to_lowercase()),
    }
}

/// Whom to tell: the account, the address to write to, whether that address
/// is confirmed, and the zone its times are in.
pub struct Owner<'a> {
    pub user_id: &'a str,
    pub email: &'a str,
    pub verified: bool,
    pub time_zone: &'a str,
}

impl<'a> Owner<'a> {
    /// The signed-in member, at their current address.
    pub fn of(user: &'a crate::web::CurrentUser) -> Self {
        Owner {
            user_id: &user.id,
            email: &user.email,
            verified: user.email_verified,
            time_zone: &user.time_zone,
        }
    }

    /// An account as stored, at the address it has.
    pub fn of_record(user: &'a super::store::UserRecord) -> Self {
        Owner {
            user_id: &user.id,
            email: &user.email,
            verified: user.email_verified_at.is_some(),
            time_zone: &user.time_zone,
        }
    }
}

/// Keep the event, and mail the owner (through the jobs queue) when the
/// address is confirmed: anyone can make an account with someone else's
/// address, and that inbox must not fill with notices it never asked for.
pub async fn record(
    state: &AppState,
    owner: Owner<'_>,
    event: SecurityEvent,
    user_agent: &str,
) -> Result<(), AppError> {
    let now = crate::clock::now();
    let device = device_label(user_agent);
    let id = new_id();
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "INSERT INTO security_events (id, user_id, kind, device, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(owner.user_id)
    .bind(event.as_str())
    .bind(&device)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if !owner.verified {
        tx.commit().await?;
        return Ok(());
    }
    let base = state.config.base_url();
    let content = mails::security_notice(
        event,
        &device,
        &format_in_zone(now, owner.time_zone),
        &format!("{base}/settings"),
        &format!("{base}/forgot"),
    );
    let message = content.render(&state.config.instance_name, owner.email)?;
    crate::jobs::mail::send(&mut *tx, Some(owner.user_id), message, format!("security:{id}")).await?;
    tx.commit().await?;
    state.wake_worker.notify_one();
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRecord {
    pub kind: String,
    pub device: String,
    pub created_at: i64,
}

/// The account's events of the last `KEPT_DAYS`, newest first.
pub async fn recent(db: &Db, user_id: &str, now: i64) -> Result<Vec<EventRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT kind, device, created_at FROM security_events WHERE user_id = $1 AND created_at > $2
         ORDER BY created_at DESC, id DESC LIMIT 30",
    )
    .bind(user_id)
    .bind(now - KEPT_DAYS * 86_400)
    .fetch_all(&db.pool)
    .await
}

/// Events older than `KEPT_DAYS` go (housekeeping).
pub async fn forget_old(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM security_events WHERE created_at < $1")
        .bind(now - KEPT_DAYS * 86_400)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_are_named_by_kind_never_by_place() {
        let phone = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0";
        assert_eq!(device_label(phone), "Firefox on a phone");
        assert_eq!(device_label(""), "Unknown browser on another kind of device");
    }
}
