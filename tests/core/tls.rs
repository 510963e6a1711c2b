//! TLS through the operating system's certificate store: an https provider whose certificate a
//! company CA signed (an on-premises Keycloak or ADFS, a TLS-inspecting proxy) is trusted once
//! that CA is in the store the platform verifier reads, here `SSL_CERT_FILE` set for the
//! `ssoctl` process alone, so the machine's own store is never changed; without it, discovery
//! fails with a message that names the host and says what to do.

use std::sync::Arc;

use serde_json::json;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::ServerConfig;

use crate::fixtures::{json_of, ssoctl};
use crate::stub_http::{Reply, Stub};

/// A throw-away company CA and a certificate it signed for 127.0.0.1.
struct CompanyCa {
    ca_pem: String,
    server: Arc<ServerConfig>,
}

fn company_ca() -> CompanyCa {
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Example Corp test root CA");
    ca_params.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::CrlSign,
    ];
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();

    let mut params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "idp.example.test");
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, &ca, &ca_key).unwrap();

    let server = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(cert.der().to_vec())],
            PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        )
        .unwrap();
    CompanyCa {
        ca_pem: ca.pem(),
        server: Arc::new(server),
    }
}

/// An https provider on 127.0.0.1 with a certificate from `ca`.
async fn provider(ca: &CompanyCa) -> Stub {
    let stub = Stub::start_tls(ca.server.clone()).await;
    let base = stub.base.clone();
    let document = json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/auth"),
        "token_endpoint": format!("{base}/token"),
        "jwks_uri": format!("{base}/jwks"),
        "response_types_supported": ["code"],
        "id_token_signing_alg_values_supported": ["RS256"],
    });
    stub.route(
        "/.well-known/openid-configuration",
        Reply::json(200, document.to_string()),
    );
    stub.route("/jwks", Reply::json(200, r#"{"keys":[]}"#));
    stub
}

/// `ssoctl --json discover URL`, with `SSL_CERT_FILE` as given (and no other certificate
/// variable from the environment).
async fn discover(url: &str, cert_file: Option<&std::path::Path>) -> std::process::Output {
    let data = tempfile::tempdir().unwrap();
    let mut cmd = ssoctl(data.path());
    cmd.args(["--json", "discover", url])
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR");
    if let Some(file) = cert_file {
        cmd.env("SSL_CERT_FILE", file);
    }
    // ssoctl blocks; the provider runs on this test's runtime meanwhile.
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_company_ca_in_the_certificate_store_is_trusted() {
    let ca = company_ca();
    let stub = provider(&ca).await;
    let store = tempfile::tempdir().unwrap();
    let bundle = store.path().join("company-ca.pem");
    std::fs::write(&bundle, &ca.ca_pem).unwrap();

    let out = discover(&stub.base, Some(&bundle)).await;
    let report = json_of(&out.stdout);
    assert_eq!(
        report["metadata"]["issuer"],
        stub.base.as_str(),
        "the document was fetched over TLS: {report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !report.to_string().contains("certificate"),
        "no certificate complaint: {report}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_untrusted_certificate_names_the_host_and_what_to_do() {
    let ca = company_ca();
    let stub = provider(&ca).await;

    let out = discover(&stub.base, None).await;
    assert_eq!(out.status.code(), Some(1), "the check failed");
    let error = json_of(&out.stdout);
    let message = error["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("the TLS certificate of 127.0.0.1 is not trusted"),
        "{error}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        message.contains("install its CA certificate in the operating system's certificate store"),
        "{error}"
    );
    assert!(
        !message.contains("InvalidCertificate"),
        "no raw TLS error: {message}"
    );
}
