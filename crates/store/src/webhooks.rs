//! Webhooks: the workspace-scoped management queries, and what the delivery worker needs —
//! the lease that makes one node at a time deliver a webhook, its position in the event log
//! and the log of its delivery attempts.
//!
//! A webhook's queue is the event log itself: it is done with every event up to
//! `last_delivered_seq`, and the next one it owes is the first event after that which
//! matches its `events`. Changes to webhooks are not events (they go through the write
//! path for its ordering on SQLite, but record no seq).
//!
//! Every change of a webhook's position or failure state is conditional on the caller still
//! holding the lease and on the position it read, so a node that lost its lease (or raced a
//! replay) changes nothing and re-reads.

use crate::entity::{event, webhook, webhook_delivery, workspace};
use crate::error::{Result, StoreError};
use crate::{Actor, Store, now};
use chrono::{DateTime, TimeDelta, Utc};
use kandid_domain::EventType;
use kandid_domain::views::EventView;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::Value;
use uuid::Uuid;

/// Most webhooks a workspace may have: each costs every node a task, database reads and a
/// share of the requests in flight, whoever owns it.
pub const MAX_PER_WORKSPACE: u64 = 20;

/// A webhook as its workspace's admins see it (never with its secret).
#[derive(Debug, Clone)]
pub struct Webhook {
    pub id: Uuid,
    /// The admin who made it; when they leave the workspace it is disabled.
    pub created_by: Uuid,
    pub url: String,
    pub events: Vec<EventType>,
    pub description: Option<String>,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_delivered_seq: i64,
    pub failing_since: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub disabled_reason: Option<String>,
}

/// A new webhook: its URL (checked by the caller), events and signing secret.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    pub url: String,
    pub events: Vec<EventType>,
    pub description: Option<String>,
    pub secret: String,
}

/// A change of a webhook; `None` leaves a field as it is (`description: Some(None)` clears).
#[derive(Debug, Clone, Default)]
pub struct WebhookPatch {
    pub url: Option<String>,
    pub events: Option<Vec<EventType>>,
    pub description: Option<Option<String>>,
    pub enabled: Option<bool>,
}

/// One delivery attempt, as listed.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: Uuid,
    pub seq: i64,
    pub attempt: i32,
    pub status: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i64,
    pub at: DateTime<Utc>,
}

/// What the delivery worker reads of a webhook before each attempt.
#[derive(Debug, Clone)]
pub struct DeliveryTarget {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub url: String,
    pub events: Vec<EventType>,
    pub enabled: bool,
    /// Signing secrets: the current one first, then the previous one while it still signs.
    pub secrets: Vec<String>,
    pub position: i64,
    pub attempt: i32,
    pub failing_since: Option<DateTime<Utc>>,
    pub lease_owner: Option<Uuid>,
}

/// What follows a webhook's position in the log (see `Store::webhook_next`).
#[derive(Debug, Clone, Default)]
pub struct Next {
    /// The first seq after the position, of any event; `None`: nothing new.
    pub first: Option<i64>,
    /// The first event after the position that the webhook wants.
    pub wanted: Option<EventView>,
    /// When it wants none of them: the last seq after the position.
    pub last: Option<i64>,
}

/// The outcome of one attempt, to record.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub webhook_id: Uuid,
    pub workspace_id: Uuid,
    /// The position the attempt was made from (the event sent is after it).
    pub position: i64,
    pub seq: i64,
    pub attempt: i32,
    pub status: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i64,
    pub at: DateTime<Utc>,
    pub success: bool,
    /// For a failure: disable the webhook with this reason.
    pub disable: Option<String>,
}

fn parse_events(v: &Value) -> Result<Vec<EventType>> {
    let names: Vec<String> = serde_json::from_value(v.clone())
        .map_err(|_| StoreError::Corrupt("webhook events".into()))?;
    names
        .iter()
        .map(|n| {
            n.parse()
                .map_err(|_| StoreError::Corrupt(format!("webhook event {n}")))
        })
        .collect()
}

