//! The `deleted_items` table: what a member deleted, kept for the short time
//! they may undo it. Every statement names the member's id, so an undo id of
//! someone else's restores nothing and says nothing.

use sqlx::AssertSqlSafe;

use super::rows::{SavedRow, bind_cells, insert_sql, read_row};
use super::{ItemRows, Undoable};
use crate::db::{Db, JsonText, new_id};
use crate::jobs::{JobKind, NewJob};

/// A delete that can still be undone: its id and when its time runs out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub id: String,
    pub undo_until: i64,
}

/// Take an item and everything that hangs off it (its own tables, then what
/// was shared of it with a partner) out of the database and keep it until
/// `until`, with a job to purge it then; all in one transaction. Each table's
/// rows are taken with `DELETE … RETURNING *`, so what is kept is exactly
/// what was removed. None when there is no such item of this member's
/// (nothing changes).
#[allow(clippy::too_many_arguments)]
pub async fn move_to_trash(
    db: &Db,
    user_id: &str,
    what: &Undoable,
    item_id: &str,
    back_to: &str,
    now: i64,
    until: i64,
    purge: &JobKind,
) -> Result<Option<Waiting>, sqlx::Error> {
    let shared = what.shared.map_or(&[][..], |s| s.rows);
    let parts: Vec<&ItemRows> = what.rows.iter().chain(shared).collect();
    let mut tx = db.begin().await?;
    if let Some(s) = what.shared {
        sqlx::query(s.forget).bind(item_id).bind(user_id).execute(&mut *tx).await?;
    }
    // What hangs off the item goes first and the item last; each part's
    // filter may name a part listed before it, which is still there.
    let mut taken: Vec<Vec<SavedRow>> = Vec::with_capacity(parts.len());
    for part in parts.iter().rev() {
        // Table names and filters are `&'static str` constants declared in
        // code (`Undoable`, `shared_with_partner!`), never input; values are bound.
        let sql = format!("DELETE FROM {} WHERE {} RETURNING *", part.table, part.filter);
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(item_id).bind(user_id).fetch_all(&mut *tx).await?;
        taken.push(rows.iter().map(|row| read_row(part.table, row)).collect::<Result<_, _>>()?);
    }
    // The item itself was the last one taken.
    if taken.last().is_none_or(Vec::is_empty) {
        tx.rollback().await?;
        return Ok(None);
    }
    // Kept in the order they go back: the item first.
    let saved: Vec<SavedRow> = taken.into_iter().rev().flatten().collect();
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
            kind: purge.name,
            payload: "{}".to_owned(),
            dedupe_key: None,
            user_id: Some(user_id),
            run_at: until,
            max_attempts: purge.max_attempts,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Some(Waiting { id, undo_until: until }))
}

