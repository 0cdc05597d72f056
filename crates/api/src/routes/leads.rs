//! `/api/leads` and `/api/campaigns/{id}/leads/import`.

use super::{ListResponse, entity};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{
    AppJson, AppQuery, AuthUser, IdPath, IfMatch, Member, RequireRole, page_request,
};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use kandid_domain::input::{LeadInput, NewLead, NewLeadInput, Patch};
use kandid_domain::validate::search_text;
use kandid_domain::views::LeadView;
use kandid_domain::{ConnectionStatus, LeadStatus};
use kandid_store::LeadFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// Most rows one import may carry.
pub const MAX_IMPORT_ROWS: usize = 100_000;
/// Body limit of imports.
pub const MAX_IMPORT_BYTES: usize = 50 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_leads, create_lead))
        .routes(routes!(get_lead, put_lead, patch_lead, delete_lead))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import_leads))
                .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        )
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
) -> ApiResult<axum::Json<ListResponse<LeadView>>> {
    let page = page_request(q.limit, q.sort.as_deref(), q.cursor.as_deref())?;
    let filter = LeadFilter {
        campaign_id: q.campaign_id,
        status: q.status,
        connection_status: q.connection_status,
        q: search_text(q.q).map_err(ApiError::BadRequest)?,
    };
    Ok(axum::Json(
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
    if_match: Option<i64>,
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

/// An invalid import row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RowError {
    /// 1 for the first data row.
    pub row: u64,
    pub field: String,
    pub message: String,
}

/// Result of an import.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    pub created: u64,
    /// Rows duplicating an e-mail or LinkedIn URL already in the campaign or earlier in the file.
    pub skipped: u64,
    pub errors: Vec<RowError>,
}

/// Import leads into a campaign
///
/// Body: a JSON array of lead objects, or `text/csv` with a header row (columns `name`,
/// `email`, `company`, `title`, `linkedin_url`, `status`, `connection_status`, `notes`;
/// others are ignored). Up to 100 000 rows and 50 MiB, in one transaction. Valid rows are
/// created, duplicates skipped, invalid rows reported.
#[utoipa::path(post, path = "/api/campaigns/{id}/leads/import", tag = "leads",
    params(("id" = Uuid, Path)),
    request_body(content(
        (ImportRows = "application/json"),
        (CsvImport = "text/csv", example = "name,email,company\nAda Lovelace,ada@example.com,Analytical Engines\n"),
    )),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ImportResult),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem),
    ))]
async fn import_leads(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Member>,
    IdPath(campaign_id): IdPath,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<axum::Json<ImportResult>> {
    let body = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(format!(
                "imports are limited to {} MiB",
                MAX_IMPORT_BYTES / 1024 / 1024
            ))
        } else {
            ApiError::BadRequest(r.body_text())
        }
    })?;
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mime = ct
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    // Parsing and validating 100 000 rows takes long enough to stall an async worker (and
    // every request it serves): it runs on the blocking pool.
    let (valid, errors) =
        tokio::task::spawn_blocking(move || parse_import(&mime, &body, campaign_id))
            .await
            .map_err(|e| ApiError::Internal(format!("import parsing failed: {e}")))??;
    let out = s
        .store
        .import_leads(user.workspace_id, user.actor(), campaign_id, valid)
        .await?;
    Ok(axum::Json(ImportResult {
        created: out.created,
        skipped: out.skipped,
        errors,
    }))
}

/// The documented JSON body of an import: an array of rows, each a lead (`LeadInput`); a
/// row that is not one is not refused but reported in `errors` under its row number.
pub struct ImportRows;

impl utoipa::PartialSchema for ImportRows {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder, ObjectBuilder, SchemaType};
        let row = AnyOfBuilder::new()
            .item(utoipa::openapi::Ref::from_schema_name("LeadInput"))
            .item(
                ObjectBuilder::new()
                    .schema_type(SchemaType::AnyValue)
                    .description(Some("Anything else: reported in `errors` as its row.")),
            );
        ArrayBuilder::new()
            .items(row)
            .description(Some(format!(
                "Up to {MAX_IMPORT_ROWS} rows: leads of the campaign in the path (their own `campaign_id` is ignored)."
            )))
            .into()
    }
}

impl utoipa::ToSchema for ImportRows {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        schemas.push((
            "LeadInput".into(),
            <LeadInput as utoipa::PartialSchema>::schema(),
        ));
        <LeadInput as utoipa::ToSchema>::schemas(schemas);
    }
}

/// The documented CSV body of an import: text whose first line names the columns. Any
/// text is taken; rows that are not valid leads are reported in `errors`.
pub struct CsvImport;

