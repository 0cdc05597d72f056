//! What a committing batch tells the other nodes on PostgreSQL (see `cluster`): the last
//! seq of each workspace it appended to, and each change of access.

use super::StoredEvent;
use crate::access::AccessChange;
use crate::cluster::{AccessSignal, EventsSignal};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, Statement};
use std::collections::HashMap;
use uuid::Uuid;

/// Sends the batch's notifications. Sent inside the transaction, a notification is
/// delivered only if and once the commit is.
pub(super) async fn notify(
    txn: &DatabaseTransaction,
    node: Uuid,
    events: &[StoredEvent],
    access: &[AccessChange],
) -> Result<(), DbErr> {
    if txn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let mut last: HashMap<Uuid, i64> = HashMap::new();
    for e in events {
        let seq = last.entry(e.workspace_id).or_default();
        *seq = Ord::max(*seq, e.event.seq);
    }
    let signals = last
        .into_iter()
        .map(|(ws, seq)| EventsSignal { ws, seq }.to_notify())
        .chain(access.iter().map(|a| {
            AccessSignal {
                origin: node,
                ws: a.workspace_id,
                subject: a.subject,
                ended: a.revoked,
            }
            .to_notify()
        }));
    for (channel, payload) in signals {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [channel.into(), payload.into()],
        ))
        .await?;
    }
    Ok(())
}
