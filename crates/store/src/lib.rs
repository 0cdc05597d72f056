//! Persistence of kandid: SeaORM entities, workspace-scoped queries, and the write
//! transaction that stores an entity, its activity row and its event together and
//! publishes the events only after commit.

pub mod cluster;
pub mod entity;
pub mod error;
pub mod page;
pub mod tx;

mod access;
mod accounts;
mod activities;
mod campaigns;
mod counts;
mod dashboard;
mod diff;
mod events;
mod imports;
mod leads;
mod query;
mod search_queue;
mod sessions;
mod sqlite;
mod sqlite_writer;
mod teams;
pub mod webhooks;

pub use access::{ACCESS_TTL, Actor, Caller, Revoked, Subject};
pub use accounts::{Account, Registered};
pub use chrono::TimeDelta;
pub use error::{Result, StoreError};
pub use events::{EventPage, PRUNE_CHUNK};
pub use leads::{ImportOutcome, Named, SEARCH_SPLIT_AT, SearchPath};
pub use page::{Cursor, PageOf, PageRequest, Sort, SortField};
pub use query::{CampaignFilter, LeadFilter};
pub use tx::{EventSink, StoredEvent, WriteMetrics, now};

use std::time::Duration;
use tx::{Body, BoxFuture, Gate, Outcome, Tx, WriteSpec, WriteTx};

use sea_orm::{DatabaseConnection, TransactionTrait};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// Handle on the database. Cheap to clone. Every query takes the caller's workspace.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    writer: tx::Writer,
    gates: Arc<WriteGates>,
    access: Arc<access::AccessCache>,
    /// SQLite's reader connections (see `sqlite`); `None` on PostgreSQL, and on an
    /// in-memory SQLite database, which is read through the pool.
    readers: Option<Arc<sqlite::Readers>>,
    /// Taken by an import on SQLite for its whole length (see `imports`).
    imports: Arc<tokio::sync::Mutex<()>>,
    /// How long the tokens of a sign-in session are valid (`JWT_TTL`): when its last
    /// token expires is kept with it, for pruning.
    session_ttl: Duration,
}

/// How long a session's tokens are valid, unless the store is told (`with_session_ttl`).
pub const DEFAULT_SESSION_TTL: Duration = Duration::from_secs(24 * 3600);

/// How long a write may wait for its turn (or for a connection) before it is refused
/// with `StoreError::Busy`, unless the store is built with another.
pub const DEFAULT_WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// Where writers queue to join a batch (see `tx`).
///
/// SQLite admits one writer at a time: one gate for all, whose batches span workspaces.
/// On PostgreSQL a workspace's writers serialise on its counter row; a gate per workspace
/// lets each workspace's writes share a transaction, and keeps a burst in one workspace
/// from holding every pool connection while it waits on that row lock.
enum WriteGates {
    Global(Arc<Gate>),
    PerWorkspace(std::sync::Mutex<HashMap<Uuid, Arc<Gate>>>),
}

impl WriteGates {
    /// The gate of a workspace's writes, or of writes outside any workspace (`None`),
    /// which on PostgreSQL need no queue: each gets a gate, and so a transaction, of its own.
    fn gate(&self, ws: Option<Uuid>) -> Arc<Gate> {
        match (self, ws) {
            (WriteGates::Global(g), _) => Arc::clone(g),
            (WriteGates::PerWorkspace(_), None) => Arc::default(),
            (WriteGates::PerWorkspace(map), Some(ws)) => {
                let mut map = map
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if map.len() > 1024 {
                    // Forget gates nobody holds or waits for.
                    map.retain(|_, g| Arc::strong_count(g) > 1);
                }
                Arc::clone(map.entry(ws).or_default())
            }
        }
    }
}

