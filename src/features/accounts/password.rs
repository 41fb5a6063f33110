//! The password policy (pure). Hashing, and its cap, is `crate::passwords`.

use std::collections::HashSet;
use std::sync::OnceLock;

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
}
