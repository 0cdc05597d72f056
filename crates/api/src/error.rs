//! `ApiError`: every failure of a request, rendered as RFC 9457 problem+json.
//!
//! Handlers return `Result<_, ApiError>` and use `?`. Store errors map here, once; a 5xx
//! is logged with its cause and the request id, and the body never shows internals.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kandid_domain::FieldError;
use kandid_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// Always `about:blank`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    /// Machine-readable code, e.g. `validation_failed`.
    pub code: &'static str,
    pub detail: String,
    /// The invalid fields (422 only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug)]
pub enum ApiError {
    BadRequest(String),
    Unauthorized,
    /// A sign-in whose e-mail or password is wrong (never saying which).
    WrongCredentials,
    Forbidden,
    // A browser `Origin` outside `CORS_ORIGINS` on Socket.IO (see `wrap`).
    OriginNotAllowed,
    /// `/metrics` without `METRICS_TOKEN`, asked by anyone but a local scraper.
    NotLocal,
    NotFound,
    Conflict(String),
    /// The change would leave the workspace without an owner.
    LastOwner,
    InvalidTransition(String),
    PreconditionFailed,
    PayloadTooLarge(String),
    UnsupportedMediaType(String),
    Validation(Vec<FieldError>),
    RateLimited {
        retry_after_secs: u64,
    },
    MethodNotAllowed,
    Unavailable(String),
    /// `/readyz`: which dependency is not answering (names only, no internals).
    NotReady(String),
    Internal(String),
}

impl ApiError {
    pub fn internal(e: impl std::fmt::Display) -> Self {
        ApiError::Internal(e.to_string())
    }

    fn parts(&self) -> (StatusCode, &'static str, &'static str, String) {
        use ApiError as E;
        match self {
            E::BadRequest(d) => (StatusCode::BAD_REQUEST, "bad_request", "Bad request", d.clone()),
            E::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Unauthorized",
                "a valid bearer token is required".into(),
            ),
            E::WrongCredentials => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Unauthorized",
                "wrong e-mail or password".into(),
            ),
            E::Forbidden => (StatusCode::FORBIDDEN, "forbidden", "Forbidden", "your role may not do this".into()),
            E::OriginNotAllowed => (StatusCode::FORBIDDEN, "forbidden", "Forbidden", "origin not allowed".into()),
            E::NotLocal => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "Forbidden",
                "only local requests may read this; set METRICS_TOKEN to scrape from elsewhere".into(),
            ),
            E::NotFound => (StatusCode::NOT_FOUND, "not_found", "Not found", "no such resource".into()),
            E::Conflict(d) => (StatusCode::CONFLICT, "conflict", "Conflict", d.clone()),
            E::LastOwner => (
                StatusCode::CONFLICT,
                "last_owner",
                "Last owner",
                "the workspace's last owner cannot be removed or demoted; make another member owner first".into(),
            ),
            E::InvalidTransition(d) => (StatusCode::CONFLICT, "invalid_transition", "Invalid status transition", d.clone()),
            E::PreconditionFailed => (
                StatusCode::PRECONDITION_FAILED,
                "precondition_failed",
                "Precondition failed",
                "If-Match does not match the current ETag".into(),
            ),
            E::PayloadTooLarge(d) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "Payload too large", d.clone()),
            E::UnsupportedMediaType(d) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "Unsupported media type", d.clone())
            }
            E::Validation(errs) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "Validation failed",
                if errs.len() == 1 { "1 field is invalid".into() } else { format!("{} fields are invalid", errs.len()) },
            ),
            E::RateLimited { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "Too many requests",
                format!("try again in {retry_after_secs} s"),
            ),
            E::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "Method not allowed",
                "this resource does not support the method".into(),
            ),
            E::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Service unavailable",
                "the database is unreachable; try again shortly".into(),
            ),
            E::NotReady(what) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Service unavailable",
                format!("not ready: {what}"),
            ),
            E::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal server error",
                "an unexpected error occurred; it has been logged with this response's x-request-id".into(),
            ),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::UnknownWorkspace | StoreError::Unauthorized => ApiError::Unauthorized,
            StoreError::Conflict(d) => ApiError::Conflict(d),
            StoreError::Forbidden => ApiError::Forbidden,
            StoreError::LastOwner => ApiError::LastOwner,
            StoreError::InvalidTransition { from, to } => {
                ApiError::InvalidTransition(format!("a campaign cannot go from {from} to {to}"))
            }
            StoreError::PreconditionFailed { .. } => ApiError::PreconditionFailed,
            StoreError::Validation(errs) => ApiError::Validation(errs),
            StoreError::Unavailable(e) => ApiError::Unavailable(e.to_string()),
            e @ StoreError::Busy => ApiError::Unavailable(e.to_string()),
            e @ (StoreError::Db(_) | StoreError::Corrupt(_)) => ApiError::Internal(e.to_string()),
        }
    }
}

impl From<Vec<FieldError>> for ApiError {
    fn from(errs: Vec<FieldError>) -> Self {
        ApiError::Validation(errs)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, title, detail) = self.parts();
        match &self {
            ApiError::Internal(cause) => tracing::error!(%cause, "request failed"),
            ApiError::Unavailable(cause) => tracing::warn!(%cause, "database unavailable"),
            _ => {}
        }
        let retry_after = match &self {
            ApiError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            ApiError::Unavailable(_) | ApiError::NotReady(_) => Some(1),
            _ => None,
        };
        let unauthorized = matches!(self, ApiError::Unauthorized);
        let errors = match self {
            ApiError::Validation(errs) => errs,
            _ => Vec::new(),
        };
        let body = Problem {
            kind: "about:blank",
            title,
            status: status.as_u16(),
            code,
            detail,
            errors,
        };
        let mut res = (status, Json(body)).into_response();
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = retry_after {
            h.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if unauthorized {
            h.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
