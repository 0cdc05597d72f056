//! The password-hash gate: argon2 runs on the blocking pool, a few at a time, behind a
//! bounded queue.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Bounds password hashing (argon2 takes ~19 MiB and tens of milliseconds of a core per
/// hash): at most `concurrency` at once; a request waits at most `wait` for its turn, and
/// at most `WAITING_PER_PERMIT` requests per permit wait at all (each holds its body).
pub struct HashGate {
    permits: Semaphore,
    wait: Duration,
    waiting: AtomicUsize,
    max_waiting: usize,
}

pub const WAITING_PER_PERMIT: usize = 32;

/// One request in the hashing queue; leaving it (served, refused or abandoned) frees its place.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Why a hash did not run: the queue was too long, or the hashing task failed.
#[derive(Debug)]
pub enum HashRefused {
    Busy,
    Failed(String),
}

impl HashGate {
    #[must_use]
    pub fn new(concurrency: usize, wait: Duration) -> Self {
        let concurrency = concurrency.max(1);
        Self {
            permits: Semaphore::new(concurrency),
            wait,
            waiting: AtomicUsize::new(0),
            max_waiting: concurrency.saturating_mul(WAITING_PER_PERMIT),
        }
    }

    /// Runs `f` on the blocking pool once a permit is free.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashRefused> {
        let queued = Waiting(&self.waiting);
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            return Err(HashRefused::Busy);
        }
        let permit = tokio::time::timeout(self.wait, self.permits.acquire())
            .await
            .map_err(|_| HashRefused::Busy)?
            .map_err(|e| HashRefused::Failed(e.to_string()))?;
        drop(queued);
        let out = tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| HashRefused::Failed(e.to_string()));
        drop(permit);
        out
    }
}
