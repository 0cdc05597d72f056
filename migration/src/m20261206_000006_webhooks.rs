//! Webhooks and their delivery log. A webhook's position in its workspace's event log
//! (`last_delivered_seq`) is its only queue: delivery reads the log after it, so nothing
//! is copied into an outbox. The lease columns say which node delivers it now.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    Id,
    WorkspaceId,
    Url,
    Events,
    Description,
    Enabled,
    Secret,
    PreviousSecret,
    PreviousSecretUntil,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    LastDeliveredSeq,
    Attempt,
    FailingSince,
    LastError,
    DisabledReason,
    LeaseOwner,
    LeaseUntil,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    WebhookId,
    WorkspaceId,
    Seq,
    Attempt,
    Status,
    Error,
    DurationMs,
    At,
}

#[derive(DeriveIden)]
enum Workspaces {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Webhooks::Table)
                .col(uuid(Webhooks::Id).primary_key())
                .col(uuid(Webhooks::WorkspaceId))
                .col(text(Webhooks::Url))
                .col(json(Webhooks::Events))
                .col(text_null(Webhooks::Description))
                .col(boolean(Webhooks::Enabled))
                .col(text(Webhooks::Secret))
                .col(text_null(Webhooks::PreviousSecret))
                .col(timestamp_with_time_zone_null(Webhooks::PreviousSecretUntil))
                .col(uuid(Webhooks::CreatedBy))
                .col(timestamp_with_time_zone(Webhooks::CreatedAt))
                .col(timestamp_with_time_zone(Webhooks::UpdatedAt))
                .col(big_integer(Webhooks::LastDeliveredSeq))
                // Failed attempts at the event after `last_delivered_seq`.
                .col(integer(Webhooks::Attempt).default(0))
                .col(timestamp_with_time_zone_null(Webhooks::FailingSince))
                .col(text_null(Webhooks::LastError))
                .col(text_null(Webhooks::DisabledReason))
                .col(uuid_null(Webhooks::LeaseOwner))
                .col(timestamp_with_time_zone_null(Webhooks::LeaseUntil))
                .foreign_key(
                    ForeignKey::create()
                        .from(Webhooks::Table, Webhooks::WorkspaceId)
                        .to(Workspaces::Table, Workspaces::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_webhooks_workspace")
                .table(Webhooks::Table)
                .col(Webhooks::WorkspaceId)
                .col(Webhooks::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(WebhookDeliveries::Table)
                .col(uuid(WebhookDeliveries::Id).primary_key())
                .col(uuid(WebhookDeliveries::WebhookId))
                .col(uuid(WebhookDeliveries::WorkspaceId))
                .col(big_integer(WebhookDeliveries::Seq))
                .col(integer(WebhookDeliveries::Attempt))
                .col(integer_null(WebhookDeliveries::Status))
                .col(text_null(WebhookDeliveries::Error))
                .col(big_integer(WebhookDeliveries::DurationMs))
                .col(timestamp_with_time_zone(WebhookDeliveries::At))
                .foreign_key(
                    ForeignKey::create()
                        .from(WebhookDeliveries::Table, WebhookDeliveries::WebhookId)
                        .to(Webhooks::Table, Webhooks::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // The log is read newest first per webhook (ids are UUIDv7, so in time order);
        // retention deletes by time.
        m.create_index(
            Index::create()
                .name("idx_webhook_deliveries_webhook")
                .table(WebhookDeliveries::Table)
                .col(WebhookDeliveries::WebhookId)
                .col(WebhookDeliveries::Id)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_webhook_deliveries_at")
                .table(WebhookDeliveries::Table)
                .col(WebhookDeliveries::At)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(WebhookDeliveries::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Webhooks::Table).to_owned())
            .await
    }
}
