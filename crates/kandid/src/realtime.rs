//! Attaches Socket.IO to the app: the local adapter on one node, the Redis adapter when
//! `REDIS_URL` is set. Everything past this choice is generic over the adapter.

use crate::Config;
use anyhow::Context;
use axum::extract::{OriginalUri, Request};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Uri};
use kandid_api::ReadyCheck;
use kandid_realtime::{
    AdapterHealth, EmitGate, EmitQueue, Metrics, RealtimeState, authenticate, on_connect,
};
use kandid_store::Store;
use socketioxide::adapter::{Adapter, LocalAdapter};
use socketioxide::handler::ConnectHandler;
use socketioxide::{SocketIo, SocketIoBuilder, TransportType};
use socketioxide_redis::{RedisAdapter, RedisAdapterConfig, RedisAdapterCtr};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tokio::task::JoinHandle;

/// Where Engine.IO is served (socketioxide's default `req_path`).
const SOCKET_PATH: &str = "/socket.io";

/// Channel prefix of our Redis adapter; distinct from Node's socket.io adapter, whose
/// messages are not wire-compatible.
const REDIS_PREFIX: &str = "kandid-socket.io";

pub type Closer = Box<dyn FnOnce() -> Pin<Box<dyn Future<Output = ()> + Send>> + Send>;

pub struct Attached {
    pub router: axum::Router,
    pub emitter: JoinHandle<()>,
    pub close: Closer,
    pub runtime: Option<SocketRuntime>,
}

/// The runtime that serves open websockets and the emitter, so that under a fan-out that
/// fills every core, REST requests (on the main runtime's threads) get their share of the
/// CPU from the operating system instead of queueing behind thousands of socket tasks.
/// Dropped, it stops without waiting (its tasks end with the process).
pub struct SocketRuntime {
    handle: tokio::runtime::Handle,
    /// Taken when dropped.
    runtime: Option<tokio::runtime::Runtime>,
}

