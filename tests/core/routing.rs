//! Routing and claim evaluation on real data: the domain rule under concurrent saves from two
//! workspaces on one data directory, the workspace's routing and claims previews, and
//! `ssoctl route` / `ssoctl claims eval` run as a user would.

use std::path::{Path, PathBuf};

use predicates::str::contains;
use serde_json::{json, Value};
use sso_console::claims::parse_pasted;
use sso_console::directory::{DirectoryDocument, DirectoryId, StaffRule};
use sso_console::error_kind::ErrorKind;
use sso_console::routing::{EmailAddress, Route, RoutingFindingCode};
use sso_console::sensitive::SecretString;
use sso_console::store::StoreError;
use sso_console::{Workspace, WorkspaceError};

use crate::fixtures::{document, json_of, ssoctl};

fn secret() -> SecretString {
    SecretString::new("test-secret")
}

fn with_domains(name: &str, domains: &[&str]) -> DirectoryDocument {
    DirectoryDocument {
        domain_suffixes: domains.iter().map(|d| (*d).to_owned()).collect(),
        ..document(name)
    }
}

fn staff_directory() -> DirectoryDocument {
    DirectoryDocument {
        is_hidden: true,
        staff: StaffRule::Always,
        ..with_domains("Staff", &["example.org"])
    }
}

fn id_of(doc: &DirectoryDocument) -> DirectoryId {
    DirectoryId::parse(doc.id.as_deref().unwrap()).unwrap()
}

async fn delete_all(ws: &Workspace) {
    for d in ws.list("").await.unwrap() {
        ws.delete(DirectoryId::parse(&d.id).unwrap()).await.unwrap();
    }
}

