//! Coalesced `dashboard_updated`: at most one per workspace per [`DASHBOARD_INTERVAL`] on
//! each node, computed only when a socket here can receive it.

use crate::Metrics;
use crate::local::{EmitGate, count_slow_consumers, here};
use crate::rooms::key;
use kandid_domain::socket::DashboardUpdated;
use kandid_store::Store;
use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// At most one `dashboard_updated` per workspace per this interval on each node.
pub const DASHBOARD_INTERVAL: Duration = Duration::from_millis(250);

#[derive(Default)]
struct DashState {
    last: Option<Instant>,
    scheduled: bool,
}

/// Schedules each workspace's next `dashboard_updated`.
pub(crate) struct Dashboards<A: Adapter> {
    state: Arc<Mutex<HashMap<Uuid, DashState>>>,
    io: SocketIo<A>,
    gate: EmitGate,
    store: Store,
    metrics: Arc<Metrics>,
}

impl<A: Adapter> Dashboards<A> {
    pub(crate) fn new(
        io: SocketIo<A>,
        gate: EmitGate,
        store: Store,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            state: Arc::default(),
            io,
            gate,
            store,
            metrics,
        }
    }

    /// A change of `ws` was emitted: its dashboard follows, at once or when the interval
    /// since the last one is over (once for all changes until then).
    pub(crate) fn schedule(&self, ws: Uuid) {
        let delay = {
            let mut map = self.state.lock().unwrap_or_else(PoisonError::into_inner);
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
        let (state, io, gate, store, metrics) = (
            Arc::clone(&self.state),
            self.io.clone(),
            self.gate.clone(),
            self.store.clone(),
            Arc::clone(&self.metrics),
        );
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            {
                let mut map = state.lock().unwrap_or_else(PoisonError::into_inner);
                let st = map.entry(ws).or_default();
                st.scheduled = false;
                st.last = Some(Instant::now());
            }
            // Shutting down: nobody is left to send the metrics to.
            if gate.is_shut().await {
                return;
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
                        metrics: m,
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
                // A read cut short by the shutdown is not a failure worth a warning.
                Err(e) if gate.is_shut().await => {
                    tracing::debug!(error = %e, workspace = %ws, "dashboard metrics dropped at shutdown");
                }
                Err(e) => tracing::warn!(error = %e, workspace = %ws, "dashboard metrics failed"),
            }
        });
    }
}

/// True when no socket on this node can receive a dashboard of these rooms, so it need not
/// be computed. Every node emits to its own sockets only (see `follow`), so what sockets
/// elsewhere watch is their node's concern.
fn unwatched<A: Adapter>(io: &SocketIo<A>, rooms: &[String]) -> bool {
    here(io).is_none_or(|here| here.to(rooms.to_vec()).sockets().is_empty())
}
