//! Judging a provider's metadata against the specification and against a directory's settings:
//! each finding has a severity and a one-line fix. Pure: no network here.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::input::expected_issuer;
use super::jwks::KeySetSummary;
use super::metadata::{OddField, ProviderMetadata};
use crate::directory::{is_loopback_host, ClaimSource, DirectoryDocument};
use crate::findings::{Finding, Severity};

/// What happened to the key set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum KeySetOutcome {
    /// No `jwks_uri` to fetch.
    NotFetched,
    /// Fetched and read.
    Fetched {
        /// The summary.
        summary: KeySetSummary,
    },
    /// Fetching or reading failed.
    Failed {
        /// Why.
        message: String,
    },
}

struct Findings(Vec<Finding>);

impl Findings {
    fn push(
        &mut self,
        severity: Severity,
        code: &str,
        field: Option<&str>,
        message: String,
        fix: impl Into<String>,
    ) {
        self.0
            .push(Finding::new(severity, code, message, fix).at_field(field));
    }
}

fn contains(list: &Option<Vec<String>>, value: &str) -> Option<bool> {
    list.as_ref().map(|l| l.iter().any(|v| v == value))
}

/// Judges metadata fetched from `document_url`, against `settings` when a directory is given.
pub fn judge(
    document_url: &url::Url,
    raw: &serde_json::Map<String, serde_json::Value>,
    metadata: &ProviderMetadata,
    odd: &[OddField],
    settings: Option<&DirectoryDocument>,
    key_set: &KeySetOutcome,
) -> Vec<Finding> {
    let mut f = Findings(Vec::new());
    judge_required(&mut f, metadata);
    judge_issuer(&mut f, document_url, metadata, settings);
    judge_endpoints(&mut f, metadata);
    if let Err(why) = strict_reading(raw) {
        f.push(
            Severity::Info,
            "strict_parse_refused",
            None,
            format!("a strict OpenID Connect library (openidconnect) refuses this document: {why}"),
            "the console reads it anyway; a sign-in service built on a strict library may not — ask the provider to fix its metadata",
        );
    }
    for o in odd {
        f.push(
            Severity::Info,
            "odd_field_type",
            None,
            format!(
                "\"{}\" is {} where the specification says {}; it was ignored",
                o.name, o.found, o.expected
            ),
            "nothing to do here; the provider's metadata is unusual",
        );
    }
    if let Some(types) = &metadata.response_types_supported {
        if !types.iter().any(|t| t.split_whitespace().eq(["code"])) {
            f.push(
                Severity::Error,
                "code_flow_unsupported",
                None,
                format!(
                    "response_types_supported ({}) does not include \"code\"",
                    listed(types, ", ")
                ),
                "enable the authorization code flow for the client at the provider",
            );
        }
    }
    if let Some(settings) = settings {
        judge_settings(&mut f, metadata, settings);
    }
    if metadata.userinfo_endpoint.is_none() {
        let uses_userinfo = settings.is_some_and(|s| {
            s.claims
                .named()
                .iter()
                .any(|(_, m)| m.source == ClaimSource::Userinfo)
        });
        f.push(
            if uses_userinfo {
                Severity::Error
            } else {
                Severity::Info
            },
            "no_userinfo_endpoint",
            Some("userinfo_url"),
            "the provider publishes no userinfo endpoint, so claims from Userinfo cannot be mapped"
                .into(),
            if uses_userinfo {
                "map those claims from the ID token or the access token instead"
            } else {
                "map claims from the ID token"
            },
        );
    }
    judge_signing(&mut f, metadata, key_set);
    if let Some(preset) = crate::presets::recognise(document_url) {
        for quirk in preset.quirks {
            f.0.push(Finding::info("provider_quirk", *quirk, "").about(preset.name));
        }
    }
    f.0.sort_by_key(|x| x.severity);
    f.0
}

