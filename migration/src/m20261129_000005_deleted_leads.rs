//! Which leads a bulk deletion (a campaign deleted with its leads) removed, keyed by the
//! event's seq: the event row itself names only the campaign's rooms, so it stays small
//! however many leads went, and `sync` still finds it for a socket in `lead:<id>`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DeletedLeads {
    Table,
    WorkspaceId,
    Seq,
    LeadId,
}

#[derive(DeriveIden)]
enum Workspaces {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // `sync` asks "which of these leads were deleted after seq N": the key answers it
        // per lead; retention deletes a prefix of seqs per workspace.
        m.create_table(
            Table::create()
                .table(DeletedLeads::Table)
                .col(uuid(DeletedLeads::WorkspaceId))
                .col(uuid(DeletedLeads::LeadId))
                .col(big_integer(DeletedLeads::Seq))
                .primary_key(
                    Index::create()
                        .col(DeletedLeads::WorkspaceId)
                        .col(DeletedLeads::LeadId)
                        .col(DeletedLeads::Seq),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(DeletedLeads::Table, DeletedLeads::WorkspaceId)
                        .to(Workspaces::Table, Workspaces::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_deleted_leads_seq")
                .table(DeletedLeads::Table)
                .col(DeletedLeads::WorkspaceId)
                .col(DeletedLeads::Seq)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(DeletedLeads::Table).to_owned())
            .await
    }
}
