//! Short-lived copies of what is read far more often than it is written.
//!
//! - **Public pages** a visitor sees, and the few facts about a recording that
//!   each of its byte ranges needs. An entry lives for `ttl` (a second by
//!   default) and is dropped at once when this instance writes what it was
//!   made from (`bump`). Several instances on one database each keep their
//!   own copies, so another instance's write shows here within `ttl`; a
//!   scheduled post appears within `ttl` of its time. Nothing private is kept
//!   in these, and nothing about who may see what: access is read afresh on
//!   every request.
//! - **A member's own dashboard** (`assess::dashboard`), keyed by the member,
//!   the range, their day and time zone, and the version of their data read
//!   with the session on the same request. Any write to what it was drawn
//!   from, on any instance, changes the version, so a kept dashboard is never
//!   served after a change; `ttl` only bounds how long it stays in memory.
//!   Only the member's own session can name its key.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::HeaderMap;

/// At most this many copies by default; when full, expired ones go first, and
/// a new copy waits for room rather than pushing out a live one.
const MAX_ENTRIES: usize = 512;
/// A page larger than this is not kept.
pub const MAX_BODY: usize = 1024 * 1024;

/// A kept response: the headers its handler set, and its body.
#[derive(Clone)]
pub struct CachedPage {
    pub headers: HeaderMap,
    pub body: Bytes,
}

struct Entry<T> {
    value: T,
    made_at: Instant,
    generation: u64,
}

/// Copies of `T` by key, each for `ttl` or until the next `bump`.
pub struct Kept<T> {
    ttl: Duration,
    room: usize,
    generation: AtomicU64,
    entries: RwLock<HashMap<String, Entry<T>>>,
}

/// Visitors' copies of public pages (bodies over `MAX_BODY` are not kept).
pub type PageCache = Kept<CachedPage>;

/// What a member's own page showed, kept for their next request (see the
/// notes above): the version of their data it was drawn from, the page's body
/// below the header, and the same as the API's JSON.
pub struct MemberCopy {
    pub version: Option<i64>,
    pub page_body: String,
    pub json: Bytes,
}

/// Members' copies, under keys that start with the member's id.
pub type MemberCopies = Kept<Arc<MemberCopy>>;

/// How many member copies an instance keeps at most.
pub const MEMBER_COPIES: usize = 256;

impl MemberCopies {
    /// The key of one of a member's copies: their id, then what tells their
    /// copies apart.
    pub fn member_key(user_id: &str, which: &str) -> String {
        format!("{user_id}\n{which}")
    }

    /// Forget every copy kept for the member here, at once.
    pub fn forget_member(&self, user_id: &str) {
        let prefix = Self::member_key(user_id, "");
        self.forget(|key| key.starts_with(&prefix));
    }
}

impl<T: Clone> Kept<T> {
    /// `ttl` of zero keeps nothing.
    pub fn new(ttl: Duration) -> Self {
        Self::with_room(ttl, MAX_ENTRIES)
    }

    /// At most `room` copies at once.
    pub fn with_room(ttl: Duration, room: usize) -> Self {
        Kept { ttl, room, generation: AtomicU64::new(0), entries: RwLock::new(HashMap::new()) }
    }

    pub fn enabled(&self) -> bool {
        !self.ttl.is_zero()
    }

    /// The generation a render starts in: a copy made across a `bump` is
    /// never kept as current.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// A live copy of `key`, if there is one.
    pub fn get(&self, key: &str) -> Option<T> {
        if !self.enabled() {
            return None;
        }
        let generation = self.generation();
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(key)?;
        (entry.generation == generation && entry.made_at.elapsed() < self.ttl).then(|| entry.value.clone())
    }

    /// Keep a copy made from what was current at `generation`.
    pub fn put(&self, key: String, generation: u64, value: T) {
        if !self.enabled() || generation != self.generation() {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.room && !entries.contains_key(&key) {
            let current = self.generation();
            entries.retain(|_, e| e.generation == current && e.made_at.elapsed() < self.ttl);
            if entries.len() >= self.room {
                return;
            }
        }
        entries.insert(key, Entry { value, made_at: Instant::now(), generation });
    }

    /// Drop every copy whose key `matches` at once.
    pub fn forget(&self, matches: impl Fn(&str) -> bool) {
        self.entries.write().unwrap_or_else(|e| e.into_inner()).retain(|key, _| !matches(key));
    }

    /// What the copies were made from changed: none of them is current now.
    pub fn bump(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    pub fn len(&self) -> usize {
        self.entries.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &'static str) -> CachedPage {
        CachedPage { headers: HeaderMap::new(), body: Bytes::from_static(text.as_bytes()) }
    }

    #[test]
    fn a_copy_lives_until_its_time_or_the_next_write() {
        let cache = PageCache::new(Duration::from_millis(80));
        let g = cache.generation();
        cache.put("/faq".into(), g, page("one"));
        assert_eq!(cache.get("/faq").unwrap().body, "one");
        cache.bump();
        assert!(cache.get("/faq").is_none(), "a write makes every copy stale");
        // A render that began before the write is not kept.
        cache.put("/faq".into(), g, page("old"));
        assert!(cache.get("/faq").is_none());
        cache.put("/faq".into(), cache.generation(), page("two"));
        assert_eq!(cache.get("/faq").unwrap().body, "two");
        std::thread::sleep(Duration::from_millis(100));
        assert!(cache.get("/faq").is_none(), "and no longer than its time");
    }

    #[test]
    fn it_stays_bounded() {
        let cache = PageCache::new(Duration::from_secs(60));
        for i in 0..MAX_ENTRIES + 50 {
            cache.put(format!("/search?q={i}"), cache.generation(), page("x"));
        }
        assert_eq!(cache.len(), MAX_ENTRIES);
        assert!(cache.get(&format!("/search?q={}", MAX_ENTRIES + 10)).is_none(), "no room, not kept");
        cache.bump();
        cache.put("/posts".into(), cache.generation(), page("fresh"));
        assert_eq!(cache.len(), 1, "stale copies make room");
    }

    #[test]
    fn a_members_copies_are_forgotten_together() {
        let copies = MemberCopies::with_room(Duration::from_secs(60), 4);
        let copy = Arc::new(MemberCopy { version: Some(1), page_body: "x".into(), json: Bytes::new() });
        for (user, which) in [("ana", "week"), ("ana", "all"), ("anas", "week")] {
            copies.put(MemberCopies::member_key(user, which), copies.generation(), copy.clone());
        }
        copies.forget_member("ana");
        assert_eq!(copies.len(), 1, "another member's, whose id begins the same, stays");
        assert!(copies.get(&MemberCopies::member_key("anas", "week")).is_some());
        assert!(copies.get(&MemberCopies::member_key("ana", "week")).is_none());
    }

    #[test]
    fn a_zero_time_keeps_nothing() {
        let cache = PageCache::new(Duration::ZERO);
        cache.put("/faq".into(), cache.generation(), page("one"));
        assert!(cache.get("/faq").is_none());
        assert!(cache.is_empty());
    }
}
