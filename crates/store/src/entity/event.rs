use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub workspace_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub event_type: String,
    pub action: String,
    pub entity_id: Option<Uuid>,
    pub campaign_id: Option<Uuid>,
    pub data: Option<Json>,
    pub changes: Json,
    pub count: i64,
    pub actor_id: Uuid,
    /// Room names (without the workspace prefix) the event is delivered to.
    pub rooms: Json,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
