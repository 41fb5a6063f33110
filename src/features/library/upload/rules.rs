//! Pure parts of the upload protocol (tus 1.0 core): its headers.

/// The tus version we speak.
pub const TUS_VERSION: &str = "1.0.0";

/// Decodes standard base64 (tus metadata values); `None` when malformed.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut bits: u32 = 0;
    let mut count = 0;
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    // Leftover bits must be padding zeros, and a single extra character is never valid.
    if count >= 6 || bits != 0 { None } else { Some(out) }
}

/// One value of the `Upload-Metadata` header ("key base64,key base64"), as text.
pub fn metadata_value(header: &str, key: &str) -> Option<String> {
    header.split(',').find_map(|pair| {
        let mut parts = pair.trim().splitn(2, ' ');
        (parts.next()? == key).then_some(())?;
        let bytes = base64_decode(parts.next().unwrap_or("").trim())?;
        String::from_utf8(bytes).ok()
    })
}

/// A title from an uploaded file's name: without its extension and separators.
pub fn title_from_name(name: &str) -> String {
    let stem = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let words: String = stem
        .chars()
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect();
    let title: String = words.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(120).collect();
    if title.is_empty() { "Untitled recording".to_owned() } else { title }
}

/// "4 GiB", "512 MiB": a limit as people read it.
pub fn size_words(bytes: u64) -> String {
    const GIB: u64 = 1 << 30;
    const MIB: u64 = 1 << 20;
    if bytes >= GIB && bytes.is_multiple_of(GIB) {
        format!("{} GiB", bytes / GIB)
    } else if bytes >= GIB {
        format!("{:.1} GiB", bytes as f64 / GIB as f64)
    } else {
        format!("{} MiB", bytes.div_ceil(MIB))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_reads_what_browsers_write() {
        assert_eq!(base64_decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode("aGVsbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode("").as_deref(), Some(&b""[..]));
        assert_eq!(base64_decode("4pyT").map(String::from_utf8), Some(Ok("✓".to_owned())));
        assert_eq!(base64_decode("a"), None);
        assert_eq!(base64_decode("ab!c"), None);
    }

    #[test]
    fn metadata_values_are_found_by_key() {
        let header = "filename c2Vzc2lvbi5tcDQ=,title V2hhdCBzZWN1cmUgZmVlbHMgbGlrZQ==,flag";
        assert_eq!(metadata_value(header, "filename").as_deref(), Some("session.mp4"));
        assert_eq!(metadata_value(header, "title").as_deref(), Some("What secure feels like"));
        assert_eq!(metadata_value(header, "flag").as_deref(), Some(""));
        assert_eq!(metadata_value(header, "missing"), None);
    }

    #[test]
    fn titles_come_from_file_names_without_paths() {
        assert_eq!(title_from_name("../../etc/the-dance_we-get.stuck.mp4"), "the dance we get.stuck");
        assert_eq!(title_from_name("C:\\x\\Group session 3.webm"), "Group session 3");
        assert_eq!(title_from_name(".mp4"), "Untitled recording");
        assert_eq!(size_words(4 << 30), "4 GiB");
        assert_eq!(size_words(5 << 20), "5 MiB");
    }
}
