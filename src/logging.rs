//! Diagnostic logging through `tracing`: to standard error, and for the desktop app also to a
//! log file (a release build on Windows has no console). Secrets never reach it: they are held
//! in [`crate::sensitive::SecretString`], which prints as `<redacted>`.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// Overrides the folder of the app's log file.
pub const LOG_DIR_ENV: &str = "SSO_CONSOLE_LOG_DIR";

/// The log file's name in its folder.
pub const LOG_FILE: &str = "sso-console.log";

/// A log file larger than this at start is moved aside (to `….log.old`) and begun afresh.
const MAX_LOG_BYTES: u64 = 5 * 1024 * 1024;

/// What the log file keeps, whatever `RUST_LOG` says: the product's own records, and only the
/// warnings of the libraries below it (whose debug output can hold request details). The file
/// outlives the session, standard error does not.
const FILE_FILTER: &str = "warn,sso_console=info,sso_console_app=info";

fn filter(default_level: &str) -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level))
}

/// Starts logging to standard error at `default_level` unless `RUST_LOG` says otherwise.
/// Calling it twice is harmless.
pub fn init(default_level: &str) {
    let _ = fmt()
        .with_env_filter(filter(default_level))
        .with_writer(std::io::stderr)
        .try_init();
}

/// The folder of the app's log file: `$SSO_CONSOLE_LOG_DIR`, else the platform's place for
/// logs (`~/.local/state/sso-console` on Linux, `~/Library/Logs/SSO Console` on macOS,
/// `%LOCALAPPDATA%\SSO Console\logs` on Windows). Debug builds use a folder of their own, as
/// they do for data.
pub fn default_log_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(LOG_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    let dev = if cfg!(debug_assertions) { " (dev)" } else { "" };
    if cfg!(target_os = "macos") {
        dirs::home_dir().map(|h| h.join("Library/Logs").join(format!("SSO Console{dev}")))
    } else if cfg!(windows) {
        dirs::data_local_dir().map(|d| d.join(format!("SSO Console{dev}")).join("logs"))
    } else {
        let folder = if dev.is_empty() {
            "sso-console"
        } else {
            "sso-console-dev"
        };
        dirs::state_dir()
            .or_else(dirs::cache_dir)
            .map(|d| d.join(folder))
    }
}

/// Starts logging to standard error (at `default_level`, or as `RUST_LOG` says) and to
/// [`LOG_FILE`] in `dir` (see [`FILE_FILTER`]), which is created when missing; the file is
/// readable by its owner only.
/// Returns the log file's path, or `None` when there is no folder or the file cannot be opened
/// (then it logs to standard error only, and says why there).
pub fn init_with_file(default_level: &str, dir: Option<&Path>) -> Option<PathBuf> {
    let opened = dir.map(|dir| (dir.join(LOG_FILE), open_log_file(dir)));
    let (path, file) = match opened {
        Some((path, Ok(file))) => (Some(path), Some(file)),
        Some((path, Err(e))) => {
            eprintln!(
                "SSO Console: cannot write the log file {}: {e}",
                path.display()
            );
            (None, None)
        }
        None => (None, None),
    };
    let file_layer = file.map(|file| {
        fmt::layer()
            .with_ansi(false)
            .with_writer(Mutex::new(file))
            .with_filter(EnvFilter::new(FILE_FILTER))
    });
    let _ = tracing_subscriber::registry()
        .with(
            fmt::layer()
                .with_writer(std::io::stderr)
                .with_filter(filter(default_level)),
        )
        .with(file_layer)
        .try_init();
    path
}

fn open_log_file(dir: &Path) -> std::io::Result<File> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(LOG_FILE);
    if std::fs::metadata(&path).is_ok_and(|m| m.len() > MAX_LOG_BYTES) {
        std::fs::rename(&path, path.with_extension("log.old"))?;
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_log_is_moved_aside_and_begun_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LOG_FILE);
        std::fs::write(&path, vec![b'x'; MAX_LOG_BYTES as usize + 1]).unwrap();
        drop(open_log_file(dir.path()).unwrap());
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
        assert!(dir.path().join("sso-console.log.old").exists());
    }

    #[test]
    fn a_log_folder_that_cannot_be_made_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        assert!(open_log_file(&file.join("logs")).is_err());
    }
}
