//! Checking a live session as a coach schedules it.

use crate::web::FieldErrors;

pub struct ScheduleInput<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// As typed in a `datetime-local` field: "2026-12-14T18:00".
    pub starts: &'a str,
    pub time_zone: &'a str,
    pub duration_minutes: &'a str,
    pub join_url: &'a str,
}

pub struct Schedule {
    pub starts_at: i64,
    pub duration_minutes: i64,
}

/// The time and length of a session, or every problem named by field.
pub fn check(input: &ScheduleInput<'_>, now: i64) -> Result<Schedule, FieldErrors> {
    let mut errors = FieldErrors::new();
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > 120 {
        errors.add("title", "Give a title of up to 120 characters.");
    }
    if input.description.chars().count() > 2000 {
        errors.add("description", "Keep the description under 2000 characters.");
    }
    let zone_ok = jiff::tz::TimeZone::get(input.time_zone.trim()).is_ok();
    if !zone_ok {
        errors.add("time_zone", "Give a time zone such as Europe/London or America/New_York.");
    }
    let starts_at =
        if zone_ok { crate::clock::parse_time(input.starts, input.time_zone.trim()) } else { None };
    match starts_at {
        None if zone_ok => errors.add("starts", "Give the day and time it starts."),
        Some(t) if t <= now => errors.add("starts", "Choose a time that has not passed yet."),
        _ => {}
    }
    let duration = input.duration_minutes.trim().parse::<i64>().ok().filter(|d| (10..=480).contains(d));
    if duration.is_none() {
        errors.add("duration_minutes", "Give a length from 10 to 480 minutes.");
    }
    let url = input.join_url.trim();
    if !(url.starts_with("https://") || url.starts_with("http://"))
        || url.len() > 500
        || url.contains(char::is_whitespace)
    {
        errors.add("join_url", "Give the full link people use to join, starting with https://.");
    }
    match (starts_at, duration) {
        (Some(starts_at), Some(duration_minutes)) if errors.is_empty() => {
            Ok(Schedule { starts_at, duration_minutes })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(starts: &'a str, zone: &'a str, url: &'a str) -> ScheduleInput<'a> {
        ScheduleInput {
            title: "Shame and repair",
            description: "",
            starts,
            time_zone: zone,
            duration_minutes: "90",
            join_url: url,
        }
    }

    #[test]
    fn a_session_is_read_in_its_own_zone() {
        let now = 1_700_000_000;
        let s = check(&input("2030-01-15T18:00", "Europe/London", "https://meet.example.org/x"), now)
            .ok()
            .unwrap();
        assert_eq!(s.starts_at, 1_894_730_400, "18:00 in London in January is 18:00 UTC");
        let summer = check(&input("2030-07-15T18:00", "Europe/London", "https://meet.example.org/x"), now)
            .ok()
            .unwrap();
        assert_eq!(crate::clock::format_utc(summer.starts_at), "15 Jul 2030, 17:00 UTC");
        assert_eq!(s.duration_minutes, 90);
    }

    #[test]
    fn problems_are_named_by_field() {
        let now = 1_700_000_000;
        let errors = check(&input("2020-01-15T18:00", "Mars/Olympus", "ftp://x"), now).err().unwrap();
        assert!(errors.get("time_zone").is_some());
        assert!(errors.get("join_url").is_some());
        let errors = check(&input("2020-01-15T18:00", "UTC", "https://x.org"), now).err().unwrap();
        assert_eq!(errors.get("starts"), Some("Choose a time that has not passed yet."));
        let errors = check(&input("", "UTC", "https://x.org"), now).err().unwrap();
        assert_eq!(errors.get("starts"), Some("Give the day and time it starts."));
    }
}
