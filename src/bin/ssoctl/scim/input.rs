//! What a SCIM command reads: the bearer token, the mapping document, the sample user, and the
//! client for a URL or a stored connection.

use std::path::Path;
use std::time::Duration;

use serde_json::Value as Json;
use sso_console::directory::FieldError;
use sso_console::error_kind::ErrorKind;
use sso_console::http::{HttpClient, HttpLimits};
use sso_console::scim::client::BaseUrl;
use sso_console::scim::mapping::MappingDocument;
use sso_console::scim::templates;
use sso_console::scim::{ScimClient, ScimConnectionDetail, ScimConnectionId};
use sso_console::sensitive::SecretString;

use super::{invalid, Access};
use crate::{environment, open_workspace, Cli, Failure};

pub(super) fn invalid_mappings(fields: Vec<FieldError>) -> Failure {
    Failure::Invalid {
        kind: ErrorKind::Validation,
        message: format!(
            "the mapping document has {} problem(s): {}",
            fields.len(),
            fields
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ),
        fields,
    }
}

pub(super) fn unknown_template(id: &str) -> Failure {
    let known: Vec<String> = templates::templates().into_iter().map(|t| t.id).collect();
    environment(format!(
        "no mapping template \"{id}\"; the templates are {}",
        known.join(", ")
    ))
}

pub(super) fn unknown_sample(id: &str) -> Failure {
    let known: Vec<String> = templates::sample_users()
        .into_iter()
        .map(|s| s.id)
        .collect();
    environment(format!(
        "no sample user \"{id}\"; the samples are {}",
        known.join(", ")
    ))
}

/// A client for a URL or a stored connection, and the stored connection's mappings.
pub(super) async fn client(
    cli: &Cli,
    target: &str,
    access: &Access,
) -> Result<(ScimClient, Option<MappingDocument>), Failure> {
    let http = HttpClient::new(HttpLimits {
        total_timeout: Duration::from_secs(access.timeout),
        connect_timeout: Duration::from_secs(access.timeout.min(5)),
        ..HttpLimits::default()
    })?;
    let from_stdin = if access.token_stdin {
        Some(read_token()?)
    } else {
        None
    };
    if looks_like_url(target) {
        let base = BaseUrl::parse(target)
            .map_err(|message| environment(format!("{target} is not a tenant URL: {message}")))?;
        return Ok((ScimClient::new(http, base, from_stdin), None));
    }
    let ws = open_workspace(cli).await?;
    let result = async {
        let detail = ws.find_scim_connection(target).await?;
        let id = connection_id(&detail)?;
        let token = match from_stdin {
            Some(token) => Some(token),
            None => ws.scim_token(id).await?,
        };
        let base = BaseUrl::parse(&detail.document.tenant_url).map_err(environment)?;
        Ok((
            ScimClient::new(http, base, token),
            Some(detail.document.mappings),
        ))
    }
    .await;
    ws.close().await;
    result
}

pub(super) fn looks_like_url(target: &str) -> bool {
    let lower = target.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

pub(super) fn connection_id(detail: &ScimConnectionDetail) -> Result<ScimConnectionId, Failure> {
    ScimConnectionId::parse(detail.document.id.as_deref().unwrap_or_default()).map_err(environment)
}

pub(super) fn read_token() -> Result<SecretString, Failure> {
    crate::read_stdin_secret("SCIM bearer token")
}

pub(super) fn read_json(path: &Path, what: &str) -> Result<Json, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| environment(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        invalid(
            ErrorKind::Validation,
            format!("{} is not {what}: {e}", path.display()),
        )
    })
}

pub(super) fn read_mappings(source: &str) -> Result<MappingDocument, Failure> {
    if let Some(id) = source.strip_prefix("template:") {
        return templates::template(id)
            .map(|t| t.document)
            .ok_or_else(|| unknown_template(id));
    }
    let path = Path::new(source);
    let text = std::fs::read_to_string(path)
        .map_err(|e| environment(format!("cannot read {}: {e}", path.display())))?;
    MappingDocument::from_json(&text).map_err(|mut fields| {
        let message = format!(
            "{}: {}",
            path.display(),
            fields
                .first()
                .map(|f| f.message.clone())
                .unwrap_or_default()
        );
        fields.truncate(1);
        Failure::Invalid {
            kind: ErrorKind::Validation,
            message,
            fields,
        }
    })
}

pub(super) fn read_user(source: &str) -> Result<Json, Failure> {
    if let Some(id) = source.strip_prefix("sample:") {
        return templates::sample_user(id)
            .map(|s| s.user)
            .ok_or_else(|| unknown_sample(id));
    }
    let user = read_json(Path::new(source), "a source user (JSON object)")?;
    if !user.is_object() {
        return Err(invalid(
            ErrorKind::Validation,
            format!("{source} must hold one JSON object: the source user"),
        ));
    }
    Ok(user)
}
