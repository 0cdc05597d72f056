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
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
};
use std::time::Duration;
use uuid::Uuid;

/// Starts a sign-in session of `user_id` within write `tx`, its first token valid for
/// `ttl`; returns its id.
pub(crate) async fn insert_session(tx: &Tx, user_id: Uuid, ttl: Duration) -> Result<Uuid> {
    let id = Uuid::now_v7();
    session::ActiveModel {
        id: Set(id),
        user_id: Set(user_id),
        created_at: Set(tx.now),
        refreshed_at: Set(tx.now),
        revoked_at: Set(None),
        expires_at: Set(Some(expiry(tx, ttl))),
    }
    .insert(&tx.txn)
    .await?;
    Ok(id)
}

/// When a token issued in write `tx` for `ttl` expires (a second late rather than early:
/// a token's `exp` is in whole seconds, taken after the write).
fn expiry(tx: &Tx, ttl: Duration) -> chrono::DateTime<chrono::Utc> {
    let ttl = chrono::TimeDelta::from_std(ttl.saturating_add(Duration::from_secs(1)))
        .unwrap_or(chrono::TimeDelta::MAX);
    tx.now
        .checked_add_signed(ttl)
        .unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC)
}

impl Store {
    /// Starts a sign-in session of `user_id`; returns its id.
    pub async fn start_session(&self, user_id: Uuid) -> Result<Uuid> {
        let ttl = self.session_ttl;
        self.write_unchecked(move |tx| {
            Box::pin(async move { insert_session(tx, user_id, ttl).await })
        })
        .await
    }

    /// Notes a refresh of session `id` of `user_id` (a token of it issued now). `Unauthorized`
    /// when it is not theirs, is revoked or gone, or began longer than `max_age` ago:
    /// signing in again starts a new one.
    pub async fn refresh_session(&self, user_id: Uuid, id: Uuid, max_age: Duration) -> Result<()> {
        let max_age = chrono::TimeDelta::from_std(max_age).unwrap_or(chrono::TimeDelta::MAX);
        let ttl = self.session_ttl;
        self.write_unchecked(move |tx| {
            Box::pin(async move {
                let began_after = tx
                    .now
                    .checked_sub_signed(max_age)
                    .unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC);
                let until = expiry(tx, ttl);
                let kept = session::Entity::update_many()
                    .col_expr(session::Column::RefreshedAt, Expr::value(tx.now))
                    // Never earlier than it was: a token issued for a longer JWT_TTL (by
                    // another node, or before a restart) still holds the session.
                    .col_expr(
                        session::Column::ExpiresAt,
                        Expr::case(
                            session::Column::ExpiresAt.gt(until),
                            Expr::col(session::Column::ExpiresAt),
                        )
                        .finally(until)
                        .into(),
                    )
                    .filter(session::Column::Id.eq(id))
                    .filter(session::Column::UserId.eq(user_id))
                    .filter(session::Column::RevokedAt.is_null())
                    .filter(session::Column::CreatedAt.gt(began_after))
                    .exec(&tx.txn)
                    .await?;
                if kept.rows_affected == 0 {
                    return Err(StoreError::Unauthorized);
                }
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
                    .col_expr(session::Column::RevokedAt, Expr::value(tx.now))
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

    /// Deletes sessions whose last token expired before `expired_before` (sessions from
    /// before that was kept: last given a token before `legacy_before`). Once every token
    /// a session issued has expired, a missing row refuses what a kept one would. Returns
    /// how many.
    pub async fn prune_sessions(
        &self,
        expired_before: chrono::DateTime<chrono::Utc>,
        legacy_before: chrono::DateTime<chrono::Utc>,
    ) -> Result<u64> {
        let gone = session::Entity::delete_many()
            .filter(
                Condition::any()
                    .add(session::Column::ExpiresAt.lt(expired_before))
                    .add(
                        Condition::all()
                            .add(session::Column::ExpiresAt.is_null())
                            .add(session::Column::RefreshedAt.lt(legacy_before)),
                    ),
            )
            .exec(&self.db)
            .await?;
        Ok(gone.rows_affected)
    }
}
