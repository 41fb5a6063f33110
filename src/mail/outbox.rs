//! The outbox: mail kept in the database when no mail server is configured,
//! for the operator of a single machine (`securebase mail outbox`) and the
//! tests to read. Nothing here is ever sent.

use super::Message;
use crate::db::{Db, new_id};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeptMail {
    pub id: String,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub created_at: i64,
}

/// Keep a mail, inside the transaction of the job that sends it (so a job
/// that runs again keeps it once).
pub async fn keep(
    conn: &mut sqlx::AnyConnection,
    user_id: Option<&str>,
    message: &Message,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mail_outbox (id, user_id, to_address, subject, text_body, html_body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(user_id)
    .bind(&message.to)
    .bind(&message.subject)
    .bind(&message.text)
    .bind(&message.html)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Kept mail, oldest first; for one address when `to` is given.
pub async fn list(db: &Db, to: Option<&str>) -> Result<Vec<KeptMail>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, to_address, subject, text_body, html_body, created_at FROM mail_outbox
         WHERE ($1 = '' OR to_address = $1) ORDER BY created_at, id",
    )
    .bind(to.unwrap_or(""))
    .fetch_all(&db.pool)
    .await
}

/// Mail older than `before` goes (housekeeping): its links have long expired.
pub async fn forget_before(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM mail_outbox WHERE created_at < $1")
        .bind(before)
        .execute(&db.pool)
        .await?
        .rows_affected())
}
