//! First stage of delivery: puts this node's commits in seq order. The store reserves a
//! seq inside each write transaction and later publishes or cancels it; commits of one
//! workspace finish in seq order but their threads may reach `publish` in any order, so
//! events are held until every lower reserved seq of the workspace is published or
//! cancelled, then released in order to the follower (see `follow`). Revocations of tokens
//! follow the same channel, after the events of their batch.

use kandid_store::{EventSink, Revoked, StoredEvent};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

#[derive(Default)]
struct WorkspaceQueue {
    /// Reserved, not yet published or cancelled.
    pending: BTreeSet<i64>,
    /// Published, waiting for a lower pending seq.
    ready: BTreeMap<i64, StoredEvent>,
}

/// What this stage releases, in order.
#[derive(Debug)]
pub enum Ordered {
    /// A committed event of this node.
    Event(StoredEvent),
    /// The end of a member's or token's sessions (the follower ends a removed member's from
    /// the removal's event instead, in log order).
    Revoke(Revoked),
    /// Answered once everything released before it has been emitted (see [`Dispatcher::flush`]).
    Flushed(oneshot::Sender<()>),
}

/// The store's event sink: orders events per workspace and hands them to the follower.
pub struct Dispatcher {
    queues: Mutex<HashMap<Uuid, WorkspaceQueue>>,
    out: mpsc::UnboundedSender<Ordered>,
}

impl Dispatcher {
    /// Resolves once the emitter has sent every event released before the call (to the
    /// sockets' queues). Events still held behind an unresolved lower seq are not waited for.
    pub fn flush(&self) -> impl Future<Output = ()> + Send + 'static {
        let (tx, rx) = oneshot::channel();
        let sent = self.out.send(Ordered::Flushed(tx)).is_ok();
        async move {
            if sent {
                let _ = rx.await;
            }
        }
    }

    #[must_use]
    pub(crate) fn new() -> (Arc<Self>, mpsc::UnboundedReceiver<Ordered>) {
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
            let _ = self.out.send(Ordered::Event(entry.remove()));
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
        let _ = self.out.send(Ordered::Revoke(revoked));
    }
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

    fn drain(rx: &mut mpsc::UnboundedReceiver<Ordered>) -> Vec<i64> {
        let mut out = Vec::new();
        while let Ok(o) = rx.try_recv() {
            if let Ordered::Event(e) = o {
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
