//! What a scenario outputs: one JSON line on stdout (tagged by `scenario`, read back by
//! `report`) and a human summary on stderr.

use crate::contention::ContentionReport;
use crate::import::ImportReport;
use crate::load::LoadReport;
use crate::memory::MemoryReport;
use crate::reads::ReadsReport;
use crate::seed::SeedReport;
use crate::socket::{FanoutReport, IdleReport};
use crate::stats::Latency;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "scenario", rename_all = "kebab-case")]
pub enum Record {
    Seed(SeedReport),
    RestList(LoadReport),
    RestCreate(LoadReport),
    Import(ImportReport),
    ImportContention(ContentionReport),
    Reads(ReadsReport),
    Idle(IdleReport),
    Fanout(FanoutReport),
    Saturation(FanoutReport),
    Memory(MemoryReport),
}

fn latency(l: Option<&Latency>) -> String {
    l.map_or_else(
        || "no successful request".to_owned(),
        |l| {
            format!(
                "p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
                l.p50_ms, l.p99_ms, l.max_ms
            )
        },
    )
}

fn load(name: &str, r: &LoadReport) -> String {
    let mut s = format!(
        "{name}: {} clients, {:.1} s: {:.0} req/s, {}",
        r.concurrency,
        r.seconds,
        r.rps,
        latency(r.latency.as_ref())
    );
    if let Some(cpu) = r.server_cpu_ms_per_req {
        let _ = write!(s, ", server CPU {cpu:.3} ms/req");
    }
    let _ = write!(s, ", generator CPU {:.3} ms/req", r.client_cpu_ms_per_req);
    if !r.errors.is_empty() {
        let _ = write!(s, ", errors {:?}", r.errors);
    }
    s
}

fn fanout(name: &str, r: &FanoutReport) -> String {
    let mut s = format!(
        "{name}: {} sockets ({} failed), {:.0} writes/s ({} ok, write {}): {} of {} delivered, \
         {} lost, {} duplicated, {} disconnected; {:.0} deliveries/s, latency {}",
        r.connected,
        r.failed,
        r.write_rate,
        r.writes_ok,
        latency(r.write_latency.as_ref()),
        r.received,
        r.expected,
        r.lost,
        r.duplicated,
        r.disconnected,
        r.deliveries_per_s,
        latency(r.latency.as_ref()),
    );
    if let Some(cpu) = r.server_cpu_us_per_delivery {
        let _ = write!(s, ", server CPU {cpu:.2} µs/delivery");
        if let Some(user) = r.server_user_cpu_us_per_delivery {
            let _ = write!(s, " ({user:.2} in user space)");
        }
    }
    let _ = write!(
        s,
        ", generator CPU {:.2} µs/delivery",
        r.client_cpu_us_per_delivery
    );
    if let Some(e) = &r.first_error {
        let _ = write!(s, "; first connect error: {e}");
    }
    s
}

impl Record {
    /// One or a few lines for a person watching the run.
    #[must_use]
    pub fn human(&self) -> String {
        match self {
            Record::Seed(r) => format!(
                "seed: {} leads in {} import(s), {:.1} s; campaign {}",
                r.leads, r.imports, r.seconds, r.session.campaign_id
            ),
            Record::RestList(r) => load("rest-list", r),
            Record::RestCreate(r) => load("rest-create", r),
            Record::Import(r) => r
                .runs
                .iter()
                .map(|run| {
                    let cpu = run
                        .server_cpu_s
                        .map(|c| format!(", server CPU {c:.2} s"))
                        .unwrap_or_default();
                    format!("import: {} rows in {:.2} s{cpu}", run.rows, run.seconds)
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Record::ImportContention(r) => format!(
                "import-contention: {} rows into A in {:.2} s; {} clients writing into B: \
                 before {} writes, {}; during {} writes, {}; {} failed",
                r.rows,
                r.import_seconds,
                r.clients,
                r.before_writes,
                latency(r.before.as_ref()),
                r.during_writes,
                latency(r.during.as_ref()),
                r.errors
            ),
            Record::Reads(r) => r
                .endpoints
                .iter()
                .map(|e| {
                    let total = e.total.map(|t| format!(", total {t}")).unwrap_or_default();
                    format!(
                        "reads {}: n {}, {}{total}",
                        e.name,
                        e.n,
                        latency(e.latency.as_ref())
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Record::Idle(r) => {
                let mut s = format!(
                    "idle: {} sockets connected ({} failed) in {:.1} s, {} still connected",
                    r.connected, r.failed, r.connect_seconds, r.still_connected
                );
                if let Some(k) = r.kib_per_socket {
                    let _ = write!(s, "; server RSS {k:.1} KiB per socket");
                }
                if let Some(e) = &r.first_error {
                    let _ = write!(s, "; first error: {e}");
                }
                s
            }
            Record::Fanout(r) => fanout("fanout", r),
            Record::Saturation(r) => fanout("saturation", r),
            Record::Memory(r) => {
                let ceiling = r
                    .ceiling_mib
                    .map(|c| format!(" (ceiling {c:.0} MiB)"))
                    .unwrap_or_default();
                format!(
                    "memory after {}: RSS {:.1} MiB ({:.1} MiB its own{ceiling}), peak {:.1} MiB",
                    r.label, r.rss_mib, r.anon_mib, r.peak_mib
                )
            }
        }
    }
}
