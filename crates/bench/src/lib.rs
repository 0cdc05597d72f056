//! kandid-bench: a load generator that drives any server of the kandid contract by base
//! URL, so that kandid and the Node comparison server are measured the same way.
//!
//! Each scenario returns a [`record::Record`]; the binary prints it as one JSON line on
//! stdout and a summary on stderr, and `report` turns a run's records into markdown.

pub mod api;
pub mod contention;
pub mod import;
pub mod load;
pub mod memory;
pub mod procstat;
pub mod reads;
pub mod record;
pub mod report;
pub mod rows;
pub mod seed;
pub mod sio;
pub mod socket;
pub mod stats;
