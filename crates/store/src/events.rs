//! The durable event log: replay after a seq, latest seq, retention.

use crate::Store;
use crate::entity::{event, workspace};
use crate::error::{Result, StoreError};
use chrono::{DateTime, Utc};
use kandid_domain::views::EventView;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
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

/// Rows fetched per round when filtering by rooms.
const SCAN_BATCH: u64 = 1000;

pub(crate) fn view(m: event::Model) -> Result<(EventView, Vec<String>)> {
    let bad = |what: &str| StoreError::Corrupt(format!("event {} {what}", m.seq));
    let rooms: Vec<String> = serde_json::from_value(m.rooms.clone()).map_err(|_| bad("rooms"))?;
    let changes: Vec<String> =
        serde_json::from_value(m.changes.clone()).map_err(|_| bad("changes"))?;
    Ok((
        EventView {
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
        },
        rooms,
    ))
}

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
        let mut cursor = since;
        loop {
            let batch = if rooms.is_some() {
                SCAN_BATCH
            } else {
                limit + 1
            };
            let rows = event::Entity::find()
                .filter(event::Column::WorkspaceId.eq(ws))
                .filter(event::Column::Seq.gt(cursor))
                .filter(event::Column::Seq.lte(latest_seq))
                .order_by_asc(event::Column::Seq)
                .limit(batch)
                .all(&self.db)
                .await?;
            let exhausted = (rows.len() as u64) < batch;
            for m in rows {
                cursor = m.seq;
                let (ev, ev_rooms) = view(m)?;
                if rooms.is_some_and(|want| !ev_rooms.iter().any(|r| want.contains(r))) {
                    continue;
                }
                if page.data.len() as u64 == limit {
                    page.has_more = true;
                    return Ok(page);
                }
                page.data.push(ev);
            }
            if exhausted {
                return Ok(page);
            }
        }
    }

    /// Deletes events older than `before`. Returns how many.
    pub async fn prune_events(&self, before: DateTime<Utc>) -> Result<u64> {
        let res = event::Entity::delete_many()
            .filter(event::Column::CreatedAt.lt(before))
            .exec(&self.db)
            .await?;
        Ok(res.rows_affected)
    }
}
