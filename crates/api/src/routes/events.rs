//! `/api/events`: the workspace's durable event log, for catching up.

use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{AppQuery, AuthUser};
use crate::state::AppState;
use axum::extract::State;
use kandid_domain::views::EventView;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub const DEFAULT_EVENTS: u64 = 100;
pub const MAX_EVENTS: u64 = 1000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_events))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// The last `seq` the client saw (0 for everything retained). Default 0.
    #[param(minimum = 0)]
    pub since: Option<i64>,
    /// 1–1000, default 100.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventsResponse {
    pub data: Vec<EventView>,
    pub latest_seq: i64,
    /// More events follow `data`; ask again with the last `seq`.
    pub has_more: bool,
    /// `since` is older than the retention or ahead of the log: refetch everything.
    pub reset: bool,
}

/// Events after a seq
#[utoipa::path(get, path = "/api/events", tag = "events", params(EventQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = EventsResponse),
        (status = 400, body = Problem), (status = 401, body = Problem),
    ))]
async fn list_events(
    State(s): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<EventQuery>,
) -> ApiResult<axum::Json<EventsResponse>> {
    let since = q.since.unwrap_or(0);
    if since < 0 {
        return Err(ApiError::BadRequest("since must be 0 or more".into()));
    }
    let limit = q.limit.unwrap_or(DEFAULT_EVENTS);
    if !(1..=MAX_EVENTS).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "limit must be between 1 and {MAX_EVENTS}"
        )));
    }
    let p = s
        .store
        .events_since(user.workspace_id, since, limit, None)
        .await?;
    Ok(axum::Json(EventsResponse {
        data: p.data,
        latest_seq: p.latest_seq,
        has_more: p.has_more,
        reset: p.reset,
    }))
}
