//! The AsyncAPI 3 document of the Socket.IO surface (`kandid asyncapi`, committed as
//! `openapi/asyncapi.yaml`), built from the same types the server sends and the REST API
//! documents, so the two cannot drift apart.

use kandid_domain::socket::{
    DashboardUpdated, ErrorAck, HandshakeAuth, LiveAck, LiveRequest, RoomsAck, RoomsRequest,
    SessionEnded, SyncAck, SyncRequest,
};
use kandid_domain::views::{CampaignView, EventView, LeadView, MemberView};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use utoipa::ToSchema;

const CHANNEL: &str = "#/channels/socket";

fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn add<T: ToSchema>(schemas: &mut BTreeMap<String, Value>) {
    let mut all = vec![(T::name().into_owned(), T::schema())];
    T::schemas(&mut all);
    for (name, schema) in all {
        schemas.insert(name, serde_json::to_value(schema).unwrap_or_default());
    }
}

/// An event of the log (`EventView`) whose `type` and `data` are known.
fn event_payload(event: &str, data: Option<&str>) -> Value {
    let data = match data {
        Some(entity) => json!({"oneOf": [schema_ref(entity), {"type": "null"}],
            "description": "The entity as the REST API returns it at that commit; null on delete and bulk actions."}),
        None => json!({"type": "null"}),
    };
    json!({"allOf": [schema_ref("EventView"), {
        "type": "object",
        "properties": {"type": {"const": event}, "data": data},
    }]})
}

struct Msg {
    name: &'static str,
    summary: &'static str,
    payload: Value,
    /// Rooms whose sockets receive it (server events only).
    rooms: &'static [&'static str],
}

fn messages() -> Vec<Msg> {
    vec![
        Msg {
            name: "campaigns_updated",
            summary: "A campaign was created, changed or deleted (after the commit).",
            payload: event_payload("campaigns_updated", Some("CampaignView")),
            rooms: &["workspace", "campaigns", "campaign:<id>"],
        },
        Msg {
            name: "leads_updated",
            summary: "A lead was created, changed or deleted, or leads were imported or deleted in bulk (`id` null, `count` rows).",
            payload: event_payload("leads_updated", Some("LeadView")),
            rooms: &["workspace", "leads", "campaign:<campaign_id>", "lead:<id>"],
        },
        Msg {
            name: "members_updated",
            summary: "A member joined, changed role, left or was removed (`id` is the user id).",
            payload: event_payload("members_updated", Some("MemberView")),
            rooms: &["workspace"],
        },
        Msg {
            name: "dashboard_updated",
            summary: "New workspace metrics; at most one per 250 ms per workspace and node, never more than 1 s behind.",
            payload: schema_ref("DashboardUpdated"),
            rooms: &["workspace", "dashboard"],
        },
        Msg {
            name: "session_expired",
            summary: "The token expired; the server disconnects the socket right after (sent even with live view off).",
            payload: schema_ref("SessionEnded"),
            rooms: &[],
        },
        Msg {
            name: "session_revoked",
            summary: "The member was removed or the integration token revoked; the server disconnects the socket right after.",
            payload: schema_ref("SessionEnded"),
            rooms: &[],
        },
        Msg {
            name: "subscribe",
            summary: "Join rooms, all or nothing.",
            payload: schema_ref("RoomsRequest"),
            rooms: &[],
        },
        Msg {
            name: "unsubscribe",
            summary: "Leave rooms.",
            payload: schema_ref("RoomsRequest"),
            rooms: &[],
        },
        Msg {
            name: "live",
            summary: "Turn live delivery off or on; subscriptions are kept.",
            payload: schema_ref("LiveRequest"),
            rooms: &[],
        },
        Msg {
            name: "sync",
            summary: "The events after `since` that the socket's subscriptions match.",
            payload: schema_ref("SyncRequest"),
            rooms: &[],
        },
        Msg {
            name: "rooms_ack",
            summary: "Ack of `subscribe` and `unsubscribe`.",
            payload: schema_ref("RoomsAck"),
            rooms: &[],
        },
        Msg {
            name: "live_ack",
            summary: "Ack of `live`.",
            payload: schema_ref("LiveAck"),
            rooms: &[],
        },
        Msg {
            name: "sync_ack",
            summary: "Ack of `sync`.",
            payload: schema_ref("SyncAck"),
            rooms: &[],
        },
        Msg {
            name: "error_ack",
            summary: "Ack of a refused request (`bad_request`, `invalid_room`, `not_found`, `unknown_event`, `unavailable`, `unauthorized`); the connection stays up.",
            payload: schema_ref("ErrorAck"),
            rooms: &[],
        },
    ]
}

/// Server events the client receives, and client events with the acks they get.
const RECEIVE: &[&str] = &[
    "campaigns_updated",
    "leads_updated",
    "members_updated",
    "dashboard_updated",
    "session_expired",
    "session_revoked",
];
const SEND: &[(&str, &str)] = &[
    ("subscribe", "rooms_ack"),
    ("unsubscribe", "rooms_ack"),
    ("live", "live_ack"),
    ("sync", "sync_ack"),
];

