//! Limits of request fields, in one place: validation (`input`, `validate`) enforces them
//! and the OpenAPI schemas (`schema`) document them, so both read the same numbers.

/// A name (of a person, campaign, workspace, token), in characters.
pub const NAME_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 2000;
/// A company or a title, in characters.
pub const SHORT_TEXT_MAX: usize = 200;
pub const NOTES_MAX: usize = 8000;
/// Longest `linkedin_url`: even in 4-byte characters it fits a PostgreSQL index entry.
pub const URL_MAX: usize = 500;
/// Longest e-mail address (RFC 5321's path limit less the angle brackets).
pub const EMAIL_MAX: usize = 254;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 256;
/// Longest life of an integration token, in days.
pub const TOKEN_MAX_DAYS: i64 = 3650;
/// Most steps in a campaign's sequence.
pub const MAX_STEPS: usize = 20;
/// Longest wait before a step, in hours (90 days).
pub const MAX_DELAY_HOURS: i64 = 2160;
/// Longest step template, in characters.
pub const MAX_TEMPLATE_CHARS: usize = 8000;
