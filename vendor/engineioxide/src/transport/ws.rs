//! The ws transport module is responsible for handling websocket connections
//! The only public function is [`new_req`] which is used to upgrade a http request to a websocket connection
//!
//! Other functions are used internally to handle the websocket connection through tasks and channels
//! and to handle upgrade from polling to ws

use std::{
    cell::RefCell,
    collections::VecDeque,
    future::{Future, poll_fn},
    pin::Pin,
    sync::{Arc, atomic::Ordering},
    task::Poll,
    time::Duration,
};

use futures_util::{Sink, SinkExt, Stream, StreamExt};
use http::{HeaderValue, Request, Response, StatusCode, request::Parts};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_tungstenite::{
    WebSocketStream,
    tungstenite::{
        self, Message, Utf8Bytes,
        handshake::derive_accept_key,
        protocol::{Role, WebSocketConfig},
    },
};
use tokio_util::future::FutureExt as _;

use engineioxide_core::{Packet, ProtocolVersion, Sid, Str, TransportType};

use crate::{
    DisconnectReason, Socket,
    body::ResponseBody,
    config::EngineIoConfig,
    engine::EngineIo,
    errors::Error,
    handler::EngineIoHandler,
    socket::{Bare, Item},
    transport::make_open_packet,
};

/// Create a response for websocket upgrade
fn ws_response<B>(ws_key: &HeaderValue) -> Response<ResponseBody<B>> {
    let derived = derive_accept_key(ws_key.as_bytes());
    let sec = derived.parse::<HeaderValue>().unwrap();
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(http::header::UPGRADE, HeaderValue::from_static("websocket"))
        .header(
            http::header::CONNECTION,
            HeaderValue::from_static("Upgrade"),
        )
        .header(http::header::SEC_WEBSOCKET_ACCEPT, sec)
        .body(ResponseBody::empty_response())
        .unwrap() // we are only using constants
}

/// Upgrade a websocket request to create a websocket connection.
///
/// If a sid is provided in the query it means that is is upgraded from an existing HTTP polling request.
/// In this case the http polling request is closed and the SID is kept for the websocket
pub fn new_req<R: Send + 'static, B, H: EngineIoHandler>(
    engine: Arc<EngineIo<H>>,
    protocol: ProtocolVersion,
    sid: Option<Sid>,
    req: Request<R>,
) -> Result<Response<ResponseBody<B>>, Error> {
    let (parts, body) = req.into_parts();
    let req = Request::from_parts(parts.clone(), body);

    let ws_key = parts
        .headers
        .get("Sec-WebSocket-Key")
        .ok_or(Error::InvalidWebSocketKey)?
        .clone();

    // The upgrade and the handshake run in a task of their own, which then hands the
    // connection to a task that only holds what the open websocket needs: a task's memory
    // is that of its largest state, kept for the task's whole life.
    tokio::spawn(async move {
        let conn = hyper::upgrade::on(req)
            .await
            .map(hyper_util::rt::TokioIo::new);

        let res = match conn {
            Ok(conn) => handshake(&engine, conn, protocol, sid, parts).await,
            Err(_e) => {
                #[cfg(feature = "tracing")]
                tracing::debug!("ws upgrade error: {}", _e);
                return;
            }
        };

        match res {
            Ok((socket, ws)) => {
                let serving = serve(engine.clone(), socket, ws);
                match &engine.config.ws_runtime {
                    Some(runtime) => runtime.spawn(serving),
                    None => tokio::spawn(serving),
                };
            }
            Err(Error::MultipleWebsocketRequests) => {}
            Err(_e) => {
                #[cfg(feature = "tracing")]
                tracing::debug!(?sid, "ws closed with error: {_e}");
                if let Some(sid) = sid {
                    engine.close_session(sid, DisconnectReason::TransportError);
                }
            }
        }
    });

    Ok(ws_response(&ws_key))
}

