//! Liveness and readiness.

use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;
use axum::extract::State;
use serde::Serialize;
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
/// OpenMetrics text format.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, content_type = "application/openmetrics-text", body = String)))]
async fn metrics(State(s): State<AppState>) -> impl axum::response::IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        s.metrics.render(&s.store),
    )
}
