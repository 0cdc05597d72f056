//! `/api/dashboard`: workspace metrics.

use crate::error::{ApiResult, Problem};
use crate::extract::AuthUser;
use crate::state::AppState;
use axum::extract::State;
use kandid_domain::views::DashboardView;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(dashboard))
}

/// Workspace metrics
///
/// Counts by status, rates as defined for campaign stats, the ten newest activities, and
/// the latest event `seq` they reflect.
#[utoipa::path(get, path = "/api/dashboard", tag = "dashboard", security(("bearer" = [])),
    responses((status = 200, body = DashboardView), (status = 401, body = Problem)))]
async fn dashboard(
    State(s): State<AppState>,
    user: AuthUser,
) -> ApiResult<axum::Json<DashboardView>> {
    Ok(axum::Json(s.store.dashboard(user.workspace_id).await?))
}
