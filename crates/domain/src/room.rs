//! Rooms: what a socket subscribes to inside its workspace, and what an event is recorded
//! for. One type, so the names the store records on events and the names clients send are
//! the same strings by construction.

use std::fmt;
use uuid::Uuid;

/// A room a client may name, inside its own workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Room {
    Workspace,
    Campaigns,
    Leads,
    Dashboard,
    Campaign(Uuid),
    Lead(Uuid),
}

impl Room {
    /// Parses a client's room name; `None` when it names no room.
    #[must_use]
    pub fn parse(name: &str) -> Option<Room> {
        Some(match name {
            "workspace" => Room::Workspace,
            "campaigns" => Room::Campaigns,
            "leads" => Room::Leads,
            "dashboard" => Room::Dashboard,
            _ => {
                let (kind, id) = name.split_once(':')?;
                let id = Uuid::parse_str(id).ok()?;
                match kind {
                    "campaign" => Room::Campaign(id),
                    "lead" => Room::Lead(id),
                    _ => return None,
                }
            }
        })
    }

    /// The name clients use (and the store records on events).
    #[must_use]
    pub fn name(self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Room {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Room::Workspace => f.write_str("workspace"),
            Room::Campaigns => f.write_str("campaigns"),
            Room::Leads => f.write_str("leads"),
            Room::Dashboard => f.write_str("dashboard"),
            Room::Campaign(id) => write!(f, "campaign:{id}"),
            Room::Lead(id) => write!(f, "lead:{id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trips() {
        let id = Uuid::now_v7();
        for r in [
            Room::Workspace,
            Room::Campaigns,
            Room::Leads,
            Room::Dashboard,
            Room::Campaign(id),
            Room::Lead(id),
        ] {
            assert_eq!(Room::parse(&r.name()), Some(r));
        }
        for bad in [
            "",
            "campaign:",
            "campaign:x",
            "lead",
            "other:1",
            "WORKSPACE",
        ] {
            assert_eq!(Room::parse(bad), None, "{bad}");
        }
    }
}
