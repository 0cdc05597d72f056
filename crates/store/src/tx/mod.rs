//! The write path, as a mutation sees it.
//!
//! A mutation runs in a savepoint of a shared batch transaction (`batch`: group commit,
//! seq allocation, the authority check, publishing after commit). What it may do there:
//!
//! - read and write rows through `tx.txn`, as of `tx.now`, in workspace `tx.ws`;
//! - describe each change once, as a [`Change`], and hand it to [`WriteTx::record`], which
//!   takes the workspace's next seq and writes the activity row and the event together;
//! - answer with an [`Outcome`]: [`Outcome::changed`] with the proof a change was recorded,
//!   or [`Outcome::unchanged`], which rolls the savepoint back and gives the seq back.
//!
//! There is no third way to build an `Outcome`: a mutation that changes something without
//! recording it does not compile. Writes that never record an event (invitations, tokens,
//! webhooks, registration) get a plain [`Tx`], which has no `record`.

mod batch;
mod metrics;
mod notify;

pub(crate) use batch::{Body, Gate, WriteSpec, Writer};
pub use metrics::WriteMetrics;

use crate::access::{AccessChange, Revoked, Subject};
use crate::entity::{activity, event, workspace};
use crate::error::{Result, StoreError};
use batch::LogRows;
use chrono::{DateTime, Utc};
use kandid_domain::views::{EntityType, EventView};
use kandid_domain::{Action, Role, Room};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait,
    ExprTrait, QueryFilter, QuerySelect,
};
use serde_json::Value;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
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

/// Current time at millisecond precision, identical on SQLite and PostgreSQL round trips.
#[must_use]
pub fn now() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The body of a write that records what it changes: what `Store::write` runs. It answers
/// with an [`Outcome`], never a bare value.
pub type Mutation<T> =
    Box<dyn for<'a> FnOnce(&'a mut WriteTx) -> BoxFuture<'a, Result<Outcome<T>>> + Send>;

/// The body of a write that records no event (`Store::write_without_event`,
/// `Store::write_unchecked`): it gets a [`Tx`], which cannot record one.
pub(crate) type PlainWrite<T> =
    Box<dyn for<'a> FnOnce(&'a mut Tx) -> BoxFuture<'a, Result<T>> + Send>;

/// One write's savepoint and what it runs as.
pub struct Tx {
    pub(crate) txn: DatabaseTransaction,
    /// The workspace written to (nil for a write outside any).
    pub(crate) ws: Uuid,
    /// Who appears as the actor of its activity and event rows.
    pub(crate) actor: Uuid,
    /// The caller's effective role as this transaction sees it, when the write is checked.
    pub(crate) role: Option<Role>,
    pub(crate) now: DateTime<Utc>,
    access: Vec<AccessChange>,
}

impl Tx {
    /// Records that the write changes `subject`'s access to workspace `ws`: once the batch
    /// commits, the cached role is dropped and, when `revoked`, live sessions are ended.
    pub(crate) fn access_changed(&mut self, ws: Uuid, subject: Subject, revoked: bool) {
        self.access.push(AccessChange {
            workspace_id: ws,
            subject,
            revoked,
        });
    }

