//! A minimal Socket.IO v5 client over an Engine.IO v4 websocket, enough to load a server:
//! the handshake with `auth`, ping/pong, event packets and acks. Text packets only (the
//! contract sends JSON, never binary attachments).

use anyhow::{Context, Result, anyhow, bail};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// What the client connects with: the server, a token and the rooms to subscribe to
/// (`None`: the server's default, the `workspace` room).
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub base_url: String,
    pub token: String,
    pub subscribe: Option<Vec<String>>,
}

/// One decoded server packet.
#[derive(Debug, Clone, PartialEq)]
pub enum Packet {
    /// `42["name", data]`: the raw text, decoded only when asked (see [`event_name`]).
    Event(String),
    /// `43<id>[data]`.
    Ack(u64, Value),
    /// `41`: the server ended the namespace session.
    Disconnect,
}

/// A connected socket on namespace `/`.
pub struct Socket {
    ws: WebSocketStream<TcpStream>,
    pub sid: String,
    next_ack: u64,
}

/// `http://host:port` → (`host:port`, `ws://host:port/socket.io/?EIO=4&transport=websocket`).
fn endpoint(base_url: &str) -> Result<(String, String)> {
    let rest = base_url
        .strip_prefix("http://")
        .or_else(|| base_url.strip_prefix("ws://"))
        .with_context(|| format!("{base_url}: only http:// (plain) servers are supported"))?;
    let host = rest.split('/').next().unwrap_or(rest).to_owned();
    let url = format!("ws://{host}/socket.io/?EIO=4&transport=websocket");
    Ok((host, url))
}

/// The event name of an `Event` packet's text, without decoding its data.
#[must_use]
pub fn event_name(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("42[\"")?;
    let end = rest.find('"')?;
    Some(&rest[..end])
}

/// Decodes an Engine.IO text frame that carries a Socket.IO packet of namespace `/`.
fn decode(text: &str) -> Result<Option<Packet>> {
    let Some(sio) = text.strip_prefix('4') else {
        return Ok(None);
    };
    match sio.as_bytes().first() {
        Some(b'2') => Ok(Some(Packet::Event(text.to_owned()))),
        Some(b'3') => {
            let body = &sio[1..];
            let digits = body.bytes().take_while(u8::is_ascii_digit).count();
            let id: u64 = body[..digits].parse().context("ack without an id")?;
            let mut args: Vec<Value> =
                serde_json::from_str(&body[digits..]).context("ack arguments are not JSON")?;
            let first = if args.is_empty() {
                Value::Null
            } else {
                args.swap_remove(0)
            };
            Ok(Some(Packet::Ack(id, first)))
        }
        Some(b'1') => Ok(Some(Packet::Disconnect)),
        _ => Ok(None),
    }
}

impl Socket {
    /// Opens the websocket, reads the Engine.IO open packet, sends CONNECT with `auth` and
    /// waits for the server's answer: `Err` carries the `connect_error` message.
    pub async fn connect(opts: &ConnectOptions) -> Result<Socket> {
        let (host, _) = endpoint(&opts.base_url)?;
        let tcp = TcpStream::connect(&host)
            .await
            .with_context(|| format!("connecting to {host}"))?;
        Self::connect_on(tcp, opts).await
    }

