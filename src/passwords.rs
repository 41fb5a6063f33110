//! Argon2id hashing on the blocking pool, with a cap on how many run at once.
//! Below the features, so the shared state can hold the cap.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Argon2id needs about 19 MiB for each password it checks. `PasswordWork`
/// caps how many run at once, so a burst of sign-ins cannot take the memory
/// of the machine; a request that cannot start within `wait` is told to come
/// back (503 with Retry-After) instead of queueing without end.
///
/// Two things keep one person from crowding everyone else out of that cap:
/// - work for an address (a sign-in or sign-up from outside) may have at most
///   `PER_ADDRESS` hashes in flight; more are turned away at once;
/// - members already known (a known device, or a password asked for again
///   inside a session) have a lane of their own beside the shared one.
///
/// The permit, and the count of hashes running, are held by the hashing
/// itself on the blocking pool: a request that hangs up does not free its
/// place while its hash still runs.
pub struct PasswordWork {
    shared: Arc<Semaphore>,
    known: Arc<Semaphore>,
    limit: usize,
    wait: Duration,
    in_flight_by_address: Arc<Mutex<HashMap<String, usize>>>,
    running: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

/// Whose password work it is.
#[derive(Debug, Clone, Copy)]
pub enum Lane<'a> {
    /// From this address, not yet known: the shared lane, a few at a time.
    Address(&'a str),
    /// A known device or a signed-in member (or the command line): its own lane.
    Known,
}

/// A place for one password check, taken with `PasswordWork::admit`.
pub struct Admission {
    address: Option<AddressPlace>,
}

/// Hashes one address may have in flight at once.
pub const PER_ADDRESS: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("too many passwords are being checked at once")]
    Busy,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// How long to suggest waiting when the server is busy checking passwords.
pub const BUSY_RETRY_AFTER: i64 = 5;

/// Held by a hash while it runs: gives back its place when the hash ends,
/// however the request that asked for it ended.
struct Running {
    _permit: OwnedSemaphorePermit,
    _address: Option<AddressPlace>,
    running: Arc<AtomicUsize>,
}

/// One of an address's places in flight, given back when dropped: whether the
/// request gave up while waiting for a permit or the hash has finished.
struct AddressPlace {
    map: Arc<Mutex<HashMap<String, usize>>>,
    key: String,
}

impl Drop for AddressPlace {
    fn drop(&mut self) {
        release_address(&self.map, &self.key);
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.running.fetch_sub(1, Ordering::SeqCst) == 1 {
            // The burst is over: hand back what the allocator kept of it.
            crate::memory::release_free_memory();
        }
    }
}

fn release_address(map: &Mutex<HashMap<String, usize>>, key: &str) {
    let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(n) = map.get_mut(key) {
        *n -= 1;
        if *n == 0 {
            map.remove(key);
        }
    }
}

