//! Socket.IO surface of kandid: handshake auth, workspace-namespaced rooms,
//! `subscribe` / `unsubscribe` / `live` / `sync`, ordered post-commit emission of the
//! store's events, coalesced `dashboard_updated`, and `session_expired`.
//!
//! Everything is generic over the socketioxide adapter, so one code path serves the
//! local adapter and the Redis adapter.

pub mod dispatch;
pub mod handlers;
pub mod rooms;

pub use dispatch::{Dispatcher, spawn_emitter};
pub use handlers::{RealtimeState, authenticate, on_connect};

use std::sync::atomic::{AtomicU64, Ordering};

/// Counters for `/metrics`.
#[derive(Debug, Default)]
pub struct Metrics {
    pub connected: AtomicU64,
    pub connections_total: AtomicU64,
    pub events_emitted: AtomicU64,
    pub dashboards_emitted: AtomicU64,
    pub emit_errors: AtomicU64,
}

impl Metrics {
    pub(crate) fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}
