//! Database connection and migrations.

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use std::time::Duration;

/// Connects with a pool suited to the backend. SQLite runs in WAL mode, so readers don't
/// wait for the writer; writers queue in the store's write gate, and the busy timeout only
/// covers another process holding the database. `synchronous=FULL` syncs the WAL at every
/// commit, so a commit (and the seqs it handed out) survives a power loss; group commit
/// makes that one sync per batch of writes.
///
/// Waiting is bounded by `timeout` everywhere: for a pooled connection, for SQLite's lock,
/// and on PostgreSQL for a lock (`lock_timeout`) and a statement (`statement_timeout`).
pub async fn connect(
    url: &str,
    max_connections: u32,
    timeout: Duration,
) -> anyhow::Result<DatabaseConnection> {
    let sqlite_dir = url
        .strip_prefix("sqlite://")
        .map(|p| std::path::Path::new(p.split('?').next().unwrap_or_default()))
        .and_then(std::path::Path::parent)
        .filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = sqlite_dir {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating data directory {}", dir.display()))?;
    }
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(max_connections.max(1))
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(timeout)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(timeout)
                .foreign_keys(true)
        })
        .map_sqlx_postgres_opts(move |o| {
            let ms = timeout.as_millis().to_string();
            o.options([
                ("statement_timeout", ms.as_str()),
                ("lock_timeout", ms.as_str()),
            ])
        });
    Database::connect(opts)
        .await
        .with_context(|| "connecting to the database".to_owned())
}

/// Statement and lock timeout of the connection that runs migrations: a backfill over a
/// large database may take far longer than any request should.
pub const MIGRATION_TIMEOUT: Duration = Duration::from_secs(3600);

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("running migrations")
}
