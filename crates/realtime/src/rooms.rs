//! Room names as clients use them, and their server-side keys. Every key starts with the
//! workspace id, so two workspaces can never share a room.

use uuid::Uuid;

pub use kandid_domain::Room;

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
}
