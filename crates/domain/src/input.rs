//! Request bodies as clients send them, and their validation into domain values.
//! Enum fields arrive as strings so an unknown value is a 422 naming the field, not a
//! parse failure; `Patch<T>` tells an omitted field from an explicit `null`.

use crate::limits::{MAX_DELAY_HOURS, MAX_STEPS, MAX_TEMPLATE_CHARS};
use crate::status::{CampaignStatus, ConnectionStatus, LeadStatus, Role, StepKind};
use crate::validate::{FieldError, Validator};
use crate::views::Step;
use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;
use uuid::Uuid;

pub use crate::limits::{
    DESCRIPTION_MAX, EMAIL_MAX, NAME_MAX, NOTES_MAX, PASSWORD_MAX, PASSWORD_MIN, SHORT_TEXT_MAX,
    TOKEN_MAX_DAYS, URL_MAX,
};

/// A field of a partial update: omitted, explicitly `null`, or a value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Patch<T> {
    #[default]
    Omitted,
    Null,
    Value(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(d)? {
            Some(v) => Patch::Value(v),
            None => Patch::Null,
        })
    }
}

impl<T> Patch<T> {
    pub fn as_ref(&self) -> Patch<&T> {
        match self {
            Patch::Omitted => Patch::Omitted,
            Patch::Null => Patch::Null,
            Patch::Value(v) => Patch::Value(v),
        }
    }
}

/// A JSON integer. JSON Schema's `integer` is any number without a fractional part, so
/// `50.0` is read as 50; `50.5`, or a number outside `i64`, is a wrong type (400).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonInt(pub i64);

