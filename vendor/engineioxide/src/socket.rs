//! ## A [`Socket`] represents a client connection to the server
//!
//! It can be used to :
//! * Emit binary or string data
//! * Get a reference to the request made to connect to the socket.io server
//! * Close the connection
//!
//! #### Example :
//! ```rust
//! # use bytes::Bytes;
//! # use engineioxide::service::EngineIoService;
//! # use engineioxide::handler::EngineIoHandler;
//! # use engineioxide::{Socket, DisconnectReason, Str};
//! # use std::sync::{Mutex, Arc};
//! # use std::sync::atomic::{AtomicUsize, Ordering};
//! // Global state
//! #[derive(Debug, Default)]
//! struct MyHandler {
//!     user_cnt: AtomicUsize,
//! }
//!
//! // Socket state
//! #[derive(Debug, Default)]
//! struct SocketState {
//!     id: Mutex<String>,
//! }
//!
//! impl EngineIoHandler for MyHandler {
//!     type Data = SocketState;
//!
//!     fn on_connect(self: Arc<Self>, socket: Arc<Socket<SocketState>>) {
//!         // Get the request made to initialize the connection
//!         // and check that the authorization header is correct
//!         let connected = socket.req_parts.headers.get("Authorization")
//!             .map(|a| a == "mysuperpassword!").unwrap_or_default();
//!         // Close the socket if the authentication is invalid
//!         if !connected {
//!             socket.close(DisconnectReason::TransportError);
//!             return;
//!         }
//!
//!         let cnt = self.user_cnt.fetch_add(1, Ordering::Relaxed) + 1;
//!         // Emit string data to the client
//!         socket.emit(cnt.to_string()).ok();
//!     }
//!     fn on_disconnect(&self, socket: Arc<Socket<SocketState>>, reason: DisconnectReason) {
//!         let cnt = self.user_cnt.fetch_sub(1, Ordering::Relaxed) - 1;
//!     }
//!     fn on_message(self: &Arc<Self>, msg: Str, socket: Arc<Socket<SocketState>>) {
//!         *socket.data.id.lock().unwrap() = msg.into(); // bind a provided user id to a socket
//!     }
//!     fn on_binary(self: &Arc<Self>, data: Bytes, socket: Arc<Socket<SocketState>>) { }
//! }
//!
//! let svc = EngineIoService::new(Arc::new(MyHandler::default()));
//! ```
use std::{
    collections::VecDeque,
    fmt::Debug,
    sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering},
    task::{Context, Poll, Waker},
    time::Duration,
};

use crate::{config::EngineIoConfig, errors::Error};
use bytes::Bytes;
use engineioxide_core::{Packet, PacketBuf, ProtocolVersion, Str, TransportType};
use http::request::Parts;
use smallvec::{SmallVec, smallvec};
use tokio::sync::{
    Mutex,
    mpsc::{self, Receiver, error::TrySendError},
};

pub use engineioxide_core::Sid;
use tokio_util::sync::CancellationToken;

/// A [`DisconnectReason`] represents the reason why a [`Socket`] was closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisconnectReason {
    /// The client gracefully closed the connection
    TransportClose,
    /// The client sent multiple polling requests at the same time (it is forbidden according to the engine.io protocol)
    MultipleHttpPollingError,
    /// The client sent a bad request / the packet could not be parsed correctly
    PacketParsingError,
    /// An error occured in the transport layer
    /// (e.g. the client closed the connection without sending a close packet)
    TransportError,
    /// The client did not respond to the heartbeat
    HeartbeatTimeout,
    /// The server is being closed
    ClosingServer,
}

/// Convert an [`Error`] to a [`DisconnectReason`] if possible
/// This is used to notify the [`Handler`](crate::handler::EngineIoHandler) of the reason why a [`Socket`] was closed
/// If the error cannot be converted to a [`DisconnectReason`] it means that the error was not fatal and the [`Socket`] can be kept alive
impl From<&Error> for Option<DisconnectReason> {
    fn from(err: &Error) -> Self {
        use Error::*;
        match err {
            WsTransport(_) => Some(DisconnectReason::TransportError),
            BadPacket(_) | PacketParse(_) => Some(DisconnectReason::PacketParsingError),
            HeartbeatTimeout => Some(DisconnectReason::HeartbeatTimeout),
            _ => None,
        }
    }
}

