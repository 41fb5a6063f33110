//! The prompts a coach added to this instance (the built-in ones are in
//! `content`): kept for good once used, retired rather than deleted.

use crate::db::{Db, new_id};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PromptRecord {
    pub id: String,
    pub text: String,
    pub created_at: i64,
    /// Set once a coach retired it: no longer offered, kept by old entries.
    pub retired_at: Option<i64>,
}

/// Every prompt a coach added, retired ones included (entries still name them).
pub async fn instance_prompts(db: &Db) -> Result<Vec<PromptRecord>, sqlx::Error> {
    sqlx::query_as("SELECT id, text, created_at, retired_at FROM journal_prompts ORDER BY created_at, id")
        .fetch_all(&db.pool)
        .await
}

pub async fn insert_prompt(db: &Db, text: &str, by: &str) -> Result<String, sqlx::Error> {
    let id = format!("p-{}", new_id());
    sqlx::query("INSERT INTO journal_prompts (id, text, created_by, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(text)
        .bind(by)
        .bind(crate::clock::now())
        .execute(&db.pool)
        .await?;
    Ok(id)
}

pub async fn update_prompt(db: &Db, id: &str, text: &str) -> Result<bool, sqlx::Error> {
    db.changed_one(
        sqlx::query("UPDATE journal_prompts SET text = $1 WHERE id = $2 AND retired_at IS NULL")
            .bind(text)
            .bind(id),
    )
    .await
}

pub async fn retire_prompt(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    db.changed_one(
        sqlx::query("UPDATE journal_prompts SET retired_at = $1 WHERE id = $2 AND retired_at IS NULL")
            .bind(crate::clock::now())
            .bind(id),
    )
    .await
}
