//! Partner links and invitations: SQL. A link is two rows, one per member,
//! so "one partner at a time" is the primary key.

use crate::db::{Db, new_id};

/// The member's partner, as the member may see them: a display name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Partner {
    pub link_id: String,
    pub partner_id: String,
    pub display_name: String,
    pub since: i64,
}

pub async fn partner_of<'c, E>(executor: E, member_id: &str) -> Result<Option<Partner>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(
        "SELECT pl.link_id, pl.partner_id, u.display_name, pl.created_at AS since
         FROM partner_links pl JOIN users u ON u.id = pl.partner_id WHERE pl.member_id = $1",
    )
    .bind(member_id)
    .fetch_optional(executor)
    .await
}

/// Hold the member's account row until the transaction ends, so Together's
/// changes for one member happen one after another on every instance (the
/// safety reset, accepting, inviting). SQLite's write transactions are one at
/// a time already; on PostgreSQL this is the row lock.
pub async fn lock_member(conn: &mut sqlx::AnyConnection, member_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET display_name = display_name WHERE id = $1")
        .bind(member_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The member's partner, with the member's own link row held until the
/// transaction ends: an unlink waits for it, or (if it came first) there is
/// no partner. Anything made for the partner inside the transaction is then
/// made while they are still the partner.
pub async fn partner_held(
    conn: &mut sqlx::AnyConnection,
    member_id: &str,
) -> Result<Option<Partner>, sqlx::Error> {
    sqlx::query("UPDATE partner_links SET created_at = created_at WHERE member_id = $1")
        .bind(member_id)
        .execute(&mut *conn)
        .await?;
    partner_of(&mut *conn, member_id).await
}

/// Link two members (both rows, in the caller's transaction). Fails on the
/// primary key when either already has a partner.
pub async fn link(conn: &mut sqlx::AnyConnection, a: &str, b: &str, now: i64) -> Result<String, sqlx::Error> {
    let link_id = new_id();
    for (member, partner) in [(a, b), (b, a)] {
        sqlx::query(
            "INSERT INTO partner_links (member_id, partner_id, link_id, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(member)
        .bind(partner)
        .bind(&link_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(link_id)
}

/// End the member's link: both rows go, and every share made within it.
/// Returns the partner it was with, if there was one.
pub async fn unlink(conn: &mut sqlx::AnyConnection, member_id: &str) -> Result<Option<Partner>, sqlx::Error> {
    let Some(partner) = partner_of(&mut *conn, member_id).await? else { return Ok(None) };
    sqlx::query("DELETE FROM partner_links WHERE link_id = $1")
        .bind(&partner.link_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM shares WHERE link_id = $1").bind(&partner.link_id).execute(&mut *conn).await?;
    Ok(Some(partner))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvitationRecord {
    pub id: String,
    pub inviter_id: String,
    pub inviter_name: String,
    pub sent_to: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub outcome: Option<String>,
}

pub struct NewInvitation<'a> {
    pub token_hash: &'a str,
    pub inviter_id: &'a str,
    pub sent_to: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

pub async fn insert_invitation<'c, E>(executor: E, new: NewInvitation<'_>) -> Result<String, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let id = new_id();
    sqlx::query(
        "INSERT INTO partner_invitations (id, token_hash, inviter_id, sent_to, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(new.token_hash)
    .bind(new.inviter_id)
    .bind(new.sent_to)
    .bind(new.now)
    .bind(new.expires_at)
    .execute(executor)
    .await?;
    Ok(id)
}

macro_rules! invitation_columns {
    () => {
        "i.id, i.inviter_id, u.display_name AS inviter_name, i.sent_to, i.created_at, i.expires_at, i.outcome
         FROM partner_invitations i JOIN users u ON u.id = i.inviter_id"
    };
}

/// A live invitation (not ended, not run out) by its token's hash.
pub async fn live_invitation<'c, E>(
    executor: E,
    token_hash: &str,
    now: i64,
) -> Result<Option<InvitationRecord>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(concat!(
        "SELECT ",
        invitation_columns!(),
        " WHERE i.token_hash = $1 AND i.ended_at IS NULL AND i.expires_at > $2"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(executor)
    .await
}

/// The member's invitations of the last month, newest first.
pub async fn invitations_of(
    db: &Db,
    inviter_id: &str,
    since: i64,
) -> Result<Vec<InvitationRecord>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT ",
        invitation_columns!(),
        " WHERE i.inviter_id = $1 AND i.created_at > $2 ORDER BY i.created_at DESC, i.id DESC"
    ))
    .bind(inviter_id)
    .bind(since)
    .fetch_all(&db.pool)
    .await
}

/// Invitations the member made since a time (open or not).
pub async fn count_made_since(db: &Db, inviter_id: &str, since: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM partner_invitations WHERE inviter_id = $1 AND created_at > $2")
        .bind(inviter_id)
        .bind(since)
        .fetch_one(&db.pool)
        .await
}

pub async fn count_open(db: &Db, inviter_id: &str, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM partner_invitations WHERE inviter_id = $1 AND ended_at IS NULL AND expires_at > $2",
    )
    .bind(inviter_id)
    .bind(now)
    .fetch_one(&db.pool)
    .await
}

/// End a live invitation ("accepted", "declined" or "revoked"); false when it
/// had already ended or run out. `inviter_id`, when given, must be its inviter.
pub async fn end_invitation<'c, E>(
    executor: E,
    id: &str,
    inviter_id: Option<&str>,
    outcome: &str,
    now: i64,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let done = sqlx::query(
        "UPDATE partner_invitations SET outcome = $1, ended_at = $2
         WHERE id = $3 AND ended_at IS NULL AND expires_at > $2 AND ($4 = '' OR inviter_id = $4)",
    )
    .bind(outcome)
    .bind(now)
    .bind(id)
    .bind(inviter_id.unwrap_or(""))
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Revoke every open invitation of the member.
pub async fn revoke_all<'c, E>(executor: E, inviter_id: &str, now: i64) -> Result<u64, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let done = sqlx::query(
        "UPDATE partner_invitations SET outcome = 'revoked', ended_at = $1 WHERE inviter_id = $2 AND ended_at IS NULL",
    )
    .bind(now)
    .bind(inviter_id)
    .execute(executor)
    .await?;
    Ok(done.rows_affected())
}

/// The job that mails an invitation puts its fresh token's hash in place.
pub async fn set_token<'c, E>(executor: E, id: &str, token_hash: &str, now: i64) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let done = sqlx::query(
        "UPDATE partner_invitations SET token_hash = $1 WHERE id = $2 AND ended_at IS NULL AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(id)
    .bind(now)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One invitation of the member's, for its mail job.
pub async fn find_invitation(db: &Db, id: &str) -> Result<Option<InvitationRecord>, sqlx::Error> {
    sqlx::query_as(concat!("SELECT ", invitation_columns!(), " WHERE i.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}
