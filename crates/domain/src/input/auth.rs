//! Bodies of sign-up, sign-in and switching workspaces.

use crate::limits::{EMAIL_MAX, NAME_MAX, PASSWORD_MAX, PASSWORD_MIN};
use crate::validate::{FieldError, Validator};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

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
