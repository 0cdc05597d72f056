use std::{
    collections::HashMap,
    sync::{
        Arc, RwLock, Weak,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use engineioxide_core::{ProtocolVersion, Sid, TransportType};
use http::request::Parts;
use tokio::time::Instant;

use crate::{
    config::EngineIoConfig,
    handler::EngineIoHandler,
    socket::{DisconnectReason, HeartbeatCheck, Socket, millis},
};

type SocketMap<T> = RwLock<HashMap<Sid, Arc<T>>>;

/// The [`EngineIo`] struct holds the state of the engine.io server as well as utility methods to manage the state
pub struct EngineIo<H: EngineIoHandler> {
    /// A map of all the sockets connected to the server
    sockets: SocketMap<Socket<H::Data>>,

    /// The handler for the engine.io server that will be called when events are received
    pub handler: Arc<H>,

    /// The config for the engine.io server
    pub config: EngineIoConfig,

    /// Origin of the heartbeat's clock.
    epoch: Instant,
    /// Whether the heartbeat task runs.
    heartbeat_started: AtomicBool,
}

impl<H: EngineIoHandler> EngineIo<H> {
    /// Create a new Engine.IO server with a [`EngineIoHandler`] and a [`EngineIoConfig`]
    pub fn new(handler: Arc<H>, config: EngineIoConfig) -> Self {
        Self {
            sockets: RwLock::new(HashMap::new()),
            config,
            handler,
            epoch: Instant::now(),
            heartbeat_started: AtomicBool::new(false),
        }
    }
}

impl<H: EngineIoHandler> EngineIo<H> {
    /// Create a new engine.io session and a new socket and add it to the socket map
    pub(crate) fn create_session(
        self: &Arc<Self>,
        protocol: ProtocolVersion,
        transport: TransportType,
        req: Parts,
        supports_binary: bool,
    ) -> Arc<Socket<H::Data>> {
        let engine = self.clone();
        let close_fn = Box::new(move |sid, reason| engine.close_session(sid, reason));

        let socket = Socket::new(
            protocol,
            transport,
            &self.config,
            req,
            close_fn,
            supports_binary,
        );
        let socket = Arc::new(socket);
        self.sockets
            .write()
            .unwrap()
            .insert(socket.id, socket.clone());
        self.handler.clone().on_connect(socket.clone());
        socket
    }

    /// Milliseconds since the engine started, the heartbeat's clock.
    fn now(&self) -> u64 {
        millis(self.epoch.elapsed())
    }

    /// Put an open socket under the heartbeat, starting the engine's heartbeat task with
    /// the first one.
    ///
    /// One task checks every socket a few times per ping interval, sending the pings that are
    /// due and closing the sockets whose client missed its deadline. Compared with a task and
    /// a timer per socket, it keeps about 2 KiB per socket and a wake-up per ping less, for a
    /// deadline that is late by at most one check period.
    pub(crate) fn start_heartbeat(self: &Arc<Self>, socket: &Socket<H::Data>) {
        socket.start_heartbeat(
            self.now(),
            self.config.ping_interval,
            self.config.ping_timeout,
        );
        if !self.heartbeat_started.swap(true, Ordering::AcqRel) {
            tokio::spawn(heartbeat_task(Arc::downgrade(self)));
        }
    }

    /// One pass of the heartbeat over every socket.
    fn check_heartbeats(&self) {
        let now = self.now();
        let (interval, timeout) = (self.config.ping_interval, self.config.ping_timeout);
        let mut timed_out = Vec::new();
        {
            let sockets = self.sockets.read().unwrap_or_else(|e| e.into_inner());
            for socket in sockets.values() {
                if socket.check_heartbeat(now, interval, timeout) == HeartbeatCheck::TimedOut {
                    timed_out.push(socket.clone());
                }
            }
        }
        for socket in timed_out {
            #[cfg(feature = "tracing")]
            tracing::debug!(sid = ?socket.id, "heartbeat timeout");
            socket.close(DisconnectReason::HeartbeatTimeout);
        }
    }

    /// Get a socket by its sid
    /// Clones the socket ref to avoid holding the lock
    pub fn get_socket(&self, sid: Sid) -> Option<Arc<Socket<H::Data>>> {
        self.sockets.read().unwrap().get(&sid).cloned()
    }

    /// Close an engine.io session by removing the socket from the socket map and closing the socket.
    ///
    /// It should be the only way to close a session and to remove a socket from the socket map.
    #[cfg_attr(feature = "tracing", tracing::instrument(skip(self)))]
    pub fn close_session(&self, sid: Sid, reason: DisconnectReason) {
        let socket = { self.sockets.write().unwrap().remove(&sid) };
        let Some(socket) = socket else {
            #[cfg(feature = "tracing")]
            tracing::debug!(
                ?sid,
                socket_len = self.sockets.read().unwrap().len(),
                "socket not found"
            );
            return;
        };

        // Notify every transport task listening on this token to stop. Cancellation-aware
        // transports (the ws `forward_to_socket` task and pending polling requests) will release
        // the `internal_rx` lock as soon as they observe the cancellation.
        socket.closing.store(true, Ordering::Release);
        socket.cancellation_token.cancel();

        let handler = self.handler.clone();
        tokio::spawn(async move {
            // Wait for the cancelled transport task to yield the `internal_rx` lock, then close the
            // channel so that `Socket::closed` resolves and no more packets can be buffered.
            // When no transport holds the lock (e.g. polling between requests) this resolves
            // immediately.
            socket.internal_rx.lock().await.buffered_rx.close();

            #[cfg(feature = "tracing")]
            tracing::debug!(sid = %socket.id, "session closed, notifying handler");
            handler.on_disconnect(socket, reason);
        });

        #[cfg(feature = "tracing")]
        tracing::debug!(
            rem_sockets = self.sockets.read().unwrap().len(),
            "remaining sockets",
        );
    }
}

/// How often the heartbeat task checks the sockets: an eighth of the shorter of the ping
/// interval and timeout, between 5 ms and 1 s.
fn heartbeat_period(config: &EngineIoConfig) -> Duration {
    (config.ping_interval.min(config.ping_timeout) / 8)
        .clamp(Duration::from_millis(5), Duration::from_secs(1))
}

/// The engine's one heartbeat task; it ends with the engine.
async fn heartbeat_task<H: EngineIoHandler>(engine: Weak<EngineIo<H>>) {
    let period = match engine.upgrade() {
        Some(engine) => heartbeat_period(&engine.config),
        None => return,
    };
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let Some(engine) = engine.upgrade() else {
            return;
        };
        engine.check_heartbeats();
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use engineioxide_core::Str;
    use http::Request;

    use super::*;

    #[derive(Debug, Clone)]
    struct MockHandler;

    impl EngineIoHandler for MockHandler {
        type Data = ();

        fn on_connect(self: Arc<Self>, socket: Arc<Socket<Self::Data>>) {
            println!("socket connect {}", socket.id);
        }

        fn on_disconnect(&self, socket: Arc<Socket<Self::Data>>, reason: DisconnectReason) {
            println!("socket disconnect {} {:?}", socket.id, reason);
        }

        fn on_message(self: &Arc<Self>, msg: Str, socket: Arc<Socket<Self::Data>>) {
            println!("Ping pong message {msg:?}");
            socket.emit(msg).ok();
        }

        fn on_binary(self: &Arc<Self>, data: Bytes, socket: Arc<Socket<Self::Data>>) {
            println!("Ping pong binary message {data:?}");
            socket.emit_binary(data).ok();
        }
    }

    fn create_engine() -> Arc<EngineIo<MockHandler>> {
        let config = EngineIoConfig::default();
        Arc::new(EngineIo::new(Arc::new(MockHandler), config))
    }

    #[tokio::test]
    async fn create_session() {
        let engine = create_engine();
        let socket = engine.create_session(
            ProtocolVersion::V4,
            TransportType::Polling,
            Request::<()>::default().into_parts().0,
            true,
        );
        assert_eq!(engine.sockets.read().unwrap().len(), 1);
        assert_eq!(socket.protocol, ProtocolVersion::V4);
        assert!(socket.is_http());
    }

    #[tokio::test]
    async fn close_session() {
        let engine = create_engine();
        let socket = engine.create_session(
            ProtocolVersion::V4,
            TransportType::Polling,
            Request::<()>::default().into_parts().0,
            true,
        );
        assert_eq!(engine.sockets.read().unwrap().len(), 1);
        engine.close_session(socket.id, DisconnectReason::TransportClose);
        assert_eq!(engine.sockets.read().unwrap().len(), 0);
    }

    /// One task for the whole engine: a socket whose client never answers is closed once its
    /// pong is overdue; one that answers stays.
    #[tokio::test(start_paused = true)]
    async fn the_heartbeat_task_closes_silent_sockets() {
        let config = EngineIoConfig {
            ping_interval: Duration::from_millis(300),
            ping_timeout: Duration::from_millis(200),
            ..Default::default()
        };
        let engine = Arc::new(EngineIo::new(Arc::new(MockHandler), config));
        let open = |engine: &Arc<EngineIo<MockHandler>>| {
            let socket = engine.create_session(
                ProtocolVersion::V4,
                TransportType::Websocket,
                Request::<()>::default().into_parts().0,
                true,
            );
            engine.start_heartbeat(&socket);
            socket
        };
        let silent = open(&engine);
        let answering = open(&engine);
        for _ in 0..40 {
            tokio::time::sleep(Duration::from_millis(25)).await;
            answering.heartbeat_received(&engineioxide_core::Packet::Pong);
        }
        assert!(
            engine.get_socket(silent.id).is_none(),
            "silent socket closed"
        );
        assert!(
            engine.get_socket(answering.id).is_some(),
            "answering socket kept"
        );
    }

    #[tokio::test]
    async fn get_socket() {
        let engine = create_engine();
        let socket = engine.create_session(
            ProtocolVersion::V4,
            TransportType::Polling,
            Request::<()>::default().into_parts().0,
            true,
        );
        assert_eq!(engine.sockets.read().unwrap().len(), 1);
        let socket = engine.get_socket(socket.id).unwrap();
        assert_eq!(socket.protocol, ProtocolVersion::V4);
        assert!(socket.is_http());
    }
}
