//! Socket.IO surface of kandid: handshake auth, workspace-namespaced rooms,
//! `subscribe` / `unsubscribe` / `live` / `sync`, ordered post-commit emission of the
//! store's events, coalesced `dashboard_updated`, `session_expired`, and `session_revoked`
//! when a member is removed, an integration token revoked or a sign-in session ended.
//!
//! Delivery runs one way, wired by [`Pipeline`]: `order` → `follow` → `emit`. Every node
//! delivers every committed event to its own sockets, following the durable log (see
//! `follow`); emits are local to the node. The client-facing side: `connect` (handshake,
//! disconnect), `subscriptions` (`subscribe`, `unsubscribe`, `live`), `sync`, on the
//! per-socket `session`; requests and acks are the types of `kandid_domain::socket`.
//! Everything is generic over the socketioxide adapter, so one code path serves the local
//! adapter and the Redis adapter.

mod connect;
mod dashboard;
mod emit;
pub mod expiry;
mod follow;
pub mod limits;
mod local;
mod order;
mod pipeline;
mod protocol;
pub mod rooms;
mod session;
mod state;
mod subscriptions;
mod sync;

pub use connect::{ConnectRefused, authenticate, on_connect};
pub use dashboard::DASHBOARD_INTERVAL;
pub use emit::EmitQueue;
pub use expiry::Expiries;
pub use follow::{Presence, Wake};
pub use limits::SocketLimits;
pub use local::EmitGate;
pub use order::Dispatcher;
pub use pipeline::{Delivery, Pipeline};
pub use session::{Session, session_room};
pub use state::RealtimeState;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether the last emit went through the adapter; `/readyz` reports a node whose emits
/// fail. Emits are local to the node (each node follows the log), so even with the Redis
/// adapter they do not pass through Redis.
#[derive(Debug, Clone)]
pub struct AdapterHealth(Arc<AtomicBool>);

impl Default for AdapterHealth {
    fn default() -> Self {
        AdapterHealth(Arc::new(AtomicBool::new(true)))
    }
}

impl AdapterHealth {
    pub fn set(&self, ok: bool) {
        self.0.store(ok, Ordering::Relaxed);
    }

    #[must_use]
    pub fn ok(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Socket and event counters, exported on `/metrics`.
#[derive(Debug, Default, Clone)]
pub struct Metrics {
    pub adapter: AdapterHealth,
    pub connected: Gauge,
    pub connections: Counter,
    pub events_emitted: Counter,
    pub dashboards_emitted: Counter,
    pub dashboards_skipped: Counter,
    pub emit_errors: Counter,
    /// Whether the signal path between nodes (PostgreSQL `LISTEN`) is connected.
    pub signal: AdapterHealth,
    pub signal_reconnects: Counter,
    pub catch_up_reads: Counter,
    pub caught_up: Counter,
    pub slow_consumers: Counter,
}

impl Metrics {
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "kandid_sockets_connected",
            "Socket.IO sockets connected to this node",
            self.connected.clone(),
        );
        registry.register(
            "kandid_socket_connections",
            "Socket.IO connections accepted",
            self.connections.clone(),
        );
        registry.register(
            "kandid_events_emitted",
            "campaigns_updated / leads_updated events emitted",
            self.events_emitted.clone(),
        );
        registry.register(
            "kandid_dashboards_emitted",
            "coalesced dashboard_updated events emitted",
            self.dashboards_emitted.clone(),
        );
        registry.register(
            "kandid_dashboards_skipped",
            "dashboard_updated not computed: no socket on this node watches the workspace",
            self.dashboards_skipped.clone(),
        );
        registry.register(
            "kandid_emit_errors",
            "emits that failed (clients recover with sync)",
            self.emit_errors.clone(),
        );
        registry.register(
            "kandid_signal_reconnects",
            "times the signal path between nodes (PostgreSQL LISTEN) was re-established",
            self.signal_reconnects.clone(),
        );
        registry.register(
            "kandid_log_reads",
            "reads of the event log to deliver events committed elsewhere or missed",
            self.catch_up_reads.clone(),
        );
        registry.register(
            "kandid_log_events_delivered",
            "events delivered from the event log rather than from this node's own commits",
            self.caught_up.clone(),
        );
        registry.register(
            "kandid_socket_slow_consumers",
            "sockets disconnected because their send buffer was full (they reconnect and sync)",
            self.slow_consumers.clone(),
        );
    }
}
