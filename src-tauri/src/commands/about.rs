//! The About section: the build and its log file. Where the data and the secrets live comes
//! with the settings (`get_settings`).

use std::path::PathBuf;

use serde::Serialize;
use sso_console::error_kind::ErrorKind;
use tauri::State;
use ts_rs::TS;

use crate::error::CommandError;

/// Where the app writes its log, found at start-up; `None` when no log file could be opened.
#[derive(Debug, Clone)]
pub struct LogFile(pub Option<PathBuf>);

/// What the About section shows: the build and where its log is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    /// The product version (the workspace's).
    pub version: String,
    /// The commit the binary was built from, or "unknown" outside a git checkout.
    pub commit: String,
    /// The log file, or null when the app could not open one.
    pub log_file: Option<String>,
}

#[tauri::command]
pub fn app_info(log: State<'_, LogFile>) -> AppInfo {
    AppInfo {
        version: sso_console::VERSION.to_owned(),
        commit: sso_console::COMMIT.to_owned(),
        log_file: log.0.as_ref().map(|p| p.display().to_string()),
    }
}

#[tauri::command]
pub fn open_log_folder(log: State<'_, LogFile>) -> Result<(), CommandError> {
    let folder = log.0.as_ref().and_then(|p| p.parent()).ok_or_else(|| {
        CommandError::new(
            ErrorKind::NotFound,
            "SSO Console could not create its log file when it started, so there is no folder to open; restart it to try again",
        )
    })?;
    sso_console::browser::open_folder(folder).map_err(|e| {
        CommandError::new(
            ErrorKind::Environment,
            format!(
                "cannot open the folder {}: {e}. Open it in your file manager instead",
                folder.display()
            ),
        )
    })
}
