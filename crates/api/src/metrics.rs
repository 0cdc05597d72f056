//! Prometheus metrics: HTTP requests by route and status, request latency, and the
//! database pool; other crates register their own metrics in the same registry.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use kandid_store::Store;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: String,
    pub route: String,
}

/// The registry and the metrics this crate updates.
pub struct HttpMetrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    pool_size: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
}

impl HttpMetrics {
    /// A registry with the HTTP and pool metrics; `extra` registers more (sockets, events).
    pub fn new(extra: impl FnOnce(&mut Registry)) -> Arc<Self> {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0005, 2.0, 16))
        });
        let (pool_size, pool_idle, pool_max) =
            (Gauge::default(), Gauge::default(), Gauge::default());
        registry.register(
            "kandid_http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        registry.register(
            "kandid_http_request_duration_seconds",
            "HTTP request latency",
            latency.clone(),
        );
        registry.register(
            "kandid_db_pool_connections",
            "Open database connections",
            pool_size.clone(),
        );
        registry.register(
            "kandid_db_pool_idle_connections",
            "Idle database connections",
            pool_idle.clone(),
        );
        registry.register(
            "kandid_db_pool_max_connections",
            "Database pool size limit",
            pool_max.clone(),
        );
        extra(&mut registry);
        Arc::new(Self {
            registry,
            requests,
            latency,
            pool_size,
            pool_idle,
            pool_max,
        })
    }

    /// The text exposition, with the pool gauges read now.
    pub fn render(&self, store: &Store) -> String {
        let p = store.pool_stats();
        self.pool_size.set(i64::from(p.size));
        self.pool_idle.set(i64::from(p.idle));
        self.pool_max.set(i64::from(p.max));
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            tracing::warn!(error = %e, "encoding metrics failed");
        }
        out
    }
}

/// Records each routed request (the route template, not the raw path, to bound cardinality).
pub async fn track(State(m): State<Arc<HttpMetrics>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let res = next.run(req).await;
    let status = res.status().as_u16();
    m.latency
        .get_or_create(&RouteLabels {
            method: method.clone(),
            route: route.clone(),
        })
        .observe(start.elapsed().as_secs_f64());
    m.requests
        .get_or_create(&RequestLabels {
            method,
            route,
            status,
        })
        .inc();
    res
}