/// Reads the document as the `openidconnect` crate does, which refuses what the specification
/// does not allow; the error names the field.
fn strict_reading(raw: &serde_json::Map<String, serde_json::Value>) -> Result<(), String> {
    let value = serde_json::Value::Object(raw.clone());
    serde_path_to_error::deserialize::<_, openidconnect::core::CoreProviderMetadata>(value)
        .map(drop)
        .map_err(|e| {
            let path = e.path().to_string();
            if path == "." {
                e.inner().to_string()
            } else {
                format!("{path}: {}", e.inner())
            }
        })
}

fn judge_required(f: &mut Findings, m: &ProviderMetadata) {
    let required: [(&str, bool); 6] = [
        ("issuer", m.issuer.is_some()),
        ("authorization_endpoint", m.authorization_endpoint.is_some()),
        ("token_endpoint", m.token_endpoint.is_some()),
        ("jwks_uri", m.jwks_uri.is_some()),
        (
            "response_types_supported",
            m.response_types_supported.is_some(),
        ),
        (
            "id_token_signing_alg_values_supported",
            m.id_token_signing_alg_values_supported.is_some(),
        ),
    ];
    for (name, present) in required {
        if !present {
            f.push(
                Severity::Error,
                "missing_field",
                None,
                format!("the document has no \"{name}\", which OpenID Connect Discovery requires"),
                "check that this is the provider's OpenID configuration; otherwise enter the endpoints by hand",
            );
        }
    }
}

fn judge_issuer(
    f: &mut Findings,
    url: &url::Url,
    m: &ProviderMetadata,
    settings: Option<&DirectoryDocument>,
) {
    let Some(issuer) = &m.issuer else { return };
    let expected = expected_issuer(url);
    if issuer.contains("{tenantid}") {
        f.push(
            Severity::Warning,
            "issuer_tenant_placeholder",
            Some("issuer"),
            format!("the issuer \"{issuer}\" holds a {{tenantid}} placeholder: this is Microsoft Entra's multi-tenant endpoint (/common or /organizations), whose tokens carry each tenant's own issuer"),
            "discover from your tenant instead (login.microsoftonline.com/<tenant id>/v2.0), or leave Issuer empty to skip the issuer check",
        );
    } else if issuer.trim_end_matches('/') == expected.trim_end_matches('/') && *issuer != expected
    {
        f.push(
            Severity::Info,
            "issuer_trailing_slash",
            Some("issuer"),
            format!("the issuer \"{issuer}\" differs from the address it was fetched from only by a trailing slash (Auth0 publishes issuers this way)"),
            "use the issuer exactly as published, slash included",
        );
    } else if *issuer != expected {
        f.push(
            Severity::Error,
            "issuer_mismatch",
            Some("issuer"),
            format!("the document was fetched from {expected} but declares the issuer \"{issuer}\"; OpenID Connect requires them to be identical"),
            "check the discovery domain (a missing path such as /realms/<name> or /<tenant>/v2.0?) and the provider's issuer setting",
        );
    }
    if let Some(configured) = settings
        .and_then(|s| s.issuer.as_deref())
        .filter(|i| !i.trim().is_empty())
    {
        if configured.trim() != issuer && !issuer.contains("{tenantid}") {
            f.push(
                Severity::Error,
                "configured_issuer_differs",
                Some("issuer"),
                format!("the directory's Issuer is \"{}\" but the provider declares \"{issuer}\"; ID tokens would be rejected", configured.trim()),
                "apply the discovered issuer",
            );
        }
    }
}

