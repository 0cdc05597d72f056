//! Last stage of delivery: emits what the follower hands over to this node's sockets, one
//! emit per event to the union of its rooms (so a socket in several matching rooms gets one
//! copy), ends revoked sessions, and schedules the coalesced dashboard update.

use crate::Metrics;
use crate::dashboard::Dashboards;
use crate::local::{EmitGate, count_slow_consumers, here};
use crate::rooms::key;
use crate::session::{recheck_sessions, session_room};
use kandid_domain::socket::SessionEnded;
use kandid_store::{Revoked, Store, StoredEvent, Subject};
use socketioxide::adapter::Adapter;
use socketioxide::{BroadcastError, SocketIo};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// What the emitter is handed, in order.
#[derive(Debug)]
pub enum Outgoing {
    /// A committed event, in the workspace's seq order.
    Event(StoredEvent),
    /// The end of a member's or token's sessions.
    Revoke(Revoked),
    /// Revocations may have been missed (the signal path between nodes was down): check
    /// every session on this node again.
    Recheck,
    /// Answered once everything queued before it has been sent.
    Flushed(oneshot::Sender<()>),
}

/// The emitter's queue, filled by the follower until the sockets exist and
/// [`EmitQueue::spawn`] starts emitting from it.
pub struct EmitQueue(pub(crate) mpsc::UnboundedReceiver<Outgoing>);

impl EmitQueue {
    /// Starts the emitter. Nothing is emitted once `gate` is closed.
    pub fn spawn<A: Adapter>(
        self,
        io: SocketIo<A>,
        gate: EmitGate,
        store: Store,
        metrics: Arc<Metrics>,
    ) -> tokio::task::JoinHandle<()> {
        let mut rx = self.0;
        let dashboards = Dashboards::new(
            io.clone(),
            gate.clone(),
            store.clone(),
            Arc::clone(&metrics),
        );
        tokio::spawn(async move {
            while let Some(out) = rx.recv().await {
                match out {
                    Outgoing::Event(ev) => {
                        let ws = ev.workspace_id;
                        emit_event(&io, &gate, &metrics, ev).await;
                        dashboards.schedule(ws);
                    }
                    Outgoing::Revoke(r) => end_sessions(&io, &gate, r).await,
                    Outgoing::Recheck => {
                        tokio::spawn(recheck_sessions(io.clone(), store.clone()));
                    }
                    Outgoing::Flushed(done) => {
                        let _ = done.send(());
                    }
                }
            }
        })
    }
}

async fn emit_event<A: Adapter>(
    io: &SocketIo<A>,
    gate: &EmitGate,
    metrics: &Metrics,
    ev: StoredEvent,
) {
    let Some(_open) = gate.open().await else {
        tracing::debug!(workspace = %ev.workspace_id, seq = ev.event.seq, "sockets closed; the event stays in the log");
        return;
    };
    let ws = ev.workspace_id;
    let rooms: Vec<String> = ev
        .rooms
        .iter()
        .chain(&ev.live_only_rooms)
        .map(|r| key(ws, r))
        .collect();
    let Some(here) = here(io) else { return };
    match here
        .to(rooms)
        .emit(ev.event.event_type.as_str(), &ev.event)
        .await
    {
        Ok(()) => {
            metrics.events_emitted.inc();
            metrics.adapter.set(true);
        }
        Err(e) => {
            let adapter_failed = matches!(e, BroadcastError::Adapter(_));
            metrics.adapter.set(!adapter_failed);
            if count_slow_consumers(metrics, &e) {
                metrics.events_emitted.inc();
            } else {
                metrics.emit_errors.inc();
                tracing::warn!(error = %e, workspace = %ws, seq = ev.event.seq, "emit failed; clients recover with sync");
            }
        }
    }
}

/// Tells a subject's sockets on this node why, then disconnects them (every node hears of
/// the revocation, see `follow`). The event and the disconnect go through each socket's one
/// packet queue, so the client sees `session_revoked` before the disconnect.
async fn end_sessions<A: Adapter>(io: &SocketIo<A>, gate: &EmitGate, revoked: Revoked) {
    let Some(_open) = gate.open().await else {
        return;
    };
    let room = session_room(revoked.workspace_id, revoked.subject);
    let reason = match revoked.subject {
        Subject::User(_) => "removed from the workspace",
        Subject::Token(_) => "token revoked",
        Subject::Session(_) => "signed out",
    };
    let body = SessionEnded {
        reason: reason.into(),
    };
    let Some(here) = here(io) else { return };
    if let Err(e) = here
        .clone()
        .to(room.clone())
        .emit("session_revoked", &body)
        .await
    {
        tracing::warn!(error = %e, room, "session_revoked emit failed");
    }
    if let Err(e) = here.to(room.clone()).disconnect().await {
        tracing::warn!(error = %e, room, "disconnecting revoked sockets failed");
    }
}
