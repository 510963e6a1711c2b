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
use super::trace::{
    is_credential, parameter, query_parameters, removed_with_length, token_response_parameters,
    SignInTrace, TraceClock, TraceStep, TraceStepKind, REMOVED,
};
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
    clock: TraceClock,
    started_at: String,
    authorization_step: TraceStep,
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
        let clock = TraceClock::start();
        let prepared = Instant::now();
        let started_at = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let listener = CallbackListener::bind(directory.test_redirect_port).await?;
        let redirect_uri = listener.redirect_uri();
        let secrets = AttemptSecrets::generate(directory.pkce);
        let authorization_url = authorization_url(&directory, &redirect_uri, &secrets);
        let authorization_step = clock.step(
            TraceStepKind::AuthorizationRequest,
            prepared,
            Some(("GET", &authorization_url)),
            (query_parameters(&authorization_url), Vec::new()),
            Ok(if secrets.code_verifier.is_some() {
                "built with a fresh state, nonce and PKCE challenge (the verifier stays in the console)".to_owned()
            } else {
                "built with a fresh state and nonce, without PKCE".to_owned()
            }),
        );
        Ok(Self {
            directory,
            secret,
            secrets,
            listener,
            redirect_uri,
            authorization_url,
            browser_opened: true,
            clock,
            started_at,
            authorization_step,
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
    /// sign-in. The key set is fetched while the person signs in. The result carries the trace
    /// of every step taken.
    pub async fn complete(
        self,
        client: &HttpClient,
        timeout: Duration,
        cancel: impl Future<Output = Interruption>,
    ) -> SignInResult {
        let started_at = self.started_at.clone();
        let mut steps = vec![self.authorization_step.clone()];
        let mut result = self.run(client, timeout, cancel, &mut steps).await;
        steps.sort_by(|a, b| a.started_ms.total_cmp(&b.started_ms));
        result.trace = SignInTrace { started_at, steps };
        result
    }

    async fn run(
        self,
        client: &HttpClient,
        timeout: Duration,
        cancel: impl Future<Output = Interruption>,
        steps: &mut Vec<TraceStep>,
    ) -> SignInResult {
        let Self {
            directory,
            secret,
            secrets,
            listener,
            redirect_uri,
            browser_opened,
            clock,
            ..
        } = self;
        let fixed_port = directory.test_redirect_port.is_some();
        let key_set = tokio::spawn(fetch_keys(client.clone(), directory.clone(), clock.clone()));
        let mut result = empty_result(&directory, &redirect_uri);
        let stale_callbacks = listener.stale_callbacks();
        let waiting = Instant::now();
        let callback_step = |steps: &mut Vec<TraceStep>, received, outcome| {
            steps.push(clock.step(
                TraceStepKind::Callback,
                waiting,
                None,
                (Vec::new(), received),
                outcome,
            ));
        };
        let waited = tokio::select! {
            outcome = listener.wait(&secrets.state) => Some(outcome),
            () = tokio::time::sleep(timeout) => None,
            Interruption::Cancelled = cancel => {
                key_set.abort();
                result.failure = Some(failure(SignInStep::Browser, super::result::CANCELLED, "start it again when ready"));
                callback_step(steps, Vec::new(), Err("the test sign-in was cancelled before the provider redirected back".to_owned()));
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
            let message = result.failure.as_ref().map(|f| f.message.clone());
            callback_step(steps, Vec::new(), Err(message.unwrap_or_default()));
            return result;
        };
        let callback_at = Instant::now();
        let callback = match callback {
            Ok(c) => c,
            Err(e) => {
                key_set.abort();
                let failed = callback_failure(&e, &redirect_uri, fixed_port);
                let received = [
                    ("error", &failed.provider_error),
                    ("error_description", &failed.provider_error_description),
                ]
                .into_iter()
                .filter_map(|(name, value)| Some(parameter(name, value.clone()?)))
                .collect();
                callback_step(steps, received, Err(failed.message.clone()));
                result.failure = Some(failed);
                finish(reply, &result).await;
                return result;
            }
        };
        let iss_check = redirect_issuer_check(&callback, &directory);
        let mut received = vec![
            removed_with_length("code", &callback.code),
            parameter("state", "(matches this test's)"),
        ];
        received.extend(
            callback
                .iss
                .as_ref()
                .map(|iss| parameter("iss", iss.clone())),
        );
        // Whatever else came, as it came; a token sent here by mistake is not kept.
        received.extend(callback.other.iter().map(|(name, value)| {
            if is_credential(name) {
                parameter(name, REMOVED)
            } else {
                parameter(name, value.clone())
            }
        }));
        let how = match callback.method {
            super::CallbackMethod::Get => "a GET with the parameters in the query",
            super::CallbackMethod::Post => "a POST with the parameters as a form",
        };
        let refused = iss_check
            .as_ref()
            .filter(|c| c.outcome == CheckOutcome::Fail);
        callback_step(
            steps,
            received,
            match refused {
                Some(check) => Err(check.detail.clone()),
                None => Ok(format!("received as {how}")),
            },
        );
        if let Some(check) = refused {
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
        // A provider that repeats the code or the verifier in its error does not put them in
        // the result, which a report may carry.
        let exchanged = exchange(client, &request).await.map_err(|e| {
            e.without(&[
                Some(callback.code.as_str()),
                secrets.code_verifier.as_deref(),
            ])
        });
        steps.push(token_step(&clock, token_started, &request, &exchanged));
        let tokens = match exchanged {
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
            .filter(|(k, _)| {
                !matches!(k.as_str(), "access_token" | "id_token") && !is_credential(k)
            })
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
                trace: Vec::new(),
            });
            (keys, ms(started.elapsed()))
        };
        let ((userinfo, userinfo_ms), (keys, key_set_wait_ms)) = tokio::join!(userinfo, keys_wait);
        steps.extend(keys.trace.iter().cloned());
        steps.extend(userinfo_step(
            &clock,
            userinfo_started,
            &directory,
            &userinfo,
        ));
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
        steps.push(verification_step(&clock, processing, &result.checks));
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

/// The token request as the trace shows it: the parameters sent with every secret removed, and
/// the answer's fields without the tokens.
fn token_step(
    clock: &TraceClock,
    started: Instant,
    request: &TokenRequest<'_>,
    answer: &Result<Map<String, Value>, ExchangeError>,
) -> TraceStep {
    let mut sent = vec![
        parameter("grant_type", "authorization_code"),
        removed_with_length("code", request.code),
        parameter("redirect_uri", request.redirect_uri),
    ];
    if request.code_verifier.is_some() {
        sent.push(parameter("code_verifier", REMOVED));
    }
    if request.basic_auth {
        sent.push(parameter(
            "Authorization",
            format!(
                "Basic (removed: client ID \"{}\" and the client secret)",
                request.client_id
            ),
        ));
    } else {
        sent.push(parameter("client_id", request.client_id));
        sent.push(parameter("client_secret", REMOVED));
    }
    let (received, outcome) = match answer {
        Ok(tokens) => (
            token_response_parameters(tokens),
            Ok("the provider answered with tokens".to_owned()),
        ),
        Err(e) => {
            let received = match e {
                ExchangeError::Refused {
                    error, description, ..
                } => std::iter::once(parameter("error", error.clone()))
                    .chain(
                        description
                            .iter()
                            .map(|d| parameter("error_description", d.clone())),
                    )
                    .collect(),
                _ => Vec::new(),
            };
            (received, Err(e.to_string()))
        }
    };
    clock.step(
        TraceStepKind::TokenRequest,
        started,
        Some(("POST", request.token_url)),
        (sent, received),
        outcome,
    )
}

/// The userinfo request, when one was sent.
fn userinfo_step(
    clock: &TraceClock,
    started: Instant,
    directory: &Directory,
    answer: &SourceClaims,
) -> Option<TraceStep> {
    if answer.status == SourceStatus::NotRequested {
        return None;
    }
    let url = directory.userinfo_url.as_ref()?.to_string();
    let outcome = match answer.status {
        SourceStatus::Failed => Err(answer.status_detail.clone()),
        _ => Ok(answer.status_detail.clone()),
    };
    Some(clock.step(
        TraceStepKind::Userinfo,
        started,
        Some(("GET", &url)),
        (
            vec![parameter(
                "Authorization",
                "Bearer (removed: the access token)",
            )],
            Vec::new(),
        ),
        outcome,
    ))
}

/// The ID token checks, counted.
fn verification_step(clock: &TraceClock, started: Instant, checks: &[Check]) -> TraceStep {
    let count = |o: CheckOutcome| checks.iter().filter(|c| c.outcome == o).count();
    let summary = format!(
        "{} checks: {} passed, {} failed, {} warned, {} skipped",
        checks.len(),
        count(CheckOutcome::Pass),
        count(CheckOutcome::Fail),
        count(CheckOutcome::Warn),
        count(CheckOutcome::Skip)
    );
    let outcome = if count(CheckOutcome::Fail) == 0 {
        Ok(summary)
    } else {
        Err(summary)
    };
    clock.step(
        TraceStepKind::Verification,
        started,
        None,
        (Vec::new(), Vec::new()),
        outcome,
    )
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
        trace: SignInTrace::default(),
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
