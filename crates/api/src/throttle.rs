//! Login and register throttling: GCRA quotas (`governor`) per client address and per
//! e-mail, over a key table of bounded size.

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::StateStore;
use governor::state::keyed::ShrinkableKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A throttle key, and whether checking it counts (an attempt, a failure) or only looks
/// whether the key's quota is used up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    name: String,
    count: bool,
}

/// Throttle state per key (an IP or an e-mail): the GCRA's theoretical arrival time, at
/// most `max` keys. Once full, a key not yet tracked is refused as if it had used up its
/// quota, while tracked keys keep theirs, until `Throttle::check` forgets keys whose
/// quota has refilled. A flood of distinct addresses or e-mails thus costs bounded memory
/// and cannot push out (and so reset) the state of the keys being throttled.
pub struct BoundedKeys {
    map: Mutex<HashMap<String, u64>>,
    max: usize,
}

impl BoundedKeys {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, u64>> {
        self.map.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// How far ahead of a fresh key's state a refused new key is put: a whole quota period.
const QUOTA_PERIOD: Duration = Duration::from_secs(60);

impl StateStore for BoundedKeys {
    type Key = Key;

    fn measure_and_replace<T, F, E>(&self, key: &Key, f: F) -> Result<T, E>
    where
        F: Fn(Option<Nanos>) -> Result<(T, Nanos), E>,
    {
        let mut map = self.lock();
        if let Some(tat) = map.get_mut(&key.name) {
            let (v, next) = f(Some(Nanos::from(*tat)))?;
            if key.count {
                *tat = next.as_u64();
            }
            return Ok(v);
        }
        if map.len() >= self.max {
            // What a fresh key would be given, moved a period on: the limiter refuses it.
            let (_, fresh) = f(None)?;
            let (v, _) = f(Some(Nanos::from(fresh.as_u64().saturating_add(
                u64::try_from(QUOTA_PERIOD.as_nanos()).unwrap_or(u64::MAX),
            ))))?;
            return Ok(v);
        }
        let (v, next) = f(None)?;
        if key.count {
            map.insert(key.name.clone(), next.as_u64());
        }
        Ok(v)
    }
}

impl ShrinkableKeyedStateStore<Key> for BoundedKeys {
    fn retain_recent(&self, drop_below: Nanos) {
        let below = drop_below.as_u64();
        self.lock().retain(|_, tat| *tat > below);
    }

    fn shrink_to_fit(&self) {
        self.lock().shrink_to_fit();
    }

    fn len(&self) -> usize {
        self.lock().len()
    }

    fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }
}

type KeyedLimiter = RateLimiter<Key, BoundedKeys, DefaultClock, NoOpMiddleware>;

/// One quota per key, at most `max_keys` keys.
struct Throttle {
    limiter: KeyedLimiter,
    max_keys: usize,
    /// When keys were last forgotten because the table was full (at most once a second:
    /// it walks every key).
    last_shrink: Mutex<Option<Instant>>,
}

impl Throttle {
    fn new(quota: Quota, max_keys: usize) -> Self {
        let max_keys = max_keys.max(1);
        let store = BoundedKeys {
            map: Mutex::default(),
            max: max_keys,
        };
        Self {
            limiter: RateLimiter::new(quota, store, DefaultClock::default()),
            max_keys,
            last_shrink: Mutex::new(None),
        }
    }

    /// `Err(seconds to wait)` when the key's quota is used up; counts one cell if `count`.
    fn check(&self, name: String, count: bool) -> Result<(), u64> {
        if self.limiter.len() >= self.max_keys {
            self.shrink_when_full();
        }
        self.limiter
            .check_key(&Key { name, count })
            .map_err(|not_until| {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                wait.as_secs().clamp(1, QUOTA_PERIOD.as_secs())
            })
    }

    fn shrink_when_full(&self) {
        let mut last = self
            .last_shrink
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if last.is_some_and(|t| t.elapsed() < Duration::from_secs(1)) {
            return;
        }
        *last = Some(Instant::now());
        self.limiter.retain_recent();
    }

