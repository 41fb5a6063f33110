//! HTTP byte ranges (RFC 9110 §14) and the conditional headers that go with them, for streaming
//! recorded sessions. Pure functions: the caller maps [`RangeAnswer`] to 200 / 206 / 416.
//!
//! Only a single `bytes=` range is honoured; several ranges are ignored (we never send
//! `multipart/byteranges`), as is anything syntactically invalid, as RFC 9110 §14.2 allows.
//! Numbers too large for `u64` are still valid syntax and saturate to `u64::MAX`: a huge start is
//! therefore unsatisfiable, a huge end is clamped to the last byte, a huge suffix means the whole file.

/// An inclusive byte range within a representation of known length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    pub start: u64,
    /// Inclusive.
    pub end: u64,
}

#[allow(clippy::len_without_is_empty, reason = "a ByteRange always covers at least one byte")]
impl ByteRange {
    /// Number of bytes covered (`end - start + 1`).
    pub fn len(&self) -> u64 {
        self.end - self.start + 1
    }

    /// The `Content-Range` value for a 206, e.g. `bytes 0-99/1000`.
    pub fn content_range(&self, total: u64) -> String {
        format!("bytes {}-{}/{}", self.start, self.end, total)
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum RangeAnswer {
    /// No Range header, or one we ignore (not "bytes", several ranges, syntactically invalid → per RFC
    /// a server MAY ignore; we serve the whole file): 200 with the whole body.
    Whole,
    /// One satisfiable range: 206.
    Partial(ByteRange),
    /// Syntactically valid but unsatisfiable (start >= total, or total == 0): 416 with
    /// "Content-Range: bytes */total".
    Unsatisfiable,
}

/// `range`: the Range header value; `if_range`: the If-Range header value; `etag`: our strong ETag
/// including quotes, e.g. "\"abc\""; `last_modified`: our Last-Modified as an HTTP date string
/// (IMF-fixdate) if we send one.
/// If-Range: when present and it does not match (strong comparison with the ETag; or exact equality
/// with last_modified for a date), the Range is ignored → Whole. A weak ETag (W/"...") in If-Range
/// never matches.
pub fn answer(
    range: Option<&str>,
    if_range: Option<&str>,
    etag: &str,
    last_modified: Option<&str>,
    total: u64,
) -> RangeAnswer {
    let Some(range) = range else { return RangeAnswer::Whole };
    if let Some(cond) = if_range
        && !if_range_matches(cond.trim(), etag, last_modified)
    {
        return RangeAnswer::Whole;
    }
    match parse(range) {
        None => RangeAnswer::Whole,
        Some(spec) => resolve(spec, total),
    }
}

/// For a `If-None-Match` header: true when it lists our etag (weak comparison, "*" matches) → 304.
pub fn not_modified(if_none_match: Option<&str>, etag: &str) -> bool {
    let Some(mut rest) = if_none_match else { return false };
    let ours = opaque(etag);
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        if rest.is_empty() {
            return false;
        }
        if let Some(after) = rest.strip_prefix('*') {
            let after = after.trim_start();
            return after.is_empty() || after.starts_with(',');
        }
        let Some((tag, after)) = next_tag(rest) else { return false };
        if opaque(tag) == ours {
            return true;
        }
        rest = after;
    }
}

/// A parsed single byte-range-spec, before it is checked against the length.
#[derive(Debug, PartialEq, Eq)]
enum Spec {
    /// `first-last` (last is `None` when open-ended).
    From(u64, Option<u64>),
    /// `-suffix`.
    Suffix(u64),
}

/// Parses `bytes=…` with exactly one range; `None` for anything we ignore.
fn parse(header: &str) -> Option<Spec> {
    let (unit, set) = header.split_once('=')?;
    if !unit.trim().eq_ignore_ascii_case("bytes") || set.contains(',') {
        return None;
    }
    let (first, last) = set.split_once('-')?;
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        return Some(Spec::Suffix(digits(last)?));
    }
    let start = digits(first)?;
    if last.is_empty() {
        return Some(Spec::From(start, None));
    }
    let end = digits(last)?;
    (start <= end).then_some(Spec::From(start, Some(end)))
}

/// ASCII digits only, saturating at `u64::MAX` instead of overflowing.
fn digits(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.bytes().fold(0u64, |n, b| n.saturating_mul(10).saturating_add(u64::from(b - b'0'))))
}

fn resolve(spec: Spec, total: u64) -> RangeAnswer {
    let range = match spec {
        _ if total == 0 => return RangeAnswer::Unsatisfiable,
        Spec::Suffix(0) => return RangeAnswer::Unsatisfiable,
        Spec::Suffix(n) => ByteRange { start: total.saturating_sub(n), end: total - 1 },
        Spec::From(start, _) if start >= total => return RangeAnswer::Unsatisfiable,
        Spec::From(start, end) => ByteRange { start, end: end.map_or(total - 1, |e| e.min(total - 1)) },
    };
    RangeAnswer::Partial(range)
}

fn if_range_matches(cond: &str, etag: &str, last_modified: Option<&str>) -> bool {
    if cond.starts_with("W/") {
        return false;
    }
    if cond.starts_with('"') {
        return !etag.starts_with("W/") && cond == etag;
    }
    last_modified.is_some_and(|lm| lm.trim() == cond)
}

