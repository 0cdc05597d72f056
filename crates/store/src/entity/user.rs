use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The workspace the user first joined. Not read: `memberships` holds every workspace
    /// of a user and their role there.
    pub workspace_id: Uuid,
    pub name: String,
    /// Lower-cased.
    pub email: String,
    pub password_hash: String,
    /// The role the user first joined with; not read (see `workspace_id`).
    pub role: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