fn events_json(events: &[EventType]) -> Value {
    Value::from(events.iter().map(|e| e.as_str()).collect::<Vec<_>>())
}

fn view(m: webhook::Model) -> Result<Webhook> {
    Ok(Webhook {
        events: parse_events(&m.events)?,
        id: m.id,
        created_by: m.created_by,
        url: m.url,
        description: m.description,
        enabled: m.enabled,
        created_at: m.created_at,
        updated_at: m.updated_at,
        last_delivered_seq: m.last_delivered_seq,
        failing_since: m.failing_since,
        last_error: m.last_error,
        disabled_reason: m.disabled_reason,
    })
}

/// Disables the webhooks `user_id` made in `ws`, inside the write that removes them from
/// it: a person who left must not keep receiving the workspace's events at a URL of theirs.
/// The remaining admins see why and may enable them again.
pub(crate) async fn disable_webhooks_of<C: ConnectionTrait>(
    db: &C,
    ws: Uuid,
    user_id: Uuid,
) -> Result<()> {
    webhook::Entity::update_many()
        .col_expr(webhook::Column::Enabled, Expr::value(false))
        .col_expr(
            webhook::Column::DisabledReason,
            Expr::value("disabled because its creator left the workspace"),
        )
        .col_expr(webhook::Column::UpdatedAt, Expr::value(now()))
        .filter(webhook::Column::WorkspaceId.eq(ws))
        .filter(webhook::Column::CreatedBy.eq(user_id))
        .filter(webhook::Column::Enabled.eq(true))
        .exec(db)
        .await?;
    Ok(())
}

