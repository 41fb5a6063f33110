//! Moments of return's SQL, each the member's own.

use crate::db::{Db, new_id};
use crate::features::undo::{ItemRows, Undoable};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReturnRecord {
    pub id: String,
    pub day: String,
    pub text: String,
    pub created_at: i64,
}

pub async fn insert_return<'c, E>(
    executor: E,
    user_id: &str,
    day: &str,
    text: &str,
    at: i64,
) -> Result<String, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let id = new_id();
    sqlx::query(
        "INSERT INTO moments_of_return (id, user_id, day, text, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(day)
    .bind(text)
    .bind(at)
    .execute(executor)
    .await?;
    Ok(id)
}

pub async fn find_return(db: &Db, user_id: &str, id: &str) -> Result<Option<ReturnRecord>, sqlx::Error> {
    sqlx::query_as("SELECT id, day, text, created_at FROM moments_of_return WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await
}

pub async fn update_return(
    db: &Db,
    user_id: &str,
    id: &str,
    day: &str,
    text: &str,
) -> Result<bool, sqlx::Error> {
    db.changed_one(sqlx::query(
        "UPDATE moments_of_return SET day = $1, text = $2, updated_at = $3 WHERE id = $4 AND user_id = $5",
    )
    .bind(day)
    .bind(text)
    .bind(crate::clock::now())
    .bind(id).bind(user_id)).await
}

/// A moment, deleted and undone whole.
pub const UNDO: Undoable = Undoable {
    kind: "return",
    rows: &[ItemRows { table: "moments_of_return", filter: "id = $1 AND user_id = $2" }],
    shared: Some(crate::features::undo::shared_with_partner!("return")),
};

/// The member's moments, newest first.
pub async fn list_returns(db: &Db, user_id: &str, limit: i64) -> Result<Vec<ReturnRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, day, text, created_at FROM moments_of_return WHERE user_id = $1
         ORDER BY day DESC, created_at DESC, id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

pub async fn count_returns(db: &Db, user_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM moments_of_return WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await
}
