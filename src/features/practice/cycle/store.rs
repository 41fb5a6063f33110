//! The cycle map's SQL: maps and their versions, each the member's own.

use super::rules::CycleFields;
use crate::db::{Db, JsonText, new_id};
use crate::features::undo::{ItemRows, Undoable};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MapRecord {
    pub id: String,
    pub title: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub versions: i64,
    /// The latest version's links.
    pub latest: JsonText<CycleFields>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MapVersion {
    pub number: i64,
    pub fields: JsonText<CycleFields>,
    pub created_at: i64,
}

/// A version with the map it belongs to (export).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MapVersionOf {
    pub map_id: String,
    #[sqlx(flatten)]
    pub version: MapVersion,
}

pub async fn insert_map(
    db: &Db,
    user_id: &str,
    title: &str,
    fields: &CycleFields,
    at: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO cycle_maps (id, user_id, title, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(title)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO cycle_map_versions (map_id, user_id, number, fields, created_at) VALUES ($1, $2, 1, $3, $4)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(JsonText(fields))
    .bind(at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Save a new version of the member's map (and its title); false when the
/// map is not theirs. The version number comes from the versions already kept.
pub async fn add_map_version(
    db: &Db,
    user_id: &str,
    id: &str,
    title: &str,
    fields: &CycleFields,
) -> Result<bool, sqlx::Error> {
    let now = crate::clock::now();
    let mut tx = db.begin().await?;
    let done =
        sqlx::query("UPDATE cycle_maps SET title = $1, updated_at = $2 WHERE id = $3 AND user_id = $4")
            .bind(title)
            .bind(now)
            .bind(id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO cycle_map_versions (map_id, user_id, number, fields, created_at)
         SELECT $1, $2, COALESCE(MAX(number), 0) + 1, $3, $4 FROM cycle_map_versions WHERE map_id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .bind(JsonText(fields))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn rename_map(db: &Db, user_id: &str, id: &str, title: &str) -> Result<bool, sqlx::Error> {
    let query =
        sqlx::query("UPDATE cycle_maps SET title = $1, updated_at = $2 WHERE id = $3 AND user_id = $4")
            .bind(title)
            .bind(crate::clock::now());
    db.changed_one(query.bind(id).bind(user_id)).await
}

macro_rules! map_columns {
    () => {
        "m.id, m.title, m.created_at, m.updated_at,
         (SELECT COUNT(*) FROM cycle_map_versions v WHERE v.map_id = m.id AND v.user_id = m.user_id) AS versions,
         (SELECT v.fields FROM cycle_map_versions v WHERE v.map_id = m.id AND v.user_id = m.user_id
          ORDER BY v.number DESC LIMIT 1) AS latest"
    };
}

pub async fn find_map(db: &Db, user_id: &str, id: &str) -> Result<Option<MapRecord>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT ",
        map_columns!(),
        " FROM cycle_maps m WHERE m.id = $1 AND m.user_id = $2"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await
}

pub async fn list_maps(db: &Db, user_id: &str) -> Result<Vec<MapRecord>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT ",
        map_columns!(),
        " FROM cycle_maps m WHERE m.user_id = $1 ORDER BY m.updated_at DESC, m.id DESC"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn count_maps(db: &Db, user_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM cycle_maps WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await
}

/// Every version of the member's map, oldest first.
pub async fn map_versions(db: &Db, user_id: &str, id: &str) -> Result<Vec<MapVersion>, sqlx::Error> {
    sqlx::query_as(
        "SELECT number, fields, created_at FROM cycle_map_versions WHERE map_id = $1 AND user_id = $2 ORDER BY number",
    )
    .bind(id)
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

/// Every version of every map of the member, by map then number (export).
pub async fn all_map_versions(db: &Db, user_id: &str) -> Result<Vec<MapVersionOf>, sqlx::Error> {
    sqlx::query_as(
        "SELECT map_id, number, fields, created_at FROM cycle_map_versions WHERE user_id = $1 ORDER BY map_id, number",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

/// A map and every version of it, deleted and undone together.
pub const UNDO: Undoable = Undoable {
    kind: "cycle-map",
    rows: &[
        ItemRows { table: "cycle_maps", filter: "id = $1 AND user_id = $2" },
        ItemRows { table: "cycle_map_versions", filter: "map_id = $1 AND user_id = $2" },
    ],
    shared: Some(crate::features::undo::shared_with_partner!("cycle")),
};
