//! A keyring that does not answer (its Secret Service stopped, as while it waits for an unlock
//! prompt) holds up only the save that needs it: the database is never held while the console
//! waits for the keyring, so another process's save goes through meanwhile.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::fixtures::{document, json_of, ssoctl, ssoctl_process, unique_secret};

/// A private D-Bus session with its own GNOME Keyring, so stopping that keyring touches no
/// other test. Both processes are killed when this is dropped.
struct PrivateKeyring {
    bus: Child,
    keyring: Child,
    address: String,
    _home: tempfile::TempDir,
}

impl PrivateKeyring {
    fn start() -> Self {
        let home = tempfile::tempdir().unwrap();
        for sub in ["data", "runtime"] {
            std::fs::create_dir(home.path().join(sub)).unwrap();
        }
        // A bus that starts no service on demand: the keyring serving it is the one started
        // here, whose process the test stops and resumes.
        let config = home.path().join("bus.conf");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={}</listen>
  <policy context="default"><allow send_destination="*"/><allow receive_sender="*"/><allow own="*"/></policy>
</busconfig>"#,
                home.path().join("runtime").display()
            ),
        )
        .unwrap();
        let mut bus = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon runs");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_owned();
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("XDG_RUNTIME_DIR", home.path().join("runtime"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon runs");
        keyring.stdin.take().unwrap().write_all(b"pw\n").unwrap();
        let me = Self {
            bus,
            keyring,
            address,
            _home: home,
        };
        // Ready once a lookup gets an answer (found or not) rather than an error: the bus
        // starts nothing itself, so only this daemon can give one.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let probe = me
                .command("secret-tool")
                .args(["lookup", "service", "probe", "username", "probe"])
                .stderr(Stdio::piped())
                .output()
                .unwrap();
            if probe.stderr.is_empty() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the private keyring did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        me
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("DBUS_SESSION_BUS_ADDRESS", &self.address);
        cmd
    }

    fn ssoctl(&self, data: &Path) -> assert_cmd::Command {
        let mut cmd = ssoctl(data);
        cmd.env("DBUS_SESSION_BUS_ADDRESS", &self.address);
        cmd
    }

    /// `ssoctl` as a process to start and watch.
    fn ssoctl_process(&self, data: &Path) -> Command {
        let mut cmd = ssoctl_process(data);
        cmd.env("DBUS_SESSION_BUS_ADDRESS", &self.address);
        cmd
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.keyring.id().to_string())
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for PrivateKeyring {
    fn drop(&mut self) {
        self.signal("CONT");
        let _ = self.keyring.kill();
        let _ = self.keyring.wait();
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}

/// How many keyring entries are listed as written but not yet named by a row.
fn listed_entries(data: &Path) -> i64 {
    let url = format!(
        "sqlite://{}?mode=ro",
        data.join(sso_console::store::DATABASE_FILE).display()
    );
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let db = sqlx::SqlitePool::connect(&url).await.unwrap();
        let n = sqlx::query_scalar("SELECT count(*) FROM secret_cleanup")
            .fetch_one(&db)
            .await
            .unwrap();
        db.close().await;
        n
    })
}

fn write_document(dir: &Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, serde_json::to_vec(&document(name)).unwrap()).unwrap();
    path
}

fn spawn_with_secret(mut cmd: Command, secret: &str) -> Child {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(secret.as_bytes())
        .unwrap();
    child
}

#[test]
fn a_save_goes_through_while_another_waits_for_the_keyring() {
    let keyring = PrivateKeyring::start();
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    // A directory without a secret (a duplicate's): saving it needs no keyring at all.
    let original = write_document(files.path(), "Original");
    keyring
        .ssoctl(data.path())
        .args(["dir", "create", "--file"])
        .arg(&original)
        .arg("--client-secret-stdin")
        .write_stdin(unique_secret())
        .assert()
        .success();
    keyring
        .ssoctl(data.path())
        .args(["dir", "duplicate", "Original"])
        .assert()
        .success();

    keyring.signal("STOP");
    // This save waits for the keyring, which does not answer.
    let mut waiting = {
        let mut cmd = keyring.ssoctl_process(data.path());
        cmd.args(["--json", "dir", "create", "--file"])
            .arg(write_document(files.path(), "Waits for the keyring"))
            .arg("--client-secret-stdin");
        spawn_with_secret(cmd, &unique_secret())
    };
    // It has listed its keyring entry (see src/store/secret_cleanup.rs), so it is inside the
    // keyring call now.
    let deadline = Instant::now() + Duration::from_secs(30);
    while listed_entries(data.path()) == 0 {
        assert!(
            Instant::now() < deadline,
            "the save never reached the keyring"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        waiting.try_wait().unwrap().is_none(),
        "the keyring save is waiting"
    );

    // Meanwhile another process saves the copy, after the 5 s the database would make it
    // wait for a lock held across the keyring call.
    let mut copy = document("Original (copy)");
    copy.client_id = "saved-while-the-keyring-was-not-answering".into();
    let copy_file = files.path().join("copy.json");
    std::fs::write(&copy_file, serde_json::to_vec(&copy).unwrap()).unwrap();
    let started = Instant::now();
    let saved = keyring
        .ssoctl(data.path())
        .args(["--json", "dir", "update", "Original (copy)", "--file"])
        .arg(&copy_file)
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert!(
        saved.status.success(),
        "{}",
        String::from_utf8_lossy(&saved.stderr)
    );
    assert_eq!(
        json_of(&saved.stdout)["document"]["client_id"],
        "saved-while-the-keyring-was-not-answering"
    );
    eprintln!(
        "the save beside a stopped keyring took {} ms",
        started.elapsed().as_millis()
    );
    assert!(
        waiting.try_wait().unwrap().is_none(),
        "the keyring save is still waiting"
    );

    keyring.signal("CONT");
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = waiting.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the keyring save never ended");
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut out = String::new();
    std::io::Read::read_to_string(&mut waiting.stderr.take().unwrap(), &mut out).unwrap();
    assert!(
        status.success(),
        "the keyring save went through once it answered: {out}"
    );
    let list = keyring
        .ssoctl(data.path())
        .args(["--json", "dir", "list"])
        .output()
        .unwrap();
    let names: Vec<String> = json_of(&list.stdout)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        names.iter().any(|n| n == "Waits for the keyring"),
        "{names:?}"
    );
    assert_eq!(listed_entries(data.path()), 0, "nothing is left listed");
}
