//! Discovery (C4): from whatever was pasted into "Discovery Domain", fetch the provider's OpenID
//! configuration and key set, prefill the directory's endpoints and judge the provider against
//! the directory's settings.

mod check_all;
mod drift;
mod findings;
mod input;
mod jwks;
mod metadata;

pub use check_all::{check_all, discovery_input, CheckStatus, DirectoryCheck, DEFAULT_BOUND};
pub use drift::{compare as compare_snapshots, KeyPrint, ProviderSnapshot, DRIFT_PREFIX};
pub use findings::{judge, KeySetOutcome};

use crate::findings::{Finding, Severity};
pub use input::{discovery_url, expected_issuer, WELL_KNOWN};
pub use jwks::{summarise as summarise_key_set, KeySetError, KeySetSummary, KeySummary};
pub use metadata::{OddField, ProviderMetadata};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::directory::DirectoryDocument;
use crate::http::{HttpClient, HttpError, HttpResponse};

/// Why the discovery document could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DiscoveryError {
    /// The pasted text is not a usable domain or URL.
    #[error("{0}")]
    BadInput(String),
    /// The network failed.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The server answered with an error status.
    #[error("{url} answered {status}: {hint}")]
    Status {
        /// The document URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// What it likely means.
        hint: String,
    },
    /// The server redirects; we do not follow redirects.
    #[error("{url} redirects to {location}; discovery does not follow redirects — paste the address it redirects to, if you trust it")]
    Redirect {
        /// The document URL.
        url: String,
        /// Where it points.
        location: String,
    },
    /// The answer is a web page, not JSON.
    #[error("{url} answered with an HTML page (a login or error page?), not the OpenID configuration; check the discovery domain")]
    Html {
        /// The document URL.
        url: String,
    },
    /// The answer is not valid JSON.
    #[error("{url} did not answer with valid JSON ({detail}); check the discovery domain")]
    InvalidJson {
        /// The document URL.
        url: String,
        /// The parser's account, with line and column.
        detail: String,
    },
    /// JSON, but not an object.
    #[error("{url} answered with {found}, not the OpenID configuration object")]
    NotAnObject {
        /// The document URL.
        url: String,
        /// What it was.
        found: String,
    },
}

/// The directory fields discovery fills in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Prefill {
    /// Authorization URL.
    pub authorization_url: Option<String>,
    /// Token URL.
    pub token_url: Option<String>,
    /// Userinfo URL.
    pub userinfo_url: Option<String>,
    /// Issuer.
    pub issuer: Option<String>,
    /// JWKS URI.
    pub jwks_uri: Option<String>,
}

impl Prefill {
    /// `doc` with the endpoints discovery found in place of its own.
    pub fn apply_to(&self, doc: &DirectoryDocument) -> DirectoryDocument {
        let mut out = doc.clone();
        if let Some(v) = &self.authorization_url {
            out.authorization_url.clone_from(v);
        }
        if let Some(v) = &self.token_url {
            out.token_url.clone_from(v);
        }
        if self.userinfo_url.is_some() {
            out.userinfo_url.clone_from(&self.userinfo_url);
        }
        if self.issuer.is_some() {
            out.issuer.clone_from(&self.issuer);
        }
        if self.jwks_uri.is_some() {
            out.jwks_uri.clone_from(&self.jwks_uri);
        }
        out
    }
}

/// A directory field that discovery would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldChange {
    /// The document field name.
    pub field: String,
    /// The current value (`None` when empty).
    pub old: Option<String>,
    /// The discovered value.
    pub new: String,
}

/// Everything discovery learnt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiscoveryReport {
    /// The document's URL.
    pub document_url: String,
    /// The fields read from it.
    pub metadata: ProviderMetadata,
    /// The document, pretty-printed.
    pub raw_document: String,
    /// What the key set held.
    pub key_set: KeySetOutcome,
    /// The fields to fill in.
    pub prefill: Prefill,
    /// What would change in the directory given (old → new).
    pub changes: Vec<FieldChange>,
    /// What was noticed, errors first.
    pub findings: Vec<Finding>,
    /// Time spent on the network, in milliseconds.
    pub elapsed_ms: u32,
}

impl DiscoveryReport {
    /// The most serious finding's severity, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).min()
    }

    /// The settings with the discovered fields applied.
    pub fn apply_to(&self, doc: &DirectoryDocument) -> DirectoryDocument {
        self.prefill.apply_to(doc)
    }
}

