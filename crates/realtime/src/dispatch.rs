//! Ordered, post-commit delivery. The store reserves a seq inside each write transaction
//! and later publishes or cancels it; commits of one workspace finish in seq order but
//! their threads may reach `publish` in any order, so events are held until every lower
//! reserved seq of the workspace is published or cancelled, then released in order to one
//! emitter task. Revocations of tokens follow the same channel, after the events of their
//! batch; a member's removal is ended from its event, in log order (see `follow`).

use crate::Metrics;
use crate::rooms::key;
use kandid_store::{EventSink, Revoked, Store, StoredEvent, Subject};
use serde::Serialize;
use socketioxide::adapter::Adapter;
use socketioxide::operators::BroadcastOperators;
use socketioxide::{BroadcastError, SocketError, SocketIo};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::{RwLock, RwLockReadGuard, mpsc, oneshot};
use uuid::Uuid;

/// At most one `dashboard_updated` per workspace per this interval on each node.
pub const DASHBOARD_INTERVAL: Duration = Duration::from_millis(250);

#[derive(Default)]
struct WorkspaceQueue {
    /// Reserved, not yet published or cancelled.
    pending: BTreeSet<i64>,
    /// Published, waiting for a lower pending seq.
    ready: BTreeMap<i64, StoredEvent>,
}

/// What the emitter sends: a committed event, or the end of a member's or token's sessions;
/// or a marker it answers once everything queued before it has been sent (see `flush`).
#[derive(Debug)]
pub enum Outgoing {
    Event(StoredEvent),
    Revoke(Revoked),
    /// Revocations may have been missed (the signal path between nodes was down): check
    /// every session on this node again.
    Recheck,
    /// Answered once everything queued before it has been sent.
    Flushed(oneshot::Sender<()>),
}

/// Whether the server may still emit. `SocketIo` panics when asked to emit after `close`
/// (its namespaces are gone), so every emit holds a read guard of the gate, and `close`
/// shuts the gate under the write guard before it closes the sockets. Events committed
/// after that are not lost: they are in the log, for `sync`.
#[derive(Clone, Default)]
pub struct EmitGate(Arc<RwLock<bool>>);

impl EmitGate {
    /// A guard to emit under, or `None` once the sockets are closed.
    async fn open(&self) -> Option<RwLockReadGuard<'_, bool>> {
        let shut = self.0.read().await;
        (!*shut).then_some(shut)
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

/// This node's sockets (of the default namespace), or `None` once the server closed them:
/// socketioxide's own shortcuts (`io.local()`, `io.sockets()`, ...) panic after `close`.
pub(crate) fn here<A: Adapter>(io: &SocketIo<A>) -> Option<BroadcastOperators<A>> {
    io.of("/").map(BroadcastOperators::local)
}

/// The store's event sink: orders events per workspace and hands them to the emitter.
pub struct Dispatcher {
    queues: Mutex<HashMap<Uuid, WorkspaceQueue>>,
    out: mpsc::UnboundedSender<Outgoing>,
}

/// The room (key) every socket of a subject joins, whatever it subscribed to and even with
/// live view off, so that ending its sessions reaches it.
/// Clients cannot name it (see `Room::parse`).
#[must_use]
pub fn session_room(ws: Uuid, subject: Subject) -> String {
    match subject {
        Subject::User(id) => key(ws, &format!("~user:{id}")),
        Subject::Token(id) => key(ws, &format!("~token:{id}")),
    }
}

impl Dispatcher {
    /// Resolves once the emitter has sent every event released before the call (to the
    /// sockets' queues, or to the adapter). Events still held behind an unresolved lower seq
    /// are not waited for.
    pub fn flush(&self) -> impl Future<Output = ()> + Send + 'static {
        let (tx, rx) = oneshot::channel();
        let sent = self.out.send(Outgoing::Flushed(tx)).is_ok();
        async move {
            if sent {
                let _ = rx.await;
            }
        }
    }

    #[must_use]
    pub fn new() -> (Arc<Self>, mpsc::UnboundedReceiver<Outgoing>) {
        let (out, rx) = mpsc::unbounded_channel();
        (
            Arc::new(Self {
                queues: Mutex::new(HashMap::new()),
                out,
            }),
            rx,
        )
    }

