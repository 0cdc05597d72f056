//! Workspace-wide metrics, read in one transaction so counts and `seq` agree.

use crate::Store;
use crate::activities::recent;
use crate::counts;
use crate::entity::{campaign, workspace};
use crate::error::{Result, StoreError};
use kandid_domain::views::{CountsByStatus, DashboardView, LeadCounts, Rates};
use kandid_domain::{CampaignStatus, ConnectionStatus, LeadStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::BTreeMap;
use uuid::Uuid;

fn zeroes(names: impl Iterator<Item = &'static str>) -> BTreeMap<String, i64> {
    names.map(|n| (n.to_owned(), 0)).collect()
}

impl Store {
    pub async fn dashboard(&self, ws: Uuid) -> Result<DashboardView> {
        // One snapshot for the counts and `seq`.
        let txn = self.snapshot().await?;
        let seq = workspace::Entity::find_by_id(ws)
            .one(&txn)
            .await?
            .ok_or(StoreError::UnknownWorkspace)?
            .last_seq;
        let camp_rows: Vec<(String, i64)> = campaign::Entity::find()
            .select_only()
            .column(campaign::Column::Status)
            .column_as(Expr::cust("COUNT(*)"), "n")
            .filter(campaign::Column::WorkspaceId.eq(ws))
            .group_by(campaign::Column::Status)
            .into_tuple()
            .all(&txn)
            .await?;
        let lead_rows = counts::of_workspace(&txn, ws).await?;
        let recent_activity = recent(&txn, ws, 10).await?;
        txn.commit().await?;

        let mut campaigns = CountsByStatus {
            total: 0,
            by_status: zeroes(CampaignStatus::ALL.iter().map(|s| s.as_str())),
        };
        for (s, n) in camp_rows {
            *campaigns.by_status.entry(s).or_default() += n;
            campaigns.total += n;
        }
        let mut leads = LeadCounts {
            total: 0,
            by_status: zeroes(LeadStatus::ALL.iter().map(|s| s.as_str())),
            by_connection_status: zeroes(ConnectionStatus::ALL.iter().map(|s| s.as_str())),
        };
        for (s, c, n) in lead_rows {
            *leads.by_status.entry(s.as_str().to_owned()).or_default() += n;
            *leads
                .by_connection_status
                .entry(c.as_str().to_owned())
                .or_default() += n;
            leads.total += n;
        }
        let rates = Rates::from_counts(&leads.by_status, &leads.by_connection_status, leads.total);
        Ok(DashboardView {
            campaigns,
            leads,
            acceptance_rate: rates.acceptance_rate,
            response_rate: rates.response_rate,
            conversion_rate: rates.conversion_rate,
            recent_activity,
            seq,
        })
    }
}
