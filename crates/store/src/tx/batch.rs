//! Group commit: how writes share a transaction.
//!
//! Writers of one workspace (of the whole database on SQLite, which has one writer) queue
//! on a gate. Whoever holds the gate runs its write in a savepoint of the gate's open
//! batch transaction: a write that fails rolls back its savepoint alone and gets its own
//! error. A recording write allocates the workspace's next `seq` first (an `UPDATE …
//! RETURNING` of the workspace's counter row, rolled back with the savepoint if the write
//! fails or changes nothing, so seqs stay gapless), then writes its entity; its activity
//! and event rows are inserted for the whole batch, a multi-row INSERT each, just before
//! the commit. When nobody else is waiting (or the batch is full or old), the holder
//! commits the batch once, publishes its events in seq order and answers every write of
//! the batch. Events are handed to the sink only after that commit; if the commit fails,
//! every write of the batch gets the error and nothing is announced.

use super::metrics::WriteMetrics;
use super::notify::notify;
use super::{EventSink, Kind, Mutation, Outcome, PlainWrite, StoredEvent, Tx, WriteTx, now};
use crate::access::{AccessCache, AccessChange, Actor, Revoked, role_in};
use crate::entity::{activity, event};
use crate::error::{Result, StoreError, is_unavailable};
use crate::sqlite_writer::WriteThread;
use futures::FutureExt;
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;
use uuid::Uuid;

/// Writes joining an open batch before it commits anyway, and how long it may stay open:
/// a steady stream of writers must not keep it open (and its events unannounced) forever.
const MAX_BATCH_WRITES: usize = 256;
const MAX_BATCH_AGE: Duration = Duration::from_millis(20);

/// What a write runs: a mutation that records its changes, or a write that records none.
pub(crate) enum Body<T> {
    Recording(Mutation<T>),
    Plain(PlainWrite<T>),
}

/// What a write is, before it runs.
pub(crate) struct WriteSpec {
    /// The workspace whose next seq the write takes before it runs (it records events
    /// there); `None` for a write that records none.
    pub seq_of: Option<Uuid>,
    /// Who appears as the actor of its activity and event rows.
    pub actor: Uuid,
    /// The workspace and caller whose role is checked inside the write's transaction,
    /// before the body runs; `None` for writes no role guards (registration, joining, the
    /// webhook worker's bookkeeping).
    pub check: Option<(Uuid, Actor)>,
    /// A long write (a chunk of an import's rows) runs in a batch of its own: writes that
    /// ran before it are committed and answered first, not kept waiting for it.
    pub alone: bool,
}

/// Activity and event rows of a write, inserted for the whole batch at once just before
/// its commit: two statements per batch instead of two per write.
#[derive(Default)]
pub(super) struct LogRows {
    pub activities: Vec<activity::ActiveModel>,
    pub events: Vec<event::ActiveModel>,
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

impl Gate {
    /// Whether another write holds the gate or waits for it.
    pub(crate) fn busy(&self) -> bool {
        self.waiting.load(Ordering::SeqCst) > 0 || self.batch.try_lock().is_err()
    }
}

/// How a write left the batch: answered now, or once the batch commits.
enum Left<T> {
    Done(Result<T>),
    Pending(T, oneshot::Receiver<Result<()>>),
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
    /// On SQLite, the writer thread whose connection `db` is: every write runs there.
    pub sqlite: Option<Arc<WriteThread>>,
}

impl Writer {
    /// Runs `body` as one write of `gate`'s batch and answers once the batch committed
    /// (at once when it changed nothing).
    ///
    /// It runs in a task of its own: a request abandoned by its client cannot cancel a write
    /// halfway, nor the commit of a batch other requests wait for.
    pub async fn run<T: Send + 'static>(
        self,
        gate: Arc<Gate>,
        spec: WriteSpec,
        body: Body<T>,
    ) -> Result<T> {
        // Taken here, not where the write runs: SQLite's writer thread may be held up before
        // it gets to this write.
        let deadline = Instant::now() + self.timeout;
        let thread = self.sqlite.clone();
        let write = async move { self.run_here(gate, spec, body, deadline).await };
        let task = match thread {
            Some(thread) => thread.runtime().spawn(write),
            None => tokio::spawn(write),
        };
        task.await
            .map_err(|e| StoreError::Corrupt(format!("write task failed: {e}")))?
    }

