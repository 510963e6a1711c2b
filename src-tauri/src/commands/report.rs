//! Diagnostics reports (C16): the last results of each directory and SCIM connection kept in
//! memory, a preview of exactly what the file will hold, saving it through the native save
//! dialog, and opening a JSON report received from someone else.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sso_console::directory::DirectoryId;
use sso_console::error_kind::ErrorKind;
use sso_console::http::HttpClient;
use sso_console::report::{self, RedactOptions, Report, ReportFormat, ScimPart};
use sso_console::scim::ScimConnectionId;
use sso_console::signin::SignInResult;
use sso_console::Workspace;
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

use super::dialog::{choose, Dialog};
use crate::error::CommandError;

/// The latest results of this session, by directory and SCIM connection: what a report is made
/// of. Memory only; nothing of it is stored.
#[derive(Default)]
pub struct LastResults {
    sign_ins: Mutex<HashMap<DirectoryId, SignInResult>>,
    scim: Mutex<HashMap<ScimConnectionId, ScimPart>>,
}

impl LastResults {
    /// Keeps a directory's latest test sign-in.
    pub fn sign_in(&self, id: DirectoryId, result: &SignInResult) {
        if let Ok(mut map) = self.sign_ins.lock() {
            map.insert(id, result.clone());
        }
    }

    /// Keeps a SCIM connection's latest check of one kind.
    pub fn scim(&self, id: ScimConnectionId, update: impl FnOnce(&mut ScimPart)) {
        if let Ok(mut map) = self.scim.lock() {
            update(map.entry(id).or_default());
        }
    }

    fn last_sign_in(&self, id: DirectoryId) -> Option<SignInResult> {
        self.sign_ins.lock().ok()?.get(&id).cloned()
    }

    fn last_scim(&self, id: ScimConnectionId) -> ScimPart {
        self.scim
            .lock()
            .ok()
            .and_then(|m| m.get(&id).cloned())
            .unwrap_or_default()
    }
}

/// What a report is about.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum ReportSubject {
    /// A directory: its document, a fresh discovery and its last test sign-in.
    Directory {
        /// The directory's id.
        id: String,
    },
    /// A SCIM connection and its last checks.
    Scim {
        /// The connection's id.
        id: String,
    },
}

/// A report as it will be saved.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReportPreview {
    /// Exactly what the file will hold.
    pub content: String,
    /// The file name the save dialog suggests.
    pub file_name: String,
    /// Whether a test sign-in is in it.
    pub has_sign_in: bool,
}

fn not_found(message: String) -> CommandError {
    CommandError::new(ErrorKind::NotFound, message)
}

#[tauri::command]
pub async fn report_preview(
    ws: State<'_, Workspace>,
    http: State<'_, HttpClient>,
    last: State<'_, LastResults>,
    subject: ReportSubject,
    options: RedactOptions,
    format: ReportFormat,
) -> Result<ReportPreview, CommandError> {
    let (report, name) = match subject {
        ReportSubject::Directory { id } => {
            let id = DirectoryId::parse(&id).map_err(not_found)?;
            let report = ws
                .directory_report(id, last.last_sign_in(id), &http, options)
                .await?;
            let name = report
                .directory
                .as_ref()
                .map(|d| d.name.clone())
                .unwrap_or_default();
            (report, name)
        }
        ReportSubject::Scim { id } => {
            let id = ScimConnectionId::parse(&id).map_err(not_found)?;
            let report = ws.scim_report(id, last.last_scim(id), options).await?;
            let name = report
                .scim
                .as_ref()
                .and_then(|s| s.connection.as_ref())
                .map(|c| c.name.clone())
                .unwrap_or_default();
            (report, name)
        }
    };
    Ok(ReportPreview {
        content: report.render(format),
        file_name: report::file_name(&name, format),
        has_sign_in: report.sign_in.is_some(),
    })
}

/// Saves `content` (a preview's) where the person chooses; `None` when they cancelled.
#[tauri::command]
pub async fn save_report<R: Runtime>(
    app: AppHandle<R>,
    content: String,
    file_name: String,
) -> Result<Option<String>, CommandError> {
    let filter = if file_name.ends_with(".json") {
        ("JSON report", "json")
    } else {
        ("Web page", "html")
    };
    let dialog = Dialog::Save {
        title: "Save report",
        file_name,
        filter,
    };
    let Some(path) = choose(&app, dialog).await else {
        return Ok(None);
    };
    report::write_file(&path, &content).map_err(|e| {
        CommandError::new(
            ErrorKind::Environment,
            format!(
                "the report could not be saved to {}: {e}; choose a folder you can write to",
                path.display()
            ),
        )
    })?;
    tracing::info!(path = %path.display(), "report saved");
    Ok(Some(path.display().to_string()))
}

/// Opens a JSON report chosen by the person; `None` when they cancelled.
#[tauri::command]
pub async fn open_report<R: Runtime>(app: AppHandle<R>) -> Result<Option<Report>, CommandError> {
    let dialog = Dialog::Open {
        title: "Open a JSON report",
        filter: ("JSON report", "json"),
    };
    let Some(path) = choose(&app, dialog).await else {
        return Ok(None);
    };
    let bytes = report::read_file(&path).map_err(|e| {
        CommandError::new(
            ErrorKind::Environment,
            format!("{} could not be read: {e}", path.display()),
        )
    })?;
    Report::parse(&bytes)
        .map(Some)
        .map_err(|e| CommandError::new(e.kind(), e.to_string()))
}
