//! `/api/auth`: register, login, me.

use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{AppJson, AuthUser, ClientIp};
use crate::state::AppState;
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use axum::extract::State;
use axum::http::StatusCode;
use kandid_domain::input::{LoginInput, RegisterInput};
use kandid_domain::views::{UserView, WorkspaceView};
use serde::Serialize;
use std::net::IpAddr;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(me))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Session {
    /// Bearer token (HS256 JWT).
    pub token: String,
    pub user: UserView,
    pub workspace: WorkspaceView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user: UserView,
    pub workspace: WorkspaceView,
}

fn throttle(s: &AppState, peer: Option<IpAddr>, email: Option<&str>) -> ApiResult<()> {
    let mut keys = Vec::with_capacity(2);
    if let Some(p) = peer {
        keys.push(format!("ip:{p}"));
    }
    if let Some(e) = email.filter(|e| !e.is_empty()) {
        keys.push(format!("email:{}", e.trim().to_lowercase()));
    }
    s.auth_limiter
        .check(&keys)
        .map_err(|retry_after_secs| ApiError::RateLimited { retry_after_secs })
}

/// Hashing is CPU-bound for tens of milliseconds: keep it off the async workers.
async fn hash_password(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(ApiError::internal)
    })
    .await
    .map_err(ApiError::internal)?
}

/// A hash to verify against when the e-mail is unknown, so that a login takes as long
/// whether or not the account exists (no user enumeration by timing).
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        Argon2::default()
            .hash_password(b"no account has this password")
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

async fn verify_password(password: String, hash: String) -> ApiResult<bool> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(ApiError::internal)?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(ApiError::internal)?
}

/// Register a user with a new workspace
///
/// Creates the workspace and its `owner`, and returns a token. Rate limited per IP and e-mail.
#[utoipa::path(post, path = "/api/auth/register", tag = "auth", request_body = RegisterInput,
    responses(
        (status = 201, body = Session),
        (status = 400, body = Problem), (status = 409, body = Problem, description = "E-mail already registered"),
        (status = 415, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem, headers(("retry-after" = u64))),
    ))]
async fn register(
    State(s): State<AppState>,
    ClientIp(peer): ClientIp,
    AppJson(input): AppJson<RegisterInput>,
) -> ApiResult<(StatusCode, axum::Json<Session>)> {
    throttle(&s, peer, input.email.as_deref())?;
    let acc = input.validate()?;
    let hash = hash_password(acc.password).await?;
    let (user, workspace) = s
        .store
        .register(acc.name, acc.email, hash, acc.workspace_name)
        .await?;
    let token = s
        .tokens
        .issue(user.id, workspace.id, user.role)
        .map_err(ApiError::internal)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Session {
            token,
            user,
            workspace,
        }),
    ))
}

/// Log in
///
/// Rate limited per IP and e-mail.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginInput,
    responses(
        (status = 200, body = Session),
        (status = 400, body = Problem), (status = 401, body = Problem, description = "Wrong e-mail or password"),
        (status = 415, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem, headers(("retry-after" = u64))),
    ))]
async fn login(
    State(s): State<AppState>,
    ClientIp(peer): ClientIp,
    AppJson(input): AppJson<LoginInput>,
) -> ApiResult<axum::Json<Session>> {
    throttle(&s, peer, input.email.as_deref())?;
    let (email, password) = input.validate()?;
    let acc = s.store.account_by_email(&email).await?;
    let hash = match &acc {
        Some(a) => a.password_hash.clone(),
        None => tokio::task::spawn_blocking(|| decoy_hash().to_owned())
            .await
            .map_err(ApiError::internal)?,
    };
    let verified = !hash.is_empty() && verify_password(password, hash).await?;
    let Some(acc) = acc.filter(|_| verified) else {
        return Err(ApiError::Unauthorized);
    };
    let token = s
        .tokens
        .issue(acc.user.id, acc.workspace.id, acc.user.role)
        .map_err(ApiError::internal)?;
    Ok(axum::Json(Session {
        token,
        user: acc.user,
        workspace: acc.workspace,
    }))
}

/// The caller's user and workspace
#[utoipa::path(get, path = "/api/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = Problem)))]
async fn me(State(s): State<AppState>, user: AuthUser) -> ApiResult<axum::Json<Me>> {
    match s.store.me(user.workspace_id, user.user_id).await {
        Ok((user, workspace)) => Ok(axum::Json(Me { user, workspace })),
        Err(kandid_store::StoreError::NotFound) => Err(ApiError::Unauthorized),
        Err(e) => Err(e.into()),
    }
}
