//! Connection health: whether a directory's provider still accepts its client secret, and what
//! changed at the provider since earlier checks.

use sso_console::discovery;
use sso_console::http::HttpClient;
use sso_console::signin::SecretProbe;
use sso_console::workspace::{DirectoryProbe, ProviderChange};
use sso_console::Workspace;
use tauri::State;

use super::directories::directory_id;
use crate::error::CommandError;

/// One token request with a made-up code, authenticated as the directory does: the answer
/// says whether the secret is accepted, refused, or not confirmed; nothing is sent without a
/// stored secret.
#[tauri::command]
pub async fn probe_client_secret(
    ws: State<'_, Workspace>,
    http: State<'_, HttpClient>,
    id: String,
) -> Result<SecretProbe, CommandError> {
    Ok(ws.probe_secret(directory_id(&id)?, &http).await?)
}

/// The secret probe of every stored directory, at "Check all"'s concurrency: one token request
/// each, none for a directory without a stored secret.
#[tauri::command]
pub async fn probe_all_secrets(
    ws: State<'_, Workspace>,
    http: State<'_, HttpClient>,
) -> Result<Vec<DirectoryProbe>, CommandError> {
    Ok(ws.probe_secrets(&http, discovery::DEFAULT_BOUND).await?)
}

/// What the checks saw change at a directory's provider, newest first.
#[tauri::command]
pub async fn provider_history(
    ws: State<'_, Workspace>,
    id: String,
) -> Result<Vec<ProviderChange>, CommandError> {
    Ok(ws.provider_history(directory_id(&id)?).await?)
}
