//! Socket.IO scenarios: `idle` (memory per connected socket), `fanout` (N sockets in the
//! `leads` room while leads are created at W per second through REST: delivery latency,
//! losses, duplicates and server CPU per delivery) and `saturation` (the same, pushed until
//! the server is the limit). Sockets speak the protocol through [`crate::sio`].
//!
//! A delivery is matched to its write by the lead's name, `fanout-<k>`, so the latency of
//! every delivery is its receipt time minus its write's send time, on one clock.

use crate::api::{Api, Session};
use crate::procstat::{self, CpuSample};
use crate::sio::{ConnectOptions, Packet, Socket, event_name};
use crate::stats::{Latency, summarize};
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

/// The room every scenario's sockets are in: Node and kandid then send the same frames.
pub const ROOM: &str = "leads";
const MARK: &str = "\"name\":\"fanout-";

#[derive(Debug, Clone)]
pub struct SocketOptions {
    pub sockets: usize,
    /// Handshakes in flight at once while connecting.
    pub connect_concurrency: usize,
    pub server_pid: Option<u32>,
}

/// Connects `n` sockets subscribed to [`ROOM`], each confirming its subscription with a
/// `subscribe` ack. Returns the sockets and the first error of those that failed.
pub async fn open_sockets(
    session: &Session,
    opts: &SocketOptions,
) -> Result<(Vec<Socket>, usize, Option<String>)> {
    let connect = Arc::new(ConnectOptions {
        base_url: session.base_url.clone(),
        token: session.token.clone(),
        subscribe: Some(vec![ROOM.to_owned()]),
    });
    let gate = Arc::new(Semaphore::new(opts.connect_concurrency.max(1)));
    let mut set = JoinSet::new();
    for _ in 0..opts.sockets {
        let (connect, gate) = (Arc::clone(&connect), Arc::clone(&gate));
        set.spawn(async move {
            let _permit = gate.acquire().await?;
            let mut s = Socket::connect(&connect).await?;
            let ack = s
                .emit_with_ack("subscribe", &json!({"rooms": [ROOM]}), |_| {})
                .await?;
            if ack["ok"] != true {
                bail!("subscribe refused: {ack}");
            }
            Ok(s)
        });
    }
    let (mut sockets, mut failed, mut first_error) = (Vec::with_capacity(opts.sockets), 0, None);
    while let Some(res) = set.join_next().await {
        match res.context("connect task")? {
            Ok(s) => sockets.push(s),
            Err(e) => {
                failed += 1;
                first_error.get_or_insert_with(|| format!("{e:#}"));
            }
        }
    }
    Ok((sockets, failed, first_error))
}

