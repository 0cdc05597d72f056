//! The write path every mutation goes through: group commit.
//!
//! Writers of one workspace (of the whole database on SQLite, which has one writer) queue
//! on a gate. Whoever holds the gate runs its write in a savepoint of the gate's open
//! batch transaction: a write that fails rolls back its savepoint alone and gets its own
//! error. A write allocates the workspace's next `seq` first (an `UPDATE … RETURNING` of
//! the workspace's counter row, rolled back with the savepoint if the write fails, so seqs
//! stay gapless), then writes its entity; its activity and event rows are inserted for the
//! whole batch, a multi-row INSERT each, just before the commit. When nobody else is
//! waiting (or the batch is full or old), the holder commits the batch once, publishes its
//! events in seq order and answers every write of the batch. Events are handed to the sink
//! only after that commit; if the commit fails, every write of the batch gets the error
//! and nothing is announced.

use crate::access::{AccessCache, AccessChange, Actor, Revoked, Subject, role_in};
use crate::cluster;
use crate::entity::{activity, event, workspace};
use crate::error::{Result, StoreError, is_unavailable};
use chrono::{DateTime, Utc};
use kandid_domain::views::{EntityType, EventView};
use kandid_domain::{Action, EventType, Role, Room};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    DbBackend, DbErr, EntityTrait, ExprTrait, QueryFilter, QuerySelect, SqliteTransactionMode,
    Statement, TransactionOptions, TransactionTrait,
};
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;
use uuid::Uuid;

/// A committed event and the rooms (names inside its workspace) it is delivered to.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub workspace_id: Uuid,
    /// The rooms recorded on the event row, which `sync` matches.
    pub rooms: Vec<String>,
    /// Rooms that hear of it live too but are not recorded on the row, so that it stays
    /// small: the lead rooms of a bulk deletion (`sync` finds those through the
    /// `deleted_leads` table).
    pub live_only_rooms: Vec<String>,
    pub event: EventView,
}

/// Receives events after their transaction committed. `reserve` is called as soon as a
/// write holds a seq in a batch not yet committed, and each reserved seq ends in exactly
/// one `publish` or `cancel`, so a receiver can release a workspace's events in seq order.
pub trait EventSink: Send + Sync + 'static {
    fn reserve(&self, workspace_id: Uuid, seq: i64);
    fn cancel(&self, workspace_id: Uuid, seq: i64);
    fn publish(&self, event: StoredEvent);
    /// A member was removed or a token revoked, and that is committed: end its sessions.
    /// Called after the batch's events are published.
    fn revoke(&self, revoked: Revoked);
}

/// An event a write records: what happened, to what, and who hears of it.
#[derive(Debug, Clone)]
pub(crate) struct NewEvent {
    pub event_type: EventType,
    pub action: Action,
    pub id: Option<Uuid>,
    pub campaign_id: Option<Uuid>,
    pub data: Value,
    pub changes: Vec<String>,
    pub count: i64,
    pub rooms: Vec<Room>,
    /// See `StoredEvent::live_only_rooms`.
    pub live_only_rooms: Vec<Room>,
}

/// Current time at millisecond precision, identical on SQLite and PostgreSQL round trips.
#[must_use]
pub fn now() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
}

/// Writes joining an open batch before it commits anyway, and how long it may stay open:
/// a steady stream of writers must not keep it open (and its events unannounced) forever.
const MAX_BATCH_WRITES: usize = 256;
const MAX_BATCH_AGE: Duration = Duration::from_millis(20);

/// The body of one write: runs against its savepoint, returns the request's answer.
pub(crate) type WriteFn<T> =
    Box<dyn for<'a> FnOnce(&'a mut WriteTx) -> BoxFuture<'a, Result<T>> + Send>;
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a write is, before it runs.
pub(crate) struct WriteSpec {
    /// The workspace whose next seq the write takes (it records an event there); `None`
    /// for a write that records no event.
    pub seq_of: Option<Uuid>,
    /// Who appears as the actor of its activity and event rows.
    pub actor: Uuid,
    /// The workspace and caller whose role is checked inside the write's transaction,
    /// before `f` runs; `None` for writes no role guards (registration, joining).
    pub check: Option<(Uuid, Actor)>,
}

