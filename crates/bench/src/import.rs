//! `import`: how long one import request of R rows takes, into a fresh campaign.

use crate::api::{Api, Session};
use crate::procstat::CpuSample;
use crate::rows;
use anyhow::{Result, ensure};
use serde::{Deserialize, Serialize};
use std::time::Instant;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportRun {
    pub rows: u64,
    pub created: u64,
    pub seconds: f64,
    /// Server CPU seconds the import took, when `--server-pid` was given.
    pub server_cpu_s: Option<f64>,
    pub body_bytes: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportReport {
    pub runs: Vec<ImportRun>,
}

pub async fn import(
    session: &Session,
    sizes: &[u64],
    server_pid: Option<u32>,
) -> Result<ImportReport> {
    let api = Api::new(&session.base_url, 1)?.with_token(&session.token);
    let mut runs = Vec::new();
    for &n in sizes {
        let tag = rows::run_tag();
        let campaign_id = api.create_campaign(&format!("import {n} {tag}")).await?;
        // Encoding is the client's work; only the request is timed.
        let body = rows::import_body(&tag, 0, n)?;
        let body_bytes = body.len();
        let cpu_from = CpuSample::take(server_pid)?;
        let started = Instant::now();
        let outcome = api.import(&campaign_id, body).await?;
        let seconds = started.elapsed().as_secs_f64();
        let cpu = CpuSample::take(server_pid)?.since(&cpu_from);
        ensure!(
            outcome.created == n,
            "import of {n} rows created {} (skipped {}, errors {})",
            outcome.created,
            outcome.skipped,
            outcome.errors
        );
        runs.push(ImportRun {
            rows: n,
            created: outcome.created,
            seconds,
            server_cpu_s: cpu.server(),
            body_bytes,
        });
    }
    Ok(ImportReport { runs })
}
