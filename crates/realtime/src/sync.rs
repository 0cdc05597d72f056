//! `sync`: the events after a seq that the socket's subscriptions match, from the log.

use crate::protocol::{Refusal, request};
use crate::session::{Session, reply_or_end, still_allowed};
use crate::state::RealtimeState;
use kandid_domain::socket::{Object, SyncAck, SyncRequest};
use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, Extension, SocketRef, State, TryData};

const SYNC_SHAPE: &str = "expected {since: integer >= 0, limit?: 1-1000}";

/// `since` and the page size of a request, checked.
fn bounds(req: &SyncRequest) -> Result<(i64, u64), Refusal> {
    if req.since < 0 {
        return Err(Refusal::bad(SYNC_SHAPE));
    }
    let limit = match req.limit {
        None => SyncRequest::DEFAULT_LIMIT,
        Some(l) => u64::try_from(l)
            .ok()
            .filter(|l| (1..=SyncRequest::MAX_LIMIT).contains(l))
            .ok_or_else(|| {
                Refusal::bad(format!(
                    "limit must be between 1 and {}",
                    SyncRequest::MAX_LIMIT
                ))
            })?,
    };
    Ok((req.since, limit))
}

pub(crate) async fn on_sync<A: Adapter>(
    s: SocketRef<A>,
    State(rt): State<RealtimeState>,
    Extension(session): Extension<Session>,
    TryData(data): TryData<Object<SyncRequest>>,
    ack: AckSender<A>,
) {
    let result = async {
        session.throttle()?;
        still_allowed(&rt.store, &session).await?;
        let (since, limit) = bounds(&request(data, SYNC_SHAPE)?)?;
        let rooms = session.room_names();
        let page = rt
            .store
            .events_since(session.ws(), since, limit, Some(&rooms))
            .await?;
        Ok(SyncAck {
            ok: true,
            events: page.data,
            latest_seq: page.latest_seq,
            has_more: page.has_more,
            reset: page.reset,
        })
    }
    .await;
    reply_or_end(&s, ack, result);
}
