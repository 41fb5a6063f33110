//! All SQL for check-ins but the dashboard's one statement
//! (`dashboard_store.rs`). Every query names the member.

use std::collections::BTreeMap;

use crate::db::{Db, JsonText, new_id};
use crate::features::undo::{ItemRows, Undoable};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CheckInRecord {
    pub id: String,
    pub kind: String,
    pub day: String,
    #[sqlx(rename = "item_values")]
    pub values: JsonText<BTreeMap<String, i64>>,
    pub note: String,
    pub score: f64,
    pub created_at: i64,
}

/// The columns every check-in query selects (a macro so queries stay `&'static str`).
macro_rules! columns {
    () => {
        "id, kind, day, item_values, note, score, created_at"
    };
}

pub struct NewCheckIn<'a> {
    pub user_id: &'a str,
    pub kind: &'a str,
    pub day: &'a str,
    pub values: &'a BTreeMap<String, i64>,
    pub note: &'a str,
    pub score: f64,
    pub at: i64,
}

pub async fn insert(db: &Db, c: NewCheckIn<'_>) -> Result<String, sqlx::Error> {
    let id = new_id();
    insert_one(&db.pool, &id, &c).await?;
    Ok(id)
}

/// Save many check-ins in one transaction (one commit, not one each): all
/// are saved or none.
pub async fn insert_all(db: &Db, checkins: &[NewCheckIn<'_>]) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    for c in checkins {
        insert_one(&mut *tx, &new_id(), c).await?;
    }
    tx.commit().await
}

async fn insert_one<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    id: &str,
    c: &NewCheckIn<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO checkins (id, user_id, kind, day, item_values, note, score, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(id)
    .bind(c.user_id)
    .bind(c.kind)
    .bind(c.day)
    .bind(JsonText(c.values))
    .bind(c.note)
    .bind(c.score)
    .bind(c.at)
    .execute(executor)
    .await?;
    Ok(())
}

/// Change one of the member's own check-ins; false when it is not theirs.
pub async fn update(
    db: &Db,
    user_id: &str,
    id: &str,
    values: &BTreeMap<String, i64>,
    note: &str,
    score: f64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE checkins SET item_values = $1, note = $2, score = $3, updated_at = $4 WHERE id = $5 AND user_id = $6",
    )
    .bind(JsonText(values))
    .bind(note)
    .bind(score)
    .bind(crate::clock::now())
    .bind(id)
    .bind(user_id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A check-in, deleted and undone whole.
pub const UNDO: Undoable = Undoable {
    kind: "check-in",
    rows: &[ItemRows { table: "checkins", filter: "id = $1 AND user_id = $2" }],
    shared: Some(crate::features::undo::shared_with_partner!("check-in")),
};

pub async fn find(db: &Db, user_id: &str, id: &str) -> Result<Option<CheckInRecord>, sqlx::Error> {
    sqlx::query_as(concat!("SELECT ", columns!(), " FROM checkins WHERE id = $1 AND user_id = $2"))
        .bind(id)
        .bind(user_id)
        .fetch_optional(db.reads())
        .await
}

/// One kind of the member's check-ins between two days (inclusive), newest first.
const KIND_BETWEEN_DAYS: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM checkins WHERE user_id = $1 AND kind = $2 AND day >= $3 AND day <= $4
     ORDER BY day DESC, created_at DESC, id DESC LIMIT $5"
);

/// At most this many check-ins are read for a page.
const LATEST_MAX: i64 = 100;

/// The member's latest check-ins of one kind (at most 100), newest first: a
/// page's few, read on the request's thread (`Db::reads`).
pub async fn latest(
    db: &Db,
    user_id: &str,
    kind: &str,
    count: i64,
) -> Result<Vec<CheckInRecord>, sqlx::Error> {
    sqlx::query_as(KIND_BETWEEN_DAYS)
        .bind(user_id)
        .bind(kind)
        .bind("0000-01-01")
        .bind("9999-12-31")
        .bind(count.clamp(0, LATEST_MAX))
        .fetch_all(db.reads())
        .await
}

/// The member's check-ins of one kind between two days (inclusive), newest
/// first, up to `limit`: a history that may be long, read through the pool.
pub async fn between(
    db: &Db,
    user_id: &str,
    kind: &str,
    from: &str,
    to: &str,
    limit: i64,
) -> Result<Vec<CheckInRecord>, sqlx::Error> {
    sqlx::query_as(KIND_BETWEEN_DAYS)
        .bind(user_id)
        .bind(kind)
        .bind(from)
        .bind(to)
        .bind(limit)
        .fetch_all(&db.pool)
        .await
}

/// Every check-in of the member, oldest first (export and CSV).
pub async fn all(db: &Db, user_id: &str) -> Result<Vec<CheckInRecord>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM checkins WHERE user_id = $1 ORDER BY day, created_at, id"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}
