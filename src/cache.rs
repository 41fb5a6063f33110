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
//! - **A member's own pages** (`web::kept_pages`: the dashboard, the home,
//!   the journal list and the check-in pages), kept under the member and
//!   which page it is, with what it was drawn from: the version of their
//!   data, their day and time zone, and what else the page depends on
//!   (`DrawnFrom::also`).
//!   It is used only when the version read with the session on this request,
//!   the day and the zone are the same. Any write to what it was drawn from,
//!   on any instance, changes the version in the writing transaction, so a
//!   kept page is not served after a change; `ttl` bounds how long it
//!   stays in memory (`sweep` runs every quarter of `ttl`, so at most a
//!   quarter longer). Only the member's own session can name its key.

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

/// What a member's own page or answer was drawn from: the version of their
/// data read with the session, their day and their time zone, and whatever
/// else the page depends on (`also`: which page of a list, say).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawnFrom {
    pub version: i64,
    pub day: String,
    pub time_zone: String,
    pub also: String,
}

/// What a member's own page or answer returned, kept for their next request
/// (see the notes above).
pub struct MemberCopy {
    pub drawn_from: DrawnFrom,
    pub body: Bytes,
}

/// Members' copies, under keys that start with the member's id.
pub type MemberCopies = Kept<Arc<MemberCopy>>;

/// How many member copies an instance keeps at most.
pub const MEMBER_COPIES: usize = 1024;

impl MemberCopies {
    /// The key of one of a member's copies: their id, then what tells their
    /// copies apart (never the version, day or time zone, so a newer copy
    /// takes the place of an older one).
    pub fn member_key(user_id: &str, which: &str) -> String {
        format!("{user_id}\n{which}")
    }

    /// The body kept under `key`, if it was drawn from exactly `drawn_from`.
    pub fn current(&self, key: &str, drawn_from: &DrawnFrom) -> Option<Bytes> {
        self.get(key).filter(|copy| copy.drawn_from == *drawn_from).map(|copy| copy.body.clone())
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
            self.keep_live(&mut entries);
            if entries.len() >= self.room {
                return;
            }
        }
        entries.insert(key, Entry { value, made_at: Instant::now(), generation });
    }

    /// Drop every copy whose time is up (a copy past its time is never used,
    /// but stays in memory until this or a full `put` removes it).
    pub fn sweep(&self) {
        self.keep_live(&mut self.entries.write().unwrap_or_else(|e| e.into_inner()));
    }

    /// Drop the copies that are stale or past their time.
    fn keep_live(&self, entries: &mut HashMap<String, Entry<T>>) {
        let current = self.generation();
        entries.retain(|_, e| e.generation == current && e.made_at.elapsed() < self.ttl);
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
        let drawn_from =
            DrawnFrom { version: 1, day: "2026-12-07".into(), time_zone: "UTC".into(), also: String::new() };
        let copy = Arc::new(MemberCopy { drawn_from: drawn_from.clone(), body: Bytes::from_static(b"x") });
        for (user, which) in [("ana", "week"), ("ana", "all"), ("anas", "week")] {
            copies.put(MemberCopies::member_key(user, which), copies.generation(), copy.clone());
        }
        copies.forget_member("ana");
        assert_eq!(copies.len(), 1, "another member's, whose id begins the same, stays");
        assert!(copies.current(&MemberCopies::member_key("anas", "week"), &drawn_from).is_some());
        assert!(copies.get(&MemberCopies::member_key("ana", "week")).is_none());
    }

    #[test]
    fn a_member_copy_is_used_only_for_what_it_was_drawn_from() {
        let copies = MemberCopies::with_room(Duration::from_secs(60), 4);
        let drawn_from =
            DrawnFrom { version: 7, day: "2026-12-07".into(), time_zone: "UTC".into(), also: String::new() };
        let key = MemberCopies::member_key("ana", "week");
        let copy = Arc::new(MemberCopy { drawn_from: drawn_from.clone(), body: Bytes::from_static(b"x") });
        copies.put(key.clone(), copies.generation(), copy);
        assert_eq!(copies.current(&key, &drawn_from).unwrap(), "x");
        let later = DrawnFrom { version: 8, ..drawn_from.clone() };
        let next_day = DrawnFrom { day: "2026-12-08".into(), ..drawn_from.clone() };
        let elsewhere = DrawnFrom { time_zone: "Asia/Tokyo".into(), ..drawn_from.clone() };
        let another_page = DrawnFrom { also: "before=1".into(), ..drawn_from.clone() };
        for other in [later, next_day, elsewhere, another_page] {
            assert!(copies.current(&key, &other).is_none(), "{other:?}");
        }
    }

    #[test]
    fn a_sweep_removes_what_is_past_its_time() {
        let cache = PageCache::new(Duration::from_millis(300));
        cache.put("/faq".into(), cache.generation(), page("one"));
        cache.sweep();
        assert_eq!(cache.len(), 1, "still live");
        std::thread::sleep(Duration::from_millis(350));
        assert_eq!(cache.len(), 1, "past its time, but still held");
        cache.sweep();
        assert!(cache.is_empty());
    }

    #[test]
    fn a_zero_time_keeps_nothing() {
        let cache = PageCache::new(Duration::ZERO);
        cache.put("/faq".into(), cache.generation(), page("one"));
        assert!(cache.get("/faq").is_none());
        assert!(cache.is_empty());
    }
}
