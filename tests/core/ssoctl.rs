//! The `ssoctl` binary, run as a user would, in a temporary data directory.

use std::path::Path;

use predicates::str::contains;
use serde_json::Value;

use crate::fixtures::{document, fixture, json_of, ssoctl, unique_secret};
use crate::secrets::contains as bytes_contain;

fn write_document(dir: &Path, name: &str, edit: impl FnOnce(&mut Value)) -> std::path::PathBuf {
    let mut doc = serde_json::to_value(document(name)).unwrap();
    edit(&mut doc);
    let path = dir.join(format!("{}.json", name.replace(' ', "-")));
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    path
}

fn list_names(data: &Path) -> Vec<String> {
    let out = ssoctl(data)
        .args(["--json", "dir", "list"])
        .output()
        .unwrap();
    json_of(&out.stdout)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_directory_command_works_end_to_end() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let file = write_document(work.path(), "Contoso", |d| d["logo_png_base64"] = "".into());

    let out = ssoctl(data.path())
        .args(["--json", "dir", "create", "--file"])
        .arg(&file)
        .arg("--logo")
        .arg(fixture("logo-245x36.png"))
        .arg("--client-secret-stdin")
        .write_stdin("from-stdin\n")
        .assert()
        .success();
    let created = json_of(&out.get_output().stdout);
    assert_eq!(created["document"]["name"], "Contoso");
    assert_eq!(created["has_client_secret"], true);
    let id = created["document"]["id"].as_str().unwrap().to_owned();

    ssoctl(data.path())
        .args(["dir", "list"])
        .assert()
        .success()
        .stdout(contains("Contoso"))
        .stdout(contains(&id));
    ssoctl(data.path())
        .args(["dir", "show", "contoso"])
        .assert()
        .success()
        .stdout(contains("stored in the OS keyring"));
    ssoctl(data.path())
        .args(["--json", "dir", "show", &id])
        .assert()
        .success()
        .stdout(contains("\"revision\": 1"));

    let update = write_document(work.path(), "Contoso renamed", |d| {
        d["scopes"] = "openid email".into()
    });
    let out = ssoctl(data.path())
        .args(["--json", "dir", "update", "Contoso", "--file"])
        .arg(&update)
        .assert()
        .success();
    let updated = json_of(&out.get_output().stdout);
    assert_eq!(updated["document"]["name"], "Contoso renamed");
    assert_eq!(
        updated["document"]["id"],
        id.as_str(),
        "the id never changes"
    );
    assert_eq!(updated["revision"], 2);

    ssoctl(data.path())
        .args(["dir", "duplicate", &id])
        .assert()
        .success()
        .stdout(contains("Contoso renamed (copy)"));
    assert_eq!(
        list_names(data.path()),
        ["Contoso renamed", "Contoso renamed (copy)"]
    );

    ssoctl(data.path())
        .args(["dir", "delete", "Contoso renamed"])
        .assert()
        .success()
        .stdout(contains("Deleted"));
    assert_eq!(list_names(data.path()), ["Contoso renamed (copy)"]);
}

#[test]
fn bad_input_exits_1_with_a_clear_message_and_changes_nothing() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let good = write_document(work.path(), "Existing", |_| {});
    ssoctl(data.path())
        .args(["dir", "create", "--client-secret-stdin", "--file"])
        .arg(&good)
        .write_stdin("x\n")
        .assert()
        .success();

    let missing = write_document(work.path(), "Missing", |d| d["token_url"] = "".into());
    let bad_url = write_document(work.path(), "Bad URL", |d| {
        d["authorization_url"] = "http://idp.example.com/a".into()
    });
    let duplicate = write_document(work.path(), "existing", |_| {});
    let cases: Vec<(&str, Vec<std::ffi::OsString>, &str)> = vec![
        (
            "missing field",
            vec!["--file".into(), missing.clone().into()],
            "token_url: enter a URL",
        ),
        (
            "bad url",
            vec!["--file".into(), bad_url.clone().into()],
            "use https://",
        ),
        (
            "duplicate name",
            vec!["--file".into(), duplicate.into()],
            "already exists",
        ),
        (
            "invalid logo",
            vec![
                "--file".into(),
                good.clone().into(),
                "--logo".into(),
                fixture("logo-300x36.png").into(),
            ],
            "300×36 px; it must be exactly 245×36 px",
        ),
    ];
    for (name, args, message) in cases {
        let out = ssoctl(data.path())
            .args(["dir", "create", "--client-secret-stdin"])
            .args(&args)
            .write_stdin("secret\n")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains(message), "{name}: {stderr}");
    }
    ssoctl(data.path())
        .args(["dir", "create", "--file"])
        .arg(&good)
        .assert()
        .code(1)
        .stderr(contains("client_secret"))
        .stderr(contains("add --client-secret-stdin"));
    assert_eq!(list_names(data.path()), ["Existing"]);

    // The same mistakes in an update leave the stored directory exactly as it was.
    let show = || {
        let out = ssoctl(data.path())
            .args(["--json", "dir", "show", "Existing"])
            .output()
            .unwrap();
        json_of(&out.stdout)
    };
    let before = show();
    let other = write_document(work.path(), "Other", |_| {});
    ssoctl(data.path())
        .args(["dir", "create", "--client-secret-stdin", "--file"])
        .arg(&other)
        .write_stdin("y\n")
        .assert()
        .success();
    let taken = write_document(work.path(), "other", |_| {});
    for (name, file, message) in [
        ("missing field", &missing, "token_url: enter a URL"),
        ("bad url", &bad_url, "use https://"),
        ("name of another directory", &taken, "already exists"),
    ] {
        let out = ssoctl(data.path())
            .args(["dir", "update", "Existing", "--file"])
            .arg(file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "update, {name}: {stderr}");
        assert!(stderr.contains(message), "update, {name}: {stderr}");
    }
    assert_eq!(show(), before, "nothing of the directory changed");
    ssoctl(data.path())
        .args(["dir", "delete", "Other"])
        .assert()
        .success();

    let out = ssoctl(data.path())
        .args(["--json", "dir", "show", "nope"])
        .assert()
        .code(2);
    assert_eq!(
        json_of(&out.get_output().stdout)["error"]["kind"],
        "not_found"
    );

    let garbage = work.path().join("garbage.json");
    std::fs::write(&garbage, "{ not json").unwrap();
    ssoctl(data.path())
        .args(["dir", "create", "--file"])
        .arg(&garbage)
        .assert()
        .code(1)
        .stderr(contains("is not a directory document"));
    ssoctl(data.path())
        .args(["dir", "create", "--file", "/nonexistent/file.json"])
        .assert()
        .code(2);
    ssoctl(data.path())
        .args(["dir", "frobnicate"])
        .assert()
        .code(2);
}

