//! Field validation that names every bad field. Lengths count Unicode characters.

use crate::limits::EMAIL_MAX;
use serde::Serialize;
use utoipa::ToSchema;

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// Field name as sent by the client (`steps[2].kind` for nested values, `row` fields on imports).
    pub field: String,
    /// Machine-readable reason, e.g. `required`, `too_long`, `invalid_email`.
    pub code: String,
    pub message: String,
}

impl FieldError {
    #[must_use]
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// Collects field errors so one response can name all of them.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, field: impl Into<String>, code: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, code, message));
    }

    /// A required string: present, not blank, at most `max` characters. Returns it trimmed.
    pub fn required_text(
        &mut self,
        field: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        match value {
            None => {
                self.push(field, "required", "is required");
                None
            }
            Some(v) => self.text(field, v, 1, max),
        }
    }

    /// A string of `min..=max` characters after trimming.
    pub fn text(&mut self, field: &str, value: &str, min: usize, max: usize) -> Option<String> {
        if !self.printable(field, value) {
            return None;
        }
        let trimmed = value.trim();
        let len = trimmed.chars().count();
        if len < min {
            self.push(
                field,
                if min == 1 { "required" } else { "too_short" },
                format!("must have at least {min} characters"),
            );
            None
        } else if len > max {
            self.push(
                field,
                "too_long",
                format!("must have at most {max} characters"),
            );
            None
        } else {
            Some(trimmed.to_owned())
        }
    }

    /// An optional string: blank means absent.
    pub fn optional_text(
        &mut self,
        field: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        let v = value?.trim();
        if v.is_empty() {
            return None;
        }
        self.text(field, v, 1, max)
    }

    /// Rejects NUL, which no text column can store.
    pub fn printable(&mut self, field: &str, value: &str) -> bool {
        if value.contains('\0') {
            self.push(
                field,
                "invalid_characters",
                "must not contain NUL characters",
            );
            return false;
        }
        true
    }

    pub fn email(&mut self, field: &str, value: &str) -> Option<String> {
        if !self.printable(field, value) {
            return None;
        }
        let v = value.trim();
        if is_email(v) {
            Some(v.to_owned())
        } else {
            self.push(field, "invalid_email", "not an e-mail address");
            None
        }
    }

    /// An http(s) URL of at most `max` characters.
    pub fn url(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        if !self.printable(field, value) {
            return None;
        }
        let v = value.trim();
        if v.chars().count() > max {
            self.push(
                field,
                "too_long",
                format!("must have at most {max} characters"),
            );
            None
        } else if is_http_url(v) {
            Some(v.to_owned())
        } else {
            self.push(field, "invalid_url", "not an http(s) URL");
            None
        }
    }

    pub fn range(&mut self, field: &str, value: i64, min: i64, max: i64) -> Option<i64> {
        if (min..=max).contains(&value) {
            Some(value)
        } else {
            self.push(
                field,
                "out_of_range",
                format!("must be between {min} and {max}"),
            );
            None
        }
    }

    #[must_use]
    pub fn has(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    /// `Ok(value)` when no field was invalid, otherwise every collected error.
    pub fn finish<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

/// Longest search text (`q` of a list), in characters. A substring search costs time in
/// proportion to the query's length (every trigram is looked up), and no name, e-mail,
/// company or title a person searches for is longer.
pub const MAX_SEARCH_CHARS: usize = 200;

/// A list's search text as the store may use it: `None` for no filter (absent or empty).
///
/// Control characters are refused, not stripped: the store matches against the searchable
/// fields joined by a newline, so a query holding one could match across two fields (the
/// end of a name and the start of a company), and silently dropping it would search for
/// text the client did not send. A search box cannot produce one anyway.
///
/// # Errors
/// Why the text cannot be searched for, for a 400.
pub fn search_text(q: Option<String>) -> Result<Option<String>, String> {
    let Some(q) = q.filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    if q.chars().count() > MAX_SEARCH_CHARS {
        return Err(format!("q must be at most {MAX_SEARCH_CHARS} characters"));
    }
    if q.chars().any(char::is_control) {
        return Err("q must not contain control characters (such as a line break or a tab)".into());
    }
    Ok(Some(q))
}

/// An e-mail address as RFC 5322 writes one (`email_address`), of at most `EMAIL_MAX`
/// characters, with a dotted domain and neither a display name nor an address literal:
/// `Ada <ada@example.com>`, `ada@localhost` and `ada@[192.0.2.1]` are refused.
#[must_use]
pub fn is_email(v: &str) -> bool {
    let options = email_address::Options::default()
        .with_required_tld()
        .without_domain_literal()
        .without_display_text();
    v.chars().count() <= EMAIL_MAX
        && email_address::EmailAddress::parse_with_options(v, options).is_ok()
}

/// An absolute `http://` or `https://` URL (`url`, WHATWG rules) with a host, no user name
/// or password, and no whitespace anywhere: the parser would drop or percent-encode it
/// where a person would rather see the mistake. (`schema::optional_url` documents the
/// usual shape as a pattern.)
#[must_use]
pub fn is_http_url(v: &str) -> bool {
    if v.chars().any(char::is_whitespace) {
        return false;
    }
    url::Url::parse(v).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https")
            && u.host_str().is_some_and(|h| !h.is_empty())
            && u.username().is_empty()
            && u.password().is_none()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_is_bounded_in_characters_and_single_line() {
        assert_eq!(search_text(None), Ok(None));
        assert_eq!(search_text(Some(String::new())), Ok(None));
        let longest = "é".repeat(MAX_SEARCH_CHARS);
        assert_eq!(
            search_text(Some(longest.clone())),
            Ok(Some(longest.clone()))
        );
        assert!(search_text(Some(format!("{longest}x"))).is_err());
        for bad in ["a\nb", "\t", "x\r", "\u{7f}", "\u{85}", "\0"] {
            assert!(search_text(Some(bad.into())).is_err(), "{bad:?}");
        }
        assert!(search_text(Some("Grace Hopper, Navy".into())).is_ok());
    }

    #[test]
    fn lengths_count_characters() {
        let mut v = Validator::new();
        assert_eq!(
            v.text("name", &"é".repeat(200), 1, 200)
                .map(|s| s.chars().count()),
            Some(200)
        );
        assert!(v.text("name", &"é".repeat(201), 1, 200).is_none());
        let errors = v.finish(()).err().unwrap_or_default();
        assert_eq!(errors.first().map(|e| e.code.as_str()), Some("too_long"));
    }

    #[test]
    fn urls() {
        for good in [
            "https://www.linkedin.com/in/ada",
            "http://example.com:8080/a?b#c",
            "https://x",
            "http://example.com:65535",
            "http://192.0.2.1/x",
        ] {
            assert!(is_http_url(good), "{good}");
        }
        for bad in [
            "",
            "ftp://x.com",
            "https://",
            "http://[",
            "https://a b.com",
            "https://a.com/ b",
            "https://a.com/\tb",
            " https://a.com",
            "https://u@a.com",
            "https://u:p@a.com",
            "http://a.com:123456",
            "http://a.com:99999",
            "http://a.com:65536",
            "http://a.com:x",
            "http://1.2.3.999",
            "mailto:ada@example.com",
        ] {
            assert!(!is_http_url(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        for good in [
            "a@b.co",
            "Ada.Lovelace+x@mail.example.com",
            "o'neil@example.ie",
        ] {
            assert!(is_email(good), "{good}");
        }
        let b = "b".repeat(60);
        let long = format!("{}@{b}.{b}.{b}.example", "a".repeat(64));
        assert_eq!(long.len(), EMAIL_MAX + 1);
        assert!(is_email(&long[1..]));
        for bad in [
            "",
            "a",
            "a@b",
            "@b.co",
            "a@@b.co",
            "a b@c.co",
            "a@.co",
            "a@b..co",
            "Ada <a@b.co>",
            "a@[192.0.2.1]",
            long.as_str(),
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
