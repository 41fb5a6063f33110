//! The admin pages' own SQL: everyone with an account, with when they were
//! last active, and disabling an account.

use crate::db::Db;
use crate::web::Role;

/// How many people one page of the People list shows at most.
pub const MAX_LISTED: i64 = 500;

#[derive(Debug, sqlx::FromRow)]
pub struct PersonRow {
    pub id: String,
    pub email: String,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
    /// The later of the last sign-in and the last request of any session.
    pub last_active_at: Option<i64>,
}

/// `LIKE` text matching `term` anywhere, with `%`, `_` and `\` taken literally.
pub fn contains_pattern(term: &str) -> String {
    let mut pattern = String::with_capacity(term.len() + 2);
    pattern.push('%');
    for c in term.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Everyone, oldest account first; with `search`, those whose name or
/// address contains it. At most `MAX_LISTED + 1`, so the caller can tell
/// when there are more. (On SQLite, `LOWER` folds ASCII letters only.)
pub async fn list_people(db: &Db, search: &str) -> Result<Vec<PersonRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.email, u.display_name, u.role, u.created_at, u.disabled_at,
                CASE WHEN s.last_seen_at IS NULL THEN u.last_sign_in_at
                     WHEN u.last_sign_in_at IS NULL OR s.last_seen_at > u.last_sign_in_at THEN s.last_seen_at
                     ELSE u.last_sign_in_at END AS last_active_at
         FROM users u
         LEFT JOIN (SELECT user_id, MAX(last_seen_at) AS last_seen_at FROM sessions GROUP BY user_id) s
           ON s.user_id = u.id
         WHERE $1 = '%%' OR LOWER(u.email) LIKE $1 ESCAPE '\\' OR LOWER(u.display_name) LIKE $1 ESCAPE '\\'
         ORDER BY u.created_at, u.id
         LIMIT $2",
    )
    .bind(contains_pattern(search))
    .bind(MAX_LISTED + 1)
    .fetch_all(&db.pool)
    .await
}

/// What disabling or enabling an account came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Disabling {
    Done,
    NoSuchAccount,
    /// Admins are never disabled: they are made a member or coach first.
    IsAdmin,
}

/// Disable (and end every session of) an account that is not an admin's, or
/// enable any account, in one transaction.
pub async fn set_disabled(db: &Db, id: &str, disabled: bool, now: i64) -> Result<Disabling, sqlx::Error> {
    let mut tx = db.begin().await?;
    // Enabling is always allowed; disabling never reaches an admin.
    let sql = if disabled {
        "UPDATE users SET disabled_at = $1 WHERE id = $2 AND role <> 'admin'"
    } else {
        "UPDATE users SET disabled_at = $1 WHERE id = $2"
    };
    let changed =
        sqlx::query(sql).bind(disabled.then_some(now)).bind(id).execute(&mut *tx).await?.rows_affected();
    if changed == 0 {
        let exists: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        tx.rollback().await?;
        return Ok(if exists.is_some() { Disabling::IsAdmin } else { Disabling::NoSuchAccount });
    }
    if disabled {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(Disabling::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_is_matched_literally() {
        assert_eq!(contains_pattern("  Sam "), "%sam%");
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
        assert_eq!(contains_pattern(""), "%%", "nothing typed lists everyone");
    }
}
