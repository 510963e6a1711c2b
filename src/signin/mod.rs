//! The test sign-in (C5, C6): the authorization request opened in a browser, the loopback
//! redirect, the code exchange, the ID token checks and userinfo — with every claim returned,
//! grouped by source, and the step that failed when one did.

mod exchange;
mod listener;
mod request;
mod verify;

pub use exchange::{exchange, ExchangeError, TokenRequest};
pub use listener::{BrowserReply, Callback, CallbackError, CallbackListener};
pub use request::{authorization_url, AttemptSecrets};
pub use verify::{verify_id_token, Check, CheckOutcome, Expectations, CLOCK_SKEW_SECS};

use std::future::Future;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::claims::decode_unverified;
use crate::directory::Directory;
use crate::discovery;
use crate::http::HttpClient;
use crate::secrets::SecretString;

/// How long a person has to sign in unless told otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// The step of a test sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SignInStep {
    /// Opening the browser and waiting for the person.
    Browser,
    /// The provider's redirect back to the console.
    Callback,
    /// Exchanging the code for tokens.
    Token,
    /// Checking the ID token.
    IdToken,
    /// Calling userinfo.
    Userinfo,
}

/// The step that ended the attempt, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StepFailure {
    /// Where it failed.
    pub step: SignInStep,
    /// What happened.
    pub message: String,
    /// What to do.
    pub hint: String,
    /// The provider's `error`, when it sent one.
    pub provider_error: Option<String>,
    /// The provider's `error_description`, when it sent one.
    pub provider_error_description: Option<String>,
}

/// Where a source's claims stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SourceStatus {
    /// Signature and claims checked.
    Verified,
    /// Shown, but a check failed or could not run.
    Unverified,
    /// A token that is not a JWT: nothing to show.
    Opaque,
    /// The source was not asked for (no userinfo URL, no token returned…).
    NotRequested,
    /// Asking for it failed.
    Failed,
    /// Received over TLS from the provider (userinfo), not signed.
    Received,
}

/// The claims of one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SourceClaims {
    /// Where it stands.
    pub status: SourceStatus,
    /// Why, in a sentence.
    pub status_detail: String,
    /// The JOSE header, for JWTs.
    #[ts(type = "Record<string, unknown> | null")]
    pub header: Option<Map<String, Value>>,
    /// The claims, when there are any to show.
    #[ts(type = "Record<string, unknown> | null")]
    pub claims: Option<Map<String, Value>>,
    /// The raw token or answer, shown on request.
    pub raw: Option<String>,
}

impl SourceClaims {
    fn not_requested(detail: impl Into<String>) -> Self {
        Self {
            status: SourceStatus::NotRequested,
            status_detail: detail.into(),
            header: None,
            claims: None,
            raw: None,
        }
    }
}

/// Where the time went, in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignInTimings {
    /// From the callback arriving to the result being ready.
    pub callback_to_result_ms: f64,
    /// The token request, network included.
    pub token_ms: f64,
    /// The userinfo request, network included.
    pub userinfo_ms: f64,
    /// Waiting for the key set after the token response (0 when it was already there).
    pub key_set_wait_ms: f64,
    /// The console's own work: parsing and verifying.
    pub processing_ms: f64,
}

/// The whole result of a test sign-in. Lives in memory only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignInResult {
    /// The directory's name.
    pub directory_name: String,
    /// The redirect URI used.
    pub redirect_uri: String,
    /// Whether everything worked and every check passed.
    pub succeeded: bool,
    /// The step that ended the attempt, when one did.
    pub failure: Option<StepFailure>,
    /// The ID token.
    pub id_token: SourceClaims,
    /// The access token (decoded for display only: its audience is another API).
    pub access_token: SourceClaims,
    /// The userinfo answer.
    pub userinfo: SourceClaims,
    /// The ID token checks, one line each, plus the userinfo subject check.
    pub checks: Vec<Check>,
    /// The token response without the tokens (token_type, expires_in, scope…).
    #[ts(type = "Record<string, unknown>")]
    pub token_response: Map<String, Value>,
    /// Where the time went.
    pub timings: SignInTimings,
}

