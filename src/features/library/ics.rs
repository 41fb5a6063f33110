//! An iCalendar (RFC 5545) writer for the live-session calendar feed.
//!
//! [`calendar`] renders a `VCALENDAR` with one `VEVENT` per session. Times are written in
//! UTC (`20261214T180000Z`), TEXT values are escaped, every line ends with CRLF and lines
//! longer than 75 octets are folded without splitting a UTF-8 character.

use jiff::{SignedDuration, Timestamp, tz::Offset};

/// One session in the calendar.
#[derive(Debug, Clone, Copy)]
pub struct CalendarEvent<'a> {
    /// Globally unique and stable across updates, e.g. `"session-42@securebase.example"`.
    pub uid: &'a str,
    pub starts: Timestamp,
    pub duration_minutes: u32,
    pub title: &'a str,
    pub description: &'a str,
    pub url: Option<&'a str>,
    /// When this version of the event was last changed (`DTSTAMP`).
    pub stamp: Timestamp,
    pub cancelled: bool,
}

/// Renders a complete `text/calendar` document named `name` holding `events`.
pub fn calendar(name: &str, events: &[CalendarEvent<'_>]) -> String {
    let mut out = String::new();
    push_line(&mut out, "BEGIN:VCALENDAR");
    push_line(&mut out, "VERSION:2.0");
    push_line(&mut out, "PRODID:-//Securebase//Library//EN");
    push_line(&mut out, "CALSCALE:GREGORIAN");
    push_line(&mut out, "METHOD:PUBLISH");
    push_line(&mut out, &format!("X-WR-CALNAME:{}", escape_text(name)));
    for event in events {
        push_event(&mut out, event);
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

fn push_event(out: &mut String, event: &CalendarEvent<'_>) {
    push_line(out, "BEGIN:VEVENT");
    push_line(out, &format!("UID:{}", escape_text(event.uid)));
    push_line(out, &format!("DTSTAMP:{}", utc(event.stamp)));
    push_line(out, &format!("DTSTART:{}", utc(event.starts)));
    let length = SignedDuration::from_mins(i64::from(event.duration_minutes));
    match event.starts.checked_add(length) {
        Ok(ends) => push_line(out, &format!("DTEND:{}", utc(ends))),
        // The end would lie beyond the year 9999; an explicit duration is equally valid.
        Err(_) => push_line(out, &format!("DURATION:PT{}M", event.duration_minutes)),
    }
    push_line(out, &format!("SUMMARY:{}", escape_text(event.title)));
    push_line(out, &format!("DESCRIPTION:{}", escape_text(event.description)));
    if let Some(url) = event.url.map(strip_controls).filter(|url| !url.is_empty()) {
        push_line(out, &format!("URL:{url}"));
    }
    let status = if event.cancelled { "CANCELLED" } else { "CONFIRMED" };
    push_line(out, &format!("STATUS:{status}"));
    push_line(out, "END:VEVENT");
}

/// A UTC DATE-TIME such as `20261214T180000Z` (fractions of a second are dropped).
fn utc(timestamp: Timestamp) -> String {
    let t = Offset::UTC.to_datetime(timestamp);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma get a backslash,
/// line breaks (`\r\n`, `\n` or `\r`) become `\n`, other control characters are dropped.
fn escape_text(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\n' => escaped.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                escaped.push_str("\\n");
            }
            '\t' => escaped.push('\t'),
            c if c.is_ascii_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// Removes ASCII control characters (so a URI cannot break out of its line).
fn strip_controls(value: &str) -> String {
    value.chars().filter(|c| !c.is_ascii_control()).collect()
}

/// The longest a physical line may be, in octets, not counting its CRLF (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// Appends a content line, folded so that no physical line exceeds [`MAX_LINE_OCTETS`]
/// octets, never splitting a UTF-8 character; continuation lines start with one space.
fn push_line(out: &mut String, line: &str) {
    let mut octets = 0;
    for ch in line.chars() {
        if octets + ch.len_utf8() > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            octets = 1;
        }
        out.push(ch);
        octets += ch.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rfc3339: &str) -> Timestamp {
        rfc3339.parse().expect("valid test timestamp")
    }

    fn session<'a>(title: &'a str, description: &'a str) -> CalendarEvent<'a> {
        CalendarEvent {
            uid: "session-42@securebase.example",
            starts: at("2026-12-14T18:00:00Z"),
            duration_minutes: 90,
            title,
            description,
            url: Some("https://securebase.example/library/live/42"),
            stamp: at("2026-11-30T09:15:07Z"),
            cancelled: false,
        }
    }

    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
    }

    fn content_lines(text: &str) -> Vec<String> {
        let unfolded = unfold(text);
        let body = unfolded.strip_suffix("\r\n").expect("ends with CRLF");
        body.split("\r\n").map(str::to_owned).collect()
    }

    #[test]
    fn structure_of_a_calendar() {
        let ics = calendar("Securebase live sessions", &[session("Repair after conflict", "Live Q&A")]);
        assert_eq!(
            ics,
            "BEGIN:VCALENDAR\r\n\
             VERSION:2.0\r\n\
             PRODID:-//Securebase//Library//EN\r\n\
             CALSCALE:GREGORIAN\r\n\
             METHOD:PUBLISH\r\n\
             X-WR-CALNAME:Securebase live sessions\r\n\
             BEGIN:VEVENT\r\n\
             UID:session-42@securebase.example\r\n\
             DTSTAMP:20261130T091507Z\r\n\
             DTSTART:20261214T180000Z\r\n\
             DTEND:20261214T193000Z\r\n\
             SUMMARY:Repair after conflict\r\n\
             DESCRIPTION:Live Q&A\r\n\
             URL:https://securebase.example/library/live/42\r\n\
             STATUS:CONFIRMED\r\n\
             END:VEVENT\r\n\
             END:VCALENDAR\r\n"
        );
    }

    #[test]
    fn empty_calendar() {
        let lines = content_lines(&calendar("Nothing yet", &[]));
        assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
        assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
        assert!(!lines.iter().any(|line| line.starts_with("BEGIN:VEVENT")));
    }

    #[test]
    fn several_events_cancelled_and_without_url() {
        let first = session("One", "First");
        let second = CalendarEvent {
            uid: "session-43@securebase.example",
            starts: at("2026-12-31T23:30:00Z"),
            duration_minutes: 45,
            url: None,
            cancelled: true,
            ..session("Two", "Second")
        };
        let lines = content_lines(&calendar("Live", &[first, second]));
        assert_eq!(lines.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 2);
        assert_eq!(lines.iter().filter(|l| *l == "END:VEVENT").count(), 2);
        assert_eq!(lines.iter().filter(|l| l.starts_with("URL:")).count(), 1);
        let second_event: Vec<&String> = lines.iter().skip_while(|l| !l.contains("session-43")).collect();
        assert!(second_event.iter().any(|l| *l == "DTEND:20270101T001500Z"));
        assert!(second_event.iter().any(|l| *l == "STATUS:CANCELLED"));
        assert!(!second_event.iter().any(|l| l.starts_with("URL:")));
    }

    #[test]
    fn text_values_are_escaped() {
        let ics = calendar(
            "Talks, etc.; \\ all",
            &[session("Needs; wants, and \\ boundaries", "Line one\nLine two\r\nLine three\rend\u{7}\ttab")],
        );
        let lines = content_lines(&ics);
        assert!(lines.contains(&"X-WR-CALNAME:Talks\\, etc.\\; \\\\ all".to_owned()));
        assert!(lines.contains(&"SUMMARY:Needs\\; wants\\, and \\\\ boundaries".to_owned()));
        assert!(lines.contains(&"DESCRIPTION:Line one\\nLine two\\nLine three\\nend\ttab".to_owned()));
    }

    #[test]
    fn crlf_injection_is_not_possible() {
        let event = CalendarEvent {
            uid: "x\r\nBEGIN:VEVENT",
            url: Some("https://example.org/\r\nSTATUS:CANCELLED"),
            ..session("Title\r\nSTATUS:CANCELLED", "Desc\nEND:VCALENDAR")
        };
        let lines = content_lines(&calendar("Cal\r\nMETHOD:CANCEL", &[event]));
        assert_eq!(lines.iter().filter(|l| l.starts_with("STATUS:")).count(), 1);
        assert_eq!(lines.iter().filter(|l| l.starts_with("BEGIN:VEVENT")).count(), 1);
        assert_eq!(lines.iter().filter(|l| l.starts_with("METHOD:")).count(), 1);
        assert!(lines.contains(&"URL:https://example.org/STATUS:CANCELLED".to_owned()));
    }

    #[test]
    fn lines_end_with_crlf_everywhere() {
        let ics = calendar("Live", &[session("A\nB", &"long, text ".repeat(40))]);
        assert!(ics.ends_with("\r\n"));
        let bytes = ics.as_bytes();
        for (i, byte) in bytes.iter().enumerate() {
            if *byte == b'\n' {
                assert_eq!(bytes.get(i.wrapping_sub(1)), Some(&b'\r'), "bare LF at {i}");
            }
            if *byte == b'\r' {
                assert_eq!(bytes.get(i + 1), Some(&b'\n'), "bare CR at {i}");
            }
        }
    }

    #[test]
    fn long_multibyte_lines_are_folded_safely() {
        let description = "Sicherheit & Nähe — 安心できる関係 🫶 ".repeat(12);
        let ics = calendar("Live", &[session("Bindung", &description)]);
        for physical in ics.split("\r\n") {
            assert!(physical.len() <= MAX_LINE_OCTETS, "{} octets: {physical:?}", physical.len());
        }
        // The line really was folded, and unfolding gives back the escaped value intact.
        let folded: Vec<&str> = ics.split("\r\n").filter(|l| l.starts_with(' ')).collect();
        assert!(folded.len() > 5);
        let expected = format!("DESCRIPTION:{}", escape_text(&description));
        assert!(content_lines(&ics).contains(&expected));
    }

    #[test]
    fn folding_fills_lines_exactly_and_keeps_characters_whole() {
        let mut out = String::new();
        let line = format!("X:{}", "é".repeat(100));
        push_line(&mut out, &line);
        let physical: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        // "X:" + 36 × 2 octets = 74, the next "é" would make 76.
        assert_eq!(physical[0].len(), 74);
        assert!(physical[1..].iter().all(|l| l.starts_with(' ') && l.len() <= MAX_LINE_OCTETS));
        assert_eq!(unfold(&out), format!("{line}\r\n"));

        let mut ascii = String::new();
        push_line(&mut ascii, &"a".repeat(150));
        assert_eq!(ascii, format!("{}\r\n {}\r\n {}\r\n", "a".repeat(75), "a".repeat(74), "a"));

        let mut short = String::new();
        push_line(&mut short, &"b".repeat(75));
        assert_eq!(short, format!("{}\r\n", "b".repeat(75)));
    }

    #[test]
    fn end_beyond_the_calendar_range_uses_a_duration() {
        let event = CalendarEvent { starts: at("9999-12-30T21:00:00Z"), ..session("Late", "") };
        let lines = content_lines(&calendar("Live", &[event]));
        assert!(lines.contains(&"DTSTART:99991230T210000Z".to_owned()));
        assert!(lines.contains(&"DURATION:PT90M".to_owned()));
        assert!(!lines.iter().any(|l| l.starts_with("DTEND")));
    }

    #[test]
    fn sub_second_times_are_truncated() {
        assert_eq!(utc(at("2026-03-29T01:59:59.999Z")), "20260329T015959Z");
        assert_eq!(utc(Timestamp::UNIX_EPOCH), "19700101T000000Z");
    }
}