    fn with_queue(&self, ws: Uuid, f: impl FnOnce(&mut WorkspaceQueue)) {
        let mut queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
        let q = queues.entry(ws).or_default();
        f(q);
        // Release everything below the lowest unresolved seq, in order, under the lock so
        // that two threads cannot interleave their sends.
        while let Some(entry) = q.ready.first_entry() {
            if q.pending.first().is_some_and(|p| p < entry.key()) {
                break;
            }
            let _ = self.out.send(Outgoing::Event(entry.remove()));
        }
        if q.pending.is_empty() && q.ready.is_empty() {
            queues.remove(&ws);
        }
    }
}

impl EventSink for Dispatcher {
    fn reserve(&self, ws: Uuid, seq: i64) {
        self.with_queue(ws, |q| {
            q.pending.insert(seq);
        });
    }

    fn cancel(&self, ws: Uuid, seq: i64) {
        self.with_queue(ws, |q| {
            q.pending.remove(&seq);
        });
    }

    fn publish(&self, event: StoredEvent) {
        let ws = event.workspace_id;
        let seq = event.event.seq;
        self.with_queue(ws, |q| {
            q.pending.remove(&seq);
            q.ready.insert(seq, event);
        });
    }

    fn revoke(&self, revoked: Revoked) {
        let _ = self.out.send(Outgoing::Revoke(revoked));
    }
}

#[derive(Serialize)]
struct DashboardUpdated<'a> {
    seq: i64,
    metrics: &'a kandid_domain::views::DashboardView,
}

#[derive(Default)]
struct DashState {
    last: Option<Instant>,
    scheduled: bool,
}

/// Tells a subject's sockets on this node why, then disconnects them (every node hears of
/// the revocation, see `follow`). The event and the disconnect go through each socket's one packet queue, so
/// the client sees `session_revoked` before the disconnect.
async fn end_sessions<A: Adapter>(io: &SocketIo<A>, gate: &EmitGate, revoked: Revoked) {
    let Some(_open) = gate.open().await else {
        return;
    };
    let room = session_room(revoked.workspace_id, revoked.subject);
    let reason = match revoked.subject {
        Subject::User(_) => "removed from the workspace",
        Subject::Token(_) => "token revoked",
    };
    let body = serde_json::json!({"reason": reason});
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

/// Counts the sockets a broadcast found with a full send buffer (socketioxide, as patched
/// in `vendor/`, closes their connections: the clients reconnect and `sync`). True when
/// every failed recipient was such a socket or one already closing, so that every other
/// recipient got the packet.
fn count_slow_consumers(metrics: &Metrics, e: &BroadcastError) -> bool {
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

/// Emits released events (one emit per event to the union of its rooms, so a socket in
/// several matching rooms gets one copy) and schedules the coalesced dashboard update.
/// Nothing is emitted once `gate` is closed.
pub fn spawn_emitter<A: Adapter>(
    io: SocketIo<A>,
    gate: EmitGate,
    mut rx: mpsc::UnboundedReceiver<Outgoing>,
    store: Store,
    metrics: Arc<Metrics>,
) -> tokio::task::JoinHandle<()> {
    let dash: Arc<Mutex<HashMap<Uuid, DashState>>> = Arc::default();
    tokio::spawn(async move {
        while let Some(out) = rx.recv().await {
            let ev = match out {
                Outgoing::Event(ev) => ev,
                Outgoing::Revoke(r) => {
                    end_sessions(&io, &gate, r).await;
                    continue;
                }
                Outgoing::Recheck => {
                    tokio::spawn(crate::handlers::recheck_sessions(io.clone(), store.clone()));
                    continue;
                }
                Outgoing::Flushed(done) => {
                    let _ = done.send(());
                    continue;
                }
            };
            let Some(open) = gate.open().await else {
                tracing::debug!(workspace = %ev.workspace_id, seq = ev.event.seq, "sockets closed; the event stays in the log");
                continue;
            };
            let ws = ev.workspace_id;
            let rooms: Vec<String> = ev
                .rooms
                .iter()
                .chain(&ev.live_only_rooms)
                .map(|r| key(ws, r))
                .collect();
            let Some(here) = here(&io) else { continue };
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
                    if count_slow_consumers(&metrics, &e) {
                        metrics.events_emitted.inc();
                    } else {
                        metrics.emit_errors.inc();
                        tracing::warn!(error = %e, workspace = %ws, seq = ev.event.seq, "emit failed; clients recover with sync");
                    }
                }
            }
            drop(open);
            schedule_dashboard(&dash, ws, &io, &gate, &store, &metrics);
        }
    })
}

