//! The Socket.IO protocol's own shapes: handshake auth, client requests and their acks,
//! and the payloads of server events besides `EventView`. `kandid asyncapi` documents the
//! socket surface from these types.

use crate::views::{DashboardView, EventView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Handshake `auth` of `io(url, {auth})`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HandshakeAuth {
    /// The access token (also accepted as an `Authorization: Bearer` header or `?token=`).
    pub token: String,
    /// Rooms to join instead of `workspace`, all or nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscribe: Option<Vec<String>>,
}

/// `subscribe` and `unsubscribe` request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RoomsRequest {
    /// Room names: `workspace`, `campaigns`, `leads`, `dashboard`, `campaign:<id>`, `lead:<id>`.
    pub rooms: Vec<String>,
}

/// Ack of `subscribe` / `unsubscribe`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RoomsAck {
    /// Always `true`.
    pub ok: bool,
    /// Every room the socket holds now.
    pub rooms: Vec<String>,
}

/// `live` request: the live-view toggle.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LiveRequest {
    /// Off: nothing is delivered to the socket; its subscriptions are kept.
    pub enabled: bool,
}

/// Ack of `live`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LiveAck {
    /// Always `true`.
    pub ok: bool,
    pub latest_seq: i64,
}

/// `sync` request: the events after `since` that the socket's subscriptions match.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SyncRequest {
    /// The last seq the client applied (0: from the start of the log).
    #[schema(minimum = 0)]
    pub since: i64,
    /// 1–1000, default 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// Ack of `sync`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SyncAck {
    /// Always `true`.
    pub ok: bool,
    /// In seq order.
    pub events: Vec<EventView>,
    pub latest_seq: i64,
    /// More events follow: call `sync` again from the last one's seq.
    pub has_more: bool,
    /// `since` is older than the retention or ahead of the log: refetch over REST.
    pub reset: bool,
}

/// Ack of a refused request; the connection stays up.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorAck {
    /// Always `false`.
    pub ok: bool,
    pub error: AckError,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AckError {
    pub code: AckErrorCode,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AckErrorCode {
    BadRequest,
    InvalidRoom,
    NotFound,
    UnknownEvent,
    Unavailable,
    Unauthorized,
    Internal,
}

/// Payload of `dashboard_updated`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DashboardUpdated {
    /// The latest event these metrics reflect (not itself an event of the log).
    pub seq: i64,
    pub metrics: DashboardView,
}

/// Payload of `session_expired` and `session_revoked`, sent just before the disconnect.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SessionEnded {
    pub reason: String,
}
