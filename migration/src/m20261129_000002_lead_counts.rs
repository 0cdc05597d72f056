//! Lead counts kept per campaign, status and connection status, so stats, the dashboard
//! and list totals read a handful of rows instead of counting every lead.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LeadCounts {
    Table,
    WorkspaceId,
    CampaignId,
    Status,
    ConnectionStatus,
    N,
}

#[derive(DeriveIden)]
enum Leads {
    Table,
    WorkspaceId,
    CampaignId,
    Status,
    ConnectionStatus,
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Workspaces {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The key starts with the campaign (a UUID, unique across workspaces): upserts and
        // per-campaign reads are lookups in the primary key itself.
        m.create_table(
            Table::create()
                .table(LeadCounts::Table)
                .col(uuid(LeadCounts::WorkspaceId))
                .col(uuid(LeadCounts::CampaignId))
                .col(string(LeadCounts::Status))
                .col(string(LeadCounts::ConnectionStatus))
                .col(big_integer(LeadCounts::N).default(0))
                .primary_key(
                    Index::create()
                        .col(LeadCounts::CampaignId)
                        .col(LeadCounts::Status)
                        .col(LeadCounts::ConnectionStatus),
                )
                // The store removes a deleted campaign's rows itself; the cascades keep the
                // table from pointing at nothing should a row be deleted some other way.
                .foreign_key(
                    ForeignKey::create()
                        .from(LeadCounts::Table, LeadCounts::CampaignId)
                        .to(Campaigns::Table, Campaigns::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(LeadCounts::Table, LeadCounts::WorkspaceId)
                        .to(Workspaces::Table, Workspaces::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // The dashboard and unfiltered list totals sum a workspace's rows.
        m.create_index(
            Index::create()
                .name("idx_lead_counts_workspace")
                .table(LeadCounts::Table)
                .col(LeadCounts::WorkspaceId)
                .col(LeadCounts::Status)
                .col(LeadCounts::ConnectionStatus)
                .to_owned(),
        )
        .await?;

        // Backfill from the leads already there, in the same (on PostgreSQL transactional)
        // migration, so the counts start equal to a recount.
        let recount = Query::select()
            .columns([
                Leads::WorkspaceId,
                Leads::CampaignId,
                Leads::Status,
                Leads::ConnectionStatus,
            ])
            .expr(Expr::col(Asterisk).count())
            .from(Leads::Table)
            .group_by_columns([
                Leads::WorkspaceId,
                Leads::CampaignId,
                Leads::Status,
                Leads::ConnectionStatus,
            ])
            .to_owned();
        let backfill = Query::insert()
            .into_table(LeadCounts::Table)
            .columns([
                LeadCounts::WorkspaceId,
                LeadCounts::CampaignId,
                LeadCounts::Status,
                LeadCounts::ConnectionStatus,
                LeadCounts::N,
            ])
            .select_from(recount)
            .map_err(|e| DbErr::Migration(e.to_string()))?
            .to_owned();
        m.exec_stmt(backfill).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LeadCounts::Table).to_owned())
            .await
    }
}
