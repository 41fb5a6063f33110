//! Read the playing time of an MP4 / M4A file from its `moov/mvhd` box, without a media crate.
//!
//! Only box headers are read while walking the file; large boxes such as `mdat` are skipped
//! with a seek, so a `moov` box that comes after the media data costs no more than one at
//! the front. Anything malformed yields `None` rather than a guess.

use std::io::{Read, Seek, SeekFrom};

/// At most this many boxes are looked at on one level, so a file made of millions of tiny
/// boxes cannot keep the reader busy.
const MAX_BOXES_PER_LEVEL: usize = 1024;

/// The duration of the movie in whole seconds (rounded down), read from `moov/mvhd`.
///
/// The whole stream is examined, from its start to its end, whatever the reader's current
/// position. Returns `None` when there is no `moov/mvhd`, when a box size does not fit
/// its parent, when the timescale is 0 or the duration is marked unknown, and on I/O errors.
pub fn duration_seconds(reader: &mut (impl Read + Seek)) -> Option<u64> {
    let end = reader.seek(SeekFrom::End(0)).ok()?;
    let moov = find_box(reader, 0, end, b"moov")?;
    let mvhd = find_box(reader, moov.payload_start, moov.end, b"mvhd")?;
    read_mvhd_duration(reader, &mvhd)
}

/// The position of a box inside the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct BoxSpan {
    kind: [u8; 4],
    payload_start: u64,
    end: u64,
}

impl BoxSpan {
    fn payload_len(&self) -> u64 {
        self.end - self.payload_start
    }
}

/// Walks the sibling boxes between `start` and `end` and returns the first of type `kind`.
fn find_box(reader: &mut (impl Read + Seek), start: u64, end: u64, kind: &[u8; 4]) -> Option<BoxSpan> {
    let mut position = start;
    for _ in 0..MAX_BOXES_PER_LEVEL {
        if position >= end {
            return None;
        }
        let found = read_box_header(reader, position, end)?;
        if &found.kind == kind {
            return Some(found);
        }
        // Every box is at least as long as its header, so this always moves forward.
        position = found.end;
    }
    None
}

/// Reads the header of the box at `position`, which must lie entirely before `limit`.
fn read_box_header(reader: &mut (impl Read + Seek), position: u64, limit: u64) -> Option<BoxSpan> {
    reader.seek(SeekFrom::Start(position)).ok()?;
    let mut header = [0u8; 8];
    read_exactly(reader, &mut header, position, limit)?;
    let [s0, s1, s2, s3, k0, k1, k2, k3] = header;
    let size32 = u32::from_be_bytes([s0, s1, s2, s3]);
    let kind = [k0, k1, k2, k3];
    let (size, header_len) = match size32 {
        0 => (limit - position, 8),
        1 => {
            let mut large = [0u8; 8];
            read_exactly(reader, &mut large, position + 8, limit)?;
            (u64::from_be_bytes(large), 16)
        }
        n => (u64::from(n), 8),
    };
    if size < header_len {
        return None;
    }
    let end = position.checked_add(size)?;
    if end > limit {
        return None;
    }
    Some(BoxSpan { kind, payload_start: position + header_len, end })
}

/// Fills `buffer` from the reader (positioned at `position`) unless that would cross `limit`.
fn read_exactly(reader: &mut impl Read, buffer: &mut [u8], position: u64, limit: u64) -> Option<()> {
    let needed = u64::try_from(buffer.len()).ok()?;
    if position.checked_add(needed)? > limit {
        return None;
    }
    reader.read_exact(buffer).ok()
}

