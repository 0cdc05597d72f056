//! Members, invitations and integration tokens of a workspace.
//!
//! Membership changes are writes like any other: the membership row, an activity row and a
//! `members_updated` event (room `workspace`) in one savepoint; the access cache entry is
//! dropped and, for a removal, the user's live sessions are ended once the batch commits.
//! Invitations and tokens change nobody's data in the workspace and so record no event.

use crate::access::{Actor, Caller, Subject};
use crate::accounts::{Registered, email_taken, parse_role, user_view, workspace_view};
use crate::diff::to_json;
use crate::entity::{api_token, invitation, membership, user, workspace};
use crate::error::{Result, StoreError};
use crate::sessions::insert_session;
use crate::tx::{Change, Outcome, Recorded, Tx, WriteTx};
use crate::{Store, now};
use chrono::{DateTime, Utc};
use kandid_domain::views::{
    ApiTokenView, EntityType, InvitationView, MemberView, UserView, WorkspaceView,
};
use kandid_domain::{Action, Role};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use serde_json::{Value, json};
use uuid::Uuid;

fn member_view(m: &membership::Model, u: &user::Model) -> Result<MemberView> {
    Ok(MemberView {
        user_id: u.id,
        name: u.name.clone(),
        email: u.email.clone(),
        role: parse_role(&m.role)?,
        joined_at: m.joined_at,
    })
}

fn invitation_view(m: invitation::Model) -> Result<InvitationView> {
    Ok(InvitationView {
        id: m.id,
        email: m.email,
        role: parse_role(&m.role)?,
        invited_by: m.invited_by,
        created_at: m.created_at,
        expires_at: m.expires_at,
    })
}

fn token_view(m: api_token::Model) -> Result<ApiTokenView> {
    Ok(ApiTokenView {
        id: m.id,
        name: m.name,
        role: parse_role(&m.role)?,
        created_by: m.created_by,
        created_at: m.created_at,
        expires_at: m.expires_at,
    })
}

/// A member of `ws` and their user row, inside a write.
async fn member_in<C: ConnectionTrait>(
    db: &C,
    ws: Uuid,
    user_id: Uuid,
) -> Result<Option<(membership::Model, user::Model)>> {
    let Some(m) = membership::Entity::find_by_id((ws, user_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("membership of missing user {user_id}")))?;
    Ok(Some((m, u)))
}

async fn owners<C: ConnectionTrait>(db: &C, ws: Uuid) -> Result<u64> {
    Ok(membership::Entity::find()
        .filter(membership::Column::WorkspaceId.eq(ws))
        .filter(membership::Column::Role.eq(Role::Owner.as_str()))
        .count(db)
        .await?)
}

/// Records a membership change (its activity row and `members_updated` event), and the
/// change of access it makes.
async fn record_membership(
    tx: &mut WriteTx,
    action: Action,
    user_id: Uuid,
    old: Option<Role>,
    new: Option<&MemberView>,
) -> Result<Recorded> {
    let new_role = new.map(|m| m.role);
    let mut change = Change::of(EntityType::Member, action, user_id, None)
        .activity(json!({"role": [old, new_role]}))
        .data(new.map_or(Value::Null, to_json));
    if action == Action::Updated {
        change = change.changes(vec!["role".into()]);
    }
    let recorded = tx.record(change).await?;
    let ws = tx.ws;
    tx.access_changed(ws, Subject::User(user_id), new.is_none());
    Ok(recorded)
}

/// An invitation is for its e-mail: accepted with an account of another (compared
/// case-insensitively) it is forbidden, and stays open.
fn meant_for(inv: &invitation::Model, email: &str) -> Result<()> {
    if inv.email.to_lowercase() == email.to_lowercase() {
        Ok(())
    } else {
        Err(StoreError::Forbidden)
    }
}

/// Only an owner grants ownership (by role change, invitation or token).
fn may_grant(tx: &Tx, role: Role) -> Result<()> {
    if role == Role::Owner && tx.role != Some(Role::Owner) {
        return Err(StoreError::Forbidden);
    }
    Ok(())
}

