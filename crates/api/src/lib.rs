//! REST surface of kandid: axum routes (only through `OpenApiRouter`, so every endpoint is
//! documented), extractors, problem+json errors, the OpenAPI document and `/docs`.

pub mod error;
pub mod extract;
pub mod hash_gate;
pub mod metrics;
pub mod routes;
pub mod secret;
pub mod state;
pub mod throttle;

pub use error::{ApiError, Problem};
pub use state::{AppState, AuthLimiter, HashGate, ReadyCheck};

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderName, HeaderValue, Method, Request, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

/// Body limit of every JSON endpoint except imports.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "kandid",
        description = "Realtime REST + Socket.IO backend for campaign and lead management.\n\n\
            Errors are RFC 9457 `application/problem+json`. Every entity response carries an `ETag`; \
            `If-Match` on PUT/PATCH/DELETE is honoured. Lists are keyset-paginated with opaque cursors.\n\n\
            Realtime: Socket.IO v5 at `/socket.io/` on the same port (see the README).",
        license(name = "MIT OR Apache-2.0"),
    ),
    modifiers(&BearerAuth),
    // Referred to by name from hand-written field schemas (`kandid_domain::schema`).
    components(schemas(kandid_domain::input::StepInput)),
    tags(
        (name = "auth", description = "Accounts, sessions and workspaces"),
        (name = "team", description = "Members, roles and invitations"),
        (name = "tokens", description = "Integration tokens"),
        (name = "campaigns", description = "Campaigns and their sequences"),
        (name = "leads", description = "Leads and imports"),
        (name = "activity", description = "The activity log"),
        (name = "dashboard", description = "Workspace metrics"),
        (name = "events", description = "The durable event log"),
        (name = "webhooks", description = "The workspace's events pushed over HTTPS, signed the Standard Webhooks way"),
        (name = "operations", description = "Health"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Documents every error response as what it is on the wire, `application/problem+json`:
/// handlers declare `body = Problem`, which utoipa files under `application/json`. Gives
/// responses without a description their status's reason phrase.
struct ProblemJson;

impl Modify for ProblemJson {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::RefOr;
        const PROBLEM: &str = "#/components/schemas/Problem";
        for item in openapi.paths.paths.values_mut() {
            let ops = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in ops.into_iter().flatten() {
                for (status, response) in &mut op.responses.responses {
                    let RefOr::T(response) = response else {
                        continue;
                    };
                    // OpenAPI requires a description on every response.
                    if response.description.is_empty() {
                        response.description = status
                            .parse::<u16>()
                            .ok()
                            .and_then(|s| axum::http::StatusCode::from_u16(s).ok())
                            .and_then(|s| s.canonical_reason())
                            .unwrap_or("Response")
                            .to_owned();
                    }
                    let is_problem = matches!(
                        response.content.get("application/json"),
                        Some(RefOr::T(c)) if matches!(&c.schema, Some(RefOr::Ref(r)) if r.ref_location == PROBLEM)
                    );
                    if is_problem
                        && let Some(content) = response.content.shift_remove("application/json")
                    {
                        response
                            .content
                            .insert("application/problem+json".to_owned(), content);
                    }
                }
            }
        }
    }
}

fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(routes::auth::router())
        .merge(routes::team::router())
        .merge(routes::tokens::router())
        .merge(routes::campaigns::router())
        .merge(routes::leads::router())
        .merge(routes::activities::router())
        .merge(routes::dashboard::router())
        .merge(routes::events::router())
        .merge(routes::webhooks::router())
        .merge(routes::ops::router())
}

/// The OpenAPI document, exactly as served at `/api/openapi.json`.
#[must_use]
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = api_router().split_for_parts();
    // After the routes are merged: a modifier of `ApiDoc` would run before they are.
    ProblemJson.modify(&mut doc);
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc.webhooks = Some(webhook_requests());
    doc
}

