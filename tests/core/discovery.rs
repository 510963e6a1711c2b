//! Discovery against a real OpenID Provider, and against a stub for the faults a real one will
//! not produce.

use std::time::Duration;

use serde_json::{json, Value};
use sso_console::discovery::{self, DiscoveryError, KeySetOutcome};
use sso_console::findings::Severity;
use sso_console::http::{HttpClient, HttpLimits};

use crate::fixtures::{document, ssoctl};
use crate::oidc_provider::OidcProvider;
use crate::stub_http::{Reply, Stub};

fn codes(report: &discovery::DiscoveryReport) -> Vec<String> {
    report.findings.iter().map(|f| f.code.clone()).collect()
}

#[tokio::test]
async fn every_input_form_resolves_to_the_same_metadata_and_prefill() {
    let op = OidcProvider::start(json!({ "clients": [] }));
    let client = HttpClient::standard().unwrap();
    let inputs = [
        format!("127.0.0.1:{}", op.port),
        op.issuer.clone(),
        format!("{}/", op.issuer),
        format!("{}/.well-known/openid-configuration", op.issuer),
    ];
    let mut reports = Vec::new();
    for input in &inputs {
        let report = discovery::discover(&client, input, None)
            .await
            .unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(
            report.document_url,
            format!("{}/.well-known/openid-configuration", op.issuer),
            "{input}"
        );
        reports.push(report);
    }
    for r in &reports[1..] {
        assert_eq!(r.metadata, reports[0].metadata);
    }
    let raw: Value = serde_json::from_str(&reports[0].raw_document).unwrap();
    let p = &reports[0].prefill;
    assert_eq!(p.issuer.as_deref(), Some(op.issuer.as_str()));
    assert_eq!(
        p.authorization_url.as_deref(),
        raw["authorization_endpoint"].as_str()
    );
    assert_eq!(p.token_url.as_deref(), raw["token_endpoint"].as_str());
    assert_eq!(p.userinfo_url.as_deref(), raw["userinfo_endpoint"].as_str());
    assert_eq!(p.jwks_uri.as_deref(), raw["jwks_uri"].as_str());
    match &reports[0].key_set {
        KeySetOutcome::Fetched { summary } => assert!(summary.signing_keys >= 1),
        other => panic!("key set: {other:?}"),
    }
    assert!(
        reports[0].worst() > Some(Severity::Warning),
        "{:?}",
        reports[0].findings
    );
}

#[tokio::test]
async fn prefill_shows_old_and_new_values_and_applies_on_request() {
    let op = OidcProvider::start(json!({ "clients": [] }));
    let mut doc = document("Local");
    doc.issuer = None;
    let report = discovery::discover(&HttpClient::standard().unwrap(), &op.issuer, Some(&doc))
        .await
        .unwrap();
    let fields: Vec<&str> = report.changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "authorization_url",
            "token_url",
            "userinfo_url",
            "issuer",
            "jwks_uri"
        ]
    );
    assert_eq!(
        report.changes[0].old.as_deref(),
        Some("https://login.example.com/authorize")
    );
    assert_eq!(report.changes[3].old, None);
    let applied = report.apply_to(&doc);
    assert_eq!(applied.issuer.as_deref(), Some(op.issuer.as_str()));
    assert_eq!(applied.name, "Local", "only endpoint fields change");
    let again = discovery::discover(&HttpClient::standard().unwrap(), &op.issuer, Some(&applied))
        .await
        .unwrap();
    assert!(again.changes.is_empty());
}

#[tokio::test]
async fn settings_that_disagree_with_the_real_provider_are_found() {
    let op =
        OidcProvider::start(json!({ "clients": [], "clientAuthMethods": ["client_secret_basic"] }));
    let mut doc = document("Disagrees");
    doc.issuer = Some(op.issuer.clone());
    doc.scopes = "openid email phone".into();
    doc.token_endpoint_basic_auth = false;
    let report = discovery::discover(&HttpClient::standard().unwrap(), &op.issuer, Some(&doc))
        .await
        .unwrap();
    let got = codes(&report);
    assert!(
        got.contains(&"token_auth_unsupported".to_owned()),
        "{got:?}"
    );
    assert!(got.contains(&"scope_not_advertised".to_owned()), "{got:?}");
    let basic = report
        .findings
        .iter()
        .find(|f| f.code == "token_auth_unsupported")
        .unwrap();
    assert_eq!(basic.fix, "turn on Token Endpoint Basic Auth");
    doc.token_endpoint_basic_auth = true;
    doc.scopes = "openid email".into();
    let report = discovery::discover(&HttpClient::standard().unwrap(), &op.issuer, Some(&doc))
        .await
        .unwrap();
    assert!(
        report.worst() > Some(Severity::Warning),
        "{:?}",
        report.findings
    );
}

