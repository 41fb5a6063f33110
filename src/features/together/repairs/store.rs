//! Repair invitations' SQL: read only through the reader's own `partner_links` row.

use crate::db::{Db, new_id};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RepairRow {
    pub id: String,
    pub link_id: String,
    pub author_id: String,
    pub message: String,
    pub share_id: Option<String>,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub answer_kind: Option<String>,
    pub return_at: Option<i64>,
    pub answer_message: Option<String>,
}

/// Invitations within the reader's (`$1`) current link, with their answers.
macro_rules! visible {
    ($tail:literal) => {
        concat!(
            "SELECT r.id, r.link_id, r.author_id, r.message, r.share_id, r.created_at, r.closed_at,
                    a.kind AS answer_kind, a.return_at, a.message AS answer_message
             FROM repair_invitations r
             JOIN partner_links pl ON pl.link_id = r.link_id AND pl.member_id = $1
             LEFT JOIN repair_answers a ON a.invitation_id = r.id ",
            $tail
        )
    };
}

pub async fn insert<'c, E>(
    executor: E,
    link_id: &str,
    author_id: &str,
    message: &str,
    share_id: Option<&str>,
    now: i64,
) -> Result<String, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let id = new_id();
    sqlx::query(
        "INSERT INTO repair_invitations (id, link_id, author_id, message, share_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(link_id)
    .bind(author_id)
    .bind(message)
    .bind(share_id)
    .bind(now)
    .execute(executor)
    .await?;
    Ok(id)
}

pub async fn in_link_of(db: &Db, member_id: &str) -> Result<Vec<RepairRow>, sqlx::Error> {
    sqlx::query_as(visible!("ORDER BY r.created_at DESC, r.id DESC LIMIT 100"))
        .bind(member_id)
        .fetch_all(&db.pool)
        .await
}

pub async fn find_visible<'c, E>(
    executor: E,
    member_id: &str,
    id: &str,
) -> Result<Option<RepairRow>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(visible!("WHERE r.id = $2")).bind(member_id).bind(id).fetch_optional(executor).await
}

/// Any invitation by id, for the reminder job (which checks the link itself).
pub async fn find_any(db: &Db, id: &str) -> Result<Option<RepairRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.link_id, r.author_id, r.message, r.share_id, r.created_at, r.closed_at,
                a.kind AS answer_kind, a.return_at, a.message AS answer_message
         FROM repair_invitations r LEFT JOIN repair_answers a ON a.invitation_id = r.id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

pub async fn insert_answer<'c, E>(
    executor: E,
    invitation_id: &str,
    author_id: &str,
    kind: &str,
    return_at: Option<i64>,
    message: &str,
    now: i64,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO repair_answers (id, invitation_id, author_id, kind, return_at, message, created_at)
         VALUES ($7, $1, $2, $3, $4, $5, $6)",
    )
    .bind(invitation_id)
    .bind(author_id)
    .bind(kind)
    .bind(return_at)
    .bind(message)
    .bind(now)
    .bind(new_id())
    .execute(executor)
    .await?;
    Ok(())
}

/// Close an open invitation of the member's link.
pub async fn close<'c, E>(executor: E, member_id: &str, id: &str, now: i64) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let done = sqlx::query(
        "UPDATE repair_invitations SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL
           AND link_id IN (SELECT link_id FROM partner_links WHERE member_id = $3)",
    )
    .bind(now)
    .bind(id)
    .bind(member_id)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether a link still stands (its rows are removed when it ends).
pub async fn link_members(db: &Db, link_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT member_id FROM partner_links WHERE link_id = $1 ORDER BY member_id")
        .bind(link_id)
        .fetch_all(&db.pool)
        .await
}

pub type AuthoredInvitation = (String, i64, Option<i64>);
pub type AuthoredAnswer = (String, Option<i64>, String, i64);

/// For the export: the invitations to repair the member sent, and their answers.
pub async fn authored(
    db: &Db,
    member_id: &str,
) -> Result<(Vec<AuthoredInvitation>, Vec<AuthoredAnswer>), sqlx::Error> {
    let invitations = sqlx::query_as(
        "SELECT message, created_at, closed_at FROM repair_invitations WHERE author_id = $1 ORDER BY created_at",
    )
    .bind(member_id)
    .fetch_all(&db.pool)
    .await?;
    let answers = sqlx::query_as(
        "SELECT kind, return_at, message, created_at FROM repair_answers WHERE author_id = $1 ORDER BY created_at",
    )
    .bind(member_id)
    .fetch_all(&db.pool)
    .await?;
    Ok((invitations, answers))
}
