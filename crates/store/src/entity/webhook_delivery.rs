//! `webhook_deliveries`: one row per delivery attempt, kept as long as the event log.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    /// UUIDv7: ordering by id is ordering by time.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub webhook_id: Uuid,
    pub workspace_id: Uuid,
    pub seq: i64,
    pub attempt: i32,
    /// The receiver's HTTP status; null when it did not answer.
    pub status: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i64,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
