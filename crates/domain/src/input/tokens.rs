//! The body that mints an integration token.

use super::{JsonInt, required_role};
use crate::limits::{NAME_MAX, TOKEN_MAX_DAYS};
use crate::status::Role;
use crate::validate::{FieldError, Validator};
use serde::Deserialize;
use utoipa::ToSchema;

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