#[test]
fn logo_check_exit_codes() {
    let data = tempfile::tempdir().unwrap();
    ssoctl(data.path())
        .args(["logo", "check"])
        .arg(fixture("logo-245x36.png"))
        .assert()
        .success()
        .stdout(contains("valid logo"));
    ssoctl(data.path())
        .args(["logo", "check"])
        .arg(fixture("logo-300x36.png"))
        .assert()
        .code(1)
        .stderr(contains(
            "the logo is 300×36 px; it must be exactly 245×36 px",
        ));
    let out = ssoctl(data.path())
        .args(["--json", "logo", "check"])
        .arg(fixture("logo-300x36.png"))
        .assert()
        .code(1);
    assert_eq!(
        json_of(&out.get_output().stdout)["error"]["kind"],
        "invalid_logo"
    );
    ssoctl(data.path())
        .args(["logo", "check", "/nonexistent.png"])
        .assert()
        .code(2);
}

#[test]
fn the_secret_never_reaches_the_database_json_output_or_logs() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let secret = unique_secret();
    let file = write_document(work.path(), "Leakproof", |_| {});
    let mut outputs = Vec::new();
    for args in [
        vec![
            "--json",
            "dir",
            "create",
            "--client-secret-stdin",
            "--file",
            file.to_str().unwrap(),
        ],
        vec![
            "--json",
            "dir",
            "update",
            "Leakproof",
            "--client-secret-stdin",
            "--file",
            file.to_str().unwrap(),
        ],
        vec!["--json", "dir", "show", "Leakproof"],
        vec!["dir", "show", "Leakproof"],
        vec!["--json", "dir", "list"],
    ] {
        let out = ssoctl(data.path())
            .env("RUST_LOG", "trace")
            .args(&args)
            .write_stdin(format!("{secret}\n"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        outputs.push(out.stdout);
        outputs.push(out.stderr);
    }
    assert!(
        outputs.iter().any(|o| !o.is_empty()),
        "the commands printed something"
    );
    for (i, out) in outputs.iter().enumerate() {
        assert!(!bytes_contain(out, &secret), "secret in output {i}");
    }
    for entry in std::fs::read_dir(data.path()).unwrap() {
        let path = entry.unwrap().path();
        assert!(
            !bytes_contain(&std::fs::read(&path).unwrap(), &secret),
            "secret in {}",
            path.display()
        );
    }
    // Clean up the keyring entry.
    ssoctl(data.path())
        .args(["dir", "delete", "Leakproof"])
        .assert()
        .success();
}

#[test]
fn without_a_keyring_saving_fails_clearly_and_stores_nothing() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let file = write_document(work.path(), "Nowhere", |_| {});
    ssoctl(data.path())
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .args(["dir", "create", "--client-secret-stdin", "--file"])
        .arg(&file)
        .write_stdin("secret\n")
        .assert()
        .code(2)
        .stderr(contains("no OS keyring is available"));
    assert!(
        list_names(data.path()).is_empty(),
        "no plaintext fallback, no half-saved directory"
    );
}

#[test]
fn version_names_the_workspace_version_and_the_commit() {
    let data = tempfile::tempdir().unwrap();
    let out = ssoctl(data.path()).arg("--version").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let expected = format!("ssoctl {} (commit ", env!("CARGO_PKG_VERSION"));
    assert!(text.starts_with(&expected), "{text}");
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the tests run in a git checkout");
    assert_eq!(
        sso_console::COMMIT,
        String::from_utf8_lossy(&head.stdout).trim(),
        "built from HEAD"
    );
    assert!(
        text.trim_end()
            .ends_with(&format!("{})", sso_console::COMMIT)),
        "{text}"
    );
}

#[test]
fn dir_show_words_the_staff_rule() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let file =
        write_document(
            work.path(),
            "Staffed",
            |d| {
                d["staff"] =
                    serde_json::json!({"mode": "claim_equals", "claim": "roles", "value": "Staff"})
            },
        );
    ssoctl(data.path())
        .args(["dir", "create", "--file"])
        .arg(&file)
        .arg("--client-secret-stdin")
        .write_stdin("s\n")
        .assert()
        .success();
    let out = ssoctl(data.path())
        .args(["dir", "show", "Staffed"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("If claim type matches exactly: `roles` = \"Staff\""),
        "{text}"
    );
    assert!(!text.contains("\"mode\""), "{text}");
}