/// What the server sends to a webhook's URL (contract §10), one entry per event it may
/// carry: a signed `POST` whose body is the event as on the socket and in the log.
fn webhook_requests() -> utoipa::openapi::Paths {
    use utoipa::openapi::path::{OperationBuilder, ParameterBuilder, ParameterIn};
    use utoipa::openapi::request_body::RequestBodyBuilder;
    use utoipa::openapi::{
        ContentBuilder, HttpMethod, ObjectBuilder, PathItem, PathsBuilder, Ref, Required,
        ResponseBuilder, Type,
    };
    let header = |name: &str, description: &str| {
        ParameterBuilder::new()
            .name(name)
            .parameter_in(ParameterIn::Header)
            .required(Required::True)
            .description(Some(description))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .build()
    };
    let mut paths = PathsBuilder::new();
    for event in ["campaigns_updated", "leads_updated", "members_updated"] {
        let op = OperationBuilder::new()
            .summary(Some(format!("`{event}` delivered to a webhook")))
            .description(Some(
                "Sent in `seq` order, one event per request; the next is sent only once this \
                 one got a 2xx. Anything else, or no answer within 10 s, is retried with \
                 exponential backoff and jitter. Verify the signature (Standard Webhooks) and \
                 deduplicate by `webhook-id`.",
            ))
            .parameter(header(
                "webhook-id",
                "`<workspace_id>:<seq>`, the same on every retry of this event",
            ))
            .parameter(header(
                "webhook-timestamp",
                "Unix seconds of this attempt; reject values far from now",
            ))
            .parameter(header(
                "webhook-signature",
                "`v1,` + base64 of HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}`, \
                 keyed with the secret's decoded bytes (after `whsec_`); several, \
                 space-separated, while a rotated secret still signs",
            ))
            .request_body(Some(
                RequestBodyBuilder::new()
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("EventView")))
                            .build(),
                    )
                    .required(Some(Required::True))
                    .build(),
            ))
            .response(
                "2XX",
                ResponseBuilder::new()
                    .description("Received: the webhook moves on to the next event")
                    .build(),
            )
            .build();
        paths = paths.path(event, PathItem::new(HttpMethod::Post, op));
    }
    paths.build()
}

/// The OpenAPI document as committed under `openapi/openapi.json`.
#[must_use]
pub fn openapi_json() -> String {
    let mut s = openapi().to_pretty_json().unwrap_or_default();
    s.push('\n');
    s
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// All routes with their state, `/api/openapi.json` and `/docs`, without global layers.
pub fn router(state: AppState) -> Router {
    let (router, _) = api_router().split_for_parts();
    router
        .route_layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state.metrics),
            metrics::track,
        ))
        .merge(page(
            SwaggerUi::new("/docs").url("/api/openapi.json", openapi()),
            DOCS_CSP,
        ))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// Content-Security-Policy of `/docs`: Swagger UI's own files and the OpenAPI document,
/// nothing from elsewhere (its icons are `data:` URLs in its stylesheet). No inline or
/// evaluated script: the page has none. The one inline style is the `<style>` of Swagger
/// UI's logo, allowed by its hash (the browser suite fails if an upgrade changes it).
pub const DOCS_CSP: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='; \
    img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; \
    form-action 'none'; frame-ancestors 'none'";

/// A page people open in a browser, with what keeps it from being framed (clickjacking),
/// from running anything but its own files, and from telling other sites which URL it was
/// opened at (`Referrer-Policy`; the URLs of `/app` name campaigns).
pub fn page<S: Clone + Send + Sync + 'static>(
    router: impl Into<Router<S>>,
    csp: &'static str,
) -> Router<S> {
    router
        .into()
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}

/// HTTP settings of the outer layers.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub cors_origins: Vec<String>,
    /// The origin browsers reach this server at (`PUBLIC_ORIGIN`), if set.
    pub public_origin: Option<String>,
    /// The port the server listens on: its pages opened on a loopback address of this port
    /// are its own.
    pub port: u16,
}

