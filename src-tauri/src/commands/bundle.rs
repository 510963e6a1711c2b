//! Export and import (C13): a bundle written where the person chooses in the native dialog, and
//! one chosen there planned, shown, then applied. The chosen bundle's path stays here between
//! the plan and the apply: the page never names a path.

use std::path::PathBuf;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sso_console::bundle;
use sso_console::bundle::plan::{Choices, Plan};
use sso_console::error_kind::ErrorKind;
use sso_console::sensitive::SecretString;
use sso_console::workspace::ImportOutcome;
use sso_console::{Workspace, WorkspaceError};
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

use super::dialog::{choose, Dialog};
use crate::error::CommandError;

/// The bundle the person chose to import: a file or a folder.
#[derive(Default)]
pub struct ChosenBundle(Mutex<Option<(PathBuf, bool)>>);

impl ChosenBundle {
    fn get(&self) -> Result<(PathBuf, bool), CommandError> {
        self.0.lock().ok().and_then(|c| c.clone()).ok_or_else(|| {
            CommandError::new(
                ErrorKind::Usage,
                "no bundle is chosen; choose the bundle to import first",
            )
        })
    }
}

/// What to export.
// No `Debug`: it carries the passphrase.
#[derive(Clone, Deserialize, TS)]
#[ts(export)]
pub struct ExportRequest {
    /// The directories' ids; all of them when empty.
    pub directories: Vec<String>,
    /// A folder with one file per item (for Git) instead of one file.
    pub as_folder: bool,
    /// With a passphrase, the secrets come along, encrypted with it.
    pub passphrase: Option<String>,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExportSummary {
    /// Where.
    pub path: String,
    /// How many directories.
    pub directories: usize,
    /// How many SCIM connections.
    pub scim_connections: usize,
    /// Whether their secrets are in it, encrypted.
    pub secrets: bool,
}

/// A chosen bundle's plan.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    /// The bundle's file or folder.
    pub source: String,
    /// What importing it would do.
    pub plan: Plan,
}

/// What an applied import did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportResult {
    /// The plan that was applied.
    pub plan: Plan,
    /// What it did.
    pub outcome: ImportOutcome,
}

fn passphrase(text: Option<String>) -> Option<SecretString> {
    text.map(SecretString::new)
}

/// Exports directories, their SCIM connections and the settings where the person chooses;
/// `None` when they cancelled.
#[tauri::command]
pub async fn export_bundle<R: Runtime>(
    app: AppHandle<R>,
    ws: State<'_, Workspace>,
    request: ExportRequest,
) -> Result<Option<ExportSummary>, CommandError> {
    let passphrase = passphrase(request.passphrase);
    if request.as_folder && passphrase.is_some() {
        return Err(CommandError::invalid_field(
            "passphrase",
            "secrets are never written into a folder, which is meant for Git; export them to a bundle file instead",
        ));
    }
    if passphrase.as_ref().is_some_and(SecretString::is_empty) {
        return Err(CommandError::invalid_field(
            "passphrase",
            "enter a passphrase to protect the secrets with",
        ));
    }
    let contents = ws
        .export_bundle(&request.directories, passphrase.as_ref())
        .await?;
    let dialog = if request.as_folder {
        Dialog::Folder {
            title: "Export into a folder",
        }
    } else {
        Dialog::Save {
            title: "Export directories",
            file_name: "sso-console-bundle.json".to_owned(),
            filter: ("SSO Console bundle", "json"),
        }
    };
    let Some(path) = choose(&app, dialog).await else {
        return Ok(None);
    };
    bundle::write(&path, request.as_folder, &contents).map_err(WorkspaceError::from)?;
    ws.mark_exported(&contents).await?;
    tracing::info!(path = %path.display(), "bundle exported");
    Ok(Some(ExportSummary {
        path: path.display().to_string(),
        directories: contents.directories.len(),
        scim_connections: contents.scim_connections.len(),
        secrets: contents.sealed_secrets.is_some(),
    }))
}

/// Asks the person for a bundle file (or folder) to import and keeps it for the plan and the
/// apply; answers where it is, or `None` when they cancelled. A file that is no bundle is
/// refused here.
#[tauri::command]
pub async fn choose_bundle<R: Runtime>(
    app: AppHandle<R>,
    chosen: State<'_, ChosenBundle>,
    as_folder: bool,
) -> Result<Option<String>, CommandError> {
    let dialog = if as_folder {
        Dialog::Folder {
            title: "Import a bundle folder",
        }
    } else {
        Dialog::Open {
            title: "Import a bundle",
            filter: ("SSO Console bundle", "json"),
        }
    };
    let Some(path) = choose(&app, dialog).await else {
        return Ok(None);
    };
    // Read once here, so that a file that is no bundle is refused at once.
    bundle::read(&path, as_folder).map_err(WorkspaceError::from)?;
    if let Ok(mut slot) = chosen.0.lock() {
        *slot = Some((path.clone(), as_folder));
    }
    Ok(Some(path.display().to_string()))
}

/// The plan of the chosen bundle, its secrets opened with `passphrase`. A bundle with secrets
/// fails with the kind "wrong_passphrase" until it is given the right one.
#[tauri::command]
pub async fn plan_bundle_import(
    ws: State<'_, Workspace>,
    chosen: State<'_, ChosenBundle>,
    passphrase: Option<String>,
) -> Result<ImportPreview, CommandError> {
    let (path, as_folder) = chosen.get()?;
    let contents = bundle::read(&path, as_folder).map_err(WorkspaceError::from)?;
    let (_, plan) = ws
        .plan_import(contents, self::passphrase(passphrase).as_ref())
        .await?;
    Ok(ImportPreview {
        source: path.display().to_string(),
        plan,
    })
}

/// Applies the chosen bundle with `choices` for its conflicts, all or nothing.
#[tauri::command]
pub async fn apply_bundle_import(
    ws: State<'_, Workspace>,
    chosen: State<'_, ChosenBundle>,
    passphrase: Option<String>,
    choices: Choices,
) -> Result<ImportResult, CommandError> {
    let (path, as_folder) = chosen.get()?;
    let contents = bundle::read(&path, as_folder).map_err(WorkspaceError::from)?;
    let passphrase = self::passphrase(passphrase);
    let (checked, _) = ws.plan_import(contents, passphrase.as_ref()).await?;
    let (plan, outcome) = ws.apply_import(&checked, &choices).await?;
    if let Ok(mut slot) = chosen.0.lock() {
        *slot = None;
    }
    Ok(ImportResult { plan, outcome })
}
