//! Kept lead counts: the `lead_counts` rows (one per campaign, status and connection
//! status) that every lead write adjusts inside its own transaction, and the reads that
//! sum them instead of counting leads.
//!
//! The writes run on the caller's write transaction, so a count changes exactly when the
//! leads it counts commit. A workspace's writers are serialised (its seq row lock, or
//! SQLite's single writer), and a campaign's rows belong to one workspace, so two upserts
//! never race on the same row.

use crate::entity::lead_count;
use crate::error::{Result, StoreError};
use crate::query::LeadFilter;
use kandid_domain::views::LeadView;
use kandid_domain::{ConnectionStatus, LeadStatus};
use sea_orm::sea_query::{Alias, Expr, Func, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, ExprTrait,
    QueryFilter, QuerySelect, QueryTrait, Statement,
};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The row a lead is counted in.
type Key = (Uuid, LeadStatus, ConnectionStatus);

/// Count changes gathered in Rust and written with one upsert. Ordered, so the rows of a
/// statement are always touched in the same order.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    deltas: BTreeMap<Key, i64>,
}

impl Tally {
    /// One more lead in this campaign with this status and connection status.
    pub(crate) fn add(&mut self, campaign: Uuid, status: LeadStatus, conn: ConnectionStatus) {
        self.adjust((campaign, status, conn), 1);
    }

    /// One lead fewer than added (an import's row that turned out a duplicate).
    pub(crate) fn remove(&mut self, campaign: Uuid, status: LeadStatus, conn: ConnectionStatus) {
        self.adjust((campaign, status, conn), -1);
    }

    fn adjust(&mut self, key: Key, delta: i64) {
        *self.deltas.entry(key).or_default() += delta;
    }
}

/// `n = lead_counts.n + excluded.n`: a delta for an existing row adds to it, a new row
/// starts at the delta.
fn add_on_conflict() -> OnConflict {
    OnConflict::columns([
        lead_count::Column::CampaignId,
        lead_count::Column::Status,
        lead_count::Column::ConnectionStatus,
    ])
    .value(
        lead_count::Column::N,
        Expr::col((lead_count::Entity, lead_count::Column::N))
            .add(Expr::col((Alias::new("excluded"), lead_count::Column::N))),
    )
    .to_owned()
}

/// Adds `delta` to one count, as one upsert.
pub(crate) async fn adjust<C: ConnectionTrait>(
    db: &C,
    ws: Uuid,
    campaign: Uuid,
    status: LeadStatus,
    conn: ConnectionStatus,
    delta: i64,
) -> Result<()> {
    let mut t = Tally::default();
    t.adjust((campaign, status, conn), delta);
    apply(db, ws, &t).await
}

