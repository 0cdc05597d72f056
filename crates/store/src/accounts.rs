//! Workspaces and users.

use crate::entity::{user, workspace};
use crate::error::{Result, StoreError, is_unique_violation};
use crate::{Store, now};
use kandid_domain::Role;
use kandid_domain::views::{UserView, WorkspaceView};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

/// A user with their workspace and password hash, for login.
#[derive(Debug, Clone)]
pub struct Account {
    pub user: UserView,
    pub workspace: WorkspaceView,
    pub password_hash: String,
}

fn user_view(m: user::Model) -> Result<UserView> {
    let role: Role = m
        .role
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("user role {}", m.role)))?;
    Ok(UserView {
        id: m.id,
        name: m.name,
        email: m.email,
        role,
        workspace_id: m.workspace_id,
        created_at: m.created_at,
    })
}

fn workspace_view(m: workspace::Model) -> WorkspaceView {
    WorkspaceView {
        id: m.id,
        name: m.name,
        created_at: m.created_at,
    }
}

impl Store {
    /// Creates a workspace and its owner. A taken e-mail is a conflict.
    pub async fn register(
        &self,
        name: String,
        email: String,
        password_hash: String,
        workspace_name: String,
    ) -> Result<(UserView, WorkspaceView)> {
        self.write_unscoped(move |tx| {
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
                .map_err(|e| {
                    if is_unique_violation(&e) {
                        StoreError::Conflict("e-mail already registered".into())
                    } else {
                        e.into()
                    }
                })?;
                Ok((user_view(user)?, workspace_view(ws)))
            })
        })
        .await
    }

    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>> {
        let Some(u) = user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let Some(ws) = workspace::Entity::find_by_id(u.workspace_id)
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let password_hash = u.password_hash.clone();
        Ok(Some(Account {
            user: user_view(u)?,
            workspace: workspace_view(ws),
            password_hash,
        }))
    }

    /// The user and workspace a token names; `NotFound` when either is gone.
    pub async fn me(&self, ws: Uuid, user_id: Uuid) -> Result<(UserView, WorkspaceView)> {
        let u = user::Entity::find()
            .filter(user::Column::Id.eq(user_id))
            .filter(user::Column::WorkspaceId.eq(ws))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let w = workspace::Entity::find_by_id(ws)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((user_view(u)?, workspace_view(w)))
    }
}
