//! `/api/activities`: the activity log, newest first.

use super::ListResponse;
use crate::error::{ApiResult, Problem};
use crate::extract::{AppQuery, AuthUser, page_request};
use crate::state::AppState;
use axum::extract::State;
use kandid_domain::views::ActivityView;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_activities))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    pub campaign_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    /// 1–200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List activities, newest first
#[utoipa::path(get, path = "/api/activities", tag = "activity", params(ActivityQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = ListResponse<ActivityView>),
        (status = 400, body = Problem), (status = 401, body = Problem),
    ))]
async fn list_activities(
    State(s): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<ActivityQuery>,
) -> ApiResult<axum::Json<ListResponse<ActivityView>>> {
    let page = page_request(q.limit, None, q.cursor.as_deref())?;
    Ok(axum::Json(
        s.store
            .list_activities(user.workspace_id, q.campaign_id, q.lead_id, &page)
            .await?
            .into(),
    ))
}
