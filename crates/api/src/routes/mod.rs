//! HTTP routes, one module per resource.

pub mod activities;
pub mod auth;
pub mod campaigns;
pub mod dashboard;
pub mod events;
pub mod import;
pub mod leads;
pub mod ops;
pub mod team;
pub mod tokens;
pub mod webhooks;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use headers::HeaderMapExt;
use kandid_store::PageOf;
use serde::Serialize;
use utoipa::ToSchema;

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListResponse<T: ToSchema> {
    pub data: Vec<T>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
    /// Number of rows matching the filters, over all pages.
    pub total: u64,
}

impl<T: ToSchema> From<PageOf<T>> for ListResponse<T> {
    fn from(p: PageOf<T>) -> Self {
        ListResponse {
            data: p.data,
            next_cursor: p.next_cursor,
            total: p.total,
        }
    }
}

/// A JSON entity response with its `ETag`.
pub(crate) fn entity<T: Serialize>(status: StatusCode, body: &T, version: i64) -> Response {
    let mut res = (status, Json(body)).into_response();
    if let Some(tag) = crate::extract::etag(version) {
        res.headers_mut().typed_insert(tag);
    }
    res
}