/// What the internal channel carries: the common packets in 40 bytes, the rest boxed.
///
/// A [`PacketBuf`] takes about 170 bytes (two inline [`Packet`]s, whose open packet is large),
/// and a bounded channel allocates its first block of 32 slots when it is made, so a channel
/// of `PacketBuf` costs every socket 5.4 KiB before it sends anything; of `Item`, 1.3 KiB.
#[derive(Debug)]
pub(crate) enum Item {
    /// A text message.
    Message(Str),
    /// A binary message.
    Binary(Bytes),
    /// A packet without payload.
    Bare(Bare),
    /// Adjacent packets that go together, and anything else.
    Many(Box<PacketBuf>),
}

/// The packets without payload, in one byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bare {
    Close,
    Ping,
    Pong,
    PingUpgrade,
    PongUpgrade,
    Upgrade,
    Noop,
}

impl From<Bare> for Packet {
    fn from(bare: Bare) -> Self {
        match bare {
            Bare::Close => Packet::Close,
            Bare::Ping => Packet::Ping,
            Bare::Pong => Packet::Pong,
            Bare::PingUpgrade => Packet::PingUpgrade,
            Bare::PongUpgrade => Packet::PongUpgrade,
            Bare::Upgrade => Packet::Upgrade,
            Bare::Noop => Packet::Noop,
        }
    }
}

impl Item {
    /// The packets to send, in order.
    pub(crate) fn into_packets(self) -> PacketBuf {
        match self {
            Item::Many(packets) => *packets,
            item => item.into_single().into_iter().collect(),
        }
    }
}

impl From<Packet> for Item {
    fn from(packet: Packet) -> Self {
        match packet {
            Packet::Message(msg) => Item::Message(msg),
            Packet::Binary(bin) => Item::Binary(bin),
            Packet::Close => Item::Bare(Bare::Close),
            Packet::Ping => Item::Bare(Bare::Ping),
            Packet::Pong => Item::Bare(Bare::Pong),
            Packet::PingUpgrade => Item::Bare(Bare::PingUpgrade),
            Packet::PongUpgrade => Item::Bare(Bare::PongUpgrade),
            Packet::Upgrade => Item::Bare(Bare::Upgrade),
            Packet::Noop => Item::Bare(Bare::Noop),
            p => Item::Many(Box::new(smallvec![p])),
        }
    }
}

impl From<PacketBuf> for Item {
    fn from(mut packets: PacketBuf) -> Self {
        if packets.len() == 1
            && let Some(packet) = packets.pop()
        {
            return packet.into();
        }
        Item::Many(Box::new(packets))
    }
}

impl Item {
    /// The single packet this item holds, if it holds one.
    pub(crate) fn into_single(self) -> Option<Packet> {
        match self {
            Item::Message(msg) => Some(Packet::Message(msg)),
            Item::Binary(bin) => Some(Packet::Binary(bin)),
            Item::Bare(bare) => Some(bare.into()),
            Item::Many(mut packets) if packets.len() == 1 => packets.pop(),
            Item::Many(_) => None,
        }
    }
}

/// The latest volatile packets, waiting for the transport to have nothing else to send.
///
/// Each send replaces what is waiting; the transport takes it once the packet channel is
/// empty, so volatile packets go after the queued ones and never take a place in the channel
/// (a full channel does not refuse them). This is the `watch` channel of upstream's sockets,
/// in a few bytes instead of an allocation per socket.
#[derive(Debug, Default)]
pub(crate) struct Volatile(std::sync::Mutex<VolatileSlot>);

#[derive(Debug, Default)]
struct VolatileSlot {
    packets: Option<Box<PacketBuf>>,
    /// The transport's task, woken when packets come.
    waker: Option<Waker>,
}

