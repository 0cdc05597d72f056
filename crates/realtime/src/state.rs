//! What every socket handler shares.

use crate::Metrics;
use crate::expiry::Expiries;
use crate::follow::Presence;
use crate::limits::SocketLimits;
use kandid_domain::token::Tokens;
use kandid_store::Store;
use std::sync::Arc;

/// Shared by every socket handler.
#[derive(Clone)]
pub struct RealtimeState {
    pub store: Store,
    pub tokens: Arc<Tokens>,
    pub metrics: Arc<Metrics>,
    pub limits: Arc<SocketLimits>,
    pub presence: Presence,
    /// When each socket's token expires (see `Expiries::run`).
    pub expiries: Arc<Expiries>,
}
