//! The native file dialogs, opened by the app itself: the page asks for a report or a bundle to
//! be saved or opened, never for a path, so no capability grants it the dialog plugin.

use std::path::PathBuf;

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

/// The environment variable that answers the dialogs with a path instead of showing them: for
/// the end-to-end tests, which cannot drive a native dialog.
pub const DIALOG_PATH_ENV: &str = "SSO_CONSOLE_TEST_DIALOG_PATH";

/// What to ask the person for.
pub enum Dialog {
    /// A file to write, with a suggested name and the (name, extension) of its kind.
    Save {
        title: &'static str,
        file_name: String,
        filter: (&'static str, &'static str),
    },
    /// A file to read, of one kind.
    Open {
        title: &'static str,
        filter: (&'static str, &'static str),
    },
    /// A folder.
    Folder { title: &'static str },
}

/// The path the person chose, or the test setting's; `None` when they cancelled.
pub async fn choose<R: Runtime>(app: &AppHandle<R>, dialog: Dialog) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(DIALOG_PATH_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    let builder = app.dialog().file();
    let answer = move |path: Option<tauri_plugin_dialog::FilePath>| {
        let _ = tx.send(path.and_then(|p| p.into_path().ok()));
    };
    match dialog {
        Dialog::Save {
            title,
            file_name,
            filter: (name, extension),
        } => builder
            .set_title(title)
            .set_file_name(file_name)
            .add_filter(name, &[extension])
            .save_file(answer),
        Dialog::Open {
            title,
            filter: (name, extension),
        } => builder
            .set_title(title)
            .add_filter(name, &[extension])
            .pick_file(answer),
        Dialog::Folder { title } => builder.set_title(title).pick_folder(answer),
    }
    rx.await.ok().flatten()
}