fn judge_endpoints(f: &mut Findings, m: &ProviderMetadata) {
    let endpoints = [
        ("authorization_endpoint", &m.authorization_endpoint),
        ("token_endpoint", &m.token_endpoint),
        ("userinfo_endpoint", &m.userinfo_endpoint),
        ("jwks_uri", &m.jwks_uri),
    ];
    for (name, value) in endpoints {
        let Some(value) = value else { continue };
        match url::Url::parse(value) {
            Err(e) => f.push(
                Severity::Error,
                "endpoint_not_a_url",
                None,
                format!("{name} \"{value}\" is not an absolute URL ({e})"),
                "ask the provider's administrator to correct the metadata, or enter the endpoint by hand",
            ),
            Ok(u) if u.scheme() == "https" => {}
            Ok(u) if u.scheme() == "http" && is_loopback_host(&u) => {}
            Ok(_) => f.push(
                Severity::Error,
                "endpoint_not_https",
                None,
                format!("{name} \"{value}\" does not use https://"),
                "providers must serve endpoints over https; fix the provider's public URL setting",
            ),
        }
    }
}

/// The values joined for a message, or "none listed" for an empty list (never "()").
fn listed(values: &[String], separator: &str) -> String {
    if values.is_empty() {
        "none listed".to_owned()
    } else {
        values.join(separator)
    }
}

/// A `…_supported` list of the document, or the specification's default for a document that
/// lists none (OpenID Connect Discovery §3): a finding must not put the default in the
/// provider's mouth.
struct Supported {
    field: &'static str,
    values: Vec<String>,
    defaulted: bool,
}

impl Supported {
    fn of(listed: &Option<Vec<String>>, field: &'static str, default: &[&str]) -> Self {
        match listed {
            Some(values) => Self {
                field,
                values: values.clone(),
                defaulted: false,
            },
            None => Self {
                field,
                values: default.iter().map(|&v| v.to_owned()).collect(),
                defaulted: true,
            },
        }
    }

    fn has(&self, value: &str) -> bool {
        self.values.iter().any(|v| v == value)
    }

    /// "the provider supports a, b", or what the default is and why it applies.
    fn phrase(&self) -> String {
        let values = listed(&self.values, ", ");
        if self.defaulted {
            format!(
                "the provider's document lists no {}, so the specification's default applies: {values}",
                self.field
            )
        } else if self.values.is_empty() {
            format!("the provider's {} is an empty list", self.field)
        } else {
            format!("the provider supports {values} ({})", self.field)
        }
    }
}

fn judge_settings(f: &mut Findings, m: &ProviderMetadata, s: &DirectoryDocument) {
    if s.pkce {
        match contains(&m.code_challenge_methods_supported, "S256") {
            Some(true) => {}
            Some(false) => f.push(
                Severity::Error,
                "pkce_s256_missing",
                Some("pkce"),
                format!(
                    "PKCE is on, but code_challenge_methods_supported ({}) does not include S256",
                    listed(m.code_challenge_methods_supported.as_deref().unwrap_or_default(), ", ")
                ),
                "turn PKCE off for this directory, or enable S256 at the provider",
            ),
            None => f.push(
                Severity::Info,
                "pkce_not_advertised",
                Some("pkce"),
                "the provider does not advertise code_challenge_methods_supported; many (Microsoft Entra among them) accept S256 anyway".into(),
                "keep PKCE on and run a test sign-in to confirm",
            ),
        }
    }
    let modes = Supported::of(
        &m.response_modes_supported,
        "response_modes_supported",
        &["query", "fragment"],
    );
    let mode = if s.response_mode_form_post {
        "form_post"
    } else {
        "query"
    };
    if !modes.has(mode) {
        f.push(
            Severity::Error,
            "response_mode_unsupported",
            Some("response_mode_form_post"),
            format!(
                "the directory uses the {mode} response mode, but {}",
                modes.phrase()
            ),
            if s.response_mode_form_post {
                "turn off Response Mode Form Post"
            } else {
                "turn on Response Mode Form Post"
            },
        );
    }
    let methods = Supported::of(
        &m.token_endpoint_auth_methods_supported,
        "token_endpoint_auth_methods_supported",
        &["client_secret_basic"],
    );
    let method = if s.token_endpoint_basic_auth {
        "client_secret_basic"
    } else {
        "client_secret_post"
    };
    if !methods.has(method) {
        let other = if s.token_endpoint_basic_auth {
            "client_secret_post"
        } else {
            "client_secret_basic"
        };
        let fix = if methods.has(other) {
            if s.token_endpoint_basic_auth {
                "turn off Token Endpoint Basic Auth"
            } else {
                "turn on Token Endpoint Basic Auth"
            }
        } else {
            "the provider supports neither client secret method; check the client's authentication settings there"
        };
        f.push(
            Severity::Error,
            "token_auth_unsupported",
            Some("token_endpoint_basic_auth"),
            format!(
                "the directory authenticates with {method}, but {}",
                methods.phrase()
            ),
            fix,
        );
    }
    let grants = Supported::of(
        &m.grant_types_supported,
        "grant_types_supported",
        &["authorization_code", "implicit"],
    );
    if !grants.has("authorization_code") {
        f.push(
            Severity::Error,
            "authorization_code_unsupported",
            None,
            format!(
                "the test sign-in and the sign-in service use the authorization code flow, but {}",
                grants.phrase()
            ),
            "allow the authorization code grant for this client at the provider",
        );
    }
    if let Some(supported) = &m.scopes_supported {
        for scope in s.scopes.split_whitespace() {
            if !supported.iter().any(|x| x == scope) {
                f.push(
                    Severity::Warning,
                    "scope_not_advertised",
                    Some("scopes"),
                    format!("the scope \"{scope}\" is not in scopes_supported ({})", listed(supported, " ")),
                    "check the scope's spelling; providers may still accept scopes they do not list",
                );
            }
        }
    }
}

