//! Campaigns: workspace-scoped reads with stats computed from their leads, and mutations.

use crate::counts;
use crate::diff::{Diff, to_json};
use crate::entity::{campaign, deleted_lead, lead};
use crate::error::{Result, StoreError};
use crate::page::{PageOf, PageRequest, SortColumns, finish_page};
use crate::query::{CampaignFilter, check_if_match, contains, find_campaign, search_key};
use crate::tx::{Change, Outcome, WriteTx};
use crate::{Actor, Store};
use kandid_domain::input::{CampaignPatch, NewCampaign};
use kandid_domain::views::{CampaignStats, CampaignView, EntityType, Step};
use kandid_domain::{Action, ConnectionStatus, LeadStatus, Precondition, Room};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QuerySelect, Select,
};
use std::collections::HashMap;
use uuid::Uuid;

/// Rows per INSERT into `deleted_leads` (3 columns each: far below the bind limits).
const TOMBSTONE_CHUNK: usize = 5000;

const SORT: SortColumns<campaign::Column> = SortColumns {
    created_at: campaign::Column::CreatedAt,
    updated_at: campaign::Column::UpdatedAt,
    name: campaign::Column::Name,
    id: campaign::Column::Id,
};

fn scoped(ws: Uuid) -> Select<campaign::Entity> {
    campaign::Entity::find().filter(campaign::Column::WorkspaceId.eq(ws))
}

/// Lead counts per campaign, by status and connection status, from the kept counts.
pub(crate) async fn stats_for<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, CampaignStats>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut groups: HashMap<Uuid, Vec<(LeadStatus, ConnectionStatus, i64)>> = HashMap::new();
    for (cid, s, c, n) in counts::of_campaigns(db, ids).await? {
        groups.entry(cid).or_default().push((s, c, n));
    }
    Ok(ids
        .iter()
        .map(|id| {
            (
                *id,
                CampaignStats::from_groups(groups.get(id).map_or(&[][..], Vec::as_slice)),
            )
        })
        .collect())
}

pub(crate) fn view(m: campaign::Model, stats: CampaignStats) -> Result<CampaignView> {
    let status = m
        .status
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("campaign status {}", m.status)))?;
    let sequence: Vec<Step> = serde_json::from_value(m.sequence)
        .map_err(|e| StoreError::Corrupt(format!("campaign sequence: {e}")))?;
    Ok(CampaignView {
        id: m.id,
        name: m.name,
        description: m.description,
        status,
        daily_limit: m.daily_limit,
        sequence,
        stats,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
        created_by: m.created_by,
    })
}

pub(crate) async fn view_with_stats<C: ConnectionTrait>(
    db: &C,
    m: campaign::Model,
) -> Result<CampaignView> {
    let id = m.id;
    let mut stats = stats_for(db, &[id]).await?;
    view(m, stats.remove(&id).unwrap_or_default())
}

impl Store {
    pub async fn list_campaigns(
        &self,
        ws: Uuid,
        f: &CampaignFilter,
        page: &PageRequest,
    ) -> Result<PageOf<CampaignView>> {
        let mut q = scoped(ws);
        if let Some(s) = f.status {
            q = q.filter(campaign::Column::Status.eq(s.as_str()));
        }
        // A scan of the workspace's campaigns, unlike leads (see `leads::search`): a
        // workspace has tens or hundreds of campaigns, not 100 000.
        if let Some(text) = f.q.as_deref().filter(|t| !t.is_empty()) {
            q = q.filter(contains(campaign::Column::SearchKey, text));
        }
        let total = q.clone().count(&self.db).await?;
        let rows = SORT
            .apply(q, page)
            .limit(page.limit + 1)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let mut stats = stats_for(&self.db, &ids).await?;
        finish_page(
            rows,
            page,
            total,
            |m| (m.created_at, m.updated_at, m.name.clone(), m.id),
            |m| {
                let s = stats.remove(&m.id).unwrap_or_default();
                view(m, s)
            },
        )
    }

    /// Whether a campaign of the workspace exists.
    pub async fn campaign_exists(&self, ws: Uuid, id: Uuid) -> Result<bool> {
        let n = scoped(ws)
            .filter(campaign::Column::Id.eq(id))
            .count(&self.db)
            .await?;
        Ok(n > 0)
    }

    pub async fn get_campaign(&self, ws: Uuid, id: Uuid) -> Result<CampaignView> {
        let m = find_campaign(&self.db, ws, id).await?;
        view_with_stats(&self.db, m).await
    }

    pub async fn create_campaign(
        &self,
        ws: Uuid,
        actor: Actor,
        c: NewCampaign,
    ) -> Result<CampaignView> {
        self.write(ws, actor, move |tx| Box::pin(create(tx, c)))
            .await
    }

    /// Applies a partial update. Nothing changed: no write, no event, the current state.
    pub async fn update_campaign(
        &self,
        ws: Uuid,
        actor: Actor,
        id: Uuid,
        p: CampaignPatch,
        if_match: Option<Precondition>,
    ) -> Result<CampaignView> {
        let updated = self
            .write(ws, actor, move |tx| Box::pin(update(tx, id, p, if_match)))
            .await?;
        match updated {
            Some(v) => Ok(v),
            None => self.get_campaign(ws, id).await,
        }
    }

    /// Deletes a campaign and its leads: one `campaigns_updated` and, when it had leads,
    /// one bulk `leads_updated`.
    pub async fn delete_campaign(
        &self,
        ws: Uuid,
        actor: Actor,
        id: Uuid,
        if_match: Option<Precondition>,
    ) -> Result<()> {
        self.write(ws, actor, move |tx| Box::pin(delete(tx, id, if_match)))
            .await
    }
}

