//! OpenAPI schemas of request fields, exactly as strict as their validation: lengths in
//! characters, text that is trimmed (so blank means empty), no NUL, e-mail and URL shapes.
//! Request types refer to these with `#[schema(schema_with = ...)]`.

use crate::limits;
use utoipa::openapi::schema::{
    AnyOfBuilder, ArrayBuilder, ArrayItems, KnownFormat, ObjectBuilder, OneOfBuilder, Schema,
    SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr};

/// The characters `str::trim` removes (Unicode `White_Space`), as a regex class body.
const WS: &str = r"\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// Text with at least one character that is not whitespace, and no NUL.
fn nonblank_pattern() -> String {
    format!(r"^[^\u0000]*[^\u0000{WS}][^\u0000]*$")
}

/// Any text without NUL (no text column can hold it).
const NO_NUL: &str = r"^[^\u0000]*$";

/// Blank text: an optional field sent as `""` or whitespace is cleared.
fn blank_pattern() -> String {
    format!("^[{WS}]*$")
}

fn string(nullable: bool) -> ObjectBuilder {
    let ty = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::Type(Type::String)
    };
    ObjectBuilder::new().schema_type(ty)
}

/// Required or non-clearable text of 1..=`max` characters after trimming.
#[must_use]
pub fn text(max: usize) -> Schema {
    string(false)
        .min_length(Some(1))
        .max_length(Some(max))
        .pattern(Some(nonblank_pattern()))
        .into()
}

/// Optional text of at most `max` characters; `null` or blank clears it.
#[must_use]
pub fn optional_text(max: usize) -> Schema {
    string(true)
        .max_length(Some(max))
        .pattern(Some(NO_NUL))
        .into()
}

pub fn name() -> Schema {
    text(limits::NAME_MAX)
}

pub fn description() -> Schema {
    optional_text(limits::DESCRIPTION_MAX)
}

pub fn short_text() -> Schema {
    optional_text(limits::SHORT_TEXT_MAX)
}

pub fn notes() -> Schema {
    optional_text(limits::NOTES_MAX)
}

pub fn template() -> Schema {
    optional_text(limits::MAX_TEMPLATE_CHARS)
}

/// An e-mail address (at most 254 characters).
fn email_object() -> ObjectBuilder {
    string(false)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Email)))
        .max_length(Some(limits::EMAIL_MAX))
}

/// A required e-mail address.
pub fn email() -> Schema {
    email_object().into()
}

/// An optional e-mail address: `null` or blank clears it.
pub fn optional_email() -> Schema {
    AnyOfBuilder::new()
        .item(email_object())
        .item(string(false).pattern(Some(blank_pattern())))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some("An e-mail address; `null` or blank clears it."))
        .into()
}

/// A port number, 0–65535.
const PORT: &str =
    "([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";

/// An optional http(s) URL of at most 500 characters: `null` or blank clears it. The
/// pattern shows the usual shape; `validate::is_http_url` is the check.
pub fn optional_url() -> Schema {
    let url = string(false)
        .max_length(Some(limits::URL_MAX))
        .pattern(Some(format!(
            r"^https?://[A-Za-z0-9.-]+(:{PORT})?([/?#][^\u0000{WS}]*)?$"
        )));
    AnyOfBuilder::new()
        .item(url)
        .item(string(false).pattern(Some(blank_pattern())))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some(
            "An http(s) URL of at most 500 characters; `null` or blank clears it.",
        ))
        .into()
}

/// The e-mail given at sign-in: whatever was registered, so only its length is checked.
pub fn login_email() -> Schema {
    text(limits::EMAIL_MAX)
}

/// An invitation token as handed out (opaque).
pub fn invitation_token() -> Schema {
    text(200)
}

/// A UUID or `null`.
pub fn optional_uuid() -> Schema {
    AnyOfBuilder::new()
        .item(string(false).format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid))))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .into()
}

/// A password: 8–256 characters.
pub fn password() -> Schema {
    string(false)
        .min_length(Some(limits::PASSWORD_MIN))
        .max_length(Some(limits::PASSWORD_MAX))
        .into()
}

/// A password as typed at sign-in: anything but empty.
pub fn login_password() -> Schema {
    string(false).min_length(Some(1)).into()
}

/// An integer in `min..=max`; `nullable` when `null` means "none".
pub fn integer(min: i64, max: i64, nullable: bool) -> Schema {
    let ty = if nullable {
        SchemaType::from_iter([Type::Integer, Type::Null])
    } else {
        SchemaType::Type(Type::Integer)
    };
    ObjectBuilder::new()
        .schema_type(ty)
        .minimum(Some(min))
        .maximum(Some(max))
        .into()
}

pub fn daily_limit() -> Schema {
    integer(1, 1000, false)
}

pub fn delay_hours() -> Schema {
    integer(0, limits::MAX_DELAY_HOURS, false)
}

pub fn expires_in_days() -> Schema {
    integer(1, limits::TOKEN_MAX_DAYS, true)
}

/// The steps of a sequence: at most 20.
fn steps_array(nullable: bool) -> Schema {
    let items = RefOr::Ref(utoipa::openapi::Ref::from_schema_name("StepInput"));
    let mut array = ArrayBuilder::new()
        .items(items)
        .max_items(Some(limits::MAX_STEPS));
    if nullable {
        array = array.schema_type(SchemaType::from_iter([Type::Array, Type::Null]));
    }
    array.into()
}

pub fn steps() -> Schema {
    steps_array(false)
}

/// A campaign's sequence on create or update; `null` empties it.
pub fn optional_steps() -> Schema {
    steps_array(true)
}

/// The status a campaign may be created with.
pub fn initial_status() -> Schema {
    string(false)
        .enum_values(Some(["draft", "active"]))
        .description(Some("`draft` (default) or `active`."))
        .into()
}

/// What an event carries: the entity as the REST API returns it at that commit, or null on
/// delete and bulk actions. Which entity follows from the event's `type`.
pub fn event_data() -> Schema {
    OneOfBuilder::new()
        .item(Ref::from_schema_name("CampaignView"))
        .item(Ref::from_schema_name("LeadView"))
        .item(Ref::from_schema_name("MemberView"))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some(
            "The entity as the REST API returned it at that commit: a `CampaignView` for \
             `campaigns_updated`, a `LeadView` for `leads_updated`, a `MemberView` for \
             `members_updated`; null on delete and bulk actions.",
        ))
        .into()
}

/// An activity's changes: each field that changed, with its `[old, new]` values (`null`
/// where the field had or has none: a creation is `[null, value]`, a deletion
/// `[value, null]`; a bulk action counts, e.g. `{"created": [null, 120]}`).
pub fn activity_changes() -> Schema {
    let any = || ObjectBuilder::new().schema_type(SchemaType::AnyValue);
    let pair = ArrayBuilder::new()
        .prefix_items([any(), any()])
        .items(ArrayItems::False)
        .min_items(Some(2));
    ObjectBuilder::new()
        .additional_properties(Some(pair))
        .description(Some(
            "Each field that changed, with its `[old, new]` values: `[null, value]` on \
             creation, `[value, null]` on deletion; a bulk action counts rows, e.g. \
             `{\"created\": [null, 120], \"skipped\": [null, 3]}`.",
        ))
        .into()
}
