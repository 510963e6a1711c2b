//! One test sign-in attempt: prepared (listener bound, URL built), then completed step by step
//! — the redirect back, the code exchange, the ID token checks and userinfo.

use std::future::Future;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use super::advice::register_advice;
use super::callback::{callback_failure, redirect_issuer_check, response_mode_check};
use super::exchange::{exchange, ExchangeError, TokenRequest};
use super::keys::{fetch_keys, ProviderKeys};
use super::listener::{BrowserReply, CallbackError, CallbackListener};
use super::request::{authorization_url, AttemptSecrets};
use super::result::{
    SignInResult, SignInStep, SignInTimings, SourceClaims, SourceStatus, StepFailure,
};
use super::tokens::{access_token_source, id_token_source};
use super::userinfo::{fetch_userinfo, userinfo_subject_check};
use super::verify::{Check, CheckName, CheckOutcome};
use crate::directory::Directory;
use crate::http::HttpClient;
use crate::sensitive::SecretString;

/// How long a person has to sign in unless told otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

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
                        name: CheckName::IdToken,
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
