//! Benchmark: "Check all" with the secret probe (DESIGN §5, C17): 200 stored directories, each
//! behind its own provider on a local server that answers every request after 100 ms, checked
//! through the workspace as the app and `ssoctl health --probe-secret` check them (discovery,
//! key set, one token request each, the outcomes and fingerprints kept in the database).
//! Prints figures; never fails a build. It stores client secrets, so it needs a keyring:
//!
//!     scripts/with-test-session.sh cargo bench --bench health

#[path = "../tests/core/stub_http.rs"]
#[allow(dead_code)]
mod stub_http;

use std::time::{Duration, Instant};

use serde_json::json;
use sso_console::discovery::{CheckStatus, DEFAULT_BOUND};
use sso_console::http::HttpClient;
use sso_console::sensitive::SecretString;
use sso_console::signin::ProbeVerdict;
use sso_console::Workspace;
use stub_http::{Reply, Stub};

const DIRECTORIES: usize = 200;
const LATENCY: Duration = Duration::from_millis(100);
const ROUNDS: usize = 3;

fn delayed(status: u16, body: String) -> Reply {
    let mut reply = Reply::json(status, body);
    reply.delay = LATENCY;
    reply
}

/// Serves a provider under `/<tenant>`: its document, its key set, and a token endpoint that
/// refuses the made-up code after authenticating the client (`invalid_grant`).
fn serve_provider(stub: &Stub, tenant: &str) {
    let base = stub.url(&format!("/{tenant}"));
    let doc = json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/auth"),
        "token_endpoint": format!("{base}/token"),
        "jwks_uri": format!("{base}/jwks"),
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_post"],
        "id_token_signing_alg_values_supported": ["RS256"],
    });
    stub.route(
        &format!("/{tenant}/.well-known/openid-configuration"),
        delayed(200, doc.to_string()),
    );
    let jwks = json!({ "keys": [{ "kty": "RSA", "kid": "k1", "alg": "RS256", "n": "AQAB", "e": "AQAB" }] });
    stub.route(&format!("/{tenant}/jwks"), delayed(200, jwks.to_string()));
    let refused = json!({ "error": "invalid_grant", "error_description": "code not found" });
    stub.route(
        &format!("/{tenant}/token"),
        delayed(400, refused.to_string()),
    );
}

#[tokio::main]
async fn main() {
    let stub = Stub::start().await;
    let data = tempfile::tempdir().unwrap();
    let ws = Workspace::open(data.path()).await.unwrap();
    for i in 0..DIRECTORIES {
        let tenant = format!("t{i}");
        serve_provider(&stub, &tenant);
        let base = stub.url(&format!("/{tenant}"));
        let mut doc = sso_console::testing::directory_document(&format!("Directory {i}"));
        doc.discovery_domain = Some(base.clone());
        doc.issuer = Some(base.clone());
        doc.authorization_url = format!("{base}/auth");
        doc.token_url = format!("{base}/token");
        doc.jwks_uri = Some(format!("{base}/jwks"));
        doc.userinfo_url = None;
        ws.create(&doc, &SecretString::new(format!("secret-{i}")))
            .await
            .unwrap();
    }
    let http = HttpClient::standard().unwrap();
    println!(
        "health: {DIRECTORIES} directories with distinct providers, every request answered after {} ms, bound {DEFAULT_BOUND}",
        LATENCY.as_millis()
    );
    // Document + key set one after the other, the probe beside them: two round trips per
    // provider, in ceil(200 / bound) waves.
    let ideal = (DIRECTORIES as f64 / DEFAULT_BOUND as f64).ceil() * 2.0 * LATENCY.as_secs_f64();
    for round in 1..=ROUNDS {
        let started = Instant::now();
        let health = ws.health(&[], &http, true, DEFAULT_BOUND).await.unwrap();
        let elapsed = started.elapsed();
        assert_eq!(health.len(), DIRECTORIES);
        let bad = health.iter().find(|h| {
            h.check.status == CheckStatus::Failed
                || h.probe.as_ref().map(|p| p.verdict) != Some(ProbeVerdict::Accepted)
        });
        assert!(bad.is_none(), "every directory checks out: {bad:?}");
        println!(
            "  round {round}: check all with the probe {:>6.3} s   (ideal {ideal:.3} s; target under 1.2 s)",
            elapsed.as_secs_f64()
        );
    }
    ws.close().await;
}
