//! Uploads in progress: how much has arrived, in how many parts.

use crate::db::Db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UploadRow {
    pub id: String,
    pub length: i64,
    pub received: i64,
    pub parts: i64,
    pub media_kind: Option<String>,
    pub title: String,
    pub updated_at: i64,
}

pub async fn insert<'c, E>(
    executor: E,
    id: &str,
    coach_id: &str,
    length: i64,
    title: &str,
    now: i64,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO library_uploads (id, coach_id, length, received, parts, title, created_at, updated_at)
         VALUES ($1, $2, $3, 0, 0, $4, $5, $5)",
    )
    .bind(id)
    .bind(coach_id)
    .bind(length)
    .bind(title)
    .bind(now)
    .execute(executor)
    .await?;
    Ok(())
}

pub async fn find(db: &Db, id: &str) -> Result<Option<UploadRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, length, received, parts, media_kind, title, updated_at FROM library_uploads WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// Counts a stored part, only if nothing else moved the upload meanwhile.
pub async fn add_part(
    db: &Db,
    id: &str,
    seen: &UploadRow,
    bytes: i64,
    media_kind: Option<&str>,
    object_key: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE library_uploads SET received = received + $4, parts = parts + 1,
            media_kind = COALESCE(media_kind, $5), updated_at = $6
         WHERE id = $1 AND received = $2 AND parts = $3",
    )
    .bind(id)
    .bind(seen.received)
    .bind(seen.parts)
    .bind(bytes)
    .bind(media_kind)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("INSERT INTO library_upload_parts (upload_id, n, object_key) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(seen.parts)
        .bind(object_key)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// The keys of an upload's parts, in order.
pub async fn part_keys(db: &Db, id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT object_key FROM library_upload_parts WHERE upload_id = $1 ORDER BY n")
        .bind(id)
        .fetch_all(&db.pool)
        .await
}

/// Takes a complete upload for assembly: true for the one request that gets it.
pub async fn claim_complete<'c, E>(executor: E, id: &str) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let done = sqlx::query("DELETE FROM library_uploads WHERE id = $1 AND received = length")
        .bind(id)
        .execute(executor)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete<'c, E>(executor: E, id: &str) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let done = sqlx::query("DELETE FROM library_uploads WHERE id = $1").bind(id).execute(executor).await?;
    Ok(done.rows_affected() == 1)
}
