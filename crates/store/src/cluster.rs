//! What nodes sharing one PostgreSQL database tell each other, and what they read back.
//!
//! The event log is the truth: every node delivers a workspace's events to its own sockets
//! by reading them from the `events` table after the last seq it delivered. A commit that
//! appended events also sends `NOTIFY` on [`EVENTS_CHANNEL`] (in the same transaction, so
//! it is heard only once the commit is visible) to wake the other nodes up; a change of
//! access sends [`ACCESS_CHANNEL`], so that caches drop the entry and sessions end on every
//! node. A notification only says "look now": losing one costs latency, never an event.

use crate::entity::{deleted_lead, event, workspace};
use crate::error::{Result, StoreError};
use crate::{Revoked, Store, StoredEvent, Subject};
use kandid_domain::Room;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// Channel of "workspace W committed events up to seq S".
pub const EVENTS_CHANNEL: &str = "kandid_events";
/// Channel of "subject X's access to workspace W changed (and was revoked)".
pub const ACCESS_CHANNEL: &str = "kandid_access";

/// A notification from another node (or this one), parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// `ws` has committed events up to `seq`.
    Events { ws: Uuid, seq: i64 },
    /// A change of access made on node `origin`; `revoked`: its sessions end.
    Access {
        origin: Uuid,
        revoked: Revoked,
        ended: bool,
    },
}

pub(crate) fn events_payload(ws: Uuid, seq: i64) -> String {
    format!("{ws}:{seq}")
}

pub(crate) fn access_payload(origin: Uuid, ws: Uuid, subject: Subject, revoked: bool) -> String {
    let (kind, id) = match subject {
        Subject::User(id) => ("u", id),
        Subject::Token(id) => ("t", id),
    };
    format!("{origin}:{ws}:{kind}:{id}:{}", u8::from(revoked))
}

impl Signal {
    /// Parses a notification's channel and payload; `None` for anything else.
    #[must_use]
    pub fn parse(channel: &str, payload: &str) -> Option<Self> {
        let mut parts = payload.split(':');
        match channel {
            EVENTS_CHANNEL => {
                let ws = parts.next()?.parse().ok()?;
                let seq = parts.next()?.parse().ok()?;
                parts.next().is_none().then_some(Signal::Events { ws, seq })
            }
            ACCESS_CHANNEL => {
                let origin = parts.next()?.parse().ok()?;
                let ws = parts.next()?.parse().ok()?;
                let kind = parts.next()?;
                let id = parts.next()?.parse().ok()?;
                let ended = match parts.next()? {
                    "1" => true,
                    "0" => false,
                    _ => return None,
                };
                let subject = match kind {
                    "u" => Subject::User(id),
                    "t" => Subject::Token(id),
                    _ => return None,
                };
                parts.next().is_none().then_some(Signal::Access {
                    origin,
                    revoked: Revoked {
                        workspace_id: ws,
                        subject,
                    },
                    ended,
                })
            }
            _ => None,
        }
    }
}

impl Store {
    /// This process's id, carried by its access notifications.
    #[must_use]
    pub fn node_id(&self) -> Uuid {
        self.writer.node
    }

    /// Drops the cached role of `subject` in `ws` (a change made on another node).
    pub fn forget_access(&self, ws: Uuid, subject: Subject) {
        self.access.invalidate(ws, subject);
    }

    /// Drops every cached role (after notifications may have been missed).
    pub fn forget_all_access(&self) {
        self.access.clear();
    }

    /// The latest seq of each of `workspaces` (absent: no such workspace).
    pub async fn latest_seqs(&self, workspaces: &[Uuid]) -> Result<HashMap<Uuid, i64>> {
        let mut out = HashMap::with_capacity(workspaces.len());
        for chunk in workspaces.chunks(500) {
            let rows: Vec<(Uuid, i64)> = workspace::Entity::find()
                .select_only()
                .column(workspace::Column::Id)
                .column(workspace::Column::LastSeq)
                .filter(workspace::Column::Id.is_in(chunk.iter().copied()))
                .into_tuple()
                .all(&self.db)
                .await?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// Up to `limit` committed events of `ws` after `after`, in seq order, with the rooms
    /// they are delivered to live (a bulk deletion's lead rooms from `deleted_leads`).
    pub async fn events_to_deliver(
        &self,
        ws: Uuid,
        after: i64,
        limit: u64,
    ) -> Result<Vec<StoredEvent>> {
        let rows = event::Entity::find()
            .filter(event::Column::WorkspaceId.eq(ws))
            .filter(event::Column::Seq.gt(after))
            .order_by_asc(event::Column::Seq)
            .limit(limit)
            .all(&self.db)
            .await?;
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            return Ok(Vec::new());
        };
        let (lo, hi) = (first.seq, last.seq);
        let mut deleted: HashMap<i64, Vec<String>> = HashMap::new();
        let bulk = rows
            .iter()
            .any(|r| r.entity_id.is_none() && r.action == "deleted");
        if bulk {
            let gone: Vec<(Uuid, i64)> = deleted_lead::Entity::find()
                .select_only()
                .column(deleted_lead::Column::LeadId)
                .column(deleted_lead::Column::Seq)
                .filter(deleted_lead::Column::WorkspaceId.eq(ws))
                .filter(deleted_lead::Column::Seq.between(lo, hi))
                .into_tuple()
                .all(&self.db)
                .await?;
            for (lead, seq) in gone {
                deleted
                    .entry(seq)
                    .or_default()
                    .push(Room::Lead(lead).name());
            }
        }
        rows.into_iter()
            .map(|m| {
                let rooms: Vec<String> = serde_json::from_value(m.rooms.clone())
                    .map_err(|_| StoreError::Corrupt(format!("event {} rooms", m.seq)))?;
                let live_only_rooms = deleted.remove(&m.seq).unwrap_or_default();
                Ok(StoredEvent {
                    workspace_id: ws,
                    rooms,
                    live_only_rooms,
                    event: crate::events::view(m)?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip() {
        let (ws, id, node) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(
            Signal::parse(EVENTS_CHANNEL, &events_payload(ws, 42)),
            Some(Signal::Events { ws, seq: 42 })
        );
        assert_eq!(
            Signal::parse(
                ACCESS_CHANNEL,
                &access_payload(node, ws, Subject::Token(id), true)
            ),
            Some(Signal::Access {
                origin: node,
                revoked: Revoked {
                    workspace_id: ws,
                    subject: Subject::Token(id)
                },
                ended: true
            })
        );
    }

    #[test]
    fn garbage_is_ignored() {
        for (c, p) in [
            (EVENTS_CHANNEL, "x:1"),
            (EVENTS_CHANNEL, "0196a0a0-0000-7000-8000-000000000000:1:2"),
            (ACCESS_CHANNEL, "a:b:c:d:e"),
            ("other", "0196a0a0-0000-7000-8000-000000000000:1"),
        ] {
            assert_eq!(Signal::parse(c, p), None, "{c} {p}");
        }
    }
}
