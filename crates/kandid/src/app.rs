//! The live dashboard at `/app`: a page built from `clients/typescript/app` (with the
//! TypeScript client) and embedded in the binary, so it needs nothing at run time.

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;

const INDEX: &str = include_str!("../app/index.html");
const SCRIPT: &str = include_str!("../app/app.js");
const STYLE: &str = include_str!("../app/app.css");

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
}

/// `/`: where a person who opens the server's address lands. The dashboard when it is
/// served (a temporary redirect, so that turning it off later is not cached), else a small
/// page pointing to the API reference, the OpenAPI document and the health check.
pub fn root<S: Clone + Send + Sync + 'static>(serve_app: bool) -> Router<S> {
    if serve_app {
        Router::new().route("/", get(|| async { Redirect::temporary("/app/") }))
    } else {
        Router::new().route(
            "/",
            get(|| async { asset("text/html; charset=utf-8", ROOT_INDEX) }),
        )
    }
}

const ROOT_INDEX: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>kandid</title></head><body><h1>kandid</h1><ul>\
<li><a href=\"/docs/\">API reference</a></li>\
<li><a href=\"/api/openapi.json\">OpenAPI document</a></li>\
<li><a href=\"/healthz\">Health check</a></li>\
</ul></body></html>\n";

/// Content-Security-Policy of `/app`: its own script and stylesheet (no inline code), the API
/// and the socket on this origin (`'self'` covers `ws:`/`wss:` to it), nothing else.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

/// `/app/` and its assets; `/app` redirects there.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    let pages = Router::new()
        .route("/app", get(|| async { Redirect::permanent("/app/") }))
        .route(
            "/app/",
            get(|| async { asset("text/html; charset=utf-8", INDEX) }),
        )
        .route(
            "/app/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }),
        )
        .route(
            "/app/app.css",
            get(|| async { asset("text/css; charset=utf-8", STYLE) }),
        );
    kandid_api::page(pages, CSP)
}