/// Reads a fetched discovery answer into a JSON object, or says why it is not one.
pub fn parse_document(
    response: &HttpResponse,
) -> Result<serde_json::Map<String, Value>, DiscoveryError> {
    let url = response.url.clone();
    let status = response.status.as_u16();
    if response.status.is_redirection() {
        let location = response
            .location()
            .unwrap_or("(no Location header)")
            .to_owned();
        return Err(DiscoveryError::Redirect { url, location });
    }
    if !response.status.is_success() {
        let hint = match status {
            404 => "there is no OpenID configuration at this address; check the domain and include the issuer's path (for example /realms/<name>, /oauth2/default or /<tenant>/v2.0)".to_owned(),
            401 | 403 => "the provider refuses to publish its configuration to us; check the address".to_owned(),
            500..=599 => "the provider failed; try again later".to_owned(),
            _ => "check the discovery domain".to_owned(),
        };
        return Err(DiscoveryError::Status { url, status, hint });
    }
    if response.is_html_page() {
        return Err(DiscoveryError::Html { url });
    }
    let value: Value =
        serde_json::from_slice(&response.body).map_err(|e| DiscoveryError::InvalidJson {
            url: url.clone(),
            detail: e.to_string(),
        })?;
    match value {
        Value::Object(map) => Ok(map),
        Value::Array(_) => Err(DiscoveryError::NotAnObject {
            url,
            found: "a JSON array".into(),
        }),
        other => Err(DiscoveryError::NotAnObject {
            url,
            found: match other {
                Value::String(_) => "a JSON string".into(),
                Value::Number(_) => "a JSON number".into(),
                Value::Bool(_) => "a JSON true or false".into(),
                _ => "JSON null".into(),
            },
        }),
    }
}

/// A provider's metadata and key set as fetched, before judging.
#[derive(Debug, Clone)]
pub struct Fetched {
    url: url::Url,
    object: serde_json::Map<String, Value>,
    metadata: ProviderMetadata,
    odd: Vec<OddField>,
    key_set: KeySetOutcome,
    elapsed_ms: u32,
}

/// Fetches the discovery document at `url`, then its key set: one request each.
pub async fn fetch(client: &HttpClient, url: &url::Url) -> Result<Fetched, DiscoveryError> {
    let started = std::time::Instant::now();
    let response = client.get(url.as_str(), "application/json").await?;
    let object = parse_document(&response)?;
    let (metadata, odd) = ProviderMetadata::read(&object);
    let key_set = match &metadata.jwks_uri {
        None => KeySetOutcome::NotFetched,
        Some(jwks_uri) => fetch_key_set(client, jwks_uri).await,
    };
    let elapsed_ms = u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
    Ok(Fetched {
        url: url.clone(),
        object,
        metadata,
        odd,
        key_set,
        elapsed_ms,
    })
}

/// Judges fetched metadata against `settings` when given. Pure.
pub fn report(fetched: &Fetched, settings: Option<&DirectoryDocument>) -> DiscoveryReport {
    let m = &fetched.metadata;
    let findings = judge(
        &fetched.url,
        &fetched.object,
        m,
        &fetched.odd,
        settings,
        &fetched.key_set,
    );
    let prefill = Prefill {
        authorization_url: m.authorization_endpoint.clone(),
        token_url: m.token_endpoint.clone(),
        userinfo_url: m.userinfo_endpoint.clone(),
        issuer: m.issuer.clone(),
        jwks_uri: m.jwks_uri.clone(),
    };
    let changes = settings.map(|s| changes(s, &prefill)).unwrap_or_default();
    DiscoveryReport {
        document_url: fetched.url.to_string(),
        raw_document: serde_json::to_string_pretty(&fetched.object).unwrap_or_default(),
        metadata: m.clone(),
        key_set: fetched.key_set.clone(),
        prefill,
        changes,
        findings,
        elapsed_ms: fetched.elapsed_ms,
    }
}

/// Discovers from pasted input: fetches, then judges against `settings` when given.
pub async fn discover(
    client: &HttpClient,
    input: &str,
    settings: Option<&DirectoryDocument>,
) -> Result<DiscoveryReport, DiscoveryError> {
    let url = discovery_url(input).map_err(DiscoveryError::BadInput)?;
    Ok(report(&fetch(client, &url).await?, settings))
}

/// Fetches and summarises a key set; failures become the outcome, not an error.
pub async fn fetch_key_set(client: &HttpClient, jwks_uri: &str) -> KeySetOutcome {
    let failed = |message: String| KeySetOutcome::Failed { message };
    match client.get(jwks_uri, "application/json").await {
        Err(e) => failed(e.to_string()),
        Ok(r) if !r.status.is_success() => failed(format!("{jwks_uri} answered {}", r.status)),
        Ok(r) => match summarise_key_set(&r.body) {
            Ok(summary) => KeySetOutcome::Fetched { summary },
            Err(e) => failed(format!("{jwks_uri}: {e}")),
        },
    }
}

fn changes(settings: &DirectoryDocument, prefill: &Prefill) -> Vec<FieldChange> {
    let pairs = [
        (
            "authorization_url",
            Some(settings.authorization_url.as_str()),
            &prefill.authorization_url,
        ),
        (
            "token_url",
            Some(settings.token_url.as_str()),
            &prefill.token_url,
        ),
        (
            "userinfo_url",
            settings.userinfo_url.as_deref(),
            &prefill.userinfo_url,
        ),
        ("issuer", settings.issuer.as_deref(), &prefill.issuer),
        ("jwks_uri", settings.jwks_uri.as_deref(), &prefill.jwks_uri),
    ];
    pairs
        .into_iter()
        .filter_map(|(field, old, new)| {
            let new = new.as_ref()?;
            let old = old.map(str::trim).filter(|o| !o.is_empty());
            (old != Some(new.as_str())).then(|| FieldChange {
                field: field.to_owned(),
                old: old.map(str::to_owned),
                new: new.clone(),
            })
        })
        .collect()
}
