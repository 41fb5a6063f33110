//! The journal's SQL: entries, drafts and the instance's prompts (the list
//! page's one statement is in `list_store.rs`). Every query on entries and
//! drafts names the member; prompts belong to the instance.

use super::paging::Cursor;
pub use super::prompt_store::{PromptRecord, insert_prompt, instance_prompts, retire_prompt, update_prompt};
use crate::db::{Db, new_id};
use crate::features::undo::{ItemRows, Undoable};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntryRecord {
    pub id: String,
    pub prompt_id: String,
    /// The question as it read when the entry was written (empty for none).
    pub prompt_text: String,
    pub title: String,
    pub body: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

macro_rules! entry_columns {
    () => {
        "id, prompt_id, prompt_text, title, body, version, created_at, updated_at"
    };
}

/// What an entry says: its question (id and the words it had then), title and body.
pub struct EntryText<'a> {
    pub prompt_id: &'a str,
    pub prompt_text: &'a str,
    pub title: &'a str,
    pub body: &'a str,
}

pub async fn insert_entry(
    db: &Db,
    user_id: &str,
    text: EntryText<'_>,
    at: i64,
) -> Result<String, sqlx::Error> {
    let EntryText { prompt_id, prompt_text, title, body } = text;
    let id = new_id();
    sqlx::query(
        "INSERT INTO journal_entries (id, user_id, prompt_id, prompt_text, title, body, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(prompt_id)
    .bind(prompt_text)
    .bind(title)
    .bind(body)
    .bind(at)
    .execute(&db.pool)
    .await?;
    Ok(id)
}

pub async fn find_entry(db: &Db, user_id: &str, id: &str) -> Result<Option<EntryRecord>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT ",
        entry_columns!(),
        " FROM journal_entries WHERE id = $1 AND user_id = $2"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await
}

/// Change an entry only if it is still at `base_version`; false when it is
/// not the member's or has moved on (the caller tells which).
pub async fn update_entry(
    db: &Db,
    user_id: &str,
    id: &str,
    base_version: i64,
    text: EntryText<'_>,
) -> Result<bool, sqlx::Error> {
    let EntryText { prompt_id, prompt_text, title, body } = text;
    db.changed_one(
        sqlx::query(
            "UPDATE journal_entries SET prompt_id = $1, prompt_text = $2, title = $3, body = $4,
            version = version + 1, updated_at = $5
         WHERE id = $6 AND user_id = $7 AND version = $8",
        )
        .bind(prompt_id)
        .bind(prompt_text)
        .bind(title)
        .bind(body)
        .bind(crate::clock::now())
        .bind(id)
        .bind(user_id)
        .bind(base_version),
    )
    .await
}

/// A draft thrown away on purpose, undone whole.
pub const DRAFT_UNDO: Undoable = Undoable {
    kind: "journal-draft",
    rows: &[ItemRows { table: "journal_drafts", filter: "draft_key = $1 AND user_id = $2" }],
    shared: None,
};

/// An entry and any draft of changes to it, deleted together and undone together.
pub const UNDO: Undoable = Undoable {
    kind: "journal-entry",
    rows: &[
        ItemRows { table: "journal_entries", filter: "id = $1 AND user_id = $2" },
        ItemRows { table: "journal_drafts", filter: "draft_key = $1 AND user_id = $2" },
    ],
    shared: Some(crate::features::undo::shared_with_partner!("journal")),
};

/// One row of the journal list: the body is cut to its opening.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntrySummary {
    pub id: String,
    pub prompt_id: String,
    pub prompt_text: String,
    pub title: String,
    pub opening: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Up to `limit` of the member's entries from where `cursor` says, in its
/// direction (see `paging`), optionally for one prompt. One index range
/// whatever the page: no OFFSET.
pub async fn list_entries(
    db: &Db,
    user_id: &str,
    prompt_id: Option<&str>,
    cursor: &Cursor,
    limit: i64,
) -> Result<Vec<EntrySummary>, sqlx::Error> {
    let at = cursor.position();
    sqlx::query_as(entries_page_sql(prompt_id.is_some(), cursor))
        .bind(user_id)
        .bind(prompt_id.unwrap_or(""))
        .bind(at.map_or(0, |p| p.created_at))
        .bind(at.map_or("", |p| p.id.as_str()))
        .bind(limit)
        .fetch_all(&db.pool)
        .await
}

