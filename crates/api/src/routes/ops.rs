//! Liveness, readiness and metrics.

use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, header};
use kandid_domain::token::bearer;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::net::{IpAddr, SocketAddr};
use subtle::ConstantTimeEq;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(metrics))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
}

/// Liveness: the process is up
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = Health)))]
async fn healthz() -> axum::Json<Health> {
    axum::Json(Health { status: "ok" })
}

/// Readiness: the database (and Redis, when configured) answer
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, body = Health), (status = 503, body = Problem)))]
async fn readyz(State(s): State<AppState>) -> ApiResult<axum::Json<Health>> {
    if let Err(e) = s.store.ping().await {
        tracing::warn!(error = %e, "readiness: database");
        return Err(ApiError::NotReady("database".into()));
    }
    for (name, check) in &s.ready_checks {
        if let Err(e) = check().await {
            tracing::warn!(error = %e, "readiness: {name}");
            return Err(ApiError::NotReady((*name).into()));
        }
    }
    Ok(axum::Json(Health { status: "ok" }))
}

/// Prometheus metrics
///
/// HTTP requests and latency by route, database pool, Socket.IO sockets and events, in the
/// OpenMetrics text format. With `METRICS_TOKEN` set, only for `Authorization: Bearer
/// <METRICS_TOKEN>` (401 otherwise); without it, only for requests from this machine's
/// loopback that no proxy forwarded (403 otherwise).
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses(
        (status = 200, content_type = "application/openmetrics-text", body = String),
        (status = 401, body = Problem, description = "`METRICS_TOKEN` is set and the request does not carry it"),
        (status = 403, body = Problem, description = "`METRICS_TOKEN` is unset and the request is not local"),
    ))]
async fn metrics(
    State(s): State<AppState>,
    req: Request,
) -> ApiResult<impl axum::response::IntoResponse> {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    may_read_metrics(s.metrics_token.as_deref(), peer, req.headers())?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        s.metrics.render(&s.store),
    ))
}

/// Headers a proxy adds for the client it forwards: with one of them, a loopback peer is a
/// proxy on this machine serving someone else.
const FORWARDING_HEADERS: [&str; 3] = ["x-forwarded-for", "forwarded", "x-real-ip"];

/// Whether a request may read `/metrics`: the token when one is configured (compared in
/// constant time, through hashes so that not even its length shows), else a loopback TCP
/// peer (the address of the connection, never a header) that no proxy forwarded.
fn may_read_metrics(
    token: Option<&str>,
    peer: Option<IpAddr>,
    headers: &HeaderMap,
) -> ApiResult<()> {
    if let Some(token) = token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer)
            .unwrap_or_default();
        let digest = |t: &str| Sha256::digest(t.as_bytes());
        return if bool::from(digest(given).ct_eq(&digest(token))) {
            Ok(())
        } else {
            Err(ApiError::Unauthorized)
        };
    }
    let local = peer.is_some_and(|ip| ip.to_canonical().is_loopback());
    let forwarded = FORWARDING_HEADERS.iter().any(|h| headers.contains_key(*h));
    if local && !forwarded {
        Ok(())
    } else {
        Err(ApiError::NotLocal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        s.parse().ok()
    }

    #[test]
    fn without_a_token_only_unforwarded_loopback_peers_may_read() {
        let none = HeaderMap::new();
        for local in ["127.0.0.1", "127.8.9.1", "::1", "::ffff:127.0.0.1"] {
            assert!(may_read_metrics(None, ip(local), &none).is_ok(), "{local}");
        }
        for remote in ["10.0.0.1", "192.0.2.1", "2001:db8::1", "::ffff:10.0.0.1"] {
            assert!(
                may_read_metrics(None, ip(remote), &none).is_err(),
                "{remote}"
            );
        }
        assert!(may_read_metrics(None, None, &none).is_err());
        let mut forwarded = HeaderMap::new();
        forwarded.insert(
            "x-forwarded-for",
            header::HeaderValue::from_static("127.0.0.1"),
        );
        assert!(may_read_metrics(None, ip("127.0.0.1"), &forwarded).is_err());
    }

    #[test]
    fn with_a_token_the_token_decides() {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            header::HeaderValue::from_static("Bearer s3cret"),
        );
        assert!(may_read_metrics(Some("s3cret"), ip("192.0.2.1"), &h).is_ok());
        assert!(may_read_metrics(Some("s3cret!"), ip("127.0.0.1"), &h).is_err());
        assert!(may_read_metrics(Some("s3cret"), ip("127.0.0.1"), &HeaderMap::new()).is_err());
    }
}