impl Volatile {
    fn slot(&self) -> std::sync::MutexGuard<'_, VolatileSlot> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Replaces what is waiting with `packets`, and wakes the transport.
    fn put(&self, packets: PacketBuf) {
        let waker = {
            let mut slot = self.slot();
            slot.packets = Some(Box::new(packets));
            slot.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// The waiting packets; if there are none, `cx`'s task is woken when some come.
    pub(crate) fn poll_take(&self, cx: &mut Context<'_>) -> Poll<PacketBuf> {
        let mut slot = self.slot();
        match slot.packets.take() {
            Some(packets) => Poll::Ready(*packets),
            None => {
                if !slot.waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                    slot.waker = Some(cx.waker().clone());
                }
                Poll::Pending
            }
        }
    }
}

/// A permit to emit a message to the client.
/// A permit holds a place in the internal channel to send one packet to the client.
pub struct Permit<'a> {
    inner: mpsc::Permit<'a, Item>,
}
impl Permit<'_> {
    /// Consume the permit and emit a message to the client.
    #[inline]
    pub fn emit(self, msg: Str) {
        self.inner.send(Item::Message(msg));
    }
    /// Consume the permit and emit a binary message to the client.
    #[inline]
    pub fn emit_binary(self, data: Bytes) {
        self.inner.send(Item::Binary(data));
    }

    /// Consume the permit and emit a message with multiple binary data to the client.
    ///
    /// It can be used to ensure atomicity when sending a string packet with adjacent binary packets.
    pub fn emit_many(self, msg: Str, data: VecDeque<Bytes>) {
        let mut packets = SmallVec::with_capacity(data.len() + 1);
        packets.push(Packet::Message(msg));
        for d in data {
            packets.push(Packet::Binary(d));
        }
        self.inner.send(packets.into());
    }

    /// Consume the permit and emit a message with multiple binary data to the client.
    ///
    /// It can be used to ensure atomicity when sending a string packet with adjacent binary packets.
    pub fn emit_many_binary(self, bin: Bytes, data: Vec<Bytes>) {
        let mut packets = SmallVec::with_capacity(data.len() + 1);
        packets.push(Packet::Binary(bin));
        for d in data {
            packets.push(Packet::Binary(d));
        }
        self.inner.send(packets.into());
    }
}

#[derive(Debug)]
pub(crate) struct InternalRx {
    pub buffered_rx: Receiver<Item>,
    pub peeked_packet: Option<PacketBuf>,
}

impl InternalRx {
    fn new(buffered_rx: Receiver<Item>) -> Self {
        Self {
            buffered_rx,
            peeked_packet: None,
        }
    }
}

/// The heartbeat state of a socket, driven by the engine's one heartbeat task
/// (see [`crate::engine`]) instead of a task, a channel and a timer per socket.
///
/// Times are milliseconds since the engine started.
#[derive(Debug, Default)]
pub(crate) struct Heartbeat {
    /// Set once the transport is open: the heartbeat task looks after this socket.
    pub active: AtomicBool,
    /// A pong (v4) or ping (v3) came in since the last check.
    pub received: AtomicBool,
    /// v4: a ping was sent and its pong is awaited.
    pub waiting: AtomicBool,
    /// v4: when to send the next ping, or, while `waiting`, when the pong is overdue.
    /// v3: when the client's next ping is overdue.
    pub deadline: AtomicU64,
}

/// What the heartbeat task has to do with a socket at a check.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum HeartbeatCheck {
    Alive,
    TimedOut,
}

