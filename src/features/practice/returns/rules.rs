//! Moments of return: what a moment needs, and how they are counted and
//! shown by month. Pure, so it is unit-tested.

use crate::web::FieldErrors;

pub const MAX_CHARS: usize = 500;

pub fn validate(day: &str, text: &str, today: &str) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if text.trim().is_empty() {
        errors.add("text", "Write a sentence about the moment.");
    } else if text.chars().count() > MAX_CHARS {
        errors.add("text", format!("Keep it to {MAX_CHARS} characters: a sentence or two."));
    }
    match day.parse::<jiff::civil::Date>() {
        Ok(d) if d.year() < 1900 => errors.add("day", "Choose a date from 1900 on."),
        Ok(_) if day > today => errors.add("day", "Choose today or a day that has passed."),
        Ok(_) => {}
        Err(_) => errors.add("day", "Give the date as year-month-day, for example 2026-03-14."),
    }
    errors
}

/// "March 2026" for any day of that month (or for "2026-03").
pub fn month_label(day_or_month: &str) -> String {
    let day = if day_or_month.len() == 7 { format!("{day_or_month}-01") } else { day_or_month.to_owned() };
    match day.parse::<jiff::civil::Date>() {
        Ok(d) => d.strftime("%B %Y").to_string(),
        Err(_) => day_or_month.to_owned(),
    }
}

/// "Friday 27 November 2026".
pub fn day_label(day: &str) -> String {
    match day.parse::<jiff::civil::Date>() {
        Ok(d) => d.strftime("%A %-d %B %Y").to_string(),
        Err(_) => day.to_owned(),
    }
}

/// Counts for every month from `from` to `to` ("YYYY-MM", inclusive), with
/// the months nobody noted anything in shown as zero rather than left out.
pub fn every_month(counts: &[(String, i64)], from: &str, to: &str) -> Vec<(String, i64)> {
    let parse = |m: &str| format!("{m}-01").parse::<jiff::civil::Date>().ok();
    let (Some(mut month), Some(last)) = (parse(from), parse(to)) else { return counts.to_vec() };
    let mut out = Vec::new();
    while month <= last && out.len() < 1200 {
        let key = month.strftime("%Y-%m").to_string();
        let n = counts.iter().find(|(m, _)| *m == key).map_or(0, |(_, n)| *n);
        out.push((key, n));
        month = month.saturating_add(jiff::Span::new().months(1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_needs_words_and_a_real_day_not_in_the_future() {
        assert!(validate("2026-11-28", "She waited for me", "2026-11-29").is_empty());
        assert!(validate("2026-11-30", "x", "2026-11-29").get("day").is_some());
        assert!(validate("2026-02-30", "x", "2026-11-29").get("day").is_some());
        assert!(validate("1850-01-01", "x", "2026-11-29").get("day").is_some());
        assert!(validate("2026-11-29", "  ", "2026-11-29").get("text").is_some());
        let long = "x".repeat(MAX_CHARS + 1);
        assert!(validate("2026-11-29", &long, "2026-11-29").get("text").is_some());
    }

    #[test]
    fn months_are_named_in_words_and_quiet_months_count_as_zero() {
        assert_eq!(month_label("2026-03-14"), "March 2026");
        assert_eq!(month_label("2026-03"), "March 2026");
        assert_eq!(month_label("nonsense"), "nonsense");
        assert_eq!(day_label("2026-11-27"), "Friday 27 November 2026");
        let counts = vec![("2025-11".to_owned(), 2), ("2026-02".to_owned(), 1)];
        let all = every_month(&counts, "2025-11", "2026-02");
        assert_eq!(
            all,
            [("2025-11".into(), 2), ("2025-12".into(), 0), ("2026-01".into(), 0), ("2026-02".into(), 1)]
        );
    }
}