/// Keeps a socket alive (answering pings) until `stop`; returns whether it was still
/// connected then.
async fn hold(mut s: Socket, mut stop: watch::Receiver<bool>) -> bool {
    loop {
        tokio::select! {
            _ = stop.changed() => { s.close().await; return true; }
            p = s.recv() => match p {
                Ok(Some(Packet::Disconnect) | None) | Err(_) => return false,
                Ok(Some(_)) => {}
            }
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdleReport {
    pub sockets: usize,
    pub connected: usize,
    pub failed: usize,
    pub first_error: Option<String>,
    pub connect_seconds: f64,
    /// Server resident memory before connecting and after the sockets settled, KiB.
    pub rss_before_kib: Option<u64>,
    pub rss_after_kib: Option<u64>,
    pub kib_per_socket: Option<f64>,
    /// Sockets still connected when the scenario ended.
    pub still_connected: usize,
}

/// `idle`: N sockets connect and stay; the server's RSS before and after, per socket.
pub async fn idle(session: &Session, opts: &SocketOptions, settle: Duration) -> Result<IdleReport> {
    let rss = |pid: Option<u32>| pid.map(procstat::rss_kib).transpose();
    let before = rss(opts.server_pid)?;
    let started = Instant::now();
    let (sockets, failed, first_error) = open_sockets(session, opts).await?;
    let connect_seconds = started.elapsed().as_secs_f64();
    let connected = sockets.len();
    let (stop_tx, stop) = watch::channel(false);
    let mut set = JoinSet::new();
    for s in sockets {
        set.spawn(hold(s, stop.clone()));
    }
    tokio::time::sleep(settle).await;
    let after = rss(opts.server_pid)?;
    let _ = stop_tx.send(true);
    let mut still_connected = 0;
    while let Some(res) = set.join_next().await {
        if res.unwrap_or(false) {
            still_connected += 1;
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let kib_per_socket = before
        .zip(after)
        .filter(|_| connected > 0)
        .map(|(b, a)| (a as f64 - b as f64) / connected as f64);
    Ok(IdleReport {
        sockets: opts.sockets,
        connected,
        failed,
        first_error,
        connect_seconds,
        rss_before_kib: before,
        rss_after_kib: after,
        kib_per_socket,
        still_connected,
    })
}

/// The memory-regression check of an idle run: every socket connected and stayed, and
/// the server's RSS per socket is at most `max_kib`.
pub fn check_idle(r: &IdleReport, max_kib: f64) -> Result<()> {
    if r.failed > 0 || r.still_connected < r.connected {
        bail!(
            "{} of {} sockets failed to connect, {} dropped",
            r.failed,
            r.sockets,
            r.connected.saturating_sub(r.still_connected)
        );
    }
    match r.kib_per_socket {
        None => bail!("no RSS figure: give --server-pid"),
        Some(k) if k > max_kib => {
            bail!("server RSS per idle socket {k:.1} KiB is over the ceiling of {max_kib} KiB")
        }
        Some(_) => Ok(()),
    }
}

#[derive(Debug, Clone)]
pub struct FanoutOptions {
    pub socket: SocketOptions,
    /// Writes per second.
    pub rate: f64,
    pub duration: Duration,
    /// Writes in flight at most; past it the write rate falls behind and the report says so.
    pub max_in_flight: usize,
    /// After the last write, how long deliveries may stop arriving before the rest count as lost.
    pub quiet: Duration,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FanoutReport {
    pub sockets: usize,
    pub connected: usize,
    pub failed: usize,
    pub first_error: Option<String>,
    pub target_rate: f64,
    /// Writes sent per second, and how many of them succeeded.
    pub writes: u64,
    pub writes_ok: u64,
    pub write_rate: f64,
    pub write_latency: Option<Latency>,
    /// Every connected socket × every successful write.
    pub expected: u64,
    /// Distinct (socket, write) deliveries of successful writes.
    pub received: u64,
    pub lost: u64,
    pub duplicated: u64,
    /// Sockets the server disconnected during the run.
    pub disconnected: usize,
    /// From the first write to the last delivery.
    pub seconds: f64,
    pub deliveries_per_s: f64,
    pub latency: Option<Latency>,
    pub server_cpu_us_per_delivery: Option<f64>,
    /// The part of `server_cpu_us_per_delivery` in user space; the rest is the kernel's
    /// (on loopback, the send also runs the receiving side's TCP processing).
    pub server_user_cpu_us_per_delivery: Option<f64>,
    pub client_cpu_us_per_delivery: f64,
}

/// The write index in a `leads_updated` event's text, by its lead's name.
fn mark(text: &str) -> Option<u32> {
    let at = text.find(MARK)? + MARK.len();
    let digits = text[at..].bytes().take_while(u8::is_ascii_digit).count();
    text[at..at + digits].parse().ok()
}

/// Microseconds since `t0`, saturating (a run lasts minutes, never 71 of them).
fn micros(t0: Instant) -> u32 {
    u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX)
}

/// What one socket saw: (write index, receipt time in µs since the run's start).
struct Seen {
    marks: Vec<(u32, u32)>,
    connected: bool,
}

async fn record(
    mut s: Socket,
    t0: Instant,
    total: Arc<AtomicU64>,
    mut stop: watch::Receiver<bool>,
) -> Seen {
    let mut marks = Vec::new();
    loop {
        tokio::select! {
            _ = stop.changed() => {
                s.close().await;
                return Seen { marks, connected: true };
            }
            p = s.recv() => match p {
                Ok(Some(Packet::Event(text))) => {
                    if event_name(&text) == Some("leads_updated")
                        && let Some(k) = mark(&text)
                    {
                        marks.push((k, micros(t0)));
                        total.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Ok(Some(Packet::Ack(..))) => {}
                Ok(Some(Packet::Disconnect) | None) | Err(_) => {
                    return Seen { marks, connected: false };
                }
            }
        }
    }
}

struct Write {
    sent_us: u32,
    ok: bool,
    latency: Duration,
}

/// Creates leads `fanout-0`, `fanout-1`, … at `rate` per second for `duration`, each from a
/// task of its own so that a slow answer does not delay the next write.
async fn write_leads(
    session: &Session,
    opts: &FanoutOptions,
    t0: Instant,
) -> Result<(Vec<Write>, f64)> {
    let api = Api::new(&session.base_url, opts.max_in_flight)?.with_token(&session.token);
    let gate = Arc::new(Semaphore::new(opts.max_in_flight.max(1)));
    let period = Duration::from_secs_f64(1.0 / opts.rate.max(0.001));
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let started = Instant::now();
    let mut set = JoinSet::new();
    let mut k: u32 = 0;
    while started.elapsed() < opts.duration {
        tick.tick().await;
        let permit = Arc::clone(&gate).acquire_owned().await?;
        let req = api.post("/api/leads").json(&json!({
            "campaign_id": session.campaign_id,
            "name": format!("fanout-{k}"),
        }));
        set.spawn(async move {
            let sent_us = micros(t0);
            let sent = Instant::now();
            let ok = match req.send().await {
                Ok(res) => res.status().as_u16() == 201 && res.bytes().await.is_ok(),
                Err(_) => false,
            };
            drop(permit);
            (
                k,
                Write {
                    sent_us,
                    ok,
                    latency: sent.elapsed(),
                },
            )
        });
        k += 1;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut writes: Vec<Option<Write>> = (0..k).map(|_| None).collect();
    while let Some(res) = set.join_next().await {
        let (i, w) = res.context("write task")?;
        if let Some(slot) = writes.get_mut(i as usize) {
            *slot = Some(w);
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let rate = f64::from(k) / elapsed.max(1e-9);
    Ok((writes.into_iter().flatten().collect(), rate))
}

/// `fanout` and `saturation`: N sockets in [`ROOM`], W lead creations per second.
pub async fn fanout(session: &Session, opts: &FanoutOptions) -> Result<FanoutReport> {
    let (sockets, failed, first_error) = open_sockets(session, &opts.socket).await?;
    let connected = sockets.len();
    let t0 = Instant::now();
    let total = Arc::new(AtomicU64::new(0));
    let (stop_tx, stop) = watch::channel(false);
    let mut set = JoinSet::new();
    for s in sockets {
        set.spawn(record(s, t0, Arc::clone(&total), stop.clone()));
    }
    let cpu0 = CpuSample::take(opts.socket.server_pid)?;
    let (writes, write_rate) = write_leads(session, opts, t0).await?;
    let writes_ok = writes.iter().filter(|w| w.ok).count() as u64;
    let expected = writes_ok * connected as u64;

    // Drain: until every expected delivery arrived, or none arrived for `quiet`.
    let (mut last, mut last_change) = (total.load(Ordering::Relaxed), Instant::now());
    while total.load(Ordering::Relaxed) < expected && last_change.elapsed() < opts.quiet {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let now = total.load(Ordering::Relaxed);
        if now != last {
            (last, last_change) = (now, Instant::now());
        }
    }
    let cpu = CpuSample::take(opts.socket.server_pid)?.since(&cpu0);
    let _ = stop_tx.send(true);

    let n = writes.len();
    let (mut received, mut duplicated, mut disconnected, mut last_us) = (0u64, 0u64, 0usize, 0u32);
    let mut latencies = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    while let Some(res) = set.join_next().await {
        let seen = res.context("socket task")?;
        if !seen.connected {
            disconnected += 1;
        }
        let mut got = vec![false; n];
        for (k, at) in seen.marks {
            let Some(w) = writes.get(k as usize) else {
                continue;
            };
            let Some(flag) = got.get_mut(k as usize) else {
                continue;
            };
            if *flag {
                duplicated += 1;
                continue;
            }
            *flag = true;
            last_us = last_us.max(at);
            if w.ok {
                received += 1;
                latencies.push(Duration::from_micros(u64::from(
                    at.saturating_sub(w.sent_us),
                )));
            }
        }
    }
    let first_us = writes.first().map_or(0, |w| w.sent_us);
    let seconds = f64::from(last_us.saturating_sub(first_us)) / 1e6;
    let mut write_latencies: Vec<Duration> =
        writes.iter().filter(|w| w.ok).map(|w| w.latency).collect();
    #[allow(clippy::cast_precision_loss)]
    let per_delivery = |s: f64| s * 1e6 / (received + duplicated).max(1) as f64;
    #[allow(clippy::cast_precision_loss)]
    Ok(FanoutReport {
        sockets: opts.socket.sockets,
        connected,
        failed,
        first_error,
        target_rate: opts.rate,
        writes: n as u64,
        writes_ok,
        write_rate,
        write_latency: summarize(&mut write_latencies),
        expected,
        received,
        lost: expected.saturating_sub(received),
        duplicated,
        disconnected,
        seconds,
        deliveries_per_s: (received as f64) / seconds.max(1e-9),
        latency: summarize(&mut latencies),
        server_cpu_us_per_delivery: cpu.server().map(per_delivery),
        server_user_cpu_us_per_delivery: cpu.server_user().map(per_delivery),
        client_cpu_us_per_delivery: per_delivery(cpu.client),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_check() {
        let r = IdleReport {
            sockets: 10,
            connected: 10,
            failed: 0,
            first_error: None,
            connect_seconds: 0.1,
            rss_before_kib: Some(1000),
            rss_after_kib: Some(1200),
            kib_per_socket: Some(20.0),
            still_connected: 10,
        };
        assert!(check_idle(&r, 24.0).is_ok());
        assert!(check_idle(&r, 16.0).is_err());
        assert!(
            check_idle(
                &IdleReport {
                    failed: 1,
                    ..r.clone()
                },
                24.0
            )
            .is_err()
        );
        assert!(
            check_idle(
                &IdleReport {
                    still_connected: 9,
                    ..r.clone()
                },
                24.0
            )
            .is_err()
        );
        assert!(
            check_idle(
                &IdleReport {
                    kib_per_socket: None,
                    ..r
                },
                24.0
            )
            .is_err()
        );
    }

    #[test]
    fn finds_the_write_index() {
        let ev =
            r#"42["leads_updated",{"seq":3,"data":{"id":"x","name":"fanout-1234","email":null}}]"#;
        assert_eq!(mark(ev), Some(1234));
        assert_eq!(
            mark(r#"42["leads_updated",{"data":{"name":"other"}}]"#),
            None
        );
        assert_eq!(mark(r#"{"name":"fanout-"}"#), None);
    }
}
