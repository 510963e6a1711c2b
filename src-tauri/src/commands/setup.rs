//! Guided setup (C18): the provider's choice, then one flow through discovery, the provider's
//! steps, the credentials, the save, the test sign-in and the checks after it.

use serde::Serialize;
use sso_console::discovery::DiscoveryReport;
use sso_console::error_kind::ErrorKind;
use sso_console::http::HttpClient;
use sso_console::presets::guide::Guide;
use sso_console::presets::{PresetInfo, PRESETS};
use sso_console::sensitive::SecretString;
use sso_console::workspace::{Setup, SetupStepId, SetupSummary};
use sso_console::Workspace;
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

use super::dialog::{choose, Dialog};
use super::directories::directory_id;
use crate::error::CommandError;

/// The provider presets, in the order a person meets them.
#[tauri::command]
pub fn list_presets() -> Vec<PresetInfo> {
    PRESETS.iter().map(|p| p.info()).collect()
}

/// Starts a guided setup: nothing is stored when a value or the name is refused.
#[tauri::command]
pub async fn start_setup(
    ws: State<'_, Workspace>,
    preset: String,
    values: Vec<(String, String)>,
    name: String,
) -> Result<Setup, CommandError> {
    Ok(ws.start_setup(&preset, &values, &name, None).await?)
}

/// The setups, the most recently changed first.
#[tauri::command]
pub async fn list_setups(ws: State<'_, Workspace>) -> Result<Vec<SetupSummary>, CommandError> {
    Ok(ws.setups().await?)
}

/// One setup and where each step stands.
#[tauri::command]
pub async fn get_setup(ws: State<'_, Workspace>, id: String) -> Result<Setup, CommandError> {
    Ok(ws.setup(directory_id(&id)?).await?)
}

/// Runs discovery for the setup; the endpoints found wait for confirmation.
#[tauri::command]
pub async fn run_setup_discovery(
    ws: State<'_, Workspace>,
    http: State<'_, HttpClient>,
    id: String,
) -> Result<DiscoveryReport, CommandError> {
    Ok(ws.setup_discovery(directory_id(&id)?, &http).await?)
}

/// Takes the endpoints the last discovery found into the directory.
#[tauri::command]
pub async fn confirm_setup_discovery(
    ws: State<'_, Workspace>,
    id: String,
) -> Result<Setup, CommandError> {
    Ok(ws.confirm_setup_discovery(directory_id(&id)?).await?)
}

/// Records that the steps at the provider are done.
#[tauri::command]
pub async fn confirm_setup_provider(
    ws: State<'_, Workspace>,
    id: String,
) -> Result<Setup, CommandError> {
    Ok(ws.confirm_setup_provider(directory_id(&id)?).await?)
}

/// Records how the claims evaluation or the routing check of the flow went.
#[tauri::command]
pub async fn record_setup_step(
    ws: State<'_, Workspace>,
    id: String,
    step: SetupStepId,
    ok: bool,
    detail: String,
) -> Result<Setup, CommandError> {
    Ok(ws
        .record_setup_step(directory_id(&id)?, step, ok, detail)
        .await?)
}

/// Saves the setup's directory with its client ID, secret and expiry (an empty secret keeps a
/// saved directory's secret).
#[tauri::command]
pub async fn save_setup_directory(
    ws: State<'_, Workspace>,
    id: String,
    client_id: String,
    client_secret: String,
    client_secret_expires_on: Option<String>,
) -> Result<Setup, CommandError> {
    Ok(ws
        .save_setup_directory(
            directory_id(&id)?,
            &client_id,
            &SecretString::new(client_secret),
            client_secret_expires_on.filter(|d| !d.trim().is_empty()),
        )
        .await?)
}

/// Forgets a setup; a directory it saved stays.
#[tauri::command]
pub async fn discard_setup(ws: State<'_, Workspace>, id: String) -> Result<(), CommandError> {
    Ok(ws.discard_setup(directory_id(&id)?).await?)
}

/// A setup's provider-side guide, and the same as Markdown and HTML.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct GuideText {
    /// The guide.
    pub guide: Guide,
    /// As Markdown.
    pub markdown: String,
    /// As a page of HTML.
    pub html: String,
}

impl GuideText {
    /// The guide with its Markdown and HTML.
    pub fn of(guide: Guide) -> Self {
        Self {
            markdown: guide.to_markdown(),
            html: guide.to_html(),
            guide,
        }
    }
}

/// The provider-side guide of a setup.
#[tauri::command]
pub async fn setup_guide(ws: State<'_, Workspace>, id: String) -> Result<GuideText, CommandError> {
    Ok(GuideText::of(ws.setup_guide(directory_id(&id)?).await?))
}

/// Saves a setup's guide where the person chooses, as Markdown or HTML; `None` when they
/// cancelled.
#[tauri::command]
pub async fn save_setup_guide<R: Runtime>(
    app: AppHandle<R>,
    ws: State<'_, Workspace>,
    id: String,
    html: bool,
) -> Result<Option<String>, CommandError> {
    let guide = ws.setup_guide(directory_id(&id)?).await?;
    let (content, filter, extension) = if html {
        (guide.to_html(), ("Web page", "html"), "html")
    } else {
        (guide.to_markdown(), ("Markdown", "md"), "md")
    };
    let dialog = Dialog::Save {
        title: "Save the setup guide",
        file_name: format!(
            "{}-setup-guide.{extension}",
            sso_console::files::slug(&guide.title)
        ),
        filter,
    };
    let Some(path) = choose(&app, dialog).await else {
        return Ok(None);
    };
    sso_console::files::write_whole(&path, content.as_bytes()).map_err(|e| {
        CommandError::new(
            ErrorKind::Environment,
            format!(
                "the guide could not be saved to {}: {e}; choose a folder you can write to",
                path.display()
            ),
        )
    })?;
    tracing::info!(path = %path.display(), "setup guide saved");
    Ok(Some(path.display().to_string()))
}
