//! All SQL for the practice tools. Every query that reads or changes a
//! member's writing names the member; the instance's prompts are the only
//! shared rows.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Db;

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn json_err(e: serde_json::Error) -> sqlx::Error {
    sqlx::Error::Decode(Box::new(e))
}

// ---- journal entries -------------------------------------------------------

#[derive(Debug, Clone)]
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

fn entry_from_row(r: &AnyRow) -> Result<EntryRecord, sqlx::Error> {
    Ok(EntryRecord {
        id: r.try_get("id")?,
        prompt_id: r.try_get("prompt_id")?,
        prompt_text: r.try_get("prompt_text")?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
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
         VALUES ($1, $2, $3, $7, $4, $5, 1, $6, $6)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(prompt_id)
    .bind(title)
    .bind(body)
    .bind(at)
    .bind(prompt_text)
    .execute(&db.pool)
    .await?;
    Ok(id)
}

pub async fn find_entry(db: &Db, user_id: &str, id: &str) -> Result<Option<EntryRecord>, sqlx::Error> {
    sqlx::query(
        "SELECT id, prompt_id, prompt_text, title, body, version, created_at, updated_at
         FROM journal_entries WHERE id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?
    .map(|r| entry_from_row(&r))
    .transpose()
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
    let done = sqlx::query(
        "UPDATE journal_entries SET prompt_id = $1, title = $2, body = $3, version = version + 1, updated_at = $4,
            prompt_text = $8
         WHERE id = $5 AND user_id = $6 AND version = $7",
    )
    .bind(prompt_id)
    .bind(title)
    .bind(body)
    .bind(crate::clock::now())
    .bind(id)
    .bind(user_id)
    .bind(base_version)
    .bind(prompt_text)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_entry(db: &Db, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query("DELETE FROM journal_entries WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM journal_drafts WHERE user_id = $1 AND draft_key = $2")
        .bind(user_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// One row of the journal list: the body is cut to its opening.
#[derive(Debug, Clone)]
pub struct EntrySummary {
    pub id: String,
    pub prompt_id: String,
    pub prompt_text: String,
    pub title: String,
    pub opening: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A page of the member's entries, newest first, optionally for one prompt.
pub async fn list_entries(
    db: &Db,
    user_id: &str,
    prompt_id: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<EntrySummary>, sqlx::Error> {
    let sql = if prompt_id.is_some() {
        "SELECT id, prompt_id, prompt_text, title, SUBSTR(body, 1, 240) AS opening, created_at, updated_at
         FROM journal_entries WHERE user_id = $1 AND prompt_id = $2
         ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
    } else {
        "SELECT id, prompt_id, prompt_text, title, SUBSTR(body, 1, 240) AS opening, created_at, updated_at
         FROM journal_entries WHERE user_id = $1 AND $2 = $2
         ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
    };
    sqlx::query(sql)
        .bind(user_id)
        .bind(prompt_id.unwrap_or(""))
        .bind(limit)
        .bind(offset)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(EntrySummary {
                id: r.try_get("id")?,
                prompt_id: r.try_get("prompt_id")?,
                prompt_text: r.try_get("prompt_text")?,
                title: r.try_get("title")?,
                opening: r.try_get("opening")?,
                created_at: r.try_get("created_at")?,
                updated_at: r.try_get("updated_at")?,
            })
        })
        .collect()
}

pub async fn count_entries(db: &Db, user_id: &str, prompt_id: Option<&str>) -> Result<i64, sqlx::Error> {
    let sql = if prompt_id.is_some() {
        "SELECT COUNT(*) FROM journal_entries WHERE user_id = $1 AND prompt_id = $2"
    } else {
        "SELECT COUNT(*) FROM journal_entries WHERE user_id = $1 AND $2 = $2"
    };
    sqlx::query_scalar(sql).bind(user_id).bind(prompt_id.unwrap_or("")).fetch_one(&db.pool).await
}

/// Which of `candidates` the member has written to at least once. One index
/// lookup per candidate, so the cost does not grow with the journal.
pub async fn used_prompt_ids(
    db: &Db,
    user_id: &str,
    candidates: &[&str],
) -> Result<Vec<String>, sqlx::Error> {
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    // Only numbered placeholders are spliced in; every value is bound.
    let choices = (0..candidates.len())
        .map(|i| format!("SELECT CAST(${} AS TEXT) AS p", i + 2))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let sql = format!(
        "SELECT c.p FROM ({choices}) c WHERE EXISTS
         (SELECT 1 FROM journal_entries e WHERE e.user_id = $1 AND e.prompt_id = c.p)"
    );
    let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(user_id);
    for c in candidates {
        q = q.bind(*c);
    }
    q.fetch_all(&db.pool).await
}

/// Every entry, oldest first (export).
pub async fn all_entries(db: &Db, user_id: &str) -> Result<Vec<EntryRecord>, sqlx::Error> {
    sqlx::query(
        "SELECT id, prompt_id, prompt_text, title, body, version, created_at, updated_at
         FROM journal_entries WHERE user_id = $1 ORDER BY created_at, id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(entry_from_row)
    .collect()
}

// ---- drafts ----------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub struct DraftRecord {
    /// "new", or the id of the entry being edited.
    pub key: String,
    pub prompt_id: String,
    pub title: String,
    pub body: String,
    pub base_version: i64,
    pub updated_at: i64,
}

fn draft_from_row(r: &AnyRow) -> Result<DraftRecord, sqlx::Error> {
    Ok(DraftRecord {
        key: r.try_get("draft_key")?,
        prompt_id: r.try_get("prompt_id")?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        base_version: r.try_get("base_version")?,
        updated_at: r.try_get("updated_at")?,
    })
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
    sqlx::query(
        "SELECT draft_key, prompt_id, title, body, base_version, updated_at
         FROM journal_drafts WHERE user_id = $1 AND draft_key = $2",
    )
    .bind(user_id)
    .bind(key)
    .fetch_optional(&db.pool)
    .await?
    .map(|r| draft_from_row(&r))
    .transpose()
}

pub async fn delete_draft(db: &Db, user_id: &str, key: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM journal_drafts WHERE user_id = $1 AND draft_key = $2")
        .bind(user_id)
        .bind(key)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The member's drafts, most recently touched first.
pub async fn list_drafts(db: &Db, user_id: &str) -> Result<Vec<DraftRecord>, sqlx::Error> {
    sqlx::query(
        "SELECT draft_key, prompt_id, title, body, base_version, updated_at
         FROM journal_drafts WHERE user_id = $1 ORDER BY updated_at DESC",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(draft_from_row)
    .collect()
}

// ---- the instance's prompts ------------------------------------------------

#[derive(Debug, Clone)]
pub struct PromptRecord {
    pub id: String,
    pub text: String,
    pub created_at: i64,
    pub retired: bool,
}

/// Every prompt a coach added, retired ones included (entries still name them).
pub async fn instance_prompts(db: &Db) -> Result<Vec<PromptRecord>, sqlx::Error> {
    sqlx::query("SELECT id, text, created_at, retired_at FROM journal_prompts ORDER BY created_at, id")
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(PromptRecord {
                id: r.try_get("id")?,
                text: r.try_get("text")?,
                created_at: r.try_get("created_at")?,
                retired: r.try_get::<Option<i64>, _>("retired_at")?.is_some(),
            })
        })
        .collect()
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
    let done = sqlx::query("UPDATE journal_prompts SET text = $1 WHERE id = $2 AND retired_at IS NULL")
        .bind(text)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn retire_prompt(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE journal_prompts SET retired_at = $1 WHERE id = $2 AND retired_at IS NULL")
        .bind(crate::clock::now())
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

// ---- affirmations ----------------------------------------------------------

pub async fn own_affirmations(db: &Db, user_id: &str) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    sqlx::query(
        "SELECT id, text, created_at FROM own_affirmations WHERE user_id = $1 ORDER BY created_at, id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
    .collect()
}

pub async fn owns_affirmation(db: &Db, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM own_affirmations WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
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
    let done = sqlx::query("UPDATE own_affirmations SET text = $1 WHERE id = $2 AND user_id = $3")
        .bind(text)
        .bind(id)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_affirmation(db: &Db, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query("DELETE FROM own_affirmations WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM affirmation_marks WHERE user_id = $1 AND affirmation_id = $2")
        .bind(user_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// (affirmation id, "favourite" or "hidden").
pub async fn affirmation_marks(db: &Db, user_id: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query("SELECT affirmation_id, mark FROM affirmation_marks WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// Set or clear (with `None`) the member's mark on an affirmation.
pub async fn set_affirmation_mark(
    db: &Db,
    user_id: &str,
    id: &str,
    mark: Option<&str>,
) -> Result<(), sqlx::Error> {
    match mark {
        Some(mark) => {
            sqlx::query(
                "INSERT INTO affirmation_marks (user_id, affirmation_id, mark, updated_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (user_id, affirmation_id) DO UPDATE SET mark = excluded.mark, updated_at = excluded.updated_at",
            )
            .bind(user_id)
            .bind(id)
            .bind(mark)
            .bind(crate::clock::now())
            .execute(&db.pool)
            .await?
        }
        None => {
            sqlx::query("DELETE FROM affirmation_marks WHERE user_id = $1 AND affirmation_id = $2")
                .bind(user_id)
                .bind(id)
                .execute(&db.pool)
                .await?
        }
    };
    Ok(())
}

// ---- repair plans ----------------------------------------------------------

#[derive(Debug, Clone)]
pub struct PlanRecord {
    pub id: String,
    pub step: i64,
    pub answers: super::repair::RepairAnswers,
    pub finished_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

fn plan_from_row(r: &AnyRow) -> Result<PlanRecord, sqlx::Error> {
    let answers: String = r.try_get("answers")?;
    Ok(PlanRecord {
        id: r.try_get("id")?,
        step: r.try_get("step")?,
        answers: serde_json::from_str(&answers).map_err(json_err)?,
        finished_at: r.try_get("finished_at")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

macro_rules! plan_columns {
    () => {
        "id, step, answers, finished_at, created_at, updated_at"
    };
}

pub async fn insert_plan(
    db: &Db,
    user_id: &str,
    step: i64,
    answers: &super::repair::RepairAnswers,
    at: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO repair_plans (id, user_id, step, answers, finished_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, NULL, $5, $5)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(step)
    .bind(serde_json::to_string(answers).unwrap_or_default())
    .bind(at)
    .execute(&db.pool)
    .await?;
    Ok(id)
}

pub async fn find_plan(db: &Db, user_id: &str, id: &str) -> Result<Option<PlanRecord>, sqlx::Error> {
    sqlx::query(concat!("SELECT ", plan_columns!(), " FROM repair_plans WHERE id = $1 AND user_id = $2"))
        .bind(id)
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| plan_from_row(&r))
        .transpose()
}

pub async fn update_plan(
    db: &Db,
    user_id: &str,
    id: &str,
    step: i64,
    answers: &super::repair::RepairAnswers,
    finished_at: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE repair_plans SET step = $1, answers = $2, finished_at = $3, updated_at = $4
         WHERE id = $5 AND user_id = $6",
    )
    .bind(step)
    .bind(serde_json::to_string(answers).unwrap_or_default())
    .bind(finished_at)
    .bind(crate::clock::now())
    .bind(id)
    .bind(user_id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_plan(db: &Db, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM repair_plans WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The member's most recently touched unfinished plan, if any.
pub async fn unfinished_plan(db: &Db, user_id: &str) -> Result<Option<PlanRecord>, sqlx::Error> {
    sqlx::query(concat!(
        "SELECT ",
        plan_columns!(),
        " FROM repair_plans WHERE user_id = $1 AND finished_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT 1"
    ))
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?
    .map(|r| plan_from_row(&r))
    .transpose()
}

/// The member's plans: unfinished first, then most recently touched.
pub async fn list_plans(db: &Db, user_id: &str) -> Result<Vec<PlanRecord>, sqlx::Error> {
    sqlx::query(concat!(
        "SELECT ",
        plan_columns!(),
        " FROM repair_plans WHERE user_id = $1
         ORDER BY CASE WHEN finished_at IS NULL THEN 0 ELSE 1 END, updated_at DESC, id DESC"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(plan_from_row)
    .collect()
}

// ---- negative-cycle maps ---------------------------------------------------

#[derive(Debug, Clone)]
pub struct MapRecord {
    pub id: String,
    pub title: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub versions: i64,
    /// The latest version's links.
    pub latest: super::cycle::CycleFields,
}

#[derive(Debug, Clone)]
pub struct MapVersion {
    pub number: i64,
    pub fields: super::cycle::CycleFields,
    pub created_at: i64,
}

pub async fn insert_map(
    db: &Db,
    user_id: &str,
    title: &str,
    fields: &super::cycle::CycleFields,
    at: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let mut tx = db.pool.begin().await?;
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
    .bind(serde_json::to_string(fields).unwrap_or_default())
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
    fields: &super::cycle::CycleFields,
) -> Result<bool, sqlx::Error> {
    let now = crate::clock::now();
    let mut tx = db.pool.begin().await?;
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
    .bind(serde_json::to_string(fields).unwrap_or_default())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn rename_map(db: &Db, user_id: &str, id: &str, title: &str) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE cycle_maps SET title = $1, updated_at = $2 WHERE id = $3 AND user_id = $4")
            .bind(title)
            .bind(crate::clock::now())
            .bind(id)
            .bind(user_id)
            .execute(&db.pool)
            .await?;
    Ok(done.rows_affected() == 1)
}

macro_rules! map_columns {
    () => {
        "m.id, m.title, m.created_at, m.updated_at,
         (SELECT COUNT(*) FROM cycle_map_versions v WHERE v.map_id = m.id AND v.user_id = m.user_id) AS versions,
         (SELECT v.fields FROM cycle_map_versions v WHERE v.map_id = m.id AND v.user_id = m.user_id
          ORDER BY v.number DESC LIMIT 1) AS latest"
    };
}

fn map_from_row(r: &AnyRow) -> Result<MapRecord, sqlx::Error> {
    Ok(MapRecord {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        versions: r.try_get("versions")?,
        latest: serde_json::from_str(&r.try_get::<String, _>("latest")?).map_err(json_err)?,
    })
}

pub async fn find_map(db: &Db, user_id: &str, id: &str) -> Result<Option<MapRecord>, sqlx::Error> {
    sqlx::query(concat!("SELECT ", map_columns!(), " FROM cycle_maps m WHERE m.id = $1 AND m.user_id = $2"))
        .bind(id)
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| map_from_row(&r))
        .transpose()
}

pub async fn list_maps(db: &Db, user_id: &str) -> Result<Vec<MapRecord>, sqlx::Error> {
    sqlx::query(concat!(
        "SELECT ",
        map_columns!(),
        " FROM cycle_maps m WHERE m.user_id = $1 ORDER BY m.updated_at DESC, m.id DESC"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(map_from_row)
    .collect()
}

/// Every version of the member's map, oldest first.
pub async fn map_versions(db: &Db, user_id: &str, id: &str) -> Result<Vec<MapVersion>, sqlx::Error> {
    sqlx::query(
        "SELECT number, fields, created_at FROM cycle_map_versions WHERE map_id = $1 AND user_id = $2 ORDER BY number",
    )
    .bind(id)
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        let fields: String = r.try_get("fields")?;
        Ok(MapVersion {
            number: r.try_get("number")?,
            fields: serde_json::from_str(&fields).map_err(json_err)?,
            created_at: r.try_get("created_at")?,
        })
    })
    .collect()
}

/// Every version of every map of the member, by map then number (export).
pub async fn all_map_versions(db: &Db, user_id: &str) -> Result<Vec<(String, MapVersion)>, sqlx::Error> {
    sqlx::query("SELECT map_id, number, fields, created_at FROM cycle_map_versions WHERE user_id = $1 ORDER BY map_id, number")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            let fields: String = r.try_get("fields")?;
            Ok((
                r.try_get("map_id")?,
                MapVersion {
                    number: r.try_get("number")?,
                    fields: serde_json::from_str(&fields).map_err(json_err)?,
                    created_at: r.try_get("created_at")?,
                },
            ))
        })
        .collect()
}

pub async fn delete_map(db: &Db, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    sqlx::query("DELETE FROM cycle_map_versions WHERE map_id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let done = sqlx::query("DELETE FROM cycle_maps WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

// ---- moments of return -----------------------------------------------------

#[derive(Debug, Clone)]
pub struct ReturnRecord {
    pub id: String,
    pub day: String,
    pub text: String,
    pub created_at: i64,
}

fn return_from_row(r: &AnyRow) -> Result<ReturnRecord, sqlx::Error> {
    Ok(ReturnRecord {
        id: r.try_get("id")?,
        day: r.try_get("day")?,
        text: r.try_get("text")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn insert_return(
    db: &Db,
    user_id: &str,
    day: &str,
    text: &str,
    at: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO moments_of_return (id, user_id, day, text, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(day)
    .bind(text)
    .bind(at)
    .execute(&db.pool)
    .await?;
    Ok(id)
}

pub async fn find_return(db: &Db, user_id: &str, id: &str) -> Result<Option<ReturnRecord>, sqlx::Error> {
    sqlx::query("SELECT id, day, text, created_at FROM moments_of_return WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| return_from_row(&r))
        .transpose()
}

pub async fn update_return(
    db: &Db,
    user_id: &str,
    id: &str,
    day: &str,
    text: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE moments_of_return SET day = $1, text = $2, updated_at = $3 WHERE id = $4 AND user_id = $5",
    )
    .bind(day)
    .bind(text)
    .bind(crate::clock::now())
    .bind(id)
    .bind(user_id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_return(db: &Db, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM moments_of_return WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The member's moments, newest first.
pub async fn list_returns(db: &Db, user_id: &str, limit: i64) -> Result<Vec<ReturnRecord>, sqlx::Error> {
    sqlx::query(
        "SELECT id, day, text, created_at FROM moments_of_return WHERE user_id = $1
         ORDER BY day DESC, created_at DESC, id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(return_from_row)
    .collect()
}

pub async fn count_returns(db: &Db, user_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM moments_of_return WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await
}

/// How many moments per month from a day on: ("YYYY-MM", count), oldest first.
pub async fn returns_per_month(
    db: &Db,
    user_id: &str,
    from: &str,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query(
        "SELECT SUBSTR(day, 1, 7) AS month, COUNT(*) AS n FROM moments_of_return
         WHERE user_id = $1 AND day >= $2 GROUP BY SUBSTR(day, 1, 7) ORDER BY month",
    )
    .bind(user_id)
    .bind(from)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
    .collect()
}

/// Everything a member holds here, deleted with their account.
pub const DELETE_MEMBER_DATA: &[&str] = &[
    "DELETE FROM journal_drafts WHERE user_id = $1",
    "DELETE FROM journal_entries WHERE user_id = $1",
    "DELETE FROM affirmation_marks WHERE user_id = $1",
    "DELETE FROM own_affirmations WHERE user_id = $1",
    "DELETE FROM repair_plans WHERE user_id = $1",
    "DELETE FROM cycle_map_versions WHERE user_id = $1",
    "DELETE FROM cycle_maps WHERE user_id = $1",
    "DELETE FROM moments_of_return WHERE user_id = $1",
    // Prompts belong to the instance; they stay, without their author.
    "UPDATE journal_prompts SET created_by = NULL WHERE created_by = $1",
];
