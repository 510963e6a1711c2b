//! SSO Console desktop shell: opens the workspace, registers the commands and starts the window.
//! Everything the product knows lives in the `sso-console` core crate.

mod commands;
mod error;

pub use error::CommandError;

use sso_console::workspace::{self, Workspace};

/// Builds and runs the desktop app until its last window closes.
pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    sso_console::logging::init("info");
    let data_dir = workspace::default_data_dir()?;
    let ws = tauri::async_runtime::block_on(Workspace::open(&data_dir))?;
    tracing::info!(data_dir = %data_dir.display(), "workspace opened");
    tauri::Builder::default()
        .manage(ws)
        .invoke_handler(tauri::generate_handler![
            commands::list_directories,
            commands::get_directory,
            commands::directory_logo,
            commands::new_directory_template,
            commands::create_directory,
            commands::update_directory,
            commands::duplicate_directory,
            commands::delete_directory,
            commands::check_logo,
            commands::get_settings,
            commands::update_settings,
            commands::secrets_expiring_soon,
        ])
        .run(tauri::generate_context!())?;
    Ok(())
}