impl<'de> Deserialize<'de> for JsonInt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = JsonInt;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an integer")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<JsonInt, E> {
                Ok(JsonInt(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<JsonInt, E> {
                i64::try_from(v)
                    .map(JsonInt)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
            }
            #[allow(clippy::cast_possible_truncation, clippy::float_cmp)]
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<JsonInt, E> {
                // -2^63 and 2^63 are exact in f64; `as` saturates, so check the range first.
                const LIMIT: f64 = 9_223_372_036_854_775_808.0;
                if v.fract() == 0.0 && (-LIMIT..LIMIT).contains(&v) {
                    Ok(JsonInt(v as i64))
                } else {
                    Err(E::invalid_type(serde::de::Unexpected::Float(v), &self))
                }
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A validated change to an optional field: `None` = unchanged, `Some(None)` = cleared.
pub type Change<T> = Option<Option<T>>;

fn optional_patch(v: &mut Validator, field: &str, p: Patch<&String>, max: usize) -> Change<String> {
    match p {
        Patch::Omitted => None,
        Patch::Null => Some(None),
        Patch::Value(s) => Some(v.optional_text(field, Some(s), max)),
    }
}

fn parse_enum<T: std::str::FromStr<Err = crate::status::UnknownVariant>>(
    v: &mut Validator,
    field: &str,
    s: &str,
) -> Option<T> {
    match s.parse() {
        Ok(x) => Some(x),
        Err(e) => {
            v.push(field, "invalid_value", e.to_string());
            None
        }
    }
}

/// One step as sent by a client.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(try_from = "serde_json::Map<String, serde_json::Value>")]
pub struct StepInput {
    // Required fields are read as optional so that a missing one is reported (422) with
    // the step's other errors.
    #[schema(value_type = StepKind, required = true)]
    pub kind: Option<String>,
    /// Hours to wait before the step, 0–2160.
    #[schema(required = true, schema_with = crate::schema::delay_hours)]
    pub delay_hours: Option<JsonInt>,
    /// At most 8000 characters.
    #[schema(schema_with = crate::schema::template)]
    pub template: Option<String>,
}

/// A step must be a JSON object: serde alone would also read it from an array of values.
impl TryFrom<serde_json::Map<String, serde_json::Value>> for StepInput {
    type Error = serde_json::Error;

    fn try_from(m: serde_json::Map<String, serde_json::Value>) -> Result<Self, Self::Error> {
        #[derive(Deserialize)]
        struct Fields {
            kind: Option<String>,
            delay_hours: Option<JsonInt>,
            template: Option<String>,
        }
        let f: Fields = serde_json::from_value(serde_json::Value::Object(m))?;
        Ok(StepInput {
            kind: f.kind,
            delay_hours: f.delay_hours,
            template: f.template,
        })
    }
}

fn validate_steps(v: &mut Validator, field: &str, steps: &[StepInput]) -> Vec<Step> {
    if steps.len() > MAX_STEPS {
        v.push(field, "too_many", format!("at most {MAX_STEPS} steps"));
    }
    let mut out = Vec::with_capacity(steps.len());
    for (i, s) in steps.iter().enumerate() {
        let f = |name: &str| format!("{field}[{i}].{name}");
        let kind = match &s.kind {
            None => {
                v.push(f("kind"), "required", "is required");
                None
            }
            Some(k) => parse_enum::<StepKind>(v, &f("kind"), k),
        };
        // Required like `kind`: a step without a delay is a client's mistake, not "at once".
        let delay = match s.delay_hours {
            None => {
                v.push(f("delay_hours"), "required", "is required");
                None
            }
            Some(JsonInt(d)) => v.range(&f("delay_hours"), d, 0, MAX_DELAY_HOURS),
        };
        let template = match &s.template {
            Some(t) if !v.printable(&f("template"), t) => None,
            Some(t) if t.chars().count() > MAX_TEMPLATE_CHARS => {
                v.push(
                    f("template"),
                    "too_long",
                    format!("must have at most {MAX_TEMPLATE_CHARS} characters"),
                );
                None
            }
            Some(t) if !t.is_empty() => Some(t.clone()),
            _ => None,
        };
        if let (Some(kind), Some(delay_hours)) = (kind, delay) {
            out.push(Step {
                kind,
                delay_hours,
                template,
            });
        }
    }
    out
}

/// Body of `PUT /api/campaigns/{id}/sequence`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SequenceInput {
    /// At most 20 steps, in order.
    #[schema(required = true, schema_with = crate::schema::steps)]
    pub steps: Option<Vec<StepInput>>,
}

impl SequenceInput {
    pub fn validate(&self) -> Result<Vec<Step>, Vec<FieldError>> {
        let mut v = Validator::new();
        let steps = match &self.steps {
            None => {
                v.push("steps", "required", "is required");
                Vec::new()
            }
            Some(s) => validate_steps(&mut v, "steps", s),
        };
        v.finish(steps)
    }
}

/// Campaign fields as sent on create and on partial update (PUT and PATCH). Read-only
/// fields such as `id`, `stats` or `version` are accepted and ignored.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CampaignInput {
    /// 1–200 characters.
    #[schema(schema_with = crate::schema::name)]
    #[serde(default)]
    pub name: Patch<String>,
    /// At most 2000 characters; `null` or blank clears it.
    #[schema(schema_with = crate::schema::description)]
    #[serde(default)]
    pub description: Patch<String>,
    /// Changes follow the status state machine (409 `invalid_transition` otherwise).
    #[schema(value_type = CampaignStatus)]
    #[serde(default)]
    pub status: Patch<String>,
    /// 1–1000, default 50.
    #[schema(schema_with = crate::schema::daily_limit)]
    #[serde(default)]
    pub daily_limit: Patch<JsonInt>,
    /// At most 20 steps; `null` empties the sequence.
    #[schema(schema_with = crate::schema::optional_steps)]
    #[serde(default)]
    pub sequence: Patch<Vec<StepInput>>,
}

/// The documented body of a campaign's creation: `CampaignInput` with `name` required and
/// only the initial statuses. (The body is read as `CampaignInput`, so that whatever is
/// wrong is a 422 naming the field.)
pub struct NewCampaignInput;

/// The documented body of a lead's creation: `LeadInput` with `campaign_id` and `name`
/// required.
pub struct NewLeadInput;

/// `T`'s object schema with more required fields and some properties replaced.
fn stricter<T: utoipa::PartialSchema>(
    required: &[&str],
    replace: &[(&str, utoipa::openapi::schema::Schema)],
    description: &str,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::Schema;
    let mut schema = T::schema();
    if let RefOr::T(Schema::Object(obj)) = &mut schema {
        for name in required {
            if !obj.required.iter().any(|r| r == name) {
                obj.required.push((*name).to_owned());
            }
        }
        for (name, s) in replace {
            obj.properties
                .insert((*name).to_owned(), RefOr::T(s.clone()));
        }
        obj.description = Some(description.to_owned());
    }
    schema
}

impl utoipa::PartialSchema for NewCampaignInput {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        stricter::<CampaignInput>(
            &["name"],
            &[("status", crate::schema::initial_status())],
            "A new campaign. Read-only fields such as `id`, `stats` or `version` are accepted and ignored.",
        )
    }
}

