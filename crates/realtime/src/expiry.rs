//! Token expiry of connected sockets: one task and one ordered map for all of them, instead
//! of a task and a timer per socket (which cost more memory than the rest of a socket's
//! own state).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::Notify;

/// What to run when a socket's token expires.
pub type OnExpiry = Box<dyn FnOnce() + Send>;

/// An entry in [`Expiries`]: its expiry (Unix seconds) and a unique number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExpiryKey(i64, u64);

#[derive(Default)]
pub struct Expiries {
    due: Mutex<BTreeMap<ExpiryKey, OnExpiry>>,
    next: AtomicU64,
    /// Wakes the runner when an entry earlier than all others arrives.
    earlier: Notify,
}

impl Expiries {
    /// Runs `f` at `exp` (Unix seconds) unless removed first.
    pub fn add(&self, exp: i64, f: OnExpiry) -> ExpiryKey {
        let key = ExpiryKey(exp, self.next.fetch_add(1, Ordering::Relaxed));
        let mut due = self.due.lock().unwrap_or_else(PoisonError::into_inner);
        let first = due.first_key_value().is_none_or(|(k, _)| key < *k);
        due.insert(key, f);
        drop(due);
        if first {
            self.earlier.notify_one();
        }
        key
    }

    pub fn remove(&self, key: ExpiryKey) {
        self.due
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&key);
    }

    /// Entries due at `now` (Unix seconds), removed; and when the next one is due.
    fn take_due(&self, now: i64) -> (Vec<OnExpiry>, Option<i64>) {
        let mut due = self.due.lock().unwrap_or_else(PoisonError::into_inner);
        let later = due.split_off(&ExpiryKey(now.saturating_add(1), 0));
        let expired = std::mem::replace(&mut *due, later);
        let next = due.first_key_value().map(|(k, _)| k.0);
        (expired.into_values().collect(), next)
    }

    /// Runs entries as they fall due; for the server's life.
    pub async fn run(&self) {
        loop {
            let (expired, next) = self.take_due(chrono::Utc::now().timestamp());
            for f in expired {
                f();
            }
            let wait = next.map_or(Duration::from_secs(3600), |at| {
                let secs = at.saturating_sub(chrono::Utc::now().timestamp());
                Duration::from_secs(u64::try_from(secs).unwrap_or(0))
            });
            // Wakes early when an earlier entry arrives; a later one waits its turn.
            let _ = tokio::time::timeout(wait, self.earlier.notified()).await;
        }
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.due
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn takes_what_is_due_in_order_and_keeps_the_rest() {
        let e = Expiries::default();
        let fired = Arc::new(Mutex::new(Vec::new()));
        let push = |n: i64| -> OnExpiry {
            let fired = Arc::clone(&fired);
            Box::new(move || fired.lock().unwrap_or_else(PoisonError::into_inner).push(n))
        };
        e.add(30, push(30));
        let gone = e.add(10, push(10));
        e.add(20, push(20));
        e.add(20, push(21));
        e.remove(gone);
        let (due, next) = e.take_due(20);
        due.into_iter().for_each(|f| f());
        assert_eq!(
            *fired.lock().unwrap_or_else(PoisonError::into_inner),
            [20, 21]
        );
        assert_eq!(next, Some(30));
        assert_eq!(e.len(), 1);
    }

    #[tokio::test]
    async fn runs_past_entries_at_once() {
        let e = Arc::new(Expiries::default());
        let fired = Arc::new(AtomicUsize::new(0));
        let f = Arc::clone(&fired);
        let runner = tokio::spawn({
            let e = Arc::clone(&e);
            async move { e.run().await }
        });
        e.add(
            0,
            Box::new(move || {
                f.fetch_add(1, Ordering::SeqCst);
            }),
        );
        let waited = tokio::time::timeout(Duration::from_secs(30), async {
            while fired.load(Ordering::SeqCst) == 0 {
                tokio::task::yield_now().await;
            }
        })
        .await;
        runner.abort();
        assert!(waited.is_ok() && e.is_empty());
    }
}