/// Splits one entity-tag (`W/"…"` or `"…"`) off the front of `s`.
fn next_tag(s: &str) -> Option<(&str, &str)> {
    let body = s.strip_prefix("W/").unwrap_or(s).strip_prefix('"')?;
    let close = body.find('"')?;
    let taken = s.len() - body.len() + close + 1;
    Some((&s[..taken], &s[taken..]))
}

/// The tag without any weakness marker, for weak comparison.
fn opaque(tag: &str) -> &str {
    let tag = tag.trim();
    tag.strip_prefix("W/").unwrap_or(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAG: &str = "\"abc\"";
    const DATE: &str = "Sun, 06 Nov 1994 08:49:37 GMT";

    fn r(range: &str, total: u64) -> RangeAnswer {
        answer(Some(range), None, TAG, None, total)
    }
    fn part(start: u64, end: u64) -> RangeAnswer {
        RangeAnswer::Partial(ByteRange { start, end })
    }

    #[test]
    fn byte_range_helpers() {
        let b = ByteRange { start: 0, end: 99 };
        assert_eq!(b.len(), 100);
        assert_eq!(b.content_range(1000), "bytes 0-99/1000");
    }

    #[test]
    fn satisfiable_ranges() {
        assert_eq!(r("bytes=0-0", 1000), part(0, 0));
        assert_eq!(r("bytes=0-499", 1000), part(0, 499));
        assert_eq!(r("bytes=500-599", 1000), part(500, 599));
        assert_eq!(r("bytes=999-999", 1000), part(999, 999));
        assert_eq!(r("bytes=-500", 1000), part(500, 999));
        assert_eq!(r("bytes=-1", 1000), part(999, 999));
        assert_eq!(r("bytes=-5000", 1000), part(0, 999));
        assert_eq!(r("bytes=500-", 1000), part(500, 999));
        assert_eq!(r("bytes=900-5000", 1000), part(900, 999));
        assert_eq!(r(" BYTES = 1 - 2 ", 1000), part(1, 2));
    }

    #[test]
    fn unsatisfiable_ranges() {
        assert_eq!(r("bytes=1000-", 1000), RangeAnswer::Unsatisfiable);
        assert_eq!(r("bytes=1000-2000", 1000), RangeAnswer::Unsatisfiable);
        assert_eq!(r("bytes=-0", 1000), RangeAnswer::Unsatisfiable);
        assert_eq!(r("bytes=0-0", 0), RangeAnswer::Unsatisfiable);
        assert_eq!(r("bytes=-5", 0), RangeAnswer::Unsatisfiable);
    }

    #[test]
    fn ignored_ranges() {
        for bad in ["bytes=5-1", "bytes=", "bytes=-", "bytes=a-b", "bytes=+1-2", "bytes=1--2", "bytes 0-1"] {
            assert_eq!(r(bad, 1000), RangeAnswer::Whole, "{bad}");
        }
        assert_eq!(r("items=0-1", 1000), RangeAnswer::Whole);
        assert_eq!(r("bytes=0-1,5-9", 1000), RangeAnswer::Whole);
        assert_eq!(answer(None, None, TAG, None, 1000), RangeAnswer::Whole);
    }

    #[test]
    fn huge_numbers_saturate() {
        let huge = "123456789012345678901234567890";
        assert_eq!(r(&format!("bytes={huge}-"), 1000), RangeAnswer::Unsatisfiable);
        assert_eq!(r(&format!("bytes=10-{huge}"), 1000), part(10, 999));
        assert_eq!(r(&format!("bytes=-{huge}"), 1000), part(0, 999));
    }

    #[test]
    fn if_range() {
        let with = |cond: &str, lm: Option<&str>| answer(Some("bytes=0-9"), Some(cond), TAG, lm, 100);
        assert_eq!(with("\"abc\"", None), part(0, 9));
        assert_eq!(with(" \"abc\" ", None), part(0, 9));
        assert_eq!(with("\"xyz\"", None), RangeAnswer::Whole);
        assert_eq!(with("W/\"abc\"", None), RangeAnswer::Whole);
        assert_eq!(with(DATE, Some(DATE)), part(0, 9));
        assert_eq!(with(DATE, None), RangeAnswer::Whole);
        assert_eq!(with(DATE, Some("Mon, 07 Nov 1994 08:49:37 GMT")), RangeAnswer::Whole);
        assert_eq!(answer(Some("bytes=0-9"), Some(TAG), "W/\"abc\"", None, 100), RangeAnswer::Whole);
        assert_eq!(answer(Some("bytes=500-"), Some("\"xyz\""), TAG, None, 100), RangeAnswer::Whole);
    }

    #[test]
    fn not_modified_cases() {
        assert!(!not_modified(None, TAG));
        assert!(not_modified(Some("\"abc\""), TAG));
        assert!(not_modified(Some("*"), TAG));
        assert!(not_modified(Some("\"a\", \"b\""), "\"b\""));
        assert!(not_modified(Some("\"a\",\"b\""), "\"a\""));
        assert!(!not_modified(Some("\"a\", \"b\""), "\"c\""));
        assert!(not_modified(Some("W/\"abc\""), TAG));
        assert!(not_modified(Some("\"x\", W/\"abc\""), TAG));
        assert!(not_modified(Some("\"abc\""), "W/\"abc\""));
        assert!(not_modified(Some("\"a,b\""), "\"a,b\""));
        assert!(!not_modified(Some("\"ab\""), "\"a\""));
        assert!(!not_modified(Some(""), TAG));
        assert!(!not_modified(Some("abc"), TAG));
    }
}
