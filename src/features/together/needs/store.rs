//! Named needs' SQL: read only through the reader's own `partner_links` row.

use crate::db::{Db, new_id};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NeedRow {
    pub id: String,
    pub author_id: String,
    pub need: String,
    pub own_words: String,
    pub message: String,
    pub created_at: i64,
    pub answer_kind: Option<String>,
    pub talk_at: Option<i64>,
    pub answer_text: Option<String>,
}

pub struct NewNeed<'a> {
    pub link_id: &'a str,
    pub author_id: &'a str,
    pub need: &'a str,
    pub own_words: &'a str,
    pub message: &'a str,
    pub now: i64,
}

pub async fn insert<'c, E>(executor: E, n: NewNeed<'_>) -> Result<String, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let id = new_id();
    sqlx::query(
        "INSERT INTO named_needs (id, link_id, author_id, need, own_words, message, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(n.link_id)
    .bind(n.author_id)
    .bind(n.need)
    .bind(n.own_words)
    .bind(n.message)
    .bind(n.now)
    .execute(executor)
    .await?;
    Ok(id)
}

/// The needs named within the member's current link, by either, newest first.
pub async fn in_link_of(db: &Db, member_id: &str) -> Result<Vec<NeedRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.id, n.author_id, n.need, n.own_words, n.message, n.created_at,
                a.kind AS answer_kind, a.talk_at, a.text AS answer_text
         FROM named_needs n
         JOIN partner_links pl ON pl.link_id = n.link_id AND pl.member_id = $1
         LEFT JOIN need_answers a ON a.need_id = n.id
         ORDER BY n.created_at DESC, n.id DESC LIMIT 200",
    )
    .bind(member_id)
    .fetch_all(&db.pool)
    .await
}

/// A need the member's partner named, still unanswered: its author.
pub async fn answerable<'c, E>(
    executor: E,
    member_id: &str,
    need_id: &str,
) -> Result<Option<String>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_scalar(
        "SELECT n.author_id FROM named_needs n
         JOIN partner_links pl ON pl.link_id = n.link_id AND pl.member_id = $1 AND pl.partner_id = n.author_id
         WHERE n.id = $2 AND NOT EXISTS (SELECT 1 FROM need_answers a WHERE a.need_id = n.id)",
    )
    .bind(member_id)
    .bind(need_id)
    .fetch_optional(executor)
    .await
}

pub async fn insert_answer<'c, E>(
    executor: E,
    need_id: &str,
    author_id: &str,
    kind: &str,
    talk_at: Option<i64>,
    text: &str,
    now: i64,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO need_answers (id, need_id, author_id, kind, talk_at, text, created_at)
         VALUES ($7, $1, $2, $3, $4, $5, $6)",
    )
    .bind(need_id)
    .bind(author_id)
    .bind(kind)
    .bind(talk_at)
    .bind(text)
    .bind(now)
    .bind(new_id())
    .execute(executor)
    .await?;
    Ok(())
}

/// For the export: the needs the member named, and the answers they gave.
pub type AuthoredNeed = (String, String, String, i64);
pub type AuthoredAnswer = (String, Option<i64>, String, i64);

pub async fn authored(
    db: &Db,
    member_id: &str,
) -> Result<(Vec<AuthoredNeed>, Vec<AuthoredAnswer>), sqlx::Error> {
    let needs = sqlx::query_as(
        "SELECT need, own_words, message, created_at FROM named_needs WHERE author_id = $1 ORDER BY created_at",
    )
    .bind(member_id)
    .fetch_all(&db.pool)
    .await?;
    let answers = sqlx::query_as(
        "SELECT kind, talk_at, text, created_at FROM need_answers WHERE author_id = $1 ORDER BY created_at",
    )
    .bind(member_id)
    .fetch_all(&db.pool)
    .await?;
    Ok((needs, answers))
}