/// One write inside a batch: its savepoint, workspace, actor and the time it is made at.
pub(crate) struct WriteTx {
    pub txn: DatabaseTransaction,
    pub ws: Uuid,
    pub actor: Uuid,
    /// The caller's effective role as this transaction sees it, when the write is checked.
    pub role: Option<Role>,
    pub now: DateTime<Utc>,
    /// A seq allocated that no event has taken yet: a write that ends with one unused
    /// changed nothing and is rolled back.
    unused: Option<i64>,
    events: Vec<StoredEvent>,
    access: Vec<AccessChange>,
    rows: LogRows,
}

/// Activity and event rows of a write, inserted for the whole batch at once just before
/// its commit: two statements per batch instead of two per write.
#[derive(Default)]
struct LogRows {
    activities: Vec<activity::ActiveModel>,
    events: Vec<event::ActiveModel>,
}

/// Rows per multi-row INSERT of log rows: 12 columns each stays far below SQLite's and
/// PostgreSQL's bind-parameter limits.
const LOG_INSERT_CHUNK: usize = 500;

impl LogRows {
    fn extend(&mut self, other: LogRows) {
        self.activities.extend(other.activities);
        self.events.extend(other.events);
    }

    async fn insert(self, txn: &DatabaseTransaction) -> std::result::Result<(), DbErr> {
        let mut activities = self.activities.into_iter().peekable();
        while activities.peek().is_some() {
            activity::Entity::insert_many(activities.by_ref().take(LOG_INSERT_CHUNK))
                .exec_without_returning(txn)
                .await?;
        }
        let mut events = self.events.into_iter().peekable();
        while events.peek().is_some() {
            event::Entity::insert_many(events.by_ref().take(LOG_INSERT_CHUNK))
                .exec_without_returning(txn)
                .await?;
        }
        Ok(())
    }
}

impl WriteTx {
    /// Records that the write changes `subject`'s access to workspace `ws`: once the batch
    /// commits, the cached role is dropped and, when `revoked`, live sessions are ended.
    pub fn access_changed(&mut self, ws: Uuid, subject: Subject, revoked: bool) {
        self.access.push(AccessChange {
            workspace_id: ws,
            subject,
            revoked,
        });
    }

    /// `UPDATE ... SET last_seq = last_seq + 1 RETURNING last_seq`. On PostgreSQL the row
    /// lock it takes is held until the batch commits, so seqs are handed out in commit
    /// order across nodes.
    async fn bump(&mut self) -> Result<i64> {
        let rows = workspace::Entity::update_many()
            .col_expr(
                workspace::Column::LastSeq,
                Expr::col(workspace::Column::LastSeq).add(1),
            )
            .filter(workspace::Column::Id.eq(self.ws))
            .exec_with_returning(&self.txn)
            .await?;
        rows.first()
            .map(|w| w.last_seq)
            .ok_or(StoreError::UnknownWorkspace)
    }

    /// Locks the workspace's row until the batch commits, as taking a seq does, for a write
    /// that records no event (PostgreSQL; SQLite has one writer at a time).
    async fn lock_workspace(&self, ws: Uuid) -> Result<()> {
        if self.txn.get_database_backend() == DbBackend::Postgres {
            workspace::Entity::find_by_id(ws)
                .lock_exclusive()
                .one(&self.txn)
                .await?
                .ok_or(StoreError::UnknownWorkspace)?;
        }
        Ok(())
    }

    /// Records an activity row; it is inserted with the rest of the batch's rows.
    pub async fn activity(
        &mut self,
        entity_type: EntityType,
        entity_id: Option<Uuid>,
        campaign_id: Option<Uuid>,
        action: Action,
        changes: Value,
    ) -> Result<()> {
        self.rows.activities.push(activity::ActiveModel {
            id: Set(Uuid::now_v7()),
            workspace_id: Set(self.ws),
            actor_id: Set(self.actor),
            entity_type: Set(entity_type.as_str().to_owned()),
            entity_id: Set(entity_id),
            campaign_id: Set(campaign_id),
            action: Set(action.as_str().to_owned()),
            changes: Set(changes),
            created_at: Set(self.now),
        });
        Ok(())
    }