const ROOMS: &str = "\
Rooms a client names (always inside the token's workspace):\n\n\
| room | receives |\n|---|---|\n\
| `workspace` | every event of the workspace (the default when `auth.subscribe` is absent) |\n\
| `campaigns` | `campaigns_updated` for any campaign |\n\
| `leads` | `leads_updated` for any lead |\n\
| `campaign:<id>` | `campaigns_updated` of that campaign and `leads_updated` of its leads |\n\
| `lead:<id>` | `leads_updated` of that lead |\n\
| `dashboard` | `dashboard_updated` |\n\n\
A socket receives each event once, however many of its rooms match, in `seq` order. \
`seq` is per workspace, from 1, gapless and in commit order: a client keeps the last seq \
it applied and, after a reconnect or on a gap, calls `sync {since}`; `reset: true` means \
refetch over REST.";

fn operation_id(prefix: &str, name: &str) -> String {
    let mut id = String::from(prefix);
    for part in name.split('_') {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            id.extend(first.to_uppercase());
            id.push_str(chars.as_str());
        }
    }
    id
}

fn msg_ref(name: &str) -> Value {
    json!({"$ref": format!("{CHANNEL}/messages/{name}")})
}

/// The document as a JSON value.
#[must_use]
pub fn document() -> Value {
    let mut schemas = BTreeMap::new();
    add::<EventView>(&mut schemas);
    add::<CampaignView>(&mut schemas);
    add::<LeadView>(&mut schemas);
    add::<MemberView>(&mut schemas);
    add::<DashboardUpdated>(&mut schemas);
    add::<SessionEnded>(&mut schemas);
    add::<HandshakeAuth>(&mut schemas);
    add::<RoomsRequest>(&mut schemas);
    add::<RoomsAck>(&mut schemas);
    add::<LiveRequest>(&mut schemas);
    add::<LiveAck>(&mut schemas);
    add::<SyncRequest>(&mut schemas);
    add::<SyncAck>(&mut schemas);
    add::<ErrorAck>(&mut schemas);

    let mut components_messages = Map::new();
    let mut channel_messages = Map::new();
    for m in messages() {
        let mut body = json!({
            "name": m.name,
            "title": m.name,
            "summary": m.summary,
            "contentType": "application/json",
            "payload": m.payload,
        });
        if !m.rooms.is_empty() {
            body["x-rooms"] = json!(m.rooms);
        }
        components_messages.insert(m.name.to_owned(), body);
        channel_messages.insert(
            m.name.to_owned(),
            json!({"$ref": format!("#/components/messages/{}", m.name)}),
        );
    }

    let mut operations = Map::new();
    for name in RECEIVE {
        operations.insert(
            operation_id("on", name),
            json!({
                "action": "receive",
                "channel": {"$ref": CHANNEL},
                "summary": format!("`{name}` from the server"),
                "messages": [msg_ref(name)],
            }),
        );
    }
    for (name, ack) in SEND {
        operations.insert(
            operation_id("emit", name),
            json!({
                "action": "send",
                "channel": {"$ref": CHANNEL},
                "summary": format!("`{name}`, answered through the Socket.IO ack callback"),
                "messages": [msg_ref(name)],
                "reply": {"channel": {"$ref": CHANNEL}, "messages": [msg_ref(ack), msg_ref("error_ack")]},
            }),
        );
    }

    json!({
        "asyncapi": "3.1.0",
        "info": {
            "title": "kandid realtime",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Socket.IO v5 (Engine.IO v4) surface of kandid, on the same port as the REST API. \
                The stock `socket.io-client` v4 connects with `io(url, {auth: {token, subscribe?}})` \
                (schema `HandshakeAuth`); a missing, invalid or expired token fails with `connect_error` \
                message `unauthorized`, a room of another workspace or a missing entity in \
                `auth.subscribe` with `not_found`, a list of the wrong shape with `bad_request`.\n\n\
                Events are emitted only after their transaction commits. Client events are answered \
                through the ack callback with `{ok: true, ...}` or `{ok: false, error: {code, message}}`.",
            "license": {"name": "MIT OR Apache-2.0"},
        },
        "defaultContentType": "application/json",
        "servers": {
            "local": {
                "host": "localhost:8080",
                "protocol": "ws",
                "pathname": "/socket.io/",
                "description": "Engine.IO transports `polling` and `websocket`, with upgrade.",
                "security": [{"$ref": "#/components/securitySchemes/token"}],
            },
        },
        "channels": {
            "socket": {
                "address": "/",
                "title": "Namespace `/`",
                "description": ROOMS,
                "servers": [{"$ref": "#/servers/local"}],
                "messages": channel_messages,
                "x-rooms": ["workspace", "campaigns", "leads", "dashboard", "campaign:<id>", "lead:<id>"],
            },
        },
        "operations": operations,
        "components": {
            "schemas": schemas,
            "messages": components_messages,
            "securitySchemes": {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "The REST API's token, given as the handshake's `auth.token`, an \
                        `Authorization: Bearer` header or the `token` query parameter.",
                },
            },
        },
    })
}

/// The document as committed under `openapi/asyncapi.yaml`.
///
/// # Errors
/// When the document cannot be written as YAML.
pub fn yaml() -> anyhow::Result<String> {
    Ok(serde_norway::to_string(&document())?)
}