/// SQLite's writer thread (see `sqlite_writer`) and the connection the write path uses on
/// it; none on PostgreSQL and on an in-memory SQLite database, which are written through
/// the pool, as they are when the writer cannot start (logged).
fn sqlite_writer(
    db: &DatabaseConnection,
    busy: Duration,
) -> Option<(sqlite_writer::WriteThread, DatabaseConnection)> {
    sqlite_writer::WriteThread::for_pool(db, busy)
        .inspect_err(|e| tracing::error!(error = %e, "cannot start the SQLite writer"))
        .ok()
        .flatten()
}

impl Store {
    #[must_use]
    pub fn new(db: DatabaseConnection, sink: Arc<dyn EventSink>) -> Self {
        let gates = if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
            WriteGates::Global(Arc::default())
        } else {
            WriteGates::PerWorkspace(std::sync::Mutex::default())
        };
        let access = Arc::new(access::AccessCache::default());
        let readers = sqlite::Readers::for_pool(&db, DEFAULT_WRITE_TIMEOUT).map(Arc::new);
        let (sqlite, write_db) = match sqlite_writer(&db, DEFAULT_WRITE_TIMEOUT) {
            Some((thread, write_db)) => (Some(Arc::new(thread)), write_db),
            None => (None, db.clone()),
        };
        Self {
            writer: tx::Writer {
                db: write_db,
                sqlite,
                sink,
                timeout: DEFAULT_WRITE_TIMEOUT,
                metrics: WriteMetrics::default(),
                access: Arc::clone(&access),
                node: Uuid::now_v7(),
            },
            db,
            gates: Arc::new(gates),
            readers,
            access,
            imports: Arc::default(),
            session_ttl: DEFAULT_SESSION_TTL,
        }
    }

    /// How long the tokens issued for a sign-in session are valid (`JWT_TTL`).
    #[must_use]
    pub fn with_session_ttl(mut self, ttl: Duration) -> Self {
        self.session_ttl = ttl;
        self
    }

    /// How long a write waits for its turn or a database connection before it is refused.
    #[must_use]
    pub fn with_write_timeout(mut self, timeout: Duration) -> Self {
        self.writer.timeout = timeout;
        // The readers' busy timeout is the same.
        if let Some(readers) = &self.readers {
            readers.set_busy_timeout(timeout);
        }
        self
    }

    /// The write path's metrics, to register with `/metrics`.
    #[must_use]
    pub fn write_metrics(&self) -> &WriteMetrics {
        &self.writer.metrics
    }

    /// Round trip to the database, for readiness checks.
    pub async fn ping(&self) -> Result<()> {
        self.db.ping().await?;
        Ok(())
    }

    /// Runs mutation `f` as one write of workspace `ws` by `actor` (see `tx`): once the
    /// actor's role is checked inside the transaction (`tx.role`), it records its changes
    /// with `tx.record` under the workspace's next seqs, and is answered once the write's
    /// batch committed.
    pub(crate) async fn write<T, F>(&self, ws: Uuid, actor: Actor, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'a> FnOnce(&'a mut WriteTx) -> BoxFuture<'a, Result<Outcome<T>>> + Send + 'static,
    {
        let spec = WriteSpec {
            seq_of: Some(ws),
            actor: actor.caller.user_id,
            check: Some((ws, actor)),
            alone: false,
        };
        self.run(Some(ws), spec, Body::Recording(Box::new(f))).await
    }

    /// Runs mutation `f` as a write of workspace `ws` by a user joining it: like `write`,
    /// but with nobody's role to check (the invitation is the authority).
    pub(crate) async fn write_joining<T, F>(&self, ws: Uuid, user_id: Uuid, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'a> FnOnce(&'a mut WriteTx) -> BoxFuture<'a, Result<Outcome<T>>> + Send + 'static,
    {
        let spec = WriteSpec {
            seq_of: Some(ws),
            actor: user_id,
            check: None,
            alone: false,
        };
        self.run(Some(ws), spec, Body::Recording(Box::new(f))).await
    }

    /// Runs `f` as a write in workspace `ws` that records no event (invitations, tokens,
    /// webhooks), once `actor`'s role is checked inside its transaction. It locks the
    /// workspace's row as a seq does, so role checks and membership changes still
    /// serialise with it.
    pub(crate) async fn write_without_event<T, F>(&self, ws: Uuid, actor: Actor, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'a> FnOnce(&'a mut Tx) -> BoxFuture<'a, Result<T>> + Send + 'static,
    {
        self.checked_plain(ws, actor, false, f).await
    }

    /// Like `write_without_event`, for a long write (a chunk of an import's rows): it runs
    /// in a batch of its own, so writes queued before it are answered without waiting for it.
    pub(crate) async fn write_alone<T, F>(&self, ws: Uuid, actor: Actor, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'a> FnOnce(&'a mut Tx) -> BoxFuture<'a, Result<T>> + Send + 'static,
    {
        self.checked_plain(ws, actor, true, f).await
    }

    /// A write in `ws` that records no event, checked against `actor`'s role; `alone` runs
    /// it in a batch of its own.
    async fn checked_plain<T, F>(&self, ws: Uuid, actor: Actor, alone: bool, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'a> FnOnce(&'a mut Tx) -> BoxFuture<'a, Result<T>> + Send + 'static,
    {
        let spec = WriteSpec {
            seq_of: None,
            actor: actor.caller.user_id,
            check: Some((ws, actor)),
            alone,
        };
        self.run(None, spec, Body::Plain(Box::new(f))).await
    }

    /// Runs `f` as a write no caller's role guards, outside any workspace's queue, that
    /// records no event: registration (which makes the workspace), and the webhook
    /// worker's own bookkeeping (leases, attempts, positions).
    pub(crate) async fn write_unchecked<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'a> FnOnce(&'a mut Tx) -> BoxFuture<'a, Result<T>> + Send + 'static,
    {
        let spec = WriteSpec {
            seq_of: None,
            actor: Uuid::nil(),
            check: None,
            alone: false,
        };
        self.run(None, spec, Body::Plain(Box::new(f))).await
    }

    async fn run<T: Send + 'static>(
        &self,
        gate_of: Option<Uuid>,
        spec: WriteSpec,
        body: Body<T>,
    ) -> Result<T> {
        self.writer
            .clone()
            .run(self.gates.gate(gate_of), spec, body)
            .await
    }

    /// Whether another write holds or waits for the gate of writes outside a workspace
    /// (on SQLite, the one gate of every write).
    pub(crate) fn others_writing(&self) -> bool {
        self.gates.gate(None).busy()
    }

    #[must_use]
    pub fn backend(&self) -> sea_orm::DatabaseBackend {
        self.db.get_database_backend()
    }

    /// A read transaction whose statements all see one snapshot: on PostgreSQL repeatable
    /// read (read committed takes one per statement); SQLite's is one already.
    pub(crate) async fn snapshot(&self) -> Result<sea_orm::DatabaseTransaction> {
        Ok(if self.backend() == sea_orm::DatabaseBackend::Postgres {
            self.db
                .begin_with_config(
                    Some(sea_orm::IsolationLevel::RepeatableRead),
                    Some(sea_orm::AccessMode::ReadOnly),
                )
                .await?
        } else {
            self.db.begin().await?
        })
    }
}

/// Connection pool occupancy, for `/metrics`.
#[derive(Debug, Clone, Copy, Default)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

impl Store {
    #[must_use]
    pub fn pool_stats(&self) -> PoolStats {
        let idle = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        match self.db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                let p = self.db.get_postgres_connection_pool();
                PoolStats {
                    size: p.size(),
                    idle: idle(p.num_idle()),
                    max: p.options().get_max_connections(),
                }
            }
            sea_orm::DatabaseBackend::Sqlite => {
                let p = self.db.get_sqlite_connection_pool();
                PoolStats {
                    size: p.size(),
                    idle: idle(p.num_idle()),
                    max: p.options().get_max_connections(),
                }
            }
            _ => PoolStats::default(),
        }
    }
}
