//! Sign-in sessions: started by login and registration, kept by refresh (up to an absolute
//! lifetime) and by switching workspaces, ended by logout. A person's token carries its
//! session's id (`sid`); `access` refuses it once the session is revoked. The revocation
//! goes through the write path like a member's removal: the cached entry is dropped after
//! the commit, other nodes hear of it, and the session's sockets are ended.

use crate::Store;
use crate::access::Subject;
use crate::entity::session;
use crate::error::{Result, StoreError};
use crate::tx::Tx;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use std::time::Duration;
use uuid::Uuid;

/// Starts a sign-in session of `user_id` within write `tx`; returns its id.
pub(crate) async fn insert_session(tx: &Tx, user_id: Uuid) -> Result<Uuid> {
    let id = Uuid::now_v7();
    session::ActiveModel {
        id: Set(id),
        user_id: Set(user_id),
        created_at: Set(tx.now),
        refreshed_at: Set(tx.now),
        revoked_at: Set(None),
    }
    .insert(&tx.txn)
    .await?;
    Ok(id)
}

impl Store {
    /// Starts a sign-in session of `user_id`; returns its id.
    pub async fn start_session(&self, user_id: Uuid) -> Result<Uuid> {
        self.write_unchecked(move |tx| Box::pin(async move { insert_session(tx, user_id).await }))
            .await
    }

    /// Notes a refresh of session `id` of `user_id`. `Unauthorized` when it is not theirs,
    /// is revoked, or began longer than `max_age` ago: signing in again starts a new one.
    pub async fn refresh_session(&self, user_id: Uuid, id: Uuid, max_age: Duration) -> Result<()> {
        let max_age = chrono::TimeDelta::from_std(max_age).unwrap_or(chrono::TimeDelta::MAX);
        self.write_unchecked(move |tx| {
            Box::pin(async move {
                let row = session::Entity::find_by_id(id)
                    .filter(session::Column::UserId.eq(user_id))
                    .filter(session::Column::RevokedAt.is_null())
                    .one(&tx.txn)
                    .await?
                    .ok_or(StoreError::Unauthorized)?;
                let too_old = row
                    .created_at
                    .checked_add_signed(max_age)
                    .is_some_and(|end| end <= tx.now);
                if too_old {
                    return Err(StoreError::Unauthorized);
                }
                let mut row: session::ActiveModel = row.into();
                row.refreshed_at = Set(tx.now);
                row.update(&tx.txn).await?;
                Ok(())
            })
        })
        .await
    }

    /// Ends session `id` of `user_id` (signed in to `ws` as it ends): its tokens are refused
    /// from the commit on, and its sockets get `session_revoked`. Whether it was live and
    /// theirs: ending one already ended (or not theirs) changes nothing.
    pub async fn end_session(&self, ws: Uuid, user_id: Uuid, id: Uuid) -> Result<bool> {
        self.write_unchecked(move |tx| {
            Box::pin(async move {
                let ended = session::Entity::update_many()
                    .col_expr(
                        session::Column::RevokedAt,
                        sea_orm::sea_query::Expr::value(tx.now),
                    )
                    .filter(session::Column::Id.eq(id))
                    .filter(session::Column::UserId.eq(user_id))
                    .filter(session::Column::RevokedAt.is_null())
                    .exec(&tx.txn)
                    .await?;
                let ended = ended.rows_affected > 0;
                if ended {
                    tx.access_changed(ws, Subject::Session(id), true);
                }
                Ok(ended)
            })
        })
        .await
    }

    /// Deletes sessions last given a token before `before`: once every token they issued
    /// has expired, a missing row refuses what a kept one would. Returns how many.
    pub async fn prune_sessions(&self, before: chrono::DateTime<chrono::Utc>) -> Result<u64> {
        let gone = session::Entity::delete_many()
            .filter(session::Column::RefreshedAt.lt(before))
            .exec(&self.db)
            .await?;
        Ok(gone.rows_affected)
    }
}
