//! Time as the application sees it: Unix seconds in UTC.

pub fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Unix milliseconds, for waits shorter than a second.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// A Unix time shown as a readable UTC date and time, e.g. "29 Nov 2026, 07:48 UTC".
pub fn format_utc(seconds: i64) -> String {
    match jiff::Timestamp::from_second(seconds) {
        Ok(ts) => ts.strftime("%-d %b %Y, %H:%M UTC").to_string(),
        Err(_) => "—".to_owned(),
    }
}

/// A Unix time shown in a member's time zone, falling back to UTC.
pub fn format_in_zone(seconds: i64, zone: &str) -> String {
    let Ok(ts) = jiff::Timestamp::from_second(seconds) else {
        return "—".to_owned();
    };
    match jiff::tz::TimeZone::get(zone) {
        Ok(tz) => ts.to_zoned(tz).strftime("%-d %b %Y, %H:%M %Z").to_string(),
        Err(_) => format_utc(seconds),
    }
}

/// RFC 3339 text for the API and exports.
pub fn rfc3339(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds).map(|t| t.to_string()).unwrap_or_default()
}

/// A calendar date in a time zone, e.g. "29 November 2026".
pub fn format_date(seconds: i64, zone: &str) -> String {
    let tz = jiff::tz::TimeZone::get(zone).unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.to_zoned(tz).strftime("%-d %B %Y").to_string())
        .unwrap_or_default()
}

/// The member's calendar day (YYYY-MM-DD) for a moment, in their time zone.
pub fn day_in_zone(seconds: i64, zone: &str) -> String {
    let tz = jiff::tz::TimeZone::get(zone).unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_second(seconds).map(|t| t.to_zoned(tz).date().to_string()).unwrap_or_default()
}

/// `days` before a given day (YYYY-MM-DD).
pub fn days_before(day: &str, days: i64) -> String {
    day.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.checked_sub(jiff::Span::new().days(days)).ok())
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// A wait in words, rounded up: "1 second", "40 seconds", "2 minutes", "1 hour".
pub fn wait_in_words(seconds: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match seconds.max(1) {
        s if s < 90 => plural(s, "second"),
        s if s < 3600 => plural((s + 59) / 60, "minute"),
        s => plural((s + 3599) / 3600, "hour"),
    }
}

/// An RFC 3339 time, or a `datetime-local` value read in the author's zone.
pub fn parse_time(raw: &str, time_zone: &str) -> Option<i64> {
    let raw = raw.trim();
    if let Ok(ts) = raw.parse::<jiff::Timestamp>() {
        return Some(ts.as_second());
    }
    let civil: jiff::civil::DateTime = raw.parse().ok()?;
    let tz = jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    civil.to_zoned(tz).ok().map(|z| z.timestamp().as_second())
}

/// A time as a `datetime-local` value in the author's zone, for editing.
pub fn to_local_input(seconds: i64, time_zone: &str) -> String {
    let tz = jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.to_zoned(tz).strftime("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_read_as_people_say_them() {
        assert_eq!(wait_in_words(1), "1 second");
        assert_eq!(wait_in_words(45), "45 seconds");
        assert_eq!(wait_in_words(120), "2 minutes");
        assert_eq!(wait_in_words(900), "15 minutes");
        assert_eq!(wait_in_words(3600), "1 hour");
    }

    #[test]
    fn formats_in_a_member_zone() {
        // 2026-11-29T23:30:00Z is already the 30th in Auckland.
        let t = 1_795_995_000;
        assert_eq!(rfc3339(t), "2026-11-29T23:30:00Z");
        assert!(format_in_zone(t, "Pacific/Auckland").starts_with("30 Nov 2026"));
        assert!(format_in_zone(t, "Not/AZone").ends_with("UTC"));
    }
}
