//! The test sign-in: one attempt at a time, cancellable, with the browser opened by the core.

use std::time::Duration;

use serde::Serialize;
use sso_console::directory::DirectoryId;
use sso_console::error_kind::{ErrorKind, FrontEnd};
use sso_console::http::HttpClient;
use sso_console::signin::{Interruption, SignInResult, DEFAULT_TIMEOUT};
use sso_console::Workspace;
use tauri::ipc::Channel;
use tauri::State;
use ts_rs::TS;

use super::cancel::{self, CancelSlot, SignIn};
use super::report::LastResults;
use crate::error::CommandError;

/// What the UI learns while an attempt runs.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "stage", rename_all = "snake_case")]
#[ts(export)]
pub enum SignInEvent {
    /// The browser was opened (or could not be); waiting for the person.
    Waiting {
        /// The URL opened, to copy into another browser if needed.
        authorization_url: String,
        /// The loopback redirect URI to register at the provider.
        redirect_uri: String,
        /// Why the browser could not be opened, if it could not.
        browser_error: Option<String>,
        /// Seconds before the attempt gives up.
        timeout_secs: u32,
    },
}

#[tauri::command]
pub async fn start_test_sign_in(
    ws: State<'_, Workspace>,
    http: State<'_, HttpClient>,
    control: State<'_, CancelSlot<SignIn>>,
    last: State<'_, LastResults>,
    id: String,
    on_event: Channel<SignInEvent>,
) -> Result<SignInResult, CommandError> {
    let id = DirectoryId::parse(&id).map_err(|m| CommandError::new(ErrorKind::NotFound, m))?;
    // Cancel the attempt before (a new one replaces it) and register this one first, so a
    // Cancel that comes while this one is being prepared is kept.
    let cancelled = control.start();
    let prepare = async {
        // The attempt before lets go of its port (a fixed one is the same port) before this
        // one binds it.
        let turn = control.turn().await;
        Ok::<_, CommandError>((turn, ws.prepare_sign_in(id).await?))
    };
    let (_turn, mut attempt) = tokio::select! {
        prepared = prepare => prepared?,
        () = cancelled.cancelled() => return Err(cancel::cancelled("the test sign-in")),
    };
    let browser_error = sso_console::browser::open(attempt.authorization_url())
        .err()
        .map(|e| e.to_string());
    if browser_error.is_some() {
        attempt.browser_not_opened();
    }
    let timeout: Duration = DEFAULT_TIMEOUT;
    let _ = on_event.send(SignInEvent::Waiting {
        authorization_url: attempt.authorization_url().to_owned(),
        redirect_uri: attempt.redirect_uri().to_owned(),
        browser_error,
        timeout_secs: timeout.as_secs() as u32,
    });
    let cancel = async move {
        cancelled.cancelled().await;
        Interruption::Cancelled
    };
    let result = attempt.complete(&http, timeout, cancel).await;
    // Kept for a report of this directory (memory only).
    last.sign_in(id, &result);
    // The outcome (no claims) for the list's health column; the result is shown either way.
    if let Err(e) = ws.record_sign_in(id, &result).await {
        tracing::warn!(
            "the test sign-in's outcome was not kept: {}",
            e.message(FrontEnd::App)
        );
    }
    Ok(result)
}

#[tauri::command]
pub fn cancel_test_sign_in(control: State<'_, CancelSlot<SignIn>>) {
    control.cancel();
}
