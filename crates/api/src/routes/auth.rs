//! `/api/auth`: register (with a new workspace, or into one by invitation), login (into
//! any of the user's workspaces), me, the caller's workspaces, switching between them, and
//! refreshing a session.

use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{AppJson, AuthUser, ClientIp, SignedIn, Verified};
use crate::state::{AppState, HashRefused};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use axum::extract::State;
use axum::http::StatusCode;
use kandid_domain::input::{LoginInput, RegisterInput, SwitchInput};
use kandid_domain::views::{MembershipView, UserView, WorkspaceView};
use serde::Serialize;
use std::net::IpAddr;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(me))
        .routes(routes!(workspaces))
        .routes(routes!(switch))
        .routes(routes!(refresh))
        .routes(routes!(logout))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Session {
    /// Bearer token (HS256 JWT).
    pub token: String,
    pub user: UserView,
    pub workspace: WorkspaceView,
}

impl Session {
    /// A token of sign-in session `sid` for `user` in `workspace`, with the role they have
    /// there.
    pub(crate) fn issue(
        s: &AppState,
        user: UserView,
        workspace: WorkspaceView,
        sid: Uuid,
    ) -> ApiResult<Self> {
        let token = s
            .tokens
            .issue(user.id, workspace.id, user.role, sid)
            .map_err(ApiError::internal)?;
        Ok(Session {
            token,
            user,
            workspace,
        })
    }
}

/// The workspaces of the caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct Workspaces {
    /// Oldest membership first.
    pub data: Vec<MembershipView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user: UserView,
    pub workspace: WorkspaceView,
}

fn throttle(s: &AppState, peer: Option<IpAddr>, email: Option<&str>) -> ApiResult<()> {
    s.auth_limiter
        .admit(peer, email)
        .map_err(|retry_after_secs| ApiError::RateLimited { retry_after_secs })
}

/// Runs a hash through the gate: CPU-bound for tens of milliseconds and ~19 MiB each, so
/// off the async workers and a bounded number at once. A request that cannot get a turn
/// in time is throttled like an attempt over the rate.
async fn gated<T: Send + 'static>(
    s: &AppState,
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    match s.password_hashing.run(f).await {
        Ok(r) => r,
        Err(HashRefused::Busy) => Err(ApiError::RateLimited {
            retry_after_secs: 1,
        }),
        Err(HashRefused::Failed(e)) => Err(ApiError::internal(e)),
    }
}

fn hash_now(password: &str) -> ApiResult<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(ApiError::internal)
}

/// Hashes off the async workers, outside the request gate (for tools such as the seeder).
pub async fn hash_password(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || hash_now(&password))
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

/// Verifies against `hash`, or against the decoy when the account does not exist.
async fn verify_password(s: &AppState, password: String, hash: Option<String>) -> ApiResult<bool> {
    gated(s, move || {
        let hash = match &hash {
            Some(h) => h.as_str(),
            None => decoy_hash(),
        };
        if hash.is_empty() {
            return Ok(false);
        }
        let parsed = PasswordHash::new(hash).map_err(ApiError::internal)?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
}

/// Register a user
///
/// Creates a workspace and its `owner`; with `invitation`, joins the invitation's workspace
/// with the invited role instead. Returns a token. Rate limited per client address, and
/// refused for an e-mail with too many failed logins.
#[utoipa::path(post, path = "/api/auth/register", tag = "auth", request_body = RegisterInput,
    responses(
        (status = 201, body = Session),
        (status = 400, body = Problem), (status = 404, body = Problem, description = "The invitation is used, withdrawn or expired"),
        (status = 409, body = Problem, description = "E-mail already registered"),
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
    let password = acc.password;
    let hash = gated(&s, move || hash_now(&password)).await?;
    // The session starts in the registration's own write: one commit, no account without it.
    let registered = match acc.invitation {
        Some(invitation) => {
            s.store
                .register_invited(acc.name, acc.email, hash, crate::secret::hash(&invitation))
                .await?
        }
        None => {
            s.store
                .register(acc.name, acc.email, hash, acc.workspace_name)
                .await?
        }
    };
    let session = Session::issue(
        &s,
        registered.user,
        registered.workspace,
        registered.session_id,
    )?;
    Ok((StatusCode::CREATED, axum::Json(session)))
}

/// Log in
///
/// Into `workspace_id`, or the user's oldest membership. Rate limited per client address;
/// an e-mail with too many failed logins (from all addresses together) is refused for a while.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginInput,
    responses(
        (status = 200, body = Session),
        (status = 400, body = Problem),
        (status = 401, body = Problem, description = "Wrong e-mail or password, or the user belongs to no workspace"),
        (status = 404, body = Problem, description = "The user is not a member of `workspace_id`"),
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
    let hash = acc.as_ref().map(|a| a.password_hash.clone());
    let verified = verify_password(&s, password, hash).await?;
    let Some(acc) = acc.filter(|_| verified) else {
        s.auth_limiter
            .failed(input.email.as_deref().unwrap_or_default());
        return Err(ApiError::WrongCredentials);
    };
    let memberships = s.store.memberships_of(acc.user_id).await?;
    let chosen = match input.workspace_id {
        // Only after the password is verified, so the answer reveals nothing to a stranger.
        Some(ws) => memberships
            .into_iter()
            .find(|m| m.workspace.id == ws)
            .ok_or(ApiError::NotFound)?,
        // A user who left every workspace has nothing to sign in to.
        None => memberships
            .into_iter()
            .next()
            .ok_or(ApiError::Unauthorized)?,
    };
    let sid = s.store.start_session(acc.user_id).await?;
    Ok(axum::Json(enter(&s, acc.user_id, chosen, sid).await?))
}

/// A token of sign-in session `sid` in the workspace of membership `m`.
async fn enter(s: &AppState, user_id: Uuid, m: MembershipView, sid: Uuid) -> ApiResult<Session> {
    let (user, workspace) = s.store.me(m.workspace.id, user_id, m.role).await?;
    Session::issue(s, user, workspace, sid)
}

/// The caller's sign-in session, to carry on into a new token: the token's own, noted as
/// refreshed (401 once it is ended or older than `SESSION_MAX_AGE`: every new token of a
/// session, by refresh, switch or invitation, obeys the same lifetime), or for a token
/// minted with the secret (which has none) a new one.
pub(crate) async fn session_of(s: &AppState, user: &AuthUser) -> ApiResult<Uuid> {
    match user.session_id {
        Some(sid) => {
            s.store
                .refresh_session(user.user_id, sid, s.tokens.session_max_age())
                .await?;
            Ok(sid)
        }
        None => Ok(s.store.start_session(user.user_id).await?),
    }
}

/// The caller's workspaces
///
/// Every workspace the signed-in user belongs to, with their role there.
#[utoipa::path(get, path = "/api/auth/workspaces", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, body = Workspaces),
        (status = 401, body = Problem), (status = 403, body = Problem, description = "An integration token"),
    ))]
