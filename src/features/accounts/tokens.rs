//! Single-use links sent by mail: a 256-bit random token in the link, only its
//! SHA-256 kept, written by the job that sends the mail (`link_mail`). A token has a purpose and an expiry, and is spent by the one
//! statement that checks it, so two clicks cannot both use it.

use super::sessions::{hash_token, new_token};
use crate::db::Db;

/// What a link is for, and how long it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Choose a new password (30 minutes).
    Reset,
    /// Confirm the address an account was made with (two days).
    Verify,
    /// Confirm a new address (a day).
    ConfirmEmail,
    /// From the old address: undo an email change and end every session (a week).
    CancelEmail,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Reset => "reset",
            Purpose::Verify => "verify",
            Purpose::ConfirmEmail => "confirm-email",
            Purpose::CancelEmail => "cancel-email",
        }
    }

    pub fn lifetime_seconds(self) -> i64 {
        match self {
            Purpose::Reset => 30 * 60,
            Purpose::Verify => 2 * 86_400,
            Purpose::ConfirmEmail => 86_400,
            Purpose::CancelEmail => 7 * 86_400,
        }
    }
}

/// A live token: whose it is, the address it carries (the new address to
/// confirm, the old one to return to, or the one to confirm), and, for a new
/// account's link, the hash of the browser cookie it may sign in.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Token {
    pub user_id: String,
    pub email: String,
    pub browser_hash: Option<String>,
}

/// A token for a link: the text that goes in the link, and its hash, which is
/// all the database ever holds.
pub struct NewToken {
    pub token: String,
    pub hash: String,
}

impl NewToken {
    pub fn make() -> Self {
        let token = new_token();
        NewToken { hash: hash_token(&token), token }
    }
}

/// What a stored token is for, and for whom.
pub struct TokenFor<'a> {
    pub user_id: &'a str,
    pub purpose: Purpose,
    pub email: &'a str,
    pub browser_hash: Option<&'a str>,
}

/// Keep a token's hash (in the transaction of the job that mails the link).
pub async fn store(
    conn: &mut sqlx::AnyConnection,
    token_hash: &str,
    t: TokenFor<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO account_tokens (token_hash, user_id, purpose, email, browser_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(token_hash)
    .bind(t.user_id)
    .bind(t.purpose.as_str())
    .bind(t.email)
    .bind(t.browser_hash)
    .bind(now)
    .bind(now + t.purpose.lifetime_seconds())
    .execute(conn)
    .await?;
    Ok(())
}

/// The token's owner if it is live, without spending it (to show a form).
pub async fn peek(db: &Db, token: &str, purpose: Purpose, now: i64) -> Result<Option<Token>, sqlx::Error> {
    if !looks_like_token(token) {
        return Ok(None);
    }
    sqlx::query_as(
        "SELECT user_id, email, browser_hash FROM account_tokens
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(hash_token(token))
    .bind(purpose.as_str())
    .bind(now)
    .fetch_optional(&db.pool)
    .await
}

/// Spend a live token: at most one caller gets it.
pub async fn spend<'c, E>(
    executor: E,
    token: &str,
    purpose: Purpose,
    now: i64,
) -> Result<Option<Token>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    if !looks_like_token(token) {
        return Ok(None);
    }
    sqlx::query_as(
        "UPDATE account_tokens SET used_at = $1
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1
         RETURNING user_id, email, browser_hash",
    )
    .bind(now)
    .bind(hash_token(token))
    .bind(purpose.as_str())
    .fetch_optional(executor)
    .await
}

/// Spend every live token of these purposes for an account: a newer link
/// replaces older ones, and a password reset or an undone email change ends
/// every other link that could still change the account.
pub async fn spend_all(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    purposes: &[Purpose],
    now: i64,
) -> Result<(), sqlx::Error> {
    for purpose in purposes {
        sqlx::query(
            "UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .bind(purpose.as_str())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Every purpose: what a reset or an undone email change spends.
pub const EVERY_PURPOSE: &[Purpose] =
    &[Purpose::Reset, Purpose::Verify, Purpose::ConfirmEmail, Purpose::CancelEmail];

/// The account that may still take an address back: its live undo link
/// carries the address, so nobody else may sign up with it or move to it
/// until that link is used or runs out.
pub async fn address_held(db: &Db, email: &str, now: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT user_id FROM account_tokens
         WHERE email = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 LIMIT 1",
    )
    .bind(email)
    .bind(Purpose::CancelEmail.as_str())
    .bind(now)
    .fetch_optional(&db.pool)
    .await
}

/// The browser a new account's newest link may sign in (kept when the link is sent again).
pub async fn latest_browser(db: &Db, user_id: &str) -> Result<Option<String>, sqlx::Error> {
    let found: Option<Option<String>> = sqlx::query_scalar(
        "SELECT browser_hash FROM account_tokens WHERE user_id = $1 AND purpose = $2
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(Purpose::Verify.as_str())
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.flatten())
}

/// The new address waiting for confirmation, if an email change is pending.
pub async fn pending_email(db: &Db, user_id: &str, now: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT email FROM account_tokens
         WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(Purpose::ConfirmEmail.as_str())
    .bind(now)
    .fetch_optional(&db.pool)
    .await
}

/// Spent and expired tokens go (housekeeping).
pub async fn forget_old(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM account_tokens WHERE expires_at < $1 OR used_at < $2")
        .bind(now)
        .bind(now - 86_400)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

fn looks_like_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_have_their_lifetimes_and_only_token_shaped_strings_are_looked_up() {
        assert_eq!(Purpose::Reset.lifetime_seconds(), 1800);
        assert!(Purpose::CancelEmail.lifetime_seconds() > Purpose::ConfirmEmail.lifetime_seconds());
        assert!(looks_like_token(&new_token()));
        assert!(!looks_like_token("abc"));
        assert!(!looks_like_token(&"g".repeat(64)));
    }
}
