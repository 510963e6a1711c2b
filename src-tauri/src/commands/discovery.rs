//! Discovery: one provider for the editor, and "Check all directories".

use serde::Serialize;
use sso_console::directory::DirectoryDocument;
use sso_console::discovery::{self, DirectoryCheck, DiscoveryReport};
use sso_console::error_kind::ErrorKind;
use sso_console::http::HttpClient;
use sso_console::Workspace;
use tauri::ipc::Channel;
use tauri::State;
use ts_rs::TS;

use super::cancel::{cancellable, CancelSlot, CheckAll, Discovery};
use crate::error::CommandError;

/// Progress of "Check all directories": providers fetched so far.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CheckProgress {
    /// Providers done.
    pub done: u32,
    /// Providers in all.
    pub total: u32,
}

#[tauri::command]
pub async fn discover(
    http: State<'_, HttpClient>,
    control: State<'_, CancelSlot<Discovery>>,
    input: String,
    document: Option<DirectoryDocument>,
) -> Result<DiscoveryReport, CommandError> {
    let discovery = async {
        discovery::discover(&http, &input, document.as_ref())
            .await
            .map_err(|e| {
                let mut error = CommandError::invalid_field("discovery_domain", e.to_string());
                error.kind = ErrorKind::Discovery;
                error
            })
    };
    cancellable(&control, "discovery", discovery).await
}

/// Cancels the discovery under way: its request stops at once.
#[tauri::command]
pub fn cancel_discovery(control: State<'_, CancelSlot<Discovery>>) {
    control.cancel();
}

#[tauri::command]
pub async fn check_all_directories(
    ws: State<'_, Workspace>,
    http: State<'_, HttpClient>,
    control: State<'_, CancelSlot<CheckAll>>,
    on_progress: Channel<CheckProgress>,
) -> Result<Vec<DirectoryCheck>, CommandError> {
    let check = async {
        let documents = ws.documents().await?;
        Ok(ws
            .check_directories(
                &http,
                &documents,
                discovery::DEFAULT_BOUND,
                move |done, total| {
                    let progress = CheckProgress {
                        done: done as u32,
                        total: total as u32,
                    };
                    // The window may be gone; progress is best effort.
                    let _ = on_progress.send(progress);
                },
            )
            .await?)
    };
    cancellable(&control, "the check of all directories", check).await
}

/// Cancels "Check all directories": every request under way stops at once.
#[tauri::command]
pub fn cancel_check_all(control: State<'_, CancelSlot<CheckAll>>) {
    control.cancel();
}
