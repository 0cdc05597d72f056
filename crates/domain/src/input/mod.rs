//! Request bodies as clients send them, and their validation into domain values.
//! Enum fields arrive as strings so an unknown value is a 422 naming the field, not a
//! parse failure; `Patch<T>` tells an omitted field from an explicit `null`.
//!
//! One module per resource; everything is re-exported here, so a type's path is
//! `kandid_domain::input::Name` whichever file holds it.

mod auth;
mod campaigns;
mod leads;
mod team;
mod tokens;

pub use auth::{LoginInput, NewAccount, RegisterInput, SwitchInput};
pub use campaigns::{
    CampaignInput, CampaignPatch, NewCampaign, NewCampaignInput, SequenceInput, StepInput,
};
pub use leads::{LeadInput, LeadPatch, NewLead, NewLeadInput};
pub use team::{AcceptInput, InvitationInput, RoleInput};
pub use tokens::{NewToken, TokenInput};

pub use crate::limits::{
    DESCRIPTION_MAX, EMAIL_MAX, NAME_MAX, NOTES_MAX, PASSWORD_MAX, PASSWORD_MIN, SHORT_TEXT_MAX,
    TOKEN_MAX_DAYS, URL_MAX,
};

use crate::status::Role;
use crate::validate::Validator;
use serde::{Deserialize, Deserializer};

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

pub(crate) fn optional_patch(
    v: &mut Validator,
    field: &str,
    p: Patch<&String>,
    max: usize,
) -> Change<String> {
    match p {
        Patch::Omitted => None,
        Patch::Null => Some(None),
        Patch::Value(s) => Some(v.optional_text(field, Some(s), max)),
    }
}

pub(crate) fn parse_enum<T: std::str::FromStr<Err = crate::status::UnknownVariant>>(
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

/// A field that may be omitted but not cleared: `null` is an error, a value goes to `check`.
pub(crate) fn non_null<T, U>(
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

pub(crate) fn required_patch(
    v: &mut Validator,
    field: &str,
    p: Patch<&String>,
    max: usize,
) -> Option<String> {
    non_null(v, field, p, |v, s| v.text(field, s, 1, max))
}

pub(crate) fn required_role(v: &mut Validator, field: &str, role: Option<&str>) -> Option<Role> {
    match role {
        None => {
            v.push(field, "required", "is required");
            None
        }
        Some(s) => parse_enum::<Role>(v, field, s),
    }
}

/// `T`'s object schema with more required fields and some properties replaced.
pub(crate) fn stricter<T: utoipa::PartialSchema>(
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
