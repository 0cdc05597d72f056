//! Room names as clients use them, and their server-side keys. Every key starts with the
//! workspace id, so two workspaces can never share a room.

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
        match self {
            Room::Workspace => "workspace".into(),
            Room::Campaigns => "campaigns".into(),
            Room::Leads => "leads".into(),
            Room::Dashboard => "dashboard".into(),
            Room::Campaign(id) => format!("campaign:{id}"),
            Room::Lead(id) => format!("lead:{id}"),
        }
    }
}

/// The socket.io room key of a room name inside a workspace.
#[must_use]
pub fn key(ws: Uuid, name: &str) -> String {
    format!("{ws}/{name}")
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
