//! Small helpers for reading forms: trimmed text with a length limit, and the
//! rule that a failed form comes back with what the person typed.

/// Trim surrounding white space and collapse nothing else.
pub fn clean(s: &str) -> String {
    s.trim().to_owned()
}

/// A form or JSON body with one text field (a prompt, an affirmation).
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct TextRequest {
    #[serde(default)]
    pub text: String,
}

/// Browsers send a textarea's line breaks as CRLF; what the person typed was a
/// plain line break, which is what the JS draft keeper and the API send.
pub fn normalise_newlines(s: &str) -> String {
    s.replace("\r\n", "\n")
}

/// Where to go after signing in: only a path on this site, never another host.
/// It must start with exactly one `/` and hold only printable ASCII: browsers
/// drop tabs and line breaks from a URL (so `/\t/evil.example` becomes
/// `//evil.example`), read `\` as `/`, and a control character cannot go in a
/// `Location` header at all. Anything else goes to the home page.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if is_local_path(n) => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// A path on this site, and nothing a browser could read as another host.
pub fn is_local_path(n: &str) -> bool {
    n.starts_with('/')
        && !n.starts_with("//")
        && n.bytes().all(|b| b.is_ascii_graphic())
        && !n.contains('\\')
        && n.len() <= 2000
}

/// The most pages any list can have; a larger page number shows the last one
/// (empty) instead of overflowing an offset.
pub const MAX_PAGE: i64 = 100_000;

/// A 1-based page number from a query, clamped to 1..=MAX_PAGE.
pub fn page_number(page: Option<i64>) -> i64 {
    page.unwrap_or(1).clamp(1, MAX_PAGE)
}

/// Decode `application/x-www-form-urlencoded` pairs, keeping repeated names.
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    match (bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
                        (Some(h), Some(l)) => {
                            out.push(h * 16 + l);
                            i += 2;
                        }
                        _ => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    String::from_utf8_lossy(body)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// A yes/no in a link or form: `1`, `true` or `on` is yes; `0`, `false`,
/// `off` or empty is no; anything else is refused (the API answers 400). Links
/// here write `1`, API clients often `true`: both mean the same.
pub fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
    parse_flag(&text)
        .ok_or_else(|| serde::de::Error::custom("expected 1, true or on; 0, false, off or nothing"))
}

/// `Some(yes)` for the spellings `flag` takes, `None` for anything else.
pub fn parse_flag(text: &str) -> Option<bool> {
    match text.trim() {
        "1" | "true" | "on" => Some(true),
        "0" | "false" | "off" | "" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_line_breaks_become_plain_ones() {
        assert_eq!(normalise_newlines("a\r\nb\nc"), "a\nb\nc");
    }

    #[test]
    fn form_pairs_keep_repeated_names() {
        let pairs =
            form_pairs(b"reasons=conflict&reasons=after-hurt&path=growing&note=a+b%21&bad=%zz%e2%9c%93");
        assert_eq!(pairs.iter().filter(|(k, _)| k == "reasons").count(), 2);
        assert!(pairs.contains(&("note".into(), "a b!".into())));
        assert!(pairs.contains(&("bad".into(), "%zz✓".into())));
    }

    #[test]
    fn page_numbers_are_clamped() {
        assert_eq!(page_number(None), 1);
        assert_eq!(page_number(Some(-5)), 1);
        assert_eq!(page_number(Some(7)), 7);
        assert_eq!(page_number(Some(i64::MAX)), MAX_PAGE);
        assert!((MAX_PAGE - 1).checked_mul(1000).is_some());
    }

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/settings")), "/settings");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/practice/journal?page=2&prompt=x")), "/practice/journal?page=2&prompt=x");
        // Browsers strip tabs and line breaks, which would leave `//evil.example`.
        for bad in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/\0",
            "/a\nSet-Cookie: x=1",
            " /settings",
            "/ /evil.example",
            "javascript:alert(1)",
            "https:/evil.example",
            "/\u{7f}",
            "/é",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
    }

    #[test]
    fn a_flag_reads_both_spellings_and_refuses_others() {
        for (text, want) in [
            ("1", Some(true)),
            ("true", Some(true)),
            ("on", Some(true)),
            ("0", Some(false)),
            ("false", Some(false)),
            ("", Some(false)),
            ("yes", None),
            ("2", None),
            ("TRUE", None),
        ] {
            assert_eq!(parse_flag(text), want, "{text:?}");
        }
    }
}