    /// Appends an event to the workspace's log under the write's next seq; returns the seq.
    /// The row is inserted with the rest of the batch's rows.
    pub async fn event(&mut self, e: NewEvent) -> Result<i64> {
        let seq = match self.unused.take() {
            Some(s) => s,
            None => self.bump().await?,
        };
        let rooms: Vec<String> = e.rooms.iter().map(|r| r.name()).collect();
        self.rows.events.push(event::ActiveModel {
            workspace_id: Set(self.ws),
            seq: Set(seq),
            event_type: Set(e.event_type.as_str().to_owned()),
            action: Set(e.action.as_str().to_owned()),
            entity_id: Set(e.id),
            campaign_id: Set(e.campaign_id),
            data: Set(if Value::is_null(&e.data) {
                None
            } else {
                Some(e.data.clone())
            }),
            changes: Set(Value::from(e.changes.clone())),
            count: Set(e.count),
            actor_id: Set(self.actor),
            rooms: Set(Value::from(rooms.clone())),
            created_at: Set(self.now),
        });
        self.events.push(StoredEvent {
            workspace_id: self.ws,
            rooms,
            live_only_rooms: e.live_only_rooms.iter().map(|r| r.name()).collect(),
            event: EventView {
                seq,
                event_type: e.event_type,
                action: e.action,
                id: e.id,
                campaign_id: e.campaign_id,
                data: e.data,
                changes: e.changes,
                count: e.count,
                actor_id: self.actor,
                at: self.now,
            },
        });
        Ok(seq)
    }
}

/// The open transaction of a gate and the writes that wait for it to commit.
struct Batch {
    txn: DatabaseTransaction,
    opened: Instant,
    writes: usize,
    events: Vec<StoredEvent>,
    waiters: Vec<oneshot::Sender<Result<()>>>,
    access: Vec<AccessChange>,
    rows: LogRows,
    /// A savepoint could not be begun, released or rolled back: the connection's state is
    /// unknown, so the batch is rolled back instead of committed. The cause, and whether it
    /// means the database is unreachable.
    broken: Option<(String, bool)>,
}

/// Where writers queue: the open batch, and how many writers wait for it.
#[derive(Default)]
pub(crate) struct Gate {
    batch: tokio::sync::Mutex<Option<Batch>>,
    waiting: AtomicUsize,
}

/// How a write left the batch: answered now, or once the batch commits.
enum Outcome<T> {
    Done(Result<T>),
    Pending(T, oneshot::Receiver<Result<()>>),
}

/// Counts of the write path, for `/metrics`: how well group commit groups.
#[derive(Clone)]
pub struct WriteMetrics {
    committed: Counter,
    failed: Counter,
    writes: Histogram,
}

impl Default for WriteMetrics {
    fn default() -> Self {
        Self {
            committed: Counter::default(),
            failed: Counter::default(),
            writes: Histogram::new(exponential_buckets(1.0, 2.0, 10)),
        }
    }
}

impl WriteMetrics {
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "kandid_db_write_batches_committed",
            "Write batches (database transactions shared by concurrent writes) committed",
            self.committed.clone(),
        );
        registry.register(
            "kandid_db_write_batches_failed",
            "Write batches whose COMMIT failed (each of their writes got the error)",
            self.failed.clone(),
        );
        registry.register(
            "kandid_db_writes_per_batch",
            "Writes that shared one commit",
            self.writes.clone(),
        );
    }
}

/// What the write path needs from the store, cheap to clone into the task that runs it.
#[derive(Clone)]
pub(crate) struct Writer {
    pub db: DatabaseConnection,
    pub sink: Arc<dyn EventSink>,
    pub timeout: Duration,
    pub metrics: WriteMetrics,
    pub access: Arc<AccessCache>,
    /// This process, named in its access notifications.
    pub node: Uuid,
}

