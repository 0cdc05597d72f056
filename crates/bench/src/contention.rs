//! `import-contention`: how long writes into another workspace (B) wait while the seeded
//! workspace (A) imports R rows. C clients create leads in B in a closed loop, from a
//! second before the import until it answered; the writes that start while the import is
//! in flight are summarised apart from those before it, so the table shows what the import
//! costs everybody else.

use crate::api::{Api, Session};
use crate::rows;
use crate::stats::{Latency, summarize};
use anyhow::{Context, Result, ensure};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct ContentionOptions {
    /// Rows of A's import.
    pub rows: u64,
    /// Clients writing into B.
    pub clients: usize,
    /// B's writes before the import starts, to compare with.
    pub before: Duration,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContentionReport {
    pub rows: u64,
    pub clients: usize,
    /// A's import, from sending it to its answer.
    pub import_seconds: f64,
    /// B's writes that started before the import.
    pub before: Option<Latency>,
    pub before_writes: u64,
    /// B's writes that started while the import was in flight.
    pub during: Option<Latency>,
    pub during_writes: u64,
    /// B's writes that failed (any time), by status (`"0"`: connection error).
    pub errors: u64,
}

/// When a write of B started and how long it took (`None`: failed).
struct Sample {
    started: Instant,
    took: Option<Duration>,
}

pub async fn contention(session: &Session, opts: &ContentionOptions) -> Result<ContentionReport> {
    let tag = rows::run_tag();
    // Workspace B: a user of its own (registering makes its workspace) and a campaign.
    let mut b = Api::new(&session.base_url, opts.clients)?;
    b.register_or_login(&format!("bench-b-{tag}@example.com"), "bench-password-123")
        .await?;
    let b_campaign = b.create_campaign(&format!("contention {tag}")).await?;
    // Workspace A: the seeded user, a fresh campaign for the import.
    let a = Api::new(&session.base_url, 1)?.with_token(&session.token);
    let a_campaign = a
        .create_campaign(&format!("import {} {tag}", opts.rows))
        .await?;
    let body = rows::import_body(&tag, 0, opts.rows)?;

    let stop = Arc::new(AtomicBool::new(false));
    let counter = Arc::new(AtomicU64::new(0));
    let writers: Vec<_> = (0..opts.clients.max(1))
        .map(|_| {
            let (b, stop, counter) = (b.clone(), Arc::clone(&stop), Arc::clone(&counter));
            let (campaign, tag) = (b_campaign.clone(), format!("b{tag}"));
            tokio::spawn(async move {
                let mut samples = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let mut row = rows::lead(&tag, counter.fetch_add(1, Ordering::Relaxed));
                    row.campaign_id = Some(campaign.clone());
                    let started = Instant::now();
                    let ok = match b.post("/api/leads").json(&row).send().await {
                        Ok(res) => {
                            let status = res.status().as_u16();
                            res.bytes().await.is_ok() && status == 201
                        }
                        Err(_) => false,
                    };
                    samples.push(Sample {
                        started,
                        took: ok.then(|| started.elapsed()),
                    });
                }
                samples
            })
        })
        .collect();
    tokio::time::sleep(opts.before).await;
    let import_from = Instant::now();
    let imported = a.import(&a_campaign, body).await;
    let import_seconds = import_from.elapsed().as_secs_f64();
    let import_to = Instant::now();
    stop.store(true, Ordering::Relaxed);
    let mut samples = Vec::new();
    for w in writers {
        samples.extend(w.await.context("a writer of B panicked")?);
    }
    let outcome = imported?;
    ensure!(
        outcome.created == opts.rows,
        "import of {} rows created {} (skipped {}, errors {})",
        opts.rows,
        outcome.created,
        outcome.skipped,
        outcome.errors
    );
    let (mut before, mut during, mut errors) = (Vec::new(), Vec::new(), 0);
    for s in samples {
        match s.took {
            None => errors += 1,
            Some(d) if s.started < import_from => before.push(d),
            Some(d) if s.started < import_to => during.push(d),
            Some(_) => {}
        }
    }
    Ok(ContentionReport {
        rows: opts.rows,
        clients: opts.clients,
        import_seconds,
        before_writes: before.len() as u64,
        during_writes: during.len() as u64,
        before: summarize(&mut before),
        during: summarize(&mut during),
        errors,
    })
}
