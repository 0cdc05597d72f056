//! Query pieces the resource modules share: list filters, the workspace-scoped lookup of a
//! campaign, text search on lower-cased keys, and the `If-Match` check. It depends on no
//! resource module, so they can all use it without importing one another.

use crate::entity::campaign;
use crate::error::{Result, StoreError};
use kandid_domain::{CampaignStatus, ConnectionStatus, LeadStatus, Precondition};
use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter};
use uuid::Uuid;

/// What `list_campaigns` keeps: a status, and text in the name or description.
#[derive(Debug, Clone, Default)]
pub struct CampaignFilter {
    pub status: Option<CampaignStatus>,
    pub q: Option<String>,
}

/// What `list_leads` keeps: a campaign, statuses, and text in name, e-mail, company or title.
#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    pub campaign_id: Option<Uuid>,
    pub status: Option<LeadStatus>,
    pub connection_status: Option<ConnectionStatus>,
    pub q: Option<String>,
}

/// The campaign `id` of workspace `ws`; `NotFound` when it is another workspace's.
pub(crate) async fn find_campaign<C: ConnectionTrait>(
    db: &C,
    ws: Uuid,
    id: Uuid,
) -> Result<campaign::Model> {
    campaign::Entity::find()
        .filter(campaign::Column::WorkspaceId.eq(ws))
        .filter(campaign::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// `%text%` for a case-insensitive LIKE against a lower-cased column.
fn like_pattern(q: &str) -> LikeExpr {
    let escaped = q
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// `col LIKE %q%` against a search key that is already lower-cased (Unicode-aware, in Rust).
pub(crate) fn contains<C: ColumnTrait>(col: C, q: &str) -> sea_orm::sea_query::SimpleExpr {
    Expr::col(col).like(like_pattern(q))
}

/// The search key of text fields: each lower-cased, one per line.
pub(crate) fn search_key<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A precondition (`If-Match`) that does not accept the current version fails the write.
pub(crate) fn check_if_match(if_match: Option<&Precondition>, current: i64) -> Result<()> {
    match if_match {
        Some(p) if !p.accepts(current) => Err(StoreError::PreconditionFailed { current }),
        _ => Ok(()),
    }
}
