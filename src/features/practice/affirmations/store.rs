//! Affirmations' SQL: the member's own, and their marks on any affirmation.

use crate::db::{Db, new_id};
use crate::features::undo::{ItemRows, Undoable};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnAffirmation {
    pub id: String,
    pub text: String,
    pub created_at: i64,
}

/// The member's own affirmations, oldest first.
pub async fn own_affirmations(db: &Db, user_id: &str) -> Result<Vec<OwnAffirmation>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, text, created_at FROM own_affirmations WHERE user_id = $1 ORDER BY created_at, id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn insert_affirmation(db: &Db, user_id: &str, text: &str) -> Result<String, sqlx::Error> {
    let id = format!("own-{}", new_id());
    sqlx::query("INSERT INTO own_affirmations (id, user_id, text, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(user_id)
        .bind(text)
        .bind(crate::clock::now())
        .execute(&db.pool)
        .await?;
    Ok(id)
}

pub async fn update_affirmation(db: &Db, user_id: &str, id: &str, text: &str) -> Result<bool, sqlx::Error> {
    db.changed_one(
        sqlx::query("UPDATE own_affirmations SET text = $1 WHERE id = $2 AND user_id = $3")
            .bind(text)
            .bind(id)
            .bind(user_id),
    )
    .await
}

/// An own affirmation and its marks, deleted and undone together.
pub const UNDO: Undoable = Undoable {
    kind: "affirmation",
    rows: &[
        ItemRows { table: "own_affirmations", filter: "id = $1 AND user_id = $2" },
        ItemRows { table: "affirmation_marks", filter: "affirmation_id = $1 AND user_id = $2" },
    ],
    shared: None,
};

/// (affirmation id, "favourite" or "hidden").
pub async fn affirmation_marks(db: &Db, user_id: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT affirmation_id, mark FROM affirmation_marks WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await
}

/// Set or clear (with `None`) the member's mark on an affirmation.
pub async fn set_affirmation_mark(
    db: &Db,
    user_id: &str,
    id: &str,
    mark: Option<&str>,
) -> Result<(), sqlx::Error> {
    let query = match mark {
        Some(mark) => sqlx::query(
            "INSERT INTO affirmation_marks (user_id, affirmation_id, mark, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_id, affirmation_id) DO UPDATE SET mark = excluded.mark, updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(id)
        .bind(mark)
        .bind(crate::clock::now()),
        None => sqlx::query("DELETE FROM affirmation_marks WHERE user_id = $1 AND affirmation_id = $2")
            .bind(user_id)
            .bind(id),
    };
    query.execute(&db.pool).await?;
    Ok(())
}
