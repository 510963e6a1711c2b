//! `ssoctl`'s exit codes as DESIGN §7.2 sets them, command by command: 0 success, 1 the thing
//! checked is invalid or failed, 2 usage or environment (a bad command line, a directory or
//! connection that does not exist, a file that cannot be read, a port in use). With `--json`,
//! every outcome, usage errors included, is exactly one JSON document on standard output.

use std::net::{Ipv4Addr, TcpListener};
use std::path::Path;

use serde_json::Value;

use crate::fixtures::{document, fixture, ssoctl};

/// Stores "Existing" (domain example.org) and "Port taken" (whose fixed test port `port` is
/// held by the caller).
fn prepare(data: &Path, work: &Path, port: u16) {
    let create = |name: &str, edit: &dyn Fn(&mut Value), secret: &str| {
        let mut doc = serde_json::to_value(document(name)).unwrap();
        edit(&mut doc);
        let file = work.join(format!("{}.json", name.replace(' ', "-")));
        std::fs::write(&file, serde_json::to_vec(&doc).unwrap()).unwrap();
        let mut cmd = ssoctl(data);
        cmd.args(["dir", "create", "--file"])
            .arg(&file)
            .arg("--client-secret-stdin")
            .write_stdin(format!("{secret}\n"));
        cmd.assert().success();
    };
    create(
        "Existing",
        &|d| d["domain_suffixes"] = serde_json::json!(["example.org"]),
        "secret-1",
    );
    create(
        "Port taken",
        &|d| d["test_redirect_port"] = port.into(),
        "secret-2",
    );
}

