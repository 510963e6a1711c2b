//! Drift: a stub provider whose discovery document and key set change between checks. Each
//! change is reported with its severity, a document only reordered and re-indented is not a
//! change, the key that signed the last successful test sign-in is an error when it goes, and
//! the history survives closing and reopening the data folder.

use std::future::pending;
use std::time::Duration;

use serde_json::{json, Value};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;
use sso_console::directory::DirectoryId;
use sso_console::discovery::{CheckStatus, DirectoryCheck};
use sso_console::findings::Severity;
use sso_console::http::HttpClient;
use sso_console::sensitive::SecretString;
use sso_console::signin::Interruption;
use sso_console::store::DATABASE_FILE;
use sso_console::testing::tokens::TestKey;
use sso_console::Workspace;

use crate::fixtures::{document, json_of, ssoctl};
use crate::stub_http::{Reply, Stub};

fn metadata(stub: &Stub, issuer: &str, token_path: &str) -> Value {
    json!({
        "issuer": issuer,
        "authorization_endpoint": stub.url("/auth"),
        "token_endpoint": stub.url(token_path),
        "jwks_uri": stub.url("/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "code_challenge_methods_supported": ["S256"],
    })
}

/// Serves `doc` and a key set of `keys`; `pretty` re-indents the document and lists its
/// members in reverse order.
fn serve(stub: &Stub, doc: &Value, keys: &[&TestKey], pretty: bool) {
    let body = if pretty {
        let members: Vec<String> = doc
            .as_object()
            .unwrap()
            .iter()
            .rev()
            .map(|(k, v)| {
                format!(
                    "    {}:   {}",
                    json!(k),
                    serde_json::to_string_pretty(v).unwrap()
                )
            })
            .collect();
        format!("{{\n{}\n}}\n", members.join(",\n\n"))
    } else {
        doc.to_string()
    };
    stub.route("/.well-known/openid-configuration", Reply::json(200, body));
    let keys: Vec<Value> = keys.iter().map(|k| k.jwk()).collect();
    stub.route(
        "/jwks",
        Reply::json(200, json!({ "keys": keys }).to_string()),
    );
}

async fn check(ws: &Workspace, http: &HttpClient) -> DirectoryCheck {
    let documents = ws.documents().await.unwrap();
    let mut checks = ws
        .check_directories(http, &documents, 4, |_, _| {})
        .await
        .unwrap();
    assert_eq!(checks.len(), 1);
    checks.remove(0)
}

/// The drift findings of a check, as (severity, code).
fn drift(check: &DirectoryCheck) -> Vec<(Severity, &str)> {
    check
        .findings
        .iter()
        .filter(|f| f.code.starts_with("drift_"))
        .map(|f| (f.severity, f.code.as_str()))
        .collect()
}

/// A test sign-in at the stub whose ID token `key` signs, recorded as the front ends record it.
async fn sign_in(ws: &Workspace, http: &HttpClient, stub: &Stub, id: DirectoryId, key: &TestKey) {
    let attempt = ws.prepare_sign_in(id).await.unwrap();
    let params: std::collections::HashMap<String, String> =
        url::Url::parse(attempt.authorization_url())
            .unwrap()
            .query_pairs()
            .into_owned()
            .collect();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = json!({ "iss": stub.base, "sub": "u-1", "aud": "client-1",
        "nonce": params["nonce"], "iat": now, "exp": now + 600 });
    let tokens = json!({ "access_token": "opaque-at", "token_type": "Bearer",
        "expires_in": 3600, "id_token": key.sign(&claims, true) });
    stub.route("/token", Reply::json(200, tokens.to_string()));
    let callback = format!(
        "{}?code=code-1&state={}",
        attempt.redirect_uri(),
        params["state"]
    );
    let browser = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        reqwest::get(callback).await.unwrap().text().await.unwrap()
    };
    let (result, _) = tokio::join!(
        attempt.complete(http, Duration::from_secs(30), pending::<Interruption>()),
        browser
    );
    assert!(result.succeeded, "{:?}", result.failure);
    ws.record_sign_in(id, &result).await.unwrap();
}

