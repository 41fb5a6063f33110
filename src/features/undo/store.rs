//! The `deleted_items` table: what a member deleted, kept for the short time
//! they may undo it. Every statement names the member's id, so an undo token
//! of someone else's restores nothing and says nothing.

use sqlx::AssertSqlSafe;

use super::Undoable;
use super::rows::{SavedRow, bind_cells, insert_sql, read_row};
use crate::db::{Db, JsonText, new_id};
use crate::jobs::NewJob;

/// Take an item and what hangs off it out of the member's tables and keep it
/// until `until`, with a job to purge it then; all in one transaction. None
/// when there is no such item of this member's (nothing changes).
#[allow(clippy::too_many_arguments)]
pub async fn move_to_trash(
    db: &Db,
    user_id: &str,
    what: &Undoable,
    item_id: &str,
    back_to: &str,
    now: i64,
    until: i64,
    purge_job: &str,
) -> Result<Option<String>, sqlx::Error> {
    // The table and column names spliced in below are `&'static str`
    // constants declared by the features (`Undoable`), never input.
    let mut tx = db.begin().await?;
    let mut saved: Vec<SavedRow> = Vec::new();
    for (i, part) in what.rows.iter().enumerate() {
        let sql = format!(
            "SELECT * FROM {} WHERE {} = $1 AND {} = $2",
            part.table, part.id_column, what.owner_column
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(item_id).bind(user_id).fetch_all(&mut *tx).await?;
        if i == 0 && rows.is_empty() {
            tx.rollback().await?;
            return Ok(None);
        }
        for row in &rows {
            saved.push(read_row(part.table, row)?);
        }
    }
    // What hangs off the item first, the item last.
    for part in what.rows.iter().rev() {
        let sql = format!(
            "DELETE FROM {} WHERE {} = $1 AND {} = $2",
            part.table, part.id_column, what.owner_column
        );
        sqlx::query(AssertSqlSafe(sql)).bind(item_id).bind(user_id).execute(&mut *tx).await?;
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO deleted_items (id, user_id, kind, item_id, saved_rows, back_to, deleted_at, undo_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(what.kind)
    .bind(item_id)
    .bind(JsonText(&saved))
    .bind(back_to)
    .bind(now)
    .bind(until)
    .execute(&mut *tx)
    .await?;
    crate::db::queue::enqueue(
        &mut *tx,
        NewJob {
            kind: purge_job,
            payload: "{}".to_owned(),
            dedupe_key: Some(format!("undo-purge:{id}")),
            user_id: Some(user_id),
            run_at: until,
            max_attempts: 5,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undone {
    /// The item is back, with the same id; `back_to` is its page.
    Restored { kind: String, item_id: String, back_to: String },
    /// Too late, or not this member's: nothing changed.
    Gone,
}

#[derive(sqlx::FromRow)]
struct Kept {
    kind: String,
    item_id: String,
    saved_rows: JsonText<Vec<SavedRow>>,
    back_to: String,
}

/// Put a deleted item back, if it is this member's and its time has not run out.
pub async fn restore(db: &Db, user_id: &str, id: &str, now: i64) -> Result<Undone, sqlx::Error> {
    let mut tx = db.begin().await?;
    let kept: Option<Kept> = sqlx::query_as(
        "SELECT kind, item_id, saved_rows, back_to FROM deleted_items
         WHERE id = $1 AND user_id = $2 AND undo_until > $3",
    )
    .bind(id)
    .bind(user_id)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(kept) = kept else {
        tx.rollback().await?;
        return Ok(Undone::Gone);
    };
    // Names come from our own tables' columns, read when the item was
    // deleted, and `insert_sql` refuses any that is not a plain name.
    for row in kept.saved_rows.iter() {
        let sql = insert_sql(row).ok_or_else(|| {
            sqlx::Error::Protocol(format!("a kept row of {} has a name that is not plain", kept.kind))
        })?;
        match bind_cells(sqlx::query(AssertSqlSafe(sql)), row).execute(&mut *tx).await {
            Ok(_) => {}
            // What the item belonged to went meanwhile (a recording a note
            // was pinned to): it cannot come back, and nothing changes.
            Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() || e.is_unique_violation() => {
                tx.rollback().await?;
                return Ok(Undone::Gone);
            }
            Err(e) => return Err(e),
        }
    }
    sqlx::query("DELETE FROM deleted_items WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Undone::Restored { kind: kept.kind, item_id: kept.item_id, back_to: kept.back_to })
}

/// Everything whose time to undo has run out goes, whoever deleted it.
pub async fn purge_expired<'c, E>(executor: E, now: i64) -> Result<u64, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    Ok(sqlx::query("DELETE FROM deleted_items WHERE undo_until <= $1")
        .bind(now)
        .execute(executor)
        .await?
        .rows_affected())
}
