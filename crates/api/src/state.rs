//! Shared state of the HTTP handlers.

pub use crate::hash_gate::{HashGate, HashRefused, WAITING_PER_PERMIT};
pub use crate::throttle::{AuthLimiter, EMAIL_FAILURES_FACTOR};
use kandid_domain::token::Tokens;
use kandid_store::Store;
use std::future::Future;
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
    pub password_hashing: Arc<HashGate>,
    pub ready_checks: Vec<(&'static str, ReadyCheck)>,
    pub metrics: Arc<crate::metrics::HttpMetrics>,
    /// What webhook URLs may point at.
    pub webhooks: kandid_webhooks::Policy,
    /// `METRICS_TOKEN`: the bearer token `/metrics` asks for; `None`: local requests only.
    pub metrics_token: Option<Arc<str>>,
}
