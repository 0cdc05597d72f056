//! The Socket.IO protocol's own shapes: handshake auth, client requests and their acks,
//! the error codes of refused requests and handshakes, and the payloads of server events
//! besides `EventView`. The server parses requests into these types and builds its acks
//! from them; `kandid asyncapi` documents the socket surface from them, and the TypeScript
//! kit's error codes are generated from [`AckErrorCode::ALL`].

use crate::views::{DashboardView, EventView};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;
use utoipa::ToSchema;

/// A request payload that must be a JSON object of `T`'s fields. A derived `Deserialize`
/// would also take the fields as an array (`[true]` for `{enabled: true}`); the protocol
/// accepts objects only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<T, M::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(ObjectVisitor(PhantomData)).map(Object)
    }
}

/// A token that is not a string counts as none (the header or query may still give one).
fn string_or_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Token {
        Text(String),
        Other(IgnoredAny),
    }
    Ok(match Token::deserialize(d)? {
        Token::Text(t) => Some(t),
        Token::Other(_) => None,
    })
}

/// Handshake `auth` of `io(url, {auth})`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct HandshakeAuth {
    /// The access token (also accepted as an `Authorization: Bearer` header or `?token=`).
    #[serde(
        default,
        deserialize_with = "string_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub token: Option<String>,
    /// Rooms to join instead of `workspace`, all or nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscribe: Option<Vec<String>>,
}

/// Only the token of a handshake `auth`: read when the rest of it is malformed, so that the
/// handshake is refused for its shape (`bad_request`) only once the token has passed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HandshakeToken {
    #[serde(default, deserialize_with = "string_or_none")]
    pub token: Option<String>,
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

impl RoomsAck {
    #[must_use]
    pub fn new(rooms: Vec<String>) -> Self {
        Self { ok: true, rooms }
    }
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

impl LiveAck {
    #[must_use]
    pub fn new(latest_seq: i64) -> Self {
        Self {
            ok: true,
            latest_seq,
        }
    }
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

impl SyncRequest {
    pub const DEFAULT_LIMIT: u64 = 100;
    pub const MAX_LIMIT: u64 = 1000;
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

/// The refusal inside an `ErrorAck`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AckError {
    pub code: AckErrorCode,
    /// For people; clients branch on `code`.
    pub message: String,
}

impl AckError {
    #[must_use]
    pub fn new(code: AckErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl From<AckError> for ErrorAck {
    fn from(error: AckError) -> Self {
        ErrorAck { ok: false, error }
    }
}

/// A closed set of codes: the enum, [`Self::ALL`] and the names in `as_str` come from one
/// list, so a code cannot be sent without being documented (see `kandid asyncapi`). The
/// wire names are the variants in `snake_case` (a test checks they equal `as_str`).
macro_rules! codes {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[doc = $doc:literal])* $variant:ident = $wire:literal,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[doc = $doc])* $variant,)*
        }

        impl $name {
            /// Every code, in the order declared.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The code as it is sent.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)*
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

codes! {
    /// `error.code` of a refused request: every code the server answers a client event with.
    pub enum AckErrorCode {
        /// The payload is not of the event's shape.
        BadRequest = "bad_request",
        /// A name in `rooms` is no room.
        InvalidRoom = "invalid_room",
        /// A room of another workspace, or of an entity that does not exist.
        NotFound = "not_found",
        /// The socket would hold more rooms than `SOCKET_MAX_ROOMS`.
        TooManyRooms = "too_many_rooms",
        /// More requests this second than `SOCKET_REQUESTS_PER_SECOND`.
        RateLimited = "rate_limited",
        /// No such client event.
        UnknownEvent = "unknown_event",
        /// The database is unreachable; try again.
        Unavailable = "unavailable",
        /// The session was revoked (the member removed, the token revoked); the server
        /// disconnects the socket right after.
        Unauthorized = "unauthorized",
        /// A bug, logged on the server.
        Internal = "internal",
    }
}

codes! {
    /// `connect_error` message (`err.message`) of a refused handshake.
    pub enum ConnectErrorCode {
        /// A missing, invalid or expired token, or one whose access was revoked.
        Unauthorized = "unauthorized",
        /// The user (or integration token) holds `SOCKET_MAX_PER_USER` sockets on this node.
        TooManySockets = "too_many_sockets",
        /// `auth.subscribe` names a room of another workspace, of a missing entity, or no room.
        NotFound = "not_found",
        /// `auth` or `auth.subscribe` is not of the documented shape.
        BadRequest = "bad_request",
        /// `auth.subscribe` names more rooms than `SOCKET_MAX_ROOMS`.
        TooManyRooms = "too_many_rooms",
        /// The database is unreachable; try again.
        Unavailable = "unavailable",
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sent_as_listed() {
        for c in AckErrorCode::ALL {
            assert_eq!(serde_json::to_value(c).ok(), Some(c.as_str().into()));
        }
        for c in ConnectErrorCode::ALL {
            assert_eq!(serde_json::to_value(c).ok(), Some(c.as_str().into()));
        }
    }

    #[test]
    fn requests_are_objects() {
        let live = |s: &str| serde_json::from_str::<Object<LiveRequest>>(s).map(|o| o.0.enabled);
        assert_eq!(live(r#"{"enabled": true, "other": 1}"#).ok(), Some(true));
        for bad in [
            "[true]",
            "[]",
            "true",
            "null",
            r#"{"enabled": "yes"}"#,
            "{}",
        ] {
            assert!(live(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_token_that_is_no_string_is_none() {
        let auth = |s: &str| serde_json::from_str::<Object<HandshakeAuth>>(s).map(|o| o.0);
        assert_eq!(
            auth(r#"{"token": 42, "subscribe": ["leads"]}"#)
                .ok()
                .map(|a| (a.token, a.subscribe)),
            Some((None, Some(vec!["leads".to_owned()])))
        );
        assert_eq!(
            auth(r#"{"token": "t"}"#).ok().and_then(|a| a.token),
            Some("t".to_owned())
        );
        assert!(auth(r#"{"token": "t", "subscribe": "leads"}"#).is_err());
    }
}
