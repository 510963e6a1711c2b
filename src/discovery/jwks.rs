//! A provider's JSON Web Key Set (RFC 7517), read tolerantly and summarised: which keys can verify
//! ID token signatures, and why the others cannot.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// One key of a key set, as the console understood it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeySummary {
    /// `kid`.
    pub kid: Option<String>,
    /// `kty`: RSA, EC, OKP, oct…
    pub kty: Option<String>,
    /// `alg`, when the key names one.
    pub alg: Option<String>,
    /// `use`: sig or enc.
    pub key_use: Option<String>,
    /// `crv` for EC and OKP keys.
    pub crv: Option<String>,
    /// Whether the key can verify an ID token signature.
    pub usable_for_signatures: bool,
    /// Why not, when it cannot.
    pub problem: Option<String>,
    /// Its RFC 7638 thumbprint (SHA-256, base64url): the same key has the same thumbprint
    /// whatever its `kid`. `None` for a key without its public members, and for a shared-secret
    /// key, whose secret is not hashed.
    #[serde(default)]
    pub thumbprint: Option<String>,
}

/// A key set's summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeySetSummary {
    /// Every key, in the document's order.
    pub keys: Vec<KeySummary>,
    /// How many can verify signatures.
    pub signing_keys: u32,
}

/// Why a key set document cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeySetError {
    /// Not JSON.
    #[error("the key set is not JSON ({0})")]
    NotJson(String),
    /// JSON without a `keys` array.
    #[error("the key set has no \"keys\" array")]
    NoKeysArray,
}

fn text(key: &serde_json::Map<String, Value>, name: &str) -> Option<String> {
    key.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// Reads and summarises a key set document.
pub fn summarise(body: &[u8]) -> Result<KeySetSummary, KeySetError> {
    let doc: Value =
        serde_json::from_slice(body).map_err(|e| KeySetError::NotJson(e.to_string()))?;
    let keys = doc
        .get("keys")
        .and_then(Value::as_array)
        .ok_or(KeySetError::NoKeysArray)?;
    let keys: Vec<KeySummary> = keys
        .iter()
        .map(|key| {
            let Some(key) = key.as_object() else {
                return KeySummary {
                    kid: None,
                    kty: None,
                    alg: None,
                    key_use: None,
                    crv: None,
                    usable_for_signatures: false,
                    problem: Some("not a JSON object".into()),
                    thumbprint: None,
                };
            };
            let kty = text(key, "kty");
            let key_use = text(key, "use");
            let has = |names: &[&str]| {
                names
                    .iter()
                    .all(|n| key.get(*n).and_then(Value::as_str).is_some())
            };
            let problem = match kty.as_deref() {
                _ if key_use.as_deref() == Some("enc") => {
                    Some("meant for encryption (use: enc)".to_owned())
                }
                Some("RSA") if has(&["n", "e"]) => None,
                Some("EC") if has(&["crv", "x", "y"]) => None,
                Some("OKP") if has(&["crv", "x"]) => None,
                Some("oct") => {
                    Some("a shared-secret key; ID tokens should be signed with a public key".into())
                }
                Some(kind @ ("RSA" | "EC" | "OKP")) => {
                    Some(format!("an {kind} key without its public parameters"))
                }
                Some(other) => Some(format!("unknown key type {other}")),
                None => Some("no kty".into()),
            };
            KeySummary {
                kid: text(key, "kid"),
                kty,
                alg: text(key, "alg"),
                key_use,
                crv: text(key, "crv"),
                usable_for_signatures: problem.is_none(),
                problem,
                thumbprint: thumbprint(key),
            }
        })
        .collect();
    let signing_keys = keys.iter().filter(|k| k.usable_for_signatures).count() as u32;
    Ok(KeySetSummary { keys, signing_keys })
}

/// The RFC 7638 thumbprint of a public key: SHA-256 over its required members, in
/// lexicographic order, as JSON without whitespace, then base64url without padding.
fn thumbprint(key: &serde_json::Map<String, Value>) -> Option<String> {
    use base64::Engine as _;
    let members: &[&str] = match key.get("kty").and_then(Value::as_str)? {
        "RSA" => &["e", "kty", "n"],
        "EC" => &["crv", "kty", "x", "y"],
        "OKP" => &["crv", "kty", "x"],
        _ => return None,
    };
    // The members are listed above in lexicographic order; JSON strings escape as RFC 7638 says.
    let json = members
        .iter()
        .map(|name| {
            let value = key.get(*name).and_then(Value::as_str)?;
            Some(format!("{}:{}", Value::from(*name), Value::from(value)))
        })
        .collect::<Option<Vec<_>>>()?
        .join(",");
    let digest = ring::digest::digest(&ring::digest::SHA256, format!("{{{json}}}").as_bytes());
    Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_judged_one_by_one() {
        let body = br#"{"keys":[
            {"kty":"RSA","kid":"r1","alg":"RS256","use":"sig","n":"AQAB","e":"AQAB"},
            {"kty":"EC","kid":"e1","crv":"P-256","x":"AA","y":"AA"},
            {"kty":"RSA","kid":"enc","use":"enc","n":"AQAB","e":"AQAB"},
            {"kty":"oct","kid":"h","k":"c2VjcmV0"},
            {"kty":"RSA","kid":"half"},
            "junk"
        ]}"#;
        let s = summarise(body).unwrap();
        assert_eq!(s.signing_keys, 2);
        let usable: Vec<bool> = s.keys.iter().map(|k| k.usable_for_signatures).collect();
        assert_eq!(usable, [true, true, false, false, false, false]);
        assert!(s.keys[4]
            .problem
            .as_deref()
            .unwrap()
            .contains("public parameters"));
    }

    #[test]
    fn thumbprints_follow_rfc_7638() {
        // The example key of RFC 7638, section 3.1, with its members in another order and a kid.
        let body = br#"{"keys":[{"kid":"2011-04-29","e":"AQAB","kty":"RSA","alg":"RS256","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"},{"kty":"oct","k":"c2VjcmV0"}]}"#;
        let s = summarise(body).unwrap();
        assert_eq!(
            s.keys[0].thumbprint.as_deref(),
            Some("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
        );
        assert_eq!(s.keys[1].thumbprint, None, "a shared secret is not hashed");
    }

    #[test]
    fn unreadable_key_sets_are_errors() {
        assert!(matches!(summarise(b"<html>"), Err(KeySetError::NotJson(_))));
        assert_eq!(
            summarise(br#"{"kty":"RSA"}"#),
            Err(KeySetError::NoKeysArray)
        );
        assert_eq!(summarise(br#"{"keys":[]}"#).unwrap().signing_keys, 0);
    }
}
