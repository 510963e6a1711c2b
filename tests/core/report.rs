//! The diagnostics report (C16) of real test sign-ins at the local `oidc-provider`, completed
//! by headless Chromium: what it holds, and that no secret the sign-in handled — captured on
//! the wire by a forwarder in front of the provider's token endpoint — appears in it in any
//! encoding; with `--redact`, that the user's personal data is gone and its placeholders agree.

use std::sync::{Arc, Mutex};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use serde_json::{json, Value};
use sso_console::report::{Report, ReportFormat};
use sso_console::sensitive::SecretString;
use sso_console::Workspace;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::oidc_provider::OidcProvider;
use crate::signin::{client, directory_for, free_port, ssoctl_test};

/// One token request and its answer, as they crossed the wire.
#[derive(Debug, Clone)]
struct Exchanged {
    request_body: String,
    response_body: String,
}

/// Forwards every request to `target` (the provider) and keeps a copy of each exchange: the
/// only way to see the code, the PKCE verifier and the tokens the console handled.
struct Forwarder {
    url: String,
    seen: Arc<Mutex<Vec<Exchanged>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Forwarder {
    async fn start(target: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let target = target.to_owned();
        let task = {
            let seen = seen.clone();
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                // The sign-ins of one test make a handful of requests.
                for _ in 0..64 {
                    let Ok((mut stream, _)) = listener.accept().await else {
                        return;
                    };
                    let (head, body) = read_request(&mut stream).await;
                    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                    let mut forwarded = http
                        .post(format!("{target}{path}"))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(body.clone());
                    for line in head.lines() {
                        if let Some((name, value)) = line.split_once(':') {
                            if name.eq_ignore_ascii_case("authorization") {
                                forwarded = forwarded.header("authorization", value.trim());
                            }
                        }
                    }
                    let answer = forwarded.send().await.unwrap();
                    let status = answer.status().as_u16();
                    let answer = answer.text().await.unwrap();
                    seen.lock().unwrap().push(Exchanged {
                        request_body: body,
                        response_body: answer.clone(),
                    });
                    let reply = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                        answer.len()
                    );
                    let _ = stream.write_all(reply.as_bytes()).await;
                    let _ = stream.shutdown().await;
                }
            })
        };
        Self { url, seen, task }
    }

    fn seen(&self) -> Vec<Exchanged> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Forwarder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn read_request(stream: &mut tokio::net::TcpStream) -> (String, String) {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        assert!(bytes.len() < 64 * 1024, "a request head that never ends");
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "the connection closed mid-request");
        bytes.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    assert!(length < 64 * 1024, "an oversized request");
    while bytes.len() < head_end + length {
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "the connection closed mid-body");
        bytes.extend_from_slice(&buf[..n]);
    }
    let body = String::from_utf8_lossy(&bytes[head_end..head_end + length]).into_owned();
    (head, body)
}

