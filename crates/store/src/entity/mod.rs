//! SeaORM entities. Reached only through the workspace-scoped queries of this crate.

pub mod activity;
pub mod campaign;
pub mod deleted_lead;
pub mod event;
pub mod lead;
pub mod lead_count;
pub mod user;
pub mod workspace;
