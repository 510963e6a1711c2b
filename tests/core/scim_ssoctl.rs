//! `ssoctl scim …` run as a user would: one JSON document with --json, the exit codes of
//! DESIGN §7.2, and the bearer token nowhere in the output, the logs or the data files.

use crate::fixtures::{json_of, ssoctl};
use crate::scim_support::{leaks, ScimServer};
use crate::secrets::contains;

#[test]
fn scim_test_answers_with_one_json_document_and_the_exit_code_of_the_verdict() {
    let server = ScimServer::start();
    let data = tempfile::tempdir().unwrap();
    let ok = ssoctl(data.path())
        .args(["--json", "scim", "test", &server.base_url, "--token-stdin"])
        .write_stdin(format!("{}\n", server.token))
        .output()
        .unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let report = json_of(&ok.stdout);
    assert_eq!(report["passed"], true);
    assert_eq!(report["checks"].as_array().unwrap().len(), 4);

    let wrong = ssoctl(data.path())
        .args(["--json", "scim", "test", &server.base_url, "--token-stdin"])
        .write_stdin("wrong-token\n")
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    let report = json_of(&wrong.stdout);
    assert_eq!(report["checks"][0]["findings"][0]["code"], "token_rejected");

    let text = ssoctl(data.path())
        .args(["scim", "test", &server.base_url, "--token-stdin"])
        .write_stdin("wrong-token\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("Entra would report this as 'invalid credentials'"),
        "{stdout}"
    );

    let usage = ssoctl(data.path())
        .args(["--json", "scim", "test", "http://scim.example.com/v2"])
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
    assert_eq!(json_of(&usage.stdout)["error"]["kind"], "usage");
}

#[test]
fn the_token_never_appears_in_json_output_trace_logs_or_data_files() {
    let server = ScimServer::start();
    let data = tempfile::tempdir().unwrap();
    let mut everything = String::new();
    let runs: [&[&str]; 3] = [
        &["--json", "scim", "test", &server.base_url, "--token-stdin"],
        &[
            "--json",
            "scim",
            "review",
            &server.base_url,
            "--token-stdin",
        ],
        &[
            "--json",
            "scim",
            "run",
            &server.base_url,
            "--token-stdin",
            "--mappings",
            "template:entra-default",
            "--user",
            "sample:entra-adele-vance",
            "--bodies",
        ],
    ];
    for args in runs {
        let out = ssoctl(data.path())
            .args(args)
            .env("RUST_LOG", "trace")
            .write_stdin(format!("{}\n", server.token))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!stderr.is_empty(), "RUST_LOG=trace logs something");
        json_of(out.stdout.as_slice());
        everything.push_str(&stdout);
        everything.push_str(&stderr);
    }
    assert!(
        everything.contains("Bearer <redacted>"),
        "the log shows where the token went"
    );
    assert!(
        !leaks(&everything, &server.token),
        "the token leaked into the output or the logs"
    );

    let token = format!("stored-{}", uuid::Uuid::new_v4().simple());
    ssoctl(data.path())
        .args([
            "--json",
            "scim",
            "conn",
            "create",
            "--name",
            "Stored",
            "--url",
            &server.base_url,
            "--token-stdin",
        ])
        .write_stdin(format!("{token}\n"))
        .assert()
        .success();
    for entry in std::fs::read_dir(data.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            assert!(
                !contains(&std::fs::read(&path).unwrap(), &token),
                "token in {}",
                path.display()
            );
        }
    }
    ssoctl(data.path())
        .args(["scim", "conn", "delete", "Stored"])
        .assert()
        .success();
}