impl ToSchema for NewCampaignInput {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        <CampaignInput as ToSchema>::schemas(schemas);
    }
}

impl utoipa::PartialSchema for NewLeadInput {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        stricter::<LeadInput>(
            &["campaign_id", "name"],
            &[],
            "A new lead. Read-only fields such as `id` or `version` are accepted and ignored.",
        )
    }
}

impl ToSchema for NewLeadInput {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        <LeadInput as ToSchema>::schemas(schemas);
    }
}

#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub name: String,
    pub description: Option<String>,
    pub status: CampaignStatus,
    pub daily_limit: i64,
    pub sequence: Vec<Step>,
}

#[derive(Debug, Clone, Default)]
pub struct CampaignPatch {
    pub name: Option<String>,
    pub description: Change<String>,
    pub status: Option<CampaignStatus>,
    pub daily_limit: Option<i64>,
    pub sequence: Option<Vec<Step>>,
}

/// A field that may be omitted but not cleared: `null` is an error, a value goes to `check`.
fn non_null<T, U>(
    v: &mut Validator,
    field: &str,
    p: Patch<T>,
    check: impl FnOnce(&mut Validator, T) -> Option<U>,
) -> Option<U> {
    match p {
        Patch::Omitted => None,
        Patch::Null => {
            v.push(field, "required", "may not be null");
            None
        }
        Patch::Value(x) => check(v, x),
    }
}

fn required_patch(v: &mut Validator, field: &str, p: Patch<&String>, max: usize) -> Option<String> {
    non_null(v, field, p, |v, s| v.text(field, s, 1, max))
}

impl CampaignInput {
    pub fn validate_new(&self) -> Result<NewCampaign, Vec<FieldError>> {
        let mut v = Validator::new();
        let name = match self.name.as_ref() {
            Patch::Value(n) => v.text("name", n, 1, NAME_MAX),
            _ => {
                v.push("name", "required", "is required");
                None
            }
        };
        let patch = self.validate_fields(&mut v);
        let status = patch.status.unwrap_or(CampaignStatus::Draft);
        if !status.is_initial() {
            v.push(
                "status",
                "invalid_value",
                "a campaign is created as draft or active",
            );
        }
        let c = NewCampaign {
            name: name.unwrap_or_default(),
            description: patch.description.flatten(),
            status,
            daily_limit: patch.daily_limit.unwrap_or(50),
            sequence: patch.sequence.unwrap_or_default(),
        };
        v.finish(c)
    }

    pub fn validate_patch(&self) -> Result<CampaignPatch, Vec<FieldError>> {
        let mut v = Validator::new();
        let mut patch = self.validate_fields(&mut v);
        patch.name = required_patch(&mut v, "name", self.name.as_ref(), NAME_MAX);
        v.finish(patch)
    }

    fn validate_fields(&self, v: &mut Validator) -> CampaignPatch {
        let status = non_null(v, "status", self.status.as_ref(), |v, s| {
            parse_enum::<CampaignStatus>(v, "status", s)
        });
        let daily_limit = non_null(v, "daily_limit", self.daily_limit.clone(), |v, n| {
            v.range("daily_limit", n.0, 1, 1000)
        });
        let sequence = match self.sequence.as_ref() {
            Patch::Omitted => None,
            Patch::Null => Some(Vec::new()),
            Patch::Value(s) => Some(validate_steps(v, "sequence", s)),
        };
        CampaignPatch {
            name: None,
            description: optional_patch(
                v,
                "description",
                self.description.as_ref(),
                DESCRIPTION_MAX,
            ),
            status,
            daily_limit,
            sequence,
        }
    }
}

