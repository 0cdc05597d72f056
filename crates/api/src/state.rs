//! Shared state of the HTTP handlers.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use kandid_domain::token::Tokens;
use kandid_store::Store;
use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::Arc;

/// An extra dependency `/readyz` checks (e.g. Redis). Returns why it is not ready.
pub type ReadyCheck =
    Arc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<(), String>> + Send>> + Send + Sync>;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub tokens: Arc<Tokens>,
    pub auth_limiter: Arc<AuthLimiter>,
    pub ready_checks: Vec<(&'static str, ReadyCheck)>,
    pub metrics: Arc<crate::metrics::HttpMetrics>,
}

/// Login/register throttling per client IP and per e-mail (`AUTH_RATE_PER_MINUTE`).
pub struct AuthLimiter {
    limiter: Option<DefaultKeyedRateLimiter<String>>,
    trusted_proxies: usize,
}

impl AuthLimiter {
    /// `per_minute == 0` turns the limit off; `trusted_proxies` is how many proxies in front
    /// append to `X-Forwarded-For` (0: use the TCP peer).
    #[must_use]
    pub fn new(per_minute: u32, trusted_proxies: usize) -> Self {
        Self {
            limiter: NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n))),
            trusted_proxies,
        }
    }

    #[must_use]
    pub fn trusted_proxies(&self) -> usize {
        self.trusted_proxies
    }

    /// `Err(seconds to wait)` when any key is over its quota.
    pub fn check(&self, keys: &[String]) -> Result<(), u64> {
        let Some(l) = &self.limiter else {
            return Ok(());
        };
        for k in keys {
            if let Err(not_until) = l.check_key(k) {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                return Err(wait.as_secs().max(1));
            }
        }
        Ok(())
    }

    /// Forgets keys whose quota is fully replenished, so memory stays bounded.
    pub fn shrink(&self) {
        if let Some(l) = &self.limiter {
            l.retain_recent();
            l.shrink_to_fit();
        }
    }
}
