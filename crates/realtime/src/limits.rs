//! Limits of the socket surface: sockets per user (or integration token) on this node,
//! rooms per socket, and client requests per socket per second.

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use kandid_store::Subject;
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, PoisonError};

pub struct SocketLimits {
    per_user: usize,
    pub max_rooms: usize,
    requests: Option<Quota>,
    open: Mutex<HashMap<Subject, usize>>,
}

impl SocketLimits {
    /// `per_user` and `requests_per_second` 0: no limit.
    #[must_use]
    pub fn new(per_user: usize, max_rooms: usize, requests_per_second: u32) -> Self {
        Self {
            per_user,
            max_rooms: max_rooms.max(1),
            requests: NonZeroU32::new(requests_per_second).map(Quota::per_second),
            open: Mutex::default(),
        }
    }

    fn open(&self) -> std::sync::MutexGuard<'_, HashMap<Subject, usize>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A socket slot of `subject`, or `None` when it holds as many sockets as allowed.
    #[must_use]
    pub fn admit(self: &Arc<Self>, subject: Subject) -> Option<SocketSlot> {
        let mut open = self.open();
        let n = open.entry(subject).or_default();
        if self.per_user != 0 && *n >= self.per_user {
            if *n == 0 {
                open.remove(&subject);
            }
            return None;
        }
        *n += 1;
        Some(SocketSlot {
            limits: Arc::clone(self),
            subject,
        })
    }

    /// The request budget of a new socket (`None`: unlimited).
    #[must_use]
    pub fn request_budget(&self) -> Option<DefaultDirectRateLimiter> {
        self.requests.map(RateLimiter::direct)
    }
}

/// One open socket of a subject; dropping it frees the slot.
pub struct SocketSlot {
    limits: Arc<SocketLimits>,
    subject: Subject,
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        let mut open = self.limits.open();
        if let Some(n) = open.get_mut(&self.subject) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.subject);
            }
        }
    }
}
