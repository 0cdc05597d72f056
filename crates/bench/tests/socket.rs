//! The generator's Socket.IO client against the real server: handshake, acks, pings and
//! event packets through tiny `idle` and `fanout` runs; and a stalled client that is
//! disconnected instead of silently missing events. No timings are asserted.

use anyhow::{Context, Result, bail};
use kandid_bench::api::{Api, Session};
use kandid_bench::seed::{self, SeedOptions};
use kandid_bench::sio::{ConnectOptions, Packet, Socket, event_name};
use kandid_bench::socket::{self, FanoutOptions, SocketOptions};
use kandid_tests::TestApp;
use serde_json::{Value, json};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);

async fn seeded(app: &TestApp) -> Result<Session> {
    let opts = SeedOptions {
        leads: 0,
        chunk: 100,
        email: "socket-bench@example.com".into(),
        password: "bench-password-123".into(),
    };
    Ok(seed::seed(&mut Api::new(&app.base, 1)?, &opts)
        .await?
        .session)
}

fn connect_options(session: &Session, subscribe: &[&str]) -> ConnectOptions {
    ConnectOptions {
        base_url: session.base_url.clone(),
        token: session.token.clone(),
        subscribe: Some(subscribe.iter().map(|s| (*s).to_owned()).collect()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_fanout_through_the_generator() -> Result<()> {
    let app = TestApp::spawn().await;
    let session = seeded(&app).await?;
    let sockets = SocketOptions {
        sockets: 20,
        connect_concurrency: 8,
        server_pid: Some(std::process::id()),
    };
    let idle = socket::idle(&session, &sockets, Duration::from_millis(200)).await?;
    assert_eq!((idle.connected, idle.failed), (20, 0), "{idle:?}");
    assert_eq!(idle.still_connected, 20, "{idle:?}");
    assert!(idle.kib_per_socket.is_some(), "{idle:?}");

    let opts = FanoutOptions {
        socket: SocketOptions {
            sockets: 10,
            ..sockets
        },
        rate: 20.0,
        duration: Duration::from_secs(1),
        max_in_flight: 8,
        quiet: WAIT,
    };
    let r = socket::fanout(&session, &opts).await?;
    assert_eq!(r.connected, 10, "{r:?}");
    assert!(r.writes_ok > 0 && r.writes_ok == r.writes, "{r:?}");
    assert_eq!(r.expected, r.writes_ok * 10, "{r:?}");
    assert_eq!(r.received, r.expected, "{r:?}");
    assert_eq!((r.lost, r.duplicated, r.disconnected), (0, 0, 0), "{r:?}");
    assert!(r.latency.is_some() && r.server_cpu_us_per_delivery.is_some());
    assert!(
        r.server_user_cpu_us_per_delivery
            .zip(r.server_cpu_us_per_delivery)
            .is_some_and(|(user, all)| user <= all),
        "{r:?}"
    );

    let bad = ConnectOptions {
        token: "not-a-token".into(),
        ..connect_options(&session, &[])
    };
    match Socket::connect(&bad).await {
        Ok(_) => bail!("connected with a bad token"),
        Err(e) => assert_eq!(e.to_string(), "connect_error: unauthorized"),
    }
    Ok(())
}

/// Seqs of the `campaigns_updated` events in `texts`.
fn seqs(texts: &[String]) -> Vec<i64> {
    texts
        .iter()
        .filter(|t| event_name(t) == Some("campaigns_updated"))
        .filter_map(|t| {
            let v: Value = serde_json::from_str(t.get(2..)?).ok()?;
            v.get(1)?.get("seq")?.as_i64()
        })
        .collect()
}

async fn metric(app: &TestApp, name: &str) -> Result<f64> {
    let text = app
        .client
        .get(format!("{}/metrics", app.base))
        .send()
        .await?
        .text()
        .await?;
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .with_context(|| format!("no {name} in /metrics"))
}

/// Polls `/metrics` until `name` satisfies `ok` (bounded by `WAIT`).
async fn await_metric(app: &TestApp, name: &str, ok: impl Fn(f64) -> bool) -> Result<f64> {
    tokio::time::timeout(WAIT, async {
        loop {
            let v = metric(app, name).await?;
            if ok(v) {
                return Ok(v);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .with_context(|| format!("{name} never reached the expected value"))?
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_socket_is_disconnected_and_recovers_with_sync() -> Result<()> {
    let app = TestApp::spawn_with(|c| c.socket_max_buffer = 4).await;
    let session = seeded(&app).await?;
    let api = Api::new(&app.base, 2)?.with_token(&session.token);

    // A client that never reads, with a small receive window so the server's buffers fill.
    let tcp = tokio::net::TcpSocket::new_v4()?;
    tcp.set_recv_buffer_size(4096)?;
    let addr: std::net::SocketAddr = app.base.trim_start_matches("http://").parse()?;
    let stalled = Socket::connect_on(
        tcp.connect(addr).await?,
        &connect_options(&session, &["campaigns"]),
    )
    .await?;
    // A client that keeps reading everything, until it has seen the seq it is told.
    let mut healthy = Socket::connect(&connect_options(&session, &["campaigns"])).await?;
    let (target_tx, mut target) = tokio::sync::watch::channel(i64::MAX);
    let reader = tokio::spawn(async move {
        let mut seen = Vec::new();
        loop {
            if seen.last().is_some_and(|l| l >= &*target.borrow()) {
                return seen;
            }
            tokio::select! {
                p = healthy.recv() => match p {
                    Ok(Some(Packet::Event(t))) => seen.extend(seqs(&[t])),
                    Ok(Some(_)) => {}
                    Ok(None) | Err(_) => return seen,
                },
                _ = target.changed() => {}
            }
        }
    });
    await_metric(&app, "kandid_sockets_connected", |v| v >= 2.0).await?;

    // Large events (a full sequence of long templates, different each time) fill the
    // stalled socket's buffers.
    let steps = |n: u32| -> Vec<Value> {
        (0..20)
            .map(|i| {
                let template = format!("{n:06}{}", "x".repeat(7990));
                json!({"kind": "message", "delay_hours": i, "template": template})
            })
            .collect()
    };
    let mut writes = 0;
    while metric(&app, "kandid_socket_slow_consumers_total").await? < 1.0 {
        if writes >= 400 {
            let m = app
                .client
                .get(format!("{}/metrics", app.base))
                .send()
                .await?
                .text()
                .await?;
            bail!(
                "the stalled socket was never disconnected: {}",
                m.lines()
                    .filter(|l| l.contains("socket") || l.contains("emit"))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        let res = app
            .client
            .put(format!(
                "{}/api/campaigns/{}/sequence",
                app.base, session.campaign_id
            ))
            .bearer_auth(&session.token)
            .json(&json!({"steps": steps(writes)}))
            .send()
            .await?;
        assert_eq!(res.status().as_u16(), 200);
        writes += 1;
    }
    let latest: i64 = api
        .get("/api/events?since=0&limit=1")
        .send()
        .await?
        .json::<Value>()
        .await?["latest_seq"]
        .as_i64()
        .context("no latest_seq")?;

    // The stalled client, reading at last, gets what was queued and then the end of the
    // connection: never a gap followed by more events.
    let mut stalled = stalled;
    let mut got = Vec::new();
    tokio::time::timeout(WAIT, async {
        while let Ok(Some(p)) = stalled.recv().await {
            if let Packet::Event(t) = p {
                got.push(t);
            }
        }
    })
    .await
    .context("the stalled socket's connection never ended")?;
    // Its session is over; the healthy one stays.
    await_metric(&app, "kandid_sockets_connected", |v| (v - 1.0).abs() < 0.5).await?;
    assert_eq!(
        metric(&app, "kandid_socket_slow_consumers_total").await?,
        1.0
    );
    let got = seqs(&got);
    assert!(
        got.windows(2).all(|w| w[1] == w[0] + 1),
        "a gap before the disconnect: {got:?}"
    );
    let last_seen = got.last().copied().unwrap_or(0);
    assert!(
        last_seen < latest,
        "it missed nothing, so nothing was tested"
    );

    // It reconnects and `sync` returns exactly what it missed.
    let mut again = Socket::connect(&connect_options(&session, &["campaigns"])).await?;
    let ack = again
        .emit_with_ack("sync", &json!({"since": last_seen, "limit": 1000}), |_| {})
        .await?;
    let synced: Vec<i64> = ack["events"]
        .as_array()
        .context("no events in the sync answer")?
        .iter()
        .filter_map(|e| e["seq"].as_i64())
        .collect();
    assert_eq!(synced, ((last_seen + 1)..=latest).collect::<Vec<_>>());
    again.close().await;

    // The other socket got everything, in order, and is still connected.
    let _ = target_tx.send(latest);
    let healthy_seqs = tokio::time::timeout(WAIT, reader)
        .await
        .context("the healthy socket did not receive every event")??;
    // Seq 1 is the seeded campaign, before the sockets connected; one event per write since.
    assert_eq!(
        healthy_seqs,
        ((latest - i64::from(writes) + 1)..=latest).collect::<Vec<_>>()
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboards_are_computed_only_while_someone_watches() -> Result<()> {
    let app = TestApp::spawn().await;
    // The seed's writes change the dashboard while no socket is connected.
    let session = seeded(&app).await?;
    await_metric(&app, "kandid_dashboards_skipped_total", |v| v >= 1.0).await?;
    assert_eq!(metric(&app, "kandid_dashboards_emitted_total").await?, 0.0);

    let mut watcher = Socket::connect(&connect_options(&session, &["dashboard"])).await?;
    let api = Api::new(&app.base, 1)?.with_token(&session.token);
    let res = api
        .post("/api/leads")
        .json(&json!({"campaign_id": session.campaign_id, "name": "Watched"}))
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 201);
    let update = tokio::time::timeout(WAIT, async {
        loop {
            match watcher.recv().await? {
                Some(Packet::Event(t)) if event_name(&t) == Some("dashboard_updated") => {
                    let v: Value = serde_json::from_str(&t[2..])?;
                    if v[1]["metrics"]["leads"]["total"] == 1 {
                        return Ok::<_, anyhow::Error>(v);
                    }
                }
                Some(_) => {}
                None => bail!("disconnected"),
            }
        }
    })
    .await
    .context("no dashboard_updated")??;
    assert_eq!(update[1]["seq"], update[1]["metrics"]["seq"]);
    assert!(metric(&app, "kandid_dashboards_emitted_total").await? >= 1.0);
    Ok(())
}
