//! Users, their workspaces and their memberships: registration, sign-in lookups and the
//! caller's current role (see `access`).

use crate::access::{
    Caller, Grant, Subject, effective, member_grant, session_grant, session_live, token_grant,
};
use crate::entity::{membership, user, workspace};
use crate::error::{Result, StoreError, is_unique_violation};
use crate::sessions::insert_session;
use crate::{Store, now};
use kandid_domain::Role;
use kandid_domain::views::{MembershipView, UserView, WorkspaceView};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

/// A user and their password hash, for login.
#[derive(Debug, Clone)]
pub struct Account {
    pub user_id: Uuid,
    pub password_hash: String,
}

pub(crate) use crate::access::parse_role;

/// A new account, signed in: its user and workspace, and the sign-in session started in
/// the registration's own write.
#[derive(Debug, Clone)]
pub struct Registered {
    pub user: UserView,
    pub workspace: WorkspaceView,
    pub session_id: Uuid,
}

/// The user as seen in workspace `ws`, with their role there.
pub(crate) fn user_view(m: user::Model, ws: Uuid, role: Role) -> UserView {
    UserView {
        id: m.id,
        name: m.name,
        email: m.email,
        role,
        workspace_id: ws,
        created_at: m.created_at,
    }
}

pub(crate) fn workspace_view(m: workspace::Model) -> WorkspaceView {
    WorkspaceView {
        id: m.id,
        name: m.name,
        created_at: m.created_at,
    }
}

/// Maps a duplicate e-mail to a conflict.
pub(crate) fn email_taken(e: sea_orm::DbErr) -> StoreError {
    if is_unique_violation(&e) {
        StoreError::Conflict("e-mail already registered".into())
    } else {
        e.into()
    }
}

impl Store {
    /// Creates a workspace and its owner, signed in. A taken e-mail is a conflict.
    pub async fn register(
        &self,
        name: String,
        email: String,
        password_hash: String,
        workspace_name: String,
    ) -> Result<Registered> {
        let ttl = self.session_ttl;
        self.write_unchecked(move |tx| {
            Box::pin(async move {
                let at = now();
                let ws = workspace::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    name: Set(workspace_name),
                    last_seq: Set(0),
                    created_at: Set(at),
                }
                .insert(&tx.txn)
                .await?;
                let user = user::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    workspace_id: Set(ws.id),
                    name: Set(name),
                    email: Set(email),
                    password_hash: Set(password_hash),
                    role: Set(Role::Owner.as_str().to_owned()),
                    created_at: Set(at),
                }
                .insert(&tx.txn)
                .await
                .map_err(email_taken)?;
                membership::ActiveModel {
                    workspace_id: Set(ws.id),
                    user_id: Set(user.id),
                    role: Set(Role::Owner.as_str().to_owned()),
                    joined_at: Set(at),
                }
                .insert(&tx.txn)
                .await?;
                let session_id = insert_session(tx, user.id, ttl).await?;
                Ok(Registered {
                    user: user_view(user, ws.id, Role::Owner),
                    workspace: workspace_view(ws),
                    session_id,
                })
            })
        })
        .await
    }

    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>> {
        Ok(user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(&self.db)
            .await?
            .map(|u| Account {
                user_id: u.id,
                password_hash: u.password_hash,
            }))
    }

    /// The workspaces a user belongs to, oldest membership first.
    pub async fn memberships_of(&self, user_id: Uuid) -> Result<Vec<MembershipView>> {
        let rows = membership::Entity::find()
            .filter(membership::Column::UserId.eq(user_id))
            .order_by_asc(membership::Column::JoinedAt)
            .order_by_asc(membership::Column::WorkspaceId)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = rows.iter().map(|m| m.workspace_id).collect();
        let workspaces: std::collections::HashMap<Uuid, workspace::Model> =
            workspace::Entity::find()
                .filter(workspace::Column::Id.is_in(ids))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|w| (w.id, w))
                .collect();
        rows.into_iter()
            .filter_map(|m| {
                let w = workspaces.get(&m.workspace_id)?.clone();
                Some(parse_role(&m.role).map(|role| MembershipView {
                    workspace: workspace_view(w),
                    role,
                    joined_at: m.joined_at,
                }))
            })
            .collect()
    }

    /// The user as a member of `ws` (any role: the caller's effective role is passed in,
    /// since an integration token acts with its own); `NotFound` when either is gone.
    pub async fn me(
        &self,
        ws: Uuid,
        user_id: Uuid,
        role: Role,
    ) -> Result<(UserView, WorkspaceView)> {
        let u = user::Entity::find_by_id(user_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let w = workspace::Entity::find_by_id(ws)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((user_view(u, ws, role), workspace_view(w)))
    }

    /// The caller's effective role in `ws` now (see `access`), or `None` when they have no
    /// access: not a member, a person's token issued before their current membership
    /// began or of a sign-in session that ended, or a token revoked, expired, of another workspace, or whose creator is no
    /// longer a member. Each half is cached apart.
    pub async fn access(&self, ws: Uuid, caller: Caller) -> Result<Option<Role>> {
        if let (None, Some(sid)) = (caller.token_id, caller.session_id)
            && !session_live(caller, self.grant(ws, Subject::Session(sid)).await?)
        {
            return Ok(None);
        }
        let own = match caller.token_id {
            Some(id) => match self.grant(ws, Subject::Token(id)).await? {
                Some(g) => Some(g),
                None => return Ok(None),
            },
            None => None,
        };
        let person = self.grant(ws, Subject::User(caller.user_id)).await?;
        Ok(effective(caller, own, person))
    }

    /// One subject's own access in `ws`, through the cache.
    async fn grant(&self, ws: Uuid, subject: Subject) -> Result<Option<Grant>> {
        if let Some(grant) = self.access.get(ws, subject) {
            return Ok(grant);
        }
        let generation = self.access.generation();
        let grant = match subject {
            Subject::User(id) => member_grant(&self.db, ws, id).await?,
            Subject::Token(id) => token_grant(&self.db, ws, id, now()).await?,
            Subject::Session(id) => session_grant(&self.db, id).await?,
        };
        self.access.put(ws, subject, grant, generation);
        Ok(grant)
    }
}