/// Handle a websocket connection upgrade
///
/// Sends an open packet if it is not an upgrade from a polling request
///
/// Read packets from the websocket and handle them, it will block until the connection is closed
pub async fn on_init<H: EngineIoHandler, S>(
    engine: Arc<EngineIo<H>>,
    conn: S,
    protocol: ProtocolVersion,
    sid: Option<Sid>,
    req_data: Parts,
) -> Result<(), Error>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (socket, ws) = handshake(&engine, conn, protocol, sid, req_data).await?;
    serve(engine, socket, ws).await;
    Ok(())
}

/// An open websocket session and its stream.
type Opened<H, S> = (
    Arc<Socket<<H as EngineIoHandler>::Data>>,
    WebSocketStream<S>,
);

/// Open the websocket session: a new one (sending the open packet), or the upgrade of a
/// polling session.
#[cfg_attr(
    feature = "tracing",
    tracing::instrument(level = "trace", name = "init_websocket", skip(engine, conn, req_data))
)]
async fn handshake<H: EngineIoHandler, S>(
    engine: &Arc<EngineIo<H>>,
    conn: S,
    protocol: ProtocolVersion,
    sid: Option<Sid>,
    req_data: Parts,
) -> Result<Opened<H, S>, Error>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let ws_config = WebSocketConfig::default()
        .read_buffer_size(engine.config.ws_read_buffer_size)
        .max_message_size(Some(engine.config.ws_max_message_size))
        .max_frame_size(Some(engine.config.ws_max_frame_size));

    let ws_init = move || WebSocketStream::from_raw_socket(conn, Role::Server, Some(ws_config));
    let (socket, ws) = if let Some(sid) = sid {
        match engine.get_socket(sid) {
            None => return Err(Error::UnknownSessionID(sid)),
            Some(socket) if socket.is_ws() => return Err(Error::MultipleWebsocketRequests),
            Some(socket) => {
                let mut ws = ws_init().await;

                let upgrade_fut = upgrade_handshake::<H, S>(&socket, &mut ws);
                match tokio::time::timeout(engine.config.upgrade_timeout, upgrade_fut)
                    .with_cancellation_token(&socket.cancellation_token)
                    .await
                {
                    Some(Ok(res)) => res?,
                    Some(Err(_)) => {
                        #[cfg(feature = "tracing")]
                        tracing::debug!(?sid, "ws upgrade timed out, closing session");
                        engine.close_session(socket.id, DisconnectReason::TransportError);
                        return Err(Error::Upgrade);
                    }
                    None => {
                        #[cfg(feature = "tracing")]
                        tracing::debug!(?sid, "socket is being closed");
                        return Err(Error::Upgrade);
                    }
                }
                (socket, ws)
            }
        }
    } else {
        let socket = engine.create_session(protocol, TransportType::Websocket, req_data, false);

        #[cfg(feature = "tracing")]
        tracing::debug!("new websocket connection");

        let mut ws = ws_init().await;
        if let Err(e) = init_handshake(socket.id, &mut ws, &engine.config).await {
            engine.close_session(socket.id, DisconnectReason::TransportError);
            return Err(e);
        }
        engine.start_heartbeat(&socket);
        (socket, ws)
    };
    Ok((socket, ws))
}

/// How long a closing socket may take to flush its last packets and the close frame.
const CLOSING_FLUSH_TIMEOUT: Duration = Duration::from_secs(5);

/// What a packet read from the websocket asks of the loop.
enum Read {
    Continue,
    /// The client closed the session.
    Closed,
}

