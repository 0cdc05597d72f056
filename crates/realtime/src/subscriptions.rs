//! `subscribe`, `unsubscribe` and `live`: which of the workspace's rooms a socket is in,
//! and whether anything is delivered to it.

use crate::protocol::{Refusal, reply, request};
use crate::rooms::Room;
use crate::session::{Session, join_all, leave_all, reply_or_end, still_allowed};
use crate::state::RealtimeState;
use kandid_domain::socket::{AckErrorCode, LiveAck, LiveRequest, Object, RoomsAck, RoomsRequest};
use kandid_store::Store;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, Extension, SocketRef, State, TryData};
use uuid::Uuid;

const ROOMS_SHAPE: &str = "expected {rooms: [string]}";

fn too_many_rooms(max: usize) -> Refusal {
    Refusal::new(
        AckErrorCode::TooManyRooms,
        format!("a socket holds at most {max} rooms"),
    )
}

/// Parses room names into rooms, all or nothing.
pub(crate) fn parse_rooms(names: &[String], max: usize) -> Result<Vec<Room>, Refusal> {
    if names.len() > max {
        return Err(too_many_rooms(max));
    }
    names
        .iter()
        .map(|name| {
            Room::parse(name).ok_or_else(|| {
                Refusal::new(
                    AckErrorCode::InvalidRoom,
                    format!("no room is named {name:?}"),
                )
            })
        })
        .collect()
}

/// Checks that entity rooms name entities of the caller's workspace.
pub(crate) async fn authorize(store: &Store, ws: Uuid, rooms: &[Room]) -> Result<(), Refusal> {
    for r in rooms {
        let exists = match *r {
            Room::Campaign(id) => store.campaign_exists(ws, id).await?,
            Room::Lead(id) => store.lead_exists(ws, id).await?,
            _ => true,
        };
        if !exists {
            return Err(Refusal::new(
                AckErrorCode::NotFound,
                format!("no such room: {}", r.name()),
            ));
        }
    }
    Ok(())
}

pub(crate) async fn on_subscribe<A: Adapter>(
    s: SocketRef<A>,
    State(rt): State<RealtimeState>,
    Extension(session): Extension<Session>,
    TryData(data): TryData<Object<RoomsRequest>>,
    ack: AckSender<A>,
) {
    let result = async {
        session.throttle()?;
        still_allowed(&rt.store, &session).await?;
        let max = rt.limits.max_rooms;
        let rooms = parse_rooms(&request(data, ROOMS_SHAPE)?.rooms, max)?;
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
        Ok(RoomsAck::new(session.room_names()))
    }
    .await;
    reply_or_end(&s, ack, result);
}

pub(crate) async fn on_unsubscribe<A: Adapter>(
    s: SocketRef<A>,
    State(rt): State<RealtimeState>,
    Extension(session): Extension<Session>,
    TryData(data): TryData<Object<RoomsRequest>>,
    ack: AckSender<A>,
) {
    let result = (|| {
        let rooms = parse_rooms(&request(data, ROOMS_SHAPE)?.rooms, rt.limits.max_rooms)?;
        let mut subs = session.subs();
        let gone: Vec<Room> = rooms.into_iter().filter(|r| subs.rooms.remove(r)).collect();
        if subs.live {
            leave_all(&s, session.ws(), gone);
        }
        drop(subs);
        Ok(RoomsAck::new(session.room_names()))
    })();
    reply(ack, result);
}

pub(crate) async fn on_live<A: Adapter>(
    s: SocketRef<A>,
    State(rt): State<RealtimeState>,
    Extension(session): Extension<Session>,
    TryData(data): TryData<Object<LiveRequest>>,
    ack: AckSender<A>,
) {
    let result = async {
        session.throttle()?;
        still_allowed(&rt.store, &session).await?;
        let LiveRequest { enabled } = request(data, "expected {enabled: boolean}")?;
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
        Ok(LiveAck::new(latest_seq))
    }
    .await;
    reply_or_end(&s, ack, result);
}
