//! The member home in one query. The home shows a little of several features
//! (an unfinished repair plan, a draft, whether today's check-in is done, a
//! prompt not yet written to, the latest moments of return, the get-started
//! plan); asking each feature's store would cost seven round trips on the
//! busiest page a member opens. This reads those rows, each by an index, in
//! one statement, and `next` makes the suggestions from them. Read only: each
//! table still belongs to its feature, which writes it.

use crate::db::{BindAll, Db};

/// One row of the answer; `part` says what it is, and the columns mean:
///
/// | part | a | b | t | n |
/// |---|---|---|---|---|
/// | `start` | the get-started answers | | | |
/// | `plan` | plan id | its answers (JSON) | | step |
/// | `draft` | draft key | title | body | |
/// | `checked-in` | | | | |
/// | `prompt` | a prompt id never written to | | | its place in the list |
/// | `return` | day | sentence | | created at |
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HomeRow {
    pub part: String,
    pub a: String,
    pub b: String,
    pub t: String,
    pub n: i64,
}

/// Everything the member home shows, for `today` (the member's own date) and
/// the prompts it may suggest, in order.
pub async fn member_home(
    db: &Db,
    user_id: &str,
    today: &str,
    prompt_ids: &[&str],
    returns: i64,
) -> Result<Vec<HomeRow>, sqlx::Error> {
    let prompt_part = if prompt_ids.is_empty() {
        String::new()
    } else {
        // Numbered placeholders only; every value is bound.
        let candidates = (0..prompt_ids.len())
            .map(|i| format!("SELECT CAST(${} AS TEXT) AS p, {i} AS o", i + 4))
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        format!(
            " UNION ALL SELECT * FROM (SELECT 'prompt' AS part, cand.p AS a, '' AS b, '' AS t, cand.o AS n
               FROM ({candidates}) cand
               WHERE NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.user_id = $1 AND e.prompt_id = cand.p)
               ORDER BY cand.o LIMIT 1) unused_prompt"
        )
    };
    let sql = format!(
        "SELECT 'start' AS part, answers AS a, '' AS b, '' AS t, 0 AS n FROM start_answers WHERE user_id = $1
         UNION ALL SELECT * FROM (SELECT 'plan' AS part, id AS a, answers AS b, '' AS t, step AS n FROM repair_plans
             WHERE user_id = $1 AND finished_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT 1) plan
         UNION ALL SELECT * FROM (SELECT 'draft' AS part, draft_key AS a, title AS b, body AS t, 0 AS n
             FROM journal_drafts WHERE user_id = $1 AND body <> '' ORDER BY updated_at DESC LIMIT 5) draft
         UNION ALL SELECT 'checked-in' AS part, '' AS a, '' AS b, '' AS t, 0 AS n
             WHERE EXISTS (SELECT 1 FROM checkins WHERE user_id = $1 AND kind = 'today' AND day = $2)
         UNION ALL SELECT * FROM (SELECT 'return' AS part, day AS a, text AS b, '' AS t, created_at AS n
             FROM moments_of_return WHERE user_id = $1 ORDER BY day DESC, created_at DESC, id DESC LIMIT $3) ret
         {prompt_part}"
    );
    let rows: Vec<HomeRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .bind(today)
        .bind(returns)
        .bind_all(prompt_ids)
        .fetch_all(db.reads())
        .await?;
    const PARTS: [&str; 6] = ["start", "plan", "draft", "checked-in", "prompt", "return"];
    if let Some(row) = rows.iter().find(|r| !PARTS.contains(&r.part.as_str())) {
        return Err(sqlx::Error::Decode(format!("a member home row of unknown part {:?}", row.part).into()));
    }
    Ok(rows)
}
