//! Opening the system browser for a test sign-in, and a folder in the file manager. For the
//! browser, `$BROWSER` is honoured when set (the usual convention on Unix): its first
//! `:`-separated entry is run with the URL as its last argument.

use std::process::{Command, Stdio};

/// Why the browser could not be opened.
#[derive(Debug, thiserror::Error)]
#[error("cannot open the browser ({0}); open the sign-in URL yourself")]
pub struct BrowserError(String);

/// Opens `url` in the person's browser without waiting for it.
pub fn open(url: &str) -> Result<(), BrowserError> {
    if let Some(command) = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty())
    {
        let first = command.split(':').next().unwrap_or_default();
        let mut words = first.split_whitespace();
        let program = words
            .next()
            .ok_or_else(|| BrowserError("BROWSER is empty".into()))?;
        Command::new(program)
            .args(words)
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map(drop)
            .map_err(|e| BrowserError(format!("BROWSER={first}: {e}")))
    } else {
        open::that_detached(url).map_err(|e| BrowserError(e.to_string()))
    }
}

/// Opens `folder` in the system's file manager without waiting for it.
pub fn open_folder(folder: &std::path::Path) -> std::io::Result<()> {
    open::that_detached(folder)
}
