//! Lead bodies, as created one by one, updated, or imported row by row.

use super::{Change, Patch, non_null, optional_patch, parse_enum, required_patch, stricter};
use crate::limits::{NAME_MAX, NOTES_MAX, SHORT_TEXT_MAX, URL_MAX};
use crate::status::{ConnectionStatus, LeadStatus};
use crate::validate::{FieldError, Validator};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// The documented body of a lead's creation: `LeadInput` with `campaign_id` and `name`
/// required.
pub struct NewLeadInput;

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
