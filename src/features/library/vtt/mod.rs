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
mod tests;
