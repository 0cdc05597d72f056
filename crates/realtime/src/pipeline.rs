//! The delivery pipeline of one node, wired in one place. Data runs one way through its
//! channels: the store's commits are put in seq order (`order`), merged with the durable log
//! (`follow`), and emitted to this node's sockets (`emit`). No stage calls back into an
//! earlier one.

use crate::Metrics;
use crate::emit::EmitQueue;
use crate::follow::{Presence, Wake, spawn_follower};
use crate::order::{Dispatcher, Ordered};
use kandid_store::Store;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// The pipeline's channels, before the store exists: the store is built with
/// [`Pipeline::dispatcher`] as its event sink, then [`Pipeline::start`] follows it.
pub struct Pipeline {
    dispatcher: Arc<Dispatcher>,
    ordered: mpsc::UnboundedReceiver<Ordered>,
    wake: mpsc::UnboundedSender<Wake>,
    woken: mpsc::UnboundedReceiver<Wake>,
}

/// The running pipeline.
pub struct Delivery {
    /// Which workspaces have sockets here; the handshake reports each workspace's first.
    pub presence: Presence,
    /// The follower task.
    pub follower: JoinHandle<()>,
    /// What the follower hands on, emitted once the sockets exist ([`EmitQueue::spawn`]).
    pub emits: EmitQueue,
}

impl Default for Pipeline {
    fn default() -> Self {
        Self::new()
    }
}

impl Pipeline {
    #[must_use]
    pub fn new() -> Self {
        let (dispatcher, ordered) = Dispatcher::new();
        let (wake, woken) = mpsc::unbounded_channel();
        Self {
            dispatcher,
            ordered,
            wake,
            woken,
        }
    }

    /// The store's event sink; also what shutdown flushes.
    #[must_use]
    pub fn dispatcher(&self) -> Arc<Dispatcher> {
        Arc::clone(&self.dispatcher)
    }

    /// Where the signal path between nodes wakes the follower.
    #[must_use]
    pub fn waker(&self) -> mpsc::UnboundedSender<Wake> {
        self.wake.clone()
    }

    /// Starts following: this node's commits through the dispatcher, other nodes' through
    /// the waker and the log, every `catch_up_every` a comparison with the log.
    #[must_use]
    pub fn start(self, store: Store, metrics: Arc<Metrics>, catch_up_every: Duration) -> Delivery {
        let presence = Presence::new(self.wake);
        let (to_emit, emits) = mpsc::unbounded_channel();
        let follower = spawn_follower(
            store,
            presence.clone(),
            self.ordered,
            self.woken,
            to_emit,
            metrics,
            catch_up_every,
        );
        Delivery {
            presence,
            follower,
            emits: EmitQueue(emits),
        }
    }
}
