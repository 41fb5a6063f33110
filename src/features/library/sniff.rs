//! Recognise uploaded media by its content (magic bytes), never by its file name.
//!
//! [`sniff`] looks at the first [`SNIFF_LEN`] bytes of a file and answers with the
//! [`MediaKind`] it holds, or `None` for anything that is not a supported audio or
//! video format (images, text, archives, executables, Matroska that is not WebM …).

/// A media format the library accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Mp4,
    M4a,
    Webm,
    Mp3,
    Ogg,
}

impl MediaKind {
    /// The MIME type to serve this media with.
    pub fn content_type(self) -> &'static str {
        match self {
            MediaKind::Mp4 => "video/mp4",
            MediaKind::M4a => "audio/mp4",
            MediaKind::Webm => "video/webm",
            MediaKind::Mp3 => "audio/mpeg",
            MediaKind::Ogg => "audio/ogg",
        }
    }

    /// The file extension (without the dot) to store this media under.
    pub fn extension(self) -> &'static str {
        match self {
            MediaKind::Mp4 => "mp4",
            MediaKind::M4a => "m4a",
            MediaKind::Webm => "webm",
            MediaKind::Mp3 => "mp3",
            MediaKind::Ogg => "ogg",
        }
    }

    /// Whether this media is shown in a video player rather than an audio player.
    pub fn is_video(self) -> bool {
        matches!(self, MediaKind::Mp4 | MediaKind::Webm)
    }

    /// A stable name for storing the kind (e.g. in a database column); see [`MediaKind::parse`].
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Mp4 => "mp4",
            MediaKind::M4a => "m4a",
            MediaKind::Webm => "webm",
            MediaKind::Mp3 => "mp3",
            MediaKind::Ogg => "ogg",
        }
    }

    /// The inverse of [`MediaKind::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "mp4" => Some(MediaKind::Mp4),
            "m4a" => Some(MediaKind::M4a),
            "webm" => Some(MediaKind::Webm),
            "mp3" => Some(MediaKind::Mp3),
            "ogg" => Some(MediaKind::Ogg),
            _ => None,
        }
    }
}

/// How many leading bytes of a file [`sniff`] needs to decide.
pub const SNIFF_LEN: usize = 64;

/// Recognise the media kind from the first bytes of a file (pass at least [`SNIFF_LEN`]
/// bytes when the file has them; shorter input is fine and simply matches less).
pub fn sniff(head: &[u8]) -> Option<MediaKind> {
    let head = &head[..head.len().min(SNIFF_LEN)];
    if let Some(kind) = sniff_iso_bmff(head) {
        return Some(kind);
    }
    if is_webm(head) {
        return Some(MediaKind::Webm);
    }
    if is_ogg(head) {
        return Some(MediaKind::Ogg);
    }
    if is_id3v2(head) || is_mpeg_layer3_frame(head) {
        return Some(MediaKind::Mp3);
    }
    None
}

/// Major brands of ISO-BMFF files that hold audio only.
const AUDIO_BRANDS: [&[u8; 4]; 3] = [b"M4A ", b"M4B ", b"M4P "];

/// Major brands of ISO-BMFF files that are still images (HEIF, AVIF, JPEG 2000, camera raw),
/// which share the `ftyp` box with MP4 but are not playable media.
const IMAGE_BRANDS: [&[u8; 4]; 16] = [
    b"mif1", b"msf1", b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"avif",
    b"avis", b"avio", b"crx ", b"jp2 ", b"jpx ",
];

/// ISO base media file format: a `ftyp` box first, whose major brand tells audio from video.
fn sniff_iso_bmff(head: &[u8]) -> Option<MediaKind> {
    let size = u32::from_be_bytes(head.get(0..4)?.try_into().ok()?);
    if head.get(4..8)? != b"ftyp" || size < 16 {
        return None;
    }
    let brand: &[u8; 4] = head.get(8..12)?.try_into().ok()?;
    if !brand.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
        return None;
    }
    if AUDIO_BRANDS.contains(&brand) {
        Some(MediaKind::M4a)
    } else if IMAGE_BRANDS.contains(&brand) {
        None
    } else {
        Some(MediaKind::Mp4)
    }
}

