//! Closed-loop load: C workers each send a request, wait for its answer and send the next,
//! for D seconds; the REST scenarios `rest-list` and `rest-create` are built on it.

use crate::api::{Api, Session};
use crate::procstat::CpuSample;
use crate::rows;
use crate::stats::{Latency, summarize};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    pub concurrency: usize,
    pub duration: Duration,
    /// Run before measuring, so connection set-up and cold caches stay out of the figures.
    pub warmup: Duration,
    pub server_pid: Option<u32>,
}

/// What one request came to: success, an HTTP status that was not the expected one, or a
/// transport failure (status 0).
pub type Outcome = Result<(), u16>;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoadReport {
    pub concurrency: usize,
    pub seconds: f64,
    /// Requests completed in the measured interval, failed ones included.
    pub requests: u64,
    /// Successful requests per second.
    pub rps: f64,
    /// Latency of successful requests.
    pub latency: Option<Latency>,
    /// Failed requests by status (`"0"`: connection error).
    pub errors: BTreeMap<String, u64>,
    /// Server CPU (utime + stime) per request, when `--server-pid` was given.
    pub server_cpu_ms_per_req: Option<f64>,
    /// This generator's own CPU per request: when it approaches the server's, the
    /// generator (sharing the machine) limits the figures.
    pub client_cpu_ms_per_req: f64,
}

struct WorkerResult {
    ok: Vec<Duration>,
    failed: Vec<u16>,
}

/// Runs `request(n)` from `concurrency` workers; `n` counts requests across workers so that
/// writes can be made unique.
pub async fn closed_loop<F, Fut>(opts: &LoadOptions, request: F) -> Result<LoadReport>
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Outcome> + Send,
{
    let request = Arc::new(request);
    let counter = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let measure_from = start + opts.warmup;
    let end = measure_from + opts.duration;
    let workers: Vec<_> = (0..opts.concurrency.max(1))
        .map(|_| {
            let (request, counter) = (Arc::clone(&request), Arc::clone(&counter));
            tokio::spawn(async move {
                let mut r = WorkerResult {
                    ok: Vec::new(),
                    failed: Vec::new(),
                };
                loop {
                    let t0 = Instant::now();
                    if t0 >= end {
                        break;
                    }
                    let outcome = request(counter.fetch_add(1, Ordering::Relaxed)).await;
                    if t0 < measure_from {
                        continue;
                    }
                    match outcome {
                        Ok(()) => r.ok.push(t0.elapsed()),
                        Err(status) => r.failed.push(status),
                    }
                }
                r
            })
        })
        .collect();
    tokio::time::sleep_until(measure_from.into()).await;
    let cpu_from = CpuSample::take(opts.server_pid)?;
    let mut ok = Vec::new();
    let mut errors = BTreeMap::new();
    for w in workers {
        let r = w.await.context("a load worker panicked")?;
        ok.extend(r.ok);
        for s in r.failed {
            *errors.entry(s.to_string()).or_insert(0) += 1;
        }
    }
    // In-flight requests finish after `end`; the interval runs until the last of them.
    let seconds = measure_from.elapsed().as_secs_f64();
    let cpu = CpuSample::take(opts.server_pid)?.since(&cpu_from);
    let succeeded = ok.len() as u64;
    let requests = succeeded + errors.values().sum::<u64>();
    #[allow(clippy::cast_precision_loss)]
    let per_req = |cpu_s: f64| cpu_s * 1000.0 / requests.max(1) as f64;
    #[allow(clippy::cast_precision_loss)]
    Ok(LoadReport {
        concurrency: opts.concurrency,
        seconds,
        requests,
        rps: succeeded as f64 / seconds,
        latency: summarize(&mut ok),
        errors,
        server_cpu_ms_per_req: cpu.server().map(per_req),
        client_cpu_ms_per_req: per_req(cpu.client),
    })
}

/// Sends a prepared request and drains the answer, so the connection can be reused.
async fn send(req: reqwest::RequestBuilder, expected: u16) -> Outcome {
    let res = req.send().await.map_err(|_| 0_u16)?;
    let status = res.status().as_u16();
    // Reading the whole body is part of the request's cost on the client side too.
    let _ = res.bytes().await.map_err(|_| 0_u16)?;
    if status == expected {
        Ok(())
    } else {
        Err(status)
    }
}

/// `rest-list`: `GET /api/leads?campaign_id=…&limit=…` over the seeded campaign.
pub async fn rest_list(session: &Session, opts: &LoadOptions, limit: u32) -> Result<LoadReport> {
    let api = Api::new(&session.base_url, opts.concurrency)?.with_token(&session.token);
    let path = format!(
        "/api/leads?campaign_id={}&limit={limit}",
        session.campaign_id
    );
    closed_loop(opts, move |_| send(api.get(&path), 200)).await
}

/// `rest-create`: `POST /api/leads` into a fresh campaign of the seeded workspace, so the
/// seeded campaign keeps its size for the other scenarios.
pub async fn rest_create(session: &Session, opts: &LoadOptions) -> Result<LoadReport> {
    let api = Api::new(&session.base_url, opts.concurrency)?.with_token(&session.token);
    let tag = rows::run_tag();
    let campaign_id = api.create_campaign(&format!("rest-create {tag}")).await?;
    closed_loop(opts, move |n| {
        let mut row = rows::lead(&tag, n);
        row.campaign_id = Some(campaign_id.clone());
        send(api.post("/api/leads").json(&row), 201)
    })
    .await
}
