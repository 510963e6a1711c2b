//! Test sign-in against a real OpenID Provider, completed by a real browser (headless Chromium
//! driven by tests/support/browser-login.mjs).

use std::future::pending;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};
use sso_console::directory::{DirectoryDocument, DirectoryId};
use sso_console::http::HttpClient;
use sso_console::sensitive::SecretString;
use sso_console::signin::{CheckOutcome, Interruption, SignInResult, SignInStep, SourceStatus};
use sso_console::Workspace;

use crate::fixtures::document;
use crate::oidc_provider::OidcProvider;

/// A port free right now on 127.0.0.1, for a fixed redirect URI registered at the provider.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn client(id: &str, port: u16, extra: Value) -> Value {
    let mut c = json!({
        "client_id": id,
        "client_secret": format!("{id}-secret"),
        "redirect_uris": [format!("http://127.0.0.1:{port}/callback")],
        "token_endpoint_auth_method": "client_secret_post",
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
    });
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    c
}

/// A directory pointing at the provider, with the given client and fixed port.
pub fn directory_for(op: &OidcProvider, client_id: &str, port: u16) -> DirectoryDocument {
    let mut d = document(&format!("{client_id} at {}", op.port));
    d.authorization_url = format!("{}/auth", op.issuer);
    d.token_url = format!("{}/token", op.issuer);
    d.userinfo_url = Some(format!("{}/me", op.issuer));
    d.jwks_uri = Some(format!("{}/jwks", op.issuer));
    d.issuer = Some(op.issuer.clone());
    d.client_id = client_id.to_owned();
    d.test_redirect_port = Some(port);
    d
}

fn browser_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/browser-login.mjs")
}

/// Runs a test sign-in of `doc` (stored with `secret`), with the browser doing `browser_args`.
pub async fn sign_in(
    doc: &DirectoryDocument,
    secret: &str,
    browser_args: &[&str],
    timeout: Duration,
) -> (SignInResult, String) {
    sign_in_beside(doc, secret, browser_args, timeout, |_| ()).await
}

/// [`sign_in`], with `beside` called with the redirect URI before the browser starts; what it
/// returns (an idle connection, say) is held until the sign-in ends.
async fn sign_in_beside<T>(
    doc: &DirectoryDocument,
    secret: &str,
    browser_args: &[&str],
    timeout: Duration,
    beside: impl FnOnce(&str) -> T,
) -> (SignInResult, String) {
    let data = tempfile::tempdir().unwrap();
    let ws = Workspace::open(data.path()).await.unwrap();
    let created = ws.create(doc, &SecretString::new(secret)).await.unwrap();
    let id = DirectoryId::parse(created.document.id.as_deref().unwrap()).unwrap();
    let attempt = ws.prepare_sign_in(id).await.unwrap();
    let held = beside(attempt.redirect_uri());
    let browser = tokio::process::Command::new("node")
        .arg(browser_script())
        .arg(attempt.authorization_url())
        .args(browser_args)
        .kill_on_drop(true)
        .output();
    let http = HttpClient::standard().unwrap();
    let (result, browser) = tokio::join!(
        attempt.complete(&http, timeout, pending::<Interruption>()),
        browser
    );
    let browser = browser.expect("node runs the browser driver");
    drop(held);
    ws.delete(id).await.unwrap();
    (
        result,
        String::from_utf8_lossy(&browser.stdout).into_owned(),
    )
}

pub fn claim<'a>(source: &'a sso_console::signin::SourceClaims, name: &str) -> Option<&'a Value> {
    source.claims.as_ref()?.get(name)
}

