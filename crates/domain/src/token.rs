//! Access tokens: HS256 JWTs with `sub`, `ws`, `role`, `iat`, `exp`; `jti` on the
//! integration tokens the API issues and `sid` (the sign-in session) on the session tokens
//! it issues, so that either can be revoked. Shared by the REST extractor and the
//! Socket.IO handshake; integrations may mint their own with the secret (without `sid`:
//! those live until their `exp`).
//!
//! The `role` claim is informational: the server resolves the caller's role from the
//! database on every request (a membership, or the integration token's row).

use crate::status::Role;
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: Uuid,
    /// Workspace id.
    pub ws: Uuid,
    pub role: Role,
    pub iat: i64,
    pub exp: i64,
    /// `iat` to the millisecond, on the session tokens the server issues: a token issued
    /// before a membership began is told from one issued just after, in the same second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat_ms: Option<i64>,
    /// Id of an integration token (`/api/tokens`); absent on session tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<Uuid>,
    /// Id of the sign-in session a session token belongs to (kept by refresh and switch,
    /// ended by logout); absent on integration tokens and on tokens minted with the secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<Uuid>,
}

impl Claims {
    /// When the token was issued, in Unix milliseconds: `iat_ms` where it agrees with
    /// `iat`, else the last millisecond of `iat`'s second (a token minted with the secret
    /// counts as issued late enough for anything that began in that second).
    #[must_use]
    pub fn issued_at_ms(&self) -> i64 {
        match self.iat_ms {
            Some(ms) if ms.div_euclid(1000) == self.iat => ms,
            _ => self.iat.saturating_mul(1000).saturating_add(999),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidToken;

impl std::fmt::Display for InvalidToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("unauthorized")
    }
}

impl std::error::Error for InvalidToken {}

/// The token of an `Authorization: Bearer <token>` header value.
#[must_use]
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, token) = header.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Signs and verifies tokens with one shared secret.
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
    session_max_age: Duration,
}

/// How long a sign-in session may be refreshed, unless set otherwise (`SESSION_MAX_AGE`).
pub const DEFAULT_SESSION_MAX_AGE: Duration = Duration::from_secs(30 * 24 * 3600);

impl Tokens {
    #[must_use]
    pub fn new(secret: &[u8], ttl: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        // Expired means expired: the socket gets `session_expired` at `exp`, REST agrees.
        validation.leeway = 0;
        // A token that is not valid yet (`nbf` ahead of now) is refused like an expired one;
        // jsonwebtoken only checks `nbf` when asked to.
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl,
            session_max_age: DEFAULT_SESSION_MAX_AGE,
        }
    }

    /// Sign-in sessions are refreshed until this long after the sign-in, not after.
    #[must_use]
    pub fn with_session_max_age(mut self, max_age: Duration) -> Self {
        self.session_max_age = max_age;
        self
    }

    /// The absolute lifetime of a sign-in session (see `with_session_max_age`).
    #[must_use]
    pub fn session_max_age(&self) -> Duration {
        self.session_max_age
    }

    /// Signs a session token of sign-in session `sid`.
    pub fn issue(
        &self,
        user: Uuid,
        ws: Uuid,
        role: Role,
        sid: Uuid,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let now = Utc::now();
        let iat = now.timestamp();
        let exp = iat.saturating_add(i64::try_from(self.ttl.as_secs()).unwrap_or(i64::MAX));
        let claims = Claims {
            sub: user,
            ws,
            role,
            iat,
            exp,
            iat_ms: Some(now.timestamp_millis()),
            jti: None,
            sid: Some(sid),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// Signs an integration token: `jti` is its id, `exp` its expiry (far in the future
    /// when it has none: revocation, not expiry, ends such a token).
    pub fn issue_integration(
        &self,
        creator: Uuid,
        ws: Uuid,
        role: Role,
        id: Uuid,
        expires_at: Option<chrono::DateTime<Utc>>,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        /// 2100-01-01: `exp` is a required claim.
        const NEVER: i64 = 4_102_444_800;
        let claims = Claims {
            sub: creator,
            ws,
            role,
            iat: Utc::now().timestamp(),
            exp: expires_at.map_or(NEVER, |t| t.timestamp()),
            iat_ms: None,
            jti: Some(id),
            sid: None,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// Verifies signature, algorithm (HS256 only; `alg: none` never parses), expiry and,
    /// when present, `nbf`.
    pub fn verify(&self, token: &str) -> Result<Claims, InvalidToken> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|d| d.claims)
            .map_err(|_| InvalidToken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_scheme_is_case_insensitive() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer  abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer"), None);
    }

    #[test]
    fn round_trip_and_rejections() {
        let t = Tokens::new(b"secret", Duration::from_secs(60));
        let id = Uuid::now_v7();
        let tok = t.issue(id, id, Role::Owner, id).unwrap_or_default();
        assert_eq!(t.verify(&tok).map(|c| c.sub), Ok(id));
        let other = Tokens::new(b"other", Duration::from_secs(60));
        assert!(other.verify(&tok).is_err());
        assert!(t.verify("garbage").is_err());
    }

    #[test]
    fn issued_at_is_to_the_millisecond_where_the_server_says_so() {
        let t = Tokens::new(b"secret", Duration::from_secs(60));
        let id = Uuid::now_v7();
        let before = Utc::now().timestamp_millis();
        let claims = t
            .issue(id, id, Role::Owner, id)
            .ok()
            .and_then(|tok| t.verify(&tok).ok());
        let issued = claims.as_ref().map_or(0, Claims::issued_at_ms);
        assert!(
            (before..=Utc::now().timestamp_millis()).contains(&issued),
            "{claims:?}"
        );
        let minted = |iat_ms| Claims {
            sub: id,
            ws: id,
            role: Role::Owner,
            iat: 100,
            exp: 200,
            iat_ms,
            jti: None,
            sid: None,
        };
        // Without it, or when it disagrees with `iat`: the end of `iat`'s second.
        assert_eq!(minted(Some(100_250)).issued_at_ms(), 100_250);
        assert_eq!(minted(None).issued_at_ms(), 100_999);
        assert_eq!(minted(Some(5_000)).issued_at_ms(), 100_999);
    }

    #[test]
    fn alg_none_with_valid_claims_is_refused() {
        let t = Tokens::new(b"secret", Duration::from_secs(60));
        let id = Uuid::now_v7();
        let valid = match t.issue(id, id, Role::Owner, id) {
            Ok(tok) => tok,
            Err(e) => panic!("{e}"),
        };
        assert!(t.verify(&valid).is_ok(), "the claims themselves are valid");
        // The same claims under `{"alg":"none","typ":"JWT"}` and no signature.
        let Some(claims) = valid.split('.').nth(1) else {
            panic!("not a JWT: {valid}")
        };
        let none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{claims}.");
        assert!(t.verify(&none).is_err());
    }

    #[test]
    fn a_token_not_valid_yet_is_refused() {
        let t = Tokens::new(b"secret", Duration::from_secs(60));
        let id = Uuid::now_v7();
        let now = Utc::now().timestamp();
        let sign = |nbf: serde_json::Value| {
            let claims = serde_json::json!({"sub": id, "ws": id, "role": "owner", "iat": now,
                "exp": now + 600, "nbf": nbf});
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &t.encoding)
                .unwrap_or_default()
        };
        assert!(t.verify(&sign(serde_json::json!(now + 600))).is_err());
        assert!(t.verify(&sign(serde_json::json!("soon"))).is_err());
        assert!(t.verify(&sign(serde_json::json!(now - 1))).is_ok());
    }
}
