//! The arithmetic of access: expiries, extensions and codes.

use crate::web::FieldErrors;

const DAY: i64 = 86_400;

/// A code's grant on top of what the member already has: an open-ended
/// membership stays open-ended, and days are added after a current expiry,
/// never cut short.
pub fn expiry_after_code(current: Option<Option<i64>>, grant_days: Option<i64>, now: i64) -> Option<i64> {
    match (current, grant_days) {
        (Some(None), _) | (_, None) => None,
        (Some(Some(until)), Some(days)) => Some(until.max(now) + days * DAY),
        (None, Some(days)) => Some(now + days * DAY),
    }
}

/// Extending by `days`: from the current expiry when it is still ahead, else from now.
pub fn extended(expires_at: Option<i64>, days: i64, now: i64) -> Option<i64> {
    expires_at.map(|until| until.max(now) + days * DAY)
}

/// A new invite code: 12 letters and digits without look-alikes, in three groups.
pub fn new_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).expect("the system has randomness");
    let letters: String = bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
    format!("{}-{}-{}", &letters[0..4], &letters[4..8], &letters[8..12])
}

/// A code as typed: upper case, spaces and dashes dropped, then grouped again.
pub fn normalise_code(typed: &str) -> String {
    let plain: String = typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .take(40)
        .collect();
    if plain.len() == 12 { format!("{}-{}-{}", &plain[0..4], &plain[4..8], &plain[8..12]) } else { plain }
}

/// A whole number of days from a form field; empty is `None`.
pub fn days_field(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    max: i64,
    empty_ok: bool,
) -> Option<i64> {
    let value = value.trim();
    if value.is_empty() {
        if !empty_ok {
            errors.add(field, "Give a number of days.");
        }
        return None;
    }
    match value.parse::<i64>() {
        Ok(n) if (1..=max).contains(&n) => Some(n),
        _ => {
            errors.add(field, format!("Give a whole number of days from 1 to {max}."));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_add_days_after_a_current_expiry_and_never_shorten_open_access() {
        let now = 1_000_000;
        assert_eq!(expiry_after_code(None, Some(30), now), Some(now + 30 * DAY));
        assert_eq!(expiry_after_code(Some(Some(now + DAY)), Some(30), now), Some(now + 31 * DAY));
        assert_eq!(expiry_after_code(Some(None), Some(30), now), None);
        assert_eq!(expiry_after_code(None, None, now), None);
    }

    #[test]
    fn extending_counts_from_the_later_of_now_and_the_expiry() {
        assert_eq!(extended(Some(500), 1, 1000), Some(1000 + DAY));
        assert_eq!(extended(Some(5000), 1, 1000), Some(5000 + DAY));
        assert_eq!(extended(None, 1, 1000), None);
    }

    #[test]
    fn codes_are_grouped_and_typed_codes_are_forgiving() {
        let code = new_code();
        assert_eq!(code.len(), 14);
        assert!(code.chars().all(|c| c == '-' || c.is_ascii_uppercase() || c.is_ascii_digit()));
        assert!(!code.contains(['0', 'O', '1', 'I', 'L']));
        assert_eq!(normalise_code(&code.to_lowercase().replace('-', " ")), code);
        assert_eq!(normalise_code(" ab-c "), "ABC");
    }

    #[test]
    fn day_fields_name_the_problem() {
        let mut errors = FieldErrors::new();
        assert_eq!(days_field(&mut errors, "days", " 30 ", 365, false), Some(30));
        assert_eq!(days_field(&mut errors, "open", "", 365, true), None);
        assert!(errors.is_empty());
        assert_eq!(days_field(&mut errors, "days", "0", 365, false), None);
        assert_eq!(errors.get("days"), Some("Give a whole number of days from 1 to 365."));
        assert_eq!(days_field(&mut errors, "empty", "", 365, false), None);
        assert_eq!(errors.get("empty"), Some("Give a number of days."));
    }
}
