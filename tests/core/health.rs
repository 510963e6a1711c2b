//! Connection health: the client secret probe against the real OpenID Provider (accepted with
//! post and with Basic, refused when wrong, nothing sent without a stored secret), against
//! stubs for the answers that prove nothing, and `ssoctl health` with its exit codes.

use std::time::Duration;

use serde_json::json;
use sso_console::directory::DirectoryDocument;
use sso_console::http::{HttpClient, HttpLimits};
use sso_console::sensitive::SecretString;
use sso_console::signin::{probe_secret, ProbeVerdict};

use crate::fixtures::{document, json_of, ssoctl};
use crate::oidc_provider::OidcProvider;
use crate::signin::{client, directory_for, free_port};
use crate::stub_http::{Reply, Stub};

/// The provider with a client authenticating in the body and one with HTTP Basic.
fn provider(port: u16) -> OidcProvider {
    OidcProvider::start(json!({
        "clients": [
            client("post-client", port, json!({})),
            client(
                "basic-client",
                port,
                json!({ "token_endpoint_auth_method": "client_secret_basic" })
            ),
        ]
    }))
}

fn basic(mut doc: DirectoryDocument) -> DirectoryDocument {
    doc.token_endpoint_basic_auth = true;
    doc
}

#[tokio::test]
async fn the_provider_accepts_the_right_secret_in_the_body_and_with_basic_and_refuses_a_wrong_one()
{
    let port = free_port();
    let op = provider(port);
    let http = HttpClient::standard().unwrap();
    let post = directory_for(&op, "post-client", port);
    let with_basic = basic(directory_for(&op, "basic-client", port));
    for (doc, secret, verdict) in [
        (&post, "post-client-secret", ProbeVerdict::Accepted),
        (&with_basic, "basic-client-secret", ProbeVerdict::Accepted),
        (&post, "a-wrong-secret", ProbeVerdict::Refused),
        (&with_basic, "a-wrong-secret", ProbeVerdict::Refused),
    ] {
        let probe = probe_secret(&http, doc, Some(&SecretString::new(secret))).await;
        assert_eq!(
            probe.verdict, verdict,
            "{} with {secret}: {probe:?}",
            doc.client_id
        );
        assert!(probe.status.is_some(), "{probe:?}");
        let shown = serde_json::to_string(&probe).unwrap();
        assert!(!shown.contains(secret), "the secret is in {shown}");
        if verdict == ProbeVerdict::Refused {
            assert_eq!(probe.error.as_deref(), Some("invalid_client"), "{probe:?}");
            assert!(
                probe.message.contains("create a new secret"),
                "{}",
                probe.message
            );
        }
    }
}

#[tokio::test]
async fn without_a_stored_secret_nothing_is_sent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let mut doc = document("No secret");
    doc.token_url = format!("http://{}/token", listener.local_addr().unwrap());
    let http = HttpClient::standard().unwrap();
    for secret in [None, Some(SecretString::new(""))] {
        let probe = probe_secret(&http, &doc, secret.as_ref()).await;
        assert_eq!(probe.verdict, ProbeVerdict::NoSecret, "{probe:?}");
        assert!(
            probe.message.contains("nothing was sent"),
            "{}",
            probe.message
        );
    }
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "the probe connected to the token endpoint"
    );
}

#[tokio::test]
async fn answers_that_prove_nothing_are_unknown_with_the_providers_words() {
    let stub = Stub::start().await;
    stub.route(
        "/invalid-request",
        Reply::json(
            400,
            r#"{"error":"invalid_request","error_description":"redirect_uri is not registered"}"#,
        ),
    );
    stub.route("/fails", Reply::json(500, r#"{"message":"internal"}"#));
    stub.route(
        "/html",
        Reply::with_type(200, "text/html", "<html><body>Sign in</body></html>"),
    );
    let mut hang = Reply::json(200, "");
    hang.hang = true;
    stub.route("/hangs", hang);
    let http = HttpClient::new(HttpLimits {
        total_timeout: Duration::from_secs(2),
        ..HttpLimits::default()
    })
    .unwrap();
    let secret = SecretString::new("stub-secret");
    for (path, said) in [
        ("/invalid-request", "400 invalid_request"),
        ("/fails", "500"),
        ("/html", "an HTML page"),
        ("/hangs", "could not be asked"),
    ] {
        let mut doc = document("Stub");
        doc.token_url = stub.url(path);
        let probe = probe_secret(&http, &doc, Some(&secret)).await;
        assert_eq!(probe.verdict, ProbeVerdict::Unknown, "{path}: {probe:?}");
        assert!(probe.message.contains(said), "{path}: {}", probe.message);
    }
    let mut doc = document("Stub");
    doc.token_url = stub.url("/invalid-request");
    let probe = probe_secret(&http, &doc, Some(&secret)).await;
    assert_eq!(
        probe.error_description.as_deref(),
        Some("redirect_uri is not registered")
    );
}

/// Creates `doc` with `secret` through `ssoctl dir create`, as a user would.
fn create(data: &std::path::Path, doc: &DirectoryDocument, secret: &str) {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), serde_json::to_vec(doc).unwrap()).unwrap();
    ssoctl(data)
        .args(["dir", "create", "--file"])
        .arg(file.path())
        .arg("--client-secret-stdin")
        .write_stdin(format!("{secret}\n"))
        .assert()
        .success();
}