/// Why an attempt could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// No client secret is stored.
    #[error("the directory has no client secret stored; enter it in the editor and save")]
    NoSecret,
    /// The listener could not bind.
    #[error(transparent)]
    Listener(#[from] CallbackError),
}

/// One prepared attempt: the listener is bound and the URL is ready to open.
pub struct Attempt {
    directory: Directory,
    secret: SecretString,
    secrets: AttemptSecrets,
    listener: CallbackListener,
    redirect_uri: String,
    authorization_url: String,
    browser_opened: bool,
}

/// How an attempt ends early.
pub enum Interruption {
    /// The person cancelled.
    Cancelled,
}

impl Attempt {
    /// Binds the loopback listener (the directory's fixed port, or a random one) and builds the
    /// authorization URL with fresh state, nonce and PKCE verifier.
    pub async fn prepare(directory: Directory, secret: SecretString) -> Result<Self, StartError> {
        if secret.is_empty() {
            return Err(StartError::NoSecret);
        }
        let listener = CallbackListener::bind(directory.test_redirect_port).await?;
        let redirect_uri = listener.redirect_uri();
        let secrets = AttemptSecrets::generate(directory.pkce);
        let authorization_url = authorization_url(&directory, &redirect_uri, &secrets);
        Ok(Self {
            directory,
            secret,
            secrets,
            listener,
            redirect_uri,
            authorization_url,
            browser_opened: true,
        })
    }

    /// Says that no browser window was opened (`--no-browser`, or opening it failed): the
    /// person opens the URL themselves, and the advice says so.
    pub fn browser_not_opened(&mut self) {
        self.browser_opened = false;
    }

    /// The URL to open in the browser.
    pub fn authorization_url(&self) -> &str {
        &self.authorization_url
    }

