//! All SQL for instrument results. Every query names the member.

use std::collections::BTreeMap;

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Db;

#[derive(Debug, Clone)]
pub struct ResultRecord {
    pub id: String,
    pub instrument_id: String,
    pub answers: BTreeMap<String, i64>,
    pub scores: BTreeMap<String, f64>,
    pub taken_at: i64,
}

fn from_row(r: &AnyRow) -> Result<ResultRecord, sqlx::Error> {
    let answers: String = r.try_get("answers")?;
    let scores: String = r.try_get("scores")?;
    let decode = |e: serde_json::Error| sqlx::Error::Decode(Box::new(e));
    Ok(ResultRecord {
        id: r.try_get("id")?,
        instrument_id: r.try_get("instrument_id")?,
        answers: serde_json::from_str(&answers).map_err(decode)?,
        scores: serde_json::from_str(&scores).map_err(decode)?,
        taken_at: r.try_get("taken_at")?,
    })
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
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO instrument_results (id, user_id, instrument_id, answers, scores, taken_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(instrument_id)
    .bind(serde_json::to_string(answers).unwrap_or_default())
    .bind(serde_json::to_string(scores).unwrap_or_default())
    .bind(taken_at)
    .execute(&db.pool)
    .await?;
    Ok(id)
}

/// One of the member's own results; another member's id is simply not found.
pub async fn find(db: &Db, user_id: &str, id: &str) -> Result<Option<ResultRecord>, sqlx::Error> {
    sqlx::query("SELECT id, instrument_id, answers, scores, taken_at FROM instrument_results WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

/// The member's results, oldest first (optionally for one instrument).
pub async fn list(
    db: &Db,
    user_id: &str,
    instrument_id: Option<&str>,
) -> Result<Vec<ResultRecord>, sqlx::Error> {
    let rows = match instrument_id {
        Some(i) => {
            sqlx::query(
                "SELECT id, instrument_id, answers, scores, taken_at FROM instrument_results
                 WHERE user_id = $1 AND instrument_id = $2 ORDER BY taken_at, id",
            )
            .bind(user_id)
            .bind(i)
            .fetch_all(&db.pool)
            .await?
        }
        None => {
            sqlx::query(
                "SELECT id, instrument_id, answers, scores, taken_at FROM instrument_results
                 WHERE user_id = $1 ORDER BY taken_at, id",
            )
            .bind(user_id)
            .fetch_all(&db.pool)
            .await?
        }
    };
    rows.iter().map(from_row).collect()
}
