//! Imports staged in the open on SQLite, and only the lead indexes a query uses.
//!
//! SQLite has one writer: an import of 100 000 rows written in one transaction holds it
//! for seconds, and every other workspace's writes wait that long. The store therefore
//! writes an import's rows in short transactions that interleave with other writers, each
//! row marked with its import (`leads.import_id`), and hides the rows of every import
//! still listed in `lead_imports`; the import becomes visible, with its one event, when a
//! last short write deletes its `lead_imports` row. A failed import deletes its rows; one
//! interrupted by a crash is deleted at the next start-up. PostgreSQL keeps one
//! transaction per import (its workspaces do not share a writer), so there `import_id` stays
//! null and `lead_imports` empty.
//!
//! Every lead insert writes every index of `leads`; five of them serve no query:
//! - `idx_leads_ws_status`, `idx_leads_ws_connection`, `idx_leads_campaign_status` served
//!   counts by status, which `lead_counts` keeps since the lead-counts migration;
//! - `idx_leads_campaign_email`, `idx_leads_campaign_linkedin` were meant for an import's
//!   duplicate check, which reads all of the campaign's keys at once through the campaign's
//!   own index instead.
//!
//! The list plans (`tests/http/plans.rs`) use the `(workspace|campaign, sort key, id)`
//! indexes only, on both databases.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LeadImports {
    Table,
    Id,
    WorkspaceId,
    CampaignId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Leads {
    Table,
    ImportId,
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

/// The unused indexes and their columns (for `down`).
const UNUSED: [(&str, &[&str]); 5] = [
    (
        "idx_leads_ws_status",
        &["workspace_id", "status", "created_at"],
    ),
    (
        "idx_leads_ws_connection",
        &["workspace_id", "connection_status", "created_at"],
    ),
    (
        "idx_leads_campaign_status",
        &["campaign_id", "status", "connection_status"],
    ),
    ("idx_leads_campaign_email", &["campaign_id", "email_key"]),
    (
        "idx_leads_campaign_linkedin",
        &["campaign_id", "linkedin_url"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in UNUSED {
            m.drop_index(Index::drop().name(name).table(Leads::Table).to_owned())
                .await?;
        }
        m.alter_table(
            Table::alter()
                .table(Leads::Table)
                .add_column(uuid_null(Leads::ImportId))
                .to_owned(),
        )
        .await?;
        // A deleted campaign or workspace takes its unfinished imports with it; the import
        // then finds its row gone and fails instead of showing its rows.
        m.create_table(
            Table::create()
                .table(LeadImports::Table)
                .col(pk_uuid(LeadImports::Id))
                .col(uuid(LeadImports::WorkspaceId))
                .col(uuid(LeadImports::CampaignId))
                .col(timestamp_with_time_zone(LeadImports::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(LeadImports::Table, LeadImports::CampaignId)
                        .to(Campaigns::Table, Campaigns::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(LeadImports::Table, LeadImports::WorkspaceId)
                        .to(Workspaces::Table, Workspaces::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LeadImports::Table).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Leads::Table)
                .drop_column(Leads::ImportId)
                .to_owned(),
        )
        .await?;
        for (name, cols) in UNUSED {
            let mut idx = Index::create();
            idx.name(name).table(Leads::Table);
            for c in cols {
                idx.col(Alias::new(*c));
            }
            m.create_index(idx.to_owned()).await?;
        }
        Ok(())
    }
}