/// True when no socket on this node can receive a dashboard of these rooms, so it need not
/// be computed. Every node emits to its own sockets only (see `follow`), so what sockets
/// elsewhere watch is their node's concern.
fn unwatched<A: Adapter>(io: &SocketIo<A>, rooms: &[String]) -> bool {
    here(io).is_none_or(|here| here.to(rooms.to_vec()).sockets().is_empty())
}

fn schedule_dashboard<A: Adapter>(
    dash: &Arc<Mutex<HashMap<Uuid, DashState>>>,
    ws: Uuid,
    io: &SocketIo<A>,
    gate: &EmitGate,
    store: &Store,
    metrics: &Arc<Metrics>,
) {
    let delay = {
        let mut map = dash.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() > 4096 {
            // Workspaces quiet for a while need no spacing any more.
            map.retain(|_, st| {
                st.scheduled || st.last.is_some_and(|l| l.elapsed() < DASHBOARD_INTERVAL)
            });
        }
        let st = map.entry(ws).or_default();
        if st.scheduled {
            return;
        }
        st.scheduled = true;
        st.last.map_or(Duration::ZERO, |l| {
            (l + DASHBOARD_INTERVAL).saturating_duration_since(Instant::now())
        })
    };
    let (dash, io, gate, store, metrics) = (
        Arc::clone(dash),
        io.clone(),
        gate.clone(),
        store.clone(),
        Arc::clone(metrics),
    );
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        {
            let mut map = dash.lock().unwrap_or_else(PoisonError::into_inner);
            let st = map.entry(ws).or_default();
            st.scheduled = false;
            st.last = Some(Instant::now());
        }
        let rooms = vec![key(ws, "dashboard"), key(ws, "workspace")];
        if unwatched(&io, &rooms) {
            metrics.dashboards_skipped.inc();
            return;
        }
        match store.dashboard(ws).await {
            Ok(m) => {
                let body = DashboardUpdated {
                    seq: m.seq,
                    metrics: &m,
                };
                let Some(_open) = gate.open().await else {
                    return;
                };
                let Some(here) = here(&io) else { return };
                match here.to(rooms).emit("dashboard_updated", &body).await {
                    Ok(()) => {
                        metrics.dashboards_emitted.inc();
                    }
                    Err(e) => {
                        if !count_slow_consumers(&metrics, &e) {
                            tracing::warn!(error = %e, workspace = %ws, "dashboard emit failed");
                        }
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, workspace = %ws, "dashboard metrics failed"),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use kandid_domain::views::EventView;
    use kandid_domain::{Action, EventType};

    fn ev(ws: Uuid, seq: i64) -> StoredEvent {
        StoredEvent {
            workspace_id: ws,
            rooms: vec!["workspace".into()],
            live_only_rooms: Vec::new(),
            event: EventView {
                seq,
                event_type: EventType::LeadsUpdated,
                action: Action::Created,
                id: None,
                campaign_id: None,
                data: serde_json::Value::Null,
                changes: vec![],
                count: 1,
                actor_id: Uuid::nil(),
                at: chrono::Utc::now(),
            },
        }
    }

    fn drain(rx: &mut mpsc::UnboundedReceiver<Outgoing>) -> Vec<i64> {
        let mut out = Vec::new();
        while let Ok(o) = rx.try_recv() {
            if let Outgoing::Event(e) = o {
                out.push(e.event.seq);
            }
        }
        out
    }

    #[test]
    fn releases_in_seq_order_and_skips_cancelled() {
        let (d, mut rx) = Dispatcher::new();
        let ws = Uuid::now_v7();
        for s in 1..=4 {
            d.reserve(ws, s);
        }
        d.publish(ev(ws, 2));
        d.publish(ev(ws, 4));
        assert!(drain(&mut rx).is_empty(), "held until 1 resolves");
        d.cancel(ws, 1);
        assert_eq!(drain(&mut rx), [2]);
        d.publish(ev(ws, 3));
        assert_eq!(drain(&mut rx), [3, 4]);
        assert!(d.queues.lock().map(|q| q.is_empty()).unwrap_or(false));
    }

    #[test]
    fn workspaces_do_not_wait_for_each_other() {
        let (d, mut rx) = Dispatcher::new();
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        d.reserve(a, 1);
        d.reserve(b, 1);
        d.publish(ev(b, 1));
        assert_eq!(drain(&mut rx), [1]);
    }
}
