//! Notices' SQL. Every query names the member.

use crate::db::{Db, new_id};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoticeRecord {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub url: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// What a feature leaves for a member.
pub struct NewNotice<'a> {
    /// What sent it, e.g. "post" (for the member's filter and the API).
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    /// A path on this site to open.
    pub url: &'a str,
}

pub async fn insert<'c, E>(
    executor: E,
    user_id: &str,
    n: &NewNotice<'_>,
    at: i64,
) -> Result<String, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let id = new_id();
    sqlx::query(
        "INSERT INTO notices (id, user_id, kind, title, body, url, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(n.kind)
    .bind(n.title)
    .bind(n.body)
    .bind(n.url)
    .bind(at)
    .execute(executor)
    .await?;
    Ok(id)
}

/// The member's notices, unread first, then newest first.
pub async fn list(db: &Db, user_id: &str, limit: i64) -> Result<Vec<NoticeRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind, title, body, url, created_at, read_at FROM notices WHERE user_id = $1
         ORDER BY CASE WHEN read_at IS NULL THEN 0 ELSE 1 END, created_at DESC, id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

pub async fn find(db: &Db, user_id: &str, id: &str) -> Result<Option<NoticeRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind, title, body, url, created_at, read_at FROM notices WHERE id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await
}

/// Mark one notice read (once: the first time stays); false when it is not the member's.
pub async fn mark_read(db: &Db, user_id: &str, id: &str, at: i64) -> Result<bool, sqlx::Error> {
    db.changed_one(
        sqlx::query("UPDATE notices SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3")
            .bind(at)
            .bind(id)
            .bind(user_id),
    )
    .await
}

/// Dismiss (delete) one notice.
pub async fn dismiss(db: &Db, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    db.change_owned(&["DELETE FROM notices WHERE id = $1 AND user_id = $2"], id, user_id).await
}

/// Remove the member's notices of one kind (what sent them is gone).
pub async fn delete_kind<'c, E>(executor: E, user_id: &str, kind: &str) -> Result<u64, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let done = sqlx::query("DELETE FROM notices WHERE user_id = $1 AND kind = $2")
        .bind(user_id)
        .bind(kind)
        .execute(executor)
        .await?;
    Ok(done.rows_affected())
}

/// Remove a member's notices of one kind that point to one place (what they
/// pointed to is gone).
pub async fn delete_pointing_to<'c, E>(
    executor: E,
    user_id: &str,
    kind: &str,
    url: &str,
) -> Result<u64, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let done = sqlx::query("DELETE FROM notices WHERE user_id = $1 AND kind = $2 AND url = $3")
        .bind(user_id)
        .bind(kind)
        .bind(url)
        .execute(executor)
        .await?;
    Ok(done.rows_affected())
}
