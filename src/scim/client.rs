//! Requests to a SCIM endpoint through the shared [`HttpClient`], each recorded as an
//! [`Exchange`] for the logs people read: method, path, status, time, and both bodies with the
//! bearer token replaced by `<redacted>` wherever it appears.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use ts_rs::TS;

use crate::directory::EndpointUrl;
use crate::http::{HttpClient, HttpError, HttpResponse};
use crate::sensitive::SecretString;

/// The SCIM media type (RFC 7644 §3.1).
pub const SCIM_MEDIA_TYPE: &str = "application/scim+json";
/// What replaces the token in every log.
pub const REDACTED: &str = "<redacted>";
/// The longest body kept in a log entry; longer ones are cut and say so.
pub const MAX_LOGGED_BODY: usize = 64 * 1024;

/// A validated SCIM base URL ("tenant URL"): https, or http on loopback, without query,
/// fragment or trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Checks a tenant URL.
    pub fn parse(text: &str) -> Result<Self, String> {
        let url = EndpointUrl::parse(text)?;
        if url.url().query().is_some() {
            return Err(format!(
                "\"{}\" has a ?query; the tenant URL is the SCIM base, such as https://app.example.com/scim/v2",
                text.trim()
            ));
        }
        Ok(Self(url.as_str().trim_end_matches('/').to_owned()))
    }

    /// The URL without trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A header as logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimHeader")]
pub struct Header {
    /// Its name.
    pub name: String,
    /// Its value (`Bearer <redacted>` for the token).
    pub value: String,
}

/// One request and its answer, as logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimExchange")]
pub struct Exchange {
    /// GET, POST, PATCH, DELETE.
    pub method: String,
    /// The path and query relative to the base URL, decoded for reading
    /// (`/Users?filter=userName eq "x"`).
    pub path: String,
    /// The exact URL requested.
    pub url: String,
    /// The request headers that matter (the token redacted).
    pub request_headers: Vec<Header>,
    /// The request body, when there is one.
    pub request_body: Option<String>,
    /// The status; `None` when no answer came.
    pub status: Option<u16>,
    /// The status's reason phrase ("Not Found").
    pub reason: Option<String>,
    /// Milliseconds from sending to the last byte (or to the failure).
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// The answer's media type.
    pub response_content_type: Option<String>,
    /// The answer's body (cut after 64 KiB).
    pub response_body: Option<String>,
    /// Why no answer came.
    pub error: Option<String>,
}

impl Exchange {
    /// `GET /Users → 200 OK (12 ms)`.
    pub fn summary(&self) -> String {
        let outcome = match (self.status, &self.error) {
            (Some(status), _) => format!("{status} {}", self.reason.as_deref().unwrap_or_default())
                .trim_end()
                .to_owned(),
            (None, Some(error)) => format!("no answer: {error}"),
            (None, None) => "no answer".into(),
        };
        format!(
            "{} {} → {outcome} ({} ms)",
            self.method, self.path, self.duration_ms
        )
    }
}

/// An answer, parsed as far as it goes, with its log entry.
#[derive(Debug, Clone)]
pub struct Response {
    /// The log entry.
    pub exchange: Exchange,
    /// The raw answer, when one came.
    pub http: Option<HttpResponse>,
    /// The transport failure, when none came.
    pub error: Option<HttpError>,
    /// The body as JSON, when it is JSON.
    pub json: Option<Json>,
}

impl Response {
    /// A request left unsent (its run was cancelled): no answer, and no transport error.
    pub fn not_sent(method: Method, path: &str) -> Self {
        Self {
            exchange: Exchange {
                method: method.to_string(),
                path: path.to_owned(),
                url: String::new(),
                request_headers: Vec::new(),
                request_body: None,
                status: None,
                reason: None,
                duration_ms: 0,
                response_content_type: None,
                response_body: None,
                error: Some("not sent".into()),
            },
            http: None,
            error: None,
            json: None,
        }
    }

    /// The status, when an answer came.
    pub fn status(&self) -> Option<StatusCode> {
        self.http.as_ref().map(|h| h.status)
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        self.status().is_some_and(|s| s.is_success())
    }

    /// The status as a number.
    pub fn code(&self) -> Option<u16> {
        self.status().map(|s| s.as_u16())
    }

    /// The media type of the answer.
    pub fn media_type(&self) -> Option<String> {
        self.http.as_ref().and_then(HttpResponse::media_type)
    }
}

/// A SCIM endpoint with its (optional) bearer token.
#[derive(Debug, Clone)]
pub struct ScimClient {
    http: HttpClient,
    base: BaseUrl,
    token: Option<SecretString>,
}

impl ScimClient {
    /// A client for `base`, sending `token` as a bearer token when given.
    pub fn new(http: HttpClient, base: BaseUrl, token: Option<SecretString>) -> Self {
        let token = token.filter(|t| !t.is_empty());
        Self { http, base, token }
    }

    /// The base URL.
    pub fn base(&self) -> &BaseUrl {
        &self.base
    }

    /// Whether a token is sent.
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// The token sent, so that a report can make sure it appears nowhere in it.
    pub fn token(&self) -> Option<&SecretString> {
        self.token.as_ref()
    }

    /// The request time limit.
    pub fn timeout(&self) -> Duration {
        self.http.limits().total_timeout
    }

    /// The same endpoint under another base URL (used to try candidate base paths).
    pub fn with_base(&self, base: BaseUrl) -> Self {
        Self {
            http: self.http.clone(),
            base,
            token: self.token.clone(),
        }
    }