/// A [`Socket`] represents a client connection to the server.
/// It is agnostic to the [`TransportType`].
///
/// It handles :
/// * the packet communication between with the `Engine`
///   and the user defined [`Handler`](crate::handler::EngineIoHandler).
/// * the user defined [`Data`](crate::handler::EngineIoHandler::Data) bound to the socket.
/// * the heartbeat job that verify that the connection is still up by sending packets periodically.
pub struct Socket<D>
where
    D: Default + Send + Sync + 'static,
{
    /// The socket id
    pub id: Sid,

    /// The protocol version used by the socket
    pub protocol: ProtocolVersion,

    /// The transport type represented as a bitfield
    /// It is represented as a bitfield to allow the use of an [`AtomicU8`] so it can be shared between threads
    /// without any mutex
    transport: AtomicU8,

    /// Whether the socket is currently upgrading to a new transport.
    upgrading: AtomicBool,

    /// Channel to send [`PacketBuf`] to the connection
    ///
    /// It is used and managed by the [`EngineIo`](crate::engine) struct depending on the transport type
    ///
    /// It is locked if [`EngineIo`](crate::engine) is currently reading from it :
    /// * In case of polling transport it will be locked and released for each request
    /// * In case of websocket transport it will always be locked until the connection is closed
    ///
    /// Closing behavior is driven by the [`Socket::cancellation_token`].
    ///
    /// The channel is made of a [`SmallVec`] of [`Packet`]s so that adjacent packets can be sent atomically.
    pub(crate) internal_rx: Mutex<InternalRx>,

    /// Channel to send packets to the internal connection
    pub(crate) internal_tx: mpsc::Sender<Item>,

    /// The latest volatile packets, sent once the channel is empty.
    pub(crate) volatile: Volatile,

    /// Heartbeat state, checked periodically by the engine's heartbeat task.
    pub(crate) heartbeat: Heartbeat,

    /// A cancellation token that will be triggered when the socket is being closed.
    pub(crate) cancellation_token: CancellationToken,
    /// Set just before the token is cancelled: a check without the token's lock.
    pub(crate) closing: AtomicBool,

    /// Function to call when the socket is closed
    close_fn: Box<dyn Fn(Sid, DisconnectReason) + Send + Sync>,
    /// User data bound to the socket
    pub data: D,

    /// Http Request data used to create a socket
    pub req_parts: Parts,

    /// If the client supports binary packets (via polling XHR2)
    pub(crate) supports_binary: bool,
}