#[test]
fn preview_and_run_work_from_files_and_stored_connections() {
    let server = ScimServer::start();
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let template = ssoctl(data.path())
        .args(["scim", "template", "entra-default"])
        .output()
        .unwrap();
    assert!(template.status.success());
    let mappings = work.path().join("mappings.json");
    std::fs::write(&mappings, &template.stdout).unwrap();
    let sample = ssoctl(data.path())
        .args(["scim", "sample", "entra-adele-vance"])
        .output()
        .unwrap();
    let user = work.path().join("user.json");
    std::fs::write(&user, &sample.stdout).unwrap();

    let preview = ssoctl(data.path())
        .args(["--json", "scim", "preview", "--mappings"])
        .arg(&mappings)
        .arg("--user")
        .arg(&user)
        .output()
        .unwrap();
    assert_eq!(
        preview.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&preview.stdout)
    );
    let result = json_of(&preview.stdout);
    assert_eq!(
        result["create"]["body"]["userName"],
        "AdeleV@contoso.onmicrosoft.com"
    );
    assert_eq!(result["validated_against"], "RFC 7643 (no endpoint asked)");

    let against_server = ssoctl(data.path())
        .args(["--json", "scim", "preview", "--entra-quirks", "--mappings"])
        .arg(&mappings)
        .arg("--user")
        .arg(&user)
        .args(["--url", &server.base_url, "--token-stdin"])
        .write_stdin(format!("{}\n", server.token))
        .output()
        .unwrap();
    let result = json_of(&against_server.stdout);
    assert!(result["validated_against"]
        .as_str()
        .unwrap()
        .contains("/Schemas"));
    assert_eq!(
        result["deactivate"]["body"]["Operations"][0]["value"],
        "False"
    );

    std::fs::write(&mappings, "{\"mappings\": [{\"target\": \"userName\", \"source\": {\"type\": \"expression\", \"expression\": \"Join(\\\",\\\" [a])\"}, \"match_precedence\": 1}]}").unwrap();
    let broken = ssoctl(data.path())
        .args(["--json", "scim", "preview", "--mappings"])
        .arg(&mappings)
        .arg("--user")
        .arg(&user)
        .output()
        .unwrap();
    assert_eq!(broken.status.code(), Some(1));
    let error = json_of(&broken.stdout);
    assert_eq!(
        error["error"]["fields"][0]["field"],
        "mappings[0].source.expression"
    );
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("at character 10"),
        "{error}"
    );

    ssoctl(data.path())
        .args([
            "scim",
            "conn",
            "create",
            "--name",
            "Live",
            "--url",
            &server.base_url,
            "--mappings",
            "template:entra-default",
            "--token-stdin",
        ])
        .write_stdin(format!("{}\n", server.token))
        .assert()
        .success();
    let list = ssoctl(data.path())
        .args(["--json", "scim", "conn", "list"])
        .output()
        .unwrap();
    assert_eq!(json_of(&list.stdout)[0]["name"], "Live");
    // The same read-only run, as JSON and as text.
    let read_only = |json: bool| {
        let mut cmd = ssoctl(data.path());
        if json {
            cmd.arg("--json");
        }
        cmd.args([
            "scim",
            "run",
            "Live",
            "--user",
            "sample:entra-zoe-angstrom",
            "--read-only",
        ])
        .output()
        .unwrap()
    };
    let run = read_only(true);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
    let report = json_of(&run.stdout);
    assert_eq!(report["options"]["read_only"], true);
    let text = String::from_utf8_lossy(&read_only(false).stdout).into_owned();
    assert!(
        text.contains("Read-only run: nothing was created on the server")
            && !text.contains("deleted again"),
        "{text}"
    );
    let full = ssoctl(data.path())
        .args(["scim", "run", "Live", "--user", "sample:entra-adele-vance"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&full.stdout);
    assert_eq!(full.status.code(), Some(0), "{text}");
    assert!(
        text.contains("Everything the dry run created was deleted again."),
        "{text}"
    );
    ssoctl(data.path())
        .args(["scim", "conn", "delete", "Live"])
        .assert()
        .success();
}

