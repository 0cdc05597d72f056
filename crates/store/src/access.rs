//! Who may do what right now: the caller's effective role in a workspace, resolved from
//! the database on every authenticated request through a small in-process cache, and again
//! inside every write's transaction.
//!
//! A person acts with their membership's role, by a token issued since that membership
//! began and, when the token names a sign-in session (`sid`), while that session is not
//! ended (logout); the session's row is cached like the rest. An integration token acts with at most its
//! creator's **current** role: the lesser of the token's own role and the creator's, and
//! nothing once the creator has left or the token is revoked or expired. Both halves are
//! cached apart (the token's row, and the creator's membership), so a change of either
//! reaches every token that depends on it through the one invalidation path.
//!
//! Entries live `ACCESS_TTL` at most. How a change of membership or token reaches them:
//!
//! - On the node that commits it, the write path drops the entries it touches right after
//!   the commit (`tx::batch`), before the write is answered.
//! - On PostgreSQL the same transaction sends a `NOTIFY` on `cluster::ACCESS_CHANNEL`
//!   (`cluster::AccessSignal`, JSON), heard only once the commit is. Every node's `LISTEN`
//!   connection hands it to the realtime follower, which calls `Store::forget_access` and,
//!   for a token revoked on another node, ends that token's sessions there. A member's
//!   removal also reaches every node as its `members_updated` event, read from the log in
//!   seq order, which drops the entry again and ends the member's sessions.
//! - When a node's `LISTEN` connection comes back after a loss, notifications may have been
//!   missed: it drops every entry (`Store::forget_all_access`). Until that loss is noticed,
//!   the TTL bounds how long a stale entry can answer.
//!
//! SQLite has one node, so the first step is all there is. The cache only spares reads:
//! every write checks the caller's role again in its own transaction (`role_in`, called by
//! the write path before the write runs), so a role check and the write it guards see the
//! same membership.

use crate::entity::{api_token, membership, session};
use crate::error::{Result, StoreError};
use kandid_domain::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::PoisonError;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How long a resolved role is trusted without asking the database again.
pub const ACCESS_TTL: Duration = Duration::from_secs(2);

/// Entries kept before expired ones are swept (and, if that is not enough, all of them).
const MAX_ENTRIES: usize = 10_000;

/// Whose access: a user (through their membership), an integration token, or a sign-in
/// session (which spans the user's workspaces: its cache entry and its sockets' room are
/// the same whatever the workspace). In a notification between nodes: `{"user": id}`,
/// `{"token": id}` or `{"session": id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    User(Uuid),
    Token(Uuid),
    Session(Uuid),
}

/// Who makes a request: a person, or an integration token made by one (`user_id` is then
/// the token's creator, who appears as the actor of its writes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Caller {
    pub user_id: Uuid,
    /// The integration token's id (its `jti`); `None` for a person's session.
    pub token_id: Option<Uuid>,
    /// When the presented token was issued, in Unix milliseconds
    /// (`Claims::issued_at_ms`). A person's token issued before their current membership
    /// began (an old token of someone removed and invited back) gives no access.
    pub issued_at_ms: i64,
    /// The sign-in session of a person's token (`sid`); it gives no access once ended.
    /// `None` on integration tokens and on tokens minted with the secret.
    pub session_id: Option<Uuid>,
}

impl Caller {
    /// The caller a verified token speaks for.
    #[must_use]
    pub fn of(claims: &kandid_domain::token::Claims) -> Self {
        Caller {
            user_id: claims.sub,
            token_id: claims.jti,
            issued_at_ms: claims.issued_at_ms(),
            session_id: claims.sid,
        }
    }

    /// Whose access the caller rides on: the token's when it is one, else the person's.
    #[must_use]
    pub fn subject(self) -> Subject {
        match self.token_id {
            Some(id) => Subject::Token(id),
            None => Subject::User(self.user_id),
        }
    }

    /// Every subject whose change of access reaches this caller: a token also depends on
    /// its creator's membership, a person's token on its sign-in session.
    #[must_use]
    pub fn subjects(self) -> Vec<Subject> {
        match (self.token_id, self.session_id) {
            (Some(id), _) => vec![Subject::Token(id), Subject::User(self.user_id)],
            (None, Some(sid)) => vec![Subject::User(self.user_id), Subject::Session(sid)],
            (None, None) => vec![Subject::User(self.user_id)],
        }
    }
}

/// A write's caller and the least role the write needs; checked inside its transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub caller: Caller,
    pub need: Role,
}

/// A committed removal of a member or revocation of a token, for live sessions to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revoked {
    pub workspace_id: Uuid,
    pub subject: Subject,
}