    /// The loopback redirect URI, to register at the provider.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Waits for the person (at most `timeout`, or until `cancel` resolves), then completes the
    /// sign-in. The key set is fetched while the person signs in.
    pub async fn complete(
        self,
        client: &HttpClient,
        timeout: Duration,
        cancel: impl Future<Output = Interruption>,
    ) -> SignInResult {
        let Self {
            directory,
            secret,
            secrets,
            listener,
            redirect_uri,
            browser_opened,
            ..
        } = self;
        let fixed_port = directory.test_redirect_port.is_some();
        let key_set = tokio::spawn(fetch_keys(client.clone(), directory.clone()));
        let mut result = empty_result(&directory, &redirect_uri);
        let stale_callbacks = listener.stale_callbacks();
        let waited = tokio::select! {
            outcome = listener.wait(&secrets.state) => Some(outcome),
            () = tokio::time::sleep(timeout) => None,
            Interruption::Cancelled = cancel => {
                key_set.abort();
                result.failure = Some(failure(SignInStep::Browser, "the test sign-in was cancelled", "start it again when ready"));
                return result;
            }
        };
        let Some((callback, reply)) = waited else {
            key_set.abort();
            let place = if browser_opened {
                "in the browser window that opened"
            } else {
                "at the sign-in URL given when the test started"
            };
            let stale = match stale_callbacks.load(std::sync::atomic::Ordering::Relaxed) {
                0 => String::new(),
                1 => "; one answer that belongs to another test (an older tab, or a forged link) arrived and was not used".to_owned(),
                n => format!("; {n} answers that belong to other tests (older tabs, or forged links) arrived and were not used"),
            };
            result.failure = Some(failure(
                SignInStep::Browser,
                format!(
                    "nobody completed the sign-in within {} s{stale}",
                    timeout.as_secs()
                ),
                format!(
                    "sign in {place}; if the provider showed an error about the redirect URI, {}",
                    register_advice(&redirect_uri, fixed_port)
                ),
            ));
            return result;
        };
        let callback_at = Instant::now();
        let callback = match callback {
            Ok(c) => c,
            Err(e) => {
                key_set.abort();
                result.failure = Some(callback_failure(&e, &redirect_uri, fixed_port));
                finish(reply, &result).await;
                return result;
            }
        };
        let iss_check = redirect_issuer_check(&callback, &directory);
        if let Some(check) = iss_check
            .as_ref()
            .filter(|c| c.outcome == CheckOutcome::Fail)
        {
            // RFC 9207 §2.4: a response from another issuer is rejected, its code not exchanged.
            key_set.abort();
            result.failure = Some(failure(
                SignInStep::Callback,
                check.detail.clone(),
                "the code was not exchanged: set the directory's issuer to the provider's (Discover fills it in), or check that the sign-in went to this directory's provider",
            ));
            result.checks.push(check.clone());
            finish(reply, &result).await;
            return result;
        }
        let request = TokenRequest {
            token_url: directory.token_url.as_str(),
            code: &callback.code,
            redirect_uri: &redirect_uri,
            client_id: &directory.client_id,
            client_secret: &secret,
            basic_auth: directory.token_endpoint_basic_auth,
            code_verifier: secrets.code_verifier.as_deref(),
        };
        let token_started = Instant::now();
        let tokens = match exchange(client, &request).await {
            Ok(tokens) => tokens,
            Err(e) => {
                key_set.abort();
                let (provider_error, description) = match &e {
                    ExchangeError::Refused {
                        error, description, ..
                    } => (Some(error.clone()), description.clone()),
                    _ => (None, None),
                };
                result.failure = Some(StepFailure {
                    step: SignInStep::Token,
                    message: e.to_string(),
                    hint: e.hint(directory.token_endpoint_basic_auth),
                    provider_error,
                    provider_error_description: description,
                });
                finish(reply, &result).await;
                return result;
            }
        };
        result.timings.token_ms = ms(token_started.elapsed());
        let access_token = tokens
            .get("access_token")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let id_token = tokens
            .get("id_token")
            .and_then(Value::as_str)
            .map(str::to_owned);
        result.token_response = tokens
            .into_iter()
            .filter(|(k, _)| !matches!(k.as_str(), "access_token" | "id_token" | "refresh_token"))
            .collect();

        // Userinfo and the key set are independent: run them together.
        let userinfo_started = Instant::now();
        let userinfo = async {
            let out = fetch_userinfo(client, &directory, access_token.as_deref()).await;
            (out, ms(userinfo_started.elapsed()))
        };
        let keys_wait = async {
            let started = Instant::now();
            let keys = key_set.await.unwrap_or_else(|e| ProviderKeys {
                keys: Err(format!("the key set fetch failed: {e}")),
                signing_algs: Err(format!("the metadata fetch failed: {e}")),
            });
            (keys, ms(started.elapsed()))
        };
        let ((userinfo, userinfo_ms), (keys, key_set_wait_ms)) = tokio::join!(userinfo, keys_wait);
        result.timings.userinfo_ms = userinfo_ms;
        result.timings.key_set_wait_ms = key_set_wait_ms;

        let processing = Instant::now();
        result.access_token = access_token_source(access_token.as_deref());
        result.userinfo = userinfo;
        match id_token {
            None => {
                result.id_token = SourceClaims::not_requested(if directory.scopes.has_openid() {
                    "the provider returned no ID token although openid was requested"
                } else {
                    "no ID token: the scopes do not include openid"
                });
                if directory.scopes.has_openid() {
                    result.checks.push(Check {
                        name: "ID token".into(),
                        outcome: CheckOutcome::Fail,
                        detail: "missing from the token response".into(),
                    });
                }
            }
            Some(raw) => {
                let now = time::OffsetDateTime::now_utc().unix_timestamp();
                let (source, checks) = id_token_source(
                    &raw,
                    &directory,
                    &secret,
                    &secrets.nonce,
                    access_token.as_deref(),
                    &keys,
                    now,
                );
                result.id_token = source;
                result.checks = checks;
            }
        }
        result.checks.extend(iss_check);
        result
            .checks
            .push(response_mode_check(&callback, &directory));
        if let Some(check) = userinfo_subject_check(&result) {
            result.checks.push(check);
        }
        result.timings.processing_ms = ms(processing.elapsed());
        result.succeeded = result.failure.is_none()
            && result
                .checks
                .iter()
                .all(|c| c.outcome != CheckOutcome::Fail)
            && result.userinfo.status != SourceStatus::Failed;
        result.timings.callback_to_result_ms = ms(callback_at.elapsed());
        finish(reply, &result).await;
        result
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn failure(step: SignInStep, message: impl Into<String>, hint: impl Into<String>) -> StepFailure {
    StepFailure {
        step,
        message: message.into(),
        hint: hint.into(),
        provider_error: None,
        provider_error_description: None,
    }
}

fn empty_result(directory: &Directory, redirect_uri: &str) -> SignInResult {
    SignInResult {
        directory_name: directory.name.to_string(),
        redirect_uri: redirect_uri.to_owned(),
        succeeded: false,
        failure: None,
        id_token: SourceClaims::not_requested("no token was received"),
        access_token: SourceClaims::not_requested("no token was received"),
        userinfo: SourceClaims::not_requested("not called"),
        checks: Vec::new(),
        token_response: Map::new(),
        timings: SignInTimings::default(),
    }
}

async fn finish(reply: Option<BrowserReply>, result: &SignInResult) {
    if let Some(reply) = reply {
        let detail = match &result.failure {
            Some(f) => format!("{}: {}", f.step.label(), f.message),
            None if result.succeeded => String::new(),
            None if result.userinfo.status == SourceStatus::Failed
                && result
                    .checks
                    .iter()
                    .all(|c| c.outcome != CheckOutcome::Fail) =>
            {
                format!(
                    "The userinfo request failed: {}",
                    result.userinfo.status_detail
                )
            }
            None => "Some checks failed; see where you started the test.".to_owned(),
        };
        reply
            .finish(result.failure.is_none() && result.succeeded, &detail)
            .await;
    }
}

impl SignInStep {
    /// The step in people's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Browser => "Sign-in in the browser",
            Self::Callback => "Redirect back",
            Self::Token => "Token request",
            Self::IdToken => "ID token",
            Self::Userinfo => "Userinfo",
        }
    }
}

