//! The diagnostics report (C16): one document about a directory connection — the directory
//! without its secret, discovery with its findings, the last test sign-in step by step, the
//! claim-mapping, staff and external-ID evaluation and the routing decision — or about a SCIM
//! connection's checks. Secrets are always removed; personal data on request (DESIGN §7.4).
//! Written as a self-contained HTML page ([`html`]) or as JSON, which [`Report::parse`] reads
//! back.

pub mod html;
mod redact;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::directory::DirectoryDocument;
use crate::discovery::DiscoveryReport;
use crate::error_kind::ErrorKind;
use crate::mapping::ClaimsEvaluation;
use crate::routing::RouteDecision;
use crate::scim::connection::ScimConnectionDocument;
use crate::scim::lifecycle::DryRunReport;
use crate::scim::review::EndpointReview;
use crate::scim::test_connection::TestConnectionReport;
use crate::sensitive::SecretString;
use crate::signin::SignInResult;

pub use redact::Redaction;

/// The `format` every report names.
pub const FORMAT: &str = "sso-console/report";
/// The version of the report's shape this console writes and reads.
pub const VERSION: u32 = 1;
/// The largest report file read.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// What a report is about and what it holds; every part is optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, rename = "DiagnosticsReport")]
pub struct Report {
    /// Always [`FORMAT`].
    pub format: String,
    /// The shape's version: [`VERSION`].
    pub version: u32,
    /// When it was made (RFC 3339, UTC).
    pub created_at: String,
    /// The version of SSO Console that made it.
    pub app_version: String,
    /// The operating system and processor it was made on.
    pub platform: String,
    /// What was removed before it was written.
    pub redaction: Redaction,
    /// The directory, without its client secret.
    pub directory: Option<DirectoryDocument>,
    /// The latest discovery with its findings, the metadata document and the key set summary.
    pub discovery: Option<DiscoveryReport>,
    /// Why discovery could not run, when it could not.
    pub discovery_error: Option<String>,
    /// The last test sign-in: its trace, checks and claims by source (tokens not kept).
    pub sign_in: Option<SignInResult>,
    /// The claim mappings, external ID and staff identification evaluated on its claims.
    pub evaluation: Option<ClaimsEvaluation>,
    /// Where the signed-in user's email is routed.
    pub routing: Option<RouteDecision>,
    /// A SCIM connection's checks.
    pub scim: Option<ScimPart>,
}

/// A SCIM connection and the checks run on it; its bearer token is never in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimReportPart")]
pub struct ScimPart {
    /// The connection, with its mappings.
    pub connection: Option<ScimConnectionDocument>,
    /// The requests Entra's and Okta's Test Connection send, judged.
    pub test_connection: Option<TestConnectionReport>,
    /// The endpoint review.
    pub review: Option<EndpointReview>,
    /// The lifecycle dry run's log.
    pub dry_run: Option<DryRunReport>,
}

/// What to take out beyond the secrets, which always go.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ReportOptions")]
pub struct RedactOptions {
    /// E-mail addresses, names, phone numbers, postal addresses and free-text claims,
    /// replaced by stable placeholders.
    pub personal_data: bool,
    /// User identifiers (`sub`, `oid`) too.
    pub identifiers: bool,
}

/// The file format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ReportFormat")]
pub enum ReportFormat {
    /// A self-contained web page.
    #[default]
    Html,
    /// One JSON document the app reopens.
    Json,
}

impl ReportFormat {
    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Html => "html",
            Self::Json => "json",
        }
    }
}

/// What a report is built from. Everything is optional; the secrets are the values that must
/// appear nowhere in it, whatever part echoes them.
#[derive(Debug, Default)]
pub struct Parts {
    /// The directory.
    pub directory: Option<DirectoryDocument>,
    /// Discovery, or why it failed.
    pub discovery: Option<Result<DiscoveryReport, String>>,
    /// The last test sign-in.
    pub sign_in: Option<SignInResult>,
    /// The evaluation of its claims.
    pub evaluation: Option<ClaimsEvaluation>,
    /// The routing decision for the signed-in user's email.
    pub routing: Option<RouteDecision>,
    /// A SCIM connection's checks.
    pub scim: Option<ScimPart>,
    /// The client secret, a SCIM token: removed wherever they appear.
    pub secrets: Vec<SecretString>,
}