impl SocketRuntime {
    /// The runtime for `SOCKET_THREADS` (default: one thread per core); none for `0`.
    fn new(threads: Option<usize>) -> anyhow::Result<Option<Self>> {
        let threads = match threads {
            Some(0) => return Ok(None),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(2, usize::from),
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .thread_name("kandid-sockets")
            .enable_all()
            .build()
            .context("starting the socket runtime")?;
        Ok(Some(Self {
            handle: runtime.handle().clone(),
            runtime: Some(runtime),
        }))
    }
}

impl Drop for SocketRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

fn builder(
    config: &Config,
    state: RealtimeState,
    runtime: Option<&tokio::runtime::Handle>,
) -> SocketIoBuilder {
    let polling = config
        .socket_transports
        .iter()
        .any(|t| t.trim() == "polling");
    let websocket = config
        .socket_transports
        .iter()
        .any(|t| t.trim() == "websocket");
    let b = SocketIo::builder()
        .ping_interval(config.socket_ping_interval)
        .ping_timeout(config.socket_ping_timeout)
        .max_payload(config.socket_max_payload)
        // max_payload bounds polling bodies only; a websocket message is bounded by these
        // (64 MiB by default), so the same limit has to be given again.
        .ws_max_message_size(usize::try_from(config.socket_max_payload).unwrap_or(usize::MAX))
        .ws_max_frame_size(usize::try_from(config.socket_max_payload).unwrap_or(usize::MAX))
        // Client frames are small acks and requests; the 4 KiB default is kept per socket.
        .ws_read_buffer_size(512)
        // A socket this far behind is disconnected; it reconnects and recovers with sync.
        .max_buffer_size(usize::try_from(config.socket_max_buffer).unwrap_or(usize::MAX))
        .with_state(state);
    let b = match runtime {
        Some(handle) => b.ws_runtime(handle.clone()),
        None => b,
    };
    match (polling, websocket) {
        (true, false) => b.transports([TransportType::Polling]),
        (false, true) => b.transports([TransportType::Websocket]),
        _ => b,
    }
}

/// A Redis client for `REDIS_URL`, forced to RESP3 (the adapter needs it).
pub fn redis_client(url: &str) -> anyhow::Result<redis::Client> {
    redis::Client::open(resp3(url)).context("parsing REDIS_URL")
}

/// `/readyz` check: Redis answers a PING, and the adapter's last emit got through (the
/// adapter keeps one connection and does not reconnect, so a fresh PING alone can pass
/// while every emit fails).
pub fn redis_ready_check(client: redis::Client, adapter: AdapterHealth) -> ReadyCheck {
    Arc::new(move || {
        let client = client.clone();
        let adapter_ok = adapter.ok();
        Box::pin(async move {
            if !adapter_ok {
                return Err("the adapter's last emit failed".to_owned());
            }
            let mut conn = client
                .get_multiplexed_async_connection()
                .await
                .map_err(|e| e.to_string())?;
            redis::cmd("PING")
                .query_async::<String>(&mut conn)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
    })
}

/// `url` asking for RESP3, which the adapter needs, unless it names a protocol already.
fn resp3(url: &str) -> String {
    let Ok(mut u) = url::Url::parse(url) else {
        // `redis::Client::open` reports the unparsable URL.
        return url.to_owned();
    };
    if !u.query_pairs().any(|(k, _)| k == "protocol") {
        u.query_pairs_mut().append_pair("protocol", "resp3");
    }
    u.into()
}

/// The request headers a Socket.IO session keeps: what its handlers read (the token, the
/// polling body's type, the websocket key) and what says where it came from. The origin
/// check and CORS run before and see every header.
const SOCKET_HEADERS: [&str; 8] = [
    "authorization",
    "content-type",
    "sec-websocket-key",
    "host",
    "origin",
    "x-forwarded-for",
    "forwarded",
    "x-request-id",
];

/// Engine.IO keeps each socket's HTTP request parts for the socket's life, and hyper's
/// header values and URI are slices of the connection's read buffer (≈ 16 KiB), which they
/// would keep alive with them. Socket.IO requests get copies instead, so the buffer goes
/// when the handshake is done; and only of the headers in [`SOCKET_HEADERS`] (a browser
/// sends about 1 KiB of others: user agent, languages, cookies).
async fn detach_from_read_buffer(req: Request) -> Request {
    if !req.uri().path().starts_with(SOCKET_PATH) {
        return req;
    }
    let (mut parts, body) = req.into_parts();
    let mut headers = HeaderMap::new();
    for (name, value) in &parts.headers {
        if !SOCKET_HEADERS.contains(&name.as_str()) {
            continue;
        }
        let copied = HeaderName::from_bytes(name.as_str().as_bytes())
            .ok()
            .zip(HeaderValue::from_bytes(value.as_bytes()).ok());
        if let Some((name, mut v)) = copied {
            v.set_sensitive(value.is_sensitive());
            headers.append(name, v);
        }
    }
    parts.headers = headers;
    if let Ok(uri) = Uri::try_from(parts.uri.to_string()) {
        // axum's copy of the URI, made before routing, would keep the buffer too.
        if parts.extensions.get::<OriginalUri>().is_some() {
            parts.extensions.insert(OriginalUri(uri.clone()));
        }
        parts.uri = uri;
    }
    Request::from_parts(parts, body)
}

fn finish<A: Adapter>(
    router: axum::Router,
    io: SocketIo<A>,
    emits: EmitQueue,
    store: Store,
    metrics: Arc<Metrics>,
    runtime: Option<SocketRuntime>,
) -> Attached {
    let gate = EmitGate::default();
    // On the sockets' runtime: it wakes their tasks, cheaper from one of its own threads.
    let emitter = {
        let _entered = runtime.as_ref().map(|r| r.handle.enter());
        emits.spawn(io.clone(), gate.clone(), store, metrics)
    };
    let router = router.layer(axum::middleware::map_request(detach_from_read_buffer));
    let close: Closer = Box::new(move || Box::pin(async move { gate.close(&io).await }));
    Attached {
        router,
        emitter,
        close,
        runtime,
    }
}

pub async fn attach(
    router: axum::Router,
    config: &Config,
    state: RealtimeState,
    emits: EmitQueue,
    redis: Option<redis::Client>,
) -> anyhow::Result<Attached> {
    let (store, metrics) = (state.store.clone(), Arc::clone(&state.metrics));
    let runtime = SocketRuntime::new(config.socket_threads)?;
    let b = builder(config, state, runtime.as_ref().map(|r| &r.handle));
    match redis {
        None => {
            let (layer, io) = b.build_layer();
            io.ns(
                "/",
                on_connect::<LocalAdapter>.with(authenticate::<LocalAdapter>),
            );
            Ok(finish(
                router.layer(layer),
                io,
                emits,
                store,
                metrics,
                runtime,
            ))
        }
        Some(client) => {
            let ctr = RedisAdapterCtr::new_with_redis_config(
                &client,
                RedisAdapterConfig::new().with_prefix(REDIS_PREFIX),
            )
            .await
            .context("connecting to Redis")?;
            let (layer, io) = b.with_adapter::<RedisAdapter<_>>(ctr).build_layer();
            io.ns(
                "/",
                on_connect::<RedisAdapter<_>>.with(authenticate::<RedisAdapter<_>>),
            )
            .await
            .map_err(|e| anyhow::anyhow!("starting the Redis adapter: {e}"))?;
            Ok(finish(
                router.layer(layer),
                io,
                emits,
                store,
                metrics,
                runtime,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::resp3;

    #[test]
    fn resp3_is_asked_for_unless_a_protocol_is_named() {
        for (given, want) in [
            (
                "redis://127.0.0.1:6379",
                "redis://127.0.0.1:6379?protocol=resp3",
            ),
            ("redis://h:6379/2", "redis://h:6379/2?protocol=resp3"),
            ("redis://h/?x=1", "redis://h/?x=1&protocol=resp3"),
            ("redis://h/?protocol=resp2", "redis://h/?protocol=resp2"),
        ] {
            assert_eq!(resp3(given), want);
            assert!(redis::Client::open(resp3(given)).is_ok(), "{given}");
        }
    }
}
