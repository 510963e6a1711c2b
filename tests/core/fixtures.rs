//! Shared set-up: temporary workspaces and documents.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use sso_console::directory::DirectoryDocument;
use sso_console::Workspace;

/// The repository's test fixtures folder.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A fresh data directory and the workspace opened in it.
pub async fn workspace() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let ws = Workspace::open(dir.path()).await.expect("open workspace");
    (dir, ws)
}

/// A valid directory document.
pub fn document(name: &str) -> DirectoryDocument {
    sso_console::testing::directory_document(name)
}

/// A secret unlikely to occur anywhere by chance, so that searching for it proves a leak.
pub fn unique_secret() -> String {
    format!("s3cret-{}-never-on-disk", uuid::Uuid::new_v4().simple())
}

/// The `ssoctl` binary, run as a user would, on `data_dir` only (never the environment's data
/// directory) and with the default log level.
pub fn ssoctl(data_dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ssoctl").expect("ssoctl is built with the tests");
    cmd.arg("--data-dir")
        .arg(data_dir)
        .env_remove("SSO_CONSOLE_DATA_DIR")
        .env_remove("RUST_LOG");
    cmd
}

/// [`ssoctl`] as a process to start, watch and signal.
pub fn ssoctl_process(data_dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("ssoctl"));
    cmd.arg("--data-dir")
        .arg(data_dir)
        .env_remove("SSO_CONSOLE_DATA_DIR")
        .env_remove("RUST_LOG");
    cmd
}

/// `ssoctl --json` output: exactly one JSON document.
pub fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output).expect("exactly one JSON document")
}
