//! The journal list in one statement: a page of the member's entries, and
//! what the list shows beside them (the coach's prompts, which prompts the
//! member has written to, their drafts of new entries). Four statements cost
//! four crossings to the database on every list page (on SQLite, four hops to
//! its thread); this reads the same rows, each by an index, at once.

use super::paging::Cursor;
use super::prompt_store::PromptRecord;
use super::store::{self, DraftRecord, EntrySummary};
use crate::db::{BindAll, Db};

/// What the journal list shows beside the entries.
#[derive(Debug, Default)]
pub struct ListSurroundings {
    /// Every prompt a coach added, retired ones included, oldest first.
    pub instance_prompts: Vec<PromptRecord>,
    /// Of the built-in ids asked about and the coach's prompts, those the
    /// member has an entry for: one index lookup per prompt, so the cost does
    /// not grow with the journal.
    pub used_prompt_ids: Vec<String>,
    /// Drafts of new entries, most recently touched first.
    pub new_drafts: Vec<DraftRecord>,
}

/// One page of the journal list as asked for.
pub struct ListQuery<'a> {
    pub user_id: &'a str,
    /// The built-in prompts to ask "written to?" about (the coach's are asked
    /// about from their table).
    pub builtin_prompt_ids: &'a [&'a str],
    /// Only entries written to this prompt.
    pub prompt: Option<&'a str>,
    pub cursor: &'a Cursor,
    /// How many entries at most.
    pub limit: i64,
}

/// One row of the answer; `part` says what it is, and the columns mean:
///
/// | part | a | b | c | d | e | n | m |
/// |---|---|---|---|---|---|---|---|
/// | `entry` | id | prompt id | prompt's words | title | opening | created at | updated at |
/// | `prompt` | id | text | | | | created at | retired at |
/// | `used` | prompt id | | | | | | |
/// | `draft` | draft key | prompt id | title | body | | base version | updated at |
#[derive(Debug, sqlx::FromRow)]
struct ListRow {
    part: String,
    a: String,
    b: String,
    c: String,
    d: String,
    e: String,
    n: i64,
    m: Option<i64>,
}

/// The page of entries (in the cursor's direction, as `store::list_entries`
/// gives them) and the list's surroundings.
pub async fn list_with_surroundings(
    db: &Db,
    q: &ListQuery<'_>,
) -> Result<(Vec<EntrySummary>, ListSurroundings), sqlx::Error> {
    // Numbered placeholders only; every value is bound. "Written to" is a
    // subquery per prompt, one index look-up each: as `EXISTS`, PostgreSQL's
    // generic plan hashed all of the member's entries instead (10 000 of
    // them: 500 pages a second instead of thousands).
    let builtin = (6..6 + q.builtin_prompt_ids.len())
        .map(|i| format!(" UNION ALL SELECT CAST(${i} AS TEXT) AS p"))
        .collect::<String>();
    let sql = format!(
        "SELECT 'entry' AS part, id AS a, prompt_id AS b, prompt_text AS c, title AS d, opening AS e,
                created_at AS n, updated_at AS m FROM ({page}) page
         UNION ALL SELECT 'prompt', id, text, '', '', '', created_at, retired_at FROM journal_prompts
         UNION ALL SELECT 'used', cand.p, '', '', '', '', 0, CAST(NULL AS BIGINT)
             FROM (SELECT id AS p FROM journal_prompts{builtin}) cand
             WHERE (SELECT 1 FROM journal_entries e WHERE e.user_id = $1 AND e.prompt_id = cand.p LIMIT 1) IS NOT NULL
         UNION ALL SELECT * FROM (SELECT 'draft' AS part, draft_key, prompt_id, title, body, '', base_version,
                 updated_at
             FROM journal_drafts WHERE user_id = $1 AND {new_draft}
             ORDER BY updated_at DESC, draft_key LIMIT 100) draft",
        page = store::entries_page_sql(q.prompt.is_some(), q.cursor),
        new_draft = store::IS_NEW_ENTRY_DRAFT,
    );
    let at = q.cursor.position();
    let rows: Vec<ListRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(q.user_id)
        .bind(q.prompt.unwrap_or(""))
        .bind(at.map_or(0, |p| p.created_at))
        .bind(at.map_or("", |p| p.id.as_str()))
        .bind(q.limit)
        .bind_all(q.builtin_prompt_ids)
        .fetch_all(db.reads())
        .await?;
    let mut entries = Vec::new();
    let mut out = ListSurroundings::default();
    for row in rows {
        match row.part.as_str() {
            "entry" => entries.push(EntrySummary {
                id: row.a,
                prompt_id: row.b,
                prompt_text: row.c,
                title: row.d,
                opening: row.e,
                created_at: row.n,
                updated_at: row.m.unwrap_or_default(),
            }),
            "prompt" => out.instance_prompts.push(PromptRecord {
                id: row.a,
                text: row.b,
                created_at: row.n,
                retired_at: row.m,
            }),
            "used" => out.used_prompt_ids.push(row.a),
            "draft" => out.new_drafts.push(DraftRecord {
                key: row.a,
                prompt_id: row.b,
                title: row.c,
                body: row.d,
                base_version: row.n,
                updated_at: row.m.unwrap_or_default(),
            }),
            other => {
                return Err(sqlx::Error::Decode(
                    format!("a journal list row of unknown part {other:?}").into(),
                ));
            }
        }
    }
    // A union promises no order between its parts nor within them.
    entries.sort_by(|x, y| (x.created_at, &x.id).cmp(&(y.created_at, &y.id)));
    if !q.cursor.reads_upward() {
        entries.reverse();
    }
    out.instance_prompts.sort_by(|x, y| (x.created_at, &x.id).cmp(&(y.created_at, &y.id)));
    out.new_drafts.sort_by(|x, y| y.updated_at.cmp(&x.updated_at).then_with(|| x.key.cmp(&y.key)));
    Ok((entries, out))
}