impl Writer {
    /// Runs `f` as one write of `gate`'s batch (in workspace `ws` when given: its seq is
    /// allocated before `f` runs) and answers once the batch committed.
    ///
    /// It runs in a task of its own: a request abandoned by its client cannot cancel a write
    /// halfway, nor the commit of a batch other requests wait for.
    pub async fn run<T: Send + 'static>(
        self,
        gate: Arc<Gate>,
        spec: WriteSpec,
        f: WriteFn<T>,
    ) -> Result<T> {
        tokio::spawn(async move { self.run_here(gate, spec, f).await })
            .await
            .map_err(|e| StoreError::Corrupt(format!("write task failed: {e}")))?
    }

    async fn run_here<T>(self, gate: Arc<Gate>, spec: WriteSpec, f: WriteFn<T>) -> Result<T> {
        gate.waiting.fetch_add(1, Ordering::SeqCst);
        let locked = tokio::time::timeout(self.timeout, gate.batch.lock()).await;
        gate.waiting.fetch_sub(1, Ordering::SeqCst);
        let Ok(mut slot) = locked else {
            // The holder may have left the batch open for us: commit it if nobody else will.
            if gate.waiting.load(Ordering::SeqCst) == 0 {
                let (gate, writer) = (Arc::clone(&gate), self.clone());
                tokio::spawn(async move { writer.flush(&mut *gate.batch.lock().await).await });
            }
            return Err(StoreError::Busy);
        };
        if slot.is_none() {
            *slot = Some(self.open_batch().await?);
        }
        let Some(batch) = slot.as_mut() else {
            return Err(StoreError::Corrupt("no open batch".into()));
        };
        let outcome = self.run_in(batch, spec, f).await;
        let due = batch.broken.is_some()
            || batch.writes >= MAX_BATCH_WRITES
            || batch.opened.elapsed() >= MAX_BATCH_AGE
            || gate.waiting.load(Ordering::SeqCst) == 0;
        if due {
            self.flush(&mut slot).await;
        }
        drop(slot);
        match outcome {
            Outcome::Done(r) => r,
            Outcome::Pending(v, committed) => {
                committed
                    .await
                    .map_err(|_| StoreError::Corrupt("batch ended without an answer".into()))??;
                Ok(v)
            }
        }
    }

    async fn open_batch(&self) -> Result<Batch> {
        // IMMEDIATE takes SQLite's write lock at once rather than at the first write, so
        // another process writing cannot make the upgrade fail halfway through a batch.
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let txn = tokio::time::timeout(self.timeout, self.db.begin_with_options(options))
            .await
            .map_err(|_| StoreError::Busy)??;
        Ok(Batch {
            txn,
            opened: Instant::now(),
            writes: 0,
            events: Vec::new(),
            waiters: Vec::new(),
            access: Vec::new(),
            rows: LogRows::default(),
            broken: None,
        })
    }

    async fn run_in<T>(&self, batch: &mut Batch, spec: WriteSpec, f: WriteFn<T>) -> Outcome<T> {
        let txn = match batch.txn.begin().await {
            Ok(t) => t,
            Err(e) => {
                batch.broken = Some((e.to_string(), is_unavailable(&e)));
                return Outcome::Done(Err(e.into()));
            }
        };
        let WriteSpec {
            seq_of,
            actor,
            check,
        } = spec;
        let mut tx = WriteTx {
            txn,
            ws: seq_of.or(check.map(|(ws, _)| ws)).unwrap_or_default(),
            actor,
            role: None,
            now: now(),
            unused: None,
            events: Vec::new(),
            access: Vec::new(),
            rows: LogRows::default(),
        };
        let result = async {
            if seq_of.is_some() {
                tx.unused = Some(tx.bump().await?);
                // Taken once the workspace's counter is ours, so times follow seq order.
                tx.now = now();
            }
            if let Some((ws, who)) = check {
                // Read once the workspace's row is locked: every change of a membership or
                // a token takes that lock too (a seq, or `lock_workspace`), so on PostgreSQL
                // this read waits for one in flight and sees it committed, and none commits
                // between this check and this write. (SQLite has one writer at a time.)
                if seq_of.is_none() {
                    tx.lock_workspace(ws).await?;
                }
                let role = role_in(&tx.txn, ws, who.caller, tx.now).await?;
                match role {
                    None => return Err(StoreError::Unauthorized),
                    Some(r) if !r.at_least(who.need) => return Err(StoreError::Forbidden),
                    Some(r) => tx.role = Some(r),
                }
            }
            f(&mut tx).await
        }
        .await;
        let WriteTx {
            txn,
            unused,
            events,
            access,
            rows,
            ..
        } = tx;
        // A write that failed, or allocated a seq and recorded nothing, leaves no trace.
        let keep = result.is_ok() && unused.is_none();
        let ended = if keep {
            txn.commit().await
        } else {
            txn.rollback().await
        };
        if let Err(e) = ended {
            batch.broken = Some((e.to_string(), is_unavailable(&e)));
            return Outcome::Done(Err(e.into()));
        }
        match result {
            Ok(v) if keep => {
                for e in &events {
                    self.sink.reserve(e.workspace_id, e.event.seq);
                }
                batch.events.extend(events);
                batch.access.extend(access);
                batch.rows.extend(rows);
                batch.writes += 1;
                let (tx, rx) = oneshot::channel();
                batch.waiters.push(tx);
                Outcome::Pending(v, rx)
            }
            r => Outcome::Done(r),
        }
    }
}

