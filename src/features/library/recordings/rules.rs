//! Pure rules for recordings: reading a coach's chapters and topics, and
//! times as people write them.

use crate::web::FieldErrors;

/// Topics every library starts with; coaches add their own.
pub const STARTER_TOPICS: &[&str] = &["attachment", "negative cycles", "shame", "secure connection"];

/// "1:02:03", "2:05" or "75" as seconds.
pub fn parse_clock(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if parts.is_empty()
        || parts.len() > 3
        || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.len() > 6)
    {
        return None;
    }
    let numbers: Vec<i64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if numbers.len() != parts.len() || numbers.iter().skip(1).any(|n| *n >= 60) {
        return None;
    }
    Some(numbers.iter().fold(0, |total, n| total * 60 + n))
}

/// Seconds as "1:02" or "1:02:03".
pub fn clock(seconds: i64) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// A duration in words: "12 min", "1 h 5 min".
pub fn duration_words(seconds: i64) -> String {
    let minutes = (seconds + 30) / 60;
    match minutes {
        0 => "under a minute".to_owned(),
        m if m < 60 => format!("{m} min"),
        m => format!("{} h {} min", m / 60, m % 60),
    }
}

/// Chapters as a coach writes them, one per line: "12:30 The pursue–withdraw loop".
pub fn parse_chapters(text: &str, duration: Option<i64>, errors: &mut FieldErrors) -> Vec<(i64, String)> {
    let mut chapters: Vec<(i64, String)> = Vec::new();
    for (n, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())) {
        if line.is_empty() {
            continue;
        }
        let (time, title) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let title = title.trim().trim_start_matches(['-', '–', '—']).trim();
        let Some(at) = parse_clock(time) else {
            errors.add(
                "chapters",
                format!("Line {n}: start with a time such as 12:30, then the chapter's title."),
            );
            return chapters;
        };
        if title.is_empty() || title.chars().count() > 120 {
            errors.add("chapters", format!("Line {n}: give the chapter a title of up to 120 characters."));
            return chapters;
        }
        if duration.is_some_and(|d| at > d) {
            errors.add("chapters", format!("Line {n}: {time} is after the end of the recording."));
            return chapters;
        }
        if chapters.last().is_some_and(|(last, _)| *last >= at) {
            errors.add(
                "chapters",
                format!("Line {n}: chapters go in order of time, each after the one before."),
            );
            return chapters;
        }
        chapters.push((at, title.to_owned()));
    }
    if chapters.len() > 100 {
        errors.add("chapters", "Up to 100 chapters.");
    }
    chapters
}

/// Chapters back as text for the form.
pub fn chapters_text(chapters: &[(i64, String)]) -> String {
    chapters.iter().map(|(at, title)| format!("{} {title}\n", clock(*at))).collect()
}

/// Topics from the ticked starter topics and a comma-separated list of others.
pub fn parse_topics(ticked: &[String], others: &str, errors: &mut FieldErrors) -> Vec<String> {
    let mut topics: Vec<String> = ticked
        .iter()
        .map(|t| t.trim().to_lowercase())
        .chain(others.split(',').map(|t| t.trim().to_lowercase()))
        .filter(|t| !t.is_empty())
        .collect();
    if topics.iter().any(|t| t.chars().count() > 40) {
        errors.add("other_topics", "Keep each topic under 40 characters.");
    }
    topics.sort();
    topics.dedup();
    if topics.len() > 12 {
        errors.add("other_topics", "Up to 12 topics.");
    }
    topics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_read_and_write() {
        assert_eq!(parse_clock("75"), Some(75));
        assert_eq!(parse_clock("2:05"), Some(125));
        assert_eq!(parse_clock("1:02:03"), Some(3723));
        for bad in ["", "1:60", "a:00", "-1", "1::2", "1:2:3:4", "9999999"] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
        assert_eq!(clock(125), "2:05");
        assert_eq!(clock(3723), "1:02:03");
        assert_eq!(duration_words(20), "under a minute");
        assert_eq!(duration_words(84), "1 min");
        assert_eq!(duration_words(3900), "1 h 5 min");
    }

    #[test]
    fn chapters_are_read_in_order_and_problems_name_their_line() {
        let mut errors = FieldErrors::new();
        let chapters = parse_chapters("0:00 Welcome\n\n1:30 – The loop\n", Some(600), &mut errors);
        assert!(errors.is_empty());
        assert_eq!(chapters, vec![(0, "Welcome".to_owned()), (90, "The loop".to_owned())]);
        assert_eq!(parse_chapters(&chapters_text(&chapters), Some(600), &mut errors), chapters);

        let mut errors = FieldErrors::new();
        parse_chapters("1:00 One\n0:30 Two", None, &mut errors);
        assert_eq!(
            errors.get("chapters"),
            Some("Line 2: chapters go in order of time, each after the one before.")
        );
        let mut errors = FieldErrors::new();
        parse_chapters("Intro", None, &mut errors);
        assert!(errors.get("chapters").unwrap().starts_with("Line 1: start with a time"));
        let mut errors = FieldErrors::new();
        parse_chapters("20:00 Late", Some(60), &mut errors);
        assert_eq!(errors.get("chapters"), Some("Line 1: 20:00 is after the end of the recording."));
    }

    #[test]
    fn topics_are_lower_case_and_unique() {
        let mut errors = FieldErrors::new();
        let topics = parse_topics(&["shame".into()], " Shame, grief ,, ", &mut errors);
        assert_eq!(topics, ["grief", "shame"]);
        assert!(errors.is_empty());
        parse_topics(&[], &"x".repeat(41), &mut errors);
        assert!(errors.get("other_topics").is_some());
    }
}
