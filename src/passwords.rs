//! Argon2id hashing on the blocking pool, with a cap on how many run at once.
//! Below the features, so the shared state can hold the cap.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

/// Argon2id needs about 19 MiB for each password it checks. `PasswordWork`
/// caps how many run at once, so a burst of sign-ins cannot take the memory
/// of the machine; a request that cannot start within `wait` is told to come
/// back (503 with Retry-After) instead of queueing without end.
pub struct PasswordWork {
    permits: Arc<Semaphore>,
    limit: usize,
    wait: Duration,
    in_use: AtomicUsize,
    peak: AtomicUsize,
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("too many passwords are being checked at once")]
    Busy,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// How long to suggest waiting when the server is busy checking passwords.
pub const BUSY_RETRY_AFTER: i64 = 5;

impl PasswordWork {
    pub fn new(limit: usize, wait: Duration) -> Self {
        let limit = limit.max(1);
        PasswordWork {
            permits: Arc::new(Semaphore::new(limit)),
            limit,
            wait,
            in_use: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    /// About twice the cores: enough to keep them busy, little enough to bound memory.
    pub fn default_limit() -> usize {
        std::thread::available_parallelism().map_or(2, |n| n.get()) * 2
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The most hashes that have run at the same time since start.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, PasswordError> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| PasswordError::Busy)?
            .map_err(|e| PasswordError::Internal(e.into()))?;
        let now = self.in_use.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        let result = tokio::task::spawn_blocking(work).await;
        let still_running = self.in_use.fetch_sub(1, Ordering::SeqCst) - 1;
        drop(permit);
        if still_running == 0 {
            // The burst is over: hand back what the allocator kept of it.
            tokio::task::spawn_blocking(crate::memory::release_free_memory);
        }
        result.map_err(|e| PasswordError::Internal(e.into()))
    }

    /// Hash with Argon2id (the crate's recommended parameters) on the blocking pool.
    pub async fn hash(&self, password: String) -> Result<String, PasswordError> {
        self.run(move || {
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
    pub async fn verify(&self, password: String, stored_hash: Option<String>) -> Result<bool, PasswordError> {
        let dummy = dummy_hash().to_owned();
        let matched_user = stored_hash.is_some();
        let ok = self
            .run(move || {
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
        let h = work.hash("tea by the window at dawn".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(work.verify("tea by the window at dawn".into(), Some(h.clone())).await.unwrap());
        assert!(!work.verify("tea by the window at dusk".into(), Some(h)).await.unwrap());
        assert!(!work.verify("anything at all here".into(), None).await.unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_than_the_limit_run_at_once_and_the_rest_are_told_to_wait() {
        let work = Arc::new(PasswordWork::new(2, Duration::from_millis(1)));
        let tasks: Vec<_> = (0..12)
            .map(|_| {
                let work = work.clone();
                tokio::spawn(async move { work.verify("some guess or other".into(), None).await })
            })
            .collect();
        let mut busy = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(matched) => assert!(!matched),
                Err(PasswordError::Busy) => busy += 1,
                Err(e) => panic!("{e}"),
            }
        }
        assert!(work.peak() <= 2, "peak {}", work.peak());
        assert!(work.peak() >= 1);
        assert!(busy > 0, "with a 1 ms wait some of 12 must be turned away");
    }
}
