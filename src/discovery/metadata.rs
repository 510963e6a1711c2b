//! Tolerant reading of a provider's metadata (OpenID Connect Discovery 1.0 §3): the fields we use
//! are read when they have the right type; anything else is kept in the raw document and reported,
//! never a reason to fail.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

/// The fields of a discovery document the console uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProviderMetadata {
    /// `issuer`.
    pub issuer: Option<String>,
    /// `authorization_endpoint`.
    pub authorization_endpoint: Option<String>,
    /// `token_endpoint`.
    pub token_endpoint: Option<String>,
    /// `userinfo_endpoint`.
    pub userinfo_endpoint: Option<String>,
    /// `jwks_uri`.
    pub jwks_uri: Option<String>,
    /// `end_session_endpoint`.
    pub end_session_endpoint: Option<String>,
    /// `scopes_supported`.
    pub scopes_supported: Option<Vec<String>>,
    /// `response_types_supported`.
    pub response_types_supported: Option<Vec<String>>,
    /// `response_modes_supported`.
    pub response_modes_supported: Option<Vec<String>>,
    /// `grant_types_supported`.
    pub grant_types_supported: Option<Vec<String>>,
    /// `code_challenge_methods_supported`.
    pub code_challenge_methods_supported: Option<Vec<String>>,
    /// `token_endpoint_auth_methods_supported`.
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
    /// `id_token_signing_alg_values_supported`.
    pub id_token_signing_alg_values_supported: Option<Vec<String>>,
    /// `claims_supported`.
    pub claims_supported: Option<Vec<String>>,
    /// `authorization_response_iss_parameter_supported` (RFC 9207).
    pub authorization_response_iss_parameter_supported: Option<bool>,
}

/// A field present with a type other than the one the specification gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OddField {
    /// The field's name.
    pub name: &'static str,
    /// What it should be.
    pub expected: &'static str,
    /// What it is.
    pub found: &'static str,
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

struct Reader<'a> {
    doc: &'a Map<String, Value>,
    odd: Vec<OddField>,
}

impl Reader<'_> {
    fn string(&mut self, name: &'static str) -> Option<String> {
        match self.doc.get(name)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Value::String(_) | Value::Null => None,
            other => {
                self.odd.push(OddField {
                    name,
                    expected: "a string",
                    found: type_name(other),
                });
                None
            }
        }
    }

    fn strings(&mut self, name: &'static str) -> Option<Vec<String>> {
        match self.doc.get(name)? {
            Value::Array(items) => {
                let strings: Vec<String> = items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                if strings.len() != items.len() {
                    self.odd.push(OddField {
                        name,
                        expected: "an array of strings",
                        found: "an array with other values",
                    });
                }
                Some(strings)
            }
            // Some providers publish a single value as a space-separated string.
            Value::String(s) => {
                self.odd.push(OddField {
                    name,
                    expected: "an array of strings",
                    found: "a string",
                });
                Some(s.split_whitespace().map(str::to_owned).collect())
            }
            Value::Null => None,
            other => {
                self.odd.push(OddField {
                    name,
                    expected: "an array of strings",
                    found: type_name(other),
                });
                None
            }
        }
    }

    fn boolean(&mut self, name: &'static str) -> Option<bool> {
        match self.doc.get(name)? {
            Value::Bool(b) => Some(*b),
            Value::Null => None,
            other => {
                self.odd.push(OddField {
                    name,
                    expected: "a boolean",
                    found: type_name(other),
                });
                None
            }
        }
    }
}

impl ProviderMetadata {
    /// Reads the fields we use from a JSON object, listing those with an unexpected type.
    pub fn read(doc: &Map<String, Value>) -> (Self, Vec<OddField>) {
        let mut r = Reader {
            doc,
            odd: Vec::new(),
        };
        let metadata = Self {
            issuer: r.string("issuer"),
            authorization_endpoint: r.string("authorization_endpoint"),
            token_endpoint: r.string("token_endpoint"),
            userinfo_endpoint: r.string("userinfo_endpoint"),
            jwks_uri: r.string("jwks_uri"),
            end_session_endpoint: r.string("end_session_endpoint"),
            scopes_supported: r.strings("scopes_supported"),
            response_types_supported: r.strings("response_types_supported"),
            response_modes_supported: r.strings("response_modes_supported"),
            grant_types_supported: r.strings("grant_types_supported"),
            code_challenge_methods_supported: r.strings("code_challenge_methods_supported"),
            token_endpoint_auth_methods_supported: r
                .strings("token_endpoint_auth_methods_supported"),
            id_token_signing_alg_values_supported: r
                .strings("id_token_signing_alg_values_supported"),
            claims_supported: r.strings("claims_supported"),
            authorization_response_iss_parameter_supported: r
                .boolean("authorization_response_iss_parameter_supported"),
        };
        (metadata, r.odd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn oddly_typed_fields_are_reported_not_fatal() {
        let doc = json!({
            "issuer": "https://idp.example.com",
            "authorization_endpoint": 42,
            "scopes_supported": "openid email",
            "response_types_supported": ["code", 7],
            "claims_supported": {"sub": true},
            "authorization_response_iss_parameter_supported": "yes",
            "x_vendor_extension": [1, 2, 3]
        });
        let (m, odd) = ProviderMetadata::read(doc.as_object().unwrap());
        assert_eq!(m.issuer.as_deref(), Some("https://idp.example.com"));
        assert_eq!(m.authorization_endpoint, None);
        assert_eq!(
            m.scopes_supported,
            Some(vec!["openid".into(), "email".into()])
        );
        assert_eq!(m.response_types_supported, Some(vec!["code".into()]));
        let names: Vec<&str> = odd.iter().map(|o| o.name).collect();
        assert_eq!(
            names,
            [
                "authorization_endpoint",
                "scopes_supported",
                "response_types_supported",
                "claims_supported",
                "authorization_response_iss_parameter_supported"
            ]
        );
    }
}
