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
        let mut child = Command::new("node")
            .arg(dir.join("oidc-provider.mjs"))
            .arg(file.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node must be installed to run the OpenID Provider");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        // Keep reading after the first line: a closed pipe would kill the provider on its next
        // write to standard output.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str::<Value>(&line) {
                    let _ = tx.send(v);
                }
            }
        });
        let ready = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the provider did not start within 30 s");
        Self {
            issuer: ready["issuer"].as_str().unwrap().to_owned(),
            port: ready["port"].as_u64().unwrap() as u16,
            child,
            _config: file,
        }
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