    /// Replaces the token wherever it appears in `text`.
    pub fn redact(&self, text: &str) -> String {
        match &self.token {
            Some(token) if text.contains(token.expose()) => text.replace(token.expose(), REDACTED),
            _ => text.to_owned(),
        }
    }

    /// `GET path?query`.
    pub async fn get(&self, path: &str, query: &[(&str, &str)]) -> Response {
        self.send(Method::GET, path, query, None, &[]).await
    }

    /// Sends one request. `path` starts with `/` and is relative to the base URL; `query`
    /// pairs are form-encoded; `extra_headers` are added as they are.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Json>,
        extra_headers: &[(&str, &str)],
    ) -> Response {
        let readable = if query.is_empty() {
            path.to_owned()
        } else {
            let pairs: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{path}?{}", pairs.join("&"))
        };
        let url = match url::Url::parse(&format!("{}{path}", self.base.as_str())) {
            Ok(mut url) => {
                if !query.is_empty() {
                    url.query_pairs_mut().extend_pairs(query.iter());
                }
                url.to_string()
            }
            Err(e) => format!("{}{path} ({e})", self.base.as_str()),
        };
        let request_body = body.map(|b| serde_json::to_string_pretty(b).unwrap_or_default());
        let mut headers = vec![Header {
            name: "Accept".into(),
            value: SCIM_MEDIA_TYPE.into(),
        }];
        let mut request = self
            .http
            .request(method.clone(), &url)
            .header(reqwest::header::ACCEPT, SCIM_MEDIA_TYPE);
        if let Some(token) = &self.token {
            // reqwest marks this header sensitive, so its own debug output never shows it.
            request = request.bearer_auth(token.expose());
            headers.push(Header {
                name: "Authorization".into(),
                value: format!("Bearer {REDACTED}"),
            });
        }
        if let Some(text) = &request_body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, SCIM_MEDIA_TYPE)
                .body(text.clone());
            headers.push(Header {
                name: "Content-Type".into(),
                value: SCIM_MEDIA_TYPE.into(),
            });
        }
        for (name, value) in extra_headers {
            request = request.header(*name, *value);
            headers.push(Header {
                name: (*name).to_owned(),
                value: (*value).to_owned(),
            });
        }
        let started = std::time::Instant::now();
        let result = self.http.send(request).await;
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let mut exchange = Exchange {
            method: method.to_string(),
            path: readable,
            url,
            request_headers: headers,
            request_body: request_body.map(|b| self.redact(&b)),
            status: None,
            reason: None,
            duration_ms,
            response_content_type: None,
            response_body: None,
            error: None,
        };
        match result {
            Ok(http) => {
                exchange.status = Some(http.status.as_u16());
                exchange.reason = http.status.canonical_reason().map(str::to_owned);
                exchange.duration_ms = u64::try_from(http.elapsed.as_millis()).unwrap_or(u64::MAX);
                exchange.response_content_type = http
                    .headers
                    .get(reqwest::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                if !http.body.is_empty() {
                    exchange.response_body = Some(self.redact(&cut(&http.text())));
                }
                let json = serde_json::from_slice(&http.body).ok();
                tracing::debug!(method = %exchange.method, path = %exchange.path, status = http.status.as_u16(), "SCIM request");
                Response {
                    exchange,
                    http: Some(http),
                    error: None,
                    json,
                }
            }
            Err(error) => {
                exchange.error = Some(self.redact(&error.to_string()));
                tracing::debug!(method = %exchange.method, path = %exchange.path, error = %exchange.error.as_deref().unwrap_or_default(), "SCIM request failed");
                Response {
                    exchange,
                    http: None,
                    error: Some(error),
                    json: None,
                }
            }
        }
    }
}

fn cut(text: &str) -> String {
    if text.len() <= MAX_LOGGED_BODY {
        return text.to_owned();
    }
    let mut end = MAX_LOGGED_BODY;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}\n… ({} more bytes not shown)",
        &text[..end],
        text.len() - end
    )
}

/// The `detail` (and `scimType`) of a SCIM error body, when the answer is one.
pub fn error_detail(json: Option<&Json>) -> Option<String> {
    let json = json?;
    let detail = super::path::field(json, "detail")
        .and_then(Json::as_str)
        .map(str::to_owned)
        .or_else(|| {
            super::path::field(json, "message")
                .and_then(Json::as_str)
                .map(str::to_owned)
        })
        .filter(|d| !d.trim().is_empty())?;
    match super::path::field(json, "scimType").and_then(Json::as_str) {
        Some(kind) => Some(format!("{detail} (scimType {kind})")),
        None => Some(detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_follow_the_endpoint_rules_and_lose_their_trailing_slash() {
        assert_eq!(
            BaseUrl::parse("https://app.example.com/scim/v2/")
                .unwrap()
                .as_str(),
            "https://app.example.com/scim/v2"
        );
        assert!(BaseUrl::parse("http://app.example.com/scim").is_err());
        assert!(BaseUrl::parse("http://127.0.0.1:8080").is_ok());
        assert!(BaseUrl::parse("https://app.example.com/scim?tenant=1")
            .unwrap_err()
            .contains("?query"));
    }

    #[test]
    fn the_token_is_redacted_wherever_it_appears() {
        let client = ScimClient::new(
            HttpClient::standard().unwrap(),
            BaseUrl::parse("https://app.example.com").unwrap(),
            Some(SecretString::new("tok-123456")),
        );
        assert_eq!(
            client.redact("{\"echo\": \"Bearer tok-123456\"}"),
            "{\"echo\": \"Bearer <redacted>\"}"
        );
    }
}
