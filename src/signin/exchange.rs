//! The token request (RFC 6749 §4.1.3): the authorization code for tokens, authenticating with
//! client_secret_post or HTTP Basic.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use reqwest::header;
use serde_json::{Map, Value};

use crate::http::{HttpClient, HttpError};
use crate::sensitive::SecretString;

/// What the token request needs.
pub struct TokenRequest<'a> {
    /// The token endpoint.
    pub token_url: &'a str,
    /// The authorization code.
    pub code: &'a str,
    /// The redirect URI sent in the authorization request.
    pub redirect_uri: &'a str,
    /// The client id.
    pub client_id: &'a str,
    /// The client secret.
    pub client_secret: &'a SecretString,
    /// HTTP Basic instead of the request body.
    pub basic_auth: bool,
    /// The PKCE verifier, when PKCE is on.
    pub code_verifier: Option<&'a str>,
}

/// Why the token request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExchangeError {
    /// The network failed.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The provider refused, with an OAuth error.
    #[error("the token endpoint answered {status} {error}{}", .description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Refused {
        /// HTTP status.
        status: u16,
        /// `error`.
        error: String,
        /// `error_description`.
        description: Option<String>,
    },
    /// The answer is not the JSON the specification requires.
    #[error("the token endpoint answered {status} with {what}, not a JSON token response")]
    Unreadable {
        /// HTTP status.
        status: u16,
        /// What came instead.
        what: String,
    },
}

impl ExchangeError {
    /// The error with each of `values` (the code, the verifier) replaced wherever the
    /// provider's words repeat it.
    pub(super) fn without(self, values: &[Option<&str>]) -> Self {
        let scrub = |mut text: String| {
            for value in values.iter().flatten().filter(|v| !v.is_empty()) {
                if text.contains(value) {
                    text = text.replace(value, super::trace::REMOVED);
                }
            }
            text
        };
        match self {
            Self::Refused {
                status,
                error,
                description,
            } => Self::Refused {
                status,
                error: scrub(error),
                description: description.map(scrub),
            },
            Self::Unreadable { status, what } => Self::Unreadable {
                status,
                what: scrub(what),
            },
            other => other,
        }
    }

    /// A concrete hint for the person.
    pub fn hint(&self, basic_auth: bool) -> String {
        match self {
            // RFC 6749 §5.2: the client authenticated, but may not use this grant.
            Self::Refused { error, .. } if error == "unauthorized_client" => "the provider does not let this client use the authorization code grant: allow it for this client at the provider".into(),
            Self::Refused { error, .. } if error == "invalid_client" => format!(
                "the provider rejected the client credentials: check the client ID and secret (has the secret expired?), and whether the provider expects {} authentication — try turning Token Endpoint Basic Auth {}",
                if basic_auth { "post" } else { "Basic" },
                if basic_auth { "off" } else { "on" }
            ),
            Self::Refused { error, .. } if error == "invalid_grant" => "the provider refused the authorization code: it expired or was used already, or the redirect URI or PKCE verifier differ from the authorization request — start the test again".into(),
            Self::Refused { description, .. } if super::mentions_pkce(description.as_deref()) => super::PKCE_ADVICE.into(),
            Self::Refused { .. } => "the provider's message above says what it refused: fix that at the provider or in this directory, then test again".into(),
            Self::Unreadable { status, .. } if *status >= 500 => "the provider's token endpoint failed; try again later or check the provider's logs".into(),
            Self::Unreadable { .. } => "check the Token URL: it does not point at the provider's token endpoint".into(),
            Self::Http(_) => "check the Token URL and the network".into(),
        }
    }
}

/// RFC 6749 §2.3.1: client id and secret are form-encoded before Basic encoding.
fn basic_credentials(client_id: &str, secret: &str) -> String {
    let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", encode(client_id), encode(secret)))
    )
}

/// Exchanges the code; returns the token response's JSON object.
pub async fn exchange(
    client: &HttpClient,
    request: &TokenRequest<'_>,
) -> Result<Map<String, Value>, ExchangeError> {
    let mut form: Vec<(&str, &str)> = vec![
        ("grant_type", "authorization_code"),
        ("code", request.code),
        ("redirect_uri", request.redirect_uri),
    ];
    if let Some(verifier) = request.code_verifier {
        form.push(("code_verifier", verifier));
    }
    let mut builder = client
        .request(reqwest::Method::POST, request.token_url)
        .header(header::ACCEPT, "application/json");
    if request.basic_auth {
        builder = builder.header(
            header::AUTHORIZATION,
            basic_credentials(request.client_id, request.client_secret.expose()),
        );
    } else {
        form.push(("client_id", request.client_id));
        form.push(("client_secret", request.client_secret.expose()));
    }
    let response = client.send(builder.form(&form)).await?;
    let status = response.status.as_u16();
    let json: Option<Map<String, Value>> = serde_json::from_slice(&response.body).ok();
    match json {
        Some(map) if response.status.is_success() => Ok(map),
        Some(map) if map.get("error").and_then(Value::as_str).is_some() => {
            Err(ExchangeError::Refused {
                status,
                error: map
                    .get("error")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                description: map
                    .get("error_description")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            })
        }
        _ => {
            let media = response
                .media_type()
                .unwrap_or_else(|| "no content type".into());
            let what = if media == "text/html" {
                "an HTML page".to_owned()
            } else {
                format!("{media} content")
            };
            Err(ExchangeError::Unreadable { status, what })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_form_encoded_first() {
        // RFC 6749 §2.3.1: "a b:c" → "a+b%3Ac" before base64.
        let header = basic_credentials("my client", "p@ss:wörd");
        let decoded = String::from_utf8(
            STANDARD
                .decode(header.trim_start_matches("Basic "))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(decoded, "my+client:p%40ss%3Aw%C3%B6rd");
    }

    #[test]
    fn hints_name_the_likely_cause() {
        let refused = |e: &str| ExchangeError::Refused {
            status: 401,
            error: e.into(),
            description: None,
        };
        assert!(refused("invalid_client")
            .hint(false)
            .contains("rejected the client credentials"));
        assert!(refused("invalid_client")
            .hint(false)
            .contains("turning Token Endpoint Basic Auth on"));
        assert!(refused("invalid_grant")
            .hint(false)
            .contains("authorization code"));
        assert!(refused("unauthorized_client")
            .hint(false)
            .contains("authorization code grant"));
        let html = ExchangeError::Unreadable {
            status: 500,
            what: "an HTML page".into(),
        };
        assert!(html.hint(false).contains("failed"));
        let pkce = ExchangeError::Refused {
            status: 400,
            error: "invalid_request".into(),
            description: Some("Proof Key for Code Exchange is required".into()),
        };
        assert!(pkce.hint(false).contains("turn Enable PKCE on"));
    }
}