/// Lead fields as sent on create and on partial update.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct LeadInput {
    /// A campaign of the workspace (422 otherwise).
    #[schema(value_type = Uuid)]
    #[serde(default)]
    pub campaign_id: Patch<String>,
    /// 1–200 characters.
    #[schema(schema_with = crate::schema::name)]
    #[serde(default)]
    pub name: Patch<String>,
    #[schema(schema_with = crate::schema::optional_email)]
    #[serde(default)]
    pub email: Patch<String>,
    /// At most 200 characters; `null` or blank clears it.
    #[schema(schema_with = crate::schema::short_text)]
    #[serde(default)]
    pub company: Patch<String>,
    /// At most 200 characters; `null` or blank clears it.
    #[schema(schema_with = crate::schema::short_text)]
    #[serde(default)]
    pub title: Patch<String>,
    #[schema(schema_with = crate::schema::optional_url)]
    #[serde(default)]
    pub linkedin_url: Patch<String>,
    #[schema(value_type = LeadStatus)]
    #[serde(default)]
    pub status: Patch<String>,
    #[schema(value_type = ConnectionStatus)]
    #[serde(default)]
    pub connection_status: Patch<String>,
    /// At most 8000 characters; `null` or blank clears it.
    #[schema(schema_with = crate::schema::notes)]
    #[serde(default)]
    pub notes: Patch<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewLead {
    pub campaign_id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub linkedin_url: Option<String>,
    pub status: LeadStatus,
    pub connection_status: ConnectionStatus,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct LeadPatch {
    pub campaign_id: Option<Uuid>,
    pub name: Option<String>,
    pub email: Change<String>,
    pub company: Change<String>,
    pub title: Change<String>,
    pub linkedin_url: Change<String>,
    pub status: Option<LeadStatus>,
    pub connection_status: Option<ConnectionStatus>,
    pub notes: Change<String>,
}

impl LeadInput {
    /// Validates a new lead. `campaign_id` may be supplied by the path (imports).
    pub fn validate_new(&self, campaign_id: Option<Uuid>) -> Result<NewLead, Vec<FieldError>> {
        let mut v = Validator::new();
        let p = self.validate_fields(&mut v);
        let name = match self.name.as_ref() {
            Patch::Value(n) => v.text("name", n, 1, NAME_MAX),
            _ => {
                v.push("name", "required", "is required");
                None
            }
        };
        let campaign = campaign_id.or(p.campaign_id);
        if campaign.is_none() && !v.has("campaign_id") {
            v.push("campaign_id", "required", "is required");
        }
        let lead = NewLead {
            campaign_id: campaign.unwrap_or_default(),
            name: name.unwrap_or_default(),
            email: p.email.flatten(),
            company: p.company.flatten(),
            title: p.title.flatten(),
            linkedin_url: p.linkedin_url.flatten(),
            status: p.status.unwrap_or(LeadStatus::Pending),
            connection_status: p
                .connection_status
                .unwrap_or(ConnectionStatus::NotConnected),
            notes: p.notes.flatten(),
        };
        v.finish(lead)
    }

    pub fn validate_patch(&self) -> Result<LeadPatch, Vec<FieldError>> {
        let mut v = Validator::new();
        let mut p = self.validate_fields(&mut v);
        p.name = required_patch(&mut v, "name", self.name.as_ref(), NAME_MAX);
        v.finish(p)
    }

    fn validate_fields(&self, v: &mut Validator) -> LeadPatch {
        let campaign_id = non_null(v, "campaign_id", self.campaign_id.as_ref(), |v, s| {
            let id = Uuid::parse_str(s.trim()).ok();
            if id.is_none() {
                v.push("campaign_id", "not_found", "no such campaign");
            }
            id
        });
        let email = match self.email.as_ref() {
            Patch::Value(s) if !s.trim().is_empty() => Some(v.email("email", s)),
            Patch::Value(_) | Patch::Null => Some(None),
            Patch::Omitted => None,
        };
        let linkedin_url = match self.linkedin_url.as_ref() {
            Patch::Value(s) if !s.trim().is_empty() => Some(v.url("linkedin_url", s, URL_MAX)),
            Patch::Value(_) | Patch::Null => Some(None),
            Patch::Omitted => None,
        };
        let status = non_null(v, "status", self.status.as_ref(), |v, s| {
            parse_enum::<LeadStatus>(v, "status", s)
        });
        let connection_status = non_null(
            v,
            "connection_status",
            self.connection_status.as_ref(),
            |v, s| parse_enum::<ConnectionStatus>(v, "connection_status", s),
        );
        LeadPatch {
            campaign_id,
            name: None,
            email,
            company: optional_patch(v, "company", self.company.as_ref(), SHORT_TEXT_MAX),
            title: optional_patch(v, "title", self.title.as_ref(), SHORT_TEXT_MAX),
            linkedin_url,
            status,
            connection_status,
            notes: optional_patch(v, "notes", self.notes.as_ref(), NOTES_MAX),
        }
    }
}

/// Body of `POST /api/auth/register`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct RegisterInput {
    /// 1–200 characters.
    #[schema(required = true, schema_with = crate::schema::name)]
    pub name: Option<String>,
    #[schema(required = true, schema_with = crate::schema::email)]
    pub email: Option<String>,
    /// 8–256 characters.
    #[schema(required = true, schema_with = crate::schema::password)]
    pub password: Option<String>,
    /// Defaults to "<name>'s workspace" (also when blank). Ignored with `invitation`.
    #[schema(schema_with = crate::schema::short_text)]
    pub workspace_name: Option<String>,
    /// An invitation token: join its workspace with the invited role instead of creating one.
    pub invitation: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub name: String,
    pub email: String,
    pub password: String,
    pub workspace_name: String,
    pub invitation: Option<String>,
}