/// Writes a tally as one multi-row upsert (its keys are distinct, which PostgreSQL
/// requires of one `ON CONFLICT DO UPDATE`). Zero deltas are left out.
pub(crate) async fn apply<C: ConnectionTrait>(db: &C, ws: Uuid, t: &Tally) -> Result<()> {
    let rows: Vec<lead_count::ActiveModel> = t
        .deltas
        .iter()
        .filter(|(_, d)| **d != 0)
        .map(|(&(campaign, status, conn), &n)| lead_count::ActiveModel {
            workspace_id: Set(ws),
            campaign_id: Set(campaign),
            status: Set(status.as_str().to_owned()),
            connection_status: Set(conn.as_str().to_owned()),
            n: Set(n),
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    lead_count::Entity::insert_many(rows)
        .on_conflict(add_on_conflict())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// A lead was created.
pub(crate) async fn lead_added<C: ConnectionTrait>(db: &C, ws: Uuid, l: &LeadView) -> Result<()> {
    adjust(db, ws, l.campaign_id, l.status, l.connection_status, 1).await
}

/// A lead was deleted.
pub(crate) async fn lead_removed<C: ConnectionTrait>(db: &C, ws: Uuid, l: &LeadView) -> Result<()> {
    adjust(db, ws, l.campaign_id, l.status, l.connection_status, -1).await
}

/// A lead was updated: when its campaign, status or connection status changed it leaves
/// its old row and joins the new one, in one statement; otherwise nothing is written.
pub(crate) async fn lead_changed<C: ConnectionTrait>(
    db: &C,
    ws: Uuid,
    old: &LeadView,
    new: &LeadView,
) -> Result<()> {
    let old_key = (old.campaign_id, old.status, old.connection_status);
    let new_key = (new.campaign_id, new.status, new.connection_status);
    if old_key == new_key {
        return Ok(());
    }
    let mut t = Tally::default();
    t.adjust(old_key, -1);
    t.adjust(new_key, 1);
    apply(db, ws, &t).await
}

/// A campaign (and with it its leads) is being deleted.
pub(crate) async fn campaign_removed<C: ConnectionTrait>(
    db: &C,
    ws: Uuid,
    campaign: Uuid,
) -> Result<()> {
    lead_count::Entity::delete_many()
        .filter(lead_count::Column::WorkspaceId.eq(ws))
        .filter(lead_count::Column::CampaignId.eq(campaign))
        .exec(db)
        .await?;
    Ok(())
}

fn parse(status: &str, conn: &str) -> Result<(LeadStatus, ConnectionStatus)> {
    match (status.parse(), conn.parse()) {
        (Ok(s), Ok(c)) => Ok((s, c)),
        _ => Err(StoreError::Corrupt(format!("lead count {status}/{conn}"))),
    }
}

/// The counts of these campaigns, one entry per row (primary-key lookups).
pub(crate) async fn of_campaigns<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, LeadStatus, ConnectionStatus, i64)>> {
    let rows = lead_count::Entity::find()
        .filter(lead_count::Column::CampaignId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    rows.into_iter()
        .map(|r| {
            let (s, c) = parse(&r.status, &r.connection_status)?;
            Ok((r.campaign_id, s, c, r.n))
        })
        .collect()
}

/// `CAST(SUM(n) AS BIGINT)`: PostgreSQL's SUM of a bigint is a numeric.
fn sum_n() -> Expr {
    Func::cast_as(
        Func::sum(Expr::col(lead_count::Column::N)),
        Alias::new("BIGINT"),
    )
    .into()
}

/// The workspace's counts summed over its campaigns, one entry per status pair.
pub(crate) async fn of_workspace<C: ConnectionTrait>(
    db: &C,
    ws: Uuid,
) -> Result<Vec<(LeadStatus, ConnectionStatus, i64)>> {
    let rows: Vec<(String, String, i64)> = lead_count::Entity::find()
        .select_only()
        .column(lead_count::Column::Status)
        .column(lead_count::Column::ConnectionStatus)
        .column_as(sum_n(), "n")
        .filter(lead_count::Column::WorkspaceId.eq(ws))
        .group_by(lead_count::Column::Status)
        .group_by(lead_count::Column::ConnectionStatus)
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(s, c, n)| {
            let (s, c) = parse(&s, &c)?;
            Ok((s, c, n))
        })
        .collect()
}

/// The statement of how many of the workspace's leads match the filter's campaign, status
/// and connection status, one integer named `n`. The text search `q` is not counted here:
/// the caller counts matching rows.
pub(crate) fn total_statement(backend: DatabaseBackend, ws: Uuid, f: &LeadFilter) -> Statement {
    let mut q = lead_count::Entity::find()
        .select_only()
        .column_as(Expr::from(Func::coalesce([sum_n(), Expr::val(0_i64)])), "n")
        .filter(lead_count::Column::WorkspaceId.eq(ws));
    if let Some(c) = f.campaign_id {
        q = q.filter(lead_count::Column::CampaignId.eq(c));
    }
    if let Some(s) = f.status {
        q = q.filter(lead_count::Column::Status.eq(s.as_str()));
    }
    if let Some(s) = f.connection_status {
        q = q.filter(lead_count::Column::ConnectionStatus.eq(s.as_str()));
    }
    q.build(backend)
}

/// A `COUNT` or `SUM` of leads as read (none: 0), which is never negative.
pub(crate) fn lead_count(n: Option<i64>) -> Result<u64> {
    let n = n.unwrap_or(0);
    u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("negative lead count {n}")))
}
