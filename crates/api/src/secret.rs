//! Opaque secrets handed out once (invitation tokens): 256 random bits, of which the
//! database keeps only a SHA-256, so a leaked table does not leak usable invitations.

use base64::Engine;
use sha2::{Digest, Sha256};

/// A new random token, URL-safe base64 without padding (43 characters).
#[must_use]
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database stores of a token: its SHA-256, hex. A fast hash is enough for 256
/// random bits (no dictionary to try), unlike a password.
#[must_use]
pub fn hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), hash(&b));
        assert_eq!(hash(&a).len(), 64);
    }
}
