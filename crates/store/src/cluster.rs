//! What nodes sharing one PostgreSQL database tell each other, and what they read back.
//!
//! The event log is the truth: every node delivers a workspace's events to its own sockets
//! by reading them from the `events` table after the last seq it delivered. A commit that
//! appended events also sends `NOTIFY` on [`EVENTS_CHANNEL`] (in the same transaction, so
//! it is heard only once the commit is visible) to wake the other nodes up; a change of
//! access sends [`ACCESS_CHANNEL`], so that caches drop the entry and sessions end on every
//! node. A notification only says "look now": losing one costs latency, never an event.
//!
//! Payloads are JSON ([`EventsSignal`], [`AccessSignal`]): written by the write path
//! (`tx::notify`) and read by [`Signal::parse`], nowhere else.

use crate::entity::{deleted_lead, event, workspace};
use crate::error::{Result, StoreError};
use crate::{Revoked, Store, StoredEvent, Subject};
use kandid_domain::Room;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// Channel of "workspace W committed events up to seq S".
pub const EVENTS_CHANNEL: &str = "kandid_events";
/// Channel of "subject X's access to workspace W changed (and was revoked)".
pub const ACCESS_CHANNEL: &str = "kandid_access";

/// The payload on [`EVENTS_CHANNEL`]: workspace `ws` has committed events up to `seq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsSignal {
    pub ws: Uuid,
    pub seq: i64,
}

/// The payload on [`ACCESS_CHANNEL`]: `subject`'s access to `ws` changed on node `origin`;
/// `ended`: it was revoked, and its sessions end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessSignal {
    pub origin: Uuid,
    pub ws: Uuid,
    pub subject: Subject,
    pub ended: bool,
}

impl EventsSignal {
    /// The channel and JSON payload of its `NOTIFY`.
    pub(crate) fn to_notify(self) -> (&'static str, String) {
        (EVENTS_CHANNEL, json(&self))
    }
}

impl AccessSignal {
    /// The channel and JSON payload of its `NOTIFY`.
    pub(crate) fn to_notify(self) -> (&'static str, String) {
        (ACCESS_CHANNEL, json(&self))
    }
}

/// A payload as JSON. These structs hold ids, numbers and flags only, which always
/// serialise; were one not to, the empty payload is ignored by every reader, and a lost
/// notification costs latency, not an event.
fn json<T: Serialize>(payload: &T) -> String {
    serde_json::to_string(payload).unwrap_or_default()
}

/// A notification from another node (or this one), parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// `ws` has committed events up to `seq`.
    Events { ws: Uuid, seq: i64 },
    /// A change of access made on node `origin`; `ended`: its sessions end.
    Access {
        origin: Uuid,
        revoked: Revoked,
        ended: bool,
    },
}

impl Signal {
    /// Parses a notification's channel and JSON payload: the one place payloads are read.
    /// `None` for any other channel or a payload that does not parse.
    #[must_use]
    pub fn parse(channel: &str, payload: &str) -> Option<Self> {
        match channel {
            EVENTS_CHANNEL => {
                let EventsSignal { ws, seq } = serde_json::from_str(payload).ok()?;
                Some(Signal::Events { ws, seq })
            }
            ACCESS_CHANNEL => {
                let a: AccessSignal = serde_json::from_str(payload).ok()?;
                Some(Signal::Access {
                    origin: a.origin,
                    revoked: Revoked {
                        workspace_id: a.ws,
                        subject: a.subject,
                    },
                    ended: a.ended,
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
        let (channel, payload) = EventsSignal { ws, seq: 42 }.to_notify();
        assert_eq!(
            Signal::parse(channel, &payload),
            Some(Signal::Events { ws, seq: 42 })
        );
        let (channel, payload) = AccessSignal {
            origin: node,
            ws,
            subject: Subject::Token(id),
            ended: true,
        }
        .to_notify();
        assert_eq!(
            Signal::parse(channel, &payload),
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
    fn payloads_are_json() {
        let ws = Uuid::nil();
        let (_, payload) = AccessSignal {
            origin: ws,
            ws,
            subject: Subject::User(ws),
            ended: false,
        }
        .to_notify();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&payload).ok(),
            Some(serde_json::json!({
                "origin": ws, "ws": ws, "subject": {"user": ws}, "ended": false
            }))
        );
    }

    #[test]
    fn garbage_is_ignored() {
        let ws = "0196a0a0-0000-7000-8000-000000000000";
        for (c, p) in [
            (EVENTS_CHANNEL, "x:1".to_owned()),
            (EVENTS_CHANNEL, format!("{ws}:1")),
            (EVENTS_CHANNEL, format!(r#"{{"ws":"{ws}","seq":"1"}}"#)),
            (
                EVENTS_CHANNEL,
                format!(r#"{{"ws":"{ws}","seq":1,"more":2}}"#),
            ),
            (ACCESS_CHANNEL, "a:b:c:d:e".to_owned()),
            (
                ACCESS_CHANNEL,
                format!(
                    r#"{{"origin":"{ws}","ws":"{ws}","subject":{{"group":"{ws}"}},"ended":true}}"#
                ),
            ),
            ("other", format!(r#"{{"ws":"{ws}","seq":1}}"#)),
        ] {
            assert_eq!(Signal::parse(c, &p), None, "{c} {p}");
        }
    }
}