impl SourceStatus {
    /// The status in people's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Verified => "verified",
            Self::Unverified => "not verified",
            Self::Opaque => "opaque",
            Self::NotRequested => "not received",
            Self::Failed => "failed",
            Self::Received => "received",
        }
    }
}

/// The response mode the provider answered with against the one the directory asks for: the
/// sign-in service takes only the one that is configured, so a provider that ignores
/// `response_mode=form_post` (or posts when asked for a query) would fail in production.
fn response_mode_check(callback: &Callback, directory: &Directory) -> Check {
    let answered = if callback.method == "POST" {
        "form_post"
    } else {
        "query"
    };
    let asked = if directory.response_mode_form_post {
        "form_post"
    } else {
        "query"
    };
    if answered == asked {
        return Check {
            name: "Response mode".into(),
            outcome: CheckOutcome::Pass,
            detail: format!("the provider answered with {answered}, as asked"),
        };
    }
    let what_to_do = if directory.response_mode_form_post {
        "the provider ignored response_mode=form_post: turn \"Enable Response Mode Form Post\" off for this directory, or configure the provider to honour form_post"
    } else {
        "the provider posted the answer although no form_post was asked for: turn \"Enable Response Mode Form Post\" on for this directory, or configure the provider to redirect with a query string"
    };
    Check {
        name: "Response mode".into(),
        outcome: CheckOutcome::Fail,
        detail: format!(
            "asked for {asked}, the provider answered with {answered}; the sign-in service expects {asked} and would fail: {what_to_do}"
        ),
    }
}

