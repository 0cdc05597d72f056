//! `reads`: one request at a time, the latency of the reads a dashboard page makes, over
//! the seeded campaign.

use crate::api::{Api, Session};
use crate::stats::{Latency, summarize};
use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct ReadsOptions {
    /// Repetitions per endpoint.
    pub reps: u32,
    /// Time budget per endpoint: aggregates over a million leads can take long enough that
    /// `reps` of them would not fit a run; fewer repetitions are reported as such.
    pub max_per_endpoint: Duration,
    /// Substring for the search read.
    pub q: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EndpointReport {
    pub name: String,
    pub path: String,
    pub n: u32,
    pub latency: Option<Latency>,
    /// `total` of a list answer: shows the filter or search matched what it should.
    pub total: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReadsReport {
    pub endpoints: Vec<EndpointReport>,
}

/// Percent-encodes a query value, so any search term reaches the server as typed.
#[must_use]
pub fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The endpoints read, by short name.
#[must_use]
pub fn endpoints(campaign_id: &str, q: &str) -> Vec<(&'static str, String)> {
    vec![
        ("campaign", format!("/api/campaigns/{campaign_id}")),
        ("dashboard", "/api/dashboard".to_owned()),
        ("leads", format!("/api/leads?campaign_id={campaign_id}")),
        (
            "leads_search",
            format!("/api/leads?campaign_id={campaign_id}&q={}", encode(q)),
        ),
    ]
}

pub async fn reads(session: &Session, opts: &ReadsOptions) -> Result<ReadsReport> {
    let api = Api::new(&session.base_url, 1)?.with_token(&session.token);
    let mut out = Vec::new();
    for (name, path) in endpoints(&session.campaign_id, &opts.q) {
        // One untimed request first: it checks the answer and warms the connection.
        let first =
            crate::api::expect(api.get(&path).send().await?, reqwest::StatusCode::OK, name).await?;
        let total = first["total"].as_u64();
        let mut samples = Vec::new();
        let started = Instant::now();
        while samples.len() < opts.reps as usize && started.elapsed() < opts.max_per_endpoint {
            let t0 = Instant::now();
            let res = api.get(&path).send().await?;
            let status = res.status();
            res.bytes().await?;
            if !status.is_success() {
                bail!("{name}: {path} answered {status}");
            }
            samples.push(t0.elapsed());
        }
        out.push(EndpointReport {
            name: name.to_owned(),
            path,
            n: u32::try_from(samples.len()).unwrap_or(u32::MAX),
            latency: summarize(&mut samples),
            total,
        });
    }
    Ok(ReadsReport { endpoints: out })
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_query_values() {
        assert_eq!(super::encode("zephyr"), "zephyr");
        assert_eq!(super::encode("a b&c=é"), "a%20b%26c%3D%C3%A9");
    }
}
