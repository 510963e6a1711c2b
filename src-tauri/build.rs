//! Declares the app's commands so that the permission system knows them: each needs an
//! `allow-…` grant in a capability file (capabilities/) before the UI may call it.

const COMMANDS: &[&str] = &[
    "app_info",
    "open_log_folder",
    "list_directories",
    "get_directory",
    "directory_logo",
    "new_directory_template",
    "create_directory",
    "update_directory",
    "duplicate_directory",
    "delete_directory",
    "check_logo",
    "get_settings",
    "update_settings",
    "directories_needing_attention",
    "secret_expiry",
    "discover",
    "cancel_discovery",
    "check_all_directories",
    "cancel_check_all",
    "probe_client_secret",
    "probe_all_secrets",
    "provider_history",
    "start_test_sign_in",
    "cancel_test_sign_in",
    "simulate_route",
    "check_routing",
    "parse_claims",
    "evaluate_claims",
    "list_scim_connections",
    "get_scim_connection",
    "new_scim_connection_template",
    "create_scim_connection",
    "update_scim_connection",
    "delete_scim_connection",
    "test_scim_connection",
    "review_scim_endpoint",
    "cancel_scim_check",
    "scim_mapping_templates",
    "scim_sample_users",
    "scim_expression_functions",
    "check_scim_expression",
    "check_scim_mappings",
    "import_scim_mappings",
    "export_scim_mappings",
    "preview_scim_user",
    "run_scim_dry_run",
    "cancel_scim_dry_run",
    "report_preview",
    "save_report",
    "open_report",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run the Tauri build script");
}
