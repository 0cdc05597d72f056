//! SeaORM entities. Reached only through the workspace-scoped queries of this crate.

pub mod activity;
pub mod api_token;
pub mod campaign;
pub mod deleted_lead;
pub mod event;
pub mod invitation;
pub mod lead;
pub mod lead_count;
pub mod lead_import;
pub mod membership;
pub mod session;
pub mod user;
pub mod webhook;
pub mod webhook_delivery;
pub mod workspace;
