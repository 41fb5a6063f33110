//! Passwords: the policy (pure) and Argon2id hashing on the blocking pool.

use std::collections::HashSet;
use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 256;

fn common_passwords() -> &'static HashSet<String> {
    static LIST: OnceLock<HashSet<String>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("../../../content/common-passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect()
    })
}

/// Why a new password is refused, in words for the person choosing it.
pub fn check_policy(password: &str, email: &str, display_name: &str) -> Result<(), &'static str> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err("Use at least 12 characters. A short sentence is easy to remember.");
    }
    if len > MAX_LEN {
        return Err("Use at most 256 characters.");
    }
    let lower = password.to_lowercase();
    if common_passwords().contains(&lower) {
        return Err("That password is one of the most common ones; please choose another.");
    }
    let distinct: HashSet<char> = lower.chars().collect();
    if distinct.len() < 4 {
        return Err("That password repeats too few characters; please choose another.");
    }
    let email = email.trim().to_lowercase();
    let local = email.split('@').next().unwrap_or_default();
    if lower == email || (local.len() >= 4 && lower == local) {
        return Err("Please do not use your email address as your password.");
    }
    if !display_name.trim().is_empty() && lower == display_name.trim().to_lowercase() {
        return Err("Please do not use your name as your password.");
    }
    Ok(())
}

/// Hash with Argon2id (the crate's recommended parameters) on the blocking pool.
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    })
    .await?
}

/// Verify on the blocking pool. With no stored hash (unknown email) a dummy hash
/// is verified instead, so both cases take the same time.
pub async fn verify(password: String, stored_hash: Option<String>) -> anyhow::Result<bool> {
    let dummy = dummy_hash().to_owned();
    let matched_user = stored_hash.is_some();
    let ok = tokio::task::spawn_blocking(move || {
        let phc = stored_hash.unwrap_or(dummy);
        match PasswordHash::new(&phc) {
            Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
            Err(_) => false,
        }
    })
    .await?;
    Ok(ok && matched_user)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        Argon2::default()
            .hash_password(b"a password nobody has, used to even out timing")
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_names_each_problem() {
        assert!(check_policy("short", "a@b.c", "A").unwrap_err().contains("12"));
        assert!(check_policy("password1234", "a@b.c", "A").unwrap_err().contains("common"));
        assert!(check_policy("PassWord1234", "a@b.c", "A").unwrap_err().contains("common"));
        assert!(check_policy("abababababab", "a@b.c", "A").unwrap_err().contains("repeats"));
        assert!(check_policy("someone@example.org", "someone@example.org", "A").is_err());
        assert!(check_policy("Robin Marlowe Ash", "r@example.org", "robin marlowe ash").is_err());
        assert!(check_policy(&"x".repeat(300), "a@b.c", "A").unwrap_err().contains("256"));
    }

    #[test]
    fn long_passphrases_are_welcome() {
        assert!(check_policy("tea by the window at dawn", "a@b.c", "A").is_ok());
        let long: String = "correct tide lantern meadow ".repeat(5);
        assert!(long.len() >= 128);
        assert!(check_policy(&long, "a@b.c", "A").is_ok());
    }

    #[tokio::test]
    async fn hash_and_verify() {
        let h = hash("tea by the window at dawn".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("tea by the window at dawn".into(), Some(h.clone())).await.unwrap());
        assert!(!verify("tea by the window at dusk".into(), Some(h)).await.unwrap());
        assert!(!verify("anything at all here".into(), None).await.unwrap());
    }
}
