//! Second stage of delivery, driven by the durable log: between `order` (this node's
//! commits, in seq order) and `emit`.
//!
//! Each node delivers a workspace's events to its own sockets, in seq order, once each,
//! whichever node committed them. It keeps, per workspace with sockets here, the last seq it
//! handed to the emitter, and fills any gap from the `events` table:
//!
//! - its own commits arrive from the store's dispatcher right after the commit (the fast
//!   path; an event at or below the last seq was already read from the log and is dropped);
//! - other nodes' commits are announced by a notification (see `kandid_store::cluster`),
//!   upon which it reads the log after its last seq;
//! - every `catch_up_every` it compares its last seq with each workspace's latest, so a
//!   lost notification (or a signal path that is down) costs at most that much latency;
//! - when the signal path comes back it catches every workspace up at once.
//!
//! A workspace is followed from the moment its first socket here connects: the handshake
//! reads the workspace's latest seq before the socket joins its rooms and hands it over
//! ([`Presence::join`]), so every later event reaches that socket.

use crate::Metrics;
use crate::emit::Outgoing;
use crate::order::Ordered;
use kandid_domain::{Action, EventType};
use kandid_store::cluster::Signal;
use kandid_store::{Revoked, Store, StoredEvent, Subject};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::mpsc;
use uuid::Uuid;

/// Events read from the log per query.
const PAGE: u64 = 500;

/// How long one read of the log may take before the follower moves on (and retries at the
/// next catch-up).
const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// What wakes the follower besides the dispatcher's events.
#[derive(Debug)]
pub enum Wake {
    /// A notification from the signal path.
    Signal(Signal),
    /// The signal path is (re)connected: notifications may have been missed.
    Relinked,
    /// The first socket of a workspace connected here; the workspace's latest seq was `seq`
    /// before it joined its rooms.
    Joined { ws: Uuid, seq: i64 },
}

/// Sockets per workspace on this node.
#[derive(Clone)]
pub struct Presence {
    counts: Arc<Mutex<HashMap<Uuid, usize>>>,
    wake: mpsc::UnboundedSender<Wake>,
}

impl Presence {
    #[must_use]
    pub(crate) fn new(wake: mpsc::UnboundedSender<Wake>) -> Self {
        Self {
            counts: Arc::default(),
            wake,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, usize>> {
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts a socket of `ws`; true when it is the workspace's first here (the caller then
    /// reads the latest seq and calls [`Presence::follow_from`]).
    pub fn join(&self, ws: Uuid) -> bool {
        let mut counts = self.lock();
        let n = counts.entry(ws).or_default();
        *n += 1;
        *n == 1
    }

    /// Starts following `ws` after `seq` (unless it is followed already).
    pub fn follow_from(&self, ws: Uuid, seq: i64) {
        let _ = self.wake.send(Wake::Joined { ws, seq });
    }

    pub fn leave(&self, ws: Uuid) {
        let mut counts = self.lock();
        if let Some(n) = counts.get_mut(&ws) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                counts.remove(&ws);
            }
        }
    }

    #[must_use]
    pub fn present(&self, ws: Uuid) -> bool {
        self.lock().contains_key(&ws)
    }
}

struct Follower {
    store: Store,
    presence: Presence,
    out: mpsc::UnboundedSender<Outgoing>,
    metrics: Arc<Metrics>,
    /// Last seq handed to the emitter, per followed workspace.
    last: HashMap<Uuid, i64>,
}

/// Starts the follower: it merges `local` (this node's committed events, in order) with
/// what the log says, and feeds the emitter through `out`.
pub(crate) fn spawn_follower(
    store: Store,
    presence: Presence,
    mut local: mpsc::UnboundedReceiver<Ordered>,
    mut wake: mpsc::UnboundedReceiver<Wake>,
    out: mpsc::UnboundedSender<Outgoing>,
    metrics: Arc<Metrics>,
    catch_up_every: Duration,
) -> tokio::task::JoinHandle<()> {
    let mut f = Follower {
        store,
        presence,
        out,
        metrics,
        last: HashMap::new(),
    };
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(catch_up_every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                biased;
                o = local.recv() => match o {
                    Some(Ordered::Event(ev)) => f.local(ev).await,
                    // Derived from the removal's event instead, in log order (see `deliver`).
                    Some(Ordered::Revoke(Revoked { subject: Subject::User(_), .. })) => {}
                    Some(Ordered::Revoke(r)) => f.send(Outgoing::Revoke(r)),
                    Some(Ordered::Flushed(done)) => f.send(Outgoing::Flushed(done)),
                    // The store is gone: the server is stopping.
                    None => break,
                },
                Some(w) = wake.recv() => f.wake(w).await,
                _ = tick.tick() => f.catch_up_all().await,
            }
        }
    })
}

