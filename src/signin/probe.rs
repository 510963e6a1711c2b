//! The client secret probe: one token request with an authorization code that cannot be valid,
//! authenticated as the directory authenticates (in the body or with HTTP Basic). A provider
//! authenticates the client before it looks at the code (RFC 6749 §5.2), so `invalid_grant`
//! says the secret was accepted, and `invalid_client` or a 401 that it was refused. Any other
//! answer proves nothing either way and is reported as unknown, with the provider's own words:
//! `unauthorized_client` among them, which Microsoft Entra also gives for an application ID it
//! does not know. No user signs in, and nothing is stored at the provider.

use std::time::Instant;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::exchange::{exchange, ExchangeError, TokenRequest};
use crate::directory::DirectoryDocument;
use crate::http::HttpClient;
use crate::sensitive::SecretString;

/// What the probe found out about the client secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProbeVerdict {
    /// The provider authenticated the client: the secret works.
    Accepted,
    /// The provider refused the client's credentials.
    Refused,
    /// The answer does not say whether the secret works.
    Unknown,
    /// No secret is stored, so nothing was sent.
    NoSecret,
}

impl ProbeVerdict {
    /// In people's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Accepted => "secret accepted",
            Self::Refused => "secret refused",
            Self::Unknown => "secret not confirmed",
            Self::NoSecret => "no secret stored",
        }
    }

    /// The word stored for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Refused => "refused",
            Self::Unknown => "unknown",
            Self::NoSecret => "no_secret",
        }
    }

    /// The verdict [`as_str`](Self::as_str) wrote.
    pub fn parse(word: &str) -> Option<Self> {
        [Self::Accepted, Self::Refused, Self::Unknown, Self::NoSecret]
            .into_iter()
            .find(|v| v.as_str() == word)
    }
}

/// The outcome of one probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "SecretProbe")]
pub struct SecretProbe {
    /// What it found out.
    pub verdict: ProbeVerdict,
    /// The token endpoint's HTTP status, when it answered.
    pub status: Option<u16>,
    /// Its OAuth `error`, when it gave one.
    pub error: Option<String>,
    /// Its `error_description`, when it gave one.
    pub error_description: Option<String>,
    /// What the answer means and what to do, in a sentence.
    pub message: String,
    /// How long the request took, in milliseconds.
    pub elapsed_ms: u32,
}

impl SecretProbe {
    /// The verdict when the provider could not be asked at all (the secret could not be read):
    /// unknown, with why.
    pub fn unasked(message: impl Into<String>) -> Self {
        Self::new(ProbeVerdict::Unknown, message)
    }

    fn new(verdict: ProbeVerdict, message: impl Into<String>) -> Self {
        Self {
            verdict,
            status: None,
            error: None,
            error_description: None,
            message: message.into(),
            elapsed_ms: 0,
        }
    }
}

/// Asks the token endpoint of `directory` whether it accepts `secret`; `None` when no secret is
/// stored, in which case nothing is sent.
pub async fn probe_secret(
    client: &HttpClient,
    directory: &DirectoryDocument,
    secret: Option<&SecretString>,
) -> SecretProbe {
    let Some(secret) = secret.filter(|s| !s.expose().is_empty()) else {
        return SecretProbe::new(
            ProbeVerdict::NoSecret,
            "no client secret is stored for this directory, so nothing was sent: enter the secret in the directory and save",
        );
    };
    let code = format!("sso-console-probe-{}", uuid::Uuid::new_v4().simple());
    let verifier = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let redirect_uri = format!(
        "http://127.0.0.1{}/callback",
        directory
            .test_redirect_port
            .map(|p| format!(":{p}"))
            .unwrap_or_default()
    );
    let request = TokenRequest {
        token_url: &directory.token_url,
        code: &code,
        redirect_uri: &redirect_uri,
        client_id: &directory.client_id,
        client_secret: secret,
        basic_auth: directory.token_endpoint_basic_auth,
        code_verifier: directory.pkce.then_some(verifier.as_str()),
    };
    let started = Instant::now();
    let answer = exchange(client, &request).await;
    let elapsed_ms = u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
    let scrub = |text: &str| text.replace(secret.expose(), "(removed)");
    let mut probe = judge(answer, directory.token_endpoint_basic_auth);
    probe.elapsed_ms = elapsed_ms;
    probe.error_description = probe.error_description.as_deref().map(scrub);
    probe.message = scrub(&probe.message);
    probe
}