#[test]
fn every_command_exits_as_the_design_says() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    // Held for the whole test: the directory "Port taken" cannot listen on it.
    let taken = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = taken.local_addr().unwrap().port();
    prepare(data.path(), work.path(), port);
    let good_logo = fixture("logo-245x36.png").display().to_string();
    let bad_logo = fixture("logo-300x36.png").display().to_string();
    let garbage = work.path().join("garbage.json");
    std::fs::write(&garbage, "{ not json").unwrap();
    let garbage = garbage.display().to_string();
    let claims = work.path().join("claims.json");
    std::fs::write(&claims, r#"{"sub": "u-1", "email": "a@example.org"}"#).unwrap();
    let claims = claims.display().to_string();
    // One byte more than a report may be: refused without being read whole.
    let huge = work.path().join("huge.json");
    std::fs::write(&huge, vec![b' '; sso_console::report::MAX_BYTES + 1]).unwrap();
    let huge = huge.display().to_string();
    let bundle = work.path().join("bundle.json").display().to_string();

    // (arguments, exit code, the kind of the JSON error, "" for none)
    let table: Vec<(Vec<&str>, i32, &str)> = vec![
        // Usage.
        (vec!["frobnicate"], 2, "usage"),
        (vec!["dir", "show"], 2, "usage"),
        (vec!["dir", "list", "--no-such-flag"], 2, "usage"),
        (vec!["route"], 2, "usage"),
        (vec!["test", "Existing", "--timeout", "0"], 2, "usage"),
        // Directories.
        (vec!["dir", "list"], 0, ""),
        (vec!["dir", "show", "Existing"], 0, ""),
        (vec!["dir", "show", "nope"], 2, "not_found"),
        (
            vec!["dir", "update", "nope", "--file", &garbage],
            2,
            "not_found",
        ),
        (vec!["dir", "duplicate", "nope"], 2, "not_found"),
        (vec!["dir", "delete", "nope"], 2, "not_found"),
        (vec!["dir", "create", "--file", &garbage], 1, "validation"),
        (
            vec!["dir", "create", "--file", "/nonexistent/d.json"],
            2,
            "usage",
        ),
        // Logos.
        (vec!["logo", "check", &good_logo], 0, ""),
        (vec!["logo", "check", &bad_logo], 1, "invalid_logo"),
        (vec!["logo", "check", "/nonexistent.png"], 2, "usage"),
        // The test sign-in.
        (vec!["test", "nope", "--no-browser"], 2, "not_found"),
        (
            vec!["test", "Port taken", "--no-browser", "--timeout", "1"],
            2,
            "port_in_use",
        ),
        // Claims and routing.
        (
            vec!["claims", "eval", "nope", "--claims", &claims],
            2,
            "not_found",
        ),
        (
            vec![
                "claims",
                "eval",
                "Existing",
                "--claims",
                "/nonexistent.json",
            ],
            2,
            "usage",
        ),
        (vec!["route", "someone@example.org"], 0, ""),
        (vec!["route", "not-an-email"], 2, "invalid_email"),
        // Health.
        (vec!["health", "nope"], 2, "not_found"),
        (vec!["health", "--concurrency", "0"], 2, "usage"),
        // Reports.
        (vec!["report", "nope", "--out", "r.html"], 2, "not_found"),
        (vec!["report", "Existing"], 2, "usage"),
        (vec!["report", "show", &garbage], 1, "invalid_report"),
        (vec!["report", "show", &huge], 1, "invalid_report"),
        (
            vec!["report", "show", "/nonexistent.json"],
            2,
            "environment",
        ),
        // Bundles.
        (vec!["export", "--out", &bundle], 0, ""),
        (vec!["import", &bundle, "--dry-run"], 0, ""),
        (vec!["import", &garbage], 1, "invalid_bundle"),
        (vec!["import", &huge], 1, "invalid_bundle"),
        (vec!["import", "/nonexistent.json"], 2, "environment"),
        (vec!["export", "nope", "--out", &bundle], 2, "not_found"),
        (
            vec!["export", "--out", &bundle, "--include-secrets"],
            2,
            "usage",
        ),
        // Presets.
        (vec!["preset", "list"], 0, ""),
        (
            vec![
                "preset",
                "show",
                "keycloak",
                "--param",
                "base_url=https://sso.example.org",
                "--param",
                "realm=staff",
            ],
            0,
            "",
        ),
        (
            vec!["preset", "show", "keycloak", "--param", "realm=staff"],
            1,
            "validation",
        ),
        (
            vec!["preset", "show", "okta", "--param", "domain"],
            2,
            "usage",
        ),
        (vec!["preset", "show", "azure"], 2, "usage"),
        (
            vec![
                "dir",
                "create",
                "--preset",
                "okta",
                "--param",
                "domain=okta",
                "--name",
                "New",
                "--client-id",
                "abc",
                "--placeholder-logo",
            ],
            1,
            "validation",
        ),
        (
            vec![
                "dir",
                "create",
                "--preset",
                "okta",
                "--param",
                "domain=contoso.okta.com",
                "--name",
                "New",
                "--client-id",
                "abc",
            ],
            2,
            "usage",
        ),
        (vec!["dir", "create", "--preset", "okta"], 2, "usage"),
        // Guides.
        (vec!["guide", "Existing"], 0, ""),
        (vec!["guide", "Existing", "--format", "html"], 0, ""),
        (vec!["guide", "nope"], 2, "not_found"),
        (
            vec!["guide", "Existing", "--out", "/nonexistent/guide.md"],
            2,
            "environment",
        ),
        // SCIM.
        (vec!["scim", "conn", "list"], 0, ""),
        (vec!["scim", "conn", "show", "nope"], 2, "not_found"),
        (vec!["scim", "template", "no-such-template"], 2, "usage"),
    ];
    for (args, code, kind) in &table {
        let case = args.join(" ");
        // As text: the code, and the error on standard error.
        let out = ssoctl(data.path()).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(*code), "ssoctl {case}: {stderr}");
        if *code != 0 {
            assert!(!stderr.trim().is_empty(), "ssoctl {case}: no message");
        }
        // As JSON: the same code, and exactly one document.
        let out = ssoctl(data.path())
            .arg("--json")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(*code), "ssoctl --json {case}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let doc: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!("ssoctl --json {case}: not one JSON document ({e}): {stdout}")
        });
        if kind.is_empty() {
            assert!(doc.get("error").is_none(), "ssoctl --json {case}: {doc}");
        } else {
            assert_eq!(doc["error"]["kind"], *kind, "ssoctl --json {case}: {doc}");
            let message = doc["error"]["message"].as_str().unwrap_or_default();
            assert!(!message.is_empty(), "ssoctl --json {case}: {doc}");
            if *kind == "not_found" {
                assert!(
                    message.contains("list them with `ssoctl "),
                    "ssoctl --json {case}: {message}"
                );
            }
        }
    }
    drop(taken);
}