/// The statement for one page of entries: `$1` the member, `$2` the prompt
/// (when `filtered`), `$3` and `$4` the cursor's time and id, `$5` how many.
pub fn entries_page_sql(filtered: bool, cursor: &Cursor) -> &'static str {
    macro_rules! page_of {
        ($filter:literal, $range:literal, $order:literal) => {
            concat!(
                "SELECT id, prompt_id, prompt_text, title, SUBSTR(body, 1, 240) AS opening, created_at, updated_at
                 FROM journal_entries WHERE user_id = $1 AND ",
                $filter,
                " AND ",
                $range,
                " ORDER BY ",
                $order,
                " LIMIT $5"
            )
        };
        ($filter:literal) => {
            [
                page_of!($filter, "$3 = $3 AND $4 = $4", "created_at DESC, id DESC"),
                page_of!(
                    $filter,
                    "created_at <= $3 AND (created_at < $3 OR id < $4)",
                    "created_at DESC, id DESC"
                ),
                page_of!($filter, "created_at >= $3 AND (created_at > $3 OR id > $4)", "created_at, id"),
                page_of!($filter, "$3 = $3 AND $4 = $4", "created_at, id"),
            ]
        };
    }
    // `$n = $n` keeps the placeholders numbered alike when a filter is not used.
    let sqls = if filtered { page_of!("prompt_id = $2") } else { page_of!("$2 = $2") };
    match cursor {
        Cursor::Newest => sqls[0],
        Cursor::Before(_) => sqls[1],
        Cursor::After(_) => sqls[2],
        Cursor::Oldest => sqls[3],
    }
}

pub async fn count_entries(db: &Db, user_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM journal_entries WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await
}

/// Every entry, oldest first (export).
pub async fn all_entries(db: &Db, user_id: &str) -> Result<Vec<EntryRecord>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT ",
        entry_columns!(),
        " FROM journal_entries WHERE user_id = $1 ORDER BY created_at, id"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

// ---- drafts ----------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct DraftRecord {
    /// "new", or the id of the entry being edited.
    #[sqlx(rename = "draft_key")]
    pub key: String,
    pub prompt_id: String,
    pub title: String,
    pub body: String,
    pub base_version: i64,
    pub updated_at: i64,
}

macro_rules! draft_columns {
    () => {
        "draft_key, prompt_id, title, body, base_version, updated_at"
    };
}

pub async fn save_draft(db: &Db, user_id: &str, d: &DraftRecord) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO journal_drafts (user_id, draft_key, prompt_id, title, body, base_version, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (user_id, draft_key) DO UPDATE SET prompt_id = excluded.prompt_id, title = excluded.title,
           body = excluded.body, base_version = excluded.base_version, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(&d.key)
    .bind(&d.prompt_id)
    .bind(&d.title)
    .bind(&d.body)
    .bind(d.base_version)
    .bind(d.updated_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn find_draft(db: &Db, user_id: &str, key: &str) -> Result<Option<DraftRecord>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT ",
        draft_columns!(),
        " FROM journal_drafts WHERE user_id = $1 AND draft_key = $2"
    ))
    .bind(user_id)
    .bind(key)
    .fetch_optional(&db.pool)
    .await
}

pub async fn delete_draft(db: &Db, user_id: &str, key: &str) -> Result<bool, sqlx::Error> {
    db.change_owned(&["DELETE FROM journal_drafts WHERE draft_key = $1 AND user_id = $2"], key, user_id).await
}

/// A new entry's draft (`new`, `new-<uuid>`), not a draft of changes to an entry.
macro_rules! is_new_entry_draft {
    () => {
        "(draft_key = 'new' OR draft_key LIKE 'new-%')"
    };
}
/// The same condition, for statements put together elsewhere.
pub const IS_NEW_ENTRY_DRAFT: &str = is_new_entry_draft!();

/// The member's new-entry drafts, most recently touched first.
pub async fn new_drafts(db: &Db, user_id: &str) -> Result<Vec<DraftRecord>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT ",
        draft_columns!(),
        " FROM journal_drafts WHERE user_id = $1 AND ",
        is_new_entry_draft!(),
        " ORDER BY updated_at DESC, draft_key LIMIT 100"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn count_new_drafts(db: &Db, user_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(concat!(
        "SELECT COUNT(*) FROM journal_drafts WHERE user_id = $1 AND ",
        is_new_entry_draft!()
    ))
    .bind(user_id)
    .fetch_one(&db.pool)
    .await
}

/// The member's drafts, most recently touched first.
pub async fn list_drafts(db: &Db, user_id: &str) -> Result<Vec<DraftRecord>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT ",
        draft_columns!(),
        " FROM journal_drafts WHERE user_id = $1 ORDER BY updated_at DESC"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}