    /// `UPDATE ... SET last_seq = last_seq + 1 RETURNING last_seq`. On PostgreSQL the row
    /// lock it takes is held until the batch commits, so seqs are handed out in commit
    /// order across nodes.
    async fn next_seq(&self) -> Result<i64> {
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
    async fn lock_workspace(&self) -> Result<()> {
        if self.txn.get_database_backend() == DbBackend::Postgres {
            workspace::Entity::find_by_id(self.ws)
                .lock_exclusive()
                .one(&self.txn)
                .await?
                .ok_or(StoreError::UnknownWorkspace)?;
        }
        Ok(())
    }
}

/// A write that records what it changes: its [`Tx`], and the changes recorded so far.
pub struct WriteTx {
    tx: Tx,
    /// The seq taken before the write ran (which locked the workspace's counter), until a
    /// change uses it.
    unused: Option<i64>,
    events: Vec<StoredEvent>,
    rows: LogRows,
}

impl Deref for WriteTx {
    type Target = Tx;
    fn deref(&self) -> &Tx {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Tx {
        &mut self.tx
    }
}

impl WriteTx {
    /// Records `change` under the workspace's next seq: its activity row and its event,
    /// both inserted with the rest of the batch's rows just before the commit, and the
    /// event published once that commit is. The returned proof answers the write
    /// ([`Outcome::changed`]) and carries the event's seq.
    pub(crate) async fn record(&mut self, change: Change) -> Result<Recorded> {
        let seq = match self.unused.take() {
            Some(s) => s,
            None => self.tx.next_seq().await?,
        };
        let Change {
            entity,
            action,
            id,
            campaign_id,
            activity,
            data,
            changes,
            count,
            rooms,
            live_only_rooms,
        } = change;
        let (ws, actor, at) = (self.tx.ws, self.tx.actor, self.tx.now);
        let event_type = entity.event_type();
        let rooms: Vec<String> = rooms
            .unwrap_or_else(|| rooms_of(entity, id, campaign_id))
            .iter()
            .map(|r| r.name())
            .collect();
        self.rows.activities.push(activity::ActiveModel {
            id: Set(Uuid::now_v7()),
            workspace_id: Set(ws),
            actor_id: Set(actor),
            entity_type: Set(entity.as_str().to_owned()),
            entity_id: Set(id),
            campaign_id: Set(campaign_id),
            action: Set(action.as_str().to_owned()),
            changes: Set(activity),
            created_at: Set(at),
        });
        self.rows.events.push(event::ActiveModel {
            workspace_id: Set(ws),
            seq: Set(seq),
            event_type: Set(event_type.as_str().to_owned()),
            action: Set(action.as_str().to_owned()),
            entity_id: Set(id),
            campaign_id: Set(campaign_id),
            data: Set((!Value::is_null(&data)).then(|| data.clone())),
            changes: Set(Value::from(changes.clone())),
            count: Set(count),
            actor_id: Set(actor),
            rooms: Set(Value::from(rooms.clone())),
            created_at: Set(at),
        });
        self.events.push(StoredEvent {
            workspace_id: ws,
            rooms,
            live_only_rooms: live_only_rooms.iter().map(|r| r.name()).collect(),
            event: EventView {
                seq,
                event_type,
                action,
                id,
                campaign_id,
                data,
                changes,
                count,
                actor_id: actor,
                at,
            },
        });
        Ok(Recorded { seq })
    }
}

/// One change, described once: the activity row and the event are both made from it, and
/// the event's type follows from the entity's.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    entity: EntityType,
    action: Action,
    /// The entity's id; `None` for a bulk change.
    id: Option<Uuid>,
    campaign_id: Option<Uuid>,
    /// What the activity row keeps: `{field: [old, new]}`, a snapshot, or counts.
    activity: Value,
    /// The entity as the API returns it after the change; `Null` on delete and bulk.
    data: Value,
    /// The names of the fields an update changed.
    changes: Vec<String>,
    /// Entities the change touched (a bulk change's many, otherwise one).
    count: i64,
    /// Who hears of it; `None`: the entity's rooms (see `rooms_of`).
    rooms: Option<Vec<Room>>,
    /// See `StoredEvent::live_only_rooms`.
    live_only_rooms: Vec<Room>,
}

impl Change {
    /// A change of one entity, with nothing to show yet: add what it is with the methods
    /// below. `campaign_id`: the campaign it belongs to (a campaign's own id for one).
    pub(crate) fn of(
        entity: EntityType,
        action: Action,
        id: Uuid,
        campaign_id: Option<Uuid>,
    ) -> Self {
        Change {
            entity,
            action,
            id: Some(id),
            campaign_id,
            activity: Value::Object(serde_json::Map::new()),
            data: Value::Null,
            changes: Vec::new(),
            count: 1,
            rooms: None,
            live_only_rooms: Vec::new(),
        }
    }

    /// An entity created: `data` is what the API returns, the activity its snapshot.
    pub(crate) fn created(
        entity: EntityType,
        id: Uuid,
        campaign_id: Option<Uuid>,
        data: Value,
    ) -> Self {
        Self::of(entity, Action::Created, id, campaign_id)
            .activity(crate::diff::snapshot(&data, true))
            .data(data)
    }

    /// An entity updated: the activity has `diff`'s `[old, new]` pairs, the event its
    /// field names and `data`, the entity now.
    pub(crate) fn updated(
        entity: EntityType,
        id: Uuid,
        campaign_id: Option<Uuid>,
        diff: crate::diff::Diff,
        data: Value,
    ) -> Self {
        let mut c = Self::of(entity, Action::Updated, id, campaign_id).data(data);
        c.changes.clone_from(&diff.names);
        c.activity(diff.into_value())
    }