fn judge_signing(f: &mut Findings, m: &ProviderMetadata, key_set: &KeySetOutcome) {
    if let Some(algs) = &m.id_token_signing_alg_values_supported {
        if algs.iter().any(|a| a == "none") {
            f.push(
                Severity::Warning,
                "alg_none_offered",
                None,
                "the provider offers unsigned ID tokens (alg \"none\"); the console rejects them"
                    .into(),
                "configure the client at the provider to sign ID tokens with RS256 or ES256",
            );
        }
        if !algs.is_empty() && algs.iter().all(|a| a == "none" || a.starts_with("HS")) {
            f.push(
                Severity::Warning,
                "only_symmetric_algs",
                None,
                format!(
                    "the provider signs ID tokens only with {} (shared-secret or no signature)",
                    algs.join(", ")
                ),
                "prefer RS256 or ES256 so tokens can be verified with the published keys",
            );
        }
    }
    match key_set {
        KeySetOutcome::NotFetched => {}
        KeySetOutcome::Failed { message } => f.push(
            Severity::Error,
            "jwks_unreadable",
            Some("jwks_uri"),
            format!("the key set could not be read: {message}"),
            "check jwks_uri; without keys no ID token signature can be verified",
        ),
        KeySetOutcome::Fetched { summary } if summary.signing_keys == 0 => f.push(
            Severity::Error,
            "jwks_no_signing_key",
            Some("jwks_uri"),
            format!(
                "the key set holds {} key(s), none usable to verify signatures",
                summary.keys.len()
            ),
            "check jwks_uri and the provider's signing key configuration",
        ),
        KeySetOutcome::Fetched { summary } => f.push(
            Severity::Info,
            "jwks_ok",
            Some("jwks_uri"),
            format!(
                "the key set holds {} signing key(s): {}",
                summary.signing_keys,
                summary
                    .keys
                    .iter()
                    .filter(|k| k.usable_for_signatures)
                    .map(|k| format!(
                        "{} {}{}",
                        k.kty.as_deref().unwrap_or("?"),
                        k.alg.as_deref().unwrap_or("(no alg)"),
                        k.kid
                            .as_deref()
                            .map(|kid| format!(" kid {kid}"))
                            .unwrap_or_default()
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            "nothing to do",
        ),
    }
}

#[cfg(test)]
mod tests;
