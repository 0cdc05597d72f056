//! A socket's life: the connect middleware (token, limits, `auth.subscribe`), the connect
//! handler, and what its disconnect frees.

use crate::protocol::{Refusal, reply};
use crate::rooms::{Room, RoomSet};
use crate::session::{Session, current_role, end, end_revoked, join_all, session_room};
use crate::state::RealtimeState;
use crate::subscriptions::{authorize, parse_rooms};
use crate::{subscriptions, sync};
use kandid_domain::socket::{
    AckErrorCode, ConnectErrorCode, HandshakeAuth, HandshakeToken, Object,
};
use kandid_domain::token::bearer;
use kandid_store::Caller;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, Extension, SocketRef, State, TryData};

/// Error of the connect middleware; its text is the client's `connect_error` message.
#[derive(Debug)]
pub struct ConnectRefused(pub ConnectErrorCode);

impl std::fmt::Display for ConnectRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.as_str())
    }
}

/// The token from `auth`, else the `Authorization: Bearer` header, else `?token=`.
fn token_from<A: Adapter>(s: &SocketRef<A>, auth: Option<String>) -> Option<String> {
    if auth.is_some() {
        return auth;
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

/// The rooms of `auth.subscribe` (default `workspace`), checked as `subscribe` checks them.
/// A list of the wrong shape is a bad request; a name that is no room of this workspace is
/// not found, like a missing entity.
async fn initial_rooms(
    rt: &RealtimeState,
    ws: uuid::Uuid,
    auth: Option<HandshakeAuth>,
) -> Result<RoomSet, ConnectRefused> {
    let Some(names) = auth.and_then(|a| a.subscribe) else {
        return Ok(RoomSet::from_iter([Room::Workspace]));
    };
    let rooms = parse_rooms(&names, rt.limits.max_rooms).map_err(|e| match e.code() {
        AckErrorCode::TooManyRooms => ConnectRefused(ConnectErrorCode::TooManyRooms),
        _ => ConnectRefused(ConnectErrorCode::NotFound),
    })?;
    authorize(&rt.store, ws, &rooms)
        .await
        .map_err(|e| match e.code() {
            AckErrorCode::Unavailable | AckErrorCode::Internal => {
                ConnectRefused(ConnectErrorCode::Unavailable)
            }
            _ => ConnectRefused(ConnectErrorCode::NotFound),
        })?;
    let rooms: RoomSet = rooms.into_iter().collect();
    if rooms.len() > rt.limits.max_rooms {
        return Err(ConnectRefused(ConnectErrorCode::TooManyRooms));
    }
    Ok(rooms)
}

/// Connect middleware: verifies the token and the requested subscriptions.
pub async fn authenticate<A: Adapter>(
    s: SocketRef<A>,
    State(rt): State<RealtimeState>,
    TryData(auth): TryData<Option<Object<HandshakeAuth>>>,
    TryData(token_only): TryData<Option<Object<HandshakeToken>>>,
) -> Result<(), ConnectRefused> {
    // A malformed `auth` is refused as a bad request, once its token has passed.
    let (auth, token, malformed) = match auth {
        Ok(a) => {
            let a = a.map(|Object(a)| a);
            let token = a.as_ref().and_then(|a| a.token.clone());
            (a, token, false)
        }
        Err(_) => (
            None,
            token_only.ok().flatten().and_then(|Object(t)| t.token),
            true,
        ),
    };
    let token = token_from(&s, token).ok_or(ConnectRefused(ConnectErrorCode::Unauthorized))?;
    let claims = rt
        .tokens
        .verify(&token)
        .map_err(|_| ConnectRefused(ConnectErrorCode::Unauthorized))?;
    // As on REST: the user must still be a member, the integration token still valid and
    // its creator still a member.
    let caller = Caller::of(&claims);
    // Before any database work; freed again if a later check refuses the connection.
    let slot = rt
        .limits
        .admit(caller.subject())
        .ok_or(ConnectRefused(ConnectErrorCode::TooManySockets))?;
    match current_role(&rt.store, claims.ws, caller).await {
        Ok(Some(_)) => {}
        Ok(None) => return Err(ConnectRefused(ConnectErrorCode::Unauthorized)),
        Err(_) => return Err(ConnectRefused(ConnectErrorCode::Unavailable)),
    }
    if malformed {
        return Err(ConnectRefused(ConnectErrorCode::BadRequest));
    }
    let rooms = initial_rooms(&rt, claims.ws, auth).await?;
    // The first socket of a workspace here starts the node following its log, from the
    // latest seq as it is before the socket joins any room (see `follow`).
    let ws = claims.ws;
    if rt.presence.join(ws) {
        match rt.store.latest_seq(ws).await {
            Ok(seq) => rt.presence.follow_from(ws, seq),
            Err(_) => {
                rt.presence.leave(ws);
                return Err(ConnectRefused(ConnectErrorCode::Unavailable));
            }
        }
    }
    let expiry = rt.expiries.add(claims.exp, {
        let s = s.clone();
        // Sent even with live view off; then the socket is disconnected.
        Box::new(move || end(&s, "session_expired", "token expired"))
    });
    let session = Session::new(claims, rooms, slot, rt.limits.request_budget(), expiry);
    // Everything the socket needs is in place before the server answers CONNECT: the
    // connect handler runs as a separate task after that answer, so a client that writes
    // or emits right after `connect` would otherwise race it.
    join_all(&s, session.ws(), session.subs().rooms.iter().copied());
    // Outside the subscriptions: `live: false` must not keep a revocation from arriving.
    // A token's socket is in its creator's room too: the creator's removal ends it.
    for subject in caller.subjects() {
        s.join(session_room(session.ws(), subject));
    }
    s.extensions.insert(session);
    s.on("subscribe", subscriptions::on_subscribe::<A>);
    s.on("unsubscribe", subscriptions::on_unsubscribe::<A>);
    s.on("live", subscriptions::on_live::<A>);
    s.on("sync", sync::on_sync::<A>);
    s.on_fallback(async |ack: AckSender<A>| {
        reply::<A, ()>(
            ack,
            Err(Refusal::new(AckErrorCode::UnknownEvent, "no such event")),
        );
    });
    s.on_disconnect(
        async |Extension(session): Extension<Session>, State(rt): State<RealtimeState>| {
            session.free_slot();
            rt.presence.leave(session.ws());
            rt.expiries.remove(session.expiry());
            rt.metrics.connected.dec();
        },
    );
    rt.metrics.connected.inc();
    rt.metrics.connections.inc();
    Ok(())
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
        end_revoked(&s);
    }
}
