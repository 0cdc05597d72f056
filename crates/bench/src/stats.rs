//! Latency samples and their summary: percentiles by nearest rank, in milliseconds.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Summary of a set of latencies, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub mean_ms: f64,
    pub max_ms: f64,
}

/// The `p`-th percentile (0–100) of sorted samples by nearest rank: the smallest sample
/// with at least `p` % of the samples at or below it. Nearest rank never invents a value
/// between two samples, so a p99 of few samples is an observed latency, not an estimate.
#[must_use]
pub fn percentile(sorted: &[Duration], p: f64) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len();
    // Truncation is intended: the rank is a small positive integer.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let rank = ((p.clamp(0.0, 100.0) / 100.0) * n as f64).ceil() as usize;
    sorted.get(rank.clamp(1, n) - 1).copied()
}

/// Sorts the samples and summarises them; `None` when there are none.
#[must_use]
pub fn summarize(samples: &mut [Duration]) -> Option<Latency> {
    samples.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let total: Duration = samples.iter().sum();
    Some(Latency {
        p50_ms: ms(percentile(samples, 50.0)?),
        p90_ms: ms(percentile(samples, 90.0)?),
        p99_ms: ms(percentile(samples, 99.0)?),
        mean_ms: ms(total) / samples.len() as f64,
        max_ms: ms(*samples.last()?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: &[u64]) -> Vec<Duration> {
        v.iter().map(|&m| Duration::from_millis(m)).collect()
    }

    #[test]
    fn nearest_rank_percentiles() {
        let s = ms(&(1..=100).collect::<Vec<_>>());
        assert_eq!(percentile(&s, 50.0), Some(Duration::from_millis(50)));
        assert_eq!(percentile(&s, 99.0), Some(Duration::from_millis(99)));
        assert_eq!(percentile(&s, 100.0), Some(Duration::from_millis(100)));
        assert_eq!(percentile(&s, 0.0), Some(Duration::from_millis(1)));
        // Few samples: p99 is the largest one, never beyond it.
        let few = ms(&[3, 7, 9]);
        assert_eq!(percentile(&few, 99.0), Some(Duration::from_millis(9)));
        assert_eq!(percentile(&few, 50.0), Some(Duration::from_millis(7)));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn summary_sorts_first() {
        let mut s = ms(&[40, 10, 30, 20]);
        let Some(l) = summarize(&mut s) else {
            panic!("no summary of four samples");
        };
        assert!((l.p50_ms - 20.0).abs() < 1e-9);
        assert!((l.max_ms - 40.0).abs() < 1e-9);
        assert!((l.mean_ms - 25.0).abs() < 1e-9);
        assert!(summarize(&mut []).is_none());
    }
}
