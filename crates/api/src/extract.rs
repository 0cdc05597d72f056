//! Extractors that turn malformed input into our problem+json, and the auth extractors.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use kandid_domain::Role;
use kandid_domain::token::bearer;
use kandid_store::{
    Actor, Caller, Cursor, PageRequest, Sort,
    page::{DEFAULT_LIMIT, MAX_LIMIT},
};
use serde::de::DeserializeOwned;
use std::marker::PhantomData;
use uuid::Uuid;

/// A JSON object body; malformed JSON or wrong types → 400, not JSON → 415, too big → 413.
///
/// The body must be an object: serde would otherwise read a struct from an array of its
/// field values, so `[]` or `["x"]` would pass as a (partial) body instead of a 400.
pub struct AppJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        type Object = serde_json::Map<String, serde_json::Value>;
        match axum::Json::<Object>::from_request(req, state).await {
            Ok(axum::Json(map)) => serde_json::from_value(serde_json::Value::Object(map))
                .map(AppJson)
                .map_err(|e| {
                    ApiError::BadRequest(format!(
                        "Failed to deserialize the JSON body into the target type: {e}"
                    ))
                }),
            Err(r) => Err(json_rejection(&r)),
        }
    }
}

pub(crate) fn json_rejection(r: &JsonRejection) -> ApiError {
    match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::PayloadTooLarge("the request body is over the limit".into())
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ApiError::UnsupportedMediaType("expected Content-Type: application/json".into())
        }
        _ => ApiError::BadRequest(r.body_text()),
    }
}

/// Query string; anything wrong in it → 400.
pub struct AppQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for AppQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // No column can hold NUL; refuse it here rather than as a database error.
        if parts
            .uri
            .query()
            .is_some_and(|q| q.to_ascii_lowercase().contains("%00"))
        {
            return Err(ApiError::BadRequest(
                "the query string contains a NUL character".into(),
            ));
        }
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| AppQuery(q.0))
            .map_err(|r: QueryRejection| ApiError::BadRequest(r.body_text()))
    }
}

/// A UUID path parameter; anything else → 400.
pub struct IdPath(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<Uuid>::from_request_parts(parts, state)
            .await
            .map(|p| IdPath(p.0))
            .map_err(|_| ApiError::BadRequest("the id in the path is not a UUID".into()))
    }
}

/// The caller: a verified bearer token whose user is still a member of its workspace (or
/// whose integration token is still valid and whose creator still a member), with their
/// effective role as the database has it now: a person's membership role, or for a token
/// the lesser of its own role and its creator's (see `kandid_store::Store::access`).
/// The token's `role` claim is not trusted: a changed role applies to the next request.
#[derive(Debug, Clone, Copy)]
pub struct AuthUser {
    /// The person: the signed-in user, or the integration token's creator.
    pub user_id: Uuid,
    pub workspace_id: Uuid,
    pub role: Role,
    /// The integration token's id (its `jti`); `None` for a user's session token.
    pub token_id: Option<Uuid>,
    /// The least role the endpoint requires (see `RequireRole`); the store checks it again
    /// inside the write's transaction.
    pub need: Role,
}

impl AuthUser {
    #[must_use]
    pub fn caller(&self) -> Caller {
        Caller {
            user_id: self.user_id,
            token_id: self.token_id,
        }
    }

    /// The caller as the author of a write that needs the endpoint's role.
    #[must_use]
    pub fn actor(&self) -> Actor {
        Actor {
            caller: self.caller(),
            need: self.need,
        }
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(ApiError::Unauthorized)?;
        let token = bearer(header).ok_or(ApiError::Unauthorized)?;
        let claims = state
            .tokens
            .verify(token)
            .map_err(|_| ApiError::Unauthorized)?;
        let caller = Caller {
            user_id: claims.sub,
            token_id: claims.jti,
        };
        let role = state.store.access(claims.ws, caller).await?;
        Ok(AuthUser {
            user_id: claims.sub,
            workspace_id: claims.ws,
            role: role.ok_or(ApiError::Unauthorized)?,
            token_id: claims.jti,
            need: Role::Viewer,
        })
    }
}

