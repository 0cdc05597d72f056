//! The signal path between nodes on PostgreSQL: a `LISTEN` connection of its own that
//! wakes the follower (see `kandid_realtime::follow`) when another node commits events or
//! changes someone's access. It reconnects by itself with backoff; while it is down,
//! `/readyz` fails and delivery falls back to the follower's periodic catch-up.

use kandid_realtime::{AdapterHealth, Metrics, Wake};
use kandid_store::cluster::{ACCESS_CHANNEL, EVENTS_CHANNEL, Signal};
use sea_orm::sqlx::postgres::PgListener;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

async fn listen(url: &str) -> Result<PgListener, String> {
    let connect = async {
        let mut l = PgListener::connect(url).await?;
        // A lost connection is re-established here, with backoff, not inside `try_recv`.
        l.eager_reconnect(false);
        l.listen_all([EVENTS_CHANNEL, ACCESS_CHANNEL]).await?;
        Ok::<_, sea_orm::sqlx::Error>(l)
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
        Ok(r) => r.map_err(|e| e.to_string()),
        Err(_) => Err("timed out".to_owned()),
    }
}

/// Listens until the process ends, forwarding every notification to the follower.
pub fn spawn_listener(
    url: String,
    wake: UnboundedSender<Wake>,
    metrics: Arc<Metrics>,
) -> tokio::task::JoinHandle<()> {
    let health: AdapterHealth = metrics.signal.clone();
    tokio::spawn(async move {
        let mut backoff = FIRST_BACKOFF;
        let mut connected_before = false;
        loop {
            match listen(&url).await {
                Ok(mut listener) => {
                    health.set(true);
                    backoff = FIRST_BACKOFF;
                    if connected_before {
                        metrics.signal_reconnects.inc();
                        tracing::info!("signal path between nodes re-established");
                    }
                    connected_before = true;
                    // Whatever was committed while nobody listened is read from the log now.
                    if wake.send(Wake::Relinked).is_err() {
                        return;
                    }
                    let lost = loop {
                        match listener.try_recv().await {
                            Ok(Some(n)) => {
                                if let Some(s) = Signal::parse(n.channel(), n.payload())
                                    && wake.send(Wake::Signal(s)).is_err()
                                {
                                    return;
                                }
                            }
                            Ok(None) => break "connection lost".to_owned(),
                            Err(e) => break e.to_string(),
                        }
                    };
                    health.set(false);
                    tracing::warn!(error = %lost, "signal path between nodes lost; reconnecting");
                }
                Err(e) => {
                    health.set(false);
                    tracing::warn!(error = %e, retry_in = ?backoff, "signal path between nodes unavailable");
                }
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    })
}