impl RegisterInput {
    pub fn validate(&self) -> Result<NewAccount, Vec<FieldError>> {
        let mut v = Validator::new();
        let name = v.required_text("name", self.name.as_deref(), NAME_MAX);
        let email = match self.email.as_deref() {
            None => {
                v.push("email", "required", "is required");
                None
            }
            Some(e) => v.email("email", e),
        };
        let password = match self.password.as_deref() {
            None => {
                v.push("password", "required", "is required");
                None
            }
            Some(p) if p.chars().count() < PASSWORD_MIN => {
                v.push(
                    "password",
                    "too_short",
                    format!("must have at least {PASSWORD_MIN} characters"),
                );
                None
            }
            Some(p) if p.chars().count() > PASSWORD_MAX => {
                v.push(
                    "password",
                    "too_long",
                    format!("must have at most {PASSWORD_MAX} characters"),
                );
                None
            }
            Some(p) => Some(p.to_owned()),
        };
        let workspace_name =
            v.optional_text("workspace_name", self.workspace_name.as_deref(), NAME_MAX);
        let name = name.unwrap_or_default();
        let account = NewAccount {
            workspace_name: workspace_name.unwrap_or_else(|| format!("{name}'s workspace")),
            name,
            email: email.unwrap_or_default().to_lowercase(),
            password: password.unwrap_or_default(),
            invitation: self.invitation.clone(),
        };
        v.finish(account)
    }
}

/// Body of `POST /api/auth/login`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct LoginInput {
    #[schema(required = true, schema_with = crate::schema::login_email)]
    pub email: Option<String>,
    #[schema(required = true, schema_with = crate::schema::login_password)]
    pub password: Option<String>,
    /// The workspace to sign in to; default: the user's oldest membership.
    #[schema(schema_with = crate::schema::optional_uuid)]
    pub workspace_id: Option<Uuid>,
}

impl LoginInput {
    /// Returns the normalised e-mail and the password.
    pub fn validate(&self) -> Result<(String, String), Vec<FieldError>> {
        let mut v = Validator::new();
        let email = v.required_text("email", self.email.as_deref(), EMAIL_MAX);
        if self.password.as_deref().is_none_or(str::is_empty) {
            v.push("password", "required", "is required");
        }
        v.finish((
            email.unwrap_or_default().to_lowercase(),
            self.password.clone().unwrap_or_default(),
        ))
    }
}

fn required_role(v: &mut Validator, field: &str, role: Option<&str>) -> Option<Role> {
    match role {
        None => {
            v.push(field, "required", "is required");
            None
        }
        Some(s) => parse_enum::<Role>(v, field, s),
    }
}

