//! The provider's keys and signing algorithms, fetched while the person signs in: from the
//! JWKS URI, or found through discovery from the issuer.

use serde_json::Value;

use crate::directory::Directory;
use crate::discovery;
use crate::http::HttpClient;

/// What the sign-in learns from the provider while the person signs in.
pub(super) struct ProviderKeys {
    /// The `keys` array of its key set, or why there is none.
    pub(super) keys: Result<Vec<Value>, String>,
    /// Its `id_token_signing_alg_values_supported`, or why it is not known.
    pub(super) signing_algs: Result<Vec<String>, String>,
}

/// The provider's keys, from the JWKS URI or found through discovery from the issuer, and from
/// its discovery document the algorithms it signs ID tokens with. Fetched once per attempt.
pub(super) async fn fetch_keys(client: HttpClient, directory: Directory) -> ProviderKeys {
    let start = directory
        .discovery_domain
        .clone()
        .or_else(|| directory.issuer.as_ref().map(ToString::to_string));
    let discovered = async {
        match &start {
            Some(start) => discovery::discover(&client, start, None)
                .await
                .map_err(|e| e.to_string()),
            None => Err(
                "there is no issuer to read the provider's metadata from; run Discover".to_owned(),
            ),
        }
    };
    let signing_algs = |report: &Result<discovery::DiscoveryReport, String>| match report {
        Ok(report) => report
            .metadata
            .id_token_signing_alg_values_supported
            .clone()
            .ok_or_else(|| "the provider's metadata does not list them".to_owned()),
        Err(e) => Err(format!("its metadata could not be read ({e})")),
    };
    match &directory.jwks_uri {
        Some(uri) => {
            let (report, keys) = tokio::join!(discovered, fetch_key_set(&client, uri.as_str()));
            ProviderKeys {
                keys,
                signing_algs: signing_algs(&report),
            }
        }
        None => {
            let report = discovered.await;
            let keys = match &report {
                Err(_) if start.is_none() => Err("no JWKS URI is configured and there is no issuer to discover it from; run Discover".to_owned()),
                Err(e) => Err(format!("finding the JWKS URI: {e}")),
                Ok(found) => match &found.prefill.jwks_uri {
                    Some(uri) => fetch_key_set(&client, uri).await,
                    None => Err("the provider's metadata has no jwks_uri".to_owned()),
                },
            };
            ProviderKeys {
                keys,
                signing_algs: signing_algs(&report),
            }
        }
    }
}

/// The `keys` array of the key set at `jwks_uri`.
async fn fetch_key_set(client: &HttpClient, jwks_uri: &str) -> Result<Vec<Value>, String> {
    let response = client
        .get(jwks_uri, "application/json")
        .await
        .map_err(|e| e.to_string())?;
    if !response.status.is_success() {
        return Err(format!("{jwks_uri} answered {}", response.status));
    }
    let doc: Value = serde_json::from_slice(&response.body)
        .map_err(|e| format!("the key set at {jwks_uri} is not JSON ({e})"))?;
    doc.get("keys")
        .and_then(Value::as_array)
        .cloned()
        .ok_or_else(|| format!("the key set at {jwks_uri} has no \"keys\" array"))
}