const EBML_MAGIC: [u8; 4] = [0x1A, 0x45, 0xDF, 0xA3];
const EBML_DOC_TYPE_ID: [u8; 2] = [0x42, 0x82];

/// An EBML header whose `DocType` element says `webm` (plain Matroska is not accepted).
fn is_webm(head: &[u8]) -> bool {
    if !head.starts_with(&EBML_MAGIC) {
        return false;
    }
    let mut at = EBML_MAGIC.len();
    while let Some(offset) = head.get(at..).and_then(|rest| find(rest, &EBML_DOC_TYPE_ID)) {
        let value_at = at + offset + EBML_DOC_TYPE_ID.len();
        if let Some(doc_type) = ebml_string(head, value_at) {
            return doc_type == b"webm";
        }
        at = value_at;
    }
    false
}

/// Reads an EBML variable-length size at `at` followed by that many bytes of string data
/// (trailing NUL padding removed).
fn ebml_string(bytes: &[u8], at: usize) -> Option<&[u8]> {
    let first = *bytes.get(at)?;
    if first == 0 {
        return None;
    }
    let width = first.leading_zeros() as usize + 1;
    let mut len = u64::from(first) & (0xFF >> width);
    for byte in bytes.get(at + 1..at + width)? {
        len = (len << 8) | u64::from(*byte);
    }
    let len = usize::try_from(len).ok()?;
    let start = at + width;
    let value = bytes.get(start..start.checked_add(len)?)?;
    let end = value.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    Some(&value[..end])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// An Ogg page header: capture pattern `OggS` and stream structure version 0.
fn is_ogg(head: &[u8]) -> bool {
    head.starts_with(b"OggS") && head.get(4) == Some(&0)
}

/// An `ID3v2` tag header: `ID3`, major version 2–4, a revision below 0xFF and a
/// "syncsafe" size whose bytes all have the top bit clear.
fn is_id3v2(head: &[u8]) -> bool {
    let Some(header) = head.get(0..10) else {
        return false;
    };
    header.starts_with(b"ID3")
        && (2..=4).contains(&header[3])
        && header[4] != 0xFF
        && header[6..10].iter().all(|b| b & 0x80 == 0)
}

/// An MPEG audio frame header at the very start: 11-bit frame sync, a valid MPEG version,
/// layer III, a bitrate index other than the reserved 0xF, and a sample-rate index other
/// than the reserved 3.
fn is_mpeg_layer3_frame(head: &[u8]) -> bool {
    let Some(&[first, second, third]) = head.get(0..3) else {
        return false;
    };
    let version = (second >> 3) & 0b11;
    let layer = (second >> 1) & 0b11;
    let bitrate_index = third >> 4;
    let sample_rate_index = (third >> 2) & 0b11;
    first == 0xFF
        && second & 0xE0 == 0xE0
        && version != 0b01
        && layer == 0b01
        && bitrate_index != 0xF
        && sample_rate_index != 0b11
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [MediaKind; 5] =
        [MediaKind::Mp4, MediaKind::M4a, MediaKind::Webm, MediaKind::Mp3, MediaKind::Ogg];

    fn ftyp(brand: &[u8; 4]) -> Vec<u8> {
        let mut bytes = vec![0, 0, 0, 0x20];
        bytes.extend_from_slice(b"ftyp");
        bytes.extend_from_slice(brand);
        bytes.extend_from_slice(&[0, 0, 2, 0]);
        bytes.extend_from_slice(b"isomiso2avc1mp41");
        bytes.extend_from_slice(&[0, 0, 0, 8]);
        bytes.extend_from_slice(b"free");
        bytes
    }

    /// An EBML header like the ones written by ffmpeg and browsers' MediaRecorder.
    fn ebml_header(doc_type: &[u8]) -> Vec<u8> {
        let mut body = vec![
            0x42, 0x86, 0x81, 0x01, // EBMLVersion 1
            0x42, 0xF7, 0x81, 0x01, // EBMLReadVersion 1
            0x42, 0xF2, 0x81, 0x04, // EBMLMaxIDLength 4
            0x42, 0xF3, 0x81, 0x08, // EBMLMaxSizeLength 8
            0x42, 0x82, // DocType
        ];
        body.push(0x80 | u8::try_from(doc_type.len()).expect("short doc type"));
        body.extend_from_slice(doc_type);
        body.extend_from_slice(&[0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02]);
        let mut bytes = EBML_MAGIC.to_vec();
        bytes.push(0x80 | u8::try_from(body.len()).expect("short header"));
        bytes.extend_from_slice(&body);
        bytes.extend_from_slice(&[0x18, 0x53, 0x80, 0x67, 0x01, 0, 0, 0, 0, 0, 0, 0]);
        bytes
    }

    #[test]
    fn names_round_trip_and_describe_the_kind() {
        for kind in ALL {
            assert_eq!(MediaKind::parse(kind.as_str()), Some(kind));
            assert_eq!(kind.content_type().starts_with("video/"), kind.is_video());
        }
        assert_eq!(MediaKind::parse("MP4"), None);
        assert_eq!(MediaKind::parse(""), None);
        assert_eq!(MediaKind::Mp3.content_type(), "audio/mpeg");
        assert_eq!(MediaKind::M4a.content_type(), "audio/mp4");
        assert_eq!(MediaKind::Webm.extension(), "webm");
    }

    #[test]
    fn iso_bmff_video_brands_are_mp4() {
        for brand in [b"isom", b"iso2", b"mp41", b"mp42", b"avc1", b"dash", b"M4V "] {
            assert_eq!(sniff(&ftyp(brand)), Some(MediaKind::Mp4), "{brand:?}");
        }
    }

    #[test]
    fn iso_bmff_audio_brands_are_m4a() {
        for brand in [b"M4A ", b"M4B ", b"M4P "] {
            assert_eq!(sniff(&ftyp(brand)), Some(MediaKind::M4a), "{brand:?}");
        }
    }

    #[test]
    fn iso_bmff_still_images_are_rejected() {
        for brand in [b"heic", b"avif", b"mif1"] {
            assert_eq!(sniff(&ftyp(brand)), None, "{brand:?}");
        }
    }

    #[test]
    fn ftyp_that_is_too_short_or_misplaced_is_rejected() {
        let mut tiny = ftyp(b"isom");
        tiny[3] = 8;
        assert_eq!(sniff(&tiny), None);
        assert_eq!(sniff(&ftyp(b"isom")[..10]), None);
        let mut shifted = vec![0];
        shifted.extend_from_slice(&ftyp(b"isom"));
        assert_eq!(sniff(&shifted), None);
    }

    #[test]
    fn webm_is_recognised_but_plain_matroska_is_not() {
        assert_eq!(sniff(&ebml_header(b"webm")), Some(MediaKind::Webm));
        assert_eq!(sniff(&ebml_header(b"matroska")), None);
        assert_eq!(sniff(&EBML_MAGIC), None);
    }

    #[test]
    fn webm_doc_type_with_a_multi_byte_size_and_padding() {
        let mut bytes = EBML_MAGIC.to_vec();
        bytes.extend_from_slice(&[0x8F, 0x42, 0x82, 0x40, 0x05]);
        bytes.extend_from_slice(b"webm\0");
        assert_eq!(sniff(&bytes), Some(MediaKind::Webm));
    }

    #[test]
    fn webm_doc_type_must_lie_within_the_sniffed_bytes() {
        let mut bytes = EBML_MAGIC.to_vec();
        bytes.resize(SNIFF_LEN - 3, 0xEC);
        bytes.extend_from_slice(&[0x42, 0x82, 0x84]);
        bytes.extend_from_slice(b"webm");
        assert_eq!(sniff(&bytes), None);
    }

    #[test]
    fn truncated_webm_doc_type_is_rejected() {
        let mut bytes = EBML_MAGIC.to_vec();
        bytes.extend_from_slice(&[0x8F, 0x42, 0x82, 0x84, b'w', b'e']);
        assert_eq!(sniff(&bytes), None);
    }

    #[test]
    fn ogg_is_recognised() {
        let mut bytes = b"OggS\x00\x02".to_vec();
        bytes.extend_from_slice(&[0; 20]);
        bytes.extend_from_slice(b"\x01vorbis");
        assert_eq!(sniff(&bytes), Some(MediaKind::Ogg));
        assert_eq!(sniff(b"OggS\x01"), None);
    }

    #[test]
    fn mp3_with_id3_tag_is_recognised() {
        let mut bytes = b"ID3\x04\x00\x00\x00\x00\x23\x76".to_vec();
        bytes.extend_from_slice(b"TIT2\x00\x00\x00\x06\x00\x00\x03Hi");
        assert_eq!(sniff(&bytes), Some(MediaKind::Mp3));
        assert_eq!(sniff(b"ID3 is a tag format, says this text file"), None);
    }

    #[test]
    fn mp3_frame_sync_is_recognised() {
        // MPEG-1 layer III, 128 kbit/s, 44.1 kHz (the most common header).
        assert_eq!(sniff(&[0xFF, 0xFB, 0x90, 0x64, 0, 0]), Some(MediaKind::Mp3));
        // MPEG-2 layer III, no CRC.
        assert_eq!(sniff(&[0xFF, 0xF3, 0x48, 0xC4]), Some(MediaKind::Mp3));
        // MPEG-2.5 layer III.
        assert_eq!(sniff(&[0xFF, 0xE3, 0x18, 0xC4]), Some(MediaKind::Mp3));
    }

    #[test]
    fn invalid_mpeg_frame_headers_are_rejected() {
        // Reserved bitrate index 0xF.
        assert_eq!(sniff(&[0xFF, 0xFB, 0xF0, 0x64]), None);
        // Reserved sample-rate index 3.
        assert_eq!(sniff(&[0xFF, 0xFB, 0x9C, 0x64]), None);
        // Layer II and layer I.
        assert_eq!(sniff(&[0xFF, 0xFD, 0x90, 0x64]), None);
        assert_eq!(sniff(&[0xFF, 0xFF, 0x90, 0x64]), None);
        // Reserved layer 00 (also ADTS AAC's sync word 0xFFF1).
        assert_eq!(sniff(&[0xFF, 0xF1, 0x50, 0x80]), None);
        // Reserved MPEG version 01.
        assert_eq!(sniff(&[0xFF, 0xEB, 0x90, 0x64]), None);
        // Incomplete sync.
        assert_eq!(sniff(&[0xFF, 0xDB, 0x90, 0x64]), None);
        // Too short to tell.
        assert_eq!(sniff(&[0xFF, 0xFB]), None);
    }

    #[test]
    fn other_files_are_rejected() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x10";
        let jpeg = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00";
        let zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00";
        let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF";
        let elf = b"\x7FELF\x02\x01\x01\x00";
        let pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3";
        let text = b"Hello, this is just a text file pretending to be a video.mp4\n";
        let html = b"<!DOCTYPE html><html><body>ftyp OggS ID3</body></html>";
        let wav = b"RIFF\x24\x08\x00\x00WAVEfmt ";
        for bytes in [&png[..], jpeg, zip, exe, elf, pdf, text, html, wav, b"", &[0; SNIFF_LEN]] {
            assert_eq!(sniff(bytes), None, "{bytes:?}");
        }
    }

    #[test]
    fn extra_bytes_beyond_the_sniff_length_are_ignored() {
        let mut bytes = ftyp(b"mp42");
        bytes.resize(4096, 0xAB);
        assert_eq!(sniff(&bytes), Some(MediaKind::Mp4));
    }
}
