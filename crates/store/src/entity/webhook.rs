//! `webhooks`: a workspace's HTTP receivers, their position in its event log and lease.

use sea_orm::entity::prelude::*;

/// A webhook; `last_delivered_seq` is the last event of its workspace it is done with
/// (delivered with a 2xx, or not matching its `events`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "webhooks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub url: String,
    /// Event names it receives (a JSON array of strings).
    pub events: Json,
    pub description: Option<String>,
    pub enabled: bool,
    pub secret: String,
    /// The secret before the last rotation, still signing until `previous_secret_until`.
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<DateTimeUtc>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub last_delivered_seq: i64,
    pub attempt: i32,
    pub failing_since: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub disabled_reason: Option<String>,
    pub lease_owner: Option<Uuid>,
    pub lease_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