/// The websocket's one task: read packets from the client and hand them to the handler, and
/// write the socket's packets to the client, flushing when its channel is drained.
///
/// Reading and writing in one task (instead of a reader task and a writer task over a split
/// stream) saves a task, a lock and a wake-up per socket.
///
/// When the server closes the session, it flushes what was queued and closes the websocket;
/// when the client closes it or the transport fails, it closes the session.
async fn serve<H: EngineIoHandler, S>(
    engine: Arc<EngineIo<H>>,
    socket: Arc<Socket<H::Data>>,
    mut ws: WebSocketStream<S>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    // Everything is in this one function: a future that awaits another keeps its own copy of
    // what it hands over, and this one lives as long as the socket.
    let (engine, socket) = (&engine, &socket);
    // A polling request that was in progress during the upgrade may still hold the lock.
    // When it is free, take it even if the session is already closed, to flush its packets.
    let lock = match socket.internal_rx.try_lock() {
        Ok(lock) => Some(lock),
        Err(_) => {
            socket
                .internal_rx
                .lock()
                .with_cancellation_token(&socket.cancellation_token)
                .await
        }
    };
    let Some(mut internal_rx) = lock else {
        #[cfg(feature = "tracing")]
        tracing::debug!(sid = %socket.id, "session closed before starting the ws loop");
        return;
    };
    let rx = &mut internal_rx.buffered_rx;
    let cancelled = socket.cancellation_token.cancelled();
    let mut cancelled = std::pin::pin!(cancelled);

    // The message waiting for the sink, and those after it from an item of several packets
    // (kept out of line: the future lives as long as the socket).
    let mut next: Option<Message> = None;
    let mut batch: VecDeque<Message> = VecDeque::new();
    let mut dirty = false;

    let mut registered = false;
    let res = poll_fn(|cx| {
        // Polled once, the cancellation future stays registered and wakes the task when the
        // session is closed; after that the flag set before the cancellation says when to
        // look (polling it on every wake-up takes the token's lock).
        if !registered || socket.closing.load(Ordering::Acquire) {
            registered = true;
            if cancelled.as_mut().poll(cx).is_ready() {
                return Poll::Ready(None);
            }
        }

        // Read what the client sent.
        loop {
            match Pin::new(&mut ws).poll_next(cx) {
                Poll::Ready(Some(Ok(msg))) => match on_message(engine, socket, msg) {
                    Ok(Read::Continue) => {}
                    Ok(Read::Closed) => return Poll::Ready(Some(Ok(()))),
                    Err(e) => return Poll::Ready(Some(Err(e))),
                },
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e.into()))),
                Poll::Ready(None) => return Poll::Ready(Some(Ok(()))),
                Poll::Pending => break,
            }
        }

        // Write what is queued for the client, as far as the sink takes it.
        loop {
            if next.is_none() {
                if let Some(msg) = batch.pop_front() {
                    next = Some(msg);
                    continue;
                }
                match rx.poll_recv(cx) {
                    Poll::Ready(Some(Item::Many(packets))) => {
                        batch.extend(packets.into_iter().filter_map(|p| to_message(socket, p)));
                        continue;
                    }
                    Poll::Ready(Some(item)) => {
                        next = item.into_single().and_then(|p| to_message(socket, p));
                        continue;
                    }
                    // Nothing queued: the latest volatile packets, if any.
                    Poll::Pending => match socket.volatile.poll_take(cx) {
                        Poll::Ready(packets) => {
                            batch.extend(packets.into_iter().filter_map(|p| to_message(socket, p)));
                            continue;
                        }
                        Poll::Pending => break,
                    },
                    // Closed only once the session is closed: the token tells.
                    Poll::Ready(None) => break,
                }
            }
            match Pin::new(&mut ws).poll_ready(cx) {
                Poll::Ready(Ok(())) => {
                    if let Some(msg) = next.take()
                        && let Err(e) = Pin::new(&mut ws).start_send(msg)
                    {
                        return Poll::Ready(Some(Err(e.into())));
                    }
                    dirty = true;
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(e.into()))),
                Poll::Pending => break,
            }
        }
        if dirty {
            match Pin::new(&mut ws).poll_flush(cx) {
                Poll::Ready(Ok(())) => dirty = false,
                Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(e.into()))),
                Poll::Pending => {}
            }
        }
        Poll::Pending
    })
    .await;

    if res.is_none() {
        // The session was closed by the server: write what is still queued (the close packet
        // among it), then close the websocket, within a bound for a client that stopped reading.
        #[cfg(feature = "tracing")]
        tracing::trace!(sid = %socket.id, "ws closing flush");
        // Boxed: the loop's future, kept for the socket's life, need not hold this state.
        let closing = Box::pin(async {
            if let Some(msg) = next.take() {
                ws.feed(msg).await?;
            }
            for msg in batch {
                ws.feed(msg).await?;
            }
            while let Ok(item) = rx.try_recv() {
                for packet in item.into_packets() {
                    if let Some(msg) = to_message(socket, packet) {
                        ws.feed(msg).await?;
                    }
                }
            }
            ws.flush().await?;
            ws.close(None).await
        });
        if let Err(_e) = tokio::time::timeout(CLOSING_FLUSH_TIMEOUT, closing).await {
            #[cfg(feature = "tracing")]
            tracing::debug!(sid = %socket.id, "ws closing flush timed out");
        }
    }
    drop(internal_rx);
    match res {
        None => {
            #[cfg(feature = "tracing")]
            tracing::debug!(sid = %socket.id, "socket is closing");
        }
        Some(Err(ref e)) => {
            let reason =
                Option::<DisconnectReason>::from(e).unwrap_or(DisconnectReason::TransportError);

            #[cfg(feature = "tracing")]
            tracing::debug!("error when handling packet: {:?}", e);
            engine.close_session(socket.id, reason);
        }
        Some(Ok(())) => {
            #[cfg(feature = "tracing")]
            tracing::debug!(sid = %socket.id, "ws transport was closed");
            engine.close_session(socket.id, DisconnectReason::TransportClose);
        }
    }
}

