//! Benchmark: the console's own time in a test sign-in (DESIGN §5) — from the callback arriving
//! to the claims being ready — against a local provider stub on 127.0.0.1 that answers at once,
//! with the key set already fetched while the person signs in, and not. Prints medians of 100
//! runs; never fails a build.
//!
//!     cargo bench --bench signin

#[path = "../tests/core/stub_http.rs"]
#[allow(dead_code)]
mod stub_http;

use std::collections::HashMap;
use std::future::pending;
use std::time::Duration;

use serde_json::json;
use sso_console::directory::Directory;
use sso_console::http::HttpClient;
use sso_console::secrets::SecretString;
use sso_console::signin::{Attempt, Interruption, SignInTimings};
use sso_console::testing::tokens::TestKey;
use stub_http::{Reply, Stub};

const RUNS: usize = 100;

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
    let client = HttpClient::default();
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

#[tokio::main]
async fn main() {
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

    println!("signin: {RUNS} test sign-ins against a local stub provider (token, userinfo, JWKS on 127.0.0.1)");
    for (label, wait) in [
        ("key set fetched while waiting", true),
        ("key set fetched after the callback", false),
    ] {
        let mut total = Vec::new();
        let mut processing = Vec::new();
        let mut keys = Vec::new();
        for _ in 0..RUNS {
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
