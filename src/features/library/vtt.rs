//! Strict WebVTT parser for the transcripts and captions coaches upload.
//!
//! Anything we cannot read with confidence is refused with a [`VttError`] that names the 1-based line and
//! says, in plain English, how to fix it. Accepted files become plain-text [`Cue`]s (tags stripped, the
//! common entities decoded), in start order. [`to_vtt`] writes cues back out as a clean file that this
//! parser accepts again; [`format_timestamp`] and [`clock`] format times for files and for people.

use std::fmt;

/// Largest upload we read, in bytes (5 MiB).
const MAX_INPUT_BYTES: usize = 5 * 1024 * 1024;
/// Most cues one file may hold.
const MAX_CUES: usize = 20_000;
/// Longest cue text, in characters, after tags are stripped and entities decoded.
const MAX_CUE_TEXT_CHARS: usize = 2_000;
/// The entities decoded in cue text; anything else after `&` is kept as written.
const ENTITIES: [(&str, char); 4] = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&nbsp;", '\u{a0}')];

/// One caption: when it is shown and its plain text (lines joined with `'\n'`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    pub start_ms: u64,
    pub end_ms: u64,
    pub text: String,
}

/// Why a file was refused: the 1-based line and a reason a coach can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VttError {
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for VttError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for VttError {}

fn fail<T>(line: usize, reason: impl Into<String>) -> Result<T, VttError> {
    Err(VttError { line, reason: reason.into() })
}

