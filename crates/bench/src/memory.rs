//! `memory`: the server's resident memory at a point of a run (after seeding, after the
//! lists, after the imports), and its peak so far. Its own memory (anonymous: heap, stacks;
//! not files mapped into it, such as SQLite's WAL index, whose pages are the kernel's)
//! is checked against a ceiling: a memory-regression check that a benchmark run fails on.

use crate::procstat;
use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MemoryReport {
    /// What the server has done when it is read, e.g. `seed` or `rest-list`.
    pub label: String,
    /// `VmRSS`: resident now.
    pub rss_mib: f64,
    /// `RssAnon`: the part of `rss_mib` that is the process's own (heap, stacks), not
    /// mapped files.
    pub anon_mib: f64,
    /// `VmHWM`: the most that was resident at any time so far.
    pub peak_mib: f64,
    /// The ceiling checked, if any.
    pub ceiling_mib: Option<f64>,
}

#[allow(clippy::cast_precision_loss)]
fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// Reads the memory of process `pid`.
pub fn memory(pid: u32, label: &str, ceiling_mib: Option<f64>) -> Result<MemoryReport> {
    let status = procstat::status(pid)?;
    Ok(MemoryReport {
        label: label.to_owned(),
        rss_mib: mib(procstat::parse_status_kib(&status, "VmRSS")?),
        anon_mib: mib(procstat::parse_status_kib(&status, "RssAnon")?),
        peak_mib: mib(procstat::parse_status_kib(&status, "VmHWM")?),
        ceiling_mib,
    })
}

/// Fails when the process's own resident memory is over the ceiling.
pub fn check(r: &MemoryReport) -> Result<()> {
    match r.ceiling_mib {
        Some(max) if r.anon_mib > max => bail!(
            "server memory after {}: {:.0} MiB of its own (RSS {:.0} MiB, peak {:.0} MiB) is over the ceiling of {max} MiB",
            r.label,
            r.anon_mib,
            r.rss_mib,
            r.peak_mib
        ),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_process_and_checks_the_ceiling() -> Result<()> {
        let r = memory(std::process::id(), "test", Some(1_000_000.0))?;
        assert!(
            r.anon_mib > 0.0 && r.rss_mib >= r.anon_mib && r.peak_mib >= r.rss_mib,
            "{r:?}"
        );
        check(&r)?;
        let over = MemoryReport {
            ceiling_mib: Some(r.anon_mib / 2.0),
            ..r.clone()
        };
        assert!(check(&over).is_err());
        let unchecked = MemoryReport {
            ceiling_mib: None,
            ..r
        };
        check(&unchecked)
    }
}