    /// Why the last transaction statement on SQLite's writer failed, if it did (see
    /// `WriteThread::take_failure`); nothing on PostgreSQL, whose driver reports it.
    fn failure(&self) -> std::result::Result<(), DbErr> {
        self.sqlite.as_ref().map_or(Ok(()), |t| t.take_failure())
    }

    /// Runs the write in the gate's batch, unless it could not start by `deadline`.
    async fn run_here<T>(
        self,
        gate: Arc<Gate>,
        spec: WriteSpec,
        body: Body<T>,
        deadline: Instant,
    ) -> Result<T> {
        gate.waiting.fetch_add(1, Ordering::SeqCst);
        let locked = tokio::time::timeout_at(deadline.into(), gate.batch.lock()).await;
        gate.waiting.fetch_sub(1, Ordering::SeqCst);
        let mut slot = match locked {
            Ok(slot) if Instant::now() < deadline => slot,
            // The gate came after the deadline (the thread it runs on was held up, e.g. by a
            // lock another process kept): too late to start.
            Ok(mut slot) => {
                if gate.waiting.load(Ordering::SeqCst) == 0 {
                    self.flush(&mut slot).await;
                }
                return Err(StoreError::Busy);
            }
            Err(_) => {
                // The holder may have left the batch open for us: commit it if nobody else
                // will.
                if gate.waiting.load(Ordering::SeqCst) == 0 {
                    let (gate, writer) = (Arc::clone(&gate), self.clone());
                    tokio::spawn(async move { writer.flush(&mut *gate.batch.lock().await).await });
                }
                return Err(StoreError::Busy);
            }
        };
        if spec.alone {
            self.flush(&mut slot).await;
        }
        if slot.is_none() {
            *slot = Some(self.open_batch(deadline).await?);
        }
        let Some(batch) = slot.as_mut() else {
            return Err(StoreError::Corrupt("no open batch".into()));
        };
        let alone = spec.alone;
        let left = self.run_in(batch, spec, body).await;
        if self.sqlite.is_some() {
            // On the writer's thread a write runs without yielding: let the writes handed
            // to it meanwhile queue at the gate, so that they join this batch.
            tokio::task::yield_now().await;
        }
        let due = alone
            || batch.broken.is_some()
            || batch.writes >= MAX_BATCH_WRITES
            || batch.opened.elapsed() >= MAX_BATCH_AGE
            || gate.waiting.load(Ordering::SeqCst) == 0;
        if due {
            self.flush(&mut slot).await;
        }
        drop(slot);
        match left {
            Left::Done(r) => r,
            Left::Pending(v, committed) => {
                committed
                    .await
                    .map_err(|_| StoreError::Corrupt("batch ended without an answer".into()))??;
                Ok(v)
            }
        }
    }