    /// As [`Socket::connect`], over a TCP connection the caller opened (e.g. with socket
    /// options of its own).
    pub async fn connect_on(tcp: TcpStream, opts: &ConnectOptions) -> Result<Socket> {
        let (_, url) = endpoint(&opts.base_url)?;
        tcp.set_nodelay(true)?;
        // Frames are small and read as they come: small buffers keep 10 000 sockets cheap.
        let config = WebSocketConfig::default()
            .read_buffer_size(4096)
            .write_buffer_size(0);
        let (ws, _) = tokio_tungstenite::client_async_with_config(url, tcp, Some(config))
            .await
            .context("websocket handshake")?;
        let mut s = Socket {
            ws,
            sid: String::new(),
            next_ack: 0,
        };
        let open = s
            .next_text()
            .await?
            .context("closed before the open packet")?;
        let open = open
            .strip_prefix('0')
            .with_context(|| format!("expected an Engine.IO open packet, got {open:?}"))?;
        let _: Value = serde_json::from_str(open).context("open packet is not JSON")?;
        let mut auth = json!({"token": opts.token});
        if let Some(rooms) = &opts.subscribe {
            auth["subscribe"] = json!(rooms);
        }
        s.send_text(format!("40{auth}")).await?;
        loop {
            let text = s.next_text().await?.context("closed before CONNECT")?;
            if let Some(body) = text.strip_prefix("40") {
                let v: Value = serde_json::from_str(body).context("CONNECT is not JSON")?;
                s.sid = v["sid"].as_str().unwrap_or_default().to_owned();
                return Ok(s);
            }
            if let Some(body) = text.strip_prefix("44") {
                let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
                bail!(
                    "connect_error: {}",
                    v["message"].as_str().unwrap_or("(no message)")
                );
            }
        }
    }

    async fn send_text(&mut self, text: String) -> Result<()> {
        self.ws
            .send(Message::Text(text.into()))
            .await
            .context("websocket send")
    }

    /// The next Engine.IO text frame that is not a ping (pings are answered here);
    /// `None` when the connection ended.
    async fn next_text(&mut self) -> Result<Option<String>> {
        loop {
            let Some(msg) = self.ws.next().await else {
                return Ok(None);
            };
            match msg.context("websocket receive")? {
                Message::Text(t) => {
                    let t = t.as_str();
                    if t == "2" {
                        self.send_text("3".to_owned()).await?;
                        continue;
                    }
                    if t == "1" {
                        // Engine.IO close.
                        return Ok(None);
                    }
                    return Ok(Some(t.to_owned()));
                }
                Message::Close(_) => return Ok(None),
                _ => {}
            }
        }
    }

    /// The next Socket.IO packet; `None` when the connection ended.
    pub async fn recv(&mut self) -> Result<Option<Packet>> {
        loop {
            let Some(text) = self.next_text().await? else {
                return Ok(None);
            };
            if let Some(p) = decode(&text)? {
                return Ok(Some(p));
            }
        }
    }

    /// Emits `event` with `data` and waits for its ack; events arriving meanwhile are
    /// handed to `on_event`.
    pub async fn emit_with_ack(
        &mut self,
        event: &str,
        data: &Value,
        mut on_event: impl FnMut(String),
    ) -> Result<Value> {
        let id = self.next_ack;
        self.next_ack += 1;
        let body = serde_json::to_string(&json!([event, data]))?;
        self.send_text(format!("42{id}{body}")).await?;
        loop {
            match self.recv().await? {
                Some(Packet::Ack(got, v)) if got == id => return Ok(v),
                Some(Packet::Event(text)) => on_event(text),
                Some(Packet::Ack(..)) => {}
                Some(Packet::Disconnect) | None => {
                    return Err(anyhow!("disconnected while waiting for the {event} ack"));
                }
            }
        }
    }

    /// Closes the websocket.
    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_packets() -> Result<()> {
        assert_eq!(
            decode(r#"42["leads_updated",{"seq":1}]"#)?,
            Some(Packet::Event(r#"42["leads_updated",{"seq":1}]"#.into()))
        );
        assert_eq!(
            decode(r#"4312[{"ok":true}]"#)?,
            Some(Packet::Ack(12, json!({"ok": true})))
        );
        assert_eq!(decode("41")?, Some(Packet::Disconnect));
        assert_eq!(decode("6")?, None);
        assert!(decode("43x[]").is_err());
        assert_eq!(
            event_name(r#"42["dashboard_updated",{}]"#),
            Some("dashboard_updated")
        );
        assert_eq!(event_name("41"), None);
        Ok(())
    }

    #[test]
    fn endpoints() -> Result<()> {
        let (host, url) = endpoint("http://127.0.0.1:8080/")?;
        assert_eq!(host, "127.0.0.1:8080");
        assert_eq!(
            url,
            "ws://127.0.0.1:8080/socket.io/?EIO=4&transport=websocket"
        );
        assert!(endpoint("https://x").is_err());
        Ok(())
    }
}