fn form_value(body: &str, name: &str) -> Option<String> {
    url::form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Every way the report could carry `secret`: as is, JSON- and HTML-escaped (the same for
/// these characters), percent-encoded, and base64 in both alphabets.
fn encodings(secret: &str) -> Vec<String> {
    vec![
        secret.to_owned(),
        url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
        STANDARD.encode(secret),
        URL_SAFE_NO_PAD.encode(secret),
    ]
}

/// The secrets of one sign-in, by name, from what crossed the wire.
fn secrets_of(exchanged: &Exchanged, client_secret: &str) -> Vec<(String, String)> {
    let mut out = vec![("client secret".to_owned(), client_secret.to_owned())];
    for name in ["code", "code_verifier"] {
        let value = form_value(&exchanged.request_body, name)
            .unwrap_or_else(|| panic!("no {name} in {}", exchanged.request_body));
        out.push((name.to_owned(), value));
    }
    let answer: Value = serde_json::from_str(&exchanged.response_body).unwrap();
    let refresh = answer["refresh_token"]
        .as_str()
        .unwrap_or_else(|| panic!("the provider issued no refresh token: {answer}"));
    out.push(("refresh token".to_owned(), refresh.to_owned()));
    out.push((
        "access token".to_owned(),
        answer["access_token"].as_str().unwrap().to_owned(),
    ));
    let id_token = answer["id_token"].as_str().unwrap();
    out.push((
        "ID token signature".to_owned(),
        id_token.rsplit('.').next().unwrap().to_owned(),
    ));
    out.push(("ID token".to_owned(), id_token.to_owned()));
    out
}

fn assert_holds_none(what: &str, text: &str, secrets: &[(String, String)]) {
    for (name, secret) in secrets {
        assert!(
            secret.len() >= 8,
            "{name} is too short to search for: {secret}"
        );
        for encoded in encodings(secret) {
            assert!(
                !text.contains(&encoded),
                "the {what} holds the {name} ({encoded})"
            );
        }
    }
}

struct Setup {
    op: OidcProvider,
    forwarder: Forwarder,
    data: tempfile::TempDir,
}

/// A provider that issues refresh tokens, a forwarder in front of its token endpoint, and two
/// directories using it: one with the right secret ("Good"), one with a wrong one ("Wrong").
async fn setup(wrong_secret: &str) -> Setup {
    let port = free_port();
    let op = OidcProvider::start(json!({
        "refreshTokens": true,
        // A username of its own, so that it is not the subject's value.
        "accounts": { "ada": { "preferred_username": "ada.lovelace" } },
        "clients": [client("rep", port, json!({ "grant_types": ["authorization_code", "refresh_token"] }))],
    }));
    let forwarder = Forwarder::start(&op.issuer).await;
    let data = tempfile::tempdir().unwrap();
    let ws = Workspace::open(data.path()).await.unwrap();
    for (name, secret) in [("Good", "rep-secret"), ("Wrong", wrong_secret)] {
        let mut doc = directory_for(&op, "rep", port);
        doc.name = name.into();
        doc.token_url = format!("{}/token", forwarder.url);
        doc.pkce = true;
        doc.scopes = "openid email profile".into();
        if name == "Good" {
            doc.domain_suffixes = vec!["example.org".into()];
        }
        ws.create(&doc, &SecretString::new(secret)).await.unwrap();
    }
    ws.close().await;
    Setup {
        op,
        forwarder,
        data,
    }
}

async fn test_with_report(setup: &Setup, directory: &str, extra: &[&str]) -> (Option<i32>, String) {
    let data = setup.data.path().to_owned();
    let directory = directory.to_owned();
    let extra: Vec<String> = extra.iter().map(|s| (*s).to_owned()).collect();
    let (code, json, said) =
        tokio::task::spawn_blocking(move || ssoctl_test(&data, &directory, &extra))
            .await
            .unwrap();
    (code, format!("{json} {said}"))
}

fn read_report(path: &std::path::Path) -> (String, Report) {
    let text = std::fs::read_to_string(path).unwrap();
    let report = Report::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{e}: {text}"));
    (text, report)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_of_a_real_sign_in_holds_the_claims_checks_and_evaluation_and_no_secret() {
    let setup = setup(&crate::fixtures::unique_secret()).await;
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("good.json");
    let (code, said) =
        test_with_report(&setup, "Good", &["--report", file.to_str().unwrap()]).await;
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("Report written to"), "{said}");
    let (text, report) = read_report(&file);

    let sign_in = report
        .sign_in
        .as_ref()
        .expect("the sign-in is in the report");
    assert!(sign_in.succeeded);
    assert_eq!(
        sign_in.id_token.claims.as_ref().unwrap()["email"],
        json!("ada@example.org")
    );
    assert!(sign_in.access_token.raw.is_none() && sign_in.id_token.raw.is_none());
    assert!(
        sign_in.id_token.header.is_some(),
        "the ID token's header is kept"
    );
    assert_eq!(
        sign_in.userinfo.claims.as_ref().unwrap()["family_name"],
        json!("Lovelace")
    );
    assert!(sign_in.checks.len() >= 10, "{:?}", sign_in.checks);
    let kinds: Vec<&str> = sign_in.trace.steps.iter().map(|s| s.kind.label()).collect();
    for step in [
        "Authorization request",
        "Redirect back",
        "Token request",
        "Key set",
        "Provider metadata",
        "Userinfo",
        "Verification",
    ] {
        assert!(kinds.contains(&step), "no {step} step in {kinds:?}");
    }
    let evaluation = report.evaluation.as_ref().expect("the evaluation");
    assert!(evaluation.sign_in_succeeds, "{}", evaluation.summary);
    let routing = report.routing.as_ref().expect("the routing decision");
    assert_eq!(routing.email, "ada@example.org");
    assert!(routing.can_sign_in, "{}", routing.explanation);
    assert!(report.discovery.is_some(), "{:?}", report.discovery_error);
    assert!(report.directory.is_some());

    let exchanges = setup.forwarder.seen();
    assert_eq!(exchanges.len(), 1, "{exchanges:?}");
    let secrets = secrets_of(&exchanges[0], "rep-secret");
    assert_holds_none("JSON report", &text, &secrets);
    assert_holds_none("HTML report", &report.render(ReportFormat::Html), &secrets);
    drop(setup.op);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redacted_report_holds_no_personal_data_and_its_placeholders_agree() {
    let setup = setup(&crate::fixtures::unique_secret()).await;
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("redacted.json");
    let html = out.path().join("redacted.html");
    let (code, said) = test_with_report(
        &setup,
        "Good",
        &["--report", file.to_str().unwrap(), "--redact"],
    )
    .await;
    assert_eq!(code, Some(0), "{said}");
    let (text, report) = read_report(&file);
    let rendered = report.render(ReportFormat::Html);
    std::fs::write(&html, &rendered).unwrap();
    for personal in ["ada@example.org", "Ada", "Lovelace"] {
        assert!(!text.contains(personal), "the JSON report holds {personal}");
        assert!(
            !rendered.contains(personal),
            "the HTML report holds {personal}"
        );
    }
    let sign_in = report.sign_in.as_ref().unwrap();
    let id = sign_in.id_token.claims.as_ref().unwrap();
    let info = sign_in.userinfo.claims.as_ref().unwrap();
    assert!(
        id["email"].as_str().unwrap().starts_with("[email-"),
        "{id:?}"
    );
    assert_eq!(
        id["email"], info["email"],
        "the same address, the same placeholder"
    );
    assert_eq!(id["given_name"], info["given_name"]);
    assert_ne!(id["given_name"], id["family_name"]);
    assert_eq!(id["sub"], json!("ada"), "identifiers are kept unless asked");
    let routing = report.routing.as_ref().unwrap();
    assert_eq!(
        json!(routing.email),
        id["email"],
        "routing names the same placeholder"
    );
    assert!(report.redaction.personal_data && report.redaction.placeholders >= 3);

    let secrets = secrets_of(&setup.forwarder.seen()[0], "rep-secret");
    assert_holds_none("redacted report", &text, &secrets);
    drop(setup.op);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_sign_in_reports_the_failing_step_and_the_providers_answer() {
    let wrong = crate::fixtures::unique_secret();
    let setup = setup(&wrong).await;
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("failed.html");
    let (code, said) =
        test_with_report(&setup, "Wrong", &["--report", file.to_str().unwrap()]).await;
    assert_eq!(code, Some(1), "{said}");
    let html = std::fs::read_to_string(&file).unwrap();
    let row = |name: &str| format!("<tr><th scope=\"row\">{name}</th><td>");
    assert!(
        html.contains(&format!("{}Token request</td>", row("Failed at"))),
        "the failing step is named as the one that failed"
    );
    assert!(
        html.contains(&format!(
            "{}<code>invalid_client</code>",
            row("Provider&#39;s error")
        )),
        "the provider's answer is shown as its error"
    );
    // The advice is whole words: nothing in it was taken for a credential and removed.
    assert!(!html.contains("Basic (removed)"), "advice was garbled");
    let secrets = vec![
        ("wrong client secret".to_owned(), wrong.clone()),
        (
            "code".to_owned(),
            form_value(&setup.forwarder.seen()[0].request_body, "code").unwrap(),
        ),
    ];
    assert_holds_none("report of the failed sign-in", &html, &secrets);

    // `report show` reads the JSON form back as text.
    let json_file = out.path().join("plain.json");
    let status = crate::fixtures::ssoctl(setup.data.path())
        .args(["report", "Wrong", "--out", json_file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let shown = crate::fixtures::ssoctl(setup.data.path())
        .args(["report", "show", json_file.to_str().unwrap()])
        .output()
        .unwrap();
    let shown_text = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.status.success(), "{shown:?}");
    assert!(shown_text.contains("Directory \"Wrong\""), "{shown_text}");
    assert!(!shown_text.contains(&wrong));
    drop(setup.op);
}
