//! The trace of a test sign-in (C16): each step with its timing and the parameters sent and
//! received, kept in memory with the result. Secret values never enter it: the code is replaced
//! by its length, the PKCE verifier, the client secret and the refresh token by a note.

use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

/// What a trace step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TraceStepKind {
    /// The authorization request opened in the browser.
    AuthorizationRequest,
    /// The provider's redirect back to the console.
    Callback,
    /// The provider's discovery document, read for its signing algorithms.
    ProviderMetadata,
    /// The provider's key set.
    KeySet,
    /// The code exchanged for tokens.
    TokenRequest,
    /// The userinfo request.
    Userinfo,
    /// The ID token checks.
    Verification,
}

impl TraceStepKind {
    /// The step in people's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::AuthorizationRequest => "Authorization request",
            Self::Callback => "Redirect back",
            Self::ProviderMetadata => "Provider metadata",
            Self::KeySet => "Key set",
            Self::TokenRequest => "Token request",
            Self::Userinfo => "Userinfo",
            Self::Verification => "Verification",
        }
    }
}

/// One parameter of a step, its value as shown (a secret's value is never kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TraceParameter {
    /// The parameter's name.
    pub name: String,
    /// Its value, or a note in parentheses saying why it is not shown.
    pub value: String,
}

/// One step of a test sign-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TraceStep {
    /// What the step did.
    pub kind: TraceStepKind,
    /// When it started, in milliseconds after the test was prepared.
    pub started_ms: f64,
    /// How long it took, in milliseconds.
    pub duration_ms: f64,
    /// The HTTP method, for a request.
    pub method: Option<String>,
    /// The URL, without its query.
    pub url: Option<String>,
    /// The parameters and headers sent.
    pub sent: Vec<TraceParameter>,
    /// The parameters received: the redirect's, the token response's fields.
    pub received: Vec<TraceParameter>,
    /// Whether the step went as it should.
    pub ok: bool,
    /// What happened, in a sentence.
    pub outcome: String,
}

/// The steps of a test sign-in, in the order they started.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignInTrace {
    /// When the test was prepared (RFC 3339, UTC).
    pub started_at: String,
    /// Every step taken.
    pub steps: Vec<TraceStep>,
}

/// The note that replaces a secret's value.
pub(super) const REMOVED: &str = "(removed: a secret)";

/// A parameter whose value is a one-time secret: only its length is kept.
pub(super) fn removed_with_length(name: &str, value: &str) -> TraceParameter {
    TraceParameter {
        name: name.to_owned(),
        value: format!("(removed: {} characters)", value.chars().count()),
    }
}

/// A parameter shown as it is.
pub(super) fn parameter(name: &str, value: impl Into<String>) -> TraceParameter {
    TraceParameter {
        name: name.to_owned(),
        value: value.into(),
    }
}

/// Records steps against the moment the test was prepared.
#[derive(Debug, Clone)]
pub(super) struct TraceClock {
    origin: Instant,
}

impl TraceClock {
    pub(super) fn start() -> Self {
        Self {
            origin: Instant::now(),
        }
    }

    /// A step that started at `started` and ends now.
    pub(super) fn step(
        &self,
        kind: TraceStepKind,
        started: Instant,
        request: Option<(&str, &str)>,
        (sent, received): (Vec<TraceParameter>, Vec<TraceParameter>),
        outcome: Result<String, String>,
    ) -> TraceStep {
        let (ok, outcome) = match outcome {
            Ok(o) => (true, o),
            Err(o) => (false, o),
        };
        TraceStep {
            kind,
            started_ms: ms(started.saturating_duration_since(self.origin)),
            duration_ms: ms(started.elapsed()),
            method: request.map(|(m, _)| m.to_owned()),
            url: request.map(|(_, u)| without_query(u)),
            sent,
            received,
            ok,
            outcome,
        }
    }
}

fn ms(d: std::time::Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

/// The URL without its query and fragment, which the step's parameters show instead.
pub(super) fn without_query(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            u.set_query(None);
            u.set_fragment(None);
            u.to_string()
        }
        Err(_) => url.split(['?', '#']).next().unwrap_or_default().to_owned(),
    }
}

/// The query parameters of `url`, as sent.
pub(super) fn query_parameters(url: &str) -> Vec<TraceParameter> {
    url::Url::parse(url)
        .map(|u| {
            u.query_pairs()
                .map(|(k, v)| parameter(&k, v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// The token response as the trace shows it: every field, with the tokens replaced by where
/// they are shown and the refresh token removed.
/// A token response member that carries a credential: a refresh token, any other `*_token`
/// (an issued token of token exchange), and anything named a secret (OpenID Native SSO's
/// `device_secret`). Only `access_token` and `id_token` are shown, decoded, elsewhere.
pub(super) fn is_credential(name: &str) -> bool {
    name.ends_with("_token") || name.contains("secret")
}

pub(super) fn token_response_parameters(tokens: &Map<String, Value>) -> Vec<TraceParameter> {
    tokens
        .iter()
        .map(|(name, value)| match name.as_str() {
            "access_token" => parameter(
                name,
                "(shown under Access Token; the token itself is not kept)",
            ),
            "id_token" => parameter(
                name,
                "(shown under ID Token as its header and claims; its signature is not kept)",
            ),
            _ if is_credential(name) => parameter(name, REMOVED),
            _ => parameter(
                name,
                match value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                },
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_response_keeps_no_token() {
        let tokens: Map<String, Value> = serde_json::from_str(
            r#"{"access_token":"AT-secret","id_token":"a.b.c","refresh_token":"RT-secret","device_secret":"DS-secret","issued_token":"IT-secret","expires_in":3600,"token_type":"Bearer"}"#,
        )
        .unwrap();
        let shown = serde_json::to_string(&token_response_parameters(&tokens)).unwrap();
        for secret in ["AT-secret", "a.b.c", "RT-secret", "DS-secret", "IT-secret"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(
            shown.contains("3600") && shown.contains("Bearer"),
            "{shown}"
        );
    }

    #[test]
    fn a_url_is_shown_without_its_query() {
        assert_eq!(
            without_query("https://p.example/authorize?client_id=a&state=b#x"),
            "https://p.example/authorize"
        );
        assert_eq!(without_query("not a url?x=1"), "not a url");
        assert_eq!(
            query_parameters("https://p.example/a?scope=openid%20email"),
            vec![parameter("scope", "openid email")]
        );
    }
}
