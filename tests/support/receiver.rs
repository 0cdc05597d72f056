//! A webhook receiver on loopback for tests: records every request, answers with the
//! status scripted for it, and can go away (connections refused) and come back on the same
//! port. Plain HTTP/1.1 with `Connection: close`, so no pooled connection outlives a
//! `go_away`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HashMap<String, String>,
    pub raw: Vec<u8>,
    pub body: Value,
    /// The status it was answered with.
    pub status: u16,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }

    pub fn seq(&self) -> i64 {
        self.body["seq"].as_i64().unwrap_or(-1)
    }
}

#[derive(Default)]
struct State {
    got: Vec<Received>,
    /// Statuses for the next requests, in order; then `default`.
    script: VecDeque<u16>,
    default: u16,
    /// Seconds to wait before answering.
    delay: Duration,
}

pub struct Receiver {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    accept: Option<tokio::task::JoinHandle<()>>,
}

impl Receiver {
    /// A receiver answering 200.
    pub async fn start() -> Self {
        let listener = match TcpListener::bind("127.0.0.1:0").await {
            Ok(l) => l,
            Err(e) => panic!("binding the receiver: {e}"),
        };
        let addr = match listener.local_addr() {
            Ok(a) => a,
            Err(e) => panic!("receiver address: {e}"),
        };
        let state = Arc::new(Mutex::new(State {
            default: 200,
            ..State::default()
        }));
        let accept = Some(tokio::spawn(serve(listener, Arc::clone(&state))));
        Receiver {
            addr,
            state,
            accept,
        }
    }

    /// `http://127.0.0.1:<port>/hook`.
    pub fn url(&self) -> String {
        format!("http://{}/hook", self.addr)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Answers the next requests with these statuses, then with `default`.
    pub fn script(&self, statuses: &[u16], default: u16) {
        let mut s = self.lock();
        s.script = statuses.iter().copied().collect();
        s.default = default;
    }

    pub fn delay(&self, d: Duration) {
        self.lock().delay = d;
    }

    /// Every request so far.
    pub fn got(&self) -> Vec<Received> {
        self.lock().got.clone()
    }

    /// Requests answered with a 2xx.
    pub fn delivered(&self) -> Vec<Received> {
        self.got()
            .into_iter()
            .filter(|r| (200..300).contains(&r.status))
            .collect()
    }

    /// Stops listening: connections are refused until `come_back`.
    pub fn go_away(&mut self) {
        if let Some(a) = self.accept.take() {
            a.abort();
        }
    }

    /// Listens again on the same port.
    pub async fn come_back(&mut self) {
        // The aborted accept loop drops its listener on its next poll.
        let listener = loop {
            match TcpListener::bind(self.addr).await {
                Ok(l) => break l,
                Err(_) => tokio::task::yield_now().await,
            }
        };
        self.accept = Some(tokio::spawn(serve(listener, Arc::clone(&self.state))));
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.go_away();
    }
}

async fn serve(listener: TcpListener, state: Arc<Mutex<State>>) {
    while let Ok((stream, _)) = listener.accept().await {
        tokio::spawn(handle(stream, Arc::clone(&state)));
    }
}

async fn handle(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut headers = HashMap::new();
    for line in head.split("\r\n").skip(1) {
        if let Some((k, v)) = line.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let raw = buf[head_end..head_end + len].to_vec();
    let (status, delay) = {
        let mut s = state.lock().unwrap_or_else(PoisonError::into_inner);
        let status = s.script.pop_front().unwrap_or(s.default);
        (status, s.delay)
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let body = serde_json::from_slice(&raw).unwrap_or(Value::Null);
    state
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .got
        .push(Received {
            headers,
            raw,
            body,
            status,
        });
    let res = format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    let _ = stream.write_all(res.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// Checks a request's Standard Webhooks signature against `secret` (any of its `v1,`
/// signatures may match).
pub fn signed_with(r: &Received, secret: &str) -> bool {
    use hmac::{Hmac, Mac};
    let Some(key) = secret
        .strip_prefix("whsec_")
        .and_then(|k| STANDARD.decode(k).ok())
    else {
        return false;
    };
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(&key) else {
        return false;
    };
    mac.update(r.header("webhook-id").as_bytes());
    mac.update(b".");
    mac.update(r.header("webhook-timestamp").as_bytes());
    mac.update(b".");
    mac.update(&r.raw);
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    r.header("webhook-signature")
        .split(' ')
        .any(|s| s == expected)
}

/// Waits until `check` holds, polling; panics with `what` after `within`.
pub async fn eventually<F: FnMut() -> bool>(within: Duration, what: &str, mut check: F) {
    let deadline = tokio::time::Instant::now() + within;
    while !check() {
        if tokio::time::Instant::now() > deadline {
            panic!("timed out waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Waits until the async `check` holds, polling; panics with `what` after `within`.
pub async fn until<F, Fut>(within: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + within;
    while !check().await {
        if tokio::time::Instant::now() > deadline {
            panic!("timed out waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
