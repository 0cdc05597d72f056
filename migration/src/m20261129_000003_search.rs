//! Lead search and list indexes for workspaces with 100 000+ leads.
//!
//! `q` is a substring search, which a b-tree cannot serve: a trigram index can. SQLite gets
//! an FTS5 table with the trigram tokenizer over `leads.search_key` (external content, so
//! the text is not stored twice), kept in sync by triggers; PostgreSQL gets `pg_trgm` and a
//! GIN index, which serves `search_key LIKE '%…%'` directly.
//!
//! Every filter × sort of `GET /api/leads` is then served by walking one b-tree in the
//! order of the sort (sort key, then id) and stopping after one page, never by a scan of
//! the table or a sort of every matching row:
//! - without `campaign_id`: `(workspace_id, <sort key>, id)`, the three indexes of the init
//!   migration; `status` and `connection_status` are checked on the rows walked.
//! - with `campaign_id`: `(campaign_id, <sort key>, id)`; the init migration has the one for
//!   `created_at`, this one adds `updated_at` and `name`. A campaign id is a UUID unique
//!   across workspaces, so the workspace needs no column of its own: every row of a
//!   campaign is in the caller's workspace or none is (then the list is empty).
//! - with `q`: the same walk, keeping rows whose rowid (SQLite) is among the trigram
//!   matches; PostgreSQL picks between that walk and the trigram index by its statistics.
//!
//! Why not one index per filter combination (`(workspace_id, status, <sort key>, id)` and so
//! on, 18 more): every index is written on every lead insert, and imports of 100 000 rows
//! have a time budget. `status` has 5 values and `connection_status` 3: a walk that checks
//! them reads more rows the rarer the value (a value no lead has reads all the
//! workspace's or campaign's rows, in index order, never sorting them), and stops after
//! one page. The campaign, which can be a tiny part of a large
//! workspace, is the filter that must bound the walk, and it does. The status indexes of
//! the init migration stay: they serve counts by status (the list's `total`, campaign
//! stats, the dashboard), not the list order; lacking `id`, they cannot give it, so
//! SQLite's planner passes them over for lists (`tests/http/plans.rs` holds it to that).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The sort orders of a campaign's leads the init migration has no index for.
const CAMPAIGN_SORT_INDEXES: [(&str, &str); 2] = [
    ("idx_leads_campaign_updated", "updated_at"),
    ("idx_leads_campaign_name", "name"),
];

/// SQLite: the FTS5 index and the triggers that keep it equal to `leads.search_key`.
///
/// External content links FTS rows to `leads.rowid`. `leads` has a UUID primary key, so its
/// rowid is implicit, and `VACUUM` may renumber it: after a `VACUUM`, run
/// `INSERT INTO leads_search(leads_search) VALUES ('rebuild')`. Search results stay exact
/// either way (the store re-checks every candidate with LIKE), but leads can go missing
/// from them until the rebuild.
///
/// `case_sensitive 1`: the search key and the query are already lower-cased in Rust
/// (Unicode-aware); folding again would only cost time. `detail=none`: the index keeps
/// which rows hold each trigram, not where, which cuts the indexing work on every insert
/// by about 40 %; the store asks for rows holding all the query's trigrams and re-checks
/// those candidates with LIKE, so positions are not needed.
const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE leads_search USING fts5(
        search_key, content='leads', content_rowid='rowid',
        tokenize='trigram case_sensitive 1', detail=none)",
    "CREATE TRIGGER leads_search_insert AFTER INSERT ON leads BEGIN
        INSERT INTO leads_search(rowid, search_key) VALUES (new.rowid, new.search_key);
    END",
    // Cascading deletes (campaign, workspace) fire this trigger too.
    "CREATE TRIGGER leads_search_delete AFTER DELETE ON leads BEGIN
        INSERT INTO leads_search(leads_search, rowid, search_key)
            VALUES ('delete', old.rowid, old.search_key);
    END",
    // Updates rewrite every column; only a changed key costs an FTS write.
    "CREATE TRIGGER leads_search_update AFTER UPDATE OF search_key ON leads
        WHEN old.search_key IS NOT new.search_key BEGIN
        INSERT INTO leads_search(leads_search, rowid, search_key)
            VALUES ('delete', old.rowid, old.search_key);
        INSERT INTO leads_search(rowid, search_key) VALUES (new.rowid, new.search_key);
    END",
    "INSERT INTO leads_search(leads_search) VALUES ('rebuild')",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS leads_search_update",
    "DROP TRIGGER IF EXISTS leads_search_delete",
    "DROP TRIGGER IF EXISTS leads_search_insert",
    "DROP TABLE IF EXISTS leads_search",
];

/// PostgreSQL: `pg_trgm` is a trusted extension (PostgreSQL 13+), so the database owner may
/// create it without being a superuser.
const POSTGRES_UP: &[&str] = &[
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX idx_leads_search_trgm ON leads USING gin (search_key gin_trgm_ops)",
];

/// The extension stays: other schemas of the database may use it.
const POSTGRES_DOWN: &[&str] = &["DROP INDEX IF EXISTS idx_leads_search_trgm"];

async fn run(m: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    for sql in statements {
        m.get_connection().execute_unprepared(sql).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, key) in CAMPAIGN_SORT_INDEXES {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(Alias::new("leads"))
                    .col(Alias::new("campaign_id"))
                    .col(Alias::new(key))
                    .col(Alias::new("id"))
                    .to_owned(),
            )
            .await?;
        }
        match m.get_database_backend() {
            DatabaseBackend::Sqlite => run(m, SQLITE_UP).await,
            DatabaseBackend::Postgres => run(m, POSTGRES_UP).await,
            other => Err(DbErr::Migration(format!("unsupported backend {other:?}"))),
        }
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        match m.get_database_backend() {
            DatabaseBackend::Sqlite => run(m, SQLITE_DOWN).await?,
            DatabaseBackend::Postgres => run(m, POSTGRES_DOWN).await?,
            other => return Err(DbErr::Migration(format!("unsupported backend {other:?}"))),
        }
        for (name, _) in CAMPAIGN_SORT_INDEXES {
            m.drop_index(
                Index::drop()
                    .name(name)
                    .table(Alias::new("leads"))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
