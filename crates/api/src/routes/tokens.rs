//! `/api/tokens`: integration tokens. Each is a JWT whose `jti` is the row's id; the row
//! is checked on every request, so revoking it ends the token at once.

use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Admin, AppJson, IdPath, RequirePerson, RequireRole};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, TimeDelta, Utc};
use kandid_domain::Role;
use kandid_domain::input::TokenInput;
use kandid_domain::views::ApiTokenView;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_token, list_tokens))
        .routes(routes!(revoke_token))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokens {
    /// Tokens not revoked, newest first, without their JWTs.
    pub data: Vec<ApiTokenView>,
}

/// A new integration token, with its JWT (shown only now).
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    #[serde(with = "kandid_domain::views::ts")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "kandid_domain::views::ts::option")]
    pub expires_at: Option<DateTime<Utc>>,
    /// Bearer token (HS256 JWT with `jti` = `id`).
    pub token: String,
}

/// Create an integration token
///
/// Admin or owner, signed in as a person (an integration token gets 403); the token's
/// role is at most the caller's. Without `expires_in_days` it is valid until revoked. The
/// token acts with at most its creator's current role, and stops working when its creator
/// leaves the workspace.
#[utoipa::path(post, path = "/api/tokens", tag = "tokens", request_body = TokenInput,
    security(("bearer" = [])),
    responses(
        (status = 201, body = CreatedToken),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem),
    ))]
async fn create_token(
    State(s): State<AppState>,
    RequirePerson(user, _): RequirePerson<Admin>,
    AppJson(input): AppJson<TokenInput>,
) -> ApiResult<(StatusCode, axum::Json<CreatedToken>)> {
    let t = input.validate()?;
    if !user.role.at_least(t.role) {
        return Err(ApiError::Forbidden);
    }
    let expires_at = t
        .expires_in_days
        .map(|d| kandid_store::now() + TimeDelta::days(d));
    let v = s
        .store
        .create_api_token(user.workspace_id, user.caller(), t.name, t.role, expires_at)
        .await?;
    let token = s
        .tokens
        .issue_integration(user.user_id, user.workspace_id, v.role, v.id, v.expires_at)
        .map_err(ApiError::internal)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(CreatedToken {
            id: v.id,
            name: v.name,
            role: v.role,
            created_at: v.created_at,
            expires_at: v.expires_at,
            token,
        }),
    ))
}

/// Integration tokens
#[utoipa::path(get, path = "/api/tokens", tag = "tokens", security(("bearer" = [])),
    responses(
        (status = 200, body = ApiTokens),
        (status = 401, body = Problem), (status = 403, body = Problem),
    ))]
async fn list_tokens(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Admin>,
) -> ApiResult<axum::Json<ApiTokens>> {
    let data = s.store.api_tokens(user.workspace_id).await?;
    Ok(axum::Json(ApiTokens { data }))
}

/// Revoke an integration token
///
/// At once: its next request is 401 and its sockets get `session_revoked` and are
/// disconnected.
#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "tokens", params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses(
        (status = 204),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
    ))]
async fn revoke_token(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Admin>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    s.store
        .revoke_api_token(user.workspace_id, user.caller(), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
