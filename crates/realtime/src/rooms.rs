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

/// A socket's rooms: a sorted vector, as a set. A socket holds one or a few rooms, and a
/// vector of them is one small allocation where a B-tree set takes a node of eleven.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoomSet(Vec<Room>);

impl RoomSet {
    #[must_use]
    pub fn contains(&self, room: &Room) -> bool {
        self.0.binary_search(room).is_ok()
    }

    /// Adds `room`; false when it was there already.
    pub fn insert(&mut self, room: Room) -> bool {
        match self.0.binary_search(&room) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, room);
                true
            }
        }
    }

    /// Removes `room`; false when it was not there.
    pub fn remove(&mut self, room: &Room) -> bool {
        match self.0.binary_search(room) {
            Ok(at) => {
                self.0.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// In order.
    pub fn iter(&self) -> std::slice::Iter<'_, Room> {
        self.0.iter()
    }
}

impl Extend<Room> for RoomSet {
    fn extend<I: IntoIterator<Item = Room>>(&mut self, rooms: I) {
        for r in rooms {
            self.insert(r);
        }
    }
}

impl FromIterator<Room> for RoomSet {
    fn from_iter<I: IntoIterator<Item = Room>>(rooms: I) -> Self {
        let mut v: Vec<Room> = rooms.into_iter().collect();
        v.sort_unstable();
        v.dedup();
        v.shrink_to_fit();
        RoomSet(v)
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
    fn room_set_is_a_set() {
        let id = Uuid::now_v7();
        let mut set: RoomSet = [Room::Leads, Room::Workspace, Room::Leads]
            .into_iter()
            .collect();
        assert_eq!(set.len(), 2);
        set.extend([Room::Lead(id), Room::Workspace, Room::Lead(id)]);
        assert_eq!(set.len(), 3);
        assert!(set.contains(&Room::Lead(id)) && !set.contains(&Room::Dashboard));
        assert!(set.remove(&Room::Leads) && !set.remove(&Room::Leads));
        let order: Vec<Room> = set.iter().copied().collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
    }

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