impl<D> Socket<D>
where
    D: Default + Send + Sync + 'static,
{
    pub(crate) fn new(
        protocol: ProtocolVersion,
        transport: TransportType,
        config: &EngineIoConfig,
        req_parts: Parts,
        close_fn: Box<dyn Fn(Sid, DisconnectReason) + Send + Sync>,
        supports_binary: bool,
    ) -> Self {
        let (internal_tx, internal_rx) = mpsc::channel(config.max_buffer_size);

        Self {
            id: Sid::new(),
            protocol,
            transport: AtomicU8::new(transport as u8),
            upgrading: AtomicBool::new(false),

            internal_rx: Mutex::new(InternalRx::new(internal_rx)),
            internal_tx,
            volatile: Volatile::default(),

            heartbeat: Heartbeat::default(),
            cancellation_token: CancellationToken::new(),
            closing: AtomicBool::new(false),

            close_fn,

            data: D::default(),
            req_parts,

            supports_binary,
        }
    }

    /// Sends a packet to the connection.
    pub(crate) fn send(&self, packet: Packet) -> Result<(), TrySendError<Packet>> {
        #[cfg(feature = "tracing")]
        tracing::debug!(?packet, "sending packet");

        self.internal_tx
            .try_send(packet.into())
            .map_err(|e| match e {
                TrySendError::Full(i) => {
                    TrySendError::Full(i.into_single().unwrap_or(Packet::Noop))
                }
                TrySendError::Closed(i) => {
                    TrySendError::Closed(i.into_single().unwrap_or(Packet::Noop))
                }
            })?;
        Ok(())
    }
    pub(crate) fn is_upgrading(&self) -> bool {
        self.upgrading.load(Ordering::Relaxed)
    }
    pub(crate) fn start_upgrade(&self) {
        self.upgrading.store(true, Ordering::Relaxed);
    }

    /// Hand the socket to the engine's heartbeat task.
    ///
    /// v4: the server sends a ping now and then every `interval`, and closes the socket when
    /// its pong does not come within `timeout`. v3: the client pings, the server answers at
    /// once, and closes the socket when no ping came within `interval + timeout`.
    pub(crate) fn start_heartbeat(&self, now: u64, interval: Duration, timeout: Duration) {
        let deadline = match self.protocol {
            ProtocolVersion::V4 => now,
            #[allow(unreachable_patterns)]
            _ => now + millis(interval + timeout),
        };
        self.heartbeat.deadline.store(deadline, Ordering::Relaxed);
        self.heartbeat.active.store(true, Ordering::Release);
    }

    /// A heartbeat packet (pong in v4, ping in v3) came from the client.
    pub(crate) fn heartbeat_received(&self, packet: &Packet) {
        self.heartbeat.received.store(true, Ordering::Release);
        if self.protocol != ProtocolVersion::V4 && matches!(packet, Packet::Ping) {
            // v3: answer the client's ping right away. A full buffer means the
            // client is not reading, which the next missed ping will tell.
            self.internal_tx.try_send(Item::Bare(Bare::Pong)).ok();
        }
    }

    /// One check by the heartbeat task at `now`: send a ping when one is due, and tell
    /// whether the client missed its deadline.
    pub(crate) fn check_heartbeat(
        &self,
        now: u64,
        interval: Duration,
        timeout: Duration,
    ) -> HeartbeatCheck {
        let hb = &self.heartbeat;
        if !hb.active.load(Ordering::Acquire) {
            return HeartbeatCheck::Alive;
        }
        let deadline = hb.deadline.load(Ordering::Relaxed);
        let v4 = self.protocol == ProtocolVersion::V4;
        if !v4 || hb.waiting.load(Ordering::Relaxed) {
            // Something from the client is due by `deadline`: a pong (v4) or a ping (v3).
            if hb.received.swap(false, Ordering::AcqRel) {
                let next = if v4 {
                    hb.waiting.store(false, Ordering::Relaxed);
                    // The next ping is due one interval after the last one was sent.
                    deadline.saturating_sub(millis(timeout)) + millis(interval)
                } else {
                    now + millis(interval + timeout)
                };
                hb.deadline.store(next, Ordering::Relaxed);
                return HeartbeatCheck::Alive;
            }
            return if now >= deadline {
                HeartbeatCheck::TimedOut
            } else {
                HeartbeatCheck::Alive
            };
        }
        // No ping while the transport is being upgraded.
        if now < deadline || self.is_upgrading() {
            return HeartbeatCheck::Alive;
        }
        // A pong that came before its ping does not answer it.
        hb.received.store(false, Ordering::Release);
        hb.waiting.store(true, Ordering::Relaxed);
        hb.deadline.store(now + millis(timeout), Ordering::Relaxed);
        #[cfg(feature = "tracing")]
        tracing::trace!(sid = ?self.id, "emitting ping");
        match self.internal_tx.try_send(Item::Bare(Bare::Ping)) {
            Ok(()) => HeartbeatCheck::Alive,
            Err(_) => HeartbeatCheck::TimedOut,
        }
    }

    /// Returns true if the [`Socket`] has a websocket [`TransportType`]
    pub(crate) fn is_ws(&self) -> bool {
        self.transport.load(Ordering::Relaxed) == TransportType::Websocket as u8
    }
    /// returns true if the [`Socket`] has an HTTP [`TransportType`]
    pub(crate) fn is_http(&self) -> bool {
        self.transport.load(Ordering::Relaxed) == TransportType::Polling as u8
    }

    /// Sets the [`TransportType`] to WebSocket
    /// Used when the client upgrade the connection from HTTP to WebSocket
    pub(crate) fn upgrade_to_websocket(&self) {
        self.upgrading.store(false, Ordering::Relaxed);
        self.transport
            .store(TransportType::Websocket as u8, Ordering::Relaxed);
    }

    /// Returns the current [`TransportType`] of the [`Socket`]
    pub fn transport_type(&self) -> TransportType {
        TransportType::from(self.transport.load(Ordering::Relaxed))
    }

    /// Reserve `n` permits to emit multiple messages and ensure that there is enough
    /// space in the internal chan.
    ///
    /// If the internal chan is full, the function will return a [`TrySendError::Full`] error.
    /// If the socket is closed, the function will return a [`TrySendError::Closed`] error.
    #[inline]
    pub fn reserve(&self) -> Result<Permit<'_>, TrySendError<()>> {
        let permit = self.internal_tx.try_reserve()?;
        Ok(Permit { inner: permit })
    }

    /// Emits a message to the client.
    ///
    /// If the transport is in websocket mode, the message is directly sent as a text frame.
    ///
    /// If the transport is in polling mode, the message is buffered and sent as a text frame to the next polling request.
    ///
    /// ⚠️ If the buffer is full or the socket is disconnected, an error will be returned with the original data
    pub fn emit(&self, msg: impl Into<Str>) -> Result<(), TrySendError<Str>> {
        self.send(Packet::Message(msg.into())).map_err(|e| match e {
            TrySendError::Full(p) => TrySendError::Full(p.into_message()),
            TrySendError::Closed(p) => TrySendError::Closed(p.into_message()),
        })
    }

    /// Immediately closes the socket and the underlying connection.
    /// The socket will be removed from the `Engine` and the [`Handler`](crate::handler::EngineIoHandler) will be notified.
    #[cfg_attr(feature = "tracing", tracing::instrument(skip(self)))]
    pub fn close(&self, reason: DisconnectReason) {
        // Try to send a close packet is the connection is still operational.
        self.send(Packet::Close).ok();

        (self.close_fn)(self.id, reason);
    }

    /// Returns true if the socket is closed
    /// It means that no more packets can be sent to the client
    pub fn is_closed(&self) -> bool {
        self.internal_tx.is_closed()
    }

    /// Wait for the socket to be fully closed
    pub async fn closed(&self) {
        self.internal_tx.closed().await
    }

    /// Emits a binary message to the client.
    ///
    /// If the transport is in websocket mode, the message is directly sent as a binary frame.
    ///
    /// If the transport is in polling mode, the message is buffered and sent as a text frame **encoded in base64** to the next polling request.
    ///
    /// ⚠️ If the buffer is full or the socket is disconnected, an error will be returned with the original data
    pub fn emit_binary<B: Into<Bytes>>(&self, data: B) -> Result<(), TrySendError<Bytes>> {
        if self.protocol == ProtocolVersion::V3 {
            self.send(Packet::BinaryV3(data.into()))
        } else {
            self.send(Packet::Binary(data.into()))
        }
        .map_err(|e| match e {
            TrySendError::Full(p) => TrySendError::Full(p.into_binary()),
            TrySendError::Closed(p) => TrySendError::Closed(p.into_binary()),
        })
    }

    /// Try to send a volatile message bypassing the internal buffer channel.
    /// Volatile messages may be dropped if the transport is not ready to
    /// receive them.
    ///
    /// Because volatile messages bypass the main mpsc buffer queue, they may
    /// arrive out of order relative to regular messages.
    ///
    /// Returns `true` if the message was queued for sending, `false` if it
    /// was dropped (channel full or transport shutting down).
    #[inline]
    pub fn emit_volatile(&self, msg: impl Into<Str>) -> bool {
        self.send_volatile(smallvec![Packet::Message(msg.into())])
    }

    /// Try to send a volatile binary message bypassing the internal buffer channel.
    /// Volatile messages may be dropped if the transport is not ready to
    /// receive them.
    ///
    /// Returns `true` if the message was queued for sending, `false` if it
    /// was dropped.
    #[inline]
    pub fn emit_binary_volatile<B: Into<Bytes>>(&self, data: B) -> bool {
        if self.protocol == ProtocolVersion::V3 {
            self.send_volatile(smallvec![Packet::BinaryV3(data.into())])
        } else {
            self.send_volatile(smallvec![Packet::Binary(data.into())])
        }
    }

    /// Try to send a volatile message with multiple adjacent binary payloads.
    /// The message and all binary payloads are sent atomically as a single
    /// volatile write.
    ///
    /// Returns `true` if the message was queued for sending, `false` if it
    /// was dropped.
    #[inline]
    pub fn emit_many_volatile(&self, msg: Str, data: VecDeque<Bytes>) -> bool {
        let mut packets = SmallVec::with_capacity(1 + data.len());
        packets.push(Packet::Message(msg));
        for bin in data {
            packets.push(Packet::Binary(bin));
        }
        self.send_volatile(packets)
    }

    pub(crate) fn send_volatile(&self, packets: PacketBuf) -> bool {
        if self.closing.load(Ordering::Acquire) {
            return false;
        }
        self.volatile.put(packets);
        true
    }
}

