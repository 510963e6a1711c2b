//! SSO Console desktop shell: opens the workspace, registers the commands and starts the window.
//! Everything the product knows lives in the `sso-console` core crate.

mod commands;
mod error;

pub use error::CommandError;

use commands::cancel::{self, CancelSlot};
use sso_console::workspace::{self, Workspace};

/// Builds and runs the desktop app until its last window closes.
pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    sso_console::logging::init("info");
    let data_dir = workspace::default_data_dir()?;
    let ws = tauri::async_runtime::block_on(Workspace::open(&data_dir))?;
    tracing::info!(data_dir = %data_dir.display(), "workspace opened");
    tauri::Builder::default()
        .manage(ws)
        .manage(sso_console::http::HttpClient::default())
        .manage(CancelSlot::<cancel::Discovery>::default())
        .manage(CancelSlot::<cancel::CheckAll>::default())
        .manage(CancelSlot::<cancel::SignIn>::default())
        .invoke_handler(tauri::generate_handler![
            commands::directories::list_directories,
            commands::directories::get_directory,
            commands::directories::directory_logo,
            commands::directories::new_directory_template,
            commands::directories::create_directory,
            commands::directories::update_directory,
            commands::directories::duplicate_directory,
            commands::directories::delete_directory,
            commands::directories::check_logo,
            commands::directories::get_settings,
            commands::directories::update_settings,
            commands::directories::secrets_expiring_soon,
            commands::discovery::discover,
            commands::discovery::cancel_discovery,
            commands::discovery::check_all_directories,
            commands::discovery::cancel_check_all,
            commands::signin::start_test_sign_in,
            commands::signin::cancel_test_sign_in,
            commands::mapping::simulate_route,
            commands::mapping::check_routing,
            commands::mapping::parse_claims,
            commands::mapping::evaluate_claims,
            commands::scim::list_scim_connections,
            commands::scim::get_scim_connection,
            commands::scim::new_scim_connection_template,
            commands::scim::create_scim_connection,
            commands::scim::update_scim_connection,
            commands::scim::delete_scim_connection,
            commands::scim::test_scim_connection,
            commands::scim::review_scim_endpoint,
            commands::scim::scim_mapping_templates,
            commands::scim::scim_sample_users,
            commands::scim::scim_expression_functions,
            commands::scim::check_scim_expression,
            commands::scim::check_scim_mappings,
            commands::scim::import_scim_mappings,
            commands::scim::export_scim_mappings,
            commands::scim::preview_scim_user,
            commands::scim::run_scim_dry_run,
        ])
        .run(tauri::generate_context!())?;
    Ok(())
}