/// Hand a message read from the websocket to the engine.
fn on_message<H: EngineIoHandler>(
    engine: &Arc<EngineIo<H>>,
    socket: &Arc<Socket<H::Data>>,
    msg: Message,
) -> Result<Read, Error> {
    match msg {
        Message::Text(msg) => match Packet::parse(socket.protocol, ws_bytes_to_str(msg))? {
            Packet::Close => {
                #[cfg(feature = "tracing")]
                tracing::debug!("[sid={}] closing session", socket.id);
                engine.close_session(socket.id, DisconnectReason::TransportClose);
                Ok(Read::Closed)
            }
            p @ (Packet::Pong | Packet::Ping) => {
                socket.heartbeat_received(&p);
                Ok(Read::Continue)
            }
            Packet::Message(msg) => {
                engine.handler.on_message(msg, socket.clone());
                Ok(Read::Continue)
            }
            p => Err(Error::BadPacket(p)),
        },
        Message::Binary(mut data) => {
            if socket.protocol == ProtocolVersion::V3 && !data.is_empty() {
                // The first byte is the message type, which we don't need.
                data = data.split_off(1);
            }
            engine.handler.on_binary(data, socket.clone());
            Ok(Read::Continue)
        }
        Message::Close(_) => {
            #[cfg(feature = "tracing")]
            tracing::debug!("websocket closed, closing session");
            engine.close_session(socket.id, DisconnectReason::TransportClose);
            Ok(Read::Closed)
        }
        _ => {
            #[cfg(feature = "tracing")]
            tracing::debug!(sid = ?socket.id, "unexpected ws message");
            Ok(Read::Continue)
        }
    }
}

/// The websocket message of a packet; none for a Noop, which a polling request that was not
/// made in time before an upgrade may leave in the buffer.
fn to_message<D: Default + Send + Sync + 'static>(
    socket: &Socket<D>,
    packet: Packet,
) -> Option<Message> {
    match packet {
        Packet::Binary(bin) | Packet::BinaryV3(bin) => {
            if socket.protocol == ProtocolVersion::V3 {
                // v3 protocol requires packet type as the first byte.
                let mut buff = Vec::with_capacity(bin.len() + 1);
                buff.push(0x04);
                buff.extend(bin);
                Some(Message::Binary(buff.into()))
            } else {
                Some(Message::Binary(bin))
            }
        }
        Packet::Noop => None,
        Packet::Message(msg) => Some(Message::Text(text_frame(msg))),
        packet => Some(Message::Text(String::from(packet).into())),
    }
}

