//! The provider's keys and signing algorithms, fetched while the person signs in: from the
//! JWKS URI, or found through discovery from the issuer.

use std::time::Instant;

use serde_json::Value;

use super::trace::{TraceClock, TraceStep, TraceStepKind};
use crate::directory::Directory;
use crate::discovery;
use crate::http::HttpClient;

/// What the sign-in learns from the provider while the person signs in.
pub(super) struct ProviderKeys {
    /// The `keys` array of its key set, or why there is none.
    pub(super) keys: Result<Vec<Value>, String>,
    /// Its `id_token_signing_alg_values_supported`, or why it is not known.
    pub(super) signing_algs: Result<Vec<String>, String>,
    /// The fetches made, for the trace.
    pub(super) trace: Vec<TraceStep>,
}

/// The provider's keys, from the JWKS URI or found through discovery from the issuer, and from
/// its discovery document the algorithms it signs ID tokens with. Fetched once per attempt.
pub(super) async fn fetch_keys(
    client: HttpClient,
    directory: Directory,
    clock: TraceClock,
) -> ProviderKeys {
    let start = directory
        .discovery_domain
        .clone()
        .or_else(|| directory.issuer.as_ref().map(ToString::to_string));
    let discovered = async {
        let started = Instant::now();
        let url = start.as_deref().map(discovery::discovery_url);
        let report = match &url {
            Some(Ok(url)) => discovery::fetch(&client, url)
                .await
                .map(|fetched| discovery::report(&fetched, None))
                .map_err(|e| e.to_string()),
            Some(Err(e)) => Err(e.clone()),
            None => Err(
                "there is no issuer to read the provider's metadata from; run Discover".to_owned(),
            ),
        };
        let outcome = match &report {
            Ok(r) => Ok(format!(
                "read; it lists {} ID token signing algorithm(s)",
                r.metadata
                    .id_token_signing_alg_values_supported
                    .as_ref()
                    .map_or(0, Vec::len)
            )),
            Err(e) => Err(e.clone()),
        };
        let url = url.and_then(Result::ok).map(|u| u.to_string());
        let step = clock.step(
            TraceStepKind::ProviderMetadata,
            started,
            url.as_deref().map(|u| ("GET", u)),
            Default::default(),
            outcome,
        );
        (report, step)
    };
    let key_set = |uri: String| {
        let clock = clock.clone();
        let client = client.clone();
        async move {
            let started = Instant::now();
            let keys = fetch_key_set(&client, &uri).await;
            let outcome = match &keys {
                Ok(k) => Ok(format!("{} key(s)", k.len())),
                Err(e) => Err(e.clone()),
            };
            let step = clock.step(
                TraceStepKind::KeySet,
                started,
                Some(("GET", &uri)),
                Default::default(),
                outcome,
            );
            (keys, Some(step))
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
            let ((report, metadata_step), (keys, keys_step)) =
                tokio::join!(discovered, key_set(uri.to_string()));
            ProviderKeys {
                keys,
                signing_algs: signing_algs(&report),
                trace: [Some(metadata_step), keys_step]
                    .into_iter()
                    .flatten()
                    .collect(),
            }
        }
        None => {
            let (report, metadata_step) = discovered.await;
            let (keys, keys_step) = match &report {
                Err(_) if start.is_none() => (Err("no JWKS URI is configured and there is no issuer to discover it from; run Discover".to_owned()), None),
                Err(e) => (Err(format!("finding the JWKS URI: {e}")), None),
                Ok(found) => match &found.prefill.jwks_uri {
                    Some(uri) => key_set(uri.clone()).await,
                    None => (Err("the provider's metadata has no jwks_uri".to_owned()), None),
                },
            };
            ProviderKeys {
                keys,
                signing_algs: signing_algs(&report),
                trace: [Some(metadata_step), keys_step]
                    .into_iter()
                    .flatten()
                    .collect(),
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
