//! `/api/leads` (imports: `import`).

use super::{LeadList, ListResponse, entity};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{
    AppJson, AppQuery, AuthUser, IdPath, IfMatch, Member, RequireRole, page_request,
};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use kandid_domain::input::{LeadInput, NewLeadInput};
use kandid_domain::validate::search_text;
use kandid_domain::views::LeadView;
use kandid_domain::{ConnectionStatus, LeadStatus, Precondition};
use kandid_store::LeadFilter;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_leads, create_lead))
        .routes(routes!(get_lead, put_lead, patch_lead, delete_lead))
        .merge(super::import::router())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeadQuery {
    /// Only leads of this campaign (empty for another workspace's campaign).
    pub campaign_id: Option<Uuid>,
    pub status: Option<LeadStatus>,
    pub connection_status: Option<ConnectionStatus>,
    /// Case-insensitive substring of name, email, company or title. At most 200 characters, no control characters (400 otherwise).
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

/// List leads
#[utoipa::path(get, path = "/api/leads", tag = "leads", params(LeadQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = ListResponse<LeadView>),
        (status = 400, body = Problem), (status = 401, body = Problem),
    ))]
async fn list_leads(
    State(s): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<LeadQuery>,
) -> ApiResult<LeadList> {
    let page = page_request(q.limit, q.sort.as_deref(), q.cursor.as_deref())?;
    let filter = LeadFilter {
        campaign_id: q.campaign_id,
        status: q.status,
        connection_status: q.connection_status,
        q: search_text(q.q).map_err(ApiError::BadRequest)?,
    };
    Ok(LeadList(
        s.store
            .list_leads(user.workspace_id, &filter, &page)
            .await?
            .into(),
    ))
}

/// Create a lead
#[utoipa::path(post, path = "/api/leads", tag = "leads", request_body = NewLeadInput, security(("bearer" = [])),
    responses(
        (status = 201, body = LeadView, headers(("location" = String), ("etag" = String))),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem),
    ))]
async fn create_lead(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Member>,
    AppJson(input): AppJson<LeadInput>,
) -> ApiResult<Response> {
    let new = input.validate_new(None)?;
    let l = s
        .store
        .create_lead(user.workspace_id, user.actor(), new)
        .await?;
    let mut res = entity(StatusCode::CREATED, &l, l.version);
    if let Ok(loc) = HeaderValue::from_str(&format!("/api/leads/{}", l.id)) {
        res.headers_mut().insert(header::LOCATION, loc);
    }
    Ok(res)
}

/// Get a lead
#[utoipa::path(get, path = "/api/leads/{id}", tag = "leads", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = LeadView, headers(("etag" = String))),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem),
    ))]
async fn get_lead(
    State(s): State<AppState>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> ApiResult<Response> {
    let l = s.store.get_lead(user.workspace_id, id).await?;
    Ok(entity(StatusCode::OK, &l, l.version))
}

async fn update(
    s: &AppState,
    user: AuthUser,
    id: Uuid,
    input: &LeadInput,
    if_match: Option<Precondition>,
) -> ApiResult<Response> {
    let patch = input.validate_patch()?;
    let l = s
        .store
        .update_lead(user.workspace_id, user.actor(), id, patch, if_match)
        .await?;
    Ok(entity(StatusCode::OK, &l, l.version))
}

/// Update a lead (partial)
///
/// Omitted fields are unchanged, `null` clears an optional field, read-only fields are
/// ignored; `campaign_id` moves the lead to another campaign of the workspace.
#[utoipa::path(put, path = "/api/leads/{id}", tag = "leads", request_body = LeadInput,
    params(("id" = Uuid, Path), ("if-match" = Option<String>, Header, description = "ETag the lead must still have")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = LeadView, headers(("etag" = String))),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 412, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem),
    ))]
async fn put_lead(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Member>,
    IdPath(id): IdPath,
    IfMatch(if_match): IfMatch,
    AppJson(input): AppJson<LeadInput>,
) -> ApiResult<Response> {
    update(&s, user, id, &input, if_match).await
}

/// Update a lead (partial)
///
/// Same as PUT.
#[utoipa::path(patch, path = "/api/leads/{id}", tag = "leads", request_body = LeadInput,
    params(("id" = Uuid, Path), ("if-match" = Option<String>, Header, description = "ETag the lead must still have")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = LeadView, headers(("etag" = String))),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 412, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem),
    ))]
async fn patch_lead(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Member>,
    IdPath(id): IdPath,
    IfMatch(if_match): IfMatch,
    AppJson(input): AppJson<LeadInput>,
) -> ApiResult<Response> {
    update(&s, user, id, &input, if_match).await
}

/// Delete a lead
#[utoipa::path(delete, path = "/api/leads/{id}", tag = "leads",
    params(("id" = Uuid, Path), ("if-match" = Option<String>, Header, description = "ETag the lead must still have")),
    security(("bearer" = [])),
    responses(
        (status = 204),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 412, body = Problem),
    ))]
async fn delete_lead(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Member>,
    IdPath(id): IdPath,
    IfMatch(if_match): IfMatch,
) -> ApiResult<StatusCode> {
    s.store
        .delete_lead(user.workspace_id, user.actor(), id, if_match)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