async fn create(tx: &mut WriteTx, c: NewCampaign) -> Result<Outcome<CampaignView>> {
    let key = search_key([Some(c.name.as_str()), c.description.as_deref()]);
    let m = campaign::ActiveModel {
        search_key: Set(key),
        id: Set(Uuid::now_v7()),
        workspace_id: Set(tx.ws),
        name: Set(c.name),
        description: Set(c.description),
        status: Set(c.status.as_str().to_owned()),
        daily_limit: Set(c.daily_limit),
        sequence: Set(to_json(&c.sequence)),
        version: Set(1),
        created_by: Set(tx.actor),
        created_at: Set(tx.now),
        updated_at: Set(tx.now),
    }
    .insert(&tx.txn)
    .await?;
    let v = view(m, CampaignStats::from_groups(&[]))?;
    let recorded = tx
        .record(Change::created(
            EntityType::Campaign,
            v.id,
            Some(v.id),
            to_json(&v),
        ))
        .await?;
    Ok(Outcome::changed(recorded, v))
}

/// Unchanged (`None`) when the patch changes nothing.
async fn update(
    tx: &mut WriteTx,
    id: Uuid,
    p: CampaignPatch,
    if_match: Option<Precondition>,
) -> Result<Outcome<Option<CampaignView>>> {
    let old = find_campaign(&tx.txn, tx.ws, id).await?;
    check_if_match(if_match.as_ref(), old.version)?;
    let old_view = view(old.clone(), CampaignStats::default())?;

    let name = p.name.unwrap_or_else(|| old_view.name.clone());
    let description = p
        .description
        .unwrap_or_else(|| old_view.description.clone());
    let status = p.status.unwrap_or(old_view.status);
    if status != old_view.status && !old_view.status.can_transition_to(status) {
        return Err(StoreError::InvalidTransition {
            from: old_view.status,
            to: status,
        });
    }
    let daily_limit = p.daily_limit.unwrap_or(old_view.daily_limit);
    let sequence = p.sequence.unwrap_or_else(|| old_view.sequence.clone());

    let mut d = Diff::default();
    d.field("name", &old_view.name, &name);
    d.field("description", &old_view.description, &description);
    d.field("status", &old_view.status, &status);
    d.field("daily_limit", &old_view.daily_limit, &daily_limit);
    d.field("sequence", &old_view.sequence, &sequence);
    if d.is_empty() {
        return Ok(Outcome::unchanged(None));
    }

    let mut am = old.into_active_model();
    am.search_key = Set(search_key([Some(name.as_str()), description.as_deref()]));
    am.name = Set(name);
    am.description = Set(description);
    am.status = Set(status.as_str().to_owned());
    am.daily_limit = Set(daily_limit);
    am.sequence = Set(to_json(&sequence));
    am.version = Set(old_view.version + 1);
    am.updated_at = Set(tx.now);
    let m = am.update(&tx.txn).await?;
    let v = view_with_stats(&tx.txn, m).await?;
    let recorded = tx
        .record(Change::updated(
            EntityType::Campaign,
            id,
            Some(id),
            d,
            to_json(&v),
        ))
        .await?;
    Ok(Outcome::changed(recorded, Some(v)))
}

async fn delete(tx: &mut WriteTx, id: Uuid, if_match: Option<Precondition>) -> Result<Outcome<()>> {
    let ws = tx.ws;
    let old = find_campaign(&tx.txn, ws, id).await?;
    check_if_match(if_match.as_ref(), old.version)?;
    let old_view = view_with_stats(&tx.txn, old).await?;
    // Each deleted lead's own room hears of its deletion too (see below).
    // Only the visible leads were ever announced; the rows of an import still being
    // staged into the campaign go too, unannounced, and that import fails.
    let mut visible = lead::Entity::find()
        .select_only()
        .column(lead::Column::Id)
        .filter(lead::Column::WorkspaceId.eq(ws))
        .filter(lead::Column::CampaignId.eq(id));
    if tx.txn.get_database_backend() == DatabaseBackend::Sqlite {
        visible = visible.filter(crate::leads::visible());
    }
    let lead_ids: Vec<Uuid> = visible.into_tuple().all(&tx.txn).await?;
    lead::Entity::delete_many()
        .filter(lead::Column::WorkspaceId.eq(ws))
        .filter(lead::Column::CampaignId.eq(id))
        .exec(&tx.txn)
        .await?;
    let leads = lead_ids.len();
    counts::campaign_removed(&tx.txn, ws, id).await?;
    campaign::Entity::delete_by_id(id).exec(&tx.txn).await?;
    let recorded = tx
        .record(Change::deleted(
            EntityType::Campaign,
            id,
            Some(id),
            &to_json(&old_view),
        ))
        .await?;
    if leads > 0 {
        let n = i64::try_from(leads).unwrap_or(i64::MAX);
        // The row names the campaign's rooms only, however many leads went; each lead's
        // own room hears of it live, and through `deleted_leads` in `sync`.
        let leads_gone = Change::bulk(
            EntityType::Lead,
            Action::Deleted,
            id,
            n,
            serde_json::json!({ "count": [n, 0] }),
        )
        .live_only_rooms(lead_ids.iter().copied().map(Room::Lead).collect());
        let seq = tx.record(leads_gone).await?.seq();
        for chunk in lead_ids.chunks(TOMBSTONE_CHUNK) {
            deleted_lead::Entity::insert_many(chunk.iter().map(|l| deleted_lead::ActiveModel {
                workspace_id: Set(ws),
                lead_id: Set(*l),
                seq: Set(seq),
            }))
            .exec_without_returning(&tx.txn)
            .await?;
        }
    }
    Ok(Outcome::changed(recorded, ()))
}