/// The websocket text of a message packet: `4` and the message.
///
/// A broadcast hands the same message to every recipient, and their tasks run one after
/// the other on a few worker threads: each thread keeps the last frame it made, with the
/// message it came from, so a broadcast makes one frame per thread rather than an
/// allocation and a copy per recipient. The message is held by the cache, so an equal
/// pointer and length mean the same bytes.
fn text_frame(msg: Str) -> Utf8Bytes {
    thread_local! {
        static LAST: RefCell<Option<(Str, Utf8Bytes)>> = const { RefCell::new(None) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let Some((source, frame)) = last.as_ref()
            && source.as_bytes().as_ptr() == msg.as_bytes().as_ptr()
            && source.len() == msg.len()
        {
            return frame.clone();
        }
        let mut text = String::with_capacity(msg.len() + 1);
        text.push('4');
        text.push_str(&msg);
        let frame = Utf8Bytes::from(text);
        *last = Some((msg, frame.clone()));
        frame
    })
}

/// Send a Engine.IO [`OpenPacket`] to initiate a websocket connection
async fn init_handshake<S>(
    sid: Sid,
    ws: &mut WebSocketStream<S>,
    config: &EngineIoConfig,
) -> Result<(), Error>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let packet = Packet::Open(make_open_packet(TransportType::Websocket, sid, config));
    let packet: String = packet.into();
    ws.send(Message::Text(packet.into())).await?;
    Ok(())
}

/// Upgrade a session from a polling request to a websocket request.
///
/// Before upgrading the session the server should send a NOOP packet to any pending polling request.
///
/// ## Handshake :
/// ```text
/// CLIENT                                                 SERVER
///│                                                      │
///│   GET /engine.io/?EIO=4&transport=websocket&sid=...  │
///│ ───────────────────────────────────────────────────► │
///│  ◄─────────────────────────────────────────────────┘ │
///│            HTTP 101 (WebSocket handshake)            │
///│                                                      │
///│            -----  WebSocket frames -----             │
///│  ─────────────────────────────────────────────────►  │
///│                         2probe                       │ (ping packet)
///│  ◄─────────────────────────────────────────────────  │
///│                         3probe                       │ (pong packet)
///│  ─────────────────────────────────────────────────►  │
///│                         5                            │ (upgrade packet)
///│                                                      │
///│            -----  WebSocket frames -----             │
/// ```
#[cfg_attr(
    feature = "tracing",
    tracing::instrument(level = "trace", skip(socket, ws))
)]
async fn upgrade_handshake<H: EngineIoHandler, S>(
    socket: &Arc<Socket<H::Data>>,
    ws: &mut WebSocketStream<S>,
) -> Result<(), Error>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    #[cfg(feature = "tracing")]
    tracing::debug!("starting websocket connection upgrade");

    // The socket is upgrading, from now on all polling
    // request will return a `Packet::Noop`
    socket.start_upgrade();

    // We send a last Noop request to close a potential waiting polling request.
    socket
        .internal_tx
        .send(Item::Bare(Bare::Noop))
        .await
        .map_err(|_| Error::Upgrade)?;

    // wait for any current polling connection to finish by waiting for the socket to be unlocked
    // All other polling connection will be immediately closed with a NOOP packet.
    let _lock = socket.internal_rx.lock().await;

    // Fetch the next packet from the ws stream, it should be a PingUpgrade packet
    let msg = match ws.next().await {
        Some(Ok(Message::Text(d))) => d,
        _ => Err(Error::Upgrade)?,
    };
    match Packet::parse(socket.protocol, ws_bytes_to_str(msg))? {
        Packet::PingUpgrade => {
            #[cfg(feature = "tracing")]
            tracing::debug!("received first ping upgrade");
            // Respond with a PongUpgrade packet
            ws.send(Message::Text(String::from(Packet::PongUpgrade).into()))
                .await?;
        }
        p => Err(Error::BadPacket(p))?,
    };

    // Fetch the next packet from the ws stream, it should be an Upgrade packet
    let msg = match ws.next().await {
        Some(Ok(Message::Text(d))) => d,
        Some(Ok(Message::Close(_))) => {
            #[cfg(feature = "tracing")]
            tracing::debug!("ws stream closed before upgrade");
            Err(Error::Upgrade)?
        }
        _ => {
            #[cfg(feature = "tracing")]
            tracing::debug!("unexpected ws message before upgrade");
            Err(Error::Upgrade)?
        }
    };
    match Packet::parse(socket.protocol, ws_bytes_to_str(msg))? {
        Packet::Upgrade => {
            #[cfg(feature = "tracing")]
            tracing::debug!("ws upgraded successfully")
        }
        p => Err(Error::BadPacket(p))?,
    };

    socket.upgrade_to_websocket();
    Ok(())
}