/// Reads timescale and duration from an `mvhd` (movie header) box.
///
/// Payload layout: version (1 byte), flags (3), then for version 0: creation and
/// modification time (u32 each), timescale (u32 at 12), duration (u32 at 16); for version 1:
/// creation and modification time (u64 each), timescale (u32 at 20), duration (u64 at 24).
fn read_mvhd_duration(reader: &mut (impl Read + Seek), mvhd: &BoxSpan) -> Option<u64> {
    let mut payload = [0u8; 32];
    let available = usize::try_from(mvhd.payload_len().min(32)).ok()?;
    reader.seek(SeekFrom::Start(mvhd.payload_start)).ok()?;
    reader.read_exact(&mut payload[..available]).ok()?;
    let payload = &payload[..available];

    let (timescale, duration) = match *payload.first()? {
        0 => {
            let duration = be_u32(payload, 16)?;
            if duration == u32::MAX {
                return None;
            }
            (be_u32(payload, 12)?, u64::from(duration))
        }
        1 => {
            let duration = be_u64(payload, 24)?;
            if duration == u64::MAX {
                return None;
            }
            (be_u32(payload, 20)?, duration)
        }
        _ => return None,
    };
    if timescale == 0 {
        return None;
    }
    Some(duration / u64::from(timescale))
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn be_u64(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// A box with a 32-bit size.
    fn mp4_box(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let size = u32::try_from(payload.len() + 8).expect("test box fits");
        let mut bytes = size.to_be_bytes().to_vec();
        bytes.extend_from_slice(kind);
        bytes.extend_from_slice(payload);
        bytes
    }

    /// A box with a 64-bit "largesize".
    fn large_box(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut bytes = 1u32.to_be_bytes().to_vec();
        bytes.extend_from_slice(kind);
        bytes.extend_from_slice(&(payload.len() as u64 + 16).to_be_bytes());
        bytes.extend_from_slice(payload);
        bytes
    }

    fn mvhd_v0(timescale: u32, duration: u32) -> Vec<u8> {
        let mut payload = vec![0, 0, 0, 0];
        payload.extend_from_slice(&3_000_000_000u32.to_be_bytes()); // creation time
        payload.extend_from_slice(&3_000_000_001u32.to_be_bytes()); // modification time
        payload.extend_from_slice(&timescale.to_be_bytes());
        payload.extend_from_slice(&duration.to_be_bytes());
        payload.extend_from_slice(&0x0001_0000u32.to_be_bytes()); // rate 1.0
        payload.extend_from_slice(&[0x01, 0x00]); // volume 1.0
        payload.resize(100, 0); // reserved, matrix, pre-defined, next track id
        mp4_box(b"mvhd", &payload)
    }

    fn mvhd_v1(timescale: u32, duration: u64) -> Vec<u8> {
        let mut payload = vec![1, 0, 0, 0];
        payload.extend_from_slice(&3_000_000_000u64.to_be_bytes());
        payload.extend_from_slice(&3_000_000_001u64.to_be_bytes());
        payload.extend_from_slice(&timescale.to_be_bytes());
        payload.extend_from_slice(&duration.to_be_bytes());
        payload.resize(112, 0);
        mp4_box(b"mvhd", &payload)
    }

    fn ftyp() -> Vec<u8> {
        mp4_box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2avc1mp41")
    }

    fn moov(mvhd: &[u8]) -> Vec<u8> {
        let mut children = mp4_box(b"udta", b"\x00\x00\x00\x08meta");
        children.extend_from_slice(mvhd);
        children.extend_from_slice(&mp4_box(b"trak", &[0; 24]));
        mp4_box(b"moov", &children)
    }

    fn file(boxes: &[Vec<u8>]) -> Cursor<Vec<u8>> {
        Cursor::new(boxes.concat())
    }

    /// A reader that fails the test if the `mdat` payload (filled with 0xEE) is ever read.
    struct NoMdatReads(Cursor<Vec<u8>>);

    impl Read for NoMdatReads {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.read(buf)?;
            assert!(!buf[..n].contains(&0xEE), "media data was read");
            Ok(n)
        }
    }

    impl Seek for NoMdatReads {
        fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
            self.0.seek(pos)
        }
    }

    #[test]
    fn moov_before_mdat() {
        let mut reader = file(&[ftyp(), moov(&mvhd_v0(1000, 93_500)), mp4_box(b"mdat", &[0xEE; 64])]);
        assert_eq!(duration_seconds(&mut reader), Some(93));
    }

    #[test]
    fn moov_after_mdat_is_found_without_reading_media_data() {
        let bytes =
            [ftyp(), mp4_box(b"free", &[]), mp4_box(b"mdat", &[0xEE; 4096]), moov(&mvhd_v0(600, 1_800))]
                .concat();
        let mut reader = NoMdatReads(Cursor::new(bytes));
        assert_eq!(duration_seconds(&mut reader), Some(3));
    }

    #[test]
    fn moov_after_a_largesize_mdat() {
        let mut reader =
            file(&[ftyp(), large_box(b"mdat", &[0xEE; 300]), moov(&mvhd_v0(44_100, 44_100 * 61 + 5))]);
        assert_eq!(duration_seconds(&mut reader), Some(61));
    }

    #[test]
    fn version_1_movie_header() {
        let mut reader = file(&[ftyp(), moov(&mvhd_v1(90_000, 90_000 * 7_200 + 89_999))]);
        assert_eq!(duration_seconds(&mut reader), Some(7_200));
        let mut huge = file(&[moov(&mvhd_v1(1, u64::MAX - 1))]);
        assert_eq!(duration_seconds(&mut huge), Some(u64::MAX - 1));
    }

    #[test]
    fn moov_extending_to_the_end_with_size_zero() {
        let mut last = moov(&mvhd_v0(1000, 5_000));
        last[..4].copy_from_slice(&[0, 0, 0, 0]);
        let mut reader = file(&[ftyp(), last]);
        assert_eq!(duration_seconds(&mut reader), Some(5));
    }

    #[test]
    fn reader_position_does_not_matter() {
        let mut reader = file(&[ftyp(), moov(&mvhd_v0(1000, 2_000))]);
        reader.set_position(17);
        assert_eq!(duration_seconds(&mut reader), Some(2));
    }

    #[test]
    fn zero_timescale_and_unknown_duration_are_rejected() {
        assert_eq!(duration_seconds(&mut file(&[moov(&mvhd_v0(0, 1_000))])), None);
        assert_eq!(duration_seconds(&mut file(&[moov(&mvhd_v1(0, 1_000))])), None);
        assert_eq!(duration_seconds(&mut file(&[moov(&mvhd_v0(1000, u32::MAX))])), None);
        assert_eq!(duration_seconds(&mut file(&[moov(&mvhd_v1(1000, u64::MAX))])), None);
    }

    #[test]
    fn unknown_mvhd_version_is_rejected() {
        let mut mvhd = mvhd_v0(1000, 1_000);
        mvhd[8] = 2;
        assert_eq!(duration_seconds(&mut file(&[moov(&mvhd)])), None);
    }

    #[test]
    fn missing_moov_or_mvhd() {
        assert_eq!(duration_seconds(&mut file(&[ftyp(), mp4_box(b"mdat", &[0; 32])])), None);
        let moov_without_mvhd = mp4_box(b"moov", &mp4_box(b"trak", &[0; 16]));
        assert_eq!(duration_seconds(&mut file(&[ftyp(), moov_without_mvhd])), None);
        assert_eq!(duration_seconds(&mut Cursor::new(Vec::new())), None);
    }

    #[test]
    fn mvhd_outside_moov_does_not_count() {
        let mut reader = file(&[ftyp(), mvhd_v0(1000, 9_000), mp4_box(b"moov", &[])]);
        assert_eq!(duration_seconds(&mut reader), None);
    }

    #[test]
    fn truncated_files_are_rejected() {
        let whole = [ftyp(), moov(&mvhd_v0(1000, 9_000))].concat();
        for cut in [whole.len() - 1, whole.len() - 60, 30, 20, 5] {
            let mut reader = Cursor::new(whole[..cut].to_vec());
            assert_eq!(duration_seconds(&mut reader), None, "cut at {cut}");
        }
    }

    #[test]
    fn mvhd_too_short_for_its_version() {
        let short_v0 = mp4_box(b"mvhd", &[0; 19]);
        assert_eq!(duration_seconds(&mut file(&[moov(&short_v0)])), None);
        let mut short_v1 = vec![1];
        short_v1.resize(31, 0);
        assert_eq!(duration_seconds(&mut file(&[moov(&mp4_box(b"mvhd", &short_v1))])), None);
    }

    #[test]
    fn box_sizes_that_do_not_fit_are_rejected() {
        // A child box claiming more than its parent holds.
        let mut mvhd = mvhd_v0(1000, 9_000);
        mvhd[3] += 1;
        let moov_box = mp4_box(b"moov", &[mp4_box(b"udta", &[]), mvhd].concat());
        let after = mp4_box(b"free", &[0; 8]);
        assert_eq!(duration_seconds(&mut file(&[moov_box, after])), None);
        // A top-level box claiming more than the file holds.
        let mut mdat = mp4_box(b"mdat", &[0; 16]);
        mdat[..4].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(duration_seconds(&mut file(&[ftyp(), mdat, moov(&mvhd_v0(1, 1))])), None);
        // A largesize that overflows the position.
        let mut huge = large_box(b"mdat", &[]);
        huge[8..16].copy_from_slice(&u64::MAX.to_be_bytes());
        assert_eq!(duration_seconds(&mut file(&[ftyp(), huge, moov(&mvhd_v0(1, 1))])), None);
    }

    #[test]
    fn sizes_smaller_than_the_header_are_rejected_instead_of_looping() {
        for size in [2u32, 7] {
            let mut stuck = mp4_box(b"free", &[0; 8]);
            stuck[..4].copy_from_slice(&size.to_be_bytes());
            assert_eq!(duration_seconds(&mut file(&[ftyp(), stuck, moov(&mvhd_v0(1, 1))])), None);
        }
        let mut small_large = large_box(b"free", &[]);
        small_large[8..16].copy_from_slice(&15u64.to_be_bytes());
        assert_eq!(duration_seconds(&mut file(&[small_large, moov(&mvhd_v0(1, 1))])), None);
    }

    #[test]
    fn many_tiny_boxes_are_given_up_on() {
        let mut boxes = vec![mp4_box(b"free", &[]); MAX_BOXES_PER_LEVEL];
        boxes.push(moov(&mvhd_v0(1, 1)));
        assert_eq!(duration_seconds(&mut file(&boxes)), None);
        boxes.remove(0);
        assert_eq!(duration_seconds(&mut file(&boxes)), Some(1));
    }

    #[test]
    fn garbage_is_rejected() {
        let garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        assert_eq!(duration_seconds(&mut Cursor::new(garbage)), None);
        assert_eq!(duration_seconds(&mut Cursor::new(b"not an mp4 at all, just text".to_vec())), None);
        assert_eq!(duration_seconds(&mut Cursor::new(vec![0xFF; 64])), None);
    }
}
