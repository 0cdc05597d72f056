//! Per-socket state and the checks every request makes.
//!
//! Each socket carries a `Session`: its claims, the rooms it subscribed to (names inside
//! its workspace) and whether live view is on. The socket is joined to the workspace-keyed
//! rooms only while live is on, so turning live off stops all delivery while keeping the
//! subscriptions. Besides, every socket is in its user's or integration token's session
//! room (see [`session_room`]) for its whole life, whatever live says, so that removing the
//! member or revoking the token reaches it.

use crate::expiry::ExpiryKey;
use crate::limits::SocketSlot;
use crate::local::here;
use crate::protocol::Refusal;
use crate::rooms::{Room, RoomSet, key};
use kandid_domain::socket::{AckErrorCode, SessionEnded};
use kandid_domain::token::Claims;
use kandid_store::{Caller, Store, Subject};
use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::extract::SocketRef;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use uuid::Uuid;

pub(crate) struct Subscriptions {
    pub(crate) rooms: RoomSet,
    pub(crate) live: bool,
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
    pub(crate) fn new(
        claims: Claims,
        rooms: RoomSet,
        slot: SocketSlot,
        budget: Option<governor::DefaultDirectRateLimiter>,
        expiry: ExpiryKey,
    ) -> Self {
        Session(Arc::new(SessionInner {
            claims,
            subs: Mutex::new(Subscriptions { rooms, live: true }),
            slot: Mutex::new(Some(slot)),
            budget,
            expiry,
        }))
    }

    pub(crate) fn ws(&self) -> Uuid {
        self.0.claims.ws
    }

    pub(crate) fn caller(&self) -> Caller {
        Caller::of(&self.0.claims)
    }

    pub(crate) fn expiry(&self) -> ExpiryKey {
        self.0.expiry
    }

    pub(crate) fn subs(&self) -> MutexGuard<'_, Subscriptions> {
        self.0.subs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn room_names(&self) -> Vec<String> {
        self.subs().rooms.iter().map(|r| r.name()).collect()
    }

    /// Frees the socket's place in its subject's count.
    pub(crate) fn free_slot(&self) {
        drop(
            self.0
                .slot
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
    }

    /// Spends one request of the socket's budget.
    pub(crate) fn throttle(&self) -> Result<(), Refusal> {
        match &self.0.budget {
            Some(b) if b.check().is_err() => Err(Refusal::new(
                AckErrorCode::RateLimited,
                "too many requests on this socket; slow down",
            )),
            _ => Ok(()),
        }
    }
}

/// The room (key) every socket of a subject joins, whatever it subscribed to and even with
/// live view off, so that ending its sessions reaches it.
/// Clients cannot name it (see `Room::parse`).
#[must_use]
pub fn session_room(ws: Uuid, subject: Subject) -> String {
    match subject {
        Subject::User(id) => key(ws, &format!("~user:{id}")),
        Subject::Token(id) => key(ws, &format!("~token:{id}")),
        // A sign-in session spans the user's workspaces: its sockets in any of them share
        // one room, so that logout reaches them all.
        Subject::Session(id) => format!("~session:{id}"),
    }
}

pub(crate) fn join_all<A: Adapter>(
    s: &SocketRef<A>,
    ws: Uuid,
    rooms: impl IntoIterator<Item = Room>,
) {
    let keys: Vec<String> = rooms.into_iter().map(|r| key(ws, &r.name())).collect();
    if !keys.is_empty() {
        s.join(keys);
    }
}

pub(crate) fn leave_all<A: Adapter>(
    s: &SocketRef<A>,
    ws: Uuid,
    rooms: impl IntoIterator<Item = Room>,
) {
    let keys: Vec<String> = rooms.into_iter().map(|r| key(ws, &r.name())).collect();
    if !keys.is_empty() {
        s.leave(keys);
    }
}

/// The caller's role in `ws` now (`None`: removed, revoked, or a token whose creator
/// left), as REST resolves it.
pub(crate) async fn current_role(
    store: &Store,
    ws: Uuid,
    caller: Caller,
) -> kandid_store::Result<Option<kandid_domain::Role>> {
    store.access(ws, caller).await
}

/// Requests of a socket whose member was removed or token revoked are refused, and the
/// socket is ended as the revocation would have (see [`reply_or_end`]). Normally the
/// revocation reached it already; this covers one lost on the way from another node.
pub(crate) async fn still_allowed(store: &Store, session: &Session) -> Result<(), Refusal> {
    match current_role(store, session.ws(), session.caller()).await? {
        Some(_) => Ok(()),
        None => Err(Refusal::new(
            AckErrorCode::Unauthorized,
            "the session was revoked",
        )),
    }
}

/// Tells the socket its session was revoked, then disconnects it.
pub(crate) fn end_revoked<A: Adapter>(s: &SocketRef<A>) {
    end(s, "session_revoked", "access revoked");
}

/// Sends `event` (`session_expired` or `session_revoked`) with its reason, then disconnects
/// the socket; both go through the socket's one packet queue, in that order.
pub(crate) fn end<A: Adapter>(s: &SocketRef<A>, event: &str, reason: &str) {
    let body = SessionEnded {
        reason: reason.into(),
    };
    let _ = s.emit(event, &body);
    let _ = s.clone().disconnect();
}

/// Answers a request; a refusal for a revoked session also ends the socket.
pub(crate) fn reply_or_end<A: Adapter, T: serde::Serialize>(
    s: &SocketRef<A>,
    ack: socketioxide::extract::AckSender<A>,
    result: Result<T, Refusal>,
) {
    let revoked = matches!(&result, Err(r) if r.code() == AckErrorCode::Unauthorized);
    crate::protocol::reply(ack, result);
    if revoked {
        end_revoked(s);
    }
}

/// Checks every session on this node again and ends those whose member was removed or
/// token revoked, as the revocation would have: run when the signal path between nodes
/// comes back, since a revocation may have been announced while it was down. A session
/// whose access cannot be checked (database unavailable) is left alone.
pub(crate) async fn recheck_sessions<A: Adapter>(io: SocketIo<A>, store: Store) {
    let mut allowed: HashMap<(Uuid, Caller), bool> = HashMap::new();
    let Some(here) = here(&io) else {
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
            end_revoked(&s);
        }
    }
}