/// The real provider's document served by the stub with some lists edited, for the PKCE and
/// response-mode mismatches the real provider cannot be configured to show.
#[tokio::test]
async fn pkce_and_response_mode_mismatches_are_found() {
    let op = OidcProvider::start(json!({ "clients": [] }));
    let client = HttpClient::standard().unwrap();
    let real = client
        .get(
            &format!("{}/.well-known/openid-configuration", op.issuer),
            "application/json",
        )
        .await
        .unwrap();
    let mut doc: Value = serde_json::from_slice(&real.body).unwrap();
    let stub = Stub::start().await;
    doc["issuer"] = stub.base.clone().into();
    doc["response_modes_supported"] = json!(["query"]);
    doc["code_challenge_methods_supported"] = json!(["plain"]);
    stub.route(
        "/.well-known/openid-configuration",
        Reply::json(200, doc.to_string()),
    );
    let mut settings = document("Strict");
    settings.issuer = None;
    settings.response_mode_form_post = true;
    let report = discovery::discover(&client, &stub.base, Some(&settings))
        .await
        .unwrap();
    let got = codes(&report);
    assert!(
        got.contains(&"response_mode_unsupported".to_owned()),
        "{got:?}"
    );
    assert!(got.contains(&"pkce_s256_missing".to_owned()), "{got:?}");

    doc.as_object_mut()
        .unwrap()
        .remove("code_challenge_methods_supported");
    stub.route(
        "/.well-known/openid-configuration",
        Reply::json(200, doc.to_string()),
    );
    let report = discovery::discover(&client, &stub.base, Some(&settings))
        .await
        .unwrap();
    let pkce = report
        .findings
        .iter()
        .find(|f| f.code == "pkce_not_advertised")
        .unwrap();
    assert_eq!(
        pkce.severity,
        Severity::Info,
        "Entra's case: absent means not advertised"
    );
}

fn good_document(base: &str) -> Value {
    json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/auth"),
        "token_endpoint": format!("{base}/token"),
        "userinfo_endpoint": format!("{base}/me"),
        "jwks_uri": format!("{base}/jwks"),
        "response_types_supported": ["code"],
        "id_token_signing_alg_values_supported": ["RS256"],
    })
}

#[tokio::test]
async fn faults_give_clear_errors_without_hanging() {
    let stub = Stub::start().await;
    let wk = "/.well-known/openid-configuration";
    let limits = HttpLimits {
        total_timeout: Duration::from_secs(2),
        ..HttpLimits::default()
    };
    let client = HttpClient::new(limits).unwrap();
    let mut hang = Reply::json(200, "");
    hang.hang = true;
    let cases: Vec<(&str, Reply, &str)> = vec![
        (
            "/e404",
            Reply::with_type(404, "text/plain", "nope"),
            "answered 404: there is no OpenID configuration",
        ),
        (
            "/e500",
            Reply::with_type(500, "text/plain", "boom"),
            "answered 500: the provider failed",
        ),
        (
            "/loop",
            Reply::redirect("/loop/.well-known/openid-configuration"),
            "redirects to /loop/.well-known",
        ),
        (
            "/html",
            Reply::with_type(200, "text/html", "<!DOCTYPE html><form>login</form>"),
            "HTML page",
        ),
        (
            "/bad",
            Reply::json(200, "{ \"issuer\": "),
            "did not answer with valid JSON",
        ),
        (
            "/array",
            Reply::json(200, "[1,2]"),
            "answered with a JSON array, not",
        ),
        (
            "/string",
            Reply::json(200, "\"see https://example.com\""),
            "answered with a JSON string, not",
        ),
        (
            "/huge",
            Reply::json(200, vec![b' '; 10 * 1024 * 1024]),
            "larger than 1024 KiB",
        ),
        ("/hang", hang, "did not answer within 2 s"),
    ];
    for (prefix, reply, want) in cases {
        stub.route(&format!("{prefix}{wk}"), reply);
        let started = std::time::Instant::now();
        let err = discovery::discover(&client, &stub.url(prefix), None)
            .await
            .expect_err(prefix);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{prefix} took {:?}",
            started.elapsed()
        );
        let text = err.to_string();
        assert!(text.contains(want), "{prefix}: {text}");
        if prefix == "/huge" {
            assert!(matches!(err, DiscoveryError::Http(_)), "{prefix}");
        }
    }
}

