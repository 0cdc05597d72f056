//! Connection lifecycle and client events.
//!
//! Each socket carries a `Session`: its claims, the rooms it subscribed to (names inside
//! its workspace) and whether live view is on. The socket is joined to the workspace-keyed
//! rooms only while live is on, so turning live off stops all delivery while keeping the
//! subscriptions. Besides, every socket is in its user's or integration token's session
//! room (see `dispatch::session_room`) for its whole life, whatever live says, so that
//! removing the member or revoking the token reaches it.

use crate::Metrics;
use crate::dispatch::session_room;
use crate::expiry::{Expiries, ExpiryKey};
use crate::follow::Presence;
use crate::limits::{SocketLimits, SocketSlot};
use crate::rooms::{Room, RoomSet, key};
use kandid_domain::token::{Claims, Tokens, bearer};
use kandid_store::{Caller, Store};
use serde::Serialize;
use serde_json::{Value, json};
use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, Extension, SocketRef, State, TryData};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use uuid::Uuid;

pub const DEFAULT_SYNC_LIMIT: u64 = 100;
pub const MAX_SYNC_LIMIT: u64 = 1000;

/// Shared by every socket handler.
#[derive(Clone)]
pub struct RealtimeState {
    pub store: Store,
    pub tokens: Arc<Tokens>,
    pub metrics: Arc<Metrics>,
    pub limits: Arc<SocketLimits>,
    pub presence: Presence,
    /// When each socket's token expires (see `Expiries::run`).
    pub expiries: Arc<Expiries>,
}

struct Subscriptions {
    rooms: RoomSet,
    live: bool,
}

/// Per-socket state, in the socket's extensions.
#[derive(Clone)]
pub struct Session(Arc<SessionInner>);

struct SessionInner {
    claims: Claims,
    subs: Mutex<Subscriptions>,
    /// The socket's place in its subject's count, freed on disconnect.
    slot: Mutex<Option<SocketSlot>>,
    /// `subscribe`, `live` and `sync` calls left this second.
    budget: Option<governor::DefaultDirectRateLimiter>,
    /// Its entry in `RealtimeState::expiries`, dropped when the socket goes away first.
    expiry: ExpiryKey,
}

impl Session {
    fn ws(&self) -> Uuid {
        self.0.claims.ws
    }

    fn caller(&self) -> Caller {
        Caller {
            user_id: self.0.claims.sub,
            token_id: self.0.claims.jti,
        }
    }

    fn subs(&self) -> std::sync::MutexGuard<'_, Subscriptions> {
        self.0.subs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn room_names(&self) -> Vec<String> {
        self.subs().rooms.iter().map(|r| r.name()).collect()
    }

    /// Spends one request of the socket's budget.
    fn throttle(&self) -> Result<(), Refusal> {
        match &self.0.budget {
            Some(b) if b.check().is_err() => Err(Refusal {
                code: "rate_limited",
                message: "too many requests on this socket; slow down".into(),
            }),
            _ => Ok(()),
        }
    }
}

fn too_many_rooms(max: usize) -> Refusal {
    Refusal {
        code: "too_many_rooms",
        message: format!("a socket holds at most {max} rooms"),
    }
}

/// Why a request was refused, as an error ack `{ok:false, error:{code, message}}`.
#[derive(Debug)]
struct Refusal {
    code: &'static str,
    message: String,
}

impl Refusal {
    fn bad(message: impl Into<String>) -> Self {
        Refusal {
            code: "bad_request",
            message: message.into(),
        }
    }

    fn ack(&self) -> Value {
        json!({"ok": false, "error": {"code": self.code, "message": self.message}})
    }
}

