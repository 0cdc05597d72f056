//! Persistence of kandid: SeaORM entities, workspace-scoped queries, and the write
//! transaction that stores an entity, its activity row and its event together and
//! publishes the events only after commit.

pub mod entity;
pub mod error;
pub mod page;
pub mod tx;

mod accounts;
mod activities;
mod campaigns;
mod counts;
mod dashboard;
mod diff;
mod events;
mod leads;

pub use accounts::Account;
pub use campaigns::CampaignFilter;
pub use chrono::TimeDelta;
pub use error::{Result, StoreError};
pub use events::EventPage;
pub use leads::{ImportOutcome, LeadFilter};
pub use page::{Cursor, PageOf, PageRequest, Sort, SortField};
pub use tx::{EventSink, StoredEvent, now};

use sea_orm::DatabaseConnection;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// Handle on the database. Cheap to clone. Every query takes the caller's workspace.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    sink: Arc<dyn EventSink>,
    gates: Arc<WriteGates>,
}

type Gate = Arc<tokio::sync::Mutex<()>>;

/// Where writers queue before they take a database connection.
///
/// SQLite admits one writer at a time and makes the others poll with sleeps: one gate for
/// all, in FIFO order. On PostgreSQL a workspace's writers serialise on its counter row;
/// queueing them per workspace here keeps a burst in one workspace from holding every
/// pool connection while it waits on that row lock, starving the other workspaces.
enum WriteGates {
    Global(Gate),
    PerWorkspace(std::sync::Mutex<HashMap<Uuid, Gate>>),
}

impl WriteGates {
    fn gate(&self, ws: Uuid) -> Gate {
        match self {
            WriteGates::Global(g) => Arc::clone(g),
            WriteGates::PerWorkspace(map) => {
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

impl Store {
    #[must_use]
    pub fn new(db: DatabaseConnection, sink: Arc<dyn EventSink>) -> Self {
        let gates = if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
            WriteGates::Global(Gate::default())
        } else {
            WriteGates::PerWorkspace(std::sync::Mutex::default())
        };
        Self {
            db,
            sink,
            gates: Arc::new(gates),
        }
    }

    /// The single SQLite writer turn, for writes outside any workspace (registration).
    pub(crate) async fn global_turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match &*self.gates {
            WriteGates::Global(g) => Some(Arc::clone(g).lock_owned().await),
            WriteGates::PerWorkspace(_) => None,
        }
    }

    /// Waits for this workspace's turn to write; hold the guard until the transaction ends.
    pub(crate) async fn write_turn(&self, ws: Uuid) -> tokio::sync::OwnedMutexGuard<()> {
        self.gates.gate(ws).lock_owned().await
    }

    /// Round trip to the database, for readiness checks.
    pub async fn ping(&self) -> Result<()> {
        self.db.ping().await?;
        Ok(())
    }

    pub(crate) async fn write(&self, ws: Uuid, actor: Uuid) -> Result<tx::WriteTx> {
        let turn = self.write_turn(ws).await;
        tx::WriteTx::begin(&self.db, &self.sink, ws, actor, turn).await
    }

    #[must_use]
    pub fn backend(&self) -> sea_orm::DatabaseBackend {
        self.db.get_database_backend()
    }
}

/// Rooms (inside a workspace) that receive an event about a campaign.
#[must_use]
pub fn campaign_rooms(campaign_id: Uuid) -> Vec<String> {
    vec![
        "workspace".into(),
        "campaigns".into(),
        format!("campaign:{campaign_id}"),
    ]
}

/// Rooms that receive an event about a lead (or, without `lead_id`, a bulk lead event).
#[must_use]
pub fn lead_rooms(lead_id: Option<Uuid>, campaign_ids: &[Uuid]) -> Vec<String> {
    let mut rooms = vec!["workspace".to_owned(), "leads".to_owned()];
    for c in campaign_ids {
        let r = format!("campaign:{c}");
        if !rooms.contains(&r) {
            rooms.push(r);
        }
    }
    if let Some(id) = lead_id {
        rooms.push(format!("lead:{id}"));
    }
    rooms
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