impl PasswordWork {
    pub fn new(limit: usize, wait: Duration) -> Self {
        let limit = limit.max(1);
        PasswordWork {
            shared: Arc::new(Semaphore::new(limit)),
            known: Arc::new(Semaphore::new(limit.div_ceil(2))),
            limit,
            wait,
            in_flight_by_address: Arc::new(Mutex::new(HashMap::new())),
            running: Arc::new(AtomicUsize::new(0)),
            peak: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// About twice the cores: enough to keep them busy, little enough to bound memory.
    pub fn default_limit() -> usize {
        std::thread::available_parallelism().map_or(2, |n| n.get()) * 2
    }

    /// The most hashes that may run at once: both lanes together.
    pub fn limit(&self) -> usize {
        self.limit + self.limit.div_ceil(2)
    }

    /// The most hashes that have run at the same time since start (counted
    /// by the hashing itself).
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// Take a place for password work without waiting: refused at once
    /// (Busy) when this address already has its few checks in flight. Callers
    /// that write anything first (the sign-in counts) ask here before.
    pub fn admit(&self, lane: Lane<'_>) -> Result<Admission, PasswordError> {
        let address = match lane {
            Lane::Address(a) => {
                let mut map = self.in_flight_by_address.lock().unwrap_or_else(|e| e.into_inner());
                let n = map.entry(a.to_owned()).or_insert(0);
                if *n >= PER_ADDRESS {
                    return Err(PasswordError::Busy);
                }
                *n += 1;
                Some(AddressPlace { map: self.in_flight_by_address.clone(), key: a.to_owned() })
            }
            Lane::Known => None,
        };
        Ok(Admission { address })
    }

    async fn run<T: Send + 'static>(
        &self,
        admission: Admission,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, PasswordError> {
        let address = admission.address;
        let semaphore = if address.is_some() { &self.shared } else { &self.known };
        let permit = match tokio::time::timeout(self.wait, semaphore.clone().acquire_owned()).await {
            Ok(Ok(p)) => p,
            Ok(Err(e)) => return Err(PasswordError::Internal(e.into())),
            Err(_) => return Err(PasswordError::Busy),
        };
        let running = self.running.clone();
        let peak = self.peak.clone();
        tokio::task::spawn_blocking(move || {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            let _running = Running { _permit: permit, _address: address, running };
            work()
        })
        .await
        .map_err(|e| PasswordError::Internal(e.into()))
    }

    /// Hash with Argon2id (the crate's recommended parameters) on the blocking pool.
    pub async fn hash(&self, password: String, lane: Lane<'_>) -> Result<String, PasswordError> {
        self.run(self.admit(lane)?, move || {
            Argon2::default()
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
        })
        .await?
        .map_err(PasswordError::Internal)
    }

    /// Verify on the blocking pool. With no stored hash (unknown email) a dummy
    /// hash is verified instead, so both cases take the same time.
    pub async fn verify(
        &self,
        password: String,
        stored_hash: Option<String>,
        lane: Lane<'_>,
    ) -> Result<bool, PasswordError> {
        self.verify_admitted(self.admit(lane)?, password, stored_hash).await
    }

    /// `verify`, in a place taken earlier with `admit`.
    pub async fn verify_admitted(
        &self,
        admission: Admission,
        password: String,
        stored_hash: Option<String>,
    ) -> Result<bool, PasswordError> {
        let dummy = dummy_hash().to_owned();
        let matched_user = stored_hash.is_some();
        let ok = self
            .run(admission, move || {
                let phc = stored_hash.unwrap_or(dummy);
                match PasswordHash::new(&phc) {
                    Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
                    Err(_) => false,
                }
            })
            .await?;
        Ok(ok && matched_user)
    }
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        Argon2::default()
            .hash_password(b"a password nobody has, used to even out timing")
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_and_verify() {
        let work = PasswordWork::new(2, Duration::from_secs(5));
        let h = work.hash("tea by the window at dawn".into(), Lane::Known).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(work.verify("tea by the window at dawn".into(), Some(h.clone()), Lane::Known).await.unwrap());
        assert!(!work.verify("tea by the window at dusk".into(), Some(h), Lane::Address("a")).await.unwrap());
        assert!(!work.verify("anything at all here".into(), None, Lane::Known).await.unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_than_the_limit_run_at_once_even_when_requests_hang_up() {
        let work = Arc::new(PasswordWork::new(2, Duration::from_secs(5)));
        // Forty requests from forty addresses that give up after 5 ms, while
        // their hashes go on running: the cap still holds.
        let mut tasks = Vec::new();
        for i in 0..40 {
            let work = work.clone();
            tasks.push(tokio::spawn(async move {
                let address = format!("192.0.2.{i}");
                let _ = tokio::time::timeout(
                    Duration::from_millis(5),
                    work.verify("some guess or other".into(), None, Lane::Address(&address)),
                )
                .await;
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        // Let the hashes the hung-up requests started run and finish.
        for _ in 0..1000 {
            let idle = work.running.load(Ordering::SeqCst) == 0;
            if idle && work.in_flight_by_address.lock().unwrap().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(work.peak() <= 2, "peak {}", work.peak());
        assert!(work.peak() >= 1);
        assert!(work.in_flight_by_address.lock().unwrap().is_empty(), "every place given back");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_address_cannot_take_every_place_and_known_members_have_their_own() {
        let work = Arc::new(PasswordWork::new(4, Duration::from_millis(1)));
        let mut tasks = Vec::new();
        for _ in 0..12 {
            let work = work.clone();
            tasks.push(tokio::spawn(async move {
                work.verify("guess".into(), None, Lane::Address("203.0.113.9")).await
            }));
        }
        let known = work.verify("the owner".into(), None, Lane::Known).await;
        assert!(known.is_ok(), "a known member gets through: {known:?}");
        let mut busy = 0;
        for t in tasks {
            if matches!(t.await.unwrap(), Err(PasswordError::Busy)) {
                busy += 1;
            }
        }
        assert!(busy >= 12 - 2 * 3, "one address is held to {PER_ADDRESS} at a time (busy {busy})");
        assert!(work.peak() <= work.limit());
    }
}
