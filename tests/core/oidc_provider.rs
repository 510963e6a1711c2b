//! A real OpenID Provider (`oidc-provider` from npm, see tests/support/) started on 127.0.0.1
//! for one test and stopped when dropped.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

/// A running provider.
pub struct OidcProvider {
    /// `http://127.0.0.1:PORT`.
    pub issuer: String,
    /// Its port.
    pub port: u16,
    child: Child,
    _config: tempfile::NamedTempFile,
}

fn support_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support")
}

impl OidcProvider {
    /// Starts a provider with this configuration (see tests/support/oidc-provider.mjs).
    pub fn start(config: Value) -> Self {
        let dir = support_dir();
        assert!(
            dir.join("node_modules/oidc-provider").is_dir(),
            "oidc-provider is not installed; run scripts/install-deps.sh (npm ci in tests/support)"
        );
        let file = tempfile::NamedTempFile::new().expect("temporary file");
        std::fs::write(file.path(), serde_json::to_vec(&config).unwrap()).unwrap();
        let mut command = Command::new("node");
        command
            .arg(dir.join("oidc-provider.mjs"))
            .arg(file.path())
            .stderr(Stdio::null());
        let (child, ready) = start_peer(
            command,
            "the OpenID Provider (node)",
            Duration::from_secs(30),
        );
        Self {
            issuer: ready["issuer"].as_str().unwrap().to_owned(),
            port: ready["port"].as_u64().unwrap() as u16,
            child,
            _config: file,
        }
    }
}

/// Starts a test peer that prints one JSON line when it is ready, and keeps its standard input
/// open (a peer stops when it closes); returns the process and that line.
pub fn start_peer(mut command: Command, what: &str, within: Duration) -> (Child, Value) {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{what} could not be started: {e}"));
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    // Keep reading after the first line: a closed pipe would kill the peer on its next write
    // to standard output.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(v) = serde_json::from_str::<Value>(&line) {
                let _ = tx.send(v);
            }
        }
    });
    let ready = rx
        .recv_timeout(within)
        .unwrap_or_else(|_| panic!("{what} did not start within {within:?}"));
    (child, ready)
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