impl utoipa::PartialSchema for CsvImport {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        // No `type`: on the wire every body is text, so there is no "wrong type" of CSV.
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::SchemaType::AnyValue)
            .description(Some(
                "CSV text with a header row; up to 100 000 data rows. Rows that are not valid leads are reported in `errors`.",
            ))
            .into()
    }
}

impl utoipa::ToSchema for CsvImport {}

/// Parses an import body and validates its rows: the valid leads, and one error per invalid
/// field of the others.
fn parse_import(
    mime: &str,
    body: &[u8],
    campaign_id: uuid::Uuid,
) -> ApiResult<(Vec<NewLead>, Vec<RowError>)> {
    let rows: Vec<Result<LeadInput, RowError>> = match mime {
        "application/json" => parse_json_rows(body)?,
        "text/csv" => parse_csv_rows(body)?,
        _ => {
            return Err(ApiError::UnsupportedMediaType(
                "expected application/json or text/csv".into(),
            ));
        }
    };
    if rows.len() > MAX_IMPORT_ROWS {
        return Err(ApiError::PayloadTooLarge(format!(
            "an import has at most {MAX_IMPORT_ROWS} rows"
        )));
    }
    let mut errors = Vec::new();
    let mut valid: Vec<NewLead> = Vec::with_capacity(rows.len());
    // One entry per invalid field, so a row with several problems names all of them.
    for (i, r) in rows.into_iter().enumerate() {
        let row = i as u64 + 1;
        match r.map(|input| input.validate_new(Some(campaign_id))) {
            Ok(Ok(lead)) => valid.push(lead),
            Ok(Err(field_errors)) => errors.extend(field_errors.into_iter().map(|e| RowError {
                row,
                field: e.field,
                message: e.message,
            })),
            Err(e) => errors.push(RowError { row, ..e }),
        }
    }
    Ok((valid, errors))
}

fn parse_json_rows(body: &[u8]) -> ApiResult<Vec<Result<LeadInput, RowError>>> {
    let values: Vec<serde_json::Value> = serde_json::from_slice(body)
        .map_err(|e| ApiError::BadRequest(format!("expected a JSON array of leads: {e}")))?;
    if values.len() > MAX_IMPORT_ROWS {
        return Err(ApiError::PayloadTooLarge(format!(
            "an import has at most {MAX_IMPORT_ROWS} rows"
        )));
    }
    Ok(values.into_iter().map(json_row).collect())
}

/// One JSON row: an object of lead fields. A row of the wrong shape names the field at fault,
/// or `row` when the row itself is not an object.
fn json_row(v: serde_json::Value) -> Result<LeadInput, RowError> {
    let field = match &v {
        serde_json::Value::Object(m) => LEAD_COLUMNS
            .iter()
            .find(|f| m.get(**f).is_some_and(|x| !x.is_string() && !x.is_null()))
            .map_or("row", |f| f),
        _ => {
            return Err(RowError {
                row: 0,
                field: "row".into(),
                message: "expected a JSON object".into(),
            });
        }
    };
    serde_json::from_value::<LeadInput>(v).map_err(|e| RowError {
        row: 0,
        field: field.to_owned(),
        message: e.to_string(),
    })
}

/// The lead fields an import reads, as JSON keys and CSV columns.
const LEAD_COLUMNS: [&str; 8] = [
    "name",
    "email",
    "company",
    "title",
    "linkedin_url",
    "status",
    "connection_status",
    "notes",
];

fn parse_csv_rows(body: &[u8]) -> ApiResult<Vec<Result<LeadInput, RowError>>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(body);
    let headers = reader
        .headers()
        .map_err(|e| ApiError::BadRequest(format!("unreadable CSV header: {e}")))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
    };
    let cols = LEAD_COLUMNS.map(column);
    let mut rows = Vec::new();
    for record in reader.records() {
        if rows.len() >= MAX_IMPORT_ROWS {
            return Err(ApiError::PayloadTooLarge(format!(
                "an import has at most {MAX_IMPORT_ROWS} rows"
            )));
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                rows.push(Err(RowError {
                    row: 0,
                    field: "row".into(),
                    message: format!("unreadable CSV row: {e}"),
                }));
                continue;
            }
        };
        let cell = |i: Option<usize>| -> Patch<String> {
            match i.and_then(|i| record.get(i)).filter(|v| !v.is_empty()) {
                Some(v) => Patch::Value(v.to_owned()),
                None => Patch::Omitted,
            }
        };
        let [
            name,
            email,
            company,
            title,
            linkedin_url,
            status,
            connection_status,
            notes,
        ] = cols.map(cell);
        rows.push(Ok(LeadInput {
            campaign_id: Patch::Omitted,
            name,
            email,
            company,
            title,
            linkedin_url,
            status,
            connection_status,
            notes,
        }));
    }
    Ok(rows)
}