/// The member's delete of this item that can still be undone, if any: a
/// second press of Delete (a double click) is answered with the first one's undo.
pub async fn waiting_for(
    db: &Db,
    user_id: &str,
    kind: &str,
    item_id: &str,
    now: i64,
) -> Result<Option<Waiting>, sqlx::Error> {
    let found: Option<(String, i64)> = sqlx::query_as(
        "SELECT id, undo_until FROM deleted_items
         WHERE user_id = $1 AND item_id = $2 AND kind = $3 AND restored_at IS NULL AND undo_until > $4
         ORDER BY deleted_at DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(item_id)
    .bind(kind)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.map(|(id, undo_until)| Waiting { id, undo_until }))
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undone {
    /// The item is back, with the same id (or was already, by an earlier
    /// press of the same Undo); `back_to` is its page.
    Restored { kind: String, item_id: String, back_to: String },
    /// Too late, or not this member's, or what the item belonged to is gone:
    /// nothing changed.
    Gone,
    /// Something new has taken the item's place (a draft written in the same
    /// slot since): nothing changed, and the deleted copy waits out its time.
    Occupied,
}

#[derive(sqlx::FromRow)]
struct Claimed {
    kind: String,
    item_id: String,
    back_to: String,
}

/// Put a deleted item back, if it is this member's and its time has not run
/// out. Claiming the row (`restored_at`) comes first, so two presses at once
/// restore once.
pub async fn restore(db: &Db, user_id: &str, id: &str, now: i64) -> Result<Undone, sqlx::Error> {
    let mut tx = db.begin().await?;
    let claimed: Option<Claimed> = sqlx::query_as(
        "UPDATE deleted_items SET restored_at = $3
         WHERE id = $1 AND user_id = $2 AND restored_at IS NULL AND undo_until > $3
         RETURNING kind, item_id, back_to",
    )
    .bind(id)
    .bind(user_id)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(claimed) = claimed else {
        tx.rollback().await?;
        return already_restored(db, user_id, id).await;
    };
    let saved: JsonText<Vec<SavedRow>> =
        sqlx::query_scalar("SELECT saved_rows FROM deleted_items WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
    // Names come from our own tables' columns, read when the item was
    // deleted, and `insert_sql` refuses any that is not a plain name. The
    // first row is the item itself, which must go back; a row hanging off it
    // that exists again meanwhile is left as it is.
    for (i, row) in saved.iter().enumerate() {
        let the_item = i == 0;
        let sql = insert_sql(row, !the_item).ok_or_else(|| {
            sqlx::Error::Protocol(format!("a kept row of {} has a name that is not plain", claimed.kind))
        })?;
        match bind_cells(sqlx::query(AssertSqlSafe(sql)), row).execute(&mut *tx).await {
            Ok(_) => {}
            Err(e) if the_item && crate::db::is_unique_violation(&e) => {
                tx.rollback().await?;
                return Ok(Undone::Occupied);
            }
            // What the item belonged to went meanwhile (the recording a note
            // was pinned to, the partner a share was for): it cannot come
            // back, and nothing changes.
            Err(e) if is_foreign_key_violation(&e) => {
                tx.rollback().await?;
                return Ok(Undone::Gone);
            }
            Err(e) => return Err(e),
        }
    }
    if saved.iter().any(|r| r.table == "shares") {
        // A share whose link ended meanwhile (an unlink, a safety reset, the
        // partner's account deleted) stays gone, with its versions.
        sqlx::query(
            "DELETE FROM shares WHERE item_id = $1 AND author_id = $2
             AND link_id NOT IN (SELECT link_id FROM partner_links WHERE member_id = $2)",
        )
        .bind(&claimed.item_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE deleted_items SET saved_rows = '[]' WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Undone::Restored { kind: claimed.kind, item_id: claimed.item_id, back_to: claimed.back_to })
}

/// A second press of an Undo that worked: still "it is back", unless the item
/// has been deleted again since (that delete has an undo of its own).
async fn already_restored(db: &Db, user_id: &str, id: &str) -> Result<Undone, sqlx::Error> {
    let done: Option<Claimed> = sqlx::query_as(
        "SELECT d.kind, d.item_id, d.back_to FROM deleted_items d
         WHERE d.id = $1 AND d.user_id = $2 AND d.restored_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM deleted_items n WHERE n.user_id = d.user_id AND n.item_id = d.item_id
                           AND n.kind = d.kind AND n.id <> d.id AND n.deleted_at >= d.deleted_at AND n.restored_at IS NULL)",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(done.map_or(Undone::Gone, |c| Undone::Restored {
        kind: c.kind,
        item_id: c.item_id,
        back_to: c.back_to,
    }))
}

fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    match e {
        // 23503 on PostgreSQL, 787 (SQLITE_CONSTRAINT_FOREIGNKEY) on SQLite.
        sqlx::Error::Database(d) => {
            d.is_foreign_key_violation() || d.code().is_some_and(|c| c == "23503" || c == "787")
        }
        _ => false,
    }
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