/// A change of access a write commits: the cache entry to drop, and whether sessions end.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AccessChange {
    pub workspace_id: Uuid,
    pub subject: Subject,
    pub revoked: bool,
}

/// What the database says of one subject: a membership's role, or a live token's own role
/// and creator (`None`: no access of its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Grant {
    pub role: Role,
    /// For a token, the person behind it; for a user, the user.
    pub person: Uuid,
    /// For a membership, when it began (`joined_at`, Unix milliseconds): tokens issued
    /// before it belong to an earlier membership. For a token or session, when it was
    /// created.
    pub since: i64,
}

/// The lesser of two roles.
fn min_role(a: Role, b: Role) -> Role {
    if a.at_least(b) { b } else { a }
}

/// The caller's role from the two halves of its access: `None` when either is gone, when
/// a person's token was issued before their current membership began (to the millisecond,
/// or for a token without `iat_ms` to the second, so that one issued in the second of
/// joining counts), or when the token names
/// someone else than its creator as `sub`. An integration token is left to its own row:
/// a member's removal revokes theirs.
pub(crate) fn effective(caller: Caller, own: Option<Grant>, person: Option<Grant>) -> Option<Role> {
    match (caller.token_id, own) {
        (None, _) => person
            .filter(|m| caller.issued_at_ms >= m.since)
            .map(|m| m.role),
        (Some(_), Some(token)) if token.person == caller.user_id => {
            person.map(|p| min_role(p.role, token.role))
        }
        (Some(_), _) => None,
    }
}

pub(crate) fn parse_role(s: &str) -> Result<Role> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("role {s}")))
}

/// The membership of `user_id` in `ws`: its role and when it began.
pub(crate) async fn member_grant<C: ConnectionTrait>(
    db: &C,
    ws: Uuid,
    user_id: Uuid,
) -> Result<Option<Grant>> {
    membership::Entity::find_by_id((ws, user_id))
        .one(db)
        .await?
        .map(|m| {
            parse_role(&m.role).map(|role| Grant {
                role,
                person: user_id,
                since: m.joined_at.timestamp_millis(),
            })
        })
        .transpose()
}

