//! What the journal list shows beside the entries, in one statement: the
//! coach's prompts, which prompts the member has written to, and the member's
//! drafts of new entries. Three statements cost three crossings to the
//! database on every list page (on SQLite, three hops to its thread); this
//! reads the same rows, each by an index, at once.

use super::prompt_store::PromptRecord;
use super::store::DraftRecord;
use crate::db::{BindAll, Db};

/// The journal list's surroundings.
#[derive(Debug, Default)]
pub struct ListSurroundings {
    /// Every prompt a coach added, retired ones included.
    pub instance_prompts: Vec<PromptRecord>,
    /// Of the built-in ids asked about and the coach's prompts, those the
    /// member has an entry for: one index lookup per prompt, so the cost does
    /// not grow with the journal.
    pub used_prompt_ids: Vec<String>,
    /// Drafts of new entries, most recently touched first.
    pub new_drafts: Vec<DraftRecord>,
}

/// One row of the answer; `part` says what it is, and the columns mean:
///
/// | part | a | b | c | d | n | m |
/// |---|---|---|---|---|---|---|
/// | `prompt` | id | text | | | created at | retired at |
/// | `used` | prompt id | | | | | |
/// | `draft` | draft key | prompt id | title | body | base version | updated at |
#[derive(Debug, sqlx::FromRow)]
struct SurroundingRow {
    part: String,
    a: String,
    b: String,
    c: String,
    d: String,
    n: i64,
    m: Option<i64>,
}

/// The surroundings of `user_id`'s journal list; `builtin_prompt_ids` are the
/// built-in prompts to ask "written to?" about (the coach's are asked about
/// from their table).
pub async fn list_surroundings(
    db: &Db,
    user_id: &str,
    builtin_prompt_ids: &[&str],
) -> Result<ListSurroundings, sqlx::Error> {
    // Numbered placeholders only; every value is bound.
    let builtin = (2..2 + builtin_prompt_ids.len())
        .map(|i| format!(" UNION ALL SELECT CAST(${i} AS TEXT) AS p"))
        .collect::<String>();
    let sql = format!(
        "SELECT 'prompt' AS part, id AS a, text AS b, '' AS c, '' AS d, created_at AS n, retired_at AS m
             FROM journal_prompts
         UNION ALL SELECT 'used', cand.p, '', '', '', 0, CAST(NULL AS BIGINT)
             FROM (SELECT id AS p FROM journal_prompts{builtin}) cand
             WHERE EXISTS (SELECT 1 FROM journal_entries e WHERE e.user_id = $1 AND e.prompt_id = cand.p)
         UNION ALL SELECT * FROM (SELECT 'draft' AS part, draft_key, prompt_id, title, body, base_version, updated_at
             FROM journal_drafts WHERE user_id = $1 AND {new_draft}
             ORDER BY updated_at DESC, draft_key LIMIT 100) draft",
        new_draft = super::store::IS_NEW_ENTRY_DRAFT,
    );
    let rows: Vec<SurroundingRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .bind_all(builtin_prompt_ids)
        .fetch_all(&db.pool)
        .await?;
    let mut out = ListSurroundings::default();
    for row in rows {
        match row.part.as_str() {
            "prompt" => out.instance_prompts.push(PromptRecord {
                id: row.a,
                text: row.b,
                created_at: row.n,
                retired_at: row.m,
            }),
            "used" => out.used_prompt_ids.push(row.a),
            _ => out.new_drafts.push(DraftRecord {
                key: row.a,
                prompt_id: row.b,
                title: row.c,
                body: row.d,
                base_version: row.n,
                updated_at: row.m.unwrap_or_default(),
            }),
        }
    }
    // A union promises no order between its parts; each part keeps its own.
    out.instance_prompts.sort_by(|x, y| (x.created_at, &x.id).cmp(&(y.created_at, &y.id)));
    out.new_drafts.sort_by(|x, y| y.updated_at.cmp(&x.updated_at).then_with(|| x.key.cmp(&y.key)));
    Ok(out)
}
