//! `/api/workspace/members`, `/api/workspace/invitations` and `/api/invitations/accept`:
//! who is in a workspace, with which role, and how people join.

use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Admin, AppJson, AuthUser, IdPath, RequireRole, SignedIn};
use crate::routes::auth::Session;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, TimeDelta, Utc};
use kandid_domain::Role;
use kandid_domain::input::{AcceptInput, InvitationInput, RoleInput};
use kandid_domain::views::{InvitationView, MemberView};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// How long an invitation stays valid.
pub const INVITATION_DAYS: i64 = 7;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_members))
        .routes(routes!(patch_member, delete_member))
        .routes(routes!(create_invitation, list_invitations))
        .routes(routes!(delete_invitation))
        .routes(routes!(accept_invitation))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Members {
    /// In the order they joined.
    pub data: Vec<MemberView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Invitations {
    /// Open invitations, newest first; their tokens are not shown again.
    pub data: Vec<InvitationView>,
}

/// A new invitation, with its token (shown only now).
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedInvitation {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    /// Opaque and single use: pass it to `POST /api/auth/register` as `invitation`, or to
    /// `POST /api/invitations/accept`.
    pub token: String,
    #[serde(with = "kandid_domain::views::ts")]
    pub expires_at: DateTime<Utc>,
}

/// Only an owner grants or takes away ownership.
fn may_grant(caller: Role, role: Role) -> ApiResult<()> {
    if role == Role::Owner && caller != Role::Owner {
        return Err(ApiError::Forbidden);
    }
    Ok(())
}

/// The workspace's members
#[utoipa::path(get, path = "/api/workspace/members", tag = "team", security(("bearer" = [])),
    responses((status = 200, body = Members), (status = 401, body = Problem)))]
async fn list_members(State(s): State<AppState>, user: AuthUser) -> ApiResult<axum::Json<Members>> {
    let data = s.store.members(user.workspace_id).await?;
    Ok(axum::Json(Members { data }))
}

/// Change a member's role
///
/// Owner or admin; only an owner changes an owner or makes one. The last owner cannot be
/// demoted (409 `last_owner`). Emits `members_updated`.
#[utoipa::path(patch, path = "/api/workspace/members/{user_id}", tag = "team",
    params(("user_id" = Uuid, Path)), request_body = RoleInput, security(("bearer" = [])),
    responses(
        (status = 200, body = MemberView),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem, description = "`last_owner`"),
        (status = 415, body = Problem), (status = 422, body = Problem),
    ))]
async fn patch_member(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Admin>,
    IdPath(target): IdPath,
    AppJson(input): AppJson<RoleInput>,
) -> ApiResult<axum::Json<MemberView>> {
    let role = input.validate()?;
    may_grant(user.role, role)?;
    let m = s
        .store
        .set_member_role(user.workspace_id, user.caller(), target, role)
        .await?;
    Ok(axum::Json(m))
}

/// Remove a member, or leave
///
/// Owner or admin removes others (only an owner removes an owner); anyone may remove
/// themself. The last owner cannot go (409 `last_owner`). The removed user's next request
/// is 401 and their sockets get `session_revoked` and are disconnected. Emits
/// `members_updated`.
#[utoipa::path(delete, path = "/api/workspace/members/{user_id}", tag = "team",
    params(("user_id" = Uuid, Path)), security(("bearer" = [])),
    responses(
        (status = 204),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem, description = "`last_owner`"),
    ))]
async fn delete_member(
    State(s): State<AppState>,
    user: AuthUser,
    IdPath(target): IdPath,
) -> ApiResult<StatusCode> {
    // Leaving needs no right; removing someone else is an admin's (checked again, with the
    // caller's and the target's current roles, inside the write). A token never leaves:
    // it acts as itself, not as its creator.
    let leaving = target == user.user_id && user.token_id.is_none();
    if !leaving && !user.role.at_least(Role::Admin) {
        return Err(ApiError::Forbidden);
    }
    s.store
        .remove_member(user.workspace_id, user.caller(), target)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Invite someone
///
/// Owner or admin; only an owner invites an owner. The token is shown only in this
/// response, is single use and valid for 7 days.
#[utoipa::path(post, path = "/api/workspace/invitations", tag = "team",
    request_body = InvitationInput, security(("bearer" = [])),
    responses(
        (status = 201, body = CreatedInvitation),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem),
    ))]
async fn create_invitation(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Admin>,
    AppJson(input): AppJson<InvitationInput>,
) -> ApiResult<(StatusCode, axum::Json<CreatedInvitation>)> {
    let (email, role) = input.validate()?;
    may_grant(user.role, role)?;
    let token = crate::secret::new_token();
    let expires_at = kandid_store::now() + TimeDelta::days(INVITATION_DAYS);
    let inv = s
        .store
        .create_invitation(
            user.workspace_id,
            user.caller(),
            email,
            role,
            crate::secret::hash(&token),
            expires_at,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(CreatedInvitation {
            id: inv.id,
            email: inv.email,
            role: inv.role,
            token,
            expires_at: inv.expires_at,
        }),
    ))
}

/// Open invitations
#[utoipa::path(get, path = "/api/workspace/invitations", tag = "team", security(("bearer" = [])),
    responses(
        (status = 200, body = Invitations),
        (status = 401, body = Problem), (status = 403, body = Problem),
    ))]
async fn list_invitations(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Admin>,
) -> ApiResult<axum::Json<Invitations>> {
    let data = s.store.invitations(user.workspace_id).await?;
    Ok(axum::Json(Invitations { data }))
}

/// Withdraw an invitation
#[utoipa::path(delete, path = "/api/workspace/invitations/{id}", tag = "team",
    params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses(
        (status = 204),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
    ))]
async fn delete_invitation(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Admin>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    s.store
        .withdraw_invitation(user.workspace_id, user.caller(), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Accept an invitation
///
/// The signed-in user joins the invitation's workspace with its role, and gets a token for
/// that workspace. Emits `members_updated` there.
#[utoipa::path(post, path = "/api/invitations/accept", tag = "team",
    request_body = AcceptInput, security(("bearer" = [])),
    responses(
        (status = 200, body = Session),
        (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem, description = "An integration token"),
        (status = 404, body = Problem, description = "The invitation is used, withdrawn or expired"),
        (status = 409, body = Problem, description = "Already a member of that workspace"),
        (status = 415, body = Problem), (status = 422, body = Problem),
    ))]
async fn accept_invitation(
    State(s): State<AppState>,
    SignedIn(user): SignedIn,
    AppJson(input): AppJson<AcceptInput>,
) -> ApiResult<axum::Json<Session>> {
    let token = input.validate()?;
    let sid = crate::routes::auth::session_of(&s, &user).await?;
    let (user, workspace) = s
        .store
        .accept_invitation(user.user_id, crate::secret::hash(&token))
        .await?;
    Ok(axum::Json(Session::issue(&s, user, workspace, sid)?))
}