/// RFC 9207: an `iss` in the redirect must be the expected issuer; a mismatch ends the attempt.
fn redirect_issuer_check(callback: &Callback, directory: &Directory) -> Option<Check> {
    let iss = callback.iss.as_ref()?;
    let want = directory.issuer.as_ref()?.to_string();
    Some(if *iss == want {
        Check {
            name: "Redirect issuer (RFC 9207)".into(),
            outcome: CheckOutcome::Pass,
            detail: iss.clone(),
        }
    } else {
        Check {
            name: "Redirect issuer (RFC 9207)".into(),
            outcome: CheckOutcome::Fail,
            detail: format!(
                "the redirect came from issuer \"{iss}\", the directory expects \"{want}\""
            ),
        }
    })
}

/// What to register at the provider. A random port changes on every attempt, so registering
/// it would not help the next one: a fixed port is what to register then.
fn register_advice(redirect_uri: &str, fixed_port: bool) -> String {
    if fixed_port {
        return format!("register this exact redirect URI at the provider: {redirect_uri}");
    }
    "this attempt listened on a random port, which changes every time: set a Fixed test redirect port for this directory (under Advanced; \"test_redirect_port\" in its document), register http://127.0.0.1:<that port>/callback at the provider, and test again".to_owned()
}

/// What to do when the provider demands PKCE, in the app's words and the document's.
const PKCE_ADVICE: &str = "the provider requires PKCE: turn Enable PKCE on for this directory (\"pkce\": true in its document) and test again";

/// Whether a provider's error text is about PKCE (Okta, Auth0, Keycloak and Entra word it
/// differently).
fn mentions_pkce(description: Option<&str>) -> bool {
    description.is_some_and(|d| {
        let d = d.to_ascii_lowercase();
        [
            "pkce",
            "code_challenge",
            "code challenge",
            "proof key",
            "code_verifier",
        ]
        .iter()
        .any(|word| d.contains(word))
    })
}

fn callback_failure(e: &CallbackError, redirect_uri: &str, fixed_port: bool) -> StepFailure {
    let (provider_error, description) = match e {
        CallbackError::Provider { error, description } => {
            (Some(error.clone()), description.clone())
        }
        _ => (None, None),
    };
    let hint = match provider_error.as_deref() {
        Some("access_denied") => "the person declined, or the provider denied access to this application (is the user assigned to it?)".to_owned(),
        Some(_) if mentions_pkce(description.as_deref()) => {
            PKCE_ADVICE.to_owned()
        }
        Some("invalid_request" | "invalid_redirect_uri") if description.as_deref().is_some_and(|d| d.contains("redirect_uri") || d.to_ascii_lowercase().contains("redirect uri")) => {
            register_advice(redirect_uri, fixed_port)
        }
        Some("unauthorized_client") => "enable the authorization code flow for this client at the provider".to_owned(),
        Some(_) => "the provider's message above says what it refused: fix that at the provider or in this directory, then test again".to_owned(),
        None => "start the test again".to_owned(),
    };
    StepFailure {
        step: SignInStep::Callback,
        message: e.to_string(),
        hint,
        provider_error,
        provider_error_description: description,
    }
}

/// What the sign-in learns from the provider while the person signs in.
struct ProviderKeys {
    /// The `keys` array of its key set, or why there is none.
    keys: Result<Vec<Value>, String>,
    /// Its `id_token_signing_alg_values_supported`, or why it is not known.
    signing_algs: Result<Vec<String>, String>,
}

