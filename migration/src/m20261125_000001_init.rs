//! Workspaces, users, campaigns, leads, activities and the event log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Workspaces {
    Table,
    Id,
    Name,
    LastSeq,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    WorkspaceId,
    Name,
    Email,
    PasswordHash,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    Id,
    WorkspaceId,
    Name,
    Description,
    SearchKey,
    Status,
    DailyLimit,
    Sequence,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Leads {
    Table,
    Id,
    WorkspaceId,
    CampaignId,
    Name,
    Email,
    EmailKey,
    SearchKey,
    Company,
    Title,
    LinkedinUrl,
    Status,
    ConnectionStatus,
    Notes,
    LastActivityAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Activities {
    Table,
    Id,
    WorkspaceId,
    ActorId,
    EntityType,
    EntityId,
    CampaignId,
    Action,
    Changes,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    WorkspaceId,
    Seq,
    EventType,
    Action,
    EntityId,
    CampaignId,
    Data,
    Changes,
    Count,
    ActorId,
    Rooms,
    CreatedAt,
}

fn index(name: &str, table: impl IntoIden, cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for c in cols {
        idx.col(Alias::new(*c));
    }
    idx.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Workspaces::Table)
                .col(pk_uuid(Workspaces::Id))
                .col(string(Workspaces::Name))
                .col(big_integer(Workspaces::LastSeq).default(0))
                .col(timestamp_with_time_zone(Workspaces::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(pk_uuid(Users::Id))
                .col(uuid(Users::WorkspaceId))
                .col(string(Users::Name))
                .col(string_uniq(Users::Email))
                .col(string(Users::PasswordHash))
                .col(string(Users::Role))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Users::Table, Users::WorkspaceId)
                        .to(Workspaces::Table, Workspaces::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_users_workspace",
            Users::Table,
            &["workspace_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Campaigns::Table)
                .col(pk_uuid(Campaigns::Id))
                .col(uuid(Campaigns::WorkspaceId))
                .col(string(Campaigns::Name))
                .col(text_null(Campaigns::Description))
                .col(text(Campaigns::SearchKey))
                .col(string(Campaigns::Status))
                .col(big_integer(Campaigns::DailyLimit))
                .col(json(Campaigns::Sequence))
                .col(big_integer(Campaigns::Version))
                .col(uuid(Campaigns::CreatedBy))
                .col(timestamp_with_time_zone(Campaigns::CreatedAt))
                .col(timestamp_with_time_zone(Campaigns::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Campaigns::Table, Campaigns::WorkspaceId)
                        .to(Workspaces::Table, Workspaces::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "idx_campaigns_ws_created",
                &["workspace_id", "created_at", "id"][..],
            ),
            (
                "idx_campaigns_ws_updated",
                &["workspace_id", "updated_at", "id"][..],
            ),
            ("idx_campaigns_ws_name", &["workspace_id", "name", "id"][..]),
            (
                "idx_campaigns_ws_status",
                &["workspace_id", "status", "created_at"][..],
            ),
        ] {
            m.create_index(index(name, Campaigns::Table, cols)).await?;
        }

        m.create_table(
            Table::create()
                .table(Leads::Table)
                .col(pk_uuid(Leads::Id))
                .col(uuid(Leads::WorkspaceId))
                .col(uuid(Leads::CampaignId))
                .col(string(Leads::Name))
                .col(string_null(Leads::Email))
                .col(string_null(Leads::EmailKey))
                .col(text(Leads::SearchKey))
                .col(string_null(Leads::Company))
                .col(string_null(Leads::Title))
                .col(text_null(Leads::LinkedinUrl))
                .col(string(Leads::Status))
                .col(string(Leads::ConnectionStatus))
                .col(text_null(Leads::Notes))
                .col(timestamp_with_time_zone_null(Leads::LastActivityAt))
                .col(big_integer(Leads::Version))
                .col(timestamp_with_time_zone(Leads::CreatedAt))
                .col(timestamp_with_time_zone(Leads::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Leads::Table, Leads::CampaignId)
                        .to(Campaigns::Table, Campaigns::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Leads::Table, Leads::WorkspaceId)
                        .to(Workspaces::Table, Workspaces::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "idx_leads_ws_created",
                &["workspace_id", "created_at", "id"][..],
            ),
            (
                "idx_leads_ws_updated",
                &["workspace_id", "updated_at", "id"][..],
            ),
            ("idx_leads_ws_name", &["workspace_id", "name", "id"][..]),
            (
                "idx_leads_ws_status",
                &["workspace_id", "status", "created_at"][..],
            ),
            (
                "idx_leads_ws_connection",
                &["workspace_id", "connection_status", "created_at"][..],
            ),
            (
                "idx_leads_campaign_created",
                &["campaign_id", "created_at", "id"][..],
            ),
            (
                "idx_leads_campaign_status",
                &["campaign_id", "status", "connection_status"][..],
            ),
            (
                "idx_leads_campaign_email",
                &["campaign_id", "email_key"][..],
            ),
            (
                "idx_leads_campaign_linkedin",
                &["campaign_id", "linkedin_url"][..],
            ),
        ] {
            m.create_index(index(name, Leads::Table, cols)).await?;
        }

        m.create_table(
            Table::create()
                .table(Activities::Table)
                .col(pk_uuid(Activities::Id))
                .col(uuid(Activities::WorkspaceId))
                .col(uuid(Activities::ActorId))
                .col(string(Activities::EntityType))
                .col(uuid_null(Activities::EntityId))
                .col(uuid_null(Activities::CampaignId))
                .col(string(Activities::Action))
                .col(json(Activities::Changes))
                .col(timestamp_with_time_zone(Activities::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Activities::Table, Activities::WorkspaceId)
                        .to(Workspaces::Table, Workspaces::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "idx_activities_ws_created",
                &["workspace_id", "created_at", "id"][..],
            ),
            (
                "idx_activities_campaign",
                &["campaign_id", "created_at", "id"][..],
            ),
            (
                "idx_activities_entity",
                &["entity_id", "created_at", "id"][..],
            ),
        ] {
            m.create_index(index(name, Activities::Table, cols)).await?;
        }

        m.create_table(
            Table::create()
                .table(Events::Table)
                .col(uuid(Events::WorkspaceId))
                .col(big_integer(Events::Seq))
                .col(string(Events::EventType))
                .col(string(Events::Action))
                .col(uuid_null(Events::EntityId))
                .col(uuid_null(Events::CampaignId))
                .col(json_null(Events::Data))
                .col(json(Events::Changes))
                .col(big_integer(Events::Count))
                .col(uuid(Events::ActorId))
                .col(json(Events::Rooms))
                .col(timestamp_with_time_zone(Events::CreatedAt))
                .primary_key(Index::create().col(Events::WorkspaceId).col(Events::Seq))
                .foreign_key(
                    ForeignKey::create()
                        .from(Events::Table, Events::WorkspaceId)
                        .to(Workspaces::Table, Workspaces::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("idx_events_created", Events::Table, &["created_at"]))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "events",
            "activities",
            "leads",
            "campaigns",
            "users",
            "workspaces",
        ] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
