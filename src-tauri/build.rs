//! Declares the app's commands so that the permission system knows them: each needs an
//! `allow-…` grant in a capability file (capabilities/) before the UI may call it.

const COMMANDS: &[&str] = &[
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
    "secrets_expiring_soon",
    "discover",
    "check_all_directories",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run the Tauri build script");
}
