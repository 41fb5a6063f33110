//! All SQL for accounts (here), sessions (`sessions.rs`) and sign-in
//! throttling (`attempts.rs`). Every query that reads a member's data names
//! the member in its WHERE clause.

mod attempts;
mod sessions;

pub use attempts::*;
pub use sessions::*;

use crate::db::{Db, new_id};
use crate::web::Role;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRecord {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub time_zone: String,
    pub created_at: i64,
    /// When the address was confirmed (None: not yet).
    pub email_verified_at: Option<i64>,
    /// Whether a new notice also sends a mail (1) or not (0).
    pub notice_mail: i64,
    /// The last sign-in (None: never signed in yet).
    pub last_sign_in_at: Option<i64>,
    /// When an admin disabled the account (None: it may sign in).
    pub disabled_at: Option<i64>,
}

/// The user columns every user query selects (a macro so queries stay `&'static str`).
macro_rules! user_columns {
    () => {
        "id, email, display_name, password_hash, role, time_zone, created_at, email_verified_at, notice_mail,
         last_sign_in_at, disabled_at"
    };
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub time_zone: &'a str,
    pub verified_at: Option<i64>,
}

/// A new account; an address already in use is a unique violation (see `OnUnique`).
pub async fn insert_user(db: &Db, new: NewUser<'_>) -> Result<UserRecord, sqlx::Error> {
    let id = new_id();
    let now = crate::clock::now();
    sqlx::query_as(concat!(
        "INSERT INTO users (id, email, display_name, password_hash, role, time_zone, created_at, updated_at,
                            email_verified_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING ",
        user_columns!()
    ))
    .bind(&id)
    .bind(new.email)
    .bind(new.display_name)
    .bind(new.password_hash)
    .bind(new.role.as_str())
    .bind(new.time_zone)
    .bind(now)
    .bind(new.verified_at)
    .fetch_one(&db.pool)
    .await
}

/// The address is confirmed (once; a later confirmation keeps the first time).
pub async fn mark_verified<'c, E>(executor: E, user_id: &str, now: i64) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query("UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2")
        .bind(now)
        .bind(user_id)
        .execute(executor)
        .await?;
    Ok(())
}

/// Confirm `email` for the account if it is still the account's address; false otherwise.
pub async fn mark_verified_for(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    email: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2 AND email = $3",
    )
    .bind(now)
    .bind(user_id)
    .bind(email)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The account signed in just now.
pub async fn mark_signed_in(db: &Db, user_id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET last_sign_in_at = $1 WHERE id = $2")
        .bind(now)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// When an account was made, set back in time (demo people joined months ago).
pub async fn backdate(db: &Db, user_id: &str, created_at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET created_at = $1 WHERE id = $2")
        .bind(created_at)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Whether a new notice also sends a mail.
pub async fn set_notice_mail(db: &Db, user_id: &str, on: bool) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET notice_mail = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(on))
        .bind(crate::clock::now())
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn find_user_by_email(db: &Db, email: &str) -> Result<Option<UserRecord>, sqlx::Error> {
    sqlx::query_as(concat!("SELECT ", user_columns!(), " FROM users WHERE email = $1"))
        .bind(email)
        .fetch_optional(&db.pool)
        .await
}

pub async fn find_user(db: &Db, user_id: &str) -> Result<Option<UserRecord>, sqlx::Error> {
    sqlx::query_as(concat!("SELECT ", user_columns!(), " FROM users WHERE id = $1"))
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await
}

pub async fn update_profile(
    db: &Db,
    user_id: &str,
    display_name: &str,
    time_zone: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET display_name = $1, time_zone = $2, updated_at = $3 WHERE id = $4")
        .bind(display_name)
        .bind(time_zone)
        .bind(crate::clock::now())
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Change the address unless another account uses it (false then). Written
/// so it never raises a unique violation, which on PostgreSQL would abort the
/// transaction it is part of.
pub async fn update_email<'c, E>(executor: E, user_id: &str, email: &str) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let done = sqlx::query(
        "UPDATE users SET email = $1, updated_at = $2
         WHERE id = $3 AND NOT EXISTS (SELECT 1 FROM users o WHERE o.email = $1 AND o.id <> $3)",
    )
    .bind(email)
    .bind(crate::clock::now())
    .bind(user_id)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn update_password<'c, E>(
    executor: E,
    user_id: &str,
    password_hash: &str,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(crate::clock::now())
        .bind(user_id)
        .execute(executor)
        .await?;
    Ok(())
}

pub async fn set_role(db: &Db, user_id: &str, role: Role) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
        .bind(role.as_str())
        .bind(crate::clock::now())
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn count_admins(db: &Db) -> Result<i64, sqlx::Error> {
    // A disabled admin cannot sign in, so does not count.
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL")
        .fetch_one(&db.pool)
        .await
}
