//! Database migrations of kandid. The same statements run on SQLite and PostgreSQL;
//! every list filter and sort of the API has an index that starts with the workspace.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_init;
mod m20261129_000004_teams;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_init::Migration),
            Box::new(m20261129_000004_teams::Migration),
        ]
    }
}
