//! Reading a JWT's header and payload without verifying it, for display and evaluation only.
//! Verification (signature, issuer, audience, nonce, expiry) belongs to the test sign-in.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::Value;

use super::{describe_kind, Claims};

/// A JWT's header and payload, decoded but NOT verified: never trust them for a decision.
#[derive(Debug, Clone, PartialEq)]
pub struct UnverifiedJwt {
    /// The JOSE header (`alg`, `kid`, `typ`…).
    pub header: Claims,
    /// The claims.
    pub payload: Claims,
    /// `header.payload` as sent: the bytes the signature covers.
    pub signing_input: String,
    /// The signature, base64url.
    pub signature: String,
}

impl UnverifiedJwt {
    /// A header field as text.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }

    /// A claim as text.
    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.payload.get(name).and_then(Value::as_str)
    }
}

/// Why a text is not a readable JWT.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtError {
    /// Nothing was given.
    #[error("the token is empty; paste the whole token (three parts separated by dots)")]
    Empty,
    /// Five parts: an encrypted token (JWE).
    #[error("the token has 5 parts, so it is encrypted (JWE); only the client that holds the key can read it — ask the provider for signed, unencrypted tokens")]
    Encrypted,
    /// Not three dot-separated parts.
    #[error("the token has {parts} part(s) separated by dots; a JWT has 3 (header.payload.signature) — the token may be cut off or opaque")]
    NotCompact {
        /// How many parts were found.
        parts: usize,
    },
    /// A part is not base64url.
    #[error(
        "the token's {part} is not base64url ({detail}); check that the token was copied whole"
    )]
    Base64 {
        /// `header` or `payload`.
        part: &'static str,
        /// The decoder's explanation.
        detail: String,
    },
    /// A part does not hold JSON.
    #[error("the token's {part} is not JSON ({detail})")]
    NotJson {
        /// `header` or `payload`.
        part: &'static str,
        /// The parser's explanation, with the position.
        detail: String,
    },
    /// A part holds JSON that is not an object.
    #[error("the token's {part} is {found}; it must be a JSON object")]
    NotObject {
        /// `header` or `payload`.
        part: &'static str,
        /// What it is instead.
        found: &'static str,
    },
}

/// Whether a text has the shape of a signed JWT: three base64url parts separated by dots.
pub(crate) fn looks_like_jwt(text: &str) -> bool {
    let text = strip_bearer(text.trim());
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 3
        && parts[..2].iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'='))
        })
}

fn strip_bearer(text: &str) -> &str {
    match text.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("bearer ") => text[7..].trim_start(),
        _ => text,
    }
}

/// Decodes a compact JWT's header and payload without checking its signature. A leading
/// `Bearer ` and surrounding white space are ignored.
pub fn decode_unverified(token: &str) -> Result<UnverifiedJwt, JwtError> {
    let token = strip_bearer(token.trim());
    if token.is_empty() {
        return Err(JwtError::Empty);
    }
    let parts: Vec<&str> = token.split('.').collect();
    match parts.len() {
        3 => {}
        5 => return Err(JwtError::Encrypted),
        parts => return Err(JwtError::NotCompact { parts }),
    }
    Ok(UnverifiedJwt {
        header: decode_part(parts[0], "header")?,
        payload: decode_part(parts[1], "payload")?,
        signing_input: format!("{}.{}", parts[0], parts[1]),
        signature: parts[2].to_owned(),
    })
}

fn decode_part(part: &str, name: &'static str) -> Result<Claims, JwtError> {
    // Some producers pad; base64url in JWTs has no padding.
    let bytes = URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|e| JwtError::Base64 {
            part: name,
            detail: e.to_string(),
        })?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| JwtError::NotJson {
        part: name,
        detail: e.to_string(),
    })?;
    match value {
        Value::Object(map) => Ok(map),
        other => Err(JwtError::NotObject {
            part: name,
            found: describe_kind(&other),
        }),
    }
}
