//! Database migrations of kandid, for SQLite and PostgreSQL (the same statements, except
//! where search needs each database's own trigram index); every list filter and sort of
//! the API is served by an index that starts with the workspace or the campaign.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_init;
mod m20261129_000002_lead_counts;
mod m20261129_000003_search;
mod m20261129_000004_teams;
mod m20261129_000005_deleted_leads;
mod m20261206_000006_webhooks;
mod m20261207_000007_sessions;
mod m20261208_000008_staged_imports;
mod m20261209_000009_session_expiry;
mod m20261210_000010_search_at_commit;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_init::Migration),
            Box::new(m20261129_000002_lead_counts::Migration),
            Box::new(m20261129_000003_search::Migration),
            Box::new(m20261129_000004_teams::Migration),
            Box::new(m20261129_000005_deleted_leads::Migration),
            Box::new(m20261206_000006_webhooks::Migration),
            Box::new(m20261207_000007_sessions::Migration),
            Box::new(m20261208_000008_staged_imports::Migration),
            Box::new(m20261209_000009_session_expiry::Migration),
            Box::new(m20261210_000010_search_at_commit::Migration),
        ]
    }
}