/// The provider's keys, from the JWKS URI or found through discovery from the issuer, and from
/// its discovery document the algorithms it signs ID tokens with. Fetched once per attempt.
async fn fetch_keys(client: HttpClient, directory: Directory) -> ProviderKeys {
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

fn access_token_source(token: Option<&str>) -> SourceClaims {
    let Some(token) = token else {
        return SourceClaims::not_requested("the token response held no access token");
    };
    if !token.contains('.') {
        // Most providers' access tokens are opaque by design: nothing is wrong with them.
        return SourceClaims {
            status: SourceStatus::Opaque,
            status_detail: "an opaque token, not a JWT: only the provider can read it, as intended; map claims from the ID token or userinfo".into(),
            header: None,
            claims: None,
            raw: Some(token.to_owned()),
        };
    }
    match decode_unverified(token) {
        Ok(jwt) => SourceClaims {
            status: SourceStatus::Unverified,
            status_detail:
                "a JWT, decoded for display only: it is meant for another API, which verifies it"
                    .into(),
            header: Some(jwt.header),
            claims: Some(jwt.payload),
            raw: Some(token.to_owned()),
        },
        Err(e) => SourceClaims {
            status: SourceStatus::Opaque,
            status_detail: format!(
                "{e}: only the provider can read it; map claims from the ID token or userinfo"
            ),
            header: None,
            claims: None,
            raw: Some(token.to_owned()),
        },
    }
}

#[allow(clippy::too_many_arguments)]
fn id_token_source(
    raw: &str,
    directory: &Directory,
    secret: &SecretString,
    nonce: &str,
    access_token: Option<&str>,
    provider: &ProviderKeys,
    now: i64,
) -> (SourceClaims, Vec<Check>) {
    let jwt = match decode_unverified(raw) {
        Ok(jwt) => jwt,
        Err(e) => {
            let check = Check {
                name: "ID token".into(),
                outcome: CheckOutcome::Fail,
                detail: e.to_string(),
            };
            let source = SourceClaims {
                status: SourceStatus::Failed,
                status_detail: e.to_string(),
                header: None,
                claims: None,
                raw: Some(raw.to_owned()),
            };
            return (source, vec![check]);
        }
    };
    let issuer = directory.issuer.as_ref().map(ToString::to_string);
    let expectations = Expectations {
        client_id: &directory.client_id,
        client_secret: secret.expose(),
        issuer: issuer.as_deref(),
        nonce,
        access_token,
        keys: provider.keys.as_deref().map_err(Clone::clone),
        id_token_signing_algs: provider.signing_algs.as_deref().map_err(Clone::clone),
        now,
    };
    let checks = verify_id_token(&jwt, &expectations);
    let failed: Vec<&str> = checks
        .iter()
        .filter(|c| c.outcome == CheckOutcome::Fail)
        .map(|c| c.name.as_str())
        .collect();
    let (status, detail) = if failed.is_empty() {
        let skipped: Vec<String> = checks
            .iter()
            .filter(|c| c.outcome == CheckOutcome::Skip)
            .map(|c| format!("{} not checked ({})", c.name.to_lowercase(), c.detail))
            .collect();
        let mut detail = "signature and claims checked".to_owned();
        if !skipped.is_empty() {
            detail.push_str("; ");
            detail.push_str(&skipped.join("; "));
        }
        (SourceStatus::Verified, detail)
    } else {
        (
            SourceStatus::Unverified,
            format!(
                "not trustworthy: {} failed — the claims are shown so you can see what was sent",
                failed.join(", ")
            ),
        )
    };
    (
        SourceClaims {
            status,
            status_detail: detail,
            header: Some(jwt.header),
            claims: Some(jwt.payload),
            raw: Some(raw.to_owned()),
        },
        checks,
    )
}

async fn fetch_userinfo(
    client: &HttpClient,
    directory: &Directory,
    access_token: Option<&str>,
) -> SourceClaims {
    let Some(url) = &directory.userinfo_url else {
        return SourceClaims::not_requested(
            "no userinfo URL is configured; claims there cannot be mapped",
        );
    };
    let Some(token) = access_token else {
        return SourceClaims::not_requested("no access token to call userinfo with");
    };
    let failed = |detail: String| SourceClaims {
        status: SourceStatus::Failed,
        status_detail: detail,
        header: None,
        claims: None,
        raw: None,
    };
    let request = client
        .request(reqwest::Method::GET, url.as_str())
        .bearer_auth(token)
        .header(reqwest::header::ACCEPT, "application/json, application/jwt");
    let response = match client.send(request).await {
        Ok(r) => r,
        Err(e) => return failed(e.to_string()),
    };
    if !response.status.is_success() {
        let challenge = response
            .headers
            .get(reqwest::header::WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
            .map(|v| format!(" ({v})"))
            .unwrap_or_default();
        let why = if response.status.as_u16() == 401 {
            "the provider refused the access token at userinfo — typical when the access token is a JWT meant for another API (resource indicators/audience); request a token for userinfo, or map these claims from the ID token"
        } else {
            "check the Userinfo URL"
        };
        return failed(format!(
            "userinfo answered {}{challenge}: {why}",
            response.status
        ));
    }
    let raw = response.text();
    if response.media_type().as_deref() == Some("application/jwt") {
        return match decode_unverified(&raw) {
            Ok(jwt) => SourceClaims {
                status: SourceStatus::Unverified,
                status_detail: "a signed userinfo JWT, decoded for display".into(),
                header: Some(jwt.header),
                claims: Some(jwt.payload),
                raw: Some(raw),
            },
            Err(e) => failed(format!("userinfo answered a JWT that cannot be read: {e}")),
        };
    }
    match serde_json::from_str::<Value>(&raw) {
        Ok(Value::Object(claims)) => SourceClaims {
            status: SourceStatus::Received,
            status_detail: "received from the provider's userinfo endpoint".into(),
            header: None,
            claims: Some(claims),
            raw: Some(raw),
        },
        _ => failed("userinfo did not answer with a JSON object".into()),
    }
}

/// Userinfo's `sub` must be the ID token's (OpenID Connect Core §5.3.2).
fn userinfo_subject_check(result: &SignInResult) -> Option<Check> {
    let id_sub = result.id_token.claims.as_ref()?.get("sub")?.as_str()?;
    let info = result.userinfo.claims.as_ref()?;
    Some(match info.get("sub").and_then(Value::as_str) {
        Some(sub) if sub == id_sub => Check { name: "Userinfo subject".into(), outcome: CheckOutcome::Pass, detail: "userinfo's sub matches the ID token's".into() },
        Some(sub) => Check {
            name: "Userinfo subject".into(),
            outcome: CheckOutcome::Fail,
            detail: format!("userinfo is about \"{sub}\", the ID token about \"{id_sub}\": the userinfo answer is not about this user"),
        },
        None => Check { name: "Userinfo subject".into(), outcome: CheckOutcome::Fail, detail: "userinfo has no sub".into() },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider_error(error: &str, description: &str) -> CallbackError {
        CallbackError::Provider {
            error: error.into(),
            description: Some(description.into()),
        }
    }

    #[test]
    fn a_random_port_is_never_the_one_to_register() {
        let uri = "http://127.0.0.1:37113/callback";
        let e = provider_error("invalid_request", "redirect_uri is not registered");
        let random = callback_failure(&e, uri, false).hint;
        assert!(!random.contains("37113"), "{random}");
        assert!(random.contains("Fixed test redirect port"), "{random}");
        let fixed = callback_failure(&e, uri, true).hint;
        assert!(fixed.contains(uri), "{fixed}");
    }

    #[test]
    fn an_opaque_access_token_is_not_called_cut_off() {
        let source = access_token_source(Some("2YotnFZFEjr1zCsicMWpAA"));
        assert_eq!(source.status, SourceStatus::Opaque);
        assert!(
            source.status_detail.contains("an opaque token"),
            "{}",
            source.status_detail
        );
        assert!(
            !source.status_detail.contains("cut off"),
            "{}",
            source.status_detail
        );
        // A broken JWT is still named as one.
        let broken = access_token_source(Some("eyJhbGciOiJSUzI1NiJ9.e30"));
        assert!(
            broken.status_detail.contains("3"),
            "{}",
            broken.status_detail
        );
    }

    #[test]
    fn a_pkce_demand_says_to_turn_pkce_on() {
        for description in [
            "PKCE code challenge is required",
            "Missing parameter: code_challenge",
            "Proof Key for Code Exchange is required for cross-origin authorization code redemption",
        ] {
            let e = provider_error("invalid_request", description);
            let hint = callback_failure(&e, "http://127.0.0.1:1/callback", true).hint;
            assert!(hint.contains("turn Enable PKCE on"), "{description}: {hint}");
        }
        let other = callback_failure(&provider_error("server_error", "boom"), "x", true).hint;
        assert!(!other.contains("see the provider's message"), "{other}");
    }
}