/// Which browser origins may open a Socket.IO connection.
#[derive(Debug, Clone)]
struct SocketOrigins {
    /// `CORS_ORIGINS` is `*`.
    any: bool,
    /// `CORS_ORIGINS`, the public origin, and the loopback origins of our port.
    allowed: Arc<[HeaderValue]>,
}

impl SocketOrigins {
    fn new(cfg: &HttpConfig, cors: Option<&[HeaderValue]>) -> Self {
        // The server's own pages (`/app`): at the configured public origin, or opened on this
        // machine. Never decided from the request's `Host`, which a page of any site can
        // make name it (DNS rebinding: evil.example resolving to this server).
        let own = [
            format!("http://localhost:{}", cfg.port),
            format!("http://127.0.0.1:{}", cfg.port),
            format!("http://[::1]:{}", cfg.port),
        ];
        let allowed = cors
            .into_iter()
            .flatten()
            .cloned()
            .chain(
                cfg.public_origin
                    .iter()
                    .map(|o| o.trim().trim_end_matches('/').to_owned())
                    .chain(own)
                    .filter_map(|o| HeaderValue::from_str(&o).ok()),
            )
            .collect();
        Self {
            any: cors.is_none(),
            allowed,
        }
    }

    fn allows(&self, origin: &HeaderValue) -> bool {
        self.any
            || self
                .allowed
                .iter()
                .any(|a| a.as_bytes().eq_ignore_ascii_case(origin.as_bytes()))
    }
}

/// Refuses Socket.IO requests (handshake, polling and the websocket upgrade) from a browser
/// origin that is not allowed with 403: allowed are `CORS_ORIGINS` (`*`: any), `PUBLIC_ORIGIN`
/// and the loopback origins of the server's port. CORS alone only hides the response from
/// the page, and does not cover websockets at all. Requests without `Origin` (non-browser
/// clients) pass.
async fn socket_origin_guard(
    State(origins): State<SocketOrigins>,
    req: Request<axum::body::Body>,
    next: Next,
) -> Response {
    if req.uri().path().starts_with("/socket.io")
        && let Some(origin) = req.headers().get(header::ORIGIN)
        && !origins.allows(origin)
    {
        return ApiError::OriginNotAllowed.into_response();
    }
    next.run(req).await
}

/// Wraps an app (REST and Socket.IO) in the layers every response passes through:
/// request id, tracing, CORS, the Socket.IO origin check, panic → 500 problem+json, and
/// `X-Content-Type-Options: nosniff` (no response, JSON or a user's text in it, is ever
/// run as a script or page by a browser that guesses its type).
pub fn wrap(app: Router, cfg: &HttpConfig) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    // `*` allows every origin (reflected, since credentials are allowed); otherwise the list.
    let any_origin = cfg.cors_origins.iter().any(|o| o.trim() == "*");
    let origins: Option<Arc<[HeaderValue]>> = (!any_origin).then(|| {
        cfg.cors_origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o.trim()).ok())
            .collect()
    });
    let allow_origin = match &origins {
        Some(list) => AllowOrigin::list(list.iter().cloned()),
        None => AllowOrigin::mirror_request(),
    };
    let cors = CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            request_id.clone(),
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::RETRY_AFTER,
            request_id.clone(),
        ])
        .allow_credentials(true)
        .max_age(Duration::from_secs(600));
    let trace = TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
        let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
        tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %id)
    });
    // Around the whole router once, outermost first. `Router::layer` would wrap every route
    // in each of them, boxed, and every request would clone the lot (BENCHMARKS.md).
    let layered = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(trace)
        .layer(cors)
        .layer(middleware::from_fn_with_state(
            SocketOrigins::new(cfg, origins.as_deref()),
            socket_origin_guard,
        ))
        .layer(CatchPanicLayer::custom(|_| {
            axum::response::IntoResponse::into_response(ApiError::Internal(
                "handler panicked".into(),
            ))
        }))
        .service(app);
    Router::new().fallback_service(layered)
}