/// The least role an endpoint needs, as a type (see `RequireRole`).
pub trait MinRole {
    const ROLE: Role;
}

/// Creates, changes and deletes leads; creates and changes campaigns.
#[derive(Debug, Clone, Copy)]
pub struct Member;
/// Also deletes campaigns and manages members, invitations and integration tokens.
#[derive(Debug, Clone, Copy)]
pub struct Admin;

impl MinRole for Member {
    const ROLE: Role = Role::Member;
}

impl MinRole for Admin {
    const ROLE: Role = Role::Admin;
}

/// A caller whose current role is at least `R::ROLE`; others get 403 `forbidden`.
#[derive(Debug, Clone, Copy)]
pub struct RequireRole<R>(pub AuthUser, pub PhantomData<R>);

impl<R: MinRole + Send + Sync> FromRequestParts<AppState> for RequireRole<R> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let mut user = AuthUser::from_request_parts(parts, state).await?;
        user.need = R::ROLE;
        if user.role.at_least(R::ROLE) {
            Ok(RequireRole(user, PhantomData))
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

/// A person (not an integration token, which gets 403) whose current role is at least
/// `R::ROLE`: for rights a token must not pass on, such as minting tokens.
#[derive(Debug, Clone, Copy)]
pub struct RequirePerson<R>(pub AuthUser, pub PhantomData<R>);

impl<R: MinRole + Send + Sync> FromRequestParts<AppState> for RequirePerson<R> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let RequireRole(user, _) = RequireRole::<R>::from_request_parts(parts, state).await?;
        match user.token_id {
            None => Ok(RequirePerson(user, PhantomData)),
            Some(_) => Err(ApiError::Forbidden),
        }
    }
}

/// A person signed in (not an integration token, which is bound to its workspace and may
/// not switch, join other workspaces, refresh or mint tokens); an integration token gets 403.
#[derive(Debug, Clone, Copy)]
pub struct SignedIn(pub AuthUser);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        match user.token_id {
            None => Ok(SignedIn(user)),
            Some(_) => Err(ApiError::Forbidden),
        }
    }
}

/// The version an `If-Match` header requires, if any. `*` matches anything; a value that
/// is not one of our (strong) ETags, a weak one included, can never match.
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let Some(v) = parts.headers.get(header::IF_MATCH) else {
            return Ok(IfMatch(None));
        };
        let s = v.to_str().unwrap_or_default().trim();
        if s == "*" {
            return Ok(IfMatch(None));
        }
        // RFC 9110 §13.1.1: If-Match compares strongly, so a weak tag (`W/"2"`) never
        // matches; neither does anything that is not one of our quoted versions.
        let version = s
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .and_then(|t| t.parse().ok())
            .unwrap_or(-1);
        Ok(IfMatch(Some(version)))
    }
}

/// Validates `limit`, `sort` and `cursor` of a list request.
pub fn page_request(
    limit: Option<u64>,
    sort: Option<&str>,
    cursor: Option<&str>,
) -> Result<PageRequest, ApiError> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    let sort: Sort = match sort {
        Some(s) => s.parse().map_err(ApiError::BadRequest)?,
        None => Sort::default(),
    };
    let cursor = cursor
        .filter(|c| !c.is_empty())
        .map(|c| Cursor::decode(c, sort))
        .transpose()
        .map_err(ApiError::BadRequest)?;
    Ok(PageRequest {
        sort,
        limit,
        cursor,
    })
}

/// The client's address: the TCP peer, or, behind `TRUSTED_PROXIES` = n proxies, the n-th
/// address from the right of `X-Forwarded-For` (the client as the outermost trusted proxy
/// saw it; entries further left are whatever the client chose to send).
pub struct ClientIp(pub Option<std::net::IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        let hops = state.auth_limiter.trusted_proxies();
        if hops == 0 {
            return Ok(ClientIp(peer));
        }
        let forwarded: Vec<std::net::IpAddr> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse().ok())
            .collect();
        let client = forwarded
            .len()
            .checked_sub(hops)
            .and_then(|i| forwarded.get(i))
            .copied();
        Ok(ClientIp(client.or(peer)))
    }
}
