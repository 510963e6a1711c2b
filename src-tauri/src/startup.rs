//! A failure before the window opens (a data folder that cannot be written, a database from a
//! newer version): shown in a native dialog, because a release build on Windows has no console
//! to print to, and written to the log and to standard error. Without a display there is no
//! dialog, and the log and standard error say so.

use std::fmt;
use std::path::Path;

use sso_console::error_kind::FrontEnd;
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
        Self(error.message(FrontEnd::App))
    }
}

impl From<sso_console::http::HttpError> for StartupError {
    fn from(error: sso_console::http::HttpError) -> Self {
        Self(error.to_string())
    }
}

impl StartupError {
    /// Linux without an X11 or Wayland display: no window can open.
    pub fn no_display() -> Self {
        Self("there is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). Start SSO Console from a desktop session; from a terminal without one, use ssoctl".into())
    }

    /// The app was built without a part it needs: nothing the person did, nothing they can
    /// mend but the installation.
    pub fn incomplete_build(what: &str) -> Self {
        Self(format!(
            "this copy of SSO Console is incomplete ({what}). Install it again from a released package"
        ))
    }
}

impl From<tauri::Error> for StartupError {
    fn from(error: tauri::Error) -> Self {
        Self(format!(
            "the window could not be opened ({error}). On Linux, check that WebKitGTK 4.1 is installed"
        ))
    }
}

/// Panics go to the log file too, not only to standard error (which a release build on Windows
/// does not have).
pub fn log_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!("SSO Console stopped on an internal error: {info}");
        default(info);
    }));
}

/// The dialog's title.
pub const TITLE: &str = "SSO Console could not start";

/// The dialog's text: what went wrong, what to do, and where the log is. The reasons are worded
/// to follow a colon, as they do in the core's errors; here the reason opens the text, so it
/// starts with a capital.
pub fn dialog_text(error: &StartupError, log_file: Option<&Path>) -> String {
    let log = match log_file {
        Some(path) => format!("The log file is {}.", path.display()),
        None => "No log file could be written.".to_owned(),
    };
    let reason = error.0.trim_end_matches('.');
    let mut chars = reason.chars();
    let reason: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    format!("{reason}.\n\n{log}")
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
    if std::panic::catch_unwind(|| show_dialog(&text)).is_err() {
        tracing::error!("the start-up dialog could not be shown");
    }
}

/// Shows the error dialog and waits until the person closes it. With GTK (Linux) it runs on this,
/// the main, thread: once the app's toolkit has started here, GTK's main loop belongs to this
/// thread and a dialog on any other would wait for it forever.
#[cfg(not(any(windows, target_os = "macos")))]
fn show_dialog(text: &str) {
    use gtk::prelude::*;
    // After the toolkit's start on this thread, this only checks it.
    if gtk::init().is_err() {
        tracing::error!("the start-up dialog could not be shown: GTK did not start");
        return;
    }
    let dialog = gtk::MessageDialog::new(
        None::<&gtk::Window>,
        gtk::DialogFlags::MODAL,
        gtk::MessageType::Error,
        gtk::ButtonsType::Ok,
        TITLE,
    );
    dialog.set_title(TITLE);
    dialog.set_secondary_text(Some(text));
    dialog.run();
    dialog.close();
}

#[cfg(any(windows, target_os = "macos"))]
fn show_dialog(text: &str) {
    rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title(TITLE)
        .set_description(text)
        .set_buttons(rfd::MessageButtons::Ok)
        .show();
}

/// Whether a window or dialog can be shown: always on Windows and macOS, with an X11 or Wayland
/// display elsewhere.
pub fn has_display() -> bool {
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
            "Cannot open the database /x/sso-console.db: denied.\n\nThe log file is /logs/sso-console.log."
        );
        assert!(dialog_text(&error, None).ends_with("No log file could be written."));
    }
}