/// A duration in whole milliseconds, as the heartbeat keeps its times.
pub(crate) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl<D: Default + Send + Sync + 'static> std::fmt::Debug for Socket<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Socket")
            .field("sid", &self.id)
            .field("protocol", &self.protocol)
            .field("conn", &self.transport)
            .field("internal_rx", &self.internal_rx)
            .field("internal_tx", &self.internal_tx)
            .field("heartbeat", &self.heartbeat)
            .field("cancellation_token", &self.cancellation_token)
            .field("req_data", &self.req_parts)
            .finish()
    }
}

#[doc(hidden)]
#[cfg(feature = "__test_harness")]
impl<D> Drop for Socket<D>
where
    D: Default + Send + Sync + 'static,
{
    fn drop(&mut self) {
        #[cfg(feature = "tracing")]
        tracing::debug!("[sid={}] dropping socket", self.id);
    }
}

#[doc(hidden)]
#[cfg(feature = "__test_harness")]
impl<D> Socket<D>
where
    D: Default + Send + Sync + 'static,
{
    /// Create a dummy socket for testing purpose
    pub fn new_dummy(
        sid: Sid,
        close_fn: Box<dyn Fn(Sid, DisconnectReason) + Send + Sync>,
    ) -> std::sync::Arc<Socket<D>> {
        let (s, mut rx) = Socket::new_dummy_piped(sid, close_fn, 1024);
        tokio::spawn(async move {
            while let Some(_el) = rx.recv().await {
                #[cfg(feature = "tracing")]
                tracing::debug!(?sid, ?_el, "emitting eio msg");
            }
        });
        s
    }

    /// Create a dummy socket for testing purpose with a
    /// receiver to get the packets sent to the client
    pub fn new_dummy_piped(
        sid: Sid,
        close_fn: Box<dyn Fn(Sid, DisconnectReason) + Send + Sync>,
        buffer_size: usize,
    ) -> (
        std::sync::Arc<Socket<D>>,
        tokio::sync::mpsc::Receiver<Packet>,
    ) {
        let (internal_tx, internal_rx) = mpsc::channel(buffer_size);

        let sock = Self {
            id: sid,
            protocol: ProtocolVersion::V4,
            transport: AtomicU8::new(TransportType::Websocket as u8),
            upgrading: AtomicBool::new(false),

            internal_rx: Mutex::new(InternalRx::new(internal_rx)),
            internal_tx,
            volatile: Volatile::default(),

            heartbeat: Heartbeat::default(),
            cancellation_token: CancellationToken::new(),
            closing: AtomicBool::new(false),
            close_fn,

            data: D::default(),
            req_parts: http::Request::<()>::default().into_parts().0,

            supports_binary: true,
        };
        let sock = std::sync::Arc::new(sock);

        let (tx, rx) = mpsc::channel(buffer_size);
        let sock_clone = sock.clone();
        tokio::spawn(async move {
            let mut internal_rx = sock_clone.internal_rx.try_lock().unwrap();
            while let Some(item) = internal_rx.buffered_rx.recv().await {
                for packet in item.into_packets() {
                    tx.send(packet).await.unwrap();
                }
            }
        });

        (sock, rx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Request;

    const INTERVAL: Duration = Duration::from_millis(300);
    const TIMEOUT: Duration = Duration::from_millis(200);

    fn socket(max_buffer_size: usize) -> Socket<()> {
        let config = EngineIoConfig {
            max_buffer_size,
            ..Default::default()
        };
        Socket::new(
            ProtocolVersion::V4,
            TransportType::Websocket,
            &config,
            Request::<()>::default().into_parts().0,
            Box::new(|_, _| ()),
            false,
        )
    }

    fn check(socket: &Socket<()>, now: u64) -> HeartbeatCheck {
        socket.check_heartbeat(now, INTERVAL, TIMEOUT)
    }

    /// The packets queued for the client so far.
    fn queued(socket: &Socket<()>) -> Vec<Packet> {
        let mut rx = socket.internal_rx.try_lock().unwrap();
        let mut out = Vec::new();
        while let Ok(item) = rx.buffered_rx.try_recv() {
            out.extend(item.into_packets());
        }
        out
    }

    #[test]
    fn a_socket_not_started_is_left_alone() {
        let s = socket(8);
        assert_eq!(check(&s, 1_000_000), HeartbeatCheck::Alive);
        assert!(queued(&s).is_empty());
    }

    #[test]
    fn pings_at_start_then_each_interval_while_pongs_come() {
        let s = socket(8);
        s.start_heartbeat(1000, INTERVAL, TIMEOUT);
        assert_eq!(check(&s, 1000), HeartbeatCheck::Alive);
        assert_eq!(queued(&s), vec![Packet::Ping]);

        s.heartbeat_received(&Packet::Pong);
        // The pong is seen; the next ping is due one interval after the first.
        assert_eq!(check(&s, 1100), HeartbeatCheck::Alive);
        assert_eq!(check(&s, 1299), HeartbeatCheck::Alive);
        assert!(queued(&s).is_empty());
        assert_eq!(check(&s, 1300), HeartbeatCheck::Alive);
        assert_eq!(queued(&s), vec![Packet::Ping]);
    }

    #[test]
    fn times_out_when_the_pong_is_late() {
        let s = socket(8);
        s.start_heartbeat(0, INTERVAL, TIMEOUT);
        assert_eq!(check(&s, 0), HeartbeatCheck::Alive);
        assert_eq!(check(&s, 199), HeartbeatCheck::Alive);
        assert_eq!(check(&s, 200), HeartbeatCheck::TimedOut);
    }

    #[test]
    fn a_pong_before_its_ping_does_not_answer_it() {
        let s = socket(8);
        s.start_heartbeat(0, INTERVAL, TIMEOUT);
        s.heartbeat_received(&Packet::Pong);
        assert_eq!(check(&s, 0), HeartbeatCheck::Alive);
        assert_eq!(queued(&s), vec![Packet::Ping]);
        assert_eq!(check(&s, 250), HeartbeatCheck::TimedOut);
    }

    #[test]
    fn no_ping_while_upgrading() {
        let s = socket(8);
        s.start_heartbeat(0, INTERVAL, TIMEOUT);
        s.start_upgrade();
        assert_eq!(check(&s, 0), HeartbeatCheck::Alive);
        assert!(queued(&s).is_empty());
        s.upgrade_to_websocket();
        assert_eq!(check(&s, 10), HeartbeatCheck::Alive);
        assert_eq!(queued(&s), vec![Packet::Ping]);
    }

    #[test]
    fn a_full_buffer_at_ping_time_is_a_timeout() {
        let s = socket(1);
        s.emit("filler").unwrap();
        s.start_heartbeat(0, INTERVAL, TIMEOUT);
        assert_eq!(check(&s, 0), HeartbeatCheck::TimedOut);
    }

    #[test]
    fn items_keep_the_packets_and_their_order() {
        let many: PacketBuf = smallvec![
            Packet::Message("a".into()),
            Packet::Binary(Bytes::from_static(b"b"))
        ];
        assert_eq!(Item::from(many.clone()).into_packets(), many);
        for packet in [
            Packet::Message("m".into()),
            Packet::Binary(Bytes::from_static(b"x")),
            Packet::Close,
            Packet::Ping,
            Packet::Pong,
            Packet::Noop,
            Packet::Upgrade,
        ] {
            assert_eq!(
                Item::from(packet.clone()).into_packets().to_vec(),
                vec![packet]
            );
        }
        assert!(std::mem::size_of::<Item>() <= 40);
    }
}