/// Management, always within a workspace: another workspace's webhook is `NotFound`.
impl Store {
    /// Creates a webhook that receives the events committed from now on: its position is
    /// the workspace's latest seq, read in the same write, which holds the workspace's row
    /// (see `tx`): no event commits between that read and the webhook's.
    pub async fn create_webhook(&self, ws: Uuid, actor: Actor, new: NewWebhook) -> Result<Webhook> {
        self.write_without_event(ws, actor, move |tx| {
            Box::pin(async move {
                let latest = workspace::Entity::find_by_id(ws)
                    .one(&tx.txn)
                    .await?
                    .ok_or(StoreError::UnknownWorkspace)?
                    .last_seq;
                let existing = webhook::Entity::find()
                    .filter(webhook::Column::WorkspaceId.eq(ws))
                    .count(&tx.txn)
                    .await?;
                if existing >= MAX_PER_WORKSPACE {
                    return Err(StoreError::Conflict(format!(
                        "a workspace has at most {MAX_PER_WORKSPACE} webhooks"
                    )));
                }
                let at = now();
                let m = webhook::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    workspace_id: Set(ws),
                    url: Set(new.url),
                    events: Set(events_json(&new.events)),
                    description: Set(new.description),
                    enabled: Set(true),
                    secret: Set(new.secret),
                    previous_secret: Set(None),
                    previous_secret_until: Set(None),
                    created_by: Set(actor.caller.user_id),
                    created_at: Set(at),
                    updated_at: Set(at),
                    last_delivered_seq: Set(latest),
                    attempt: Set(0),
                    failing_since: Set(None),
                    last_error: Set(None),
                    disabled_reason: Set(None),
                    lease_owner: Set(None),
                    lease_until: Set(None),
                }
                .insert(&tx.txn)
                .await?;
                view(m)
            })
        })
        .await
    }

    /// The workspace's webhooks, oldest first.
    pub async fn webhooks(&self, ws: Uuid) -> Result<Vec<Webhook>> {
        webhook::Entity::find()
            .filter(webhook::Column::WorkspaceId.eq(ws))
            .order_by_asc(webhook::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(view)
            .collect()
    }

    pub async fn webhook(&self, ws: Uuid, id: Uuid) -> Result<Webhook> {
        let m = webhook::Entity::find_by_id(id)
            .filter(webhook::Column::WorkspaceId.eq(ws))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        view(m)
    }

    /// Applies a change. Enabling a webhook clears its failure state, so it starts again
    /// from the first event it did not deliver, at once.
    pub async fn update_webhook(
        &self,
        ws: Uuid,
        actor: Actor,
        id: Uuid,
        patch: WebhookPatch,
    ) -> Result<Webhook> {
        self.write_without_event(ws, actor, move |tx| {
            Box::pin(async move {
                let m = webhook::Entity::find_by_id(id)
                    .filter(webhook::Column::WorkspaceId.eq(ws))
                    .one(&tx.txn)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                let was_enabled = m.enabled;
                let mut a: webhook::ActiveModel = m.into();
                if let Some(url) = patch.url {
                    a.url = Set(url);
                }
                if let Some(events) = patch.events {
                    a.events = Set(events_json(&events));
                }
                if let Some(d) = patch.description {
                    a.description = Set(d);
                }
                if let Some(enabled) = patch.enabled {
                    a.enabled = Set(enabled);
                    if enabled && !was_enabled {
                        a.attempt = Set(0);
                        a.failing_since = Set(None);
                        a.disabled_reason = Set(None);
                    }
                }
                a.updated_at = Set(now());
                view(a.update(&tx.txn).await?)
            })
        })
        .await
    }

    pub async fn delete_webhook(&self, ws: Uuid, actor: Actor, id: Uuid) -> Result<()> {
        self.write_without_event(ws, actor, move |tx| {
            Box::pin(async move {
                let res = webhook::Entity::delete_many()
                    .filter(webhook::Column::Id.eq(id))
                    .filter(webhook::Column::WorkspaceId.eq(ws))
                    .exec(&tx.txn)
                    .await?;
                if res.rows_affected == 0 {
                    return Err(StoreError::NotFound);
                }
                Ok(())
            })
        })
        .await
    }

    /// Replaces the signing secret; the old one keeps signing (as a second signature)
    /// until `old_until`.
    pub async fn rotate_webhook_secret(
        &self,
        ws: Uuid,
        actor: Actor,
        id: Uuid,
        secret: String,
        old_until: DateTime<Utc>,
    ) -> Result<Webhook> {
        self.write_without_event(ws, actor, move |tx| {
            Box::pin(async move {
                let m = webhook::Entity::find_by_id(id)
                    .filter(webhook::Column::WorkspaceId.eq(ws))
                    .one(&tx.txn)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                let old = m.secret.clone();
                let mut a: webhook::ActiveModel = m.into();
                a.secret = Set(secret);
                a.previous_secret = Set(Some(old));
                a.previous_secret_until = Set(Some(old_until));
                a.updated_at = Set(now());
                view(a.update(&tx.txn).await?)
            })
        })
        .await
    }

    /// Moves the webhook back so that the events after `since` are sent again (in order)
    /// before it continues. A position already at or before `since` stays.
    pub async fn replay_webhook(&self, ws: Uuid, actor: Actor, id: Uuid, since: i64) -> Result<()> {
        self.write_without_event(ws, actor, move |tx| {
            Box::pin(async move {
                let m = webhook::Entity::find_by_id(id)
                    .filter(webhook::Column::WorkspaceId.eq(ws))
                    .one(&tx.txn)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                let latest = workspace::Entity::find_by_id(ws)
                    .one(&tx.txn)
                    .await?
                    .ok_or(StoreError::UnknownWorkspace)?
                    .last_seq;
                if since > latest {
                    return Err(StoreError::field(
                        "since",
                        "out_of_range",
                        &format!("must be at most the latest seq ({latest})"),
                    ));
                }
                if since < m.last_delivered_seq {
                    webhook::Entity::update_many()
                        .col_expr(webhook::Column::LastDeliveredSeq, Expr::value(since))
                        .col_expr(webhook::Column::Attempt, Expr::value(0))
                        .filter(webhook::Column::Id.eq(id))
                        .exec(&tx.txn)
                        .await?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Delivery attempts of a webhook, newest first: at most `limit`, before the attempt
    /// `before` (a cursor from the previous page); with the cursor of the next page.
    pub async fn webhook_deliveries(
        &self,
        ws: Uuid,
        id: Uuid,
        limit: u64,
        before: Option<Uuid>,
    ) -> Result<(Vec<Delivery>, Option<Uuid>)> {
        // The webhook must be the workspace's: otherwise `NotFound`, not an empty page.
        self.webhook(ws, id).await?;
        let mut q = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::WebhookId.eq(id))
            .filter(webhook_delivery::Column::WorkspaceId.eq(ws));
        if let Some(b) = before {
            q = q.filter(webhook_delivery::Column::Id.lt(b));
        }
        let rows = q
            .order_by_desc(webhook_delivery::Column::Id)
            .limit(limit + 1)
            .all(&self.db)
            .await?;
        let more = rows.len() as u64 > limit;
        let data: Vec<Delivery> = rows
            .into_iter()
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .map(|m| Delivery {
                id: m.id,
                seq: m.seq,
                attempt: m.attempt,
                status: m.status,
                error: m.error,
                duration_ms: m.duration_ms,
                at: m.at,
            })
            .collect();
        let next = if more {
            data.last().map(|d| d.id)
        } else {
            None
        };
        Ok((data, next))
    }
}

/// The delivery worker's side: not scoped to a workspace, since a node delivers every
/// workspace's webhooks.
impl Store {
    /// Enabled webhooks whose lease is free, expired, or already `node`'s.
    pub async fn webhooks_to_lease(&self, node: Uuid) -> Result<Vec<Uuid>> {
        Ok(webhook::Entity::find()
            .select_only()
            .column(webhook::Column::Id)
            .filter(webhook::Column::Enabled.eq(true))
            .filter(
                Condition::any()
                    .add(webhook::Column::LeaseOwner.is_null())
                    .add(webhook::Column::LeaseOwner.eq(node))
                    .add(webhook::Column::LeaseUntil.lt(now())),
            )
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// Takes the lease of webhook `id` for `node` until `until`, if it is free, expired or
    /// already `node`'s: one conditional UPDATE, so two nodes can't both get it.
    pub async fn take_webhook_lease(
        &self,
        id: Uuid,
        node: Uuid,
        until: DateTime<Utc>,
    ) -> Result<bool> {
        self.write_unchecked(move |tx| {
            Box::pin(async move {
                let res = webhook::Entity::update_many()
                    .col_expr(webhook::Column::LeaseOwner, Expr::value(node))
                    .col_expr(webhook::Column::LeaseUntil, Expr::value(until))
                    .filter(webhook::Column::Id.eq(id))
                    .filter(webhook::Column::Enabled.eq(true))
                    .filter(
                        Condition::any()
                            .add(webhook::Column::LeaseOwner.is_null())
                            .add(webhook::Column::LeaseOwner.eq(node))
                            .add(webhook::Column::LeaseUntil.lt(now())),
                    )
                    .exec(&tx.txn)
                    .await?;
                Ok(res.rows_affected > 0)
            })
        })
        .await
    }

    /// Extends `node`'s leases of `ids` until `until`; returns those it still holds.
    pub async fn renew_webhook_leases(
        &self,
        node: Uuid,
        ids: Vec<Uuid>,
        until: DateTime<Utc>,
    ) -> Result<Vec<Uuid>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.write_unchecked(move |tx| {
            Box::pin(async move {
                let mut held = Vec::with_capacity(ids.len());
                for chunk in ids.chunks(500) {
                    webhook::Entity::update_many()
                        .col_expr(webhook::Column::LeaseUntil, Expr::value(until))
                        .filter(webhook::Column::Id.is_in(chunk.iter().copied()))
                        .filter(webhook::Column::LeaseOwner.eq(node))
                        .exec(&tx.txn)
                        .await?;
                    let mine: Vec<Uuid> = webhook::Entity::find()
                        .select_only()
                        .column(webhook::Column::Id)
                        .filter(webhook::Column::Id.is_in(chunk.iter().copied()))
                        .filter(webhook::Column::LeaseOwner.eq(node))
                        .into_tuple()
                        .all(&tx.txn)
                        .await?;
                    held.extend(mine);
                }
                Ok(held)
            })
        })
        .await
    }

    /// Gives up `node`'s leases (of `ids`, or all of them), so another node (or this one
    /// restarted) takes over at once instead of after the lease runs out.
    pub async fn release_webhook_leases(&self, node: Uuid, ids: Option<Vec<Uuid>>) -> Result<()> {
        self.write_unchecked(move |tx| {
            Box::pin(async move {
                let mut q = webhook::Entity::update_many()
                    .col_expr(
                        webhook::Column::LeaseOwner,
                        Expr::value(Option::<Uuid>::None),
                    )
                    .col_expr(
                        webhook::Column::LeaseUntil,
                        Expr::value(Option::<DateTime<Utc>>::None),
                    )
                    .filter(webhook::Column::LeaseOwner.eq(node));
                if let Some(ids) = ids {
                    q = q.filter(webhook::Column::Id.is_in(ids));
                }
                q.exec(&tx.txn).await?;
                Ok(())
            })
        })
        .await
    }

    /// A webhook as the worker needs it; `None` once it is deleted.
    pub async fn delivery_target(&self, id: Uuid) -> Result<Option<DeliveryTarget>> {
        let Some(m) = webhook::Entity::find_by_id(id).one(&self.db).await? else {
            return Ok(None);
        };
        let mut secrets = vec![m.secret];
        if let (Some(old), Some(until)) = (m.previous_secret, m.previous_secret_until)
            && until > now()
        {
            secrets.push(old);
        }
        Ok(Some(DeliveryTarget {
            events: parse_events(&m.events)?,
            id: m.id,
            workspace_id: m.workspace_id,
            url: m.url,
            enabled: m.enabled,
            secrets,
            position: m.last_delivered_seq,
            attempt: m.attempt,
            failing_since: m.failing_since,
            lease_owner: m.lease_owner,
        }))
    }

    /// What follows position `after` in the log of `ws` for a webhook that wants `types`:
    /// the first seq of any event (a jump past `after + 1` means retention pruned some), the
    /// first event it wants, and, when there is none, the last seq it may move past. One
    /// event at a time, so a webhook never holds more than the one it is sending.
    ///
    /// The bounds are read first and the wanted event only up to the last of them: events
    /// committed after that read are not in the range, so moving past the range never moves
    /// past an event the webhook wants but did not see.
    pub async fn webhook_next(&self, ws: Uuid, after: i64, types: &[EventType]) -> Result<Next> {
        let bounds: Option<(Option<i64>, Option<i64>)> = event::Entity::find()
            .select_only()
            .column_as(event::Column::Seq.min(), "first")
            .column_as(event::Column::Seq.max(), "last")
            .filter(event::Column::WorkspaceId.eq(ws))
            .filter(event::Column::Seq.gt(after))
            .into_tuple()
            .one(&self.db)
            .await?;
        let Some((Some(first), Some(last))) = bounds else {
            return Ok(Next::default());
        };
        let wanted = event::Entity::find()
            .filter(event::Column::WorkspaceId.eq(ws))
            .filter(event::Column::Seq.gt(after))
            .filter(event::Column::Seq.lte(last))
            .filter(event::Column::EventType.is_in(types.iter().map(|t| t.as_str())))
            .order_by_asc(event::Column::Seq)
            .one(&self.db)
            .await?
            .map(crate::events::view)
            .transpose()?;
        Ok(Next {
            first: Some(first),
            last: wanted.is_none().then_some(last),
            wanted,
        })
    }

    /// Moves webhook `id` from `from` to `to` without sending (events it does not want, or
    /// events past the log's retention: then `note` says what was skipped). Returns whether
    /// `node` still held the lease at `from`.
    pub async fn skip_webhook_events(
        &self,
        id: Uuid,
        node: Uuid,
        from: i64,
        to: i64,
        note: Option<String>,
    ) -> Result<bool> {
        self.write_unchecked(move |tx| {
            Box::pin(async move {
                let mut q = webhook::Entity::update_many()
                    .col_expr(webhook::Column::LastDeliveredSeq, Expr::value(to))
                    .col_expr(webhook::Column::Attempt, Expr::value(0));
                if let Some(note) = note {
                    q = q.col_expr(webhook::Column::DisabledReason, Expr::value(note));
                }
                let res = q
                    .filter(webhook::Column::Id.eq(id))
                    .filter(webhook::Column::LeaseOwner.eq(node))
                    .filter(webhook::Column::LastDeliveredSeq.eq(from))
                    .exec(&tx.txn)
                    .await?;
                Ok(res.rows_affected > 0)
            })
        })
        .await
    }

    /// Records an attempt: its row in the delivery log, and — if `node` still holds the
    /// lease at the position it was made from — the webhook's new position (after a 2xx)
    /// or failure state. Returns whether the webhook was updated.
    pub async fn record_webhook_attempt(&self, node: Uuid, a: Attempt) -> Result<bool> {
        self.write_unchecked(move |tx| {
            Box::pin(async move {
                webhook_delivery::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    webhook_id: Set(a.webhook_id),
                    workspace_id: Set(a.workspace_id),
                    seq: Set(a.seq),
                    attempt: Set(a.attempt),
                    status: Set(a.status),
                    error: Set(a.error.clone()),
                    duration_ms: Set(a.duration_ms),
                    at: Set(a.at),
                }
                .insert(&tx.txn)
                .await?;
                let mut q = webhook::Entity::update_many();
                if a.success {
                    q = q
                        .col_expr(webhook::Column::LastDeliveredSeq, Expr::value(a.seq))
                        .col_expr(webhook::Column::Attempt, Expr::value(0))
                        .col_expr(
                            webhook::Column::FailingSince,
                            Expr::value(Option::<DateTime<Utc>>::None),
                        )
                        .col_expr(
                            webhook::Column::LastError,
                            Expr::value(Option::<String>::None),
                        );
                } else {
                    q = q
                        .col_expr(webhook::Column::Attempt, Expr::value(a.attempt))
                        .col_expr(
                            webhook::Column::FailingSince,
                            Expr::from(Func::coalesce([
                                Expr::col(webhook::Column::FailingSince),
                                Expr::value(a.at),
                            ])),
                        )
                        .col_expr(webhook::Column::LastError, Expr::value(a.error));
                    if let Some(reason) = a.disable {
                        q = q
                            .col_expr(webhook::Column::Enabled, Expr::value(false))
                            .col_expr(webhook::Column::DisabledReason, Expr::value(reason));
                    }
                }
                let res = q
                    .filter(webhook::Column::Id.eq(a.webhook_id))
                    .filter(webhook::Column::LeaseOwner.eq(node))
                    .filter(webhook::Column::LastDeliveredSeq.eq(a.position))
                    .exec(&tx.txn)
                    .await?;
                Ok(res.rows_affected > 0)
            })
        })
        .await
    }

    /// Deletes delivery attempts older than `before` (kept as long as the event log).
    pub async fn prune_webhook_deliveries(&self, before: DateTime<Utc>) -> Result<u64> {
        Ok(webhook_delivery::Entity::delete_many()
            .filter(webhook_delivery::Column::At.lt(before))
            .exec(&self.db)
            .await?
            .rows_affected)
    }
}

/// How far in the future `d` is from now, for lease deadlines.
#[must_use]
pub fn after(d: std::time::Duration) -> DateTime<Utc> {
    now() + TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}
