//! `sessions`: sign-in sessions, the `sid` of the session tokens issued from them.

use sea_orm::entity::prelude::*;

/// One sign-in: its tokens are refused once it is revoked (logout), and refresh stops once
/// it is older than the absolute lifetime.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// The sign-in (login or registration) that began it.
    pub created_at: DateTimeUtc,
    /// The last refresh (or the sign-in).
    pub refreshed_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    /// When the last token issued in it expires (null on sessions from before it was kept).
    pub expires_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