/// Revokes every live integration token `user_id` made in the write's workspace: a token
/// stops for good when its creator leaves, and does not come back if they rejoin.
async fn revoke_tokens_of(tx: &mut Tx, user_id: Uuid) -> Result<()> {
    let revoked = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(tx.now))
        .filter(api_token::Column::WorkspaceId.eq(tx.ws))
        .filter(api_token::Column::CreatedBy.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec_with_returning(&tx.txn)
        .await?;
    let ws = tx.ws;
    for t in revoked {
        tx.access_changed(ws, Subject::Token(t.id), true);
    }
    Ok(())
}

/// Marks an open invitation used, atomically: a second acceptance finds none open.
async fn consume(tx: &Tx, id: Uuid, user_id: Uuid) -> Result<Role> {
    let rows = invitation::Entity::update_many()
        .col_expr(invitation::Column::AcceptedAt, Expr::value(tx.now))
        .col_expr(invitation::Column::AcceptedBy, Expr::value(user_id))
        .filter(invitation::Column::Id.eq(id))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(tx.now))
        .exec_with_returning(&tx.txn)
        .await?;
    let inv = rows.first().ok_or(StoreError::NotFound)?;
    parse_role(&inv.role)
}

/// Makes `u` a member of the write's workspace with `role` (recorded like any member
/// change); returns what a signed-in answer shows: the user in that workspace, and it.
async fn join(
    tx: &mut WriteTx,
    u: user::Model,
    role: Role,
) -> Result<Outcome<(UserView, WorkspaceView)>> {
    let m = membership::ActiveModel {
        workspace_id: Set(tx.ws),
        user_id: Set(u.id),
        role: Set(role.as_str().to_owned()),
        joined_at: Set(tx.now),
    }
    .insert(&tx.txn)
    .await?;
    let view = member_view(&m, &u)?;
    let recorded = record_membership(tx, Action::Created, u.id, None, Some(&view)).await?;
    let w = workspace::Entity::find_by_id(tx.ws)
        .one(&tx.txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(Outcome::changed(
        recorded,
        (user_view(u, w.id, role), workspace_view(w)),
    ))
}

impl Store {
    /// Every member of the workspace, in the order they joined.
    pub async fn members(&self, ws: Uuid) -> Result<Vec<MemberView>> {
        let rows = membership::Entity::find()
            .filter(membership::Column::WorkspaceId.eq(ws))
            .order_by_asc(membership::Column::JoinedAt)
            .order_by_asc(membership::Column::UserId)
            .all(&self.db)
            .await?;
        let users: std::collections::HashMap<Uuid, user::Model> = user::Entity::find()
            .filter(user::Column::Id.is_in(rows.iter().map(|m| m.user_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        rows.iter()
            .filter_map(|m| users.get(&m.user_id).map(|u| member_view(m, u)))
            .collect()
    }

    /// The workspace of the open invitation whose token hashes to `token_hash`.
    async fn open_invitation(&self, token_hash: &str) -> Result<invitation::Model> {
        invitation::Entity::find()
            .filter(invitation::Column::TokenHash.eq(token_hash))
            .filter(invitation::Column::AcceptedAt.is_null())
            .filter(invitation::Column::ExpiresAt.gt(now()))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Creates a user who joins the workspace of an open invitation with its role, signed
    /// in; the invitation must be meant for `email` (else forbidden, and it stays open).
    pub async fn register_invited(
        &self,
        name: String,
        email: String,
        password_hash: String,
        token_hash: String,
    ) -> Result<Registered> {
        let inv = self.open_invitation(&token_hash).await?;
        meant_for(&inv, &email)?;
        let user_id = Uuid::now_v7();
        let ttl = self.session_ttl;
        self.write_joining(inv.workspace_id, user_id, move |tx| {
            Box::pin(async move {
                let role = consume(tx, inv.id, user_id).await?;
                let u = user::ActiveModel {
                    id: Set(user_id),
                    workspace_id: Set(tx.ws),
                    name: Set(name),
                    email: Set(email),
                    password_hash: Set(password_hash),
                    role: Set(role.as_str().to_owned()),
                    created_at: Set(tx.now),
                }
                .insert(&tx.txn)
                .await
                .map_err(email_taken)?;
                let session_id = insert_session(tx, user_id, ttl).await?;
                Ok(join(tx, u, role)
                    .await?
                    .map(|(user, workspace)| Registered {
                        user,
                        workspace,
                        session_id,
                    }))
            })
        })
        .await
    }

    /// An existing user accepts an invitation. One meant for another e-mail is forbidden,
    /// and already being a member is a conflict; both leave the invitation open.
    pub async fn accept_invitation(
        &self,
        user_id: Uuid,
        token_hash: String,
    ) -> Result<(UserView, WorkspaceView)> {
        let inv = self.open_invitation(&token_hash).await?;
        self.write_joining(inv.workspace_id, user_id, move |tx| {
            Box::pin(async move {
                let u = user::Entity::find_by_id(user_id)
                    .one(&tx.txn)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                meant_for(&inv, &u.email)?;
                if member_in(&tx.txn, tx.ws, user_id).await?.is_some() {
                    return Err(StoreError::Conflict(
                        "already a member of this workspace".into(),
                    ));
                }
                let role = consume(tx, inv.id, user_id).await?;
                join(tx, u, role).await
            })
        })
        .await
    }

    /// Changes a member's role (an admin's right). Only an owner makes or unmakes an owner;
    /// the last owner stays one. Setting the current role again changes nothing.
    pub async fn set_member_role(
        &self,
        ws: Uuid,
        actor: Caller,
        user_id: Uuid,
        role: Role,
    ) -> Result<MemberView> {
        let actor = Actor {
            caller: actor,
            need: Role::Admin,
        };
        self.write(ws, actor, move |tx| {
            Box::pin(async move {
                let actor_role = tx.role.ok_or(StoreError::Forbidden)?;
                let (m, u) = member_in(&tx.txn, ws, user_id)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                let old = parse_role(&m.role)?;
                if (old == Role::Owner || role == Role::Owner) && actor_role != Role::Owner {
                    return Err(StoreError::Forbidden);
                }
                if old == role {
                    return Ok(Outcome::unchanged(member_view(&m, &u)?));
                }
                if old == Role::Owner && owners(&tx.txn, ws).await? <= 1 {
                    return Err(StoreError::LastOwner);
                }
                let mut am: membership::ActiveModel = m.into();
                am.role = Set(role.as_str().to_owned());
                let m = am.update(&tx.txn).await?;
                let view = member_view(&m, &u)?;
                let recorded =
                    record_membership(tx, Action::Updated, user_id, Some(old), Some(&view)).await?;
                Ok(Outcome::changed(recorded, view))
            })
        })
        .await
    }

    /// Removes a member (an admin's right), or lets a person leave (anyone's: an
    /// integration token acts as itself, so it never "leaves" as its creator, nor removes
    /// them). Only an owner removes an owner; the last owner cannot go.
    pub async fn remove_member(&self, ws: Uuid, actor: Caller, user_id: Uuid) -> Result<()> {
        let leaving = actor.token_id.is_none() && actor.user_id == user_id;
        if actor.token_id.is_some() && actor.user_id == user_id {
            // A token that removed its creator would end itself on the creator's behalf.
            return Err(StoreError::Forbidden);
        }
        let actor = Actor {
            caller: actor,
            need: Role::Viewer,
        };
        self.write(ws, actor, move |tx| {
            Box::pin(async move {
                let actor_role = tx.role.ok_or(StoreError::Forbidden)?;
                let (m, _) = member_in(&tx.txn, ws, user_id)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                let old = parse_role(&m.role)?;
                if !leaving
                    && (!actor_role.at_least(Role::Admin)
                        || (old == Role::Owner && actor_role != Role::Owner))
                {
                    return Err(StoreError::Forbidden);
                }
                if old == Role::Owner && owners(&tx.txn, ws).await? <= 1 {
                    return Err(StoreError::LastOwner);
                }
                membership::Entity::delete_by_id((ws, user_id))
                    .exec(&tx.txn)
                    .await?;
                revoke_tokens_of(tx, user_id).await?;
                crate::webhooks::disable_webhooks_of(&tx.txn, ws, user_id).await?;
                let recorded =
                    record_membership(tx, Action::Deleted, user_id, Some(old), None).await?;
                Ok(Outcome::changed(recorded, ()))
            })
        })
        .await
    }

    /// Stores a new invitation (an admin's right; only an owner invites an owner).
    pub async fn create_invitation(
        &self,
        ws: Uuid,
        actor: Caller,
        email: String,
        role: Role,
        token_hash: String,
        expires_at: DateTime<Utc>,
    ) -> Result<InvitationView> {
        let admin = Actor {
            caller: actor,
            need: Role::Admin,
        };
        self.write_without_event(ws, admin, move |tx| {
            Box::pin(async move {
                may_grant(tx, role)?;
                let m = invitation::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    workspace_id: Set(ws),
                    email: Set(email),
                    role: Set(role.as_str().to_owned()),
                    token_hash: Set(token_hash),
                    invited_by: Set(actor.user_id),
                    created_at: Set(now()),
                    expires_at: Set(expires_at),
                    accepted_at: Set(None),
                    accepted_by: Set(None),
                }
                .insert(&tx.txn)
                .await?;
                invitation_view(m)
            })
        })
        .await
    }

    /// Open invitations (not used, not expired), newest first.
    pub async fn invitations(&self, ws: Uuid) -> Result<Vec<InvitationView>> {
        invitation::Entity::find()
            .filter(invitation::Column::WorkspaceId.eq(ws))
            .filter(invitation::Column::AcceptedAt.is_null())
            .filter(invitation::Column::ExpiresAt.gt(now()))
            .order_by_desc(invitation::Column::CreatedAt)
            .order_by_desc(invitation::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(invitation_view)
            .collect()
    }

    /// Withdraws an open invitation; `NotFound` when there is none open with that id.
    pub async fn withdraw_invitation(&self, ws: Uuid, actor: Caller, id: Uuid) -> Result<()> {
        let admin = Actor {
            caller: actor,
            need: Role::Admin,
        };
        self.write_without_event(ws, admin, move |tx| {
            Box::pin(async move {
                let res = invitation::Entity::delete_many()
                    .filter(invitation::Column::Id.eq(id))
                    .filter(invitation::Column::WorkspaceId.eq(ws))
                    .filter(invitation::Column::AcceptedAt.is_null())
                    .exec(&tx.txn)
                    .await?;
                if res.rows_affected == 0 {
                    return Err(StoreError::NotFound);
                }
                Ok(())
            })
        })
        .await
    }

    /// Stores a new integration token (its JWT is made by the caller from the returned id):
    /// an admin's right, with a role at most the admin's; a person's only, since a token
    /// that mints tokens would escape its own expiry and revocation.
    pub async fn create_api_token(
        &self,
        ws: Uuid,
        actor: Caller,
        name: String,
        role: Role,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<ApiTokenView> {
        if actor.token_id.is_some() {
            return Err(StoreError::Forbidden);
        }
        let admin = Actor {
            caller: actor,
            need: Role::Admin,
        };
        self.write_without_event(ws, admin, move |tx| {
            Box::pin(async move {
                if !tx.role.is_some_and(|r| r.at_least(role)) {
                    return Err(StoreError::Forbidden);
                }
                let m = api_token::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    workspace_id: Set(ws),
                    name: Set(name),
                    role: Set(role.as_str().to_owned()),
                    created_by: Set(actor.user_id),
                    created_at: Set(now()),
                    expires_at: Set(expires_at),
                    revoked_at: Set(None),
                }
                .insert(&tx.txn)
                .await?;
                token_view(m)
            })
        })
        .await
    }

    /// Integration tokens not revoked, newest first.
    pub async fn api_tokens(&self, ws: Uuid) -> Result<Vec<ApiTokenView>> {
        api_token::Entity::find()
            .filter(api_token::Column::WorkspaceId.eq(ws))
            .filter(api_token::Column::RevokedAt.is_null())
            .order_by_desc(api_token::Column::CreatedAt)
            .order_by_desc(api_token::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(token_view)
            .collect()
    }

    /// Revokes a token: its next request is refused and its live sockets are ended.
    pub async fn revoke_api_token(&self, ws: Uuid, actor: Caller, id: Uuid) -> Result<()> {
        let admin = Actor {
            caller: actor,
            need: Role::Admin,
        };
        self.write_without_event(ws, admin, move |tx| {
            Box::pin(async move {
                let res = api_token::Entity::update_many()
                    .col_expr(api_token::Column::RevokedAt, Expr::value(now()))
                    .filter(api_token::Column::Id.eq(id))
                    .filter(api_token::Column::WorkspaceId.eq(ws))
                    .filter(api_token::Column::RevokedAt.is_null())
                    .exec(&tx.txn)
                    .await?;
                if res.rows_affected == 0 {
                    return Err(StoreError::NotFound);
                }
                tx.access_changed(ws, Subject::Token(id), true);
                Ok(())
            })
        })
        .await
    }
}