/// An integration token of `ws` that is neither revoked nor expired at `at`.
pub(crate) async fn token_grant<C: ConnectionTrait>(
    db: &C,
    ws: Uuid,
    id: Uuid,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Option<Grant>> {
    api_token::Entity::find_by_id(id)
        .filter(api_token::Column::WorkspaceId.eq(ws))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .filter(|t| t.expires_at.is_none_or(|e| e > at))
        .map(|t| {
            parse_role(&t.role).map(|role| Grant {
                role,
                person: t.created_by,
                since: t.created_at.timestamp_millis(),
            })
        })
        .transpose()
}

/// A sign-in session that is not revoked: its user as `person`, its start as `since` (the
/// role means nothing here).
pub(crate) async fn session_grant<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Option<Grant>> {
    Ok(live_session(id)
        .one(db)
        .await?
        .as_ref()
        .map(session_row_grant))
}

fn live_session(id: Uuid) -> sea_orm::Select<session::Entity> {
    session::Entity::find_by_id(id).filter(session::Column::RevokedAt.is_null())
}

fn session_row_grant(s: &session::Model) -> Grant {
    Grant {
        role: Role::Viewer,
        person: s.user_id,
        since: s.created_at.timestamp_millis(),
    }
}

/// Whether a person's token may act by its session: one without `sid` (minted with the
/// secret) lives until its `exp`; one with a `sid` needs that session live and the user's.
pub(crate) fn session_live(caller: Caller, session: Option<Grant>) -> bool {
    match (caller.token_id, caller.session_id) {
        (None, Some(_)) => session.is_some_and(|s| s.person == caller.user_id),
        _ => true,
    }
}

/// The caller's role in `ws` as the transaction `db` sees it. The caller of a write holds
/// the workspace's row lock (see `tx`), which every change of membership or tokens takes
/// too: what it reads stays true until it commits.
pub(crate) async fn role_in<C: ConnectionTrait>(
    db: &C,
    ws: Uuid,
    caller: Caller,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Option<Role>> {
    let own = match caller.token_id {
        Some(id) => match token_grant(db, ws, id, at).await? {
            Some(g) => Some(g),
            None => return Ok(None),
        },
        None => None,
    };
    if let (None, Some(sid)) = (caller.token_id, caller.session_id) {
        // Read under a shared lock (PostgreSQL; SQLite's one writer orders writes anyway),
        // so a logout's update of the row waits for the write to commit, or the write sees
        // the session ended: nothing of a session commits after its logout did.
        let live = live_session(sid)
            .lock_shared()
            .one(db)
            .await?
            .map(|s| session_row_grant(&s));
        if !session_live(caller, live) {
            return Ok(None);
        }
    }
    let person = member_grant(db, ws, caller.user_id).await?;
    Ok(effective(caller, own, person))
}

/// A resolved subject (`None`: no access) and when.
type Entry = (Option<Grant>, Instant);

#[derive(Default)]
pub(crate) struct AccessCache {
    entries: Mutex<HashMap<(Uuid, Subject), Entry>>,
    /// Bumped on every invalidation: a lookup that read the database before a change
    /// committed must not put its (old) answer back after the change dropped the entry.
    generation: AtomicU64,
}

/// The entry of `subject` in `ws`: a session's is the same in every workspace.
fn slot(ws: Uuid, subject: Subject) -> (Uuid, Subject) {
    match subject {
        Subject::Session(_) => (Uuid::nil(), subject),
        _ => (ws, subject),
    }
}

impl AccessCache {
    pub fn get(&self, ws: Uuid, subject: Subject) -> Option<Option<Grant>> {
        let map = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(&slot(ws, subject))
            .filter(|(_, at)| at.elapsed() < ACCESS_TTL)
            .map(|(grant, _)| *grant)
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Stores what the database said, unless something changed since `generation`.
    pub fn put(&self, ws: Uuid, subject: Subject, grant: Option<Grant>, generation: u64) {
        let mut map = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, (_, at)| at.elapsed() < ACCESS_TTL);
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
        }
        map.insert(slot(ws, subject), (grant, Instant::now()));
    }

    pub fn invalidate(&self, ws: Uuid, subject: Subject) {
        let mut map = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        self.generation.fetch_add(1, Ordering::SeqCst);
        map.remove(&slot(ws, subject));
    }

    pub fn clear(&self) {
        let mut map = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        self.generation.fetch_add(1, Ordering::SeqCst);
        map.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lookup_older_than_an_invalidation_is_not_cached() {
        let c = AccessCache::default();
        let user = Uuid::now_v7();
        let (ws, who) = (Uuid::now_v7(), Subject::User(user));
        let grant = |role| {
            Some(Grant {
                role,
                person: user,
                since: 0,
            })
        };
        let g = c.generation();
        c.invalidate(ws, who);
        c.put(ws, who, grant(Role::Owner), g);
        assert_eq!(c.get(ws, who), None);
        c.put(ws, who, grant(Role::Viewer), c.generation());
        assert_eq!(c.get(ws, who), Some(grant(Role::Viewer)));
        c.invalidate(ws, who);
        assert_eq!(c.get(ws, who), None);
    }

    #[test]
    fn a_token_never_outranks_its_creator() {
        let (creator, other) = (Uuid::now_v7(), Uuid::now_v7());
        let token = Caller {
            user_id: creator,
            token_id: Some(Uuid::now_v7()),
            issued_at_ms: 100,
            session_id: None,
        };
        let grant = |role, person| {
            Some(Grant {
                role,
                person,
                since: 0,
            })
        };
        let member = |role| grant(role, creator);
        // Capped at the creator's current role, whichever is lower.
        assert_eq!(
            effective(token, grant(Role::Admin, creator), member(Role::Viewer)),
            Some(Role::Viewer)
        );
        assert_eq!(
            effective(token, grant(Role::Member, creator), member(Role::Owner)),
            Some(Role::Member)
        );
        // The creator gone, the token revoked, or a `sub` that is not its creator: nothing.
        assert_eq!(effective(token, grant(Role::Admin, creator), None), None);
        assert_eq!(effective(token, None, member(Role::Owner)), None);
        assert_eq!(
            effective(token, grant(Role::Admin, other), member(Role::Owner)),
            None
        );
        // A person acts with their membership.
        let person = Caller {
            user_id: creator,
            token_id: None,
            issued_at_ms: 100,
            session_id: None,
        };
        assert_eq!(
            effective(person, None, member(Role::Admin)),
            Some(Role::Admin)
        );
    }

    #[test]
    fn a_person_s_token_from_before_their_membership_gives_nothing() {
        let user = Uuid::now_v7();
        let joined = |since| {
            Some(Grant {
                role: Role::Member,
                person: user,
                since,
            })
        };
        let issued = |issued_at_ms| Caller {
            user_id: user,
            token_id: None,
            issued_at_ms,
            session_id: None,
        };
        assert_eq!(effective(issued(99), None, joined(100)), None);
        // Issued in the millisecond of joining, or later: the membership's role.
        assert_eq!(
            effective(issued(100), None, joined(100)),
            Some(Role::Member)
        );
        assert_eq!(
            effective(issued(101), None, joined(100)),
            Some(Role::Member)
        );
    }
}