#[test]
fn scim_review_text_names_schema_kinds_in_words() {
    let server = ScimServer::start();
    let data = tempfile::tempdir().unwrap();
    let out = ssoctl(data.path())
        .args(["scim", "review", &server.base_url, "--token-stdin"])
        .write_stdin(format!("{}\n", server.token))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("(core User"), "{text}");
    for code_name in ["CoreUser", "CoreGroup", "EnterpriseUser", "CustomExtension"] {
        assert!(!text.contains(code_name), "{code_name} in {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_cancels_a_check_that_waits_and_says_nothing_changed() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    use crate::scim_support::{empty_list, Reply, Stub};

    // A server that takes its time: the check waits, and the person presses Ctrl+C.
    let stub = Stub::start(|_| Reply::scim(200, empty_list()).after(Duration::from_secs(12))).await;
    let data = tempfile::tempdir().unwrap();
    let mut child = crate::fixtures::ssoctl_process(data.path())
        .args(["--json", "scim", "test", &stub.base_url, "--token-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"a-token\n").unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while stub.seen().is_empty() {
        assert!(Instant::now() < deadline, "ssoctl never reached the server");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let answer = json_of(&out.stdout);
    assert_eq!(answer["error"]["kind"], "cancelled", "{answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("changes nothing on the server"),
        "{answer}"
    );
}

#[test]
fn a_dry_run_report_holds_its_log_without_the_token() {
    let server = ScimServer::start();
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    // A dry run of the sample user, its report written to `file`.
    let run_with_report = |file: &std::path::Path, extra: &[&str]| {
        ssoctl(data.path())
            .args([
                "scim",
                "run",
                &server.base_url,
                "--token-stdin",
                "--mappings",
                "template:entra-default",
                "--user",
                "sample:entra-adele-vance",
                "--report",
                file.to_str().unwrap(),
            ])
            .args(extra)
            .write_stdin(format!("{}\n", server.token))
            .output()
            .unwrap()
    };
    for name in ["run.json", "run.html"] {
        let file = out.path().join(name);
        let run = run_with_report(&file, &[]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains("Report written to"), "{stderr}");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!leaks(&text, &server.token), "the token is in {name}");
        assert!(text.contains("/Users"), "{name} holds the requests");
    }
    let text = std::fs::read_to_string(out.path().join("run.json")).unwrap();
    let report = sso_console::report::Report::parse(text.as_bytes()).unwrap();
    let dry_run = report.scim.unwrap().dry_run.unwrap();
    assert!(dry_run.steps.len() >= 5, "{:?}", dry_run.steps);
    assert!(dry_run.steps.iter().any(|s| s.exchange.is_some()));

    // With --redact (and --redact-identifiers, as externalId is made of the user's mail
    // nickname): the test user's personal values are nowhere, not even encoded in a URL.
    let sample = ssoctl(data.path())
        .args(["scim", "sample", "entra-adele-vance"])
        .output()
        .unwrap();
    let sample: serde_json::Value = serde_json::from_slice(&sample.stdout).unwrap();
    // The sample is an Entra user: the mappings make the SCIM user of these.
    let mut personal: Vec<String> = [
        "/displayName",
        "/givenName",
        "/surname",
        "/mail",
        "/telephoneNumber",
        "/mobile",
        "/streetAddress",
        "/jobTitle",
    ]
    .iter()
    .filter_map(|p| {
        sample
            .pointer(p)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    })
    .collect();
    assert_eq!(
        personal.len(),
        8,
        "the sample user has personal data: {sample}"
    );
    personal.push(
        dry_run
            .test_user_name
            .clone()
            .expect("the run made a test user"),
    );
    let file = out.path().join("run-redacted.json");
    let run = run_with_report(&file, &["--redact", "--redact-identifiers"]);
    assert!(run.status.code().is_some(), "{run:?}");
    let redacted = std::fs::read_to_string(&file).unwrap();
    for value in &personal {
        let encoded: String = value
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    char::from(b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        if let Some(at) = redacted.find(value.as_str()) {
            let context: String = redacted[at.saturating_sub(120)..]
                .chars()
                .take(240)
                .collect();
            panic!("{value} is in the redacted report: …{context}…");
        }
        assert!(
            !redacted.contains(&encoded),
            "{encoded} is in the redacted report"
        );
    }
    assert!(redacted.contains("[name-1]"), "{redacted}");

    let shown = ssoctl(data.path())
        .args([
            "report",
            "show",
            out.path().join("run.json").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(shown.status.success(), "{shown:?}");
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.contains("create the user"), "{shown}");

    // What is not a report is refused, and says what to open instead.
    std::fs::write(out.path().join("other.json"), r#"{"format":"x"}"#).unwrap();
    std::fs::write(
        out.path().join("newer.json"),
        r#"{"format":"sso-console/report","version":99}"#,
    )
    .unwrap();
    for (file, words) in [
        ("other.json", "is not an SSO Console report"),
        ("newer.json", "made by a newer SSO Console"),
        ("run.html", "is not a JSON report"),
    ] {
        let refused = ssoctl(data.path())
            .args([
                "--json",
                "report",
                "show",
                out.path().join(file).to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert_eq!(refused.status.code(), Some(1), "{file}");
        let doc = json_of(&refused.stdout);
        assert_eq!(doc["error"]["kind"], "invalid_report", "{file}");
        let message = doc["error"]["message"].as_str().unwrap();
        assert!(message.contains(words), "{file}: {message}");
    }
}

#[test]
fn a_test_connection_or_review_report_holds_that_check_without_the_token() {
    let server = ScimServer::start();
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    for command in ["test", "review"] {
        let file = out.path().join(format!("{command}.json"));
        let run = ssoctl(data.path())
            .args([
                "scim",
                command,
                &server.base_url,
                "--token-stdin",
                "--report",
            ])
            .arg(&file)
            .write_stdin(format!("{}\n", server.token))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains("Report written to"), "{command}: {stderr}");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            !leaks(&text, &server.token),
            "the token is in {command}.json"
        );
        let scim = sso_console::report::Report::parse(text.as_bytes())
            .unwrap()
            .scim
            .unwrap();
        match command {
            "test" => {
                let checked = scim.test_connection.expect("the Test Connection is in it");
                assert!(!checked.checks.is_empty(), "{checked:?}");
                assert!(scim.review.is_none());
            }
            _ => {
                assert!(scim.review.is_some(), "the review is in it");
                assert!(scim.test_connection.is_none());
            }
        }
    }
}
