//! Benchmark: the console's own time in a test sign-in (DESIGN §5) — from the callback arriving
//! to the claims being ready. First against the local OpenID Provider (oidc-provider from
//! tests/support, each sign-in completed in headless Chromium by tests/support/browser-login.mjs),
//! where the provider's own time (token and userinfo answers) is measured apart; then against a
//! stub on 127.0.0.1 that answers at once, with the key set already fetched while the person
//! signs in, and not. Prints medians of 100 runs each; never fails a build.
//!
//!     cargo bench --bench signin          (SSO_BENCH_RUNS=N for another number of runs)

#[path = "../tests/core/oidc_provider.rs"]
#[allow(dead_code)]
mod oidc_provider;
#[path = "../tests/core/stub_http.rs"]
#[allow(dead_code)]
mod stub_http;

use std::collections::HashMap;
use std::future::pending;
use std::time::Duration;

use serde_json::json;
use sso_console::directory::Directory;
use sso_console::http::HttpClient;
use sso_console::sensitive::SecretString;
use sso_console::signin::{Attempt, Interruption, SignInTimings};
use sso_console::testing::tokens::TestKey;
use stub_http::{Reply, Stub};

/// Runs per case: SSO_BENCH_RUNS, or 100.
fn runs() -> usize {
    std::env::var("SSO_BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(100)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

async fn one(
    stub: &Stub,
    key: &TestKey,
    directory: &Directory,
    wait_for_keys: bool,
) -> SignInTimings {
    let attempt = Attempt::prepare(directory.clone(), SecretString::new("secret-1"))
        .await
        .expect("prepare");
    let params: HashMap<String, String> = url::Url::parse(attempt.authorization_url())
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = json!({ "iss": stub.base, "sub": "u-1", "aud": "client-1", "nonce": params["nonce"],
        "iat": now, "exp": now + 600, "email": "u1@example.org", "given_name": "Ada", "family_name": "Lovelace" });
    let body = json!({ "access_token": "opaque", "token_type": "Bearer", "id_token": key.sign(&claims, true) });
    stub.route("/token", Reply::json(200, body.to_string()));
    let callback = format!(
        "{}?code=c&state={}",
        attempt.redirect_uri(),
        params["state"]
    );
    let client = HttpClient::standard().unwrap();
    let browser = async {
        if wait_for_keys {
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
        let _ = reqwest::get(&callback).await;
    };
    let (result, ()) = tokio::join!(
        attempt.complete(&client, Duration::from_secs(10), pending::<Interruption>()),
        browser
    );
    assert!(result.succeeded, "{:?} {:?}", result.failure, result.checks);
    result.timings
}

/// One sign-in at the real provider, the browser driven by the login script.
async fn one_at_provider(directory: &Directory) -> SignInTimings {
    let attempt = Attempt::prepare(directory.clone(), SecretString::new("bench-secret"))
        .await
        .expect("prepare");
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/support/browser-login.mjs"
    );
    let browser = tokio::process::Command::new("node")
        .arg(script)
        .arg(attempt.authorization_url())
        .kill_on_drop(true)
        .output();
    let client = HttpClient::standard().unwrap();
    let (result, browser) = tokio::join!(
        attempt.complete(&client, Duration::from_secs(60), pending::<Interruption>()),
        browser
    );
    assert!(
        result.succeeded,
        "{:?} {:?} {browser:?}",
        result.failure, result.checks
    );
    result.timings
}

async fn at_the_provider(runs: usize) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let op = oidc_provider::OidcProvider::start(json!({ "clients": [{
        "client_id": "bench",
        "client_secret": "bench-secret",
        "redirect_uris": [format!("http://127.0.0.1:{port}/callback")],
        "token_endpoint_auth_method": "client_secret_post",
    }] }));
    let mut doc = sso_console::testing::directory_document("Bench at the provider");
    doc.authorization_url = format!("{}/auth", op.issuer);
    doc.token_url = format!("{}/token", op.issuer);
    doc.userinfo_url = Some(format!("{}/me", op.issuer));
    doc.jwks_uri = Some(format!("{}/jwks", op.issuer));
    doc.issuer = Some(op.issuer.clone());
    doc.client_id = "bench".into();
    doc.test_redirect_port = Some(port);
    let directory = Directory::from_document(&doc).expect("valid");

    println!("signin: {runs} test sign-ins at the local OpenID Provider (oidc-provider, headless Chromium)");
    let mut timings = Vec::with_capacity(runs);
    for _ in 0..runs {
        timings.push(one_at_provider(&directory).await);
    }
    let of = |f: fn(&SignInTimings) -> f64| median(timings.iter().map(f).collect());
    println!(
        "  median callback→claims {:>6.2} ms: the provider's token answer {:.2} ms and userinfo answer {:.2} ms (concurrent with the checks), the console's own work {:.2} ms, waiting for keys {:.2} ms",
        of(|t| t.callback_to_result_ms),
        of(|t| t.token_ms),
        of(|t| t.userinfo_ms),
        of(|t| t.processing_ms),
        of(|t| t.key_set_wait_ms),
    );
    println!(
        "  median callback→claims less the provider's answers {:>6.2} ms",
        of(|t| t.callback_to_result_ms - t.token_ms - t.userinfo_ms)
    );
}

#[tokio::main]
async fn main() {
    let runs = runs();
    at_the_provider(runs).await;

    let stub = Stub::start().await;
    let key = TestKey::generate("k1");
    stub.route(
        "/jwks",
        Reply::json(200, json!({ "keys": [key.jwk()] }).to_string()),
    );
    stub.route(
        "/me",
        Reply::json(
            200,
            json!({ "sub": "u-1", "email": "u1@example.org" }).to_string(),
        ),
    );
    let mut doc = sso_console::testing::directory_document("Bench");
    doc.authorization_url = stub.url("/auth");
    doc.token_url = stub.url("/token");
    doc.userinfo_url = Some(stub.url("/me"));
    doc.jwks_uri = Some(stub.url("/jwks"));
    doc.issuer = Some(stub.base.clone());
    doc.client_id = "client-1".into();
    let directory = Directory::from_document(&doc).expect("valid");

    println!("signin: {runs} test sign-ins against a local stub provider (token, userinfo, JWKS on 127.0.0.1)");
    for (label, wait) in [
        ("key set fetched while waiting", true),
        ("key set fetched after the callback", false),
    ] {
        let mut total = Vec::new();
        let mut processing = Vec::new();
        let mut keys = Vec::new();
        for _ in 0..runs {
            let t = one(&stub, &key, &directory, wait).await;
            total.push(t.callback_to_result_ms);
            processing.push(t.processing_ms);
            keys.push(t.key_set_wait_ms);
        }
        println!(
            "  {label:<36} median callback→claims {:>6.2} ms (verification {:.2} ms, waiting for keys {:.2} ms)",
            median(total),
            median(processing),
            median(keys)
        );
    }
}
