//! CPU time a process has used, from `/proc/<pid>/stat`, so that server work can be
//! charged to the requests that caused it, and its resident memory from `/proc/<pid>/status`.

use anyhow::{Context, Result, bail};

/// `USER_HZ`: the unit of `utime`/`stime`. It is 100 on every Linux build we run on; reading
/// it through `sysconf` would need `unsafe`, which the workspace forbids.
pub const CLOCK_TICKS_PER_SECOND: f64 = 100.0;

/// `utime + stime` (fields 14 and 15) of a `/proc/<pid>/stat` line, in clock ticks: all the
/// process's threads, user and kernel time. The command name (field 2) may contain spaces
/// and parentheses, so fields are counted after its last `)`.
pub fn parse_cpu_ticks(stat: &str) -> Result<u64> {
    let (utime, stime) = parse_cpu_split(stat)?;
    Ok(utime + stime)
}

/// `utime` and `stime` of a `/proc/<pid>/stat` line, in clock ticks: time in user space and
/// in the kernel (system calls, and the network stack work they run).
pub fn parse_cpu_split(stat: &str) -> Result<(u64, u64)> {
    let Some((_, rest)) = stat.rsplit_once(')') else {
        bail!("no command name in /proc stat line");
    };
    // After the name: state is field 3, so utime (14) and stime (15) are the 12th and 13th.
    let mut fields = rest.split_whitespace().skip(11);
    let mut next = |what: &str| -> Result<u64> {
        fields
            .next()
            .with_context(|| format!("/proc stat line too short for {what}"))?
            .parse::<u64>()
            .with_context(|| format!("{what} is not a number"))
    };
    let utime = next("utime")?;
    let stime = next("stime")?;
    Ok((utime, stime))
}

/// CPU seconds used so far by `pid` (`None`: this process).
pub fn cpu_seconds(pid: Option<u32>) -> Result<f64> {
    let (user, kernel) = cpu_split_seconds(pid)?;
    Ok(user + kernel)
}

/// CPU seconds used so far by `pid` (`None`: this process), in user space and in the kernel.
pub fn cpu_split_seconds(pid: Option<u32>) -> Result<(f64, f64)> {
    let path = match pid {
        Some(p) => format!("/proc/{p}/stat"),
        None => "/proc/self/stat".to_owned(),
    };
    let stat = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    let (utime, stime) = parse_cpu_split(&stat)?;
    #[allow(clippy::cast_precision_loss)]
    Ok((
        utime as f64 / CLOCK_TICKS_PER_SECOND,
        stime as f64 / CLOCK_TICKS_PER_SECOND,
    ))
}

/// A `kB` field (`VmRSS`, `VmHWM`, …) of a `/proc/<pid>/status` text, in KiB.
pub fn parse_status_kib(status: &str, field: &str) -> Result<u64> {
    let line = status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .with_context(|| format!("no {field} in /proc status"))?;
    line.trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .with_context(|| format!("{field} is not a number"))
}

/// `VmRSS` of a `/proc/<pid>/status` text, in KiB.
pub fn parse_rss_kib(status: &str) -> Result<u64> {
    parse_status_kib(status, "VmRSS")
}

/// The `/proc/<pid>/status` text of `pid`.
pub fn status(pid: u32) -> Result<String> {
    let path = format!("/proc/{pid}/status");
    std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))
}

/// Resident memory of `pid`, in KiB.
pub fn rss_kib(pid: u32) -> Result<u64> {
    parse_rss_kib(&status(pid)?)
}

/// CPU seconds of the server (when its pid is known) and of this load generator, taken
/// together so both cover the same interval.
#[derive(Debug, Clone, Copy)]
pub struct CpuSample {
    /// The server's user-space and kernel seconds.
    server_split: Option<(f64, f64)>,
    pub client: f64,
}

impl CpuSample {
    pub fn take(server_pid: Option<u32>) -> Result<Self> {
        Ok(Self {
            server_split: server_pid.map(|p| cpu_split_seconds(Some(p))).transpose()?,
            client: cpu_seconds(None)?,
        })
    }

    /// The server's CPU seconds: user space plus kernel.
    #[must_use]
    pub fn server(&self) -> Option<f64> {
        self.server_split.map(|(user, kernel)| user + kernel)
    }

    /// The part of `server` spent in user space.
    #[must_use]
    pub fn server_user(&self) -> Option<f64> {
        self.server_split.map(|(user, _)| user)
    }

    /// CPU seconds used since `earlier`. Each part of the server's is differenced on its
    /// own, and the total summed from them: a difference of totals rounds on its own, and
    /// may come out a hair below the user part alone.
    #[must_use]
    pub fn since(&self, earlier: &CpuSample) -> CpuSample {
        CpuSample {
            server_split: self
                .server_split
                .zip(earlier.server_split)
                .map(|((u1, k1), (u0, k0))| (u1 - u0, k1 - k0)),
            client: self.client - earlier.client,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_utime_and_stime() -> Result<()> {
        let line = "4242 (kandid) S 1 4242 4242 0 -1 4194560 9123 0 0 0 1234 567 0 0 20 0 9 0 100 123456 789 18446744073709551615";
        assert_eq!(parse_cpu_ticks(line)?, 1234 + 567);
        Ok(())
    }

    #[test]
    fn splits_user_and_kernel_time() -> Result<()> {
        let line = "4242 (kandid) S 1 4242 4242 0 -1 4194560 9123 0 0 0 1234 567 0 0 20 0 9 0 100 123456 789 18446744073709551615";
        assert_eq!(parse_cpu_split(line)?, (1234, 567));
        Ok(())
    }

    #[test]
    fn command_names_with_spaces_and_parens() -> Result<()> {
        let line = "7 (node (worker) x) R 1 7 7 0 -1 0 0 0 0 0 10 5 0 0 20 0 1 0 1 1 1";
        assert_eq!(parse_cpu_ticks(line)?, 15);
        Ok(())
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_cpu_ticks("no parens here").is_err());
        assert!(parse_cpu_ticks("1 (x) S 1 2").is_err());
        assert!(parse_cpu_ticks("1 (x) S 1 2 3 4 5 6 7 8 9 10 ten 12").is_err());
    }

    #[test]
    fn parses_rss() -> Result<()> {
        let status = "Name:\tkandid\nVmPeak:\t  99 kB\nVmRSS:\t   12345 kB\nThreads: 3\n";
        assert_eq!(parse_rss_kib(status)?, 12345);
        assert_eq!(parse_status_kib(status, "VmPeak")?, 99);
        assert!(parse_rss_kib("Name: x\n").is_err());
        assert!(parse_status_kib("VmRSSX:\t1 kB\n", "VmRSS").is_err());
        assert!(rss_kib(std::process::id())? > 0);
        Ok(())
    }

    #[test]
    fn the_user_part_never_exceeds_the_whole() {
        // Readings whose totals, subtracted, round below the user part's difference.
        let at = |user: f64, kernel: f64| CpuSample {
            server_split: Some((user, kernel)),
            client: 0.0,
        };
        let (earlier, later) = (at(0.1, 0.2), at(0.19, 0.2));
        let naive = (0.19 + 0.2) - (0.1 + 0.2);
        assert!(
            naive < 0.19 - 0.1,
            "the readings no longer show the rounding"
        );
        let used = later.since(&earlier);
        assert!(used.server_user() <= used.server(), "{used:?}");
    }

    #[test]
    fn reads_own_process() -> Result<()> {
        assert!(cpu_seconds(None)? >= 0.0);
        Ok(())
    }
}