/// Body of `POST /api/workspace/invitations`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct InvitationInput {
    #[schema(required = true, schema_with = crate::schema::email)]
    pub email: Option<String>,
    #[schema(required = true, value_type = Role)]
    pub role: Option<String>,
}

impl InvitationInput {
    /// Returns the lower-cased e-mail and the role.
    pub fn validate(&self) -> Result<(String, Role), Vec<FieldError>> {
        let mut v = Validator::new();
        let email = match self.email.as_deref() {
            None => {
                v.push("email", "required", "is required");
                None
            }
            Some(e) => v.email("email", e),
        };
        let role = required_role(&mut v, "role", self.role.as_deref());
        v.finish((
            email.unwrap_or_default().to_lowercase(),
            role.unwrap_or(Role::Viewer),
        ))
    }
}

/// Body of `PATCH /api/workspace/members/{user_id}`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct RoleInput {
    #[schema(required = true, value_type = Role)]
    pub role: Option<String>,
}

impl RoleInput {
    pub fn validate(&self) -> Result<Role, Vec<FieldError>> {
        let mut v = Validator::new();
        let role = required_role(&mut v, "role", self.role.as_deref());
        v.finish(role.unwrap_or(Role::Viewer))
    }
}

/// Body of `POST /api/tokens`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct TokenInput {
    /// 1–200 characters.
    #[schema(required = true, schema_with = crate::schema::name)]
    pub name: Option<String>,
    /// At most the caller's own role (403 otherwise).
    #[schema(required = true, value_type = Role)]
    pub role: Option<String>,
    /// 1–3650; omitted or null: valid until revoked.
    #[schema(schema_with = crate::schema::expires_in_days)]
    pub expires_in_days: Option<JsonInt>,
}

/// A validated `TokenInput`.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub name: String,
    pub role: Role,
    pub expires_in_days: Option<i64>,
}

impl TokenInput {
    pub fn validate(&self) -> Result<NewToken, Vec<FieldError>> {
        let mut v = Validator::new();
        let name = v.required_text("name", self.name.as_deref(), NAME_MAX);
        let role = required_role(&mut v, "role", self.role.as_deref());
        let days = self
            .expires_in_days
            .and_then(|JsonInt(d)| v.range("expires_in_days", d, 1, TOKEN_MAX_DAYS));
        v.finish(NewToken {
            name: name.unwrap_or_default(),
            role: role.unwrap_or(Role::Viewer),
            expires_in_days: days,
        })
    }
}

/// Body of `POST /api/auth/switch`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SwitchInput {
    #[schema(required = true, value_type = Uuid)]
    pub workspace_id: Option<Uuid>,
}

impl SwitchInput {
    pub fn validate(&self) -> Result<Uuid, Vec<FieldError>> {
        let mut v = Validator::new();
        if self.workspace_id.is_none() {
            v.push("workspace_id", "required", "is required");
        }
        v.finish(self.workspace_id.unwrap_or_default())
    }
}

/// Body of `POST /api/invitations/accept`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AcceptInput {
    /// The invitation's token.
    #[schema(required = true, schema_with = crate::schema::invitation_token)]
    pub token: Option<String>,
}

impl AcceptInput {
    pub fn validate(&self) -> Result<String, Vec<FieldError>> {
        let mut v = Validator::new();
        let token = v.required_text("token", self.token.as_deref(), 200);
        v.finish(token.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn campaign_create_names_every_bad_field() {
        let input: CampaignInput = serde_json::from_value(serde_json::json!({
            "name": "", "status": "completed", "daily_limit": 0,
            "sequence": [{"kind": "fax", "delay_hours": 9999}]
        }))
        .unwrap_or_default();
        let errs = input.validate_new().err().unwrap_or_default();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "name",
            "status",
            "daily_limit",
            "sequence[0].kind",
            "sequence[0].delay_hours",
        ] {
            assert!(fields.contains(&f), "{f} missing in {fields:?}");
        }
    }

    #[test]
    fn patch_distinguishes_null_from_omitted() {
        let input: CampaignInput =
            serde_json::from_value(serde_json::json!({"description": null})).unwrap_or_default();
        let p = input.validate_patch().unwrap_or_default();
        assert_eq!(p.description, Some(None));
        assert_eq!(p.name, None);
    }
}
