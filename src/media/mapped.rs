//! Recordings' files in the local folder, mapped into memory while they are
//! being played, so a byte range goes to the socket straight from the page
//! cache: no copy into a buffer of ours, and no buffer to allocate.
//!
//! A recording's file is written once, under a key of its own, and never
//! changed: a new upload gets a new key, and deleting one drops its mapping
//! here before the file is removed. A mapping of a file that is removed while
//! a range is still being sent stays readable until that range is done (and,
//! if a range mapped it again in that moment, until a minute after). Nothing
//! else may change or truncate a file in the recordings folder while the
//! server runs: reading a truncated mapping stops the process.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use memmap2::Mmap;

/// At most this many files stay mapped; the least recently used goes first.
const MAX_MAPPED: usize = 32;
/// A mapping unused for this long is dropped at the next range of any file.
const IDLE: Duration = Duration::from_secs(60);
const PAGE: usize = 4096;
/// Which parts of a file were brought in is kept per block of this size.
const BLOCK: usize = 1024 * 1024;

/// A mapped file, and which of its blocks have been brought in.
struct Mapped {
    map: Mmap,
    brought_in: Box<[AtomicU64]>,
}

impl Mapped {
    fn blocks(start: usize, end: usize) -> std::ops::Range<usize> {
        start / BLOCK..end.div_ceil(BLOCK)
    }

    fn is_in(&self, start: usize, end: usize) -> bool {
        Self::blocks(start, end)
            .all(|b| self.brought_in[b / 64].load(Ordering::Relaxed) & (1 << (b % 64)) != 0)
    }

    fn mark_in(&self, start: usize, end: usize) {
        for b in Self::blocks(start, end) {
            self.brought_in[b / 64].fetch_or(1 << (b % 64), Ordering::Relaxed);
        }
    }
}

struct Mapping {
    map: Arc<Mapped>,
    used: Instant,
}

#[derive(Default)]
pub struct MappedFiles {
    maps: Mutex<HashMap<String, Mapping>>,
}

/// A range of a mapping, as the owner of a `Bytes`.
struct MappedRange {
    map: Arc<Mapped>,
    start: usize,
    end: usize,
}

impl AsRef<[u8]> for MappedRange {
    fn as_ref(&self) -> &[u8] {
        &self.map.map[self.start..self.end]
    }
}

fn span(map: &Mapped, start: u64, len: u64) -> std::io::Result<(usize, usize)> {
    let (start, end) = (start as usize, start.saturating_add(len) as usize);
    if end > map.map.len() || start > end {
        return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "recording shorter than its row"));
    }
    Ok((start, end))
}

impl MappedFiles {
    /// `len` bytes of `key`'s file from `start`, without blocking: only when
    /// the file is mapped and every block of the range was brought in before
    /// (the kernel may still have dropped such a page under memory pressure,
    /// and reading it back then waits for the disk).
    pub fn range_if_ready(&self, key: &str, start: u64, len: u64) -> Option<Bytes> {
        let map = self.maps.lock().unwrap_or_else(|e| e.into_inner()).get_mut(key).map(|m| {
            m.used = Instant::now();
            m.map.clone()
        })?;
        let (start, end) = span(&map, start, len).ok()?;
        map.is_in(start, end).then(|| Bytes::from_owner(MappedRange { map, start, end }))
    }

    /// `len` bytes of `path` (the file of `key`) from `start`. Blocking: the
    /// pages are brought in here, so sending them does not wait for the disk.
    pub fn range(&self, key: &str, path: &Path, start: u64, len: u64) -> std::io::Result<Bytes> {
        let map = self.mapping(key, path)?;
        let (start, end) = span(&map, start, len)?;
        let _ = map.map.advise_range(memmap2::Advice::WillNeed, start, end - start);
        let mut touched = 0u8;
        for at in (start..end).step_by(PAGE).chain((end > start).then(|| end - 1)) {
            touched ^= map.map[at];
        }
        std::hint::black_box(touched);
        // Only whole blocks count as brought in.
        let whole =
            (start.div_ceil(BLOCK) * BLOCK, if end == map.map.len() { end } else { end / BLOCK * BLOCK });
        if whole.0 < whole.1 {
            map.mark_in(whole.0, whole.1);
        }
        Ok(Bytes::from_owner(MappedRange { map, start, end }))
    }

    /// Forget `key`'s mapping (before its file is removed).
    pub fn forget(&self, key: &str) {
        self.maps.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
    }

    fn mapping(&self, key: &str, path: &Path) -> std::io::Result<Arc<Mapped>> {
        let now = Instant::now();
        {
            let mut maps = self.maps.lock().unwrap_or_else(|e| e.into_inner());
            maps.retain(|_, m| now.duration_since(m.used) < IDLE);
            if let Some(m) = maps.get_mut(key) {
                m.used = now;
                return Ok(m.map.clone());
            }
        }
        let file = std::fs::File::open(path)?;
        // SAFETY: recordings' files are written once and never changed or
        // truncated (see the module's note), so the mapped bytes cannot
        // change under the slices handed out.
        let map = unsafe { Mmap::map(&file)? };
        let blocks = map.len().div_ceil(BLOCK).div_ceil(64);
        let map = Arc::new(Mapped { map, brought_in: (0..blocks).map(|_| AtomicU64::new(0)).collect() });
        let mut maps = self.maps.lock().unwrap_or_else(|e| e.into_inner());
        if maps.len() >= MAX_MAPPED
            && let Some(oldest) = maps.iter().min_by_key(|(_, m)| m.used).map(|(k, _)| k.clone())
        {
            maps.remove(&oldest);
        }
        maps.insert(key.to_owned(), Mapping { map: map.clone(), used: now });
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_come_from_the_file_and_stay_within_it() {
        let dir = std::env::temp_dir().join(format!("securebase-mapped-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.bin");
        let bytes: Vec<u8> = (0..3 * PAGE + 10).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let files = MappedFiles::default();
        assert!(files.range_if_ready("k", 0, 10).is_none(), "not mapped yet");
        let got = files.range("k", &path, 4000, 5000).unwrap();
        assert!(files.range_if_ready("k", 0, 10).is_none(), "a part of a block is not the block");
        assert_eq!(&got[..], &bytes[4000..9000]);
        assert_eq!(&files.range("k", &path, 0, bytes.len() as u64).unwrap()[..], &bytes[..]);
        assert_eq!(
            &files.range_if_ready("k", 10, 20).unwrap()[..],
            &bytes[10..30],
            "brought in: no blocking"
        );
        assert!(files.range_if_ready("k", 10, bytes.len() as u64).is_none(), "past the end is refused");
        assert!(files.range("k", &path, 10, bytes.len() as u64).is_err(), "past the end is refused");
        files.forget("k");
        std::fs::remove_file(&path).unwrap();
        assert!(files.range("k", &path, 0, 1).is_err(), "forgotten and gone");
        drop(got);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
