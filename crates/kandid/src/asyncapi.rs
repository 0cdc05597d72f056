//! The AsyncAPI 3 document of the Socket.IO surface (`kandid asyncapi`, committed as
//! `openapi/asyncapi.yaml`), built from the same types the server sends and the REST API
//! documents, so the two cannot drift apart.

use kandid_domain::socket::{
    AckErrorCode, ConnectErrorCode, DashboardUpdated, ErrorAck, HandshakeAuth, LiveAck,
    LiveRequest, RoomsAck, RoomsRequest, SessionEnded, SyncAck, SyncRequest,
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
    summary: String,
    payload: Value,
    /// Rooms whose sockets receive it (server events only).
    rooms: &'static [&'static str],
}

/// `code`, `code` and `code`, from the enum's own list.
fn code_list(codes: impl IntoIterator<Item = &'static str>) -> String {
    codes
        .into_iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn messages() -> Vec<Msg> {
    vec![
        Msg {
            name: "campaigns_updated",
            summary: "A campaign was created, changed or deleted (after the commit).".into(),
            payload: event_payload("campaigns_updated", Some("CampaignView")),
            rooms: &["workspace", "campaigns", "campaign:<id>"],
        },
        Msg {
            name: "leads_updated",
            summary: "A lead was created, changed or deleted, or leads were imported or deleted in bulk (`id` null, `count` rows).".into(),
            payload: event_payload("leads_updated", Some("LeadView")),
            rooms: &["workspace", "leads", "campaign:<campaign_id>", "lead:<id>"],
        },
        Msg {
            name: "members_updated",
            summary: "A member joined, changed role, left or was removed (`id` is the user id).".into(),
            payload: event_payload("members_updated", Some("MemberView")),
            rooms: &["workspace"],
        },
        Msg {
            name: "dashboard_updated",
            summary: "New workspace metrics; at most one per 250 ms per workspace and node, never more than 1 s behind.".into(),
            payload: schema_ref("DashboardUpdated"),
            rooms: &["workspace", "dashboard"],
        },
        Msg {
            name: "session_expired",
            summary: "The token expired; the server disconnects the socket right after (sent even with live view off).".into(),
            payload: schema_ref("SessionEnded"),
            rooms: &[],
        },
        Msg {
            name: "session_revoked",
            summary: "The member was removed, the integration token revoked, or the sign-in session ended by logout; the server disconnects the socket right after.".into(),
            payload: schema_ref("SessionEnded"),
            rooms: &[],
        },
        Msg {
            name: "subscribe",
            summary: "Join rooms, all or nothing.".into(),
            payload: schema_ref("RoomsRequest"),
            rooms: &[],
        },
        Msg {
            name: "unsubscribe",
            summary: "Leave rooms.".into(),
            payload: schema_ref("RoomsRequest"),
            rooms: &[],
        },
        Msg {
            name: "live",
            summary: "Turn live delivery off or on; subscriptions are kept.".into(),
            payload: schema_ref("LiveRequest"),
            rooms: &[],
        },
        Msg {
            name: "sync",
            summary: "The events after `since` that the socket's subscriptions match.".into(),
            payload: schema_ref("SyncRequest"),
            rooms: &[],
        },
        Msg {
            name: "rooms_ack",
            summary: "Ack of `subscribe` and `unsubscribe`.".into(),
            payload: schema_ref("RoomsAck"),
            rooms: &[],
        },
        Msg {
            name: "live_ack",
            summary: "Ack of `live`.".into(),
            payload: schema_ref("LiveAck"),
            rooms: &[],
        },
        Msg {
            name: "sync_ack",
            summary: "Ack of `sync`.".into(),
            payload: schema_ref("SyncAck"),
            rooms: &[],
        },
        Msg {
            name: "error_ack",
            summary: format!(
                "Ack of a refused request, `error.code` one of {} (schema `AckErrorCode`); the connection stays up, \
                 except after `unauthorized`.",
                code_list(AckErrorCode::ALL.iter().map(|c| c.as_str()))
            ),
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
    add::<ConnectErrorCode>(&mut schemas);

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
            "description": format!("Socket.IO v5 (Engine.IO v4) surface of kandid, on the same port as the REST API. \
                The stock `socket.io-client` v4 connects with `io(url, {{auth: {{token, subscribe?}}}})` \
                (schema `HandshakeAuth`); a refused handshake fails with `connect_error`, its message one of \
                {} (schema `ConnectErrorCode`): a missing, invalid or expired token with `unauthorized`, \
                a room of another workspace or a missing entity in `auth.subscribe` with `not_found`, \
                a list of the wrong shape with `bad_request`.\n\n\
                Events are emitted only after their transaction commits. Client events are answered \
                through the ack callback with `{{ok: true, ...}}` or `{{ok: false, error: {{code, message}}}}` \
                (`code` one of `AckErrorCode`).",
                code_list(ConnectErrorCode::ALL.iter().map(|c| c.as_str()))),
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

/// How to regenerate what [`typescript`] prints.
pub const TYPESCRIPT_REGENERATE: &str =
    "cargo run -q -- asyncapi --typescript > clients/typescript/src/codes.ts";

fn ts_union(codes: impl IntoIterator<Item = &'static str>) -> String {
    codes
        .into_iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The TypeScript kit's error-code types (committed as `clients/typescript/src/codes.ts`),
/// from the same enums as the server's refusals and the AsyncAPI document.
#[must_use]
pub fn typescript() -> String {
    format!(
        "// Generated from kandid_domain::socket by `{TYPESCRIPT_REGENERATE}`; do not edit.\n\n\
         /** `error.code` of a refused request (`{{ok: false, error: {{code, message}}}}`). */\n\
         export type AckErrorCode = {};\n\n\
         /** `connect_error` message of a refused handshake. */\n\
         export type ConnectErrorCode = {};\n",
        ts_union(AckErrorCode::ALL.iter().map(|c| c.as_str())),
        ts_union(ConnectErrorCode::ALL.iter().map(|c| c.as_str())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn committed(path: &str) -> String {
        let path = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
    }

    fn set<'a>(codes: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
        codes.into_iter().map(str::to_owned).collect()
    }

    /// The codes of a `export type Name = "a" | "b";` line.
    fn ts_codes(ts: &str, name: &str) -> BTreeSet<String> {
        let start = format!("export type {name} = ");
        let line = ts
            .lines()
            .find_map(|l| l.strip_prefix(&start))
            .unwrap_or_else(|| panic!("{name} is not in codes.ts"));
        set(line
            .trim_end_matches(';')
            .split('|')
            .map(|c| c.trim().trim_matches('"')))
    }

    /// The server refuses only with codes of `AckErrorCode` and `ConnectErrorCode` (their
    /// types say so); each must be listed by the committed AsyncAPI document and the
    /// TypeScript kit, or clients meet codes nobody told them about.
    #[test]
    fn every_code_the_server_can_send_is_documented() {
        let doc: Value = serde_norway::from_str(&committed("openapi/asyncapi.yaml"))
            .unwrap_or_else(|e| panic!("openapi/asyncapi.yaml: {e}"));
        let ts = committed("clients/typescript/src/codes.ts");
        let cases = [
            (
                "AckErrorCode",
                set(AckErrorCode::ALL.iter().map(|c| c.as_str())),
            ),
            (
                "ConnectErrorCode",
                set(ConnectErrorCode::ALL.iter().map(|c| c.as_str())),
            ),
        ];
        for (name, sent) in cases {
            let documented = set(doc["components"]["schemas"][name]["enum"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str));
            assert_eq!(
                sent, documented,
                "openapi/asyncapi.yaml's {name} is not what the server sends; regenerate it with \
                 `cargo run -q -- asyncapi > openapi/asyncapi.yaml`"
            );
            assert_eq!(
                sent,
                ts_codes(&ts, name),
                "clients/typescript/src/codes.ts's {name} is not what the server sends; \
                 regenerate it with `{TYPESCRIPT_REGENERATE}`"
            );
        }
    }

    #[test]
    fn committed_typescript_codes_match_the_code() {
        assert!(
            committed("clients/typescript/src/codes.ts") == typescript(),
            "clients/typescript/src/codes.ts is out of date; regenerate it with `{TYPESCRIPT_REGENERATE}`"
        );
    }
}
