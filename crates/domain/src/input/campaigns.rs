//! Campaign bodies: a campaign's fields, its sequence and the steps in it.

use super::{
    Change, JsonInt, Patch, non_null, optional_patch, parse_enum, required_patch, stricter,
};
use crate::limits::{DESCRIPTION_MAX, MAX_DELAY_HOURS, MAX_STEPS, MAX_TEMPLATE_CHARS, NAME_MAX};
use crate::status::{CampaignStatus, StepKind};
use crate::validate::{FieldError, Validator};
use crate::views::Step;
use serde::Deserialize;
use utoipa::ToSchema;

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