    fn shrink(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

/// Login/register throttling, designed so that guessing stays slow without handing an
/// attacker a way to lock someone out:
/// - every attempt counts against the client's address (`AUTH_RATE_PER_MINUTE`);
/// - every failed login counts against the e-mail (`AUTH_EMAIL_FAILURES_PER_MINUTE`, by
///   default ten times the address quota), and an e-mail over that ceiling is refused from
///   every address.
///
/// One address thus makes at most its own quota of guesses at an account, far below the
/// account's ceiling: it cannot lock the owner out. Guessing spread over many addresses
/// still meets the ceiling. Successful logins and attempts refused by the throttle do not
/// count against the e-mail. (A separate per-address-and-e-mail quota would add nothing:
/// the address quota already bounds every pair.)
pub struct AuthLimiter {
    attempts: Option<Throttle>,
    failures: Option<Throttle>,
    trusted_proxies: usize,
}

/// The e-mail ceiling, when not set, in multiples of the address quota.
pub const EMAIL_FAILURES_FACTOR: u32 = 10;

impl AuthLimiter {
    /// `per_minute`: attempts per address (0: no limit); `email_failures_per_minute`: failed
    /// logins per e-mail (0: no ceiling; `None`: `EMAIL_FAILURES_FACTOR` × `per_minute`);
    /// `trusted_proxies`: how many proxies in front append to `X-Forwarded-For` (0: use the
    /// TCP peer); at most `max_keys` addresses, and as many e-mails, are tracked at once.
    #[must_use]
    pub fn new(
        per_minute: u32,
        email_failures_per_minute: Option<u32>,
        trusted_proxies: usize,
        max_keys: usize,
    ) -> Self {
        let failures = email_failures_per_minute
            .unwrap_or_else(|| per_minute.saturating_mul(EMAIL_FAILURES_FACTOR));
        Self {
            attempts: NonZeroU32::new(per_minute)
                .map(|n| Throttle::new(Quota::per_minute(n), max_keys)),
            failures: NonZeroU32::new(failures)
                .map(|n| Throttle::new(Quota::per_minute(n), max_keys)),
            trusted_proxies,
        }
    }

    #[must_use]
    pub fn trusted_proxies(&self) -> usize {
        self.trusted_proxies
    }

    /// The throttle key of a client address: IPv6 clients by their /64, which one host
    /// usually holds whole.
    #[must_use]
    pub fn ip_key(ip: IpAddr) -> String {
        match ip {
            IpAddr::V4(v4) => format!("ip:{v4}"),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => format!("ip:{v4}"),
                None => {
                    let s = v6.segments();
                    format!("ip:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
        }
    }

    /// The throttle key of an e-mail as typed, not validated yet: hashed, since it may be
    /// long, and folded the way accounts are looked up.
    fn email_key(email: &str) -> Option<String> {
        let e = email.trim().to_lowercase();
        (!e.is_empty()).then(|| format!("email:{}", crate::secret::hash(&e)))
    }

    /// Admits a login or register attempt from `ip` for `email`, or `Err(seconds to wait)`:
    /// the e-mail is over its failure ceiling (checked, not counted) or the address over its
    /// quota (counted).
    pub fn admit(&self, ip: Option<IpAddr>, email: Option<&str>) -> Result<(), u64> {
        if let (Some(t), Some(key)) = (&self.failures, email.and_then(Self::email_key)) {
            t.check(key, false)?;
        }
        if let (Some(t), Some(ip)) = (&self.attempts, ip) {
            t.check(Self::ip_key(ip), true)?;
        }
        Ok(())
    }

    /// Counts a failed login (wrong password or no such account) against the e-mail.
    pub fn failed(&self, email: &str) {
        if let (Some(t), Some(key)) = (&self.failures, Self::email_key(email)) {
            // Refused or not, the failure has happened; what matters is the next attempt.
            let _ = t.check(key, true);
        }
    }

    /// Number of addresses and e-mails tracked now.
    #[must_use]
    pub fn keys(&self) -> usize {
        [&self.attempts, &self.failures]
            .into_iter()
            .flatten()
            .map(|t| t.limiter.len())
            .sum()
    }

    /// Forgets keys whose quota is fully replenished, so memory stays bounded.
    pub fn shrink(&self) {
        for t in [&self.attempts, &self.failures].into_iter().flatten() {
            t.shrink();
        }
    }
}
