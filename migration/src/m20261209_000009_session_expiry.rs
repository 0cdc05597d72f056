//! When a sign-in session's last token expires (`sessions.expires_at`), so that pruning
//! goes by what was issued rather than by the pruning node's `JWT_TTL`: a node started
//! with a shorter one (or a restart that shortened it) deleted sessions whose tokens were
//! still valid. Rows from before are left null and pruned by their last refresh, as then.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sessions {
    Table,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .add_column(timestamp_with_time_zone_null(Sessions::ExpiresAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .drop_column(Sessions::ExpiresAt)
                    .to_owned(),
            )
            .await
    }
}
