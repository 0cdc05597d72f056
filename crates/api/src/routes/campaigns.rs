//! `/api/campaigns`: CRUD, sequence, and the filters, sort and cursors of the list.

use super::{ListResponse, entity};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{
    Admin, AppJson, AppQuery, AuthUser, IdPath, IfMatch, Member, RequireRole, page_request,
};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use kandid_domain::input::{CampaignInput, CampaignPatch, NewCampaignInput, SequenceInput};
use kandid_domain::validate::search_text;
use kandid_domain::views::{CampaignView, Step};
use kandid_domain::{CampaignStatus, Precondition};
use kandid_store::CampaignFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_campaigns, create_campaign))
        .routes(routes!(
            get_campaign,
            put_campaign,
            patch_campaign,
            delete_campaign
        ))
        .routes(routes!(get_sequence, put_sequence))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CampaignQuery {
    /// Only campaigns with this status.
    pub status: Option<CampaignStatus>,
    /// Case-insensitive substring of name or description. At most 200 characters, no control characters (400 otherwise).
    #[param(max_length = 200, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")]
    pub q: Option<String>,
    /// `created_at`, `updated_at` or `name`; prefix `-` for descending. Default `-created_at`.
    #[param(pattern = "^-?(created_at|updated_at|name)$")]
    pub sort: Option<String>,
    /// 1–200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page, with the same `sort` (400 otherwise).
    pub cursor: Option<String>,
}

/// The ordered steps of a campaign.
#[derive(Debug, Serialize, ToSchema)]
pub struct SequenceView {
    pub steps: Vec<Step>,
}

/// List campaigns
#[utoipa::path(get, path = "/api/campaigns", tag = "campaigns", params(CampaignQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ListResponse<CampaignView>),
        (status = 400, body = Problem), (status = 401, body = Problem),
    ))]
async fn list_campaigns(
    State(s): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<CampaignQuery>,
) -> ApiResult<axum::Json<ListResponse<CampaignView>>> {
    let page = page_request(q.limit, q.sort.as_deref(), q.cursor.as_deref())?;
    let filter = CampaignFilter {
        status: q.status,
        q: search_text(q.q).map_err(ApiError::BadRequest)?,
    };
    Ok(axum::Json(
        s.store
            .list_campaigns(user.workspace_id, &filter, &page)
            .await?
            .into(),
    ))
}

/// Create a campaign
///
/// Created as `draft` unless `status` is `active`.
#[utoipa::path(post, path = "/api/campaigns", tag = "campaigns", request_body = NewCampaignInput,
    security(("bearer" = [])),
    responses(
        (status = 201, body = CampaignView, headers(("location" = String), ("etag" = String))),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem),
    ))]
async fn create_campaign(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Member>,
    AppJson(input): AppJson<CampaignInput>,
) -> ApiResult<Response> {
    let new = input.validate_new()?;
    let c = s
        .store
        .create_campaign(user.workspace_id, user.actor(), new)
        .await?;
    let mut res = entity(StatusCode::CREATED, &c, c.version);
    if let Ok(loc) = HeaderValue::from_str(&format!("/api/campaigns/{}", c.id)) {
        res.headers_mut().insert(header::LOCATION, loc);
    }
    Ok(res)
}

/// Get a campaign
#[utoipa::path(get, path = "/api/campaigns/{id}", tag = "campaigns", params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = CampaignView, headers(("etag" = String))),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem),
    ))]
async fn get_campaign(
    State(s): State<AppState>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> ApiResult<Response> {
    let c = s.store.get_campaign(user.workspace_id, id).await?;
    Ok(entity(StatusCode::OK, &c, c.version))
}

async fn update(
    s: &AppState,
    user: AuthUser,
    id: uuid::Uuid,
    patch: CampaignPatch,
    if_match: Option<Precondition>,
) -> ApiResult<Response> {
    let c = s
        .store
        .update_campaign(user.workspace_id, user.actor(), id, patch, if_match)
        .await?;
    Ok(entity(StatusCode::OK, &c, c.version))
}

/// Update a campaign (partial)
///
/// Omitted fields are unchanged, `null` clears an optional field, read-only fields are
/// ignored. Status changes follow the state machine. Honours `If-Match`.
#[utoipa::path(put, path = "/api/campaigns/{id}", tag = "campaigns", request_body = CampaignInput,
    params(("id" = Uuid, Path), ("if-match" = Option<String>, Header, description = "ETag the campaign must still have")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = CampaignView, headers(("etag" = String))),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem),
    ))]
async fn put_campaign(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Member>,
    IdPath(id): IdPath,
    IfMatch(if_match): IfMatch,
    AppJson(input): AppJson<CampaignInput>,
) -> ApiResult<Response> {
    update(&s, user, id, input.validate_patch()?, if_match).await
}

/// Update a campaign (partial)
///
/// Same as PUT.
#[utoipa::path(patch, path = "/api/campaigns/{id}", tag = "campaigns", request_body = CampaignInput,
    params(("id" = Uuid, Path), ("if-match" = Option<String>, Header, description = "ETag the campaign must still have")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = CampaignView, headers(("etag" = String))),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem),
    ))]
async fn patch_campaign(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Member>,
    IdPath(id): IdPath,
    IfMatch(if_match): IfMatch,
    AppJson(input): AppJson<CampaignInput>,
) -> ApiResult<Response> {
    update(&s, user, id, input.validate_patch()?, if_match).await
}

/// Delete a campaign and its leads
#[utoipa::path(delete, path = "/api/campaigns/{id}", tag = "campaigns",
    params(("id" = Uuid, Path), ("if-match" = Option<String>, Header, description = "ETag the campaign must still have")),
    security(("bearer" = [])),
    responses(
        (status = 204),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 412, body = Problem),
    ))]
async fn delete_campaign(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Admin>,
    IdPath(id): IdPath,
    IfMatch(if_match): IfMatch,
) -> ApiResult<StatusCode> {
    s.store
        .delete_campaign(user.workspace_id, user.actor(), id, if_match)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Get a campaign's sequence
#[utoipa::path(get, path = "/api/campaigns/{id}/sequence", tag = "campaigns", params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = SequenceView, headers(("etag" = String))),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem),
    ))]
async fn get_sequence(
    State(s): State<AppState>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> ApiResult<Response> {
    let c = s.store.get_campaign(user.workspace_id, id).await?;
    Ok(entity(
        StatusCode::OK,
        &SequenceView { steps: c.sequence },
        c.version,
    ))
}

/// Replace a campaign's sequence
#[utoipa::path(put, path = "/api/campaigns/{id}/sequence", tag = "campaigns", request_body = SequenceInput,
    params(("id" = Uuid, Path), ("if-match" = Option<String>, Header, description = "ETag the campaign must still have")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = SequenceView, headers(("etag" = String))),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 412, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem),
    ))]
async fn put_sequence(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Member>,
    IdPath(id): IdPath,
    IfMatch(if_match): IfMatch,
    AppJson(input): AppJson<SequenceInput>,
) -> ApiResult<Response> {
    let steps = input.validate()?;
    let patch = CampaignPatch {
        sequence: Some(steps),
        ..CampaignPatch::default()
    };
    let c = s
        .store
        .update_campaign(user.workspace_id, user.actor(), id, patch, if_match)
        .await?;
    Ok(entity(
        StatusCode::OK,
        &SequenceView { steps: c.sequence },
        c.version,
    ))
}
