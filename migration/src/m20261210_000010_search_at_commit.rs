//! SQLite: the trigram index written once per commit, not once per write.
//!
//! FTS5 writes what it holds in memory to disk as a new segment at every savepoint opened
//! or released, and merges segments as they pile up. The write path gives each write of a
//! group commit a savepoint of its own, so a batch of sixteen creates wrote sixteen
//! segments and merged them: a fifth of the writer's CPU (BENCHMARKS.md). The triggers now
//! queue each change of a search key in `leads_search_pending`, an ordinary table, so a
//! write rolled back to its savepoint takes its queued changes with it; the write path
//! applies the queue to `leads_search` in one statement, in order, right before each
//! commit, and empties it (`kandid_store`'s `search_at_commit`). Nothing is committed with
//! the queue unapplied, so searches still see every lead at its commit.
//!
//! PostgreSQL's trigram index is a GIN index: nothing changes there.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The triggers as the search migration made them (for `down`).
const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS leads_search_update",
    "DROP TRIGGER IF EXISTS leads_search_delete",
    "DROP TRIGGER IF EXISTS leads_search_insert",
    // Anything queued and not applied is applied first.
    "INSERT INTO leads_search(leads_search, rowid, search_key)
        SELECT command, row, search_key FROM leads_search_pending ORDER BY seq",
    "DROP TABLE IF EXISTS leads_search_pending",
    "CREATE TRIGGER leads_search_insert AFTER INSERT ON leads BEGIN
        INSERT INTO leads_search(rowid, search_key) VALUES (new.rowid, new.search_key);
    END",
    "CREATE TRIGGER leads_search_delete AFTER DELETE ON leads BEGIN
        INSERT INTO leads_search(leads_search, rowid, search_key)
            VALUES ('delete', old.rowid, old.search_key);
    END",
    "CREATE TRIGGER leads_search_update AFTER UPDATE OF search_key ON leads
        WHEN old.search_key IS NOT new.search_key BEGIN
        INSERT INTO leads_search(leads_search, rowid, search_key)
            VALUES ('delete', old.rowid, old.search_key);
        INSERT INTO leads_search(rowid, search_key) VALUES (new.rowid, new.search_key);
    END",
];

/// `command` is FTS5's: `'delete'` removes the row's old key from the index, NULL adds its
/// new one.
const SQLITE_UP: &[&str] = &[
    "CREATE TABLE leads_search_pending (
        seq INTEGER PRIMARY KEY,
        command TEXT CHECK (command IS NULL OR command = 'delete'),
        row INTEGER NOT NULL,
        search_key TEXT NOT NULL)",
    "DROP TRIGGER IF EXISTS leads_search_update",
    "DROP TRIGGER IF EXISTS leads_search_delete",
    "DROP TRIGGER IF EXISTS leads_search_insert",
    "CREATE TRIGGER leads_search_insert AFTER INSERT ON leads BEGIN
        INSERT INTO leads_search_pending(command, row, search_key)
            VALUES (NULL, new.rowid, new.search_key);
    END",
    // Cascading deletes (campaign, workspace) fire this trigger too.
    "CREATE TRIGGER leads_search_delete AFTER DELETE ON leads BEGIN
        INSERT INTO leads_search_pending(command, row, search_key)
            VALUES ('delete', old.rowid, old.search_key);
    END",
    // Updates rewrite every column; only a changed key costs an index write.
    "CREATE TRIGGER leads_search_update AFTER UPDATE OF search_key ON leads
        WHEN old.search_key IS NOT new.search_key BEGIN
        INSERT INTO leads_search_pending(command, row, search_key)
            VALUES ('delete', old.rowid, old.search_key);
        INSERT INTO leads_search_pending(command, row, search_key)
            VALUES (NULL, new.rowid, new.search_key);
    END",
];

async fn run(m: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    for sql in statements {
        m.get_connection().execute_unprepared(sql).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// All or nothing on SQLite too: triggers dropped and not yet made again would leave
    /// changes of `leads` out of the index.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        match m.get_database_backend() {
            DatabaseBackend::Sqlite => run(m, SQLITE_UP).await,
            _ => Ok(()),
        }
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        match m.get_database_backend() {
            DatabaseBackend::Sqlite => run(m, SQLITE_DOWN).await,
            _ => Ok(()),
        }
    }
}
