//! Who may do what right now: the caller's current role in a workspace (a membership, or
//! an integration token's row), resolved from the database on every authenticated request
//! through a small in-process cache.
//!
//! Entries live `ACCESS_TTL`; the write path drops the entries a membership or token change
//! touches as soon as it commits, so on the node that made the change it applies to the
//! very next request. Other nodes learn of it when their entry expires: invalidation across
//! nodes (through the socket adapter's channel) is left to the cluster work, and until then
//! `ACCESS_TTL` bounds how long another node may honour a removed member or revoked token.

use kandid_domain::Role;
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

/// Whose access: a user (through their membership) or an integration token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    User(Uuid),
    Token(Uuid),
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

/// A role as resolved (`None`: no access) and when.
type Entry = (Option<Role>, Instant);

#[derive(Default)]
pub(crate) struct AccessCache {
    entries: Mutex<HashMap<(Uuid, Subject), Entry>>,
    /// Bumped on every invalidation: a lookup that read the database before a change
    /// committed must not put its (old) answer back after the change dropped the entry.
    generation: AtomicU64,
}

impl AccessCache {
    pub fn get(&self, ws: Uuid, subject: Subject) -> Option<Option<Role>> {
        let map = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(&(ws, subject))
            .filter(|(_, at)| at.elapsed() < ACCESS_TTL)
            .map(|(role, _)| *role)
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Stores what the database said, unless something changed since `generation`.
    pub fn put(&self, ws: Uuid, subject: Subject, role: Option<Role>, generation: u64) {
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
        map.insert((ws, subject), (role, Instant::now()));
    }

    pub fn invalidate(&self, ws: Uuid, subject: Subject) {
        let mut map = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        self.generation.fetch_add(1, Ordering::SeqCst);
        map.remove(&(ws, subject));
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
        let (ws, who) = (Uuid::now_v7(), Subject::User(Uuid::now_v7()));
        let g = c.generation();
        c.invalidate(ws, who);
        c.put(ws, who, Some(Role::Owner), g);
        assert_eq!(c.get(ws, who), None);
        c.put(ws, who, Some(Role::Viewer), c.generation());
        assert_eq!(c.get(ws, who), Some(Some(Role::Viewer)));
        c.invalidate(ws, who);
        assert_eq!(c.get(ws, who), None);
    }
}
