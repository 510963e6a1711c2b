//! Drift (C17): what a provider published at one check, reduced to what can be compared at the
//! next, and the findings that say what changed since.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Fetched, KeySetOutcome, ProviderMetadata};
use crate::findings::{Finding, Severity};

/// The code of every drift finding starts with this.
pub const DRIFT_PREFIX: &str = "drift_";

/// What a check saw of a provider. Kept per directory between checks (no secret is in it: the
/// document and key set are public).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderSnapshot {
    /// SHA-256 of the discovery document written canonically: member order and whitespace do
    /// not change it.
    pub document_fingerprint: String,
    /// The fields of the document the console compares.
    pub metadata: ProviderMetadata,
    /// The key set's keys, `None` when it was not fetched or could not be read.
    pub keys: Option<Vec<KeyPrint>>,
}

/// One key of a key set as remembered: its `kid` and RFC 7638 thumbprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyPrint {
    /// `kid`, when it has one.
    pub kid: Option<String>,
    /// Its thumbprint, when it has its public members.
    pub thumbprint: Option<String>,
}

impl KeyPrint {
    fn describe(&self) -> String {
        match (&self.kid, &self.thumbprint) {
            (Some(kid), _) => format!("\"{kid}\""),
            (None, Some(t)) => format!("with thumbprint {t}"),
            (None, None) => "without kid".to_owned(),
        }
    }
}

impl ProviderSnapshot {
    /// The snapshot of what was fetched.
    pub fn of(fetched: &Fetched) -> Self {
        Self::read(&fetched.object, &fetched.metadata, &fetched.key_set)
    }

    fn read(
        object: &serde_json::Map<String, Value>,
        metadata: &ProviderMetadata,
        key_set: &KeySetOutcome,
    ) -> Self {
        let mut canonical = String::new();
        write_canonical_object(object, &mut canonical);
        let keys = match key_set {
            KeySetOutcome::Fetched { summary } => Some(
                summary
                    .keys
                    .iter()
                    .map(|k| KeyPrint {
                        kid: k.kid.clone(),
                        thumbprint: k.thumbprint.clone(),
                    })
                    .collect(),
            ),
            KeySetOutcome::NotFetched | KeySetOutcome::Failed { .. } => None,
        };
        Self {
            document_fingerprint: crate::digest::sha256_hex(canonical.as_bytes()),
            metadata: metadata.clone(),
            keys,
        }
    }
}

/// JSON with every object's members sorted by name and no whitespace.
fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => write_canonical_object(map, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

fn write_canonical_object(map: &serde_json::Map<String, Value>, out: &mut String) {
    let mut members: Vec<_> = map.iter().collect();
    members.sort_by(|a, b| a.0.cmp(b.0));
    out.push('{');
    for (i, (name, member)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&Value::from(name.as_str()).to_string());
        out.push(':');
        write_canonical(member, out);
    }
    out.push('}');
}

/// What changed from `before` to `now`, one finding per change, as the directory's check shows
/// them. An issuer change is an error, and so is the removal of the key that signed the ID token
/// of the last successful test sign-in (`signing_kid`); new keys alone are information.
pub fn compare(
    before: &ProviderSnapshot,
    now: &ProviderSnapshot,
    signing_kid: Option<&str>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if before.document_fingerprint != now.document_fingerprint {
        compare_metadata(&before.metadata, &now.metadata, &mut out);
    }
    if let (Some(old), Some(new)) = (&before.keys, &now.keys) {
        compare_keys(old, new, signing_kid, &mut out);
    }
    if out.is_empty() && before.document_fingerprint != now.document_fingerprint {
        out.push(Finding::info(
            "drift_document_changed",
            "the discovery document changed in fields the console does not use",
            "",
        ));
    }
    out.sort_by_key(|f| f.severity);
    out
}

fn shown(value: Option<&str>) -> String {
    value.map_or_else(|| "(none)".to_owned(), |v| format!("\"{v}\""))
}