impl From<kandid_store::StoreError> for Refusal {
    fn from(e: kandid_store::StoreError) -> Self {
        match e {
            kandid_store::StoreError::NotFound | kandid_store::StoreError::UnknownWorkspace => {
                Refusal {
                    code: "not_found",
                    message: "no such room".into(),
                }
            }
            kandid_store::StoreError::Unavailable(_) | kandid_store::StoreError::Busy => Refusal {
                code: "unavailable",
                message: "the database is unreachable; try again".into(),
            },
            e => {
                tracing::error!(error = %e, "socket request failed");
                Refusal {
                    code: "internal",
                    message: "an unexpected error occurred".into(),
                }
            }
        }
    }
}

/// Error of the connect middleware; its text is the client's `connect_error` message.
#[derive(Debug)]
pub struct ConnectRefused(&'static str);

impl std::fmt::Display for ConnectRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

fn token_from<A: Adapter>(s: &SocketRef<A>, auth: Option<&Value>) -> Option<String> {
    if let Some(t) = auth.and_then(|a| a.get("token")).and_then(Value::as_str) {
        return Some(t.to_owned());
    }
    let parts = s.req_parts();
    let header = parts
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    if let Some(t) = header.and_then(bearer) {
        return Some(t.to_owned());
    }
    let query = parts.uri.query()?;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
}

/// Parses `{rooms: [string]}` into rooms, all or nothing.
fn parse_rooms(payload: &Value, max: usize) -> Result<Vec<Room>, Refusal> {
    let list = match payload {
        Value::Object(m) => m.get("rooms"),
        _ => None,
    };
    parse_room_list(
        list.ok_or_else(|| Refusal::bad("expected {rooms: [string]}"))?,
        max,
    )
}

fn parse_room_list(list: &Value, max: usize) -> Result<Vec<Room>, Refusal> {
    let items = list
        .as_array()
        .ok_or_else(|| Refusal::bad("rooms must be an array of strings"))?;
    if items.len() > max {
        return Err(too_many_rooms(max));
    }
    items
        .iter()
        .map(|v| {
            let name = v
                .as_str()
                .ok_or_else(|| Refusal::bad("rooms must be an array of strings"))?;
            Room::parse(name).ok_or_else(|| Refusal {
                code: "invalid_room",
                message: format!("no room is named {name:?}"),
            })
        })
        .collect()
}

/// Checks that entity rooms name entities of the caller's workspace.
async fn authorize(store: &Store, ws: Uuid, rooms: &[Room]) -> Result<(), Refusal> {
    for r in rooms {
        let exists = match *r {
            Room::Campaign(id) => store.campaign_exists(ws, id).await?,
            Room::Lead(id) => store.lead_exists(ws, id).await?,
            _ => true,
        };
        if !exists {
            return Err(Refusal {
                code: "not_found",
                message: format!("no such room: {}", r.name()),
            });
        }
    }
    Ok(())
}

/// The caller's role in `ws` now (`None`: removed, revoked, or a token whose creator
/// left), as REST resolves it.
async fn current_role(
    store: &Store,
    ws: Uuid,
    caller: Caller,
) -> kandid_store::Result<Option<kandid_domain::Role>> {
    store.access(ws, caller).await
}

const REVOKED: &str = "unauthorized";

/// Requests of a socket whose member was removed or token revoked are refused, and the
/// socket is ended as the revocation would have. Normally the revocation reached it
/// already; this covers one lost on the way from another node (pub/sub is at most once).
async fn still_allowed(rt: &RealtimeState, session: &Session) -> Result<(), Refusal> {
    match current_role(&rt.store, session.ws(), session.caller()).await? {
        Some(_) => Ok(()),
        None => Err(Refusal {
            code: REVOKED,
            message: "the session was revoked".into(),
        }),
    }
}

/// Checks every session on this node again and ends those whose member was removed or
/// token revoked, as the revocation would have: run when the signal path between nodes
/// comes back, since a revocation may have been announced while it was down. A session
/// whose access cannot be checked (database unavailable) is left alone.
pub async fn recheck_sessions<A: Adapter>(io: SocketIo<A>, store: Store) {
    let mut allowed: HashMap<(Uuid, Caller), bool> = HashMap::new();
    let Some(here) = crate::dispatch::here(&io) else {
        return;
    };
    for s in here.sockets() {
        let Some(session) = s.extensions.get::<Session>() else {
            continue;
        };
        let who = (session.ws(), session.caller());
        let ok = match allowed.get(&who) {
            Some(ok) => *ok,
            None => {
                let ok = !matches!(current_role(&store, who.0, who.1).await, Ok(None));
                allowed.insert(who, ok);
                ok
            }
        };
        if !ok {
            let _ = s.emit("session_revoked", &json!({"reason": "access revoked"}));
            let _ = s.disconnect();
        }
    }
}

/// Answers a request; a refusal for a revoked session also ends the socket.
fn reply_or_end<A: Adapter>(s: SocketRef<A>, ack: AckSender<A>, result: Result<Value, Refusal>) {
    let revoked = matches!(&result, Err(r) if r.code == REVOKED);
    reply(ack, result);
    if revoked {
        let _ = s.emit("session_revoked", &json!({"reason": "access revoked"}));
        let _ = s.disconnect();
    }
}

/// Connect middleware: verifies the token and the requested subscriptions.
pub async fn authenticate<A: Adapter>(
    s: SocketRef<A>,
    State(rt): State<RealtimeState>,
    TryData(auth): TryData<Value>,
) -> Result<(), ConnectRefused> {
    let auth = auth.ok();
    let token = token_from(&s, auth.as_ref()).ok_or(ConnectRefused("unauthorized"))?;
    let claims = rt
        .tokens
        .verify(&token)
        .map_err(|_| ConnectRefused("unauthorized"))?;
    // As on REST: the user must still be a member, the integration token still valid and
    // its creator still a member.
    let caller = Caller {
        user_id: claims.sub,
        token_id: claims.jti,
    };
    let subject = caller.subject();
    // Before any database work; freed again if a later check refuses the connection.
    let slot = rt
        .limits
        .admit(subject)
        .ok_or(ConnectRefused("too_many_sockets"))?;
    match current_role(&rt.store, claims.ws, caller).await {
        Ok(Some(_)) => {}
        Ok(None) => return Err(ConnectRefused("unauthorized")),
        Err(_) => return Err(ConnectRefused("unavailable")),
    }
    let rooms = match auth.as_ref().and_then(|a| a.get("subscribe")) {
        None | Some(Value::Null) => vec![Room::Workspace],
        Some(list) => {
            // A list of the wrong shape is a bad request; a name that is no room of this
            // workspace is not found, like a missing entity.
            let rooms = parse_room_list(list, rt.limits.max_rooms).map_err(|e| match e.code {
                "bad_request" | "too_many_rooms" => ConnectRefused(e.code),
                _ => ConnectRefused("not_found"),
            })?;
            authorize(&rt.store, claims.ws, &rooms)
                .await
                .map_err(|e| match e.code {
                    "unavailable" | "internal" => ConnectRefused("unavailable"),
                    _ => ConnectRefused("not_found"),
                })?;
            rooms
        }
    };
    let rooms: RoomSet = rooms.into_iter().collect();
    if rooms.len() > rt.limits.max_rooms {
        return Err(ConnectRefused("too_many_rooms"));
    }
    // The first socket of a workspace here starts the node following its log, from the
    // latest seq as it is before the socket joins any room (see `follow`).
    let ws = claims.ws;
    if rt.presence.join(ws) {
        match rt.store.latest_seq(ws).await {
            Ok(seq) => rt.presence.follow_from(ws, seq),
            Err(_) => {
                rt.presence.leave(ws);
                return Err(ConnectRefused("unavailable"));
            }
        }
    }
    let expiry = rt.expiries.add(claims.exp, {
        let s = s.clone();
        // Sent even with live view off; then the socket is disconnected.
        Box::new(move || {
            let _ = s.emit("session_expired", &json!({"reason": "token expired"}));
            let _ = s.disconnect();
        })
    });
    let session = Session(Arc::new(SessionInner {
        claims,
        subs: Mutex::new(Subscriptions { rooms, live: true }),
        slot: Mutex::new(Some(slot)),
        budget: rt.limits.request_budget(),
        expiry,
    }));
    // Everything the socket needs is in place before the server answers CONNECT: the
    // connect handler runs as a separate task after that answer, so a client that writes
    // or emits right after `connect` would otherwise race it.
    join_all(&s, session.ws(), session.subs().rooms.iter().copied());
    // Outside the subscriptions: `live: false` must not keep a revocation from arriving.
    // A token's socket is in its creator's room too: the creator's removal ends it.
    for subject in caller.subjects() {
        s.join(session_room(session.ws(), subject));
    }
    s.extensions.insert(session.clone());
    s.on("subscribe", on_subscribe::<A>);
    s.on("unsubscribe", on_unsubscribe::<A>);
    s.on("live", on_live::<A>);
    s.on("sync", on_sync::<A>);
    s.on_fallback(async |ack: AckSender<A>| {
        let _ = ack.send(
            &Refusal {
                code: "unknown_event",
                message: "no such event".into(),
            }
            .ack(),
        );
    });
    s.on_disconnect(
        async |Extension(session): Extension<Session>, State(rt): State<RealtimeState>| {
            drop(
                session
                    .0
                    .slot
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .take(),
            );
            rt.presence.leave(session.ws());
            rt.expiries.remove(session.0.expiry);
            rt.metrics.connected.dec();
        },
    );
    rt.metrics.connected.inc();
    rt.metrics.connections.inc();
    Ok(())
}

fn join_all<A: Adapter>(s: &SocketRef<A>, ws: Uuid, rooms: impl IntoIterator<Item = Room>) {
    let keys: Vec<String> = rooms.into_iter().map(|r| key(ws, &r.name())).collect();
    if !keys.is_empty() {
        s.join(keys);
    }
}

fn leave_all<A: Adapter>(s: &SocketRef<A>, ws: Uuid, rooms: impl IntoIterator<Item = Room>) {
    let keys: Vec<String> = rooms.into_iter().map(|r| key(ws, &r.name())).collect();
    if !keys.is_empty() {
        s.leave(keys);
    }
}

/// Connect handler. The middleware has set the socket up already (see `authenticate`).
///
/// One more access check, now that the socket is connected and in its session rooms: a
/// revocation that committed while the middleware ran (after its own check) was sent to
/// rooms this socket had not joined yet, or while it was not yet among the namespace's
/// sockets. Every revocation drops the cached role before it is sent, so from here on
/// either this check sees it or the revocation reaches the socket.
pub async fn on_connect<A: Adapter>(
    s: SocketRef<A>,
    State(rt): State<RealtimeState>,
    Extension(session): Extension<Session>,
) {
    tracing::debug!(sid = %s.id, "socket connected");
    if let Ok(None) = current_role(&rt.store, session.ws(), session.caller()).await {
        let _ = s.emit("session_revoked", &json!({"reason": "access revoked"}));
        let _ = s.disconnect();
    }
}

fn reply<A: Adapter>(ack: AckSender<A>, result: Result<Value, Refusal>) {
    let body = result.unwrap_or_else(|e| e.ack());
    let _ = ack.send(&body);
}

fn payload(data: Result<Value, socketioxide::ParserError>) -> Result<Value, Refusal> {
    data.map_err(|_| Refusal::bad("the payload is not valid JSON"))
}

#[derive(Serialize)]
struct RoomsAck {
    ok: bool,
    rooms: Vec<String>,
}

async fn on_subscribe<A: Adapter>(
    s: SocketRef<A>,
    State(rt): State<RealtimeState>,
    Extension(session): Extension<Session>,
    TryData(data): TryData<Value>,
    ack: AckSender<A>,
) {
    let result = async {
        session.throttle()?;
        still_allowed(&rt, &session).await?;
        let max = rt.limits.max_rooms;
        let rooms = parse_rooms(&payload(data)?, max)?;
        authorize(&rt.store, session.ws(), &rooms).await?;
        let mut subs = session.subs();
        let new: Vec<Room> = rooms
            .into_iter()
            .filter(|r| !subs.rooms.contains(r))
            .collect();
        if subs.rooms.len() + new.len() > max {
            return Err(too_many_rooms(max));
        }
        if subs.live {
            join_all(&s, session.ws(), new.iter().copied());
        }
        subs.rooms.extend(new);
        drop(subs);
        Ok(serde_json::to_value(RoomsAck {
            ok: true,
            rooms: session.room_names(),
        })
        .unwrap_or_default())
    }
    .await;
    reply_or_end(s, ack, result);
}

async fn on_unsubscribe<A: Adapter>(
    s: SocketRef<A>,
    State(rt): State<RealtimeState>,
    Extension(session): Extension<Session>,
    TryData(data): TryData<Value>,
    ack: AckSender<A>,
) {
    let result = (|| {
        let rooms = parse_rooms(&payload(data)?, rt.limits.max_rooms)?;
        let mut subs = session.subs();
        let gone: Vec<Room> = rooms.into_iter().filter(|r| subs.rooms.remove(r)).collect();
        if subs.live {
            leave_all(&s, session.ws(), gone);
        }
        drop(subs);
        Ok(serde_json::to_value(RoomsAck {
            ok: true,
            rooms: session.room_names(),
        })
        .unwrap_or_default())
    })();
    reply(ack, result);
}

async fn on_live<A: Adapter>(
    s: SocketRef<A>,
    State(rt): State<RealtimeState>,
    Extension(session): Extension<Session>,
    TryData(data): TryData<Value>,
    ack: AckSender<A>,
) {
    let result = async {
        session.throttle()?;
        still_allowed(&rt, &session).await?;
        let enabled = payload(data)?
            .get("enabled")
            .and_then(Value::as_bool)
            .ok_or_else(|| Refusal::bad("expected {enabled: boolean}"))?;
        {
            let mut subs = session.subs();
            if subs.live != enabled {
                subs.live = enabled;
                let rooms: Vec<Room> = subs.rooms.iter().copied().collect();
                if enabled {
                    join_all(&s, session.ws(), rooms);
                } else {
                    leave_all(&s, session.ws(), rooms);
                }
            }
        }
        let latest_seq = rt.store.latest_seq(session.ws()).await?;
        Ok(json!({"ok": true, "latest_seq": latest_seq}))
    }
    .await;
    reply_or_end(s, ack, result);
}

async fn on_sync<A: Adapter>(
    s: SocketRef<A>,
    State(rt): State<RealtimeState>,
    Extension(session): Extension<Session>,
    TryData(data): TryData<Value>,
    ack: AckSender<A>,
) {
    let result = async {
        session.throttle()?;
        still_allowed(&rt, &session).await?;
        let p = payload(data)?;
        let since = p.get("since").and_then(Value::as_i64).filter(|s| *s >= 0);
        let since =
            since.ok_or_else(|| Refusal::bad("expected {since: integer >= 0, limit?: 1-1000}"))?;
        let limit = match p.get("limit") {
            None | Some(Value::Null) => DEFAULT_SYNC_LIMIT,
            Some(v) => v
                .as_u64()
                .filter(|l| (1..=MAX_SYNC_LIMIT).contains(l))
                .ok_or_else(|| {
                    Refusal::bad(format!("limit must be between 1 and {MAX_SYNC_LIMIT}"))
                })?,
        };
        let rooms = session.room_names();
        let page = rt
            .store
            .events_since(session.ws(), since, limit, Some(&rooms))
            .await?;
        Ok(json!({
            "ok": true,
            "events": page.data,
            "latest_seq": page.latest_seq,
            "has_more": page.has_more,
            "reset": page.reset,
        }))
    }
    .await;
    reply_or_end(s, ack, result);
}