impl Follower {
    fn send(&self, o: Outgoing) {
        let _ = self.out.send(o);
    }

    /// Hands an event to the emitter. A member's removal also ends their sessions (and their
    /// tokens') right after it, in log order, on every node: events committed after the
    /// removal are queued behind the revocation, whichever path brought them here first.
    fn deliver(&self, ev: StoredEvent) {
        let removed = (ev.event.event_type == EventType::MembersUpdated
            && ev.event.action == Action::Deleted)
            .then_some(ev.event.id)
            .flatten()
            .map(|id| Revoked {
                workspace_id: ev.workspace_id,
                subject: Subject::User(id),
            });
        self.send(Outgoing::Event(ev));
        if let Some(r) = removed {
            self.store.forget_access(r.workspace_id, r.subject);
            self.send(Outgoing::Revoke(r));
        }
    }

    /// An event this node committed.
    async fn local(&mut self, ev: StoredEvent) {
        let (ws, seq) = (ev.workspace_id, ev.event.seq);
        match self.last.get(&ws).copied() {
            // Not followed: nobody here has heard anything of it yet.
            None => {
                self.last.insert(ws, seq);
                self.deliver(ev);
            }
            Some(last) if seq <= last => {}
            Some(last) if seq == last + 1 => {
                self.last.insert(ws, seq);
                self.deliver(ev);
            }
            // Another node committed in between: read that first.
            Some(_) => {
                self.catch_up(ws).await;
                if self.last.get(&ws).is_some_and(|l| *l + 1 == seq) {
                    self.last.insert(ws, seq);
                    self.deliver(ev);
                }
                // Otherwise the log could not be read: the next catch-up delivers it in order.
            }
        }
    }

    async fn wake(&mut self, w: Wake) {
        match w {
            Wake::Joined { ws, seq } => {
                self.last.entry(ws).or_insert(seq);
            }
            Wake::Signal(Signal::Events { ws, seq }) => {
                if self.last.get(&ws).is_some_and(|l| *l < seq) {
                    self.catch_up(ws).await;
                }
            }
            Wake::Signal(Signal::Access {
                origin,
                revoked,
                ended,
            }) => {
                self.store
                    .forget_access(revoked.workspace_id, revoked.subject);
                // The node that made the change ends its own sockets' sessions itself; a
                // member's removal ends them when its event is delivered (see `deliver`).
                let derived = matches!(revoked.subject, Subject::User(_));
                if ended && !derived && origin != self.store.node_id() {
                    self.send(Outgoing::Revoke(revoked));
                }
            }
            Wake::Relinked => {
                self.store.forget_all_access();
                self.send(Outgoing::Recheck);
                self.catch_up_all().await;
            }
        }
    }

    /// Compares every followed workspace with the log and delivers what is missing; stops
    /// following workspaces with no socket here.
    async fn catch_up_all(&mut self) {
        let presence = &self.presence;
        self.last.retain(|ws, _| presence.present(*ws));
        if self.last.is_empty() {
            return;
        }
        let followed: Vec<Uuid> = self.last.keys().copied().collect();
        let latest =
            match tokio::time::timeout(READ_TIMEOUT, self.store.latest_seqs(&followed)).await {
                Ok(Ok(l)) => l,
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "reading the latest seqs failed");
                    return;
                }
                Err(_) => {
                    tracing::warn!("reading the latest seqs timed out");
                    return;
                }
            };
        for (ws, seq) in latest {
            if self.last.get(&ws).is_some_and(|l| *l < seq) {
                self.catch_up(ws).await;
            }
        }
    }

    /// Reads the log of `ws` after the last seq delivered and delivers it, in order.
    async fn catch_up(&mut self, ws: Uuid) {
        loop {
            let Some(after) = self.last.get(&ws).copied() else {
                return;
            };
            self.metrics.catch_up_reads.inc();
            let page = match tokio::time::timeout(
                READ_TIMEOUT,
                self.store.events_to_deliver(ws, after, PAGE),
            )
            .await
            {
                Ok(Ok(p)) => p,
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, workspace = %ws, "reading the event log failed");
                    return;
                }
                Err(_) => {
                    tracing::warn!(workspace = %ws, "reading the event log timed out");
                    return;
                }
            };
            let full = page.len() as u64 >= PAGE;
            for ev in page {
                // The log is gapless; a jump means retention pruned what this node had not
                // delivered yet (clients get `reset` from `sync`).
                self.last.insert(ws, ev.event.seq);
                self.metrics.caught_up.inc();
                self.deliver(ev);
            }
            if !full {
                return;
            }
        }
    }
}
