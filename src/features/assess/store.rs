//! All SQL for instrument results but the dashboard's one statement
//! (`dashboard_store.rs`). Every query names the member.

use std::collections::BTreeMap;

use crate::db::{Db, JsonText, new_id};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResultRecord {
    pub id: String,
    pub instrument_id: String,
    pub answers: JsonText<BTreeMap<String, i64>>,
    pub scores: JsonText<BTreeMap<String, f64>>,
    pub taken_at: i64,
}

pub async fn insert(
    db: &Db,
    user_id: &str,
    instrument_id: &str,
    answers: &BTreeMap<String, i64>,
    scores: &BTreeMap<String, f64>,
) -> Result<String, sqlx::Error> {
    insert_at(db, user_id, instrument_id, answers, scores, crate::clock::now()).await
}

/// Store a result taken at a given time (demo content).
pub async fn insert_at(
    db: &Db,
    user_id: &str,
    instrument_id: &str,
    answers: &BTreeMap<String, i64>,
    scores: &BTreeMap<String, f64>,
    taken_at: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO instrument_results (id, user_id, instrument_id, answers, scores, taken_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(instrument_id)
    .bind(JsonText(answers))
    .bind(JsonText(scores))
    .bind(taken_at)
    .execute(&db.pool)
    .await?;
    Ok(id)
}

/// One of the member's own results; another member's id is simply not found.
pub async fn find(db: &Db, user_id: &str, id: &str) -> Result<Option<ResultRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, instrument_id, answers, scores, taken_at FROM instrument_results WHERE id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await
}

/// The member's results, oldest first (optionally for one instrument).
pub async fn list(
    db: &Db,
    user_id: &str,
    instrument_id: Option<&str>,
) -> Result<Vec<ResultRecord>, sqlx::Error> {
    // An empty id means every instrument.
    sqlx::query_as(
        "SELECT id, instrument_id, answers, scores, taken_at FROM instrument_results
         WHERE user_id = $1 AND ($2 = '' OR instrument_id = $2) ORDER BY taken_at, id",
    )
    .bind(user_id)
    .bind(instrument_id.unwrap_or(""))
    .fetch_all(&db.pool)
    .await
}