/// What the token endpoint's answer to a made-up code says about the secret.
fn judge(
    answer: Result<serde_json::Map<String, serde_json::Value>, ExchangeError>,
    basic_auth: bool,
) -> SecretProbe {
    let how = if basic_auth {
        "HTTP Basic"
    } else {
        "the request body"
    };
    match answer {
        Ok(_) => SecretProbe::new(
            ProbeVerdict::Unknown,
            "the token endpoint issued tokens for a made-up authorization code, which no provider should do: check that the Token URL is the provider's",
        ),
        Err(ExchangeError::Refused {
            status,
            error,
            description,
        }) => {
            let (verdict, message) = match error.as_str() {
                "invalid_grant" => (
                    ProbeVerdict::Accepted,
                    format!("the provider authenticated the client (credentials in {how}) and refused only the made-up code: the secret works"),
                ),
                "invalid_client" => (
                    ProbeVerdict::Refused,
                    format!("the provider refused the client's credentials (sent in {how}): the secret is wrong or has expired, or the provider expects the other authentication method; create a new secret at the provider, store it here, and check again"),
                ),
                // The standard means "authenticated, but not allowed this grant"; Entra also
                // says it of an application it does not know, before any secret is looked at.
                "unauthorized_client" => (
                    ProbeVerdict::Unknown,
                    format!("the provider answered {status} unauthorized_client: either the client may not use the authorization code grant, or (Microsoft Entra) the provider does not know this client ID, so whether the secret works is not known; check the client ID and the application's allowed grants, and run a test sign-in to be sure"),
                ),
                _ if status == 401 => (
                    ProbeVerdict::Refused,
                    format!("the provider answered 401 {error}: it did not authenticate the client (credentials in {how}); check the client ID and secret"),
                ),
                _ => (
                    ProbeVerdict::Unknown,
                    format!("the provider answered {status} {error}, which does not say whether the secret works; read its description, and run a test sign-in to be sure"),
                ),
            };
            SecretProbe {
                verdict,
                status: Some(status),
                error: Some(error),
                error_description: description,
                message,
                elapsed_ms: 0,
            }
        }
        Err(ExchangeError::Unreadable { status, what }) => {
            let (verdict, message) = if status == 401 {
                (
                    ProbeVerdict::Refused,
                    format!("the provider answered 401 with {what}: it did not authenticate the client; check the client ID and secret"),
                )
            } else {
                (
                    ProbeVerdict::Unknown,
                    format!("the token endpoint answered {status} with {what}, which does not say whether the secret works: check the Token URL, or try again later if the provider is failing"),
                )
            };
            SecretProbe {
                status: Some(status),
                ..SecretProbe::new(verdict, message)
            }
        }
        Err(ExchangeError::Http(e)) => SecretProbe::new(
            ProbeVerdict::Unknown,
            format!("the token endpoint could not be asked ({e}), so whether the secret works is not known: check the Token URL and the network"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(
        status: u16,
        error: &str,
    ) -> Result<serde_json::Map<String, serde_json::Value>, ExchangeError> {
        Err(ExchangeError::Refused {
            status,
            error: error.to_owned(),
            description: Some("why".to_owned()),
        })
    }

    #[test]
    fn each_answer_is_judged_without_guessing() {
        let cases = [
            (refused(400, "invalid_grant"), ProbeVerdict::Accepted),
            (refused(400, "unauthorized_client"), ProbeVerdict::Unknown),
            (refused(401, "invalid_client"), ProbeVerdict::Refused),
            (refused(400, "invalid_client"), ProbeVerdict::Refused),
            (refused(401, "access_denied"), ProbeVerdict::Refused),
            (refused(400, "invalid_request"), ProbeVerdict::Unknown),
            (
                refused(400, "unsupported_grant_type"),
                ProbeVerdict::Unknown,
            ),
            (
                Err(ExchangeError::Unreadable {
                    status: 500,
                    what: "an HTML page".into(),
                }),
                ProbeVerdict::Unknown,
            ),
            (
                Err(ExchangeError::Unreadable {
                    status: 401,
                    what: "text/plain content".into(),
                }),
                ProbeVerdict::Refused,
            ),
            (Ok(serde_json::Map::new()), ProbeVerdict::Unknown),
        ];
        for (answer, verdict) in cases {
            let what = format!("{answer:?}");
            assert_eq!(judge(answer, false).verdict, verdict, "{what}");
        }
    }
}