#[tokio::test]
async fn document_and_key_set_problems_are_findings() {
    let stub = Stub::start().await;
    let wk = "/.well-known/openid-configuration";
    let client = HttpClient::standard().unwrap();

    let mut other_issuer = good_document(&stub.url("/issuer"));
    other_issuer["issuer"] = "https://elsewhere.example.com".into();
    let mut no_jwks = good_document(&stub.url("/nojwks"));
    no_jwks.as_object_mut().unwrap().remove("jwks_uri");
    let mut empty_keys = good_document(&stub.url("/empty"));
    empty_keys["jwks_uri"] = stub.url("/empty/jwks").into();
    let mut bad_keys = good_document(&stub.url("/badkeys"));
    bad_keys["jwks_uri"] = stub.url("/badkeys/jwks").into();
    stub.route("/empty/jwks", Reply::json(200, r#"{"keys":[]}"#));
    stub.route(
        "/badkeys/jwks",
        Reply::with_type(200, "text/html", "<html>"),
    );

    let cases = [
        ("/issuer", other_issuer, "issuer_mismatch"),
        ("/nojwks", no_jwks, "missing_field"),
        ("/empty", empty_keys, "jwks_no_signing_key"),
        ("/badkeys", bad_keys, "jwks_unreadable"),
    ];
    for (prefix, doc, want) in cases {
        stub.route(&format!("{prefix}{wk}"), Reply::json(200, doc.to_string()));
        let report = discovery::discover(&client, &stub.url(prefix), None)
            .await
            .unwrap();
        let finding = report
            .findings
            .iter()
            .find(|f| f.code == want)
            .unwrap_or_else(|| panic!("{prefix}: {:?}", codes(&report)));
        assert_eq!(finding.severity, Severity::Error, "{prefix}");
        assert!(!finding.fix.is_empty());
    }
}

#[tokio::test]
async fn check_all_shares_one_fetch_per_provider_and_reports_each_directory() {
    let op = OidcProvider::start(json!({ "clients": [] }));
    let stub = Stub::start().await;
    stub.route(
        "/.well-known/openid-configuration",
        Reply::with_type(500, "text/plain", "down"),
    );
    let mut docs = Vec::new();
    for i in 0..5 {
        let mut d = document(&format!("Dir {i}"));
        d.discovery_domain = Some(op.issuer.clone());
        d.issuer = Some(op.issuer.clone());
        docs.push(d);
    }
    let mut broken = document("Broken");
    broken.discovery_domain = Some(stub.base.clone());
    docs.push(broken);
    let mut none = document("Nothing to start from");
    none.issuer = None;
    docs.push(none);
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let progress = seen.clone();
    let checks = discovery::check_all(
        &HttpClient::standard().unwrap(),
        &docs,
        8,
        move |done, total| {
            progress.lock().unwrap().push((done, total));
        },
    )
    .await;
    let statuses: Vec<&str> = checks.iter().map(|c| c.status.as_str()).collect();
    assert_eq!(
        statuses,
        ["ok", "ok", "ok", "ok", "ok", "failed", "skipped"]
    );
    assert!(checks[5].problem.as_deref().unwrap().contains("500"));
    assert_eq!(
        seen.lock().unwrap().last(),
        Some(&(2, 2)),
        "two distinct providers fetched"
    );
}

// Multi-threaded: the stub must keep serving while this thread waits for ssoctl.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ssoctl_discover_prints_prefill_and_findings_and_changes_nothing() {
    let op = OidcProvider::start(json!({ "clients": [] }));
    let stub = Stub::start().await;
    let data = tempfile::tempdir().unwrap();
    let ws = sso_console::Workspace::open(data.path()).await.unwrap();
    let mut doc = document("Stored");
    doc.discovery_domain = Some(op.issuer.clone());
    doc.issuer = None;
    let created = ws
        .create(&doc, &sso_console::sensitive::SecretString::new("s"))
        .await
        .unwrap();

    let ssoctl = || ssoctl(data.path());
    let out = ssoctl()
        .args(["--json", "discover", &format!("127.0.0.1:{}", op.port)])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["prefill"]["issuer"], op.issuer.as_str());

    let out = ssoctl()
        .args(["discover", "--directory", "Stored"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Changes to the directory") && text.contains("(empty) → "),
        "{text}"
    );

    let out = ssoctl().args(["discover", &stub.base]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("answered 404"));

    let out = ssoctl()
        .args(["--json", "discover", "--all"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let checks: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(checks[0]["name"], "Stored");
    assert_eq!(checks[0]["status"], "ok");

    let id = sso_console::directory::DirectoryId::parse(created.document.id.as_deref().unwrap())
        .unwrap();
    assert_eq!(
        ws.get(id).await.unwrap(),
        created,
        "discovery changes nothing stored"
    );
    ws.delete(id).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_discovery_dropped_midway_closes_its_connection() {
    // What the app's Cancel relies on: dropping the future ends the request, at once.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (closed_tx, closed_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut buffer = [0u8; 4096];
        // Read the request and never answer; the read returns 0 once the client closes.
        while let Ok(n) = std::io::Read::read(&mut socket, &mut buffer) {
            if n == 0 {
                break;
            }
        }
        let _ = closed_tx.send(std::time::Instant::now());
    });
    let client = HttpClient::standard().unwrap();
    let dropped_at = std::time::Instant::now() + Duration::from_millis(300);
    let outcome = tokio::time::timeout(
        Duration::from_millis(300),
        discovery::discover(&client, &url, None),
    )
    .await;
    assert!(outcome.is_err(), "the silent server never answers");
    // Waited for off the runtime, which must stay free to run the connection's task.
    let closed =
        tokio::task::spawn_blocking(move || closed_rx.recv_timeout(Duration::from_secs(5)))
            .await
            .unwrap()
            .expect(
                "the connection is closed once the discovery is dropped, not at the 15 s limit",
            );
    assert!(closed.duration_since(dropped_at) < Duration::from_secs(2));
}
