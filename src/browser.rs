//! Opening the system browser for a test sign-in, and a folder in the file manager. For the
//! browser, `$BROWSER` is honoured when set (the usual convention on Unix): its first
//! `:`-separated entry is run with the URL as its last argument.
//!
//! The desktop app may set variables meant for its own web view only ([`keep_from_children`]);
//! the programs started here never inherit them.

use std::ffi::OsStr;
use std::io;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Why the browser could not be opened.
#[derive(Debug, thiserror::Error)]
#[error("cannot open the browser ({0}); open the sign-in URL yourself")]
pub struct BrowserError(String);

/// Variables of this process that programs it starts must not inherit.
static KEPT_FROM_CHILDREN: OnceLock<Vec<&'static str>> = OnceLock::new();

/// Records the environment variables this process set for itself alone (the desktop app's
/// settings for its web view): the browser and the file manager started from here run without
/// them, as they would from the person's desktop. Only the first call counts.
pub fn keep_from_children(names: Vec<&'static str>) {
    let _ = KEPT_FROM_CHILDREN.set(names);
}

fn without_own_variables(command: &mut Command) -> &mut Command {
    for name in KEPT_FROM_CHILDREN.get().into_iter().flatten() {
        command.env_remove(name);
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
}

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
        without_own_variables(Command::new(program).args(words).arg(url))
            .spawn()
            .map(drop)
            .map_err(|e| BrowserError(format!("BROWSER={first}: {e}")))
    } else {
        open_detached(url.as_ref()).map_err(|e| BrowserError(e.to_string()))
    }
}

/// Opens `folder` in the system's file manager without waiting for it.
pub fn open_folder(folder: &std::path::Path) -> io::Result<()> {
    open_detached(folder.as_os_str())
}

/// How long an opener (xdg-open, gio open, …) is watched for a failure before it counts as
/// started: one that fails at once (nothing handles the target) lets the next one try.
const OPENER_CHECK: Duration = Duration::from_millis(250);

/// Opens `target` with the system's default application, without waiting for it: the first of
/// the system's openers that starts wins (the `open` crate's list and rule), run without the
/// variables this process keeps to itself. When it keeps none, the `open` crate opens it.
fn open_detached(target: &OsStr) -> io::Result<()> {
    if KEPT_FROM_CHILDREN
        .get()
        .is_none_or(|names| names.is_empty())
    {
        return open::that_detached(target);
    }
    let mut failure = None;
    for mut opener in open::commands(target) {
        let program = opener.get_program().to_string_lossy().into_owned();
        let mut child = match without_own_variables(&mut opener).spawn() {
            Ok(child) => child,
            Err(e) => {
                failure.get_or_insert(io::Error::new(e.kind(), format!("{program}: {e}")));
                continue;
            }
        };
        let deadline = Instant::now() + OPENER_CHECK;
        loop {
            match child.try_wait()? {
                Some(status) if status.success() => return Ok(()),
                Some(status) => {
                    // An opener that ran and failed says more than a missing one.
                    failure = Some(io::Error::other(format!("{program} ended with {status}")));
                    break;
                }
                None if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
                None => {
                    // Still running: it is reaped when it ends, whenever that is.
                    std::thread::spawn(move || child.wait());
                    return Ok(());
                }
            }
        }
    }
    Err(failure.unwrap_or_else(|| {
        io::Error::new(
            io::ErrorKind::NotFound,
            "no program to open it with was found",
        )
    }))
}
