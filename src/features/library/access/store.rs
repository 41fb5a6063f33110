//! Memberships and invite codes: who may watch, and the SQL that decides it.

use sqlx::Any;

use crate::db::{Db, new_id};

/// How a membership was last granted.
pub const BY_COACH: &str = "coach";
pub const BY_CODE: &str = "code";
pub const BY_PAYMENT: &str = "payment";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MembershipRow {
    pub source: String,
    pub granted_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl MembershipRow {
    pub fn is_active(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}

/// Whether the member may watch now: one indexed row, read on every library request.
pub async fn has_access(db: &Db, member_id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM library_memberships
         WHERE member_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(member_id)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

pub async fn membership(db: &Db, member_id: &str) -> Result<Option<MembershipRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT source, granted_at, expires_at, revoked_at FROM library_memberships WHERE member_id = $1",
    )
    .bind(member_id)
    .fetch_optional(&db.pool)
    .await
}

pub struct Grant<'a> {
    pub member_id: &'a str,
    pub source: &'a str,
    pub expires_at: Option<i64>,
    pub customer_ref: Option<&'a str>,
    pub subscription_ref: Option<&'a str>,
    pub now: i64,
}

/// Grants (or renews) access, replacing any earlier expiry or revocation. A
/// grant by a coach or a code forgets any subscription, so the end of an old
/// subscription cannot end it.
pub async fn grant<'c, E>(executor: E, g: Grant<'_>) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO library_memberships
            (member_id, source, granted_at, expires_at, revoked_at, customer_ref, subscription_ref, updated_at)
         VALUES ($1, $2, $3, $4, NULL, $5, $6, $3)
         ON CONFLICT (member_id) DO UPDATE SET source = $2, granted_at = $3, expires_at = $4, revoked_at = NULL,
            customer_ref = CASE WHEN $2 = 'payment' THEN COALESCE($5, library_memberships.customer_ref) END,
            subscription_ref = CASE WHEN $2 = 'payment' THEN COALESCE($6, library_memberships.subscription_ref) END,
            updated_at = $3",
    )
    .bind(g.member_id)
    .bind(g.source)
    .bind(g.now)
    .bind(g.expires_at)
    .bind(g.customer_ref)
    .bind(g.subscription_ref)
    .execute(executor)
    .await?;
    Ok(())
}

pub async fn revoke(db: &Db, member_id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE library_memberships SET revoked_at = $2, updated_at = $2
         WHERE member_id = $1 AND revoked_at IS NULL",
    )
    .bind(member_id)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Ends every membership paid for by a subscription (cancelled or lapsed), and
/// any grant still waiting for its account.
pub async fn end_subscription(
    tx: &mut sqlx::Transaction<'static, Any>,
    subscription_ref: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let ended = sqlx::query(
        "UPDATE library_memberships SET revoked_at = $2, updated_at = $2
         WHERE subscription_ref = $1 AND revoked_at IS NULL",
    )
    .bind(subscription_ref)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM library_pending_grants WHERE subscription_ref = $1")
        .bind(subscription_ref)
        .execute(&mut **tx)
        .await?;
    Ok(ended.rows_affected())
}

/// The account with this address, if any.
pub async fn account_by_email(db: &Db, email: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_optional(&db.pool).await
}

/// The account with this address, only once its owner has confirmed the
/// address (a payment must not open the library for someone who merely typed it).
pub async fn confirmed_account_by_email(db: &Db, email: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1 AND email_verified_at IS NOT NULL")
        .bind(email)
        .fetch_optional(&db.pool)
        .await
}

pub async fn keep_pending<'c, E>(
    executor: E,
    email: &str,
    expires_at: Option<i64>,
    customer_ref: Option<&str>,
    subscription_ref: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO library_pending_grants (email, expires_at, customer_ref, subscription_ref, created_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (email) DO UPDATE SET expires_at = $2, customer_ref = $3, subscription_ref = $4, created_at = $5",
    )
    .bind(email)
    .bind(expires_at)
    .bind(customer_ref)
    .bind(subscription_ref)
    .bind(now)
    .execute(executor)
    .await?;
    Ok(())
}

/// A paid grant waiting for this (confirmed) address becomes the member's.
pub async fn claim_pending(db: &Db, member_id: &str, email: &str, now: i64) -> Result<bool, sqlx::Error> {
    // Read first: most visits find nothing waiting and need no write.
    let waiting: Option<i64> = sqlx::query_scalar("SELECT 1 FROM library_pending_grants WHERE email = $1")
        .bind(email)
        .fetch_optional(&db.pool)
        .await?;
    if waiting.is_none() {
        return Ok(false);
    }
    let mut tx = db.begin().await?;
    let pending: Option<(Option<i64>, Option<String>, Option<String>)> = sqlx::query_as(
        "DELETE FROM library_pending_grants WHERE email = $1
         RETURNING expires_at, customer_ref, subscription_ref",
    )
    .bind(email)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((expires_at, customer, subscription)) = pending else {
        return Ok(false);
    };
    let g = Grant {
        member_id,
        source: BY_PAYMENT,
        expires_at,
        customer_ref: customer.as_deref(),
        subscription_ref: subscription.as_deref(),
        now,
    };
    grant(&mut *tx, g).await?;
    tx.commit().await?;
    Ok(true)
}

