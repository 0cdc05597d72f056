//! This node's sockets: reaching them, whether they may still be emitted to, and what a
//! failed broadcast to them means.

use crate::Metrics;
use socketioxide::adapter::Adapter;
use socketioxide::operators::BroadcastOperators;
use socketioxide::{BroadcastError, SocketError, SocketIo};
use std::sync::Arc;
use tokio::sync::{RwLock, RwLockReadGuard};

/// This node's sockets (of the default namespace), or `None` once the server closed them:
/// socketioxide's own shortcuts (`io.local()`, `io.sockets()`, ...) panic after `close`.
/// Every emit of kandid goes to this node's sockets only: each node delivers to its own,
/// following the log (see `follow`).
pub(crate) fn here<A: Adapter>(io: &SocketIo<A>) -> Option<BroadcastOperators<A>> {
    io.of("/").map(BroadcastOperators::local)
}

/// Whether the server may still emit. `SocketIo` panics when asked to emit after `close`
/// (its namespaces are gone), so every emit holds a read guard of the gate, and `close`
/// shuts the gate under the write guard before it closes the sockets. Events committed
/// after that are not lost: they are in the log, for `sync`.
#[derive(Clone, Default)]
pub struct EmitGate(Arc<RwLock<bool>>);

impl EmitGate {
    /// A guard to emit under, or `None` once the sockets are closed.
    pub(crate) async fn open(&self) -> Option<RwLockReadGuard<'_, bool>> {
        let shut = self.0.read().await;
        (!*shut).then_some(shut)
    }

    /// Whether the sockets are closed (the server is shutting down).
    pub(crate) async fn is_shut(&self) -> bool {
        *self.0.read().await
    }

    /// Waits for emits in progress, stops all later ones and closes every socket (a
    /// websocket gets what was queued for it first).
    pub async fn close<A: Adapter>(&self, io: &SocketIo<A>) {
        let mut shut = self.0.write().await;
        if !*shut {
            *shut = true;
            io.close().await;
        }
    }
}

/// Counts the sockets a broadcast found with a full send buffer (socketioxide, as patched
/// in `vendor/`, closes their connections: the clients reconnect and `sync`). True when
/// every failed recipient was such a socket or one already closing, so that every other
/// recipient got the packet.
pub(crate) fn count_slow_consumers(metrics: &Metrics, e: &BroadcastError) -> bool {
    let BroadcastError::Socket(errs) = e else {
        return false;
    };
    let full = errs
        .iter()
        .filter(|e| matches!(e, SocketError::InternalChannelFull))
        .count();
    if full > 0 {
        metrics.slow_consumers.inc_by(full as u64);
        tracing::info!(
            sockets = full,
            "disconnected slow consumers (send buffer full)"
        );
    }
    // A socket that is closing (for this reason or any other) recovers with `sync`.
    errs.iter()
        .all(|e| matches!(e, SocketError::InternalChannelFull | SocketError::Closed))
}
