//! Extractors that turn malformed input into our problem+json, and the auth extractors.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use forwarded_header_value::Identifier;
use headers::HeaderMapExt;
use kandid_domain::token::{Claims, bearer};
use kandid_domain::{Precondition, Role};
use kandid_store::{
    Actor, Caller, Cursor, PageRequest, Sort,
    page::{DEFAULT_LIMIT, MAX_LIMIT},
};
use serde::de::DeserializeOwned;
use std::marker::PhantomData;
use std::net::IpAddr;
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
    /// When the token was issued, in Unix milliseconds (`Claims::issued_at_ms`).
    pub issued_at_ms: i64,
    /// The sign-in session of a person's token (`sid`); `None` on integration tokens and
    /// on tokens minted with the secret.
    pub session_id: Option<Uuid>,
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
            issued_at_ms: self.issued_at_ms,
            session_id: self.session_id,
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

/// The claims of a bearer token whose signature and expiry hold, whatever its access to
/// its workspace now (see `AuthUser` for that); 401 otherwise.
#[derive(Debug, Clone)]
pub struct Verified(pub Claims);

impl FromRequestParts<AppState> for Verified {
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
        state
            .tokens
            .verify(token)
            .map(Verified)
            .map_err(|_| ApiError::Unauthorized)
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Verified(claims) = Verified::from_request_parts(parts, state).await?;
        let caller = Caller::of(&claims);
        let role = state.store.access(claims.ws, caller).await?;
        Ok(AuthUser {
            user_id: claims.sub,
            workspace_id: claims.ws,
            role: role.ok_or(ApiError::Unauthorized)?,
            token_id: claims.jti,
            issued_at_ms: caller.issued_at_ms,
            session_id: claims.sid,
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

/// The strong entity tag of `version`, as every entity response carries it: `"<version>"`.
#[must_use]
pub fn etag(version: i64) -> Option<headers::ETag> {
    format!("\"{version}\"").parse().ok()
}

/// What an `If-Match` header requires of the entity's version: nothing without the header
/// or with `*`. The version's ETag must match one of the listed tags, compared strongly
/// (RFC 9110 §13.1.1): a weak tag (`W/"2"`) or anything that is not one of our ETags
/// matches no version, so the write gets 412; so does a header that can't be read.
pub struct IfMatch(pub Option<Precondition>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(IfMatch(
            match parts.headers.typed_try_get::<headers::IfMatch>() {
                Ok(None) => None,
                Ok(Some(c)) if c.is_any() => None,
                Ok(Some(c)) => Some(Precondition::new(move |v| {
                    etag(v).is_some_and(|t| c.precondition_passes(&t))
                })),
                Err(_) => Some(Precondition::none()),
            },
        ))
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
/// entry from the right of `X-Forwarded-For` (the client as the outermost trusted proxy
/// saw it; entries further left are whatever the client chose to send).
pub struct ClientIp(pub Option<IpAddr>);

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
        Ok(ClientIp(forwarded_client(
            peer,
            &parts.headers,
            state.auth_limiter.trusted_proxies(),
        )))
    }
}

/// The client `hops` trusted proxies saw (see `ClientIp`), or the peer.
///
/// Entries are counted, not filtered: one that is not an address (garbage, `unknown`, an
/// obfuscated name, empty) at the client's position falls back to the peer, the proxy in
/// front. Skipping it instead would move the position one entry left, into what the client
/// wrote itself, and let it pick a fresh throttle key for every request. Addresses may carry
/// a port (`192.0.2.1:4711`, `[2001:db8::1]:443`), as some proxies write them.
#[must_use]
pub fn forwarded_client(peer: Option<IpAddr>, headers: &HeaderMap, hops: usize) -> Option<IpAddr> {
    if hops == 0 {
        return peer;
    }
    // Several header lines are one list, in order (RFC 9110 §5.3). A line that is not
    // visible ASCII is still read: a proxy may append to a line the client started.
    let entries: Vec<String> = headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .split(',')
                .map(|e| e.trim().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    let Some(entry) = entries.len().checked_sub(hops).and_then(|i| entries.get(i)) else {
        // Fewer entries than proxies: the request did not come through all of them.
        return peer;
    };
    entry
        .parse::<Identifier>()
        .ok()
        .and_then(|id| id.ip())
        .or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn client(lines: &[&[u8]], hops: usize) -> Option<IpAddr> {
        let mut h = HeaderMap::new();
        for l in lines {
            if let Ok(v) = HeaderValue::from_bytes(l) {
                h.append("x-forwarded-for", v);
            }
        }
        forwarded_client("10.9.9.9".parse().ok(), &h, hops)
    }

    fn ip(s: &str) -> Option<IpAddr> {
        s.parse().ok()
    }

    /// Which of versions 1..=9 `IfMatch` accepts for these `If-Match` lines (`None`: no
    /// condition); `Err` if the request can't be built.
    async fn if_match(lines: &[&str]) -> Result<Option<Vec<i64>>, String> {
        let mut req = axum::http::Request::builder();
        for l in lines {
            req = req.header(header::IF_MATCH, *l);
        }
        let (mut parts, ()) = req.body(()).map_err(|e| e.to_string())?.into_parts();
        let IfMatch(p) = IfMatch::from_request_parts(&mut parts, &())
            .await
            .map_err(|_| "rejected".to_owned())?;
        Ok(p.map(|p| (1..=9).filter(|&v| p.accepts(v)).collect()))
    }

    #[tokio::test]
    async fn if_match_accepts_the_versions_its_strong_tags_name() {
        assert_eq!(if_match(&[]).await, Ok(None));
        assert_eq!(if_match(&["*"]).await, Ok(None));
        assert_eq!(if_match(&["\"7\""]).await, Ok(Some(vec![7])));
        assert_eq!(if_match(&[" \"7\" "]).await, Ok(Some(vec![7])));
        // A list, in one line or several, accepts each version it names.
        assert_eq!(if_match(&["\"1\", \"2\""]).await, Ok(Some(vec![1, 2])));
        assert_eq!(if_match(&["\"1\"", "\"3\""]).await, Ok(Some(vec![1, 3])));
        assert_eq!(if_match(&["W/\"1\", \"4\""]).await, Ok(Some(vec![4])));
        for never in ["W/\"7\"", "7", "\"x\"", "\"7", "\"\"", "\"07\""] {
            assert_eq!(if_match(&[never]).await, Ok(Some(vec![])), "{never}");
        }
        assert_eq!(etag(7), "\"7\"".parse().ok());
    }

    #[test]
    fn the_entry_a_trusted_proxy_wrote_is_the_client() {
        assert_eq!(client(&[b"1.1.1.1, 2.2.2.2"], 0), ip("10.9.9.9"));
        assert_eq!(client(&[b"1.1.1.1, 2.2.2.2"], 1), ip("2.2.2.2"));
        assert_eq!(client(&[b"1.1.1.1, 2.2.2.2"], 2), ip("1.1.1.1"));
        assert_eq!(client(&[b"1.1.1.1", b"2.2.2.2"], 1), ip("2.2.2.2"));
        assert_eq!(client(&[b"1.1.1.1, 2.2.2.2"], 3), ip("10.9.9.9"));
        assert_eq!(client(&[], 1), ip("10.9.9.9"));
    }

    #[test]
    fn ports_and_brackets_are_read() {
        assert_eq!(client(&[b"6.6.6.6, 192.0.2.88:40001"], 1), ip("192.0.2.88"));
        assert_eq!(
            client(&[b"6.6.6.6, [2001:db8::1]:443"], 1),
            ip("2001:db8::1")
        );
        assert_eq!(client(&[b"6.6.6.6,[2001:db8::1]"], 1), ip("2001:db8::1"));
        assert_eq!(client(&[b"6.6.6.6, 2001:db8::1"], 1), ip("2001:db8::1"));
        assert_eq!(client(&[b"6.6.6.6, \"192.0.2.1\""], 1), ip("192.0.2.1"));
    }

    #[test]
    fn an_unreadable_entry_falls_back_to_the_peer_never_further_left() {
        for bad in [
            &b"6.6.6.6, garbage"[..],
            b"6.6.6.6, unknown",
            b"6.6.6.6, _hidden",
            b"6.6.6.6, 1.2.3.4:99999",
            b"6.6.6.6, [::1",
            b"6.6.6.6, ",
            b"6.6.6.6,",
            b"6.6.6.6, \xff\xfe",
        ] {
            assert_eq!(client(&[bad], 1), ip("10.9.9.9"), "{bad:?}");
        }
        assert_eq!(client(&[b"6.6.6.6, x, 7.7.7.7"], 2), ip("10.9.9.9"));
        // A non-ASCII line the proxy appended to still counts its entries.
        assert_eq!(client(&[b"\xff6.6.6.6, 2.2.2.2"], 1), ip("2.2.2.2"));
    }
}