/// On PostgreSQL, tells the other nodes (see `cluster`) what the batch commits: the last
/// seq of each workspace it appended to, and each change of access. Sent inside the
/// transaction, a notification is delivered only if and once the commit is.
async fn notify(
    txn: &DatabaseTransaction,
    node: Uuid,
    events: &[StoredEvent],
    access: &[AccessChange],
) -> std::result::Result<(), DbErr> {
    if txn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let mut last: HashMap<Uuid, i64> = HashMap::new();
    for e in events {
        let seq = last.entry(e.workspace_id).or_default();
        *seq = Ord::max(*seq, e.event.seq);
    }
    let signals = last
        .into_iter()
        .map(|(ws, seq)| (cluster::EVENTS_CHANNEL, cluster::events_payload(ws, seq)))
        .chain(access.iter().map(|a| {
            (
                cluster::ACCESS_CHANNEL,
                cluster::access_payload(node, a.workspace_id, a.subject, a.revoked),
            )
        }));
    for (channel, payload) in signals {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [channel.into(), payload.into()],
        ))
        .await?;
    }
    Ok(())
}

impl Writer {
    /// Commits the open batch (if any), then publishes its events, applies its access
    /// changes and answers its writes.
    async fn flush(&self, slot: &mut Option<Batch>) {
        let (sink, metrics) = (&*self.sink, &self.metrics);
        let Some(b) = slot.take() else { return };
        #[allow(clippy::cast_precision_loss)] // a batch holds at most MAX_BATCH_WRITES writes
        metrics.writes.observe(b.writes as f64);
        let result = match b.broken {
            None => {
                let logged = match b.rows.insert(&b.txn).await {
                    Ok(()) => notify(&b.txn, self.node, &b.events, &b.access).await,
                    e => e,
                };
                let committed = match logged {
                    Ok(()) => b.txn.commit().await,
                    Err(e) => {
                        let _ = b.txn.rollback().await;
                        Err(e)
                    }
                };
                committed.map_err(|e| {
                    let unavailable = is_unavailable(&e);
                    (e.to_string(), unavailable)
                })
            }
            Some(cause) => {
                let _ = b.txn.rollback().await;
                Err(cause)
            }
        };
        match result {
            Ok(()) => {
                metrics.committed.inc();
                for e in b.events {
                    sink.publish(e);
                }
                for a in b.access {
                    self.access.invalidate(a.workspace_id, a.subject);
                    if a.revoked {
                        sink.revoke(Revoked {
                            workspace_id: a.workspace_id,
                            subject: a.subject,
                        });
                    }
                }
                for w in b.waiters {
                    let _ = w.send(Ok(()));
                }
            }
            Err((cause, unavailable)) => {
                metrics.failed.inc();
                tracing::warn!(error = %cause, writes = b.writes, "write batch did not commit");
                for e in &b.events {
                    sink.cancel(e.workspace_id, e.event.seq);
                }
                for w in b.waiters {
                    let err = DbErr::Custom(cause.clone());
                    let _ = w.send(Err(if unavailable {
                        StoreError::Unavailable(err)
                    } else {
                        StoreError::Db(err)
                    }));
                }
            }
        }
    }
}
