use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "leads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub campaign_id: Uuid,
    pub name: String,
    pub email: Option<String>,
    /// Lower-cased e-mail, for duplicate detection on import.
    pub email_key: Option<String>,
    /// Lower-cased name, e-mail, company and title, for case-insensitive search on every
    /// backend (SQLite's lower() only folds ASCII).
    pub search_key: String,
    pub company: Option<String>,
    pub title: Option<String>,
    pub linkedin_url: Option<String>,
    pub status: String,
    pub connection_status: String,
    pub notes: Option<String>,
    pub last_activity_at: Option<DateTimeUtc>,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The unfinished import that staged the row (SQLite): while that import is listed in
    /// `lead_imports`, the row is invisible. Kept once the import is done.
    pub import_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