// Multi-threaded: the stub keeps answering while the test waits for `ssoctl`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_change_at_the_provider_is_reported_with_its_severity_and_kept_across_restarts() {
    let stub = Stub::start().await;
    let (k1, k2) = (TestKey::generate("k1"), TestKey::generate("k2"));
    let http = HttpClient::standard().unwrap();
    let data = tempfile::tempdir().unwrap();
    let ws = Workspace::open(data.path()).await.unwrap();
    let mut doc = document("Drifting");
    doc.discovery_domain = Some(stub.base.clone());
    doc.issuer = Some(stub.base.clone());
    doc.authorization_url = stub.url("/auth");
    doc.token_url = stub.url("/token");
    doc.userinfo_url = None;
    doc.jwks_uri = Some(stub.url("/jwks"));
    doc.client_id = "client-1".into();
    let created = ws
        .create(&doc, &SecretString::new("secret-1"))
        .await
        .unwrap();
    let id = DirectoryId::parse(created.document.id.as_deref().unwrap()).unwrap();

    // The first check has nothing to compare with.
    let original = metadata(&stub, &stub.base, "/token");
    serve(&stub, &original, &[&k1], false);
    let first = check(&ws, &http).await;
    assert_ne!(first.status, CheckStatus::Failed, "{:?}", first.problem);
    assert_eq!(drift(&first), []);

    // The same document reordered and re-indented, the same key: no change.
    serve(&stub, &original, &[&k1], true);
    assert_eq!(drift(&check(&ws, &http).await), []);
    assert!(ws.provider_history(id).await.unwrap().is_empty());

    // A successful test sign-in with k1 makes k1 the key that matters.
    sign_in(&ws, &http, &stub, id, &k1).await;

    // A new token endpoint and a key added: a warning and an information.
    serve(
        &stub,
        &metadata(&stub, &stub.base, "/oauth2/token"),
        &[&k1, &k2],
        false,
    );
    let moved = check(&ws, &http).await;
    assert_eq!(
        drift(&moved),
        [
            (Severity::Warning, "drift_endpoint_changed"),
            (Severity::Info, "drift_key_added")
        ]
    );
    let endpoint = moved
        .findings
        .iter()
        .find(|f| f.code == "drift_endpoint_changed")
        .unwrap();
    assert!(
        endpoint.message.contains("/oauth2/token"),
        "{}",
        endpoint.message
    );
    assert_eq!(endpoint.field.as_deref(), Some("token_url"));

    // The key that signed the last successful sign-in removed: an error, and the check says so.
    serve(
        &stub,
        &metadata(&stub, &stub.base, "/oauth2/token"),
        &[&k2],
        false,
    );
    let removed = check(&ws, &http).await;
    assert_eq!(
        drift(&removed),
        [(Severity::Error, "drift_signing_key_removed")]
    );
    assert_eq!(removed.status, CheckStatus::Errors);

    // A key removed that signed nothing the console saw: a warning.
    let k3 = TestKey::generate("k3");
    serve(
        &stub,
        &metadata(&stub, &stub.base, "/oauth2/token"),
        &[&k3],
        false,
    );
    assert_eq!(
        drift(&check(&ws, &http).await),
        [
            (Severity::Warning, "drift_key_removed"),
            (Severity::Info, "drift_key_added")
        ]
    );

    // A key set that cannot be read for one check: the keys are remembered as last read, so a
    // key removed across that check is still noticed by the next one that reads the set.
    stub.route("/jwks", Reply::json(500, "{}"));
    assert_eq!(drift(&check(&ws, &http).await), []);
    let k4 = TestKey::generate("k4");
    serve(
        &stub,
        &metadata(&stub, &stub.base, "/oauth2/token"),
        &[&k4],
        false,
    );
    assert_eq!(
        drift(&check(&ws, &http).await),
        [
            (Severity::Warning, "drift_key_removed"),
            (Severity::Info, "drift_key_added")
        ]
    );

    // Another issuer: an error, which a scheduled `ssoctl health` reports with exit code 1.
    let elsewhere = format!("{}/elsewhere", stub.base);
    serve(
        &stub,
        &metadata(&stub, &elsewhere, "/oauth2/token"),
        &[&k4],
        false,
    );
    let out = ssoctl(data.path())
        .args(["--json", "health"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let health = json_of(&out.stdout);
    let issuer: DirectoryCheck = serde_json::from_value(health[0]["check"].clone()).unwrap();
    assert_eq!(drift(&issuer), [(Severity::Error, "drift_issuer_changed")]);

    // Closed and reopened, the directory still has its history, newest first, and its state.
    ws.close().await;
    drop(ws);
    let ws = Workspace::open(data.path()).await.unwrap();
    let history: Vec<(Severity, String)> = ws
        .provider_history(id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.severity, c.code))
        .collect();
    let expected = [
        (Severity::Error, "drift_issuer_changed"),
        (Severity::Warning, "drift_key_removed"),
        (Severity::Info, "drift_key_added"),
        (Severity::Warning, "drift_key_removed"),
        (Severity::Info, "drift_key_added"),
        (Severity::Error, "drift_signing_key_removed"),
        (Severity::Warning, "drift_endpoint_changed"),
        (Severity::Info, "drift_key_added"),
    ];
    let expected: Vec<(Severity, String)> = expected
        .iter()
        .map(|(s, c)| (*s, (*c).to_owned()))
        .collect();
    assert_eq!(history, expected);
    let listed = ws.list("").await.unwrap().remove(0);
    let state = &listed.health;
    assert_eq!(
        state.last_check.as_ref().unwrap().status,
        CheckStatus::Errors
    );
    assert!(state.last_sign_in.as_ref().unwrap().succeeded);
    assert!(
        state.attention.iter().any(|a| a.contains("issuer")),
        "{:?}",
        state.attention
    );
    assert_eq!(ws.needing_attention().await.unwrap().len(), 1);

    // The history and the state go with their directory.
    ws.delete(id).await.unwrap();
    ws.close().await;
    let mut db = SqliteConnectOptions::new()
        .filename(data.path().join(DATABASE_FILE))
        .connect()
        .await
        .unwrap();
    for table in ["directory_changes", "directory_health"] {
        let rows: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&mut db)
            .await
            .unwrap();
        assert_eq!(rows, 0, "{table} keeps rows of a deleted directory");
    }
}