/// Records a payment event; false when it was handled before.
pub async fn first_time_event<'c, E>(
    executor: E,
    event_id: &str,
    kind: &str,
    now: i64,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "INSERT INTO library_payment_events (event_id, kind, received_at) VALUES ($1, $2, $3)
         ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(event_id)
    .bind(kind)
    .bind(now)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A member as the coach's membership list shows them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberAccess {
    pub id: String,
    pub display_name: String,
    pub email: String,
    pub source: Option<String>,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub granted_at: Option<i64>,
}

/// Everyone who holds or held a membership, most recent first.
pub async fn memberships(db: &Db) -> Result<Vec<MemberAccess>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.display_name, u.email, m.source, m.expires_at, m.revoked_at, m.granted_at
         FROM library_memberships m JOIN users u ON u.id = m.member_id
         ORDER BY m.updated_at DESC, u.id LIMIT 500",
    )
    .fetch_all(&db.pool)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CodeRow {
    pub id: String,
    pub code: String,
    pub label: String,
    pub uses_total: i64,
    pub uses_left: i64,
    pub grant_days: Option<i64>,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

pub struct NewCode<'a> {
    pub code: &'a str,
    pub label: &'a str,
    pub uses: i64,
    pub grant_days: Option<i64>,
    pub expires_at: i64,
    pub now: i64,
}

pub async fn insert_code(db: &Db, c: NewCode<'_>) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO library_codes (id, code, label, uses_total, uses_left, grant_days, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(c.code)
    .bind(c.label)
    .bind(c.uses)
    .bind(c.grant_days)
    .bind(c.expires_at)
    .bind(c.now)
    .execute(&db.pool)
    .await?;
    Ok(id)
}

pub async fn codes(db: &Db) -> Result<Vec<CodeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, code, label, uses_total, uses_left, grant_days, expires_at, revoked_at
         FROM library_codes ORDER BY created_at DESC, id LIMIT 200",
    )
    .fetch_all(&db.pool)
    .await
}

pub async fn revoke_code(db: &Db, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE library_codes SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Why a code did not grant access.
#[derive(Debug, PartialEq, Eq)]
pub enum RedeemRefusal {
    /// Unknown, revoked, expired or used up: one answer, so codes cannot be probed.
    NotValid,
    AlreadyRedeemed,
}

/// Uses one of a code's uses and grants access, in one transaction.
pub async fn redeem(
    db: &Db,
    member_id: &str,
    code: &str,
    now: i64,
) -> Result<Result<(), RedeemRefusal>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let found: Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT id, grant_days FROM library_codes
         WHERE code = $1 AND revoked_at IS NULL AND expires_at > $2 AND uses_left > 0",
    )
    .bind(code)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((code_id, grant_days)) = found else {
        return Ok(Err(RedeemRefusal::NotValid));
    };
    let inserted = sqlx::query(
        "INSERT INTO library_redemptions (code_id, member_id, redeemed_at) VALUES ($1, $2, $3)
         ON CONFLICT (code_id, member_id) DO NOTHING",
    )
    .bind(&code_id)
    .bind(member_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(Err(RedeemRefusal::AlreadyRedeemed));
    }
    // The last use goes to one member only, however many redeem at once.
    let used =
        sqlx::query("UPDATE library_codes SET uses_left = uses_left - 1 WHERE id = $1 AND uses_left > 0")
            .bind(&code_id)
            .execute(&mut *tx)
            .await?;
    if used.rows_affected() == 0 {
        return Ok(Err(RedeemRefusal::NotValid));
    }
    let current: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT expires_at FROM library_memberships
         WHERE member_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(member_id)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let expires_at = super::rules::expiry_after_code(current, grant_days, now);
    grant(
        &mut *tx,
        Grant { member_id, source: BY_CODE, expires_at, customer_ref: None, subscription_ref: None, now },
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// For the export: the labels of the codes a member redeemed, and when.
pub async fn redeemed(db: &Db, member_id: &str) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.label, r.redeemed_at FROM library_redemptions r JOIN library_codes c ON c.id = r.code_id
         WHERE r.member_id = $1 ORDER BY r.redeemed_at",
    )
    .bind(member_id)
    .fetch_all(&db.pool)
    .await
}

/// Whether an account is a coach's or an admin's (they look after the library).
pub async fn is_staff(db: &Db, member_id: &str) -> Result<bool, sqlx::Error> {
    let role: Option<String> = sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
        .bind(member_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(role.is_some_and(|r| r == "coach" || r == "admin"))
}