    /// Begins a batch for a write due by `deadline`.
    async fn open_batch(&self, deadline: Instant) -> Result<Batch> {
        if let Some(thread) = &self.sqlite {
            // SQLite waits for another process's lock inside the call, holding the writer's
            // thread: no longer than the write may wait.
            thread.wait_for_locks_until(deadline);
        }
        // IMMEDIATE takes SQLite's write lock at once rather than at the first write, so
        // another process writing cannot make the upgrade fail halfway through a batch.
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let txn = tokio::time::timeout(self.timeout, self.db.begin_with_options(options))
            .await
            .map_err(|_| StoreError::Busy)??;
        if let Err(e) = self.failure() {
            drop(txn);
            let _ = self.failure();
            return Err(e.into());
        }
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

    async fn run_in<T>(&self, batch: &mut Batch, spec: WriteSpec, body: Body<T>) -> Left<T> {
        let txn = match batch
            .txn
            .begin()
            .await
            .and_then(|t| self.failure().map(|()| t))
        {
            Ok(t) => t,
            Err(e) => {
                batch.broken = Some((e.to_string(), is_unavailable(&e)));
                return Left::Done(Err(e.into()));
            }
        };
        let WriteSpec {
            seq_of,
            actor,
            check,
            alone: _,
        } = spec;
        let mut w = WriteTx {
            tx: Tx {
                txn,
                ws: seq_of.or(check.map(|(ws, _)| ws)).unwrap_or_default(),
                actor,
                role: None,
                now: now(),
                access: Vec::new(),
            },
            unused: None,
            events: Vec::new(),
            rows: LogRows::default(),
        };
        // A panic in the body is this write's error: its savepoint is rolled back below and
        // the batch goes on, rather than the gate's task unwinding with the batch open.
        let result = AssertUnwindSafe(async {
            if seq_of.is_some() {
                w.unused = Some(w.tx.next_seq().await?);
                // Taken once the workspace's counter is ours, so times follow seq order.
                w.tx.now = now();
            }
            if let Some((_, who)) = check {
                // Read once the workspace's row is locked: every change of a membership or
                // a token takes that lock too (a seq, or `lock_workspace`), so on PostgreSQL
                // this read waits for one in flight and sees it committed, and none commits
                // between this check and this write. (SQLite has one writer at a time.)
                if seq_of.is_none() {
                    w.tx.lock_workspace().await?;
                }
                let role = role_in(&w.tx.txn, w.tx.ws, who.caller, w.tx.now).await?;
                match role {
                    None => return Err(StoreError::Unauthorized),
                    Some(r) if !r.at_least(who.need) => return Err(StoreError::Forbidden),
                    Some(r) => w.tx.role = Some(r),
                }
            }
            match body {
                Body::Recording(f) => f(&mut w).await,
                Body::Plain(f) => f(&mut w.tx).await.map(Outcome::without_event),
            }
        })
        .catch_unwind()
        .await
        .unwrap_or_else(|_| Err(StoreError::Corrupt("a write panicked".into())));
        let WriteTx {
            tx: Tx { txn, access, .. },
            unused,
            events,
            rows,
        } = w;
        // Kept: a write that recorded a change (its seq used), or one that records none by
        // design. A write that failed, or changed nothing, leaves no trace.
        let result = result.and_then(|o| match o.kind {
            Kind::Changed if unused.is_some() || events.is_empty() => Err(StoreError::Corrupt(
                "a write answered `changed` without recording a change".into(),
            )),
            Kind::Unchanged if !events.is_empty() => Err(StoreError::Corrupt(
                "a write recorded a change and answered `unchanged`".into(),
            )),
            Kind::WithoutEvent if seq_of.is_some() => Err(StoreError::Corrupt(
                "a write took a seq and recorded nothing".into(),
            )),
            kind => Ok((o.value, kind != Kind::Unchanged)),
        });
        let keep = matches!(result, Ok((_, true)));
        let ended = if keep {
            txn.commit().await
        } else {
            txn.rollback().await
        }
        .and_then(|()| self.failure());
        if let Err(e) = ended {
            batch.broken = Some((e.to_string(), is_unavailable(&e)));
            return Left::Done(Err(e.into()));
        }
        match result {
            Ok((v, true)) => {
                for e in &events {
                    self.sink.reserve(e.workspace_id, e.event.seq);
                }
                batch.events.extend(events);
                batch.access.extend(access);
                batch.rows.extend(rows);
                batch.writes += 1;
                let (tx, rx) = oneshot::channel();
                batch.waiters.push(tx);
                Left::Pending(v, rx)
            }
            Ok((v, false)) => Left::Done(Ok(v)),
            Err(e) => Left::Done(Err(e)),
        }
    }

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
                    Ok(()) => match crate::search_queue::apply(&b.txn).await {
                        Ok(()) => notify(&b.txn, self.node, &b.events, &b.access).await,
                        e => e,
                    },
                    e => e,
                };
                let committed = match logged {
                    Ok(()) => b.txn.commit().await.and_then(|()| self.failure()),
                    Err(e) => {
                        let _ = b.txn.rollback().await;
                        let _ = self.failure();
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
                let _ = self.failure();
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
