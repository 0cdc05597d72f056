//! Counts of the write path, for `/metrics`: how well group commit groups.

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// Batches committed and failed, and writes per batch.
#[derive(Clone)]
pub struct WriteMetrics {
    pub(super) committed: Counter,
    pub(super) failed: Counter,
    pub(super) writes: Histogram,
}

impl Default for WriteMetrics {
    fn default() -> Self {
        Self {
            committed: Counter::default(),
            failed: Counter::default(),
            writes: Histogram::new(exponential_buckets(1.0, 2.0, 10)),
        }
    }
}

impl WriteMetrics {
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "kandid_db_write_batches_committed",
            "Write batches (database transactions shared by concurrent writes) committed",
            self.committed.clone(),
        );
        registry.register(
            "kandid_db_write_batches_failed",
            "Write batches whose COMMIT failed (each of their writes got the error)",
            self.failed.clone(),
        );
        registry.register(
            "kandid_db_writes_per_batch",
            "Writes that shared one commit",
            self.writes.clone(),
        );
    }
}
