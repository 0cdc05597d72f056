//! Bodies of a workspace's membership: invitations, their acceptance, members' roles.

use super::required_role;
use crate::status::Role;
use crate::validate::{FieldError, Validator};
use serde::Deserialize;
use utoipa::ToSchema;

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