/// Why a report file cannot be read, or a report not made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// Larger than [`MAX_BYTES`].
    #[error("the file is larger than a report can be ({} MiB); choose the JSON report SSO Console saved", MAX_BYTES / (1024 * 1024))]
    TooLarge,
    /// Not a JSON document.
    #[error("the file is not a JSON report ({0}); open a report saved with the JSON format")]
    NotJson(String),
    /// Some other JSON document.
    #[error("the file is not an SSO Console report (its \"format\" is {0}); open a report saved with the JSON format")]
    OtherFormat(String),
    /// Written by a newer console.
    #[error("the report is version {0}, made by a newer SSO Console; this one reads version {VERSION}: update SSO Console to read it")]
    Newer(u32),
    /// A part does not have the report's shape.
    #[error("the report cannot be read: {0}")]
    Malformed(String),
    /// Redaction failed, so no report was made rather than one that might leak.
    #[error("the report could not be made: {0}; nothing was written. Please report this fault of SSO Console")]
    NotRedacted(String),
}

impl ReportError {
    /// The kind of failure for the front ends.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::NotRedacted(_) => ErrorKind::Internal,
            _ => ErrorKind::InvalidReport,
        }
    }
}

impl Report {
    /// Builds a report from `parts`: the secrets removed, and personal data too when asked.
    pub fn build(parts: Parts, options: RedactOptions) -> Result<Self, ReportError> {
        let Parts {
            directory,
            discovery,
            sign_in,
            evaluation,
            routing,
            scim,
            secrets,
        } = parts;
        let (discovery, discovery_error) = match discovery {
            Some(Ok(d)) => (Some(d), None),
            Some(Err(e)) => (None, Some(e)),
            None => (None, None),
        };
        let report = Self {
            format: FORMAT.to_owned(),
            version: VERSION,
            created_at: time::OffsetDateTime::now_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            platform: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            redaction: Redaction::default(),
            directory,
            discovery,
            discovery_error,
            sign_in: sign_in.map(without_tokens),
            evaluation,
            routing,
            scim,
        };
        redact::redact(report, &secrets, options)
    }

    /// Reads a JSON report, refusing what is not one.
    pub fn parse(bytes: &[u8]) -> Result<Self, ReportError> {
        if bytes.len() > MAX_BYTES {
            return Err(ReportError::TooLarge);
        }
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| ReportError::NotJson(e.to_string()))?;
        match value.get("format") {
            Some(serde_json::Value::String(f)) if f == FORMAT => {}
            Some(other) => return Err(ReportError::OtherFormat(other.to_string())),
            None => return Err(ReportError::OtherFormat("missing".to_owned())),
        }
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if v > u64::from(VERSION) => {
                return Err(ReportError::Newer(u32::try_from(v).unwrap_or(u32::MAX)))
            }
            Some(_) => {}
            None => return Err(ReportError::Malformed("it has no \"version\"".to_owned())),
        }
        serde_path_to_error::deserialize(value)
            .map_err(|e| ReportError::Malformed(crate::error_kind::json_shape_error(&e)))
    }

    /// The report as a file's content.
    pub fn render(&self, format: ReportFormat) -> String {
        match format {
            ReportFormat::Html => html::render(self),
            ReportFormat::Json => {
                let mut out = serde_json::to_string_pretty(self).unwrap_or_default();
                out.push('\n');
                out
            }
        }
    }
}

/// The sign-in as a report keeps it: the decoded header and claims of each token, never the
/// token itself (so neither its signature nor an opaque token's value).
fn without_tokens(mut result: SignInResult) -> SignInResult {
    for source in [
        &mut result.id_token,
        &mut result.access_token,
        &mut result.userinfo,
    ] {
        source.raw = None;
    }
    result
}

/// Writes a report file all at once (see [`crate::files::write_whole`]).
pub fn write_file(path: &std::path::Path, content: &str) -> std::io::Result<()> {
    crate::files::write_whole(path, content.as_bytes())
}

/// Reads a report file, at most one byte more than a report may be: an enormous file is
/// refused as too large by [`Report::parse`] without being read whole.
pub fn read_file(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    crate::files::read_at_most(path, MAX_BYTES)
}

/// A file name for the report of `subject` ("Contoso staff") made today.
pub fn file_name(subject: &str, format: ReportFormat) -> String {
    let slug = crate::files::slug(subject);
    let date = time::OffsetDateTime::now_utc().date();
    format!(
        "sso-console-report-{}{date}.{}",
        if slug.is_empty() {
            String::new()
        } else {
            format!("{slug}-")
        },
        format.extension()
    )
}