    /// An entity deleted: the activity keeps a snapshot of `old`, the event no data.
    pub(crate) fn deleted(
        entity: EntityType,
        id: Uuid,
        campaign_id: Option<Uuid>,
        old: &Value,
    ) -> Self {
        Self::of(entity, Action::Deleted, id, campaign_id)
            .activity(crate::diff::snapshot(old, false))
    }

    /// `count` entities of a campaign at once (an import, a deletion with the campaign):
    /// no id, no data; `activity` says how many.
    pub(crate) fn bulk(
        entity: EntityType,
        action: Action,
        campaign_id: Uuid,
        count: i64,
        activity: Value,
    ) -> Self {
        Change {
            id: None,
            count,
            ..Self::of(entity, action, campaign_id, Some(campaign_id)).activity(activity)
        }
    }

    /// What the activity row keeps of the change.
    pub(crate) fn activity(mut self, activity: Value) -> Self {
        self.activity = activity;
        self
    }

    /// The entity after the change, as the event carries it.
    pub(crate) fn data(mut self, data: Value) -> Self {
        self.data = data;
        self
    }

    /// The names of the fields that changed.
    pub(crate) fn changes(mut self, names: Vec<String>) -> Self {
        self.changes = names;
        self
    }

    /// Rooms other than the entity's own (a lead that moved is announced to its old
    /// campaign's room too).
    pub(crate) fn rooms(mut self, rooms: Vec<Room>) -> Self {
        self.rooms = Some(rooms);
        self
    }

    /// See `StoredEvent::live_only_rooms`.
    pub(crate) fn live_only_rooms(mut self, rooms: Vec<Room>) -> Self {
        self.live_only_rooms = rooms;
        self
    }
}

/// The rooms an event about an entity goes to, unless its change names others.
fn rooms_of(entity: EntityType, id: Option<Uuid>, campaign_id: Option<Uuid>) -> Vec<Room> {
    match entity {
        EntityType::Campaign => {
            let mut rooms = vec![Room::Workspace, Room::Campaigns];
            rooms.extend(id.or(campaign_id).map(Room::Campaign));
            rooms
        }
        EntityType::Lead => lead_rooms(id, campaign_id.as_slice()),
        EntityType::Member => vec![Room::Workspace],
    }
}

/// Rooms that receive an event about a lead (or, without `lead_id`, a bulk lead event)
/// of the campaigns `campaign_ids`.
pub(crate) fn lead_rooms(lead_id: Option<Uuid>, campaign_ids: &[Uuid]) -> Vec<Room> {
    let mut rooms = vec![Room::Workspace, Room::Leads];
    for c in campaign_ids {
        let r = Room::Campaign(*c);
        if !rooms.contains(&r) {
            rooms.push(r);
        }
    }
    rooms.extend(lead_id.map(Room::Lead));
    rooms
}

/// Proof that a write recorded a change (made only by [`WriteTx::record`]), and the seq
/// of its event.
#[must_use]
#[derive(Debug)]
pub struct Recorded {
    seq: i64,
}

impl Recorded {
    /// The seq the change's event was recorded under.
    #[must_use]
    pub fn seq(&self) -> i64 {
        self.seq
    }
}

/// How a recording write answers. Built only from a [`Recorded`] change or by saying out
/// loud that nothing changed: a write cannot forget its event and still answer.
#[must_use]
#[derive(Debug)]
pub struct Outcome<T> {
    value: T,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Recorded at least one change: committed with its batch, answered after the commit.
    Changed,
    /// Changed nothing: its savepoint (and the seq it took) is rolled back, and it is
    /// answered at once.
    Unchanged,
    /// A write that records no event by design (a [`PlainWrite`]): committed with its
    /// batch, answered after the commit.
    WithoutEvent,
}

impl<T> Outcome<T> {
    /// The write recorded a change (the proof of it is `recorded`); it answers `value`
    /// once its batch commits.
    pub fn changed(recorded: Recorded, value: T) -> Self {
        let Recorded { seq: _ } = recorded;
        Outcome {
            value,
            kind: Kind::Changed,
        }
    }

    /// The write changed nothing (a patch equal to the current state, an import of
    /// duplicates only): whatever it did is rolled back, and it answers `value` at once.
    pub fn unchanged(value: T) -> Self {
        Outcome {
            value,
            kind: Kind::Unchanged,
        }
    }

    fn without_event(value: T) -> Self {
        Outcome {
            value,
            kind: Kind::WithoutEvent,
        }
    }

    /// The same outcome, answering `f(value)`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Outcome<U> {
        Outcome {
            value: f(self.value),
            kind: self.kind,
        }
    }
}