fn compare_metadata(old: &ProviderMetadata, new: &ProviderMetadata, out: &mut Vec<Finding>) {
    if old.issuer != new.issuer {
        out.push(
            Finding::error(
                "drift_issuer_changed",
                format!(
                    "the provider's issuer changed from {} to {}: ID tokens now name another issuer than before",
                    shown(old.issuer.as_deref()),
                    shown(new.issuer.as_deref())
                ),
                "make sure the discovery domain still points at the customer's tenant, then update the directory's issuer",
            )
            .at_field(Some("issuer")),
        );
    }
    // Each endpoint with the directory field that holds it, when one does.
    let endpoints = [
        (
            "authorization_endpoint",
            Some("authorization_url"),
            &old.authorization_endpoint,
            &new.authorization_endpoint,
        ),
        (
            "token_endpoint",
            Some("token_url"),
            &old.token_endpoint,
            &new.token_endpoint,
        ),
        (
            "userinfo_endpoint",
            Some("userinfo_url"),
            &old.userinfo_endpoint,
            &new.userinfo_endpoint,
        ),
        ("jwks_uri", Some("jwks_uri"), &old.jwks_uri, &new.jwks_uri),
        (
            "end_session_endpoint",
            None,
            &old.end_session_endpoint,
            &new.end_session_endpoint,
        ),
    ];
    for (name, field, was, is) in endpoints {
        if was != is {
            out.push(
                Finding::warning(
                    "drift_endpoint_changed",
                    format!(
                        "{name} changed from {} to {}",
                        shown(was.as_deref()),
                        shown(is.as_deref())
                    ),
                    "apply the discovered endpoints in the directory's editor if the directory uses this one",
                )
                .about(name)
                .at_field(field),
            );
        }
    }
    let lists = [
        (
            "scopes_supported",
            &old.scopes_supported,
            &new.scopes_supported,
        ),
        (
            "response_types_supported",
            &old.response_types_supported,
            &new.response_types_supported,
        ),
        (
            "response_modes_supported",
            &old.response_modes_supported,
            &new.response_modes_supported,
        ),
        (
            "grant_types_supported",
            &old.grant_types_supported,
            &new.grant_types_supported,
        ),
        (
            "code_challenge_methods_supported",
            &old.code_challenge_methods_supported,
            &new.code_challenge_methods_supported,
        ),
        (
            "token_endpoint_auth_methods_supported",
            &old.token_endpoint_auth_methods_supported,
            &new.token_endpoint_auth_methods_supported,
        ),
        (
            "id_token_signing_alg_values_supported",
            &old.id_token_signing_alg_values_supported,
            &new.id_token_signing_alg_values_supported,
        ),
    ];
    for (name, was, is) in lists {
        let was = was.as_deref().unwrap_or_default();
        let is = is.as_deref().unwrap_or_default();
        let added: Vec<&str> = is
            .iter()
            .filter(|v| !was.contains(v))
            .map(String::as_str)
            .collect();
        let removed: Vec<&str> = was
            .iter()
            .filter(|v| !is.contains(v))
            .map(String::as_str)
            .collect();
        if added.is_empty() && removed.is_empty() {
            continue;
        }
        let mut parts = Vec::new();
        if !added.is_empty() {
            parts.push(format!("added {}", added.join(", ")));
        }
        if !removed.is_empty() {
            parts.push(format!("removed {}", removed.join(", ")));
        }
        let severity = if removed.is_empty() {
            Severity::Info
        } else {
            Severity::Warning
        };
        out.push(
            Finding::new(
                severity,
                "drift_supported_changed",
                format!("{name}: {}", parts.join("; ")),
                if removed.is_empty() {
                    ""
                } else {
                    "check that the directory does not rely on what was removed: run a test sign-in"
                },
            )
            .about(name),
        );
    }
}

fn compare_keys(
    old: &[KeyPrint],
    new: &[KeyPrint],
    signing_kid: Option<&str>,
    out: &mut Vec<Finding>,
) {
    for key in new.iter().filter(|k| !old.contains(k)) {
        out.push(Finding::info(
            "drift_key_added",
            format!("the provider published a new key {}", key.describe()),
            "",
        ));
    }
    for key in old.iter().filter(|k| !new.contains(k)) {
        let signed_last = signing_kid.is_some() && key.kid.as_deref() == signing_kid;
        out.push(if signed_last {
            Finding::error(
                "drift_signing_key_removed",
                format!(
                    "the provider removed the key {} that signed the ID token of the last successful test sign-in",
                    key.describe()
                ),
                "run a test sign-in: if the provider now signs with a key it does not publish, the sign-in service will refuse every ID token",
            )
        } else {
            Finding::warning(
                "drift_key_removed",
                format!("the provider removed the key {}", key.describe()),
                "run a test sign-in to confirm ID tokens are signed with a key it still publishes",
            )
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(doc: &str) -> ProviderSnapshot {
        let object: serde_json::Map<String, Value> = serde_json::from_str(doc).unwrap();
        let empty = KeySetOutcome::Fetched {
            summary: super::super::KeySetSummary {
                keys: Vec::new(),
                signing_keys: 0,
            },
        };
        ProviderSnapshot::read(&object, &ProviderMetadata::read(&object).0, &empty)
    }

    #[test]
    fn order_and_whitespace_do_not_count() {
        let a = snapshot(r#"{"issuer":"https://a","x":{"b":1,"a":[1,2]}}"#);
        let b =
            snapshot("{\n  \"x\": { \"a\": [1, 2], \"b\": 1 },\n  \"issuer\": \"https://a\"\n}");
        assert_eq!(a.document_fingerprint, b.document_fingerprint);
        assert!(compare(&a, &b, None).is_empty());
        let c = snapshot(r#"{"issuer":"https://a","x":{"b":1,"a":[2,1]}}"#);
        assert_ne!(a.document_fingerprint, c.document_fingerprint);
        assert_eq!(compare(&a, &c, None)[0].code, "drift_document_changed");
    }

    #[test]
    fn keys_are_compared_by_kid_and_thumbprint() {
        let key = |kid: &str, t: &str| KeyPrint {
            kid: Some(kid.into()),
            thumbprint: Some(t.into()),
        };
        let mut before = snapshot(r#"{"issuer":"https://a"}"#);
        let mut now = before.clone();
        before.keys = Some(vec![key("k1", "t1"), key("k2", "t2")]);
        now.keys = Some(vec![key("k2", "t2"), key("k3", "t3")]);
        let codes: Vec<(Severity, String)> = compare(&before, &now, Some("k1"))
            .into_iter()
            .map(|f| (f.severity, f.code))
            .collect();
        assert_eq!(
            codes,
            [
                (Severity::Error, "drift_signing_key_removed".to_owned()),
                (Severity::Info, "drift_key_added".to_owned())
            ]
        );
        let codes: Vec<String> = compare(&before, &now, Some("k2"))
            .into_iter()
            .map(|f| f.code)
            .collect();
        assert_eq!(codes, ["drift_key_removed", "drift_key_added"]);
    }
}
