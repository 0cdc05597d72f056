//! The activity log, newest first.

use crate::Store;
use crate::entity::activity;
use crate::error::{Result, StoreError};
use crate::page::{PageOf, PageRequest, SortColumns, finish_page};
use kandid_domain::views::{ActivityView, EntityType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

const SORT: SortColumns<activity::Column> = SortColumns {
    created_at: activity::Column::CreatedAt,
    updated_at: activity::Column::CreatedAt,
    name: activity::Column::CreatedAt,
    id: activity::Column::Id,
};

pub(crate) fn view(m: activity::Model) -> Result<ActivityView> {
    let entity_type = match m.entity_type.as_str() {
        "campaign" => EntityType::Campaign,
        "lead" => EntityType::Lead,
        "member" => EntityType::Member,
        other => return Err(StoreError::Corrupt(format!("activity entity type {other}"))),
    };
    Ok(ActivityView {
        id: m.id,
        actor_id: m.actor_id,
        entity_type,
        entity_id: m.entity_id,
        campaign_id: m.campaign_id,
        action: m
            .action
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("activity action {}", m.action)))?,
        changes: m.changes,
        created_at: m.created_at,
    })
}

pub(crate) async fn recent<C: ConnectionTrait>(
    db: &C,
    ws: Uuid,
    n: u64,
) -> Result<Vec<ActivityView>> {
    let page = PageRequest {
        limit: n,
        ..PageRequest::default()
    };
    let q = activity::Entity::find().filter(activity::Column::WorkspaceId.eq(ws));
    SORT.apply(q, &page)
        .limit(n)
        .all(db)
        .await?
        .into_iter()
        .map(view)
        .collect()
}

impl Store {
    /// Activities of the workspace, optionally of one campaign or one lead. `page.sort`
    /// is always newest first.
    pub async fn list_activities(
        &self,
        ws: Uuid,
        campaign_id: Option<Uuid>,
        lead_id: Option<Uuid>,
        page: &PageRequest,
    ) -> Result<PageOf<ActivityView>> {
        let mut q = activity::Entity::find().filter(activity::Column::WorkspaceId.eq(ws));
        if let Some(c) = campaign_id {
            q = q.filter(activity::Column::CampaignId.eq(c));
        }
        if let Some(l) = lead_id {
            q = q
                .filter(activity::Column::EntityType.eq("lead"))
                .filter(activity::Column::EntityId.eq(l));
        }
        let total = q.clone().count(&self.db).await?;
        let rows = SORT
            .apply(q, page)
            .limit(page.limit + 1)
            .all(&self.db)
            .await?;
        finish_page(
            rows,
            page,
            total,
            |m| (m.created_at, m.created_at, String::new(), m.id),
            view,
        )
    }
}
