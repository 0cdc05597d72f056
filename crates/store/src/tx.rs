//! The write transaction every mutation goes through: it allocates the workspace's next
//! `seq` first (which also serialises the workspace's writers), writes the entity, its
//! activity row and its event rows, and hands the events to the sink only after commit.

use crate::entity::{activity, event, workspace};
use crate::error::{Result, StoreError};
use chrono::{DateTime, Utc};
use kandid_domain::views::{EntityType, EventView};
use kandid_domain::{Action, EventType};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, ExprTrait,
    QueryFilter, TransactionTrait,
};
use serde_json::Value;
use std::sync::Arc;
use uuid::Uuid;

/// A committed event and the rooms (names inside its workspace) it is delivered to.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub workspace_id: Uuid,
    pub rooms: Vec<String>,
    pub event: EventView,
}

/// Receives events after their transaction committed. `reserve` is called as soon as a
/// transaction holds a seq (before commit) and each reserved seq ends in exactly one
/// `publish` or `cancel`, so a receiver can release a workspace's events in seq order.
pub trait EventSink: Send + Sync + 'static {
    fn reserve(&self, workspace_id: Uuid, seq: i64);
    fn cancel(&self, workspace_id: Uuid, seq: i64);
    fn publish(&self, event: StoredEvent);
}

/// Current time at millisecond precision, identical on SQLite and PostgreSQL round trips.
#[must_use]
pub fn now() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
}

pub(crate) struct WriteTx {
    pub txn: DatabaseTransaction,
    pub ws: Uuid,
    pub actor: Uuid,
    pub now: DateTime<Utc>,
    sink: Arc<dyn EventSink>,
    reserved: Reservations,
    /// This workspace's write turn (see `WriteGates`), released when the transaction ends.
    _turn: tokio::sync::OwnedMutexGuard<()>,
    /// A reserved seq no event has taken yet.
    unused: Option<i64>,
    events: Vec<StoredEvent>,
}

impl WriteTx {
    pub async fn begin(
        db: &DatabaseConnection,
        sink: &Arc<dyn EventSink>,
        ws: Uuid,
        actor: Uuid,
        turn: tokio::sync::OwnedMutexGuard<()>,
    ) -> Result<Self> {
        let txn = db.begin().await?;
        let mut tx = WriteTx {
            txn,
            ws,
            actor,
            now: now(),
            sink: Arc::clone(sink),
            reserved: Reservations {
                sink: Arc::clone(sink),
                ws,
                seqs: Vec::new(),
            },
            _turn: turn,
            unused: None,
            events: Vec::new(),
        };
        let seq = tx.bump().await?;
        tx.unused = Some(seq);
        // Taken once the workspace's row lock is held, so times follow seq order.
        tx.now = now();
        Ok(tx)
    }

    /// `UPDATE ... SET last_seq = last_seq + 1 RETURNING last_seq`: the row lock it takes is
    /// held until commit, so seqs are handed out in commit order.
    async fn bump(&mut self) -> Result<i64> {
        let rows = workspace::Entity::update_many()
            .col_expr(
                workspace::Column::LastSeq,
                Expr::col(workspace::Column::LastSeq).add(1),
            )
            .filter(workspace::Column::Id.eq(self.ws))
            .exec_with_returning(&self.txn)
            .await?;
        let seq = rows
            .first()
            .map(|w| w.last_seq)
            .ok_or(StoreError::UnknownWorkspace)?;
        self.sink.reserve(self.ws, seq);
        self.reserved.seqs.push(seq);
        Ok(seq)
    }

    pub async fn activity(
        &self,
        entity_type: EntityType,
        entity_id: Option<Uuid>,
        campaign_id: Option<Uuid>,
        action: Action,
        changes: Value,
    ) -> Result<()> {
        activity::Entity::insert(activity::ActiveModel {
            id: Set(Uuid::now_v7()),
            workspace_id: Set(self.ws),
            actor_id: Set(self.actor),
            entity_type: Set(entity_type.as_str().to_owned()),
            entity_id: Set(entity_id),
            campaign_id: Set(campaign_id),
            action: Set(action.as_str().to_owned()),
            changes: Set(changes),
            created_at: Set(self.now),
        })
        .exec_without_returning(&self.txn)
        .await?;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn event(
        &mut self,
        event_type: EventType,
        action: Action,
        id: Option<Uuid>,
        campaign_id: Option<Uuid>,
        data: Value,
        changes: Vec<String>,
        count: i64,
        rooms: Vec<String>,
    ) -> Result<()> {
        let seq = match self.unused.take() {
            Some(s) => s,
            None => self.bump().await?,
        };
        event::Entity::insert(event::ActiveModel {
            workspace_id: Set(self.ws),
            seq: Set(seq),
            event_type: Set(event_type.as_str().to_owned()),
            action: Set(action.as_str().to_owned()),
            entity_id: Set(id),
            campaign_id: Set(campaign_id),
            data: Set(if Value::is_null(&data) {
                None
            } else {
                Some(data.clone())
            }),
            changes: Set(Value::from(changes.clone())),
            count: Set(count),
            actor_id: Set(self.actor),
            rooms: Set(Value::from(rooms.clone())),
            created_at: Set(self.now),
        })
        .exec_without_returning(&self.txn)
        .await?;
        self.events.push(StoredEvent {
            workspace_id: self.ws,
            rooms,
            event: EventView {
                seq,
                event_type,
                action,
                id,
                campaign_id,
                data,
                changes,
                count,
                actor_id: self.actor,
                at: self.now,
            },
        });
        Ok(())
    }

    /// Commits and then publishes the events. A transaction that wrote no event is rolled
    /// back instead, so no seq is ever skipped.
    ///
    /// Commit and publication run in a task of their own: if the request is abandoned (the
    /// client went away) while the commit is in flight, the commit still finishes and its
    /// events are still published, instead of being cancelled after the database kept them.
    pub async fn commit(self) -> Result<()> {
        if self.unused.is_some() {
            return Err(StoreError::Corrupt(
                "write transaction committed without an event".into(),
            ));
        }
        let WriteTx {
            txn,
            sink,
            mut reserved,
            _turn,
            events,
            ..
        } = self;
        let finish = tokio::spawn(async move {
            let _turn = _turn;
            txn.commit().await?;
            reserved.seqs.clear();
            for e in events {
                sink.publish(e);
            }
            Ok(())
        });
        finish
            .await
            .map_err(|e| StoreError::Corrupt(format!("commit task failed: {e}")))?
    }
}

/// Seqs reserved with the sink and not yet published: cancelled when the transaction is
/// dropped without committing (or its commit failed), so nothing uncommitted is announced.
struct Reservations {
    sink: Arc<dyn EventSink>,
    ws: Uuid,
    seqs: Vec<i64>,
}

impl Drop for Reservations {
    fn drop(&mut self) {
        for seq in self.seqs.drain(..) {
            self.sink.cancel(self.ws, seq);
        }
    }
}
