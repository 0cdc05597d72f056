//! The durable event log: replay after a seq, latest seq, retention.

use crate::Store;
use crate::entity::{deleted_lead, event, workspace};
use crate::error::{Result, StoreError};
use chrono::{DateTime, Utc};
use kandid_domain::Room;
use kandid_domain::views::EventView;
use sea_orm::sea_query::{Alias, Expr, LikeExpr};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};
use uuid::Uuid;

/// Events after a seq: at most `limit`, with whether more follow, and `reset` when the
/// client's position can no longer be served (pruned, or ahead of the log).
#[derive(Debug, Clone)]
pub struct EventPage {
    pub data: Vec<EventView>,
    pub latest_seq: i64,
    pub has_more: bool,
    pub reset: bool,
}

pub(crate) fn view(m: event::Model) -> Result<EventView> {
    let bad = |what: &str| StoreError::Corrupt(format!("event {} {what}", m.seq));
    let changes: Vec<String> =
        serde_json::from_value(m.changes.clone()).map_err(|_| bad("changes"))?;
    Ok(EventView {
        seq: m.seq,
        event_type: m.event_type.parse().map_err(|_| bad("type"))?,
        action: m.action.parse().map_err(|_| bad("action"))?,
        id: m.entity_id,
        campaign_id: m.campaign_id,
        data: m.data.unwrap_or(serde_json::Value::Null),
        changes,
        count: m.count,
        actor_id: m.actor_id,
        at: m.created_at,
    })
}

/// Seqs of one workspace's log pruned per statement (its events and the deleted leads they
/// record): a few milliseconds of SQLite's one write lock.
pub const PRUNE_CHUNK: i64 = 2_000;

impl Store {
    pub async fn latest_seq(&self, ws: Uuid) -> Result<i64> {
        Ok(workspace::Entity::find_by_id(ws)
            .one(&self.db)
            .await?
            .ok_or(StoreError::UnknownWorkspace)?
            .last_seq)
    }

    /// Events of `ws` after `since`, in seq order. With `rooms`, only events delivered to
    /// at least one of them.
    pub async fn events_since(
        &self,
        ws: Uuid,
        since: i64,
        limit: u64,
        rooms: Option<&[String]>,
    ) -> Result<EventPage> {
        let latest_seq = self.latest_seq(ws).await?;
        let mut page = EventPage {
            data: Vec::new(),
            latest_seq,
            has_more: false,
            reset: false,
        };
        if since > latest_seq {
            page.reset = true;
            return Ok(page);
        }
        if since == latest_seq {
            return Ok(page);
        }
        let oldest: Option<i64> = event::Entity::find()
            .select_only()
            .column(event::Column::Seq)
            .filter(event::Column::WorkspaceId.eq(ws))
            .order_by_asc(event::Column::Seq)
            .limit(1)
            .into_tuple()
            .one(&self.db)
            .await?;
        if oldest.is_none_or(|o| o > since + 1) {
            page.reset = true;
            return Ok(page);
        }
        let mut query = event::Entity::find()
            .filter(event::Column::WorkspaceId.eq(ws))
            .filter(event::Column::Seq.gt(since))
            .filter(event::Column::Seq.lte(latest_seq));
        // Every event reaches `workspace`; otherwise match the rooms in SQL, so a socket with
        // narrow subscriptions doesn't make the server read the whole log.
        if let Some(want) =
            rooms.filter(|r| !r.iter().any(|x| Room::parse(x) == Some(Room::Workspace)))
        {
            if want.is_empty() {
                return Ok(page);
            }
            let mut any = Condition::any();
            let mut leads = Vec::new();
            for room in want {
                if let Some(Room::Lead(id)) = Room::parse(room) {
                    leads.push(id);
                }
                let escaped = room
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                any = any.add(
                    Expr::col(event::Column::Rooms)
                        .cast_as(Alias::new("text"))
                        .like(LikeExpr::new(format!("%\"{escaped}\"%")).escape('\\')),
                );
            }
            // A bulk deletion names its campaign's rooms only; the leads it removed are
            // in `deleted_leads`.
            if !leads.is_empty() {
                any = any.add(
                    event::Column::Seq.in_subquery(
                        deleted_lead::Entity::find()
                            .select_only()
                            .column(deleted_lead::Column::Seq)
                            .filter(deleted_lead::Column::WorkspaceId.eq(ws))
                            .filter(deleted_lead::Column::LeadId.is_in(leads))
                            .filter(deleted_lead::Column::Seq.gt(since))
                            .into_query(),
                    ),
                );
            }
            query = query.filter(any);
        }
        let rows = query
            .order_by_asc(event::Column::Seq)
            .limit(limit + 1)
            .all(&self.db)
            .await?;
        page.has_more = rows.len() as u64 > limit;
        for m in rows
            .into_iter()
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
        {
            page.data.push(view(m)?);
        }
        Ok(page)
    }

    /// Deletes events older than `before`, always a prefix of each workspace's log (up to
    /// the newest old event), so the log never has a hole that `sync` would skip over.
    /// Deleted in chunks of `PRUNE_CHUNK` seqs, each its own statement: on SQLite, with one
    /// writer, a busy hour's log deleted at once held every write for seconds. Returns how
    /// many.
    pub async fn prune_events(&self, before: DateTime<Utc>) -> Result<u64> {
        let upto: Vec<(Uuid, Option<i64>)> = event::Entity::find()
            .select_only()
            .column(event::Column::WorkspaceId)
            .column_as(event::Column::Seq.max(), "upto")
            .filter(event::Column::CreatedAt.lt(before))
            .group_by(event::Column::WorkspaceId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut pruned = 0;
        for (ws, upto) in upto {
            let Some(upto) = upto else { continue };
            let oldest: Option<Option<i64>> = event::Entity::find()
                .select_only()
                .column_as(event::Column::Seq.min(), "oldest")
                .filter(event::Column::WorkspaceId.eq(ws))
                .into_tuple()
                .one(&self.db)
                .await?;
            let Some(mut from) = oldest.flatten() else {
                continue;
            };
            // Oldest first, a chunk per statement: what each leaves is still the log's
            // newest part, without a hole, and another writer waits for one chunk at most.
            loop {
                let through = Ord::min(upto, from.saturating_add(PRUNE_CHUNK - 1));
                deleted_lead::Entity::delete_many()
                    .filter(deleted_lead::Column::WorkspaceId.eq(ws))
                    .filter(deleted_lead::Column::Seq.lte(through))
                    .exec(&self.db)
                    .await?;
                pruned += event::Entity::delete_many()
                    .filter(event::Column::WorkspaceId.eq(ws))
                    .filter(event::Column::Seq.lte(through))
                    .exec(&self.db)
                    .await?
                    .rows_affected;
                if through >= upto {
                    break;
                }
                from = through + 1;
                tokio::task::yield_now().await;
            }
        }
        Ok(pruned)
    }
}