fn is_domain_taken(result: &Result<impl std::fmt::Debug, WorkspaceError>) -> bool {
    matches!(
        result,
        Err(WorkspaceError::Store(StoreError::DomainTaken { .. }))
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_domain_stays_in_one_directory_when_the_app_and_ssoctl_save_at_once() {
    // The app's core in this process, `ssoctl` in its own: two writers on one SQLite file.
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::open(dir.path()).await.unwrap();
    let files = tempfile::tempdir().unwrap();
    let ssoctl_bin = assert_cmd::cargo::cargo_bin("ssoctl");
    for round in 0..5 {
        let domain = format!("both{round}.example");
        let file = files.path().join(format!("cli{round}.json"));
        let cli_doc = with_domains(&format!("CLI {round}"), &[&domain.to_uppercase()]);
        std::fs::write(&file, serde_json::to_vec(&cli_doc).unwrap()).unwrap();
        let mut cli = tokio::process::Command::new(&ssoctl_bin);
        cli.arg("--data-dir")
            .arg(dir.path())
            .args(["dir", "create", "--client-secret-stdin", "--file"])
            .arg(&file)
            .env_remove("RUST_LOG")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cli.spawn().unwrap();
        {
            use tokio::io::AsyncWriteExt;
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(b"cli-secret\n").await.unwrap();
        }
        let app_doc = with_domains(&format!("App {round}"), &[&domain]);
        let app_secret = secret();
        let (app, cli) = tokio::join!(ws.create(&app_doc, &app_secret), child.wait_with_output());
        let cli = cli.unwrap();
        let cli_stderr = String::from_utf8_lossy(&cli.stderr);
        assert_eq!(
            usize::from(app.is_ok()) + usize::from(cli.status.success()),
            1,
            "round {round}: exactly one save wins: {app:?} / {cli_stderr}"
        );
        if app.is_ok() {
            assert_eq!(cli.status.code(), Some(1), "round {round}: {cli_stderr}");
            assert!(cli_stderr.contains(&domain), "round {round}: {cli_stderr}");
        } else {
            assert!(is_domain_taken(&app), "round {round}: {app:?}");
        }
    }
    let report = ws.check_routing().await.unwrap();
    assert!(report.ok, "{:#?}", report.findings);
    assert_eq!(
        ws.list("").await.unwrap().len(),
        5,
        "one directory per round"
    );
    delete_all(&ws).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_domain_stays_in_one_directory_under_concurrent_saves_from_two_workspaces() {
    let dir = tempfile::tempdir().unwrap();
    let first = Workspace::open(dir.path()).await.unwrap();
    let second = Workspace::open(dir.path()).await.unwrap();

    for round in 0..5 {
        let domain = format!("race{round}.example");
        // The same domain, spelled differently: both normalise to one.
        let a = with_domains(&format!("A{round}"), &[&domain]);
        let other = format!("x{round}.example.net");
        let b = with_domains(&format!("B{round}"), &[&other, &domain.to_uppercase()]);
        let secret = secret();
        let (ra, rb) = tokio::join!(first.create(&a, &secret), second.create(&b, &secret));
        assert_eq!(
            usize::from(ra.is_ok()) + usize::from(rb.is_ok()),
            1,
            "round {round}: exactly one save wins: {ra:?} / {rb:?}"
        );
        assert!(
            is_domain_taken(&ra) || is_domain_taken(&rb),
            "round {round}: the loser is told the domain is taken"
        );
        let loser = if ra.is_err() { ra } else { rb };
        let e = loser.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Conflict);
        assert!(e.to_string().contains(&domain), "{e}");
    }

    // Two updates that add the same domain to two existing directories.
    let x = first.create(&document("X"), &secret()).await.unwrap();
    let y = first.create(&document("Y"), &secret()).await.unwrap();
    let shared = |d: &DirectoryDocument| DirectoryDocument {
        domain_suffixes: vec!["shared.example".into()],
        ..d.clone()
    };
    let (x_doc, y_doc) = (shared(&x.document), shared(&y.document));
    let (rx, ry) = tokio::join!(
        first.update(id_of(&x.document), Some(1), &x_doc, None),
        second.update(id_of(&y.document), Some(1), &y_doc, None),
    );
    assert_eq!(
        usize::from(rx.is_ok()) + usize::from(ry.is_ok()),
        1,
        "{rx:?} / {ry:?}"
    );
    assert!(is_domain_taken(&rx) || is_domain_taken(&ry));

    // What routing reads back: every domain once, no conflict finding, nothing half-saved.
    for ws in [&first, &second] {
        let report = ws.check_routing().await.unwrap();
        assert!(report.ok, "{:#?}", report.findings);
        assert!(!report
            .findings
            .iter()
            .any(|f| f.code == RoutingFindingCode::DomainInSeveralDirectories.as_str()));
        let mut domains: Vec<&str> = report.domains.iter().map(|d| d.domain.as_str()).collect();
        let total = domains.len();
        domains.dedup();
        assert_eq!(domains.len(), total, "each domain routes to one directory");
        for round in 0..5 {
            let domain = format!("race{round}.example");
            assert_eq!(
                report.domains.iter().filter(|d| d.domain == domain).count(),
                1
            );
        }
        assert_eq!(report.directory_count, 5 + 2);
    }
    delete_all(&first).await;
    first.close().await;
    second.close().await;
}

#[tokio::test]
async fn stored_directories_route_and_evaluate_like_the_sign_in_service() {
    let (_dir, ws) = crate::fixtures::workspace().await;
    let empty = ws.check_routing().await.unwrap();
    assert!(empty.nobody_can_sign_in && !empty.ok);

    ws.create(&staff_directory(), &secret()).await.unwrap();
    ws.create(&document("Members"), &secret()).await.unwrap();
    let routing = ws.routing_directories().await.unwrap();
    assert_eq!(routing.len(), 2);
    assert_eq!(routing[1].name, "Staff");
    assert_eq!(routing[1].domain_suffixes, ["example.org"]);
    assert_eq!(routing[1].staff, StaffRule::Always);

    let staff = ws
        .simulate_route(&EmailAddress::parse("Boss@Example.ORG").unwrap())
        .await
        .unwrap();
    assert!(
        matches!(&staff.route, Route::DomainSuffix { directory, .. } if directory.name == "Staff")
    );
    let public = ws
        .simulate_route(&EmailAddress::parse("ann@gmail.com").unwrap())
        .await
        .unwrap();
    assert!(
        matches!(&public.route, Route::SingleVisibleDirectory { directory } if directory.name == "Members")
    );
    let report = ws.check_routing().await.unwrap();
    assert!(report.ok);
    assert!(report
        .findings
        .iter()
        .any(|f| f.code == RoutingFindingCode::StaffPublicPattern.as_str()));

    let claims = parse_pasted(
        &json!({"id_token": {"sub": "abc", "email": "boss@example.org",
                             "given_name": "Bo", "family_name": "Ss"}})
        .to_string(),
    )
    .unwrap()
    .claims;
    let by_name = ws.evaluate_claims("staff", &claims).await.unwrap();
    assert!(by_name.sign_in_succeeds && by_name.staff.is_staff);
    let id = by_name.directory_id.clone().unwrap();
    let by_id = ws.evaluate_claims(&id, &claims).await.unwrap();
    assert_eq!(
        by_id.external_id.external_id,
        Some(format!("{id};abc")),
        "the stored id prefixes the external ID"
    );
    assert!(matches!(
        ws.evaluate_claims("nobody", &claims).await,
        Err(WorkspaceError::Store(StoreError::NotFound(_)))
    ));
    delete_all(&ws).await;
}

fn write(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn create(data: &Path, work: &Path, doc: &DirectoryDocument) {
    let file = write(
        work,
        &format!("{}.json", doc.name),
        &serde_json::to_string(doc).unwrap(),
    );
    ssoctl(data)
        .args(["dir", "create", "--client-secret-stdin", "--file"])
        .arg(file)
        .write_stdin("secret\n")
        .assert()
        .success();
}

#[test]
fn ssoctl_route_simulates_and_checks_with_exit_codes() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();

    ssoctl(data.path())
        .args(["route", "check"])
        .assert()
        .code(1)
        .stdout(contains("Nobody can sign in"));
    ssoctl(data.path())
        .args(["route", "ann@example.org"])
        .assert()
        .code(1)
        .stdout(contains("There is no directory"));

    create(data.path(), work.path(), &staff_directory());
    create(data.path(), work.path(), &document("Members"));

    ssoctl(data.path())
        .args(["route", "boss@example.org"])
        .assert()
        .success()
        .stdout(contains(
            "boss@example.org → \"Staff\" (hidden) — by domain suffix example.org",
        ))
        .stdout(contains("identifies every user as staff"));
    let out = ssoctl(data.path())
        .args(["--json", "route", "ann@gmail.com"])
        .assert()
        .success();
    let decision = json_of(&out.get_output().stdout);
    assert_eq!(decision["route"]["rule"], "single_visible_directory");
    assert_eq!(decision["route"]["directory"]["name"], "Members");
    assert_eq!(decision["can_sign_in"], true);

    ssoctl(data.path())
        .args(["route", "check"])
        .assert()
        .success()
        .stdout(contains("example.org"))
        .stdout(contains("the staff/public pattern"));
    let out = ssoctl(data.path())
        .args(["--json", "route", "check"])
        .assert()
        .success();
    assert_eq!(json_of(&out.get_output().stdout)["ok"], true);

    ssoctl(data.path())
        .args(["route", "not-an-email"])
        .assert()
        .code(2)
        .stderr(contains("has no @"));
    let out = ssoctl(data.path())
        .args(["--json", "route", "ann@"])
        .assert()
        .code(2);
    assert_eq!(
        json_of(&out.get_output().stdout)["error"]["kind"],
        "invalid_email"
    );
    ssoctl(data.path()).args(["route"]).assert().code(2);

    for name in ["Staff", "Members"] {
        ssoctl(data.path())
            .args(["dir", "delete", name])
            .assert()
            .success();
    }
}

#[test]
fn ssoctl_claims_eval_says_whether_sign_in_would_succeed() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    create(
        data.path(),
        work.path(),
        &DirectoryDocument {
            staff: StaffRule::ClaimEquals {
                claim: "roles".into(),
                value: "Staff".into(),
            },
            ..document("Contoso")
        },
    );

    let good = write(
        work.path(),
        "good.json",
        &json!({"id_token": {"sub": "abc", "email": "ann@example.org", "given_name": "Ann",
                             "family_name": "Lee", "roles": ["Staff"]}})
        .to_string(),
    );
    ssoctl(data.path())
        .args(["claims", "eval", "Contoso", "--claims"])
        .arg(&good)
        .assert()
        .success()
        .stdout(contains("Sign-in would succeed as staff"))
        .stdout(contains("one element equals it"));

    let moved = write(
        work.path(),
        "moved.json",
        &json!({"id_token": {"sub": "abc", "email": "ann@example.org", "given_name": "Ann",
                             "roles": "staff"},
                "userinfo": {"family_name": "Lee"}, "access_token": "opaque"})
        .to_string(),
    );
    ssoctl(data.path())
        .args(["claims", "eval", "contoso", "--claims"])
        .arg(&moved)
        .assert()
        .code(1)
        .stdout(contains(
            "`family_name` is not in the ID token; it is in Userinfo — change the source?",
        ))
        .stdout(contains("only in letter case"));
    let out = ssoctl(data.path())
        .args(["--json", "claims", "eval", "Contoso", "--claims"])
        .arg(&moved)
        .assert()
        .code(1);
    let doc = json_of(&out.get_output().stdout);
    assert_eq!(doc["sign_in_succeeds"], false);
    assert_eq!(doc["mappings"][4]["outcome"]["status"], "missing");
    assert_eq!(
        doc["sources"][0]["unavailable"]["kind"],
        "opaque_access_token"
    );
    assert_eq!(doc["input"]["form"]["form"], "by_source");

    // A raw JWT on standard input.
    let part = |v: Value| {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let token = format!(
        "{}.{}.sig",
        part(json!({"alg": "RS256"})),
        part(
            json!({"sub": "abc", "nonce": "n", "email": "ann@example.org",
                    "given_name": "Ann", "family_name": "Lee"})
        )
    );
    ssoctl(data.path())
        .args(["claims", "eval", "Contoso", "--claims", "-"])
        .write_stdin(token)
        .assert()
        .success()
        .stdout(contains("Sign-in would succeed as a public user"))
        .stdout(contains("without checking their signature"));

    let broken = write(work.path(), "broken.json", "{\n  \"sub\": \"abc\",\n}");
    ssoctl(data.path())
        .args(["claims", "eval", "Contoso", "--claims"])
        .arg(&broken)
        .assert()
        .code(2)
        .stderr(contains("not valid JSON"))
        .stderr(contains("line 3, column 1"));
    ssoctl(data.path())
        .args([
            "claims",
            "eval",
            "Contoso",
            "--claims",
            "/nonexistent/claims.json",
        ])
        .assert()
        .code(2);
    let out = ssoctl(data.path())
        .args(["--json", "claims", "eval", "Nobody", "--claims"])
        .arg(&good)
        .assert()
        .code(2);
    assert_eq!(
        json_of(&out.get_output().stdout)["error"]["kind"],
        "not_found"
    );

    ssoctl(data.path())
        .args(["dir", "delete", "Contoso"])
        .assert()
        .success();
}
