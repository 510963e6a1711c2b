//! Compact JWTs (RFC 7519) taken apart for display and verification. Decoding never verifies:
//! see [`super::verify`].

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use serde_json::{Map, Value};

/// Why a token cannot be read as a JWT.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    /// Five parts: an encrypted token (JWE).
    #[error("the token is encrypted (JWE); its claims cannot be read without the client's decryption key")]
    Encrypted,
    /// Not three dot-separated parts: an opaque token.
    #[error("the token is not a JWT (opaque)")]
    NotJwt,
    /// A part is not base64url.
    #[error("the token's {0} is not valid base64url")]
    Base64(&'static str),
    /// A part is not a JSON object.
    #[error("the token's {0} is not a JSON object")]
    Json(&'static str),
}

/// A JWT's parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Jwt {
    /// The JOSE header.
    pub header: Map<String, Value>,
    /// The claims.
    pub claims: Map<String, Value>,
    /// `header.payload`, the bytes the signature covers.
    pub signing_input: String,
    /// The signature, base64url.
    pub signature: String,
}

fn decode_part(part: &str, name: &'static str) -> Result<Map<String, Value>, JwtError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .or_else(|_| URL_SAFE.decode(part))
        .map_err(|_| JwtError::Base64(name))?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(JwtError::Json(name)),
    }
}

impl Jwt {
    /// Splits and decodes a compact JWT.
    pub fn decode(token: &str) -> Result<Self, JwtError> {
        let parts: Vec<&str> = token.trim().split('.').collect();
        match parts.as_slice() {
            [header, payload, signature] => Ok(Self {
                header: decode_part(header, "header")?,
                claims: decode_part(payload, "payload")?,
                signing_input: format!("{header}.{payload}"),
                signature: (*signature).to_owned(),
            }),
            [_, _, _, _, _] => Err(JwtError::Encrypted),
            _ => Err(JwtError::NotJwt),
        }
    }

    /// A header field as text.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }

    /// A claim as text.
    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(v: &str) -> String {
        URL_SAFE_NO_PAD.encode(v)
    }

    #[test]
    fn tokens_are_taken_apart_or_refused_with_a_reason() {
        let good = format!(
            "{}.{}.sig",
            b64(r#"{"alg":"RS256","kid":"k"}"#),
            b64(r#"{"sub":"a"}"#)
        );
        let jwt = Jwt::decode(&good).unwrap();
        assert_eq!(jwt.header_str("kid"), Some("k"));
        assert_eq!(jwt.claim_str("sub"), Some("a"));
        let cases = [
            ("opaque-token", JwtError::NotJwt),
            ("a.b.c.d.e", JwtError::Encrypted),
            ("%%%.e30.x", JwtError::Base64("header")),
            (
                &format!("{}.{}.x", b64("[1]"), b64("{}")) as &str,
                JwtError::Json("header"),
            ),
            (
                &format!("{}.{}.x", b64("{}"), b64("not json")),
                JwtError::Json("payload"),
            ),
        ];
        for (token, want) in cases {
            assert_eq!(Jwt::decode(token), Err(want), "{token}");
        }
    }
}