/// `ssoctl health` on one directory: its exit code and what it printed.
fn health(data: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let out = ssoctl(data).arg("health").args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn ssoctl_health_exits_0_when_healthy_and_1_naming_what_needs_attention() {
    let port = free_port();
    let op = provider(port);
    let data = tempfile::tempdir().unwrap();
    let create = |doc: &DirectoryDocument, secret: &str| create(data.path(), doc, secret);
    let mut good = directory_for(&op, "post-client", port);
    good.name = "Good".into();
    create(&good, "post-client-secret");
    let mut wrong = basic(directory_for(&op, "basic-client", port));
    wrong.name = "Wrong secret".into();
    create(&wrong, "not-the-secret");

    // Without the probe both are healthy: discovery works, no expiry is near.
    ssoctl(data.path()).arg("health").assert().code(0);
    // With it, the good one still is and the wrong secret is named.
    ssoctl(data.path())
        .args(["health", "Good", "--probe-secret"])
        .assert()
        .code(0);
    let out = ssoctl(data.path())
        .args(["health", "--probe-secret"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Wrong secret  NEEDS ATTENTION"), "{text}");
    assert!(text.contains("secret refused"), "{text}");
    assert!(text.contains("1 of 2 need attention."), "{text}");
    assert!(!text.contains("not-the-secret"), "{text}");

    let out = ssoctl(data.path())
        .args(["--json", "health", "--probe-secret"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc = json_of(&out.stdout);
    let verdicts: Vec<(&str, &str)> = doc
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["name"].as_str().unwrap(),
                h["probe"]["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [("Good", "accepted"), ("Wrong secret", "refused")]
    );

    // A provider that stopped answering: discovery fails, and health says so.
    drop(op);
    let out = ssoctl(data.path()).arg("health").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("discovery failed"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // A directory that does not exist: a usage error, nothing checked.
    ssoctl(data.path())
        .args(["health", "nope"])
        .assert()
        .code(2);
}

#[tokio::test(flavor = "multi_thread")]
async fn ssoctl_health_exits_1_for_an_expired_secret_an_unconfirmed_secret_and_a_failed_sign_in() {
    let port = free_port();
    let op = provider(port);
    let stub = Stub::start().await;
    stub.route("/token", Reply::json(500, r#"{"message":"internal"}"#));
    let data = tempfile::tempdir().unwrap();
    let named = |name: &str| {
        let mut doc = directory_for(&op, "post-client", port);
        doc.name = name.into();
        doc
    };
    create(data.path(), &named("Good"), "post-client-secret");
    let mut expired = named("Expired");
    expired.client_secret_expires_on = Some("2020-01-31".into());
    create(data.path(), &expired, "post-client-secret");
    let mut unconfirmed = named("Unconfirmed");
    unconfirmed.token_url = stub.url("/token");
    create(data.path(), &unconfirmed, "post-client-secret");
    create(data.path(), &named("Timed out"), "post-client-secret");

    assert_eq!(health(data.path(), &["Good", "--probe-secret"]).0, Some(0));

    let (code, text) = health(data.path(), &["Expired"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("the client secret expired"), "{text}");

    // The provider's 500 proves nothing either way: not healthy, and said so.
    let (code, text) = health(data.path(), &["Unconfirmed"]);
    assert_eq!(code, Some(0), "without the probe nothing is wrong: {text}");
    let (code, text) = health(data.path(), &["Unconfirmed", "--probe-secret"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("secret not confirmed"), "{text}");
    assert!(!text.contains("post-client-secret"), "{text}");

    // A test sign-in nobody completed is kept as failed, and health names its step.
    let out = ssoctl(data.path())
        .args(["test", "Timed out", "--no-browser", "--timeout", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (code, text) = health(data.path(), &["Timed out"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("the last test sign-in failed at"), "{text}");
}
