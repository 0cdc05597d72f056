//! SQLite's trigram index written once per commit (see the migration `search_at_commit`):
//! the triggers on `leads` queue each change of a search key in `leads_search_pending`, and
//! every commit of the write path applies the queue first (`apply`).

use crate::Store;
use crate::error::Result;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseTransaction, DbErr, Statement};

const EMPTY: &str = "DELETE FROM leads_search_pending";

/// SQLite: the search-key changes the batch's writes queued, written to the trigram index
/// in one statement and in order, then the queue emptied, all in the batch's transaction:
/// the index takes one segment per commit instead of one per write. PostgreSQL's index
/// follows its rows by itself. (An import's chunk applies its own, to count its indexing in
/// the time it sizes chunks by.)
pub(crate) async fn apply(txn: &DatabaseTransaction) -> std::result::Result<(), DbErr> {
    if txn.get_database_backend() != DatabaseBackend::Sqlite {
        return Ok(());
    }
    txn.execute_unprepared(
        "INSERT INTO leads_search(leads_search, rowid, search_key) \
         SELECT command, row, search_key FROM leads_search_pending ORDER BY seq",
    )
    .await?;
    txn.execute_unprepared(EMPTY).await?;
    Ok(())
}

impl Store {
    /// SQLite: index changes that changes of `leads` made outside kandid (in the `sqlite3`
    /// shell, say) queued while it was stopped. The index may have been rebuilt by hand
    /// since, and FTS5 would take the queued removal of a key it no longer holds as
    /// corruption; so the index is rebuilt from the leads and the queue emptied. Run at
    /// start-up, before any other write. Returns whether there was a queue.
    pub async fn mend_search_index(&self) -> Result<bool> {
        if self.backend() != DatabaseBackend::Sqlite {
            return Ok(false);
        }
        // Read first: a start-up without a queue (the usual one) writes nothing.
        let queued = self
            .db
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Sqlite,
                "SELECT EXISTS (SELECT 1 FROM leads_search_pending) AS queued",
            ))
            .await?
            .map(|row| row.try_get::<bool>("", "queued"))
            .transpose()?
            .unwrap_or(false);
        if !queued {
            return Ok(false);
        }
        // Nothing else writes before the server serves.
        self.write_unchecked(|tx| {
            Box::pin(async move {
                tx.txn.execute_unprepared(EMPTY).await?;
                tx.txn
                    .execute_unprepared("INSERT INTO leads_search(leads_search) VALUES ('rebuild')")
                    .await?;
                Ok(true)
            })
        })
        .await
    }
}