async fn workspaces(
    State(s): State<AppState>,
    SignedIn(user): SignedIn,
) -> ApiResult<axum::Json<Workspaces>> {
    let data = s.store.memberships_of(user.user_id).await?;
    Ok(axum::Json(Workspaces { data }))
}

/// Switch to another workspace
///
/// Returns a token for `workspace_id`, one of the caller's workspaces, in the same sign-in
/// session (logout ends it in every workspace).
#[utoipa::path(post, path = "/api/auth/switch", tag = "auth", security(("bearer" = [])),
    request_body = SwitchInput,
    responses(
        (status = 200, body = Session),
        (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem, description = "An integration token"),
        (status = 404, body = Problem, description = "Not a workspace of the caller"),
        (status = 415, body = Problem), (status = 422, body = Problem),
    ))]
async fn switch(
    State(s): State<AppState>,
    SignedIn(user): SignedIn,
    AppJson(input): AppJson<SwitchInput>,
) -> ApiResult<axum::Json<Session>> {
    let ws = input.validate()?;
    let m = s
        .store
        .memberships_of(user.user_id)
        .await?
        .into_iter()
        .find(|m| m.workspace.id == ws)
        .ok_or(ApiError::NotFound)?;
    let sid = session_of(&s, &user).await?;
    Ok(axum::Json(enter(&s, user.user_id, m, sid).await?))
}

/// Refresh the session
///
/// A fresh session token for the caller's workspace with their current role, in the same
/// sign-in session, so a browser tab stays signed in past `JWT_TTL` without the password.
/// The presented token must still be valid, its user still a member and its session
/// neither ended by logout nor older than `SESSION_MAX_AGE` (401 otherwise: sign in
/// again); an integration token gets 403.
#[utoipa::path(post, path = "/api/auth/refresh", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, body = Session),
        (status = 401, body = Problem),
        (status = 403, body = Problem, description = "An integration token"),
    ))]
async fn refresh(
    State(s): State<AppState>,
    SignedIn(user): SignedIn,
) -> ApiResult<axum::Json<Session>> {
    let sid = session_of(&s, &user).await?;
    match s.store.me(user.workspace_id, user.user_id, user.role).await {
        Ok((user, workspace)) => Ok(axum::Json(Session::issue(&s, user, workspace, sid)?)),
        Err(kandid_store::StoreError::NotFound) => Err(ApiError::Unauthorized),
        Err(e) => Err(e.into()),
    }
}

/// Log out
///
/// Ends the caller's sign-in session: from then on its tokens (in every workspace it
/// switched to, refreshed ones included) get 401, and its sockets get `session_revoked`
/// and are disconnected. Any unexpired token of a live session ends it, even one for a
/// workspace its person has since left. A session already ended gets 401. A token minted
/// with the secret (no session) has nothing to end: 204 while it gives access, and it lives
/// until its `exp`. An integration token gets 403 (revoke it instead).
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, body = Problem),
        (status = 403, body = Problem, description = "An integration token"),
    ))]
async fn logout(State(s): State<AppState>, Verified(claims): Verified) -> ApiResult<StatusCode> {
    if claims.jti.is_some() {
        return Err(ApiError::Forbidden);
    }
    match claims.sid {
        Some(sid) => {
            if s.store.end_session(claims.ws, claims.sub, sid).await? {
                Ok(StatusCode::NO_CONTENT)
            } else {
                Err(ApiError::Unauthorized)
            }
        }
        None => {
            s.store
                .access(claims.ws, kandid_store::Caller::of(&claims))
                .await?
                .ok_or(ApiError::Unauthorized)?;
            Ok(StatusCode::NO_CONTENT)
        }
    }
}

/// The caller's user and workspace
#[utoipa::path(get, path = "/api/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = Problem)))]
async fn me(State(s): State<AppState>, user: AuthUser) -> ApiResult<axum::Json<Me>> {
    match s.store.me(user.workspace_id, user.user_id, user.role).await {
        Ok((user, workspace)) => Ok(axum::Json(Me { user, workspace })),
        Err(kandid_store::StoreError::NotFound) => Err(ApiError::Unauthorized),
        Err(e) => Err(e.into()),
    }
}
