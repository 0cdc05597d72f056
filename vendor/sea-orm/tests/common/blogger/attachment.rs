use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub post_id: Option<i32>,
    pub file: String,
    #[sea_orm(belongs_to, from = "post_id", to = "id")]
    pub post: BelongsTo<Option<super::post::Entity>>,
}

impl ActiveModelBehavior for ActiveModel {}