fn ws_bytes_to_str(bytes: tungstenite::Utf8Bytes) -> Str {
    // SAFETY: the bytes are guaranteed to be valid UTF-8 by the tungstenite parser
    unsafe { Str::from_bytes_unchecked(bytes.into()) }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::Duration;

    use bytes::Bytes;
    use futures_util::StreamExt;
    use http::Request;
    use tokio::io::DuplexStream;

    use super::*;

    const TIMEOUT: Duration = Duration::from_secs(1);

    /// Records the messages it is handed.
    #[derive(Debug, Default)]
    struct StubHandler {
        messages: Mutex<Vec<String>>,
    }
    impl EngineIoHandler for StubHandler {
        type Data = ();
        fn on_connect(self: Arc<Self>, _: Arc<Socket<()>>) {}
        fn on_disconnect(&self, _: Arc<Socket<()>>, _: DisconnectReason) {}
        fn on_message(self: &Arc<Self>, msg: Str, _: Arc<Socket<()>>) {
            self.messages.lock().unwrap().push(msg.to_string());
        }
        fn on_binary(self: &Arc<Self>, _: Bytes, _: Arc<Socket<()>>) {}
    }

    fn engine() -> Arc<EngineIo<StubHandler>> {
        Arc::new(EngineIo::new(
            Arc::new(StubHandler::default()),
            EngineIoConfig::default(),
        ))
    }

    fn session(engine: &Arc<EngineIo<StubHandler>>) -> Arc<Socket<()>> {
        engine.create_session(
            ProtocolVersion::V4,
            TransportType::Websocket,
            Request::<()>::default().into_parts().0,
            false,
        )
    }

    async fn ws_pair() -> (WebSocketStream<DuplexStream>, WebSocketStream<DuplexStream>) {
        let (server, client) = tokio::io::duplex(1024);
        (
            WebSocketStream::from_raw_socket(server, Role::Server, None).await,
            WebSocketStream::from_raw_socket(client, Role::Client, None).await,
        )
    }

    /// Lets the spawned tasks run until they wait (the test runtime has one thread).
    async fn let_run() {
        for _ in 0..16 {
            tokio::task::yield_now().await;
        }
    }

    async fn next(client: &mut WebSocketStream<DuplexStream>) -> Message {
        tokio::time::timeout(TIMEOUT, client.next())
            .await
            .expect("a message in time")
            .expect("an open websocket")
            .expect("a valid message")
    }

    /// A polling request can still hold the lock at the end of an upgrade.
    #[tokio::test]
    async fn waits_for_the_lock_of_a_polling_request() {
        let engine = engine();
        let socket = session(&engine);
        let (server, mut client) = ws_pair().await;

        let polling = socket.internal_rx.lock().await;
        let task = tokio::spawn(serve(engine.clone(), socket.clone(), server));
        let_run().await;
        assert!(!task.is_finished(), "the loop should wait for the lock");

        drop(polling);
        socket.emit(Str::from("hello")).unwrap();
        assert_eq!(next(&mut client).await, Message::text("4hello"));
    }

    #[tokio::test]
    async fn waiting_for_the_lock_stops_with_the_session() {
        let engine = engine();
        let socket = session(&engine);
        let (server, _client) = ws_pair().await;

        let _polling = socket.internal_rx.lock().await;
        let task = tokio::spawn(serve(engine.clone(), socket.clone(), server));
        let_run().await;

        engine.close_session(socket.id, DisconnectReason::ClosingServer);
        tokio::time::timeout(TIMEOUT, task)
            .await
            .expect("the loop should stop")
            .unwrap();
    }

    /// One task reads and writes: what the client sends reaches the handler while the
    /// socket's packets keep going out, in order.
    #[tokio::test]
    async fn reads_and_writes_in_one_task() {
        let engine = engine();
        let socket = session(&engine);
        let (server, mut client) = ws_pair().await;
        tokio::spawn(serve(engine.clone(), socket.clone(), server));

        for i in 0..20 {
            socket.emit(Str::from(format!("m{i}"))).unwrap();
        }
        client.send(Message::text("4from-client")).await.unwrap();
        for i in 0..20 {
            assert_eq!(next(&mut client).await, Message::text(format!("4m{i}")));
        }
        // A round trip through the loop: the client's message was handled before it.
        socket.emit(Str::from("last")).unwrap();
        assert_eq!(next(&mut client).await, Message::text("4last"));
        tokio::time::timeout(TIMEOUT, async {
            while engine.handler.messages.lock().unwrap().is_empty() {
                tokio::task::yield_now().await;
            }
        })
        .await
        .expect("the handler got the message");
        assert_eq!(
            *engine.handler.messages.lock().unwrap(),
            vec!["from-client"]
        );
    }

    /// Closed by the server, the socket still writes what was queued (the close packet among
    /// it), then closes the websocket.
    #[tokio::test]
    async fn a_closed_session_flushes_then_closes_the_websocket() {
        let engine = engine();
        let socket = session(&engine);
        let (server, mut client) = ws_pair().await;
        let task = tokio::spawn(serve(engine.clone(), socket.clone(), server));

        socket.emit(Str::from("bye")).unwrap();
        socket.close(DisconnectReason::ClosingServer);
        assert_eq!(next(&mut client).await, Message::text("4bye"));
        assert_eq!(next(&mut client).await, Message::text("1"));
        assert!(matches!(next(&mut client).await, Message::Close(_)));
        tokio::time::timeout(TIMEOUT, task)
            .await
            .expect("the loop should stop")
            .unwrap();
        assert!(engine.get_socket(socket.id).is_none());
    }

    /// A broadcast's recipients share one frame; another message gets a frame of its own.
    #[test]
    fn text_frames_are_made_once_per_message() {
        let msg = Str::from(String::from("2[\"event\"]"));
        let a = text_frame(msg.clone());
        let b = text_frame(msg.clone());
        assert_eq!(a.as_str(), "42[\"event\"]");
        assert_eq!(a.as_str().as_ptr(), b.as_str().as_ptr());
        let other = text_frame(Str::from(String::from("2[\"event\"]")));
        assert_eq!(other.as_str(), "42[\"event\"]");
        assert_ne!(other.as_str().as_ptr(), a.as_str().as_ptr());
        // A slice of the same bytes is another message.
        let part = text_frame(msg.slice(0..2));
        assert_eq!(part.as_str(), "42[");
    }

    /// A client that closes the websocket ends the session.
    #[tokio::test]
    async fn the_client_closing_ends_the_session() {
        let engine = engine();
        let socket = session(&engine);
        let (server, mut client) = ws_pair().await;
        let task = tokio::spawn(serve(engine.clone(), socket.clone(), server));

        client.close(None).await.unwrap();
        tokio::time::timeout(TIMEOUT, task)
            .await
            .expect("the loop should stop")
            .unwrap();
        assert!(engine.get_socket(socket.id).is_none());
    }
}