/// Parses an uploaded WebVTT file, refusing anything malformed or over the size limits.
pub fn parse(input: &[u8]) -> Result<Vec<Cue>, VttError> {
    if input.len() > MAX_INPUT_BYTES {
        let mib = input.len() as f64 / (1024.0 * 1024.0);
        return fail(
            1,
            format!("the file is {mib:.1} MiB; the limit is 5 MiB, so split it into smaller files"),
        );
    }
    let text = match std::str::from_utf8(input) {
        Ok(text) => text,
        Err(err) => {
            let reason = "this line is not valid UTF-8 text; save the file as UTF-8 and upload it again";
            return fail(line_of_offset(input, err.valid_up_to()), reason);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return fail(1, "the file is empty; upload a WebVTT file that starts with WEBVTT and contains cues");
    }
    let lines = split_lines(text);
    check_signature(lines.first().copied().unwrap_or_default())?;

    // Header lines run from the signature to the first blank line.
    let mut index = 1;
    while let Some(line) = lines.get(index)
        && !is_blank(line)
    {
        if line.contains("-->") {
            return fail(index + 1, "put a blank line between the WEBVTT header and the first cue");
        }
        index += 1;
    }

    let mut cues = Vec::new();
    while index < lines.len() {
        let start = index;
        while lines.get(index).is_some_and(|line| !is_blank(line)) {
            index += 1;
        }
        if index > start {
            parse_block(&lines[start..index], start + 1, &mut cues)?;
        } else {
            index += 1;
        }
    }
    Ok(cues)
}

/// Formats a time as a WebVTT timestamp, `hh:mm:ss.ttt`.
pub fn format_timestamp(ms: u64) -> String {
    let (hours, minutes, seconds, millis) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    format!("{hours:02}:{minutes:02}:{seconds:02}.{millis:03}")
}

/// Writes cues as a clean WebVTT file; text is escaped and blank lines (and cues left blank) are dropped.
pub fn to_vtt(cues: &[Cue]) -> String {
    let mut out = String::from("WEBVTT\n");
    for cue in cues {
        let lines: Vec<String> =
            split_lines(&cue.text).into_iter().filter(|line| !line.trim().is_empty()).map(escape).collect();
        if lines.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{} --> {}\n", format_timestamp(cue.start_ms), format_timestamp(cue.end_ms)));
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// Formats a time for people to the whole second: `1:02`, or `1:02:03` once past an hour.
pub fn clock(ms: u64) -> String {
    let total_seconds = ms / 1000;
    let (hours, minutes, seconds) = (total_seconds / 3600, total_seconds / 60 % 60, total_seconds % 60);
    if hours > 0 { format!("{hours}:{minutes:02}:{seconds:02}") } else { format!("{minutes}:{seconds:02}") }
}

/// Handles one block of non-blank lines: a cue, a NOTE, or a STYLE/REGION block before the first cue.
fn parse_block(block: &[&str], first_line: usize, cues: &mut Vec<Cue>) -> Result<(), VttError> {
    let Some(timing_at) = block.iter().take(2).position(|line| line.contains("-->")) else {
        return check_non_cue_block(block, first_line, cues.is_empty());
    };
    let timing_line = first_line + timing_at;
    if cues.len() >= MAX_CUES {
        return fail(
            timing_line,
            format!("the file has more than {MAX_CUES} cues; split it into smaller files"),
        );
    }
    let (start_ms, end_ms) =
        parse_timing(block[timing_at]).map_err(|reason| VttError { line: timing_line, reason })?;
    if end_ms <= start_ms {
        let (start, end) = (format_timestamp(start_ms), format_timestamp(end_ms));
        return fail(timing_line, format!("the cue ends at {end}, which is not after its start at {start}"));
    }
    if let Some(previous) = cues.last()
        && start_ms < previous.start_ms
    {
        let (start, previous) = (format_timestamp(start_ms), format_timestamp(previous.start_ms));
        let reason = format!(
            "this cue starts at {start}, before the previous cue's start at {previous}; \
             put the cues in time order"
        );
        return fail(timing_line, reason);
    }
    let text_lines = &block[timing_at + 1..];
    if let Some(offset) = text_lines.iter().position(|line| line.contains("-->")) {
        let reason =
            "this timing line is inside the previous cue's text; put a blank line before each new cue";
        return fail(timing_line + 1 + offset, reason);
    }
    let text = render_text(text_lines);
    if text.is_empty() {
        return fail(
            timing_line,
            "this cue has no text; add a line of text under the timing line or remove the cue",
        );
    }
    let length = text.chars().count();
    if length > MAX_CUE_TEXT_CHARS {
        let reason = format!(
            "this cue's text is {length} characters long; the limit is {MAX_CUE_TEXT_CHARS}, \
             so split it into shorter cues"
        );
        return fail(timing_line, reason);
    }
    cues.push(Cue { start_ms, end_ms, text });
    Ok(())
}

/// Skips NOTE blocks, and STYLE/REGION blocks before the first cue; refuses anything else.
fn check_non_cue_block(block: &[&str], first_line: usize, before_first_cue: bool) -> Result<(), VttError> {
    let first = block.first().copied().unwrap_or_default();
    let Some(keyword) =
        ["NOTE", "STYLE", "REGION"].into_iter().find(|keyword| starts_with_word(first, keyword))
    else {
        // A lone digit-led line is most likely a timing line; otherwise the first line was an identifier.
        let offset = usize::from(block.len() > 1 && !first.starts_with(|c: char| c.is_ascii_digit()));
        let found = quoted(block.get(offset).copied().unwrap_or_default());
        let reason = format!(
            "expected a cue timing line like 00:00:01.000 --> 00:00:04.000 but found {found} \
             (blank lines are not allowed inside a cue's text)"
        );
        return fail(first_line + offset, reason);
    };
    if let Some(offset) = block.iter().position(|line| line.contains("-->")) {
        return fail(
            first_line + offset,
            format!("put a blank line between the {keyword} block and the next cue"),
        );
    }
    if keyword != "NOTE" && !before_first_cue {
        return fail(
            first_line,
            format!("{keyword} blocks must come before the first cue; move it up or remove it"),
        );
    }
    Ok(())
}

fn check_signature(first: &str) -> Result<(), VttError> {
    if starts_with_word(first, "WEBVTT") {
        Ok(())
    } else if first.starts_with("WEBVTT") {
        fail(1, "the first line must be WEBVTT on its own, or WEBVTT followed by a space and a title")
    } else {
        fail(
            1,
            format!(
                "the file must start with a line reading WEBVTT, but the first line is {}",
                quoted(first)
            ),
        )
    }
}

/// Reads `start --> end [settings]`; settings are ignored.
fn parse_timing(line: &str) -> Result<(u64, u64), String> {
    let (before, after) = line.split_once("-->").ok_or("this cue timing line is missing \"-->\"")?;
    let start = before.trim_matches([' ', '\t']);
    let end = after.trim_start_matches([' ', '\t']).split([' ', '\t']).next().unwrap_or_default();
    if start.is_empty() {
        return Err(
            "the start time is missing before \"-->\"; write it like 00:00:01.000 --> 00:00:04.000".into()
        );
    }
    if end.is_empty() {
        return Err(
            "the end time is missing after \"-->\"; write it like 00:00:01.000 --> 00:00:04.000".into()
        );
    }
    Ok((parse_timestamp(start)?, parse_timestamp(end)?))
}

/// Reads `mm:ss.ttt` or `hh:mm:ss.ttt` into milliseconds.
fn parse_timestamp(time: &str) -> Result<u64, String> {
    let quoted_time = quoted(time);
    let invalid =
        || format!("the time {quoted_time} is not a valid time; write it like 00:01.500 or 01:02:03.500");
    if !time.bytes().all(|b| b.is_ascii_digit() || b == b':' || b == b'.' || b == b',') {
        return Err(invalid());
    }
    let Some((clock_part, millis)) = time.split_once('.') else {
        return Err(if time.contains(',') {
            format!("the time {quoted_time} uses a comma before the milliseconds; use a dot, like 00:01.500")
        } else {
            format!("the time {quoted_time} needs milliseconds after a dot, like 00:01.000")
        });
    };
    let Some(millis_value) = digits(millis).filter(|_| millis.len() == 3) else {
        let example = match digits(millis) {
            Some(_) if millis.len() < 3 => format!("{clock_part}.{millis:0<3}"),
            _ => "00:01.500".to_string(),
        };
        return Err(format!("the time {quoted_time} needs three digits of milliseconds, like {example}"));
    };
    let parts: Vec<&str> = clock_part.split(':').collect();
    let (hours, minutes, seconds) = match parts.as_slice() {
        [minutes, seconds] => (None, *minutes, *seconds),
        [hours, minutes, seconds] => (Some(*hours), *minutes, *seconds),
        _ => return Err(invalid()),
    };
    if hours.is_some_and(|hours| hours.len() < 2) {
        return Err(format!("the time {quoted_time} needs at least two digits for hours, like 01:02:03.000"));
    }
    if minutes.len() != 2 || seconds.len() != 2 {
        return Err(format!(
            "the time {quoted_time} needs two digits for minutes and seconds, like 01:05.000"
        ));
    }
    let (Some(minutes), Some(seconds)) = (digits(minutes), digits(seconds)) else { return Err(invalid()) };
    if minutes > 59 {
        return Err(format!("the time {quoted_time} has minutes above 59; add hours, like 01:00:00.000"));
    }
    if seconds > 59 {
        return Err(format!("the time {quoted_time} has seconds above 59; carry them into the minutes"));
    }
    let hours = match hours {
        Some(hours) => digits(hours).ok_or_else(invalid)?,
        None => 0,
    };
    hours
        .checked_mul(3_600_000)
        .and_then(|ms| ms.checked_add(minutes * 60_000 + seconds * 1000 + millis_value))
        .ok_or_else(|| format!("the time {quoted_time} is too large"))
}

/// The value of a non-empty run of ASCII digits, or `None` (also on overflow).
fn digits(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u64, |value, byte| {
        byte.is_ascii_digit().then_some(())?;
        value.checked_mul(10)?.checked_add(u64::from(byte - b'0'))
    })
}

/// Turns raw cue lines into plain text: tags stripped, entities decoded, blank lines dropped.
fn render_text(lines: &[&str]) -> String {
    let mut plain = String::new();
    let mut in_tag = false;
    for ch in lines.join("\n").chars() {
        match (in_tag, ch) {
            (false, '<') => in_tag = true,
            (true, '>') => in_tag = false,
            (false, ch) => plain.push(ch),
            (true, _) => {}
        }
    }
    let decoded = decode_entities(&plain);
    decoded.split('\n').filter(|line| !line.trim().is_empty()).collect::<Vec<_>>().join("\n")
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(position) = rest.find('&') {
        out.push_str(&rest[..position]);
        let tail = &rest[position..];
        let (decoded, used) = ENTITIES
            .iter()
            .find(|(name, _)| tail.starts_with(name))
            .map_or(('&', 1), |(name, ch)| (*ch, name.len()));
        out.push(decoded);
        rest = &tail[used..];
    }
    out.push_str(rest);
    out
}

fn escape(line: &str) -> String {
    line.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// True for lines that look empty; lines holding only spaces or tabs separate blocks too.
fn is_blank(line: &str) -> bool {
    line.trim_matches([' ', '\t']).is_empty()
}

/// True when `line` is `word`, or `word` followed by a space or tab.
fn starts_with_word(line: &str, word: &str) -> bool {
    line.strip_prefix(word).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// Splits on CRLF, LF or CR.
fn split_lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let (mut lines, mut start, mut index) = (Vec::new(), 0, 0);
    while index < bytes.len() {
        if matches!(bytes[index], b'\n' | b'\r') {
            lines.push(&text[start..index]);
            if bytes[index] == b'\r' && bytes.get(index + 1) == Some(&b'\n') {
                index += 1;
            }
            start = index + 1;
        }
        index += 1;
    }
    lines.push(&text[start..]);
    lines
}

/// The 1-based line holding byte `offset`, counting CRLF, LF and CR as line breaks.
fn line_of_offset(bytes: &[u8], offset: usize) -> usize {
    let prefix = bytes.get(..offset).unwrap_or(bytes);
    let breaks = prefix
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    1 + breaks
}

/// Quotes text for an error message, shortened to 40 characters.
fn quoted(text: &str) -> String {
    let mut short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    format!("\"{short}\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn refused(input: &str) -> VttError {
        parse(input.as_bytes()).expect_err("input should be refused")
    }

    fn cue(start_ms: u64, end_ms: u64, text: &str) -> Cue {
        Cue { start_ms, end_ms, text: text.to_string() }
    }

    #[test]
    fn parses_valid_file_with_ids_settings_notes_and_crlf() {
        let input = "\u{feff}WEBVTT - Session 3\r\nKind: captions\r\n\r\nSTYLE\r\n::cue { color: red }\r\n\
            \r\nREGION\r\nid:left\r\n\r\nNOTE written by the coach\r\n\r\nintro\r\n\
            00:01.000 --> 00:04.500 align:start position:10%\r\n<v Coach>Welcome &amp; hello</v>\r\n\
            <i>second</i> line\r\n\r\nNOTE\r\nmid-file note\r\n\r\n\
            01:00:00.000-->01:00:01.000\r\nend\r\n";
        let expected =
            vec![cue(1000, 4500, "Welcome & hello\nsecond line"), cue(3_600_000, 3_601_000, "end")];
        assert_eq!(parse(input.as_bytes()), Ok(expected));
    }

    #[test]
    fn accepts_lf_and_cr_line_endings() {
        let expected = Ok(vec![cue(0, 1000, "a\nb"), cue(0, 2000, "c")]);
        assert_eq!(parse(b"WEBVTT\n\n00:00.000 --> 00:01.000\na\nb\n\n00:00.000 --> 00:02.000\nc"), expected);
        assert_eq!(
            parse(b"WEBVTT\tx\r\r00:00.000 --> 00:01.000\ra\rb\r\r00:00.000 --> 00:02.000\rc\r"),
            expected
        );
        assert_eq!(parse(b"WEBVTT\n\nNOTE only a note\n"), Ok(vec![]));
        let spaced = b"WEBVTT\n \t\n00:00.000 --> 00:01.000\na\nb\n  \n00:00.000 --> 00:02.000\n\tc\n";
        assert_eq!(parse(spaced), Ok(vec![cue(0, 1000, "a\nb"), cue(0, 2000, "\tc")]));
    }

    #[test]
    fn refuses_bad_encoding_empty_files_and_missing_signature() {
        let bad_utf8 = parse(b"WEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nbad \xff\n").unwrap_err();
        assert_eq!(bad_utf8.line, 4);
        assert!(bad_utf8.reason.contains("UTF-8"));
        for empty in ["", "\u{feff}", "  \n\n"] {
            assert_eq!(refused(empty).line, 1);
            assert!(refused(empty).reason.contains("empty"));
        }
        let srt = refused("1\n00:00:01,000 --> 00:00:02,000\nhi\n");
        assert_eq!((srt.line, srt.reason.contains("start with a line reading WEBVTT")), (1, true));
        assert!(refused("WEBVTTX\n").reason.contains("WEBVTT on its own"));
        assert_eq!(refused("\n\nWEBVTT\n").line, 1);
    }

    #[test]
    fn refuses_oversized_input_on_line_one() {
        let mut input = b"WEBVTT\n\n".to_vec();
        input.resize(MAX_INPUT_BYTES + 1, b'a');
        let error = parse(&input).unwrap_err();
        assert_eq!((error.line, error.reason.contains("limit is 5 MiB")), (1, true));
    }

    #[test]
    fn refuses_malformed_timestamps_with_a_helpful_reason() {
        let cases = [
            ("00:01.5", "needs three digits of milliseconds, like 00:01.500"),
            ("00:01.5000", "needs three digits of milliseconds, like 00:01.500"),
            ("00:01,500", "uses a comma before the milliseconds; use a dot, like 00:01.500"),
            ("00:01", "needs milliseconds after a dot, like 00:01.000"),
            ("00:60.000", "has seconds above 59; carry them into the minutes"),
            ("60:00.000", "has minutes above 59; add hours, like 01:00:00.000"),
            ("1:02:03.000", "needs at least two digits for hours, like 01:02:03.000"),
            ("0:01.000", "needs two digits for minutes and seconds, like 01:05.000"),
            ("1:2:3:4.000", "is not a valid time; write it like 00:01.500 or 01:02:03.500"),
            ("soon", "is not a valid time; write it like 00:01.500 or 01:02:03.500"),
            (
                "99999999999999999999:00:00.000",
                "is not a valid time; write it like 00:01.500 or 01:02:03.500",
            ),
        ];
        let header = "WEBVTT\n\n00:00.000 --> 00:00.500\nok\n\nid\n00:00.000 --> ";
        for (time, reason) in cases {
            let error = refused(&format!("{header}{time} align:start\nhi\n"));
            assert_eq!(error, VttError { line: 7, reason: format!("the time \"{time}\" {reason}") });
        }
        assert_eq!(parse(format!("{header}9999999:00:00.000\nhi").as_bytes()).map(|cues| cues.len()), Ok(2));
        assert!(refused("WEBVTT\n\n --> 00:01.000\nhi").reason.contains("start time is missing"));
        assert!(refused("WEBVTT\n\n00:01.000 -->\nhi").reason.contains("end time is missing"));
    }

    #[test]
    fn refuses_bad_cue_structure_on_the_right_line() {
        let cases = [
            ("WEBVTT\n\n00:02.000 --> 00:02.000\nhi", 3, "not after its start"),
            ("WEBVTT\n\n00:05.000 --> 00:06.000\nhi\n\n00:04.000 --> 00:07.000\nhi", 6, "time order"),
            ("WEBVTT\n\nid\n00:01.000 --> 00:02.000\n\nnext", 4, "no text"),
            ("WEBVTT\n\n00:01.000 --> 00:02.000\n<i> </i>", 3, "no text"),
            ("WEBVTT\n\n00:01.000 00:02.000\nhi", 3, "expected a cue timing line"),
            ("WEBVTT\n\nintro\n00:01.000 - 00:02.000\nhi", 4, "expected a cue timing line"),
            ("WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n\nstray text", 6, "blank lines are not allowed"),
            ("WEBVTT\n00:01.000 --> 00:02.000\nhi", 2, "blank line between the WEBVTT header"),
            (
                "WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n00:03.000 --> 00:04.000\nho",
                5,
                "blank line before each new cue",
            ),
            ("WEBVTT\n\nNOTE\ncomment\n00:01.000 --> 00:02.000\nhi", 5, "blank line between the NOTE block"),
            ("WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n\nSTYLE\n::cue {}", 6, "STYLE blocks must come before"),
        ];
        for (input, line, reason) in cases {
            let error = refused(input);
            assert!(error.line == line && error.reason.contains(reason), "{input:?} gave {error}");
        }
    }

    #[test]
    fn refuses_too_many_cues_and_overlong_text() {
        let mut input = String::from("WEBVTT\n\n");
        for index in 0..=MAX_CUES as u64 {
            let (start, end) = (format_timestamp(index), format_timestamp(index + 1));
            input.push_str(&format!("{start} --> {end}\nx\n\n"));
        }
        let error = refused(&input);
        assert!(error.line == 3 + 3 * MAX_CUES && error.reason.contains("more than 20000 cues"), "{error}");
        let long = format!("WEBVTT\n\n00:01.000 --> 00:02.000\n{}", "a".repeat(MAX_CUE_TEXT_CHARS + 1));
        assert!(refused(&long).reason.contains("2001 characters long; the limit is 2000"));
        let fits = format!("WEBVTT\n\n00:01.000 --> 00:02.000\n<b>{}</b>", "é".repeat(MAX_CUE_TEXT_CHARS));
        assert_eq!(parse(fits.as_bytes()).map(|cues| cues.len()), Ok(1));
    }

    #[test]
    fn strips_tags_and_decodes_entities() {
        let input = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v.loud Ana Lee><c.yellow.bg_blue>a</c> <b>b</b> \
            <00:00:01.500><u>c</u> &lt;d&gt; &amp;amp; x&nbsp;y &copy; &\n<ruby>e<rt>f</rt></ruby></v>\n";
        let cues = parse(input.as_bytes()).unwrap();
        assert_eq!(cues[0].text, "a b c <d> &amp; x\u{a0}y &copy; &\nef");
    }

    #[test]
    fn formats_timestamps_and_clock_times() {
        assert_eq!(format_timestamp(62_345), "00:01:02.345");
        assert_eq!(format_timestamp(360_000_000), "100:00:00.000");
        for ms in [0, 1, 999, 59_999, 62_345, 3_599_999, 3_723_004, 360_000_000, u64::MAX] {
            assert_eq!(parse_timestamp(&format_timestamp(ms)), Ok(ms));
        }
        let clocks =
            [(0, "0:00"), (999, "0:00"), (62_345, "1:02"), (3_599_999, "59:59"), (3_723_999, "1:02:03")];
        for (ms, expected) in clocks {
            assert_eq!(clock(ms), expected);
        }
        assert_eq!(clock(36_000_000), "10:00:00");
    }

    #[test]
    fn displays_errors_with_the_line_number() {
        let error = VttError { line: 7, reason: "the cue has no text".into() };
        assert_eq!(error.to_string(), "line 7: the cue has no text");
    }

    #[test]
    fn to_vtt_writes_a_clean_file_that_parses_back() {
        let cues = vec![cue(1000, 2500, "Fish & chips <3 -->"), cue(1000, 3_723_004, "two\nlines\u{a0}")];
        let file = to_vtt(&cues);
        assert!(
            file.starts_with("WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nFish &amp; chips &lt;3 --&gt;\n\n")
        );
        assert_eq!(parse(file.as_bytes()), Ok(cues));
        assert_eq!(
            to_vtt(&[cue(0, 1, "a\r\n\r\nb"), cue(1, 2, " ")]),
            "WEBVTT\n\n00:00:00.000 --> 00:00:00.001\na\nb\n"
        );
    }

    /// WebVTT-like pieces, separated by `|`, that the property tests glue together at random.
    const FRAGMENTS: &str = "WEBVTT|WEBVTT title|\n|\r\n|\r|\n\n|\r\n\r\n|00:01.000|00:00:02.500|\
        01:02:03.004|59:59.999|00:1.5| --> |-->| align:start|NOTE|STYLE|REGION|<v Bob>|</v>|<i>|\
        &amp;|&lt;|&nbsp;|&|<|>|hello|1| |\t|\u{feff}|,|.|:|00:00.000 --> 00:01.000\nhi\n\n|cue-id\n";

    /// Random files: fragment soup (half of it signed), or a valid file with fragments spliced in.
    fn vtt_like_files() -> impl Strategy<Value = String> {
        let piece = || prop::sample::select(FRAGMENTS.split('|').collect::<Vec<_>>());
        let soup = (any::<bool>(), prop::collection::vec(piece(), 0..60)).prop_map(|(signed, pieces)| {
            format!("{}{}", if signed { "WEBVTT\n\n" } else { "" }, pieces.concat())
        });
        let edits = prop::collection::vec((any::<prop::sample::Index>(), piece()), 0..4);
        let spliced = (cue_lists(), edits).prop_map(|(cues, edits)| {
            let mut file = to_vtt(&cues);
            for (at, piece) in edits {
                let mut position = at.index(file.len() + 1);
                while !file.is_char_boundary(position) {
                    position -= 1;
                }
                file.insert_str(position, piece);
            }
            file
        });
        prop_oneof![soup, spliced]
    }

    /// Valid cue lists in start order, with text that needs escaping.
    fn cue_lists() -> impl Strategy<Value = Vec<Cue>> {
        let raw_cue = (0u64..10_000_000, 1u64..100_000, "[a-z&<>]{1,6}( [a-z&<> ]{0,6})?");
        prop::collection::vec(raw_cue, 1..20).prop_map(|raw| {
            let mut cues: Vec<Cue> =
                raw.into_iter().map(|(start, length, text)| cue(start, start + length, &text)).collect();
            cues.sort_by_key(|cue| cue.start_ms);
            cues
        })
    }

    fn check_invariants(cues: &[Cue]) -> Result<(), TestCaseError> {
        for pair in cues.windows(2) {
            prop_assert!(pair[0].start_ms <= pair[1].start_ms);
        }
        for cue in cues {
            prop_assert!(cue.end_ms > cue.start_ms && !cue.text.is_empty());
        }
        prop_assert_eq!(parse(to_vtt(cues).as_bytes()), Ok(cues.to_vec()));
        Ok(())
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            if let Ok(cues) = parse(&bytes) {
                check_invariants(&cues)?;
            }
            let prefixed = [b"WEBVTT\n\n".as_slice(), &bytes].concat();
            if let Ok(cues) = parse(&prefixed) {
                check_invariants(&cues)?;
            }
        }

        #[test]
        fn vtt_like_fragments_never_panic(file in vtt_like_files()) {
            if let Ok(cues) = parse(file.as_bytes()) {
                check_invariants(&cues)?;
            }
        }

        #[test]
        fn well_formed_cues_round_trip(cues in cue_lists()) {
            prop_assert_eq!(parse(to_vtt(&cues).as_bytes()), Ok(cues));
        }
    }
}
