//! Reveal answers' SQL: read only through the reader's own `partner_links` row.

use crate::db::Db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AnswerRow {
    pub question_id: String,
    pub author_id: String,
    pub answer: String,
    pub skipped: i64,
}

/// Both partners' answers within the member's current link.
pub async fn in_link_of(db: &Db, member_id: &str) -> Result<Vec<AnswerRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT ra.question_id, ra.author_id, ra.answer, ra.skipped FROM reveal_answers ra
         JOIN partner_links pl ON pl.link_id = ra.link_id AND pl.member_id = $1",
    )
    .bind(member_id)
    .fetch_all(&db.pool)
    .await
}

pub struct NewAnswer<'a> {
    pub link_id: &'a str,
    pub question_id: &'a str,
    pub author_id: &'a str,
    pub answer: &'a str,
    pub skipped: bool,
    pub now: i64,
}

/// Record an answer; false when the member has answered this question already.
pub async fn insert(conn: &mut sqlx::AnyConnection, a: NewAnswer<'_>) -> Result<bool, sqlx::Error> {
    let exists: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM reveal_answers WHERE link_id = $1 AND question_id = $2 AND author_id = $3",
    )
    .bind(a.link_id)
    .bind(a.question_id)
    .bind(a.author_id)
    .fetch_optional(&mut *conn)
    .await?;
    if exists.is_some() {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO reveal_answers (link_id, question_id, author_id, answer, skipped, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(a.link_id)
    .bind(a.question_id)
    .bind(a.author_id)
    .bind(a.answer)
    .bind(i64::from(a.skipped))
    .bind(a.now)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// The member's own answers in any link, for the export.
pub async fn authored(db: &Db, member_id: &str) -> Result<Vec<(String, String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT question_id, answer, skipped, created_at FROM reveal_answers WHERE author_id = $1 ORDER BY created_at",
    )
    .bind(member_id)
    .fetch_all(&db.pool)
    .await
}
