//! Directory connections and workspace settings.

use sso_console::directory::{DirectoryDocument, DirectoryId};
use sso_console::error_kind::ErrorKind;
use sso_console::expiry::SecretExpiry;
use sso_console::logo::{self, LogoInfo};
use sso_console::sensitive::SecretString;
use sso_console::workspace::{DirectoryDetail, DirectorySummary, Settings};
use sso_console::{Workspace, WorkspaceError};
use tauri::State;

use crate::error::CommandError;
use crate::snapshot::{ListSnapshot, Markup};

type Result<T> = std::result::Result<T, CommandError>;

pub(crate) fn directory_id(id: &str) -> Result<DirectoryId> {
    DirectoryId::parse(id).map_err(|message| CommandError::new(ErrorKind::NotFound, message))
}

#[tauri::command]
pub async fn list_directories(
    ws: State<'_, Workspace>,
    query: String,
) -> Result<Vec<DirectorySummary>> {
    Ok(ws.list(&query).await?)
}

/// Keeps the markup of the list's first frame for the next start (src/snapshot.rs). The page
/// cannot act on a failure, so it is only logged: the next start draws the list as usual.
#[tauri::command]
pub async fn keep_list_snapshot(
    snapshot: State<'_, ListSnapshot>,
    root_class: String,
    html: String,
) -> Result<()> {
    if let Err(e) = snapshot.save(Markup { root_class, html }) {
        tracing::warn!(error = %e, "the list's first frame was not kept for the next start");
    }
    Ok(())
}

#[tauri::command]
pub async fn get_directory(ws: State<'_, Workspace>, id: String) -> Result<DirectoryDetail> {
    Ok(ws.get(directory_id(&id)?).await?)
}

#[tauri::command]
pub async fn directory_logo(ws: State<'_, Workspace>, id: String) -> Result<String> {
    let bytes = ws.logo(directory_id(&id)?).await?;
    Ok(base64_encode(&bytes))
}

#[tauri::command]
pub fn new_directory_template() -> DirectoryDocument {
    DirectoryDocument::default()
}

#[tauri::command]
pub async fn create_directory(
    ws: State<'_, Workspace>,
    document: DirectoryDocument,
    client_secret: String,
) -> Result<DirectoryDetail> {
    Ok(ws
        .create(&document, &SecretString::new(client_secret))
        .await?)
}

#[tauri::command]
pub async fn update_directory(
    ws: State<'_, Workspace>,
    id: String,
    expected_revision: i64,
    document: DirectoryDocument,
    client_secret: Option<String>,
) -> Result<DirectoryDetail> {
    let secret = client_secret.map(SecretString::new);
    Ok(ws
        .update(
            directory_id(&id)?,
            Some(expected_revision),
            &document,
            secret.as_ref(),
        )
        .await?)
}

#[tauri::command]
pub async fn duplicate_directory(ws: State<'_, Workspace>, id: String) -> Result<DirectoryDetail> {
    Ok(ws.duplicate(directory_id(&id)?).await?)
}

#[tauri::command]
pub async fn delete_directory(ws: State<'_, Workspace>, id: String) -> Result<()> {
    ws.delete(directory_id(&id)?).await?;
    Ok(())
}

#[tauri::command]
pub fn check_logo(png_base64: String) -> Result<LogoInfo> {
    let logo = logo::Logo::from_base64(&png_base64).map_err(WorkspaceError::from)?;
    Ok(logo.info())
}

#[tauri::command]
pub async fn get_settings(ws: State<'_, Workspace>) -> Result<Settings> {
    Ok(ws.settings().await?)
}

#[tauri::command]
pub async fn update_settings(
    ws: State<'_, Workspace>,
    sign_in_service_url: Option<String>,
) -> Result<Settings> {
    Ok(ws
        .set_sign_in_service_url(sign_in_service_url.as_deref())
        .await?)
}

#[tauri::command]
pub async fn directories_needing_attention(
    ws: State<'_, Workspace>,
) -> Result<Vec<DirectorySummary>> {
    Ok(ws.needing_attention().await?)
}

/// Where a secret expiring on `date` (as typed in the editor) stands today, by the core's rule.
#[tauri::command]
pub fn secret_expiry(date: String) -> SecretExpiry {
    sso_console::expiry::of_typed(&date)
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
