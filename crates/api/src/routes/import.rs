//! `/api/campaigns/{id}/leads/import`: many leads at once, from a JSON array or CSV, with
//! a larger body limit than other requests.

use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{IdPath, Member, RequireRole};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use kandid_domain::input::{LeadInput, NewLead, Patch};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// Most rows one import may carry.
pub const MAX_IMPORT_ROWS: usize = 100_000;
/// Body limit of imports.
pub const MAX_IMPORT_BYTES: usize = 50 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_leads))
        .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES))
}

/// What an import body is, by its `Content-Type` (parameters such as `charset` aside).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
}

impl Format {
    /// `None` when the type is missing, unreadable or neither JSON nor CSV.
    fn of(headers: &HeaderMap) -> Option<Self> {
        let mime: mime::Mime = headers
            .get(header::CONTENT_TYPE)?
            .to_str()
            .ok()?
            .parse()
            .ok()?;
        match (mime.type_(), mime.subtype()) {
            (mime::APPLICATION, mime::JSON) => Some(Format::Json),
            (mime::TEXT, mime::CSV) => Some(Format::Csv),
            _ => None,
        }
    }
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
/// others are ignored). Up to 100 000 rows and 50 MiB, all or nothing: no row is visible
/// and no event sent until every created row is in. Valid rows are
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
    let format = Format::of(&headers).ok_or_else(|| {
        ApiError::UnsupportedMediaType("expected application/json or text/csv".into())
    })?;
    // Parsing and validating 100 000 rows takes long enough to stall an async worker (and
    // every request it serves): it runs on the blocking pool.
    let (valid, errors) =
        tokio::task::spawn_blocking(move || parse_import(format, &body, campaign_id))
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
    format: Format,
    body: &[u8],
    campaign_id: Uuid,
) -> ApiResult<(Vec<NewLead>, Vec<RowError>)> {
    let rows: Vec<Result<LeadInput, RowError>> = match format {
        Format::Json => parse_json_rows(body)?,
        Format::Csv => parse_csv_rows(body)?,
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
    // The array is split into its rows' text, and each row read straight into a lead: no
    // tree of values for the whole body (the largest allocation of an import otherwise).
    let rows: Vec<&serde_json::value::RawValue> = serde_json::from_slice(body)
        .map_err(|e| ApiError::BadRequest(format!("expected a JSON array of leads: {e}")))?;
    if rows.len() > MAX_IMPORT_ROWS {
        return Err(ApiError::PayloadTooLarge(format!(
            "an import has at most {MAX_IMPORT_ROWS} rows"
        )));
    }
    Ok(rows.into_iter().map(json_row).collect())
}

/// One JSON row: an object of lead fields. A row of the wrong shape names the field at fault,
/// or `row` when the row itself is not an object.
fn json_row(raw: &serde_json::value::RawValue) -> Result<LeadInput, RowError> {
    match serde_json::from_str::<LeadInput>(raw.get()) {
        Ok(input) => Ok(input),
        // Only a bad row is read again, as a value, to find the field at fault; its text is
        // valid JSON, since the array's was.
        Err(_) => match serde_json::from_str::<serde_json::Value>(raw.get()) {
            Ok(v) => json_value_row(v),
            Err(e) => Err(RowError {
                row: 0,
                field: "row".into(),
                message: e.to_string(),
            }),
        },
    }
}

/// A JSON row read as a value: the lead it holds (a repeated key keeps its last value), or
/// the field at fault.
fn json_value_row(v: serde_json::Value) -> Result<LeadInput, RowError> {
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
