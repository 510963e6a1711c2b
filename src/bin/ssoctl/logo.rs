//! `ssoctl logo check`: the logo rules on a file.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde_json::json;
use sso_console::directory::FieldError;
use sso_console::error_kind::ErrorKind;
use sso_console::logo::{self, LogoError};

use crate::{environment, Failure, Output};

#[derive(Subcommand)]
pub enum LogoCommand {
    /// Check a logo file: exit 0 when valid, 1 with the reason when not.
    Check { png: PathBuf },
}

/// Runs a `logo` command.
pub fn run(command: &LogoCommand) -> Result<Output, Failure> {
    match command {
        LogoCommand::Check { png } => check(png),
    }
}

fn check(path: &Path) -> Result<Output, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| environment(format!("cannot read {}: {e}", path.display())))?;
    match logo::check(&bytes) {
        Ok(info) => Ok(Output {
            text: format!(
                "{}: valid logo, {}×{} px PNG, {} bytes",
                path.display(),
                info.width,
                info.height,
                info.bytes
            ),
            json: json!({ "valid": true, "file": path.display().to_string(), "logo": info }),
        }),
        Err(e) => Err(failure(path, &e)),
    }
}

/// The failure for a refused logo file.
pub fn failure(path: &Path, e: &LogoError) -> Failure {
    Failure::Invalid {
        kind: ErrorKind::InvalidLogo,
        message: format!("{}: {e}", path.display()),
        fields: vec![FieldError::new("logo_png_base64", e.to_string())],
    }
}
