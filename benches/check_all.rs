//! Benchmark: "Check all directories" (DESIGN §5) against a local server that answers every
//! request after 100 ms. Prints figures; never fails a build.
//!
//!     cargo bench --bench check_all

#[path = "../tests/core/stub_http.rs"]
#[allow(dead_code)]
mod stub_http;

use std::time::{Duration, Instant};

use serde_json::json;
use sso_console::directory::DirectoryDocument;
use sso_console::discovery::{check_all, CheckStatus, DEFAULT_BOUND};
use sso_console::http::HttpClient;
use stub_http::{Reply, Stub};

const DIRECTORIES: usize = 200;
const LATENCY: Duration = Duration::from_millis(100);

fn delayed(body: String) -> Reply {
    let mut reply = Reply::json(200, body);
    reply.delay = LATENCY;
    reply
}

/// Serves a provider under `/<tenant>` on the stub.
fn serve_provider(stub: &Stub, tenant: &str) {
    let base = stub.url(&format!("/{tenant}"));
    let doc = json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/auth"),
        "token_endpoint": format!("{base}/token"),
        "userinfo_endpoint": format!("{base}/me"),
        "jwks_uri": format!("{base}/jwks"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "form_post"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "id_token_signing_alg_values_supported": ["RS256"],
    });
    stub.route(
        &format!("/{tenant}/.well-known/openid-configuration"),
        delayed(doc.to_string()),
    );
    let jwks = json!({ "keys": [{ "kty": "RSA", "kid": "k1", "alg": "RS256", "n": "AQAB", "e": "AQAB" }] });
    stub.route(&format!("/{tenant}/jwks"), delayed(jwks.to_string()));
}

fn directories(stub: &Stub, distinct_providers: bool) -> Vec<DirectoryDocument> {
    (0..DIRECTORIES)
        .map(|i| {
            let tenant = if distinct_providers {
                format!("t{i}")
            } else {
                "shared".to_owned()
            };
            let mut doc = sso_console::testing::directory_document(&format!("Directory {i}"));
            doc.discovery_domain = Some(stub.url(&format!("/{tenant}")));
            doc.issuer = None;
            doc
        })
        .collect()
}

async fn measure(client: &HttpClient, docs: &[DirectoryDocument], bound: usize) -> Duration {
    let started = Instant::now();
    let checks = check_all(client, docs, bound, |_, _| {}).await;
    let elapsed = started.elapsed();
    let ok = checks
        .iter()
        .filter(|c| c.status == CheckStatus::Ok)
        .count();
    assert_eq!(
        ok,
        docs.len(),
        "every directory checks out: {:?}",
        checks.iter().find(|c| c.status != CheckStatus::Ok)
    );
    elapsed
}

#[tokio::main]
async fn main() {
    let stub = Stub::start().await;
    serve_provider(&stub, "shared");
    for i in 0..DIRECTORIES {
        serve_provider(&stub, &format!("t{i}"));
    }
    let client = HttpClient::standard().unwrap();
    let round_trips = 2.0 * LATENCY.as_secs_f64();
    println!(
        "check_all: {DIRECTORIES} directories, every request answered after {} ms",
        LATENCY.as_millis()
    );

    let same = directories(&stub, false);
    let t = measure(&client, &same, DEFAULT_BOUND).await;
    println!(
        "  one shared provider, bound {DEFAULT_BOUND}: {:>7.3} s   (ideal {:.3} s: one fetch of document + key set)",
        t.as_secs_f64(),
        round_trips
    );

    let distinct = directories(&stub, true);
    let sequential = DIRECTORIES as f64 * round_trips;
    for bound in [8, 32, DEFAULT_BOUND] {
        let t = measure(&client, &distinct, bound).await;
        let ideal = (DIRECTORIES as f64 / bound as f64).ceil() * round_trips;
        let default = if bound == DEFAULT_BOUND {
            " (the default)"
        } else {
            ""
        };
        println!(
            "  {DIRECTORIES} distinct providers, bound {bound:>2}: {:>7.3} s   ideal {:.3} s ({:+.0}%), sequential {:.1} s{default}",
            t.as_secs_f64(),
            ideal,
            (t.as_secs_f64() / ideal - 1.0) * 100.0,
            sequential
        );
    }
}
