//! The console's one network rule (DESIGN §4), held by the HTTP client for every request: a
//! provider's document that names plain-http addresses elsewhere, or names under `.invalid`,
//! makes the console send nothing there. A proxy on 127.0.0.1 stands for "anywhere else": the
//! test sends ssoctl's non-loopback traffic to it, so any attempt would be counted there
//! without a packet leaving this computer.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::json;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

use crate::fixtures::{json_of, ssoctl};
use crate::stub_http::{Reply, Stub};

/// A "proxy" that counts the connections it gets and answers each with 502.
async fn counting_proxy() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let _ = socket
                .write_all(
                    b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                )
                .await;
        }
    });
    (url, hits)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_naming_plain_http_elsewhere_or_invalid_names_gets_nothing_sent_there() {
    let (proxy, hits) = counting_proxy().await;
    for jwks_uri in [
        "http://keys.example.com/jwks",
        "https://keys.example.invalid/jwks",
        "http://10.1.2.3/jwks",
    ] {
        let stub = Stub::start().await;
        stub.route(
            "/.well-known/openid-configuration",
            Reply::json(
                200,
                json!({
                    "issuer": stub.base,
                    "authorization_endpoint": stub.url("/auth"),
                    "token_endpoint": "http://login.example.com/token",
                    "end_session_endpoint": "http://login.example.com/logout",
                    "jwks_uri": jwks_uri,
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                })
                .to_string(),
            ),
        );
        let data = tempfile::tempdir().unwrap();
        let out = ssoctl(data.path())
            .args(["--json", "discover", &stub.base])
            .env("HTTP_PROXY", &proxy)
            .env("HTTPS_PROXY", &proxy)
            .env("ALL_PROXY", &proxy)
            .env("NO_PROXY", "127.0.0.1")
            .output()
            .unwrap();
        let report = json_of(&out.stdout);
        let key_set = report["key_set"].to_string();
        assert!(
            key_set.contains("was not fetched") && key_set.contains(jwks_uri),
            "{jwks_uri}: {key_set}"
        );
        let findings = report["findings"].to_string();
        assert!(
            findings.contains(jwks_uri),
            "{jwks_uri}: the finding names it: {findings}"
        );
        assert_eq!(
            hits.load(Ordering::SeqCst),
            0,
            "{jwks_uri}: a connection left for somewhere other than the provider's loopback stub"
        );
    }
}

#[test]
fn the_rule_allows_https_anywhere_and_http_only_on_this_computer() {
    use sso_console::http::refusal;
    let allowed = [
        "https://login.example.com/x",
        "http://127.0.0.1:8080/x",
        "http://127.9.9.9/x",
        "http://[::1]:8080/x",
        "http://localhost:3000/x",
    ];
    for url in allowed {
        assert_eq!(refusal(&url.parse().unwrap()), None, "{url}");
    }
    for (url, why) in [
        ("http://login.example.com/x", "not this computer"),
        ("http://10.0.0.1/x", "not this computer"),
        ("http://evil.localhost.example.com/x", "not this computer"),
        ("https://login.example.invalid/x", "under .invalid"),
        ("https://INVALID./x", "under .invalid"),
        ("ftp://login.example.com/x", "only https://"),
        ("file:///etc/passwd", "only https://"),
    ] {
        let got = refusal(&url.parse().unwrap()).unwrap_or_else(|| panic!("{url} allowed"));
        assert!(got.contains(why), "{url}: {got}");
    }
}
