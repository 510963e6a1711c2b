//! A failure before the window opens (a data folder that cannot be written, a database from a
//! newer version, no display): shown in a native dialog, because a release build on Windows has
//! no console to print to, and written to the log and to standard error.

use std::fmt;
use std::path::Path;

use sso_console::WorkspaceError;

/// Why the app could not start, in words for the person in front of it.
#[derive(Debug)]
pub struct StartupError(String);

impl fmt::Display for StartupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<WorkspaceError> for StartupError {
    fn from(error: WorkspaceError) -> Self {
        Self(error.to_string())
    }
}

impl From<tauri::Error> for StartupError {
    fn from(error: tauri::Error) -> Self {
        Self(format!(
            "the window could not be opened ({error}). On Linux, check that a desktop session is running and that WebKitGTK 4.1 is installed"
        ))
    }
}

/// The dialog's title.
pub const TITLE: &str = "SSO Console could not start";

/// The dialog's text: what went wrong, what to do, and where the log is.
pub fn dialog_text(error: &StartupError, log_file: Option<&Path>) -> String {
    let log = match log_file {
        Some(path) => format!("The log file is {}.", path.display()),
        None => "No log file could be written.".to_owned(),
    };
    format!("{}.\n\n{log}", error.0.trim_end_matches('.'))
}

/// Says why the app could not start: in the log, on standard error and in a native dialog,
/// which blocks until the person closes it.
pub fn report(error: &StartupError, log_file: Option<&Path>) {
    let text = dialog_text(error, log_file);
    tracing::error!("{TITLE}: {text}");
    eprintln!("{TITLE}: {text}");
    if !has_display() {
        return;
    }
    // The dialog is a convenience over the log and standard error: should the toolkit fail
    // to show it, the person still has both.
    let shown = std::panic::catch_unwind(|| {
        rfd::MessageDialog::new()
            .set_level(rfd::MessageLevel::Error)
            .set_title(TITLE)
            .set_description(&text)
            .set_buttons(rfd::MessageButtons::Ok)
            .show()
    });
    if shown.is_err() {
        tracing::error!("the start-up dialog could not be shown");
    }
}

/// Whether a dialog can be shown: always on Windows and macOS, with an X11 or Wayland display
/// elsewhere.
fn has_display() -> bool {
    if cfg!(any(windows, target_os = "macos")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dialog_says_what_failed_and_where_the_log_is() {
        let error = StartupError("cannot open the database /x/sso-console.db: denied".into());
        let text = dialog_text(&error, Some(Path::new("/logs/sso-console.log")));
        assert_eq!(
            text,
            "cannot open the database /x/sso-console.db: denied.\n\nThe log file is /logs/sso-console.log."
        );
        assert!(dialog_text(&error, None).ends_with("No log file could be written."));
    }
}
