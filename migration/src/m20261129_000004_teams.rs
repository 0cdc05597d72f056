//! Teams: memberships (a user may belong to several workspaces), invitations and
//! integration tokens.
//!
//! `users.workspace_id` and `users.role` stay as they were (the workspace a user first
//! joined); from here on `memberships` is the only source of a user's workspaces and roles.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Workspaces {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    WorkspaceId,
    UserId,
    Role,
    JoinedAt,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    WorkspaceId,
    Email,
    Role,
    TokenHash,
    InvitedBy,
    CreatedAt,
    ExpiresAt,
    AcceptedAt,
    AcceptedBy,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    WorkspaceId,
    Name,
    Role,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}

fn workspace_fk(table: impl IntoIden, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Workspaces::Table, Workspaces::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Memberships::Table)
                .col(uuid(Memberships::WorkspaceId))
                .col(uuid(Memberships::UserId))
                .col(string(Memberships::Role))
                .col(timestamp_with_time_zone(Memberships::JoinedAt))
                .primary_key(
                    Index::create()
                        .col(Memberships::WorkspaceId)
                        .col(Memberships::UserId),
                )
                .foreign_key(&mut workspace_fk(
                    Memberships::Table,
                    Memberships::WorkspaceId,
                ))
                .foreign_key(
                    ForeignKey::create()
                        .from(Memberships::Table, Memberships::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // "Which workspaces is this user in", at login and switch.
        m.create_index(
            Index::create()
                .name("idx_memberships_user")
                .table(Memberships::Table)
                .col(Memberships::UserId)
                .col(Memberships::JoinedAt)
                .to_owned(),
        )
        .await?;
        // Everyone keeps the workspace and role they have today.
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO memberships (workspace_id, user_id, role, joined_at) \
                 SELECT workspace_id, id, role, created_at FROM users",
            )
            .await?;

        m.create_table(
            Table::create()
                .table(Invitations::Table)
                .col(pk_uuid(Invitations::Id))
                .col(uuid(Invitations::WorkspaceId))
                .col(string(Invitations::Email))
                .col(string(Invitations::Role))
                // SHA-256 of the token, hex: the token itself is never stored.
                .col(string_uniq(Invitations::TokenHash))
                .col(uuid(Invitations::InvitedBy))
                .col(timestamp_with_time_zone(Invitations::CreatedAt))
                .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                .col(timestamp_with_time_zone_null(Invitations::AcceptedAt))
                .col(uuid_null(Invitations::AcceptedBy))
                .foreign_key(&mut workspace_fk(
                    Invitations::Table,
                    Invitations::WorkspaceId,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_invitations_workspace")
                .table(Invitations::Table)
                .col(Invitations::WorkspaceId)
                .col(Invitations::CreatedAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ApiTokens::Table)
                .col(pk_uuid(ApiTokens::Id))
                .col(uuid(ApiTokens::WorkspaceId))
                .col(string(ApiTokens::Name))
                .col(string(ApiTokens::Role))
                .col(uuid(ApiTokens::CreatedBy))
                .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                .foreign_key(&mut workspace_fk(ApiTokens::Table, ApiTokens::WorkspaceId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_api_tokens_workspace")
                .table(ApiTokens::Table)
                .col(ApiTokens::WorkspaceId)
                .col(ApiTokens::CreatedAt)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["api_tokens", "invitations", "memberships"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
