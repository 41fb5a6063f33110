//! Reading a stored recording's length from its own bytes (MP4 and M4A keep
//! it in their `moov` box): from the local file, or by small ranged reads.

use std::io::{Read, Seek, SeekFrom};

use super::mp4_duration;
use crate::state::AppState;

/// Seconds, or `None` when the file does not say.
pub async fn duration(state: &AppState, key: &str, size: u64) -> Option<u64> {
    if let Some(path) = state.media.local_path(key) {
        return tokio::task::spawn_blocking(move || {
            let file = std::fs::File::open(path).ok()?;
            mp4_duration::duration_seconds(&mut std::io::BufReader::new(file))
        })
        .await
        .ok()
        .flatten();
    }
    let state = state.clone();
    let key = key.to_owned();
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let mut reader = RangedReader { state, key, handle, size, position: 0 };
        mp4_duration::duration_seconds(&mut reader)
    })
    .await
    .ok()
    .flatten()
}

/// `Read + Seek` over an object, one ranged read per `read` (box headers are small).
struct RangedReader {
    state: AppState,
    key: String,
    handle: tokio::runtime::Handle,
    size: u64,
    position: u64,
}

impl Read for RangedReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.position >= self.size || buf.is_empty() {
            return Ok(0);
        }
        let end = (self.position + buf.len().min(64 * 1024) as u64).min(self.size);
        let bytes = self
            .handle
            .block_on(self.state.media.get_range(&self.key, self.position, end))
            .map_err(std::io::Error::other)?;
        buf[..bytes.len()].copy_from_slice(&bytes);
        self.position += bytes.len() as u64;
        Ok(bytes.len())
    }
}

impl Seek for RangedReader {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let next = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.size.checked_add_signed(d),
            SeekFrom::Current(d) => self.position.checked_add_signed(d),
        };
        self.position = next.ok_or_else(|| std::io::Error::other("seek before the start"))?;
        Ok(self.position)
    }
}