pub fn failed_checks(r: &SignInResult) -> Vec<String> {
    r.checks
        .iter()
        .filter(|c| c.outcome == CheckOutcome::Fail)
        .map(|c| format!("{}: {}", c.name, c.detail))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_connection_to_the_listener_holds_nothing_back() {
    let port = free_port();
    let op = OidcProvider::start(json!({ "clients": [client("web", port, json!({}))] }));
    let doc = directory_for(&op, "web", port);
    let started = std::time::Instant::now();
    let (r, page) = sign_in_beside(&doc, "web-secret", &[], Duration::from_secs(60), |uri| {
        // Connected before the browser, and silent: what a browser's pre-connect looks like.
        let addr = reqwest::Url::parse(uri)
            .unwrap()
            .socket_addrs(|| None)
            .unwrap()[0];
        std::net::TcpStream::connect(addr).expect("the listener accepts a connection")
    })
    .await;
    assert!(
        r.succeeded,
        "{:?} {:?} {page}",
        r.failure,
        failed_checks(&r)
    );
    assert!(page.contains("Signed in"), "{page}");
    // The figure for the record (the idle connection's own deadline is 10 s).
    eprintln!(
        "sign-in beside an idle connection took {} ms",
        started.elapsed().as_millis()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_mode_post_auth_pkce_opaque_access_token_and_userinfo() {
    let port = free_port();
    let op = OidcProvider::start(json!({ "clients": [client("web", port, json!({}))] }));
    let doc = directory_for(&op, "web", port);
    let (r, page) = sign_in(&doc, "web-secret", &[], Duration::from_secs(60)).await;
    assert!(
        r.succeeded,
        "{:?} {:?} {page}",
        r.failure,
        failed_checks(&r)
    );
    assert_eq!(r.id_token.status, SourceStatus::Verified);
    assert_eq!(claim(&r.id_token, "sub"), Some(&json!("ada")));
    assert_eq!(claim(&r.id_token, "email"), Some(&json!("ada@example.org")));
    assert_eq!(r.access_token.status, SourceStatus::Opaque);
    assert_eq!(r.userinfo.status, SourceStatus::Received);
    assert_eq!(claim(&r.userinfo, "family_name"), Some(&json!("Lovelace")));
    let names: Vec<&str> = r.checks.iter().map(|c| c.name.as_str()).collect();
    for want in [
        "Algorithm",
        "Key",
        "Signature",
        "Issuer",
        "Audience",
        "Expiry",
        "Issued at",
        "Nonce",
        "Userinfo subject",
    ] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
    assert!(
        r.token_response.get("access_token").is_none(),
        "tokens are not repeated in the token response view"
    );
    assert!(
        page.contains("Signed in"),
        "the browser tab says it worked: {page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn form_post_mode_with_basic_auth() {
    let port = free_port();
    let c = client(
        "basic",
        port,
        json!({ "token_endpoint_auth_method": "client_secret_basic" }),
    );
    let op = OidcProvider::start(json!({ "clients": [c] }));
    let mut doc = directory_for(&op, "basic", port);
    doc.response_mode_form_post = true;
    doc.token_endpoint_basic_auth = true;
    let (r, page) = sign_in(&doc, "basic-secret", &[], Duration::from_secs(60)).await;
    assert!(
        r.succeeded,
        "{:?} {:?} {page}",
        r.failure,
        failed_checks(&r)
    );
    assert_eq!(r.id_token.status, SourceStatus::Verified);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pkce_off_works_unless_the_provider_requires_it() {
    let port = free_port();
    let op = OidcProvider::start(json!({ "clients": [client("nopkce", port, json!({}))] }));
    let mut doc = directory_for(&op, "nopkce", port);
    doc.pkce = false;
    let (r, _) = sign_in(&doc, "nopkce-secret", &[], Duration::from_secs(60)).await;
    assert!(r.succeeded, "{:?} {:?}", r.failure, failed_checks(&r));

    let port = free_port();
    let op = OidcProvider::start(
        json!({ "clients": [client("needs-pkce", port, json!({}))], "pkceRequiredFor": ["needs-pkce"] }),
    );
    let mut doc = directory_for(&op, "needs-pkce", port);
    doc.pkce = false;
    let (r, _) = sign_in(&doc, "needs-pkce-secret", &[], Duration::from_secs(60)).await;
    let f = r.failure.expect("the provider refuses");
    assert_eq!(f.step, SignInStep::Callback);
    assert_eq!(f.provider_error.as_deref(), Some("invalid_request"));
    assert!(f.hint.contains("turn Enable PKCE on"), "{f:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jwt_access_token_is_decoded_and_refused_userinfo_is_explained() {
    let port = free_port();
    let op = OidcProvider::start(
        json!({ "clients": [client("api", port, json!({}))], "jwtAccessTokens": true }),
    );
    let doc = directory_for(&op, "api", port);
    let (r, page) = sign_in(&doc, "api-secret", &[], Duration::from_secs(60)).await;
    assert!(r.failure.is_none(), "{:?}", r.failure);
    // Every check passed: the browser tab names the userinfo request, not "some checks".
    assert!(
        page.contains("The userinfo request failed") && !page.contains("Some checks failed"),
        "{page}"
    );
    assert_eq!(
        r.id_token.status,
        SourceStatus::Verified,
        "{:?}",
        failed_checks(&r)
    );
    assert_eq!(r.access_token.status, SourceStatus::Unverified);
    assert_eq!(
        claim(&r.access_token, "aud"),
        Some(&json!("http://127.0.0.1/api"))
    );
    assert!(r.access_token.header.as_ref().unwrap().contains_key("alg"));
    assert_eq!(r.userinfo.status, SourceStatus::Failed);
    assert!(
        r.userinfo
            .status_detail
            .contains("refused the access token"),
        "{}",
        r.userinfo.status_detail
    );
    assert!(!r.succeeded);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_client_secret_is_named_at_the_token_step() {
    let port = free_port();
    let op = OidcProvider::start(json!({ "clients": [client("web", port, json!({}))] }));
    let doc = directory_for(&op, "web", port);
    let (r, page) = sign_in(&doc, "not-the-secret", &[], Duration::from_secs(60)).await;
    let f = r.failure.expect("token step fails");
    assert_eq!(f.step, SignInStep::Token);
    assert_eq!(f.provider_error.as_deref(), Some("invalid_client"));
    assert!(f.hint.contains("rejected the client credentials"));
    assert!(page.contains("Sign-in failed"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unregistered_redirect_uri_times_out_with_the_uri_to_register() {
    let registered = free_port();
    let op = OidcProvider::start(json!({ "clients": [client("web", registered, json!({}))] }));
    let used = free_port();
    let doc = directory_for(&op, "web", used);
    let (r, page) = sign_in(&doc, "web-secret", &[], Duration::from_secs(15)).await;
    let f = r.failure.expect("nobody comes back");
    assert_eq!(f.step, SignInStep::Browser);
    assert!(
        f.hint
            .contains(&format!("http://127.0.0.1:{used}/callback")),
        "{f:?}"
    );
    assert!(
        page.contains("redirect_uri"),
        "the provider's page names the problem: {page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn denied_consent_is_reported_as_access_denied() {
    let port = free_port();
    let op = OidcProvider::start(json!({ "clients": [client("web", port, json!({}))] }));
    let doc = directory_for(&op, "web", port);
    let (r, _) = sign_in(&doc, "web-secret", &["--deny"], Duration::from_secs(60)).await;
    let f = r.failure.expect("denied");
    assert_eq!(f.step, SignInStep::Callback);
    assert_eq!(f.provider_error.as_deref(), Some("access_denied"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_from_another_issuer_is_rejected_before_the_code_is_exchanged() {
    // oidc-provider sends `iss` with the code (RFC 9207): a directory expecting another issuer
    // must stop there, as §2.4 requires, and say which issuer came back.
    let port = free_port();
    let op = OidcProvider::start(json!({ "clients": [client("web", port, json!({}))] }));
    let mut doc = directory_for(&op, "web", port);
    doc.issuer = Some("https://login.example.com/other".into());
    let (r, page) = sign_in(&doc, "web-secret", &[], Duration::from_secs(60)).await;
    let f = r.failure.as_ref().expect("the redirect is rejected");
    assert_eq!(f.step, SignInStep::Callback);
    assert!(
        f.message.contains(&op.issuer) && f.message.contains("login.example.com/other"),
        "{}",
        f.message
    );
    assert_eq!(
        failed_checks(&r),
        [format!("Redirect issuer (RFC 9207): {}", f.message)]
    );
    assert!(r.id_token.claims.is_none(), "the code was not exchanged");
    assert!(page.contains("Sign-in failed"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_timeout_tampered_state_and_a_second_request() {
    let port = free_port();
    let op = OidcProvider::start(json!({ "clients": [client("web", port, json!({}))] }));
    let data = tempfile::tempdir().unwrap();
    let ws = Workspace::open(data.path()).await.unwrap();
    let created = ws
        .create(
            &directory_for(&op, "web", port),
            &SecretString::new("web-secret"),
        )
        .await
        .unwrap();
    let id = DirectoryId::parse(created.document.id.as_deref().unwrap()).unwrap();
    let client = HttpClient::standard().unwrap();

    let attempt = ws.prepare_sign_in(id).await.unwrap();
    let r = attempt
        .complete(&client, Duration::from_secs(60), async {
            tokio::time::sleep(Duration::from_millis(200)).await;
            Interruption::Cancelled
        })
        .await;
    assert!(r.failure.unwrap().message.contains("cancelled"));

    let attempt = ws.prepare_sign_in(id).await.unwrap();
    let r = attempt
        .complete(&client, Duration::from_secs(1), pending::<Interruption>())
        .await;
    assert!(r.failure.unwrap().message.contains("within 1 s"));

    // An answer with another state (an older tab's, or a forged one) is answered in its tab
    // and the wait goes on; the one with this attempt's state ends it.
    let attempt = ws.prepare_sign_in(id).await.unwrap();
    let state = reqwest::Url::parse(attempt.authorization_url())
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let forged = format!("{}?code=abc&state=forged", attempt.redirect_uri());
    let denied = format!(
        "{}?error=access_denied&state={state}",
        attempt.redirect_uri()
    );
    let browser = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let stale = reqwest::get(&forged).await.unwrap();
        let stale = (stale.status().as_u16(), stale.text().await.unwrap());
        let ended = reqwest::get(&denied).await.unwrap().text().await.unwrap();
        (stale, ended)
    };
    let (r, ((status, stale_page), page)) = tokio::join!(
        attempt.complete(&client, Duration::from_secs(30), pending::<Interruption>()),
        browser
    );
    assert_eq!(status, 400);
    assert!(
        stale_page.contains("Not for the test that is waiting"),
        "{stale_page}"
    );
    let f = r.failure.unwrap();
    assert_eq!(f.step, SignInStep::Callback);
    assert_eq!(f.provider_error.as_deref(), Some("access_denied"), "{f:?}");
    assert!(page.contains("Sign-in failed"));
    let again = reqwest::get(&forged).await;
    assert!(
        again.is_err(),
        "the listener closed once the attempt's callback arrived"
    );

    // An attempt that only ever saw another test's answer says so when it times out.
    let attempt = ws.prepare_sign_in(id).await.unwrap();
    let forged = format!("{}?code=abc&state=forged", attempt.redirect_uri());
    let browser = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        reqwest::get(&forged).await.unwrap().status().as_u16()
    };
    let (r, status) = tokio::join!(
        attempt.complete(&client, Duration::from_secs(2), pending::<Interruption>()),
        browser
    );
    assert_eq!(status, 400);
    let f = r.failure.unwrap();
    assert!(
        f.message
            .contains("within 2 s; one answer that belongs to another test"),
        "{f:?}"
    );
    ws.delete(id).await.unwrap();
}

/// `ssoctl test <directory> --no-browser [extra…]`, as a person at a terminal runs it: the URL
/// to open on standard error, then the result and its exit code.
pub fn ssoctl_test(
    data: &std::path::Path,
    directory: &str,
    extra: &[String],
) -> (Option<i32>, serde_json::Value, String) {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};

    let mut child = Command::new(assert_cmd::cargo::cargo_bin("ssoctl"))
        .args(["--data-dir"])
        .arg(data)
        .args([
            "--json",
            "test",
            directory,
            "--no-browser",
            "--timeout",
            "60",
        ])
        .args(extra)
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ssoctl starts");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    let url = loop {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap() == 0 {
            panic!("ssoctl ended without printing the URL to open: {said}");
        }
        said.push_str(&line);
        if let Some(url) = line.trim().strip_prefix("Open: ") {
            break url.to_owned();
        }
    };
    let browser = Command::new("node")
        .arg(browser_script())
        .arg(&url)
        .output()
        .expect("node runs the browser driver");
    assert!(browser.status.success(), "{browser:?}");
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    stderr.read_to_string(&mut said).unwrap();
    let status = child.wait().unwrap();
    let json = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    (status.code(), json, said)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ssoctl_test_signs_in_from_the_terminal_and_exits_by_the_outcome() {
    let port = free_port();
    let op = OidcProvider::start(json!({ "clients": [client("cli", port, json!({}))] }));
    let data = tempfile::tempdir().unwrap();
    let ws = Workspace::open(data.path()).await.unwrap();
    let good = directory_for(&op, "cli", port);
    let mut wrong = directory_for(&op, "cli", port);
    wrong.name = "Wrong secret".into();
    let wrong_secret = crate::fixtures::unique_secret();
    let mut ids = Vec::new();
    for (doc, secret) in [(&good, "cli-secret"), (&wrong, wrong_secret.as_str())] {
        let created = ws.create(doc, &SecretString::new(secret)).await.unwrap();
        ids.push(DirectoryId::parse(created.document.id.as_deref().unwrap()).unwrap());
    }

    let data_path = data.path().to_owned();
    let name = good.name.clone();
    let (code, json, said) =
        tokio::task::spawn_blocking(move || ssoctl_test(&data_path, &name, &[]))
            .await
            .unwrap();
    assert_eq!(code, Some(0), "{json} {said}");
    assert!(
        said.contains(&format!("http://127.0.0.1:{port}/callback")),
        "{said}"
    );
    assert_eq!(json["succeeded"], json!(true));
    assert_eq!(json["id_token"]["status"], json!("verified"));
    assert_eq!(
        json["id_token"]["claims"]["email"],
        json!("ada@example.org")
    );
    assert_eq!(json["userinfo"]["claims"]["family_name"], json!("Lovelace"));

    let data_path = data.path().to_owned();
    let (code, json, said) =
        tokio::task::spawn_blocking(move || ssoctl_test(&data_path, "Wrong secret", &[]))
            .await
            .unwrap();
    assert_eq!(code, Some(1), "{json} {said}");
    assert_eq!(json["succeeded"], json!(false));
    assert_eq!(json["failure"]["step"], json!("token"));
    assert_eq!(json["failure"]["provider_error"], json!("invalid_client"));
    for text in [json.to_string(), said] {
        assert!(!text.contains(&wrong_secret), "the secret leaked: {text}");
    }

    for id in ids {
        ws.delete(id).await.unwrap();
    }
}
