//! The one HTTP client every network step goes through (DESIGN §4, §6): connect and total
//! timeouts, a body-size limit on every read, no automatic redirects (a redirect is reported, not
//! followed, so a provider cannot bounce us to another host or to plain http), and a user agent.
//!
//! TLS trusts the operating system's certificate store (where a company CA or a TLS-inspecting
//! proxy's root is installed) as well as the bundled Mozilla roots. An untrusted certificate is
//! reported with the host and what to do, not as a raw TLS error.

use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

/// Limits applied to every request.
#[derive(Debug, Clone, Copy)]
pub struct HttpLimits {
    /// Time allowed to open the connection.
    pub connect_timeout: Duration,
    /// Time allowed for the whole exchange, body included.
    pub total_timeout: Duration,
    /// Largest body read; a larger answer is refused.
    pub max_body_bytes: usize,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            total_timeout: Duration::from_secs(15),
            max_body_bytes: 1024 * 1024,
        }
    }
}

/// A network failure, naming the URL and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    /// The URL cannot be requested at all.
    #[error("{url} is not a URL that can be fetched: {detail}")]
    BadUrl {
        /// The URL.
        url: String,
        /// Why.
        detail: String,
    },
    /// No connection could be made.
    #[error("cannot connect to {url}: {detail}. Check the host name and port, and that the server is running")]
    Connect {
        /// The URL.
        url: String,
        /// The system's account.
        detail: String,
    },
    /// The answer did not complete in time.
    #[error("{url} did not answer within {} s; the server is slow or unreachable — try again later", .after.as_secs())]
    Timeout {
        /// The URL.
        url: String,
        /// The limit that was reached.
        after: Duration,
    },
    /// The body is larger than allowed.
    #[error("the answer from {url} is larger than {} KiB; this is not the document expected", .limit / 1024)]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit in bytes.
        limit: usize,
    },
    /// The server's TLS certificate was refused.
    #[error("the TLS certificate of {host} {problem}")]
    Certificate {
        /// The URL.
        url: String,
        /// The host whose certificate it is.
        host: String,
        /// What is wrong with it and what to do, in words.
        problem: String,
    },
    /// The console's network rule refused the URL; nothing was sent.
    #[error("{url} was not fetched: {why}")]
    Refused {
        /// The URL.
        url: String,
        /// Which part of the rule it breaks, and what to do.
        why: String,
    },
    /// The client itself could not be set up, so no request can be made.
    #[error("the console cannot make network requests on this computer: {detail}. Check that the system's TLS libraries and certificate store are intact, then start the console again")]
    Setup {
        /// The TLS backend's account.
        detail: String,
    },
    /// Any other transport failure (reset connection, protocol error…).
    #[error("request to {url} failed: {detail}")]
    Transport {
        /// The URL.
        url: String,
        /// The transport's account.
        detail: String,
    },
}

/// A complete answer: status, headers and the (size-limited) body. Its `Debug` shows neither
/// the body nor the header values, which can hold tokens and cookies.
#[derive(Clone)]
pub struct HttpResponse {
    /// The final URL requested.
    pub url: String,
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Vec<u8>,
    /// Time from sending to the last byte.
    pub elapsed: Duration,
}

impl std::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpResponse")
            .field("url", &self.url)
            .field("status", &self.status)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .field("elapsed", &self.elapsed)
            .finish()
    }
}

impl HttpResponse {
    /// The media type without parameters, lower-cased (`application/json`).
    pub fn media_type(&self) -> Option<String> {
        self.headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
    }

    /// Whether the body is an HTML page (a sign-in page, a web site) rather than the API's
    /// answer. Judged from the body itself, since servers label empty and JSON answers
    /// `text/html` too: a body labelled `text/html` counts when it starts with markup.
    pub fn is_html_page(&self) -> bool {
        let start = String::from_utf8_lossy(&self.body[..self.body.len().min(256)])
            .trim_start()
            .to_ascii_lowercase();
        start.starts_with("<!doctype html")
            || start.starts_with("<html")
            || (self.media_type().as_deref() == Some("text/html") && start.starts_with('<'))
    }

    /// The `Location` header of a redirect.
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// The body as text, lossy.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The shared, configured HTTP client. Cheap to clone.
#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    limits: HttpLimits,
}

impl HttpClient {
    /// A client with the default limits.
    pub fn standard() -> Result<Self, HttpError> {
        Self::new(HttpLimits::default())
    }

    /// A client with these limits. Fails when the TLS backend cannot start: a weaker client
    /// (one that follows redirects or waits without limit) is never put in its place.
    pub fn new(limits: HttpLimits) -> Result<Self, HttpError> {
        let mut builder = reqwest::Client::builder();
        match tls_config() {
            Ok(tls) => builder = builder.use_preconfigured_tls(tls),
            Err(e) => tracing::warn!(
                error = %e,
                "TLS could not be set up with the operating system's certificate store; only the bundled roots are trusted"
            ),
        }
        let inner = builder
            .connect_timeout(limits.connect_timeout)
            .timeout(limits.total_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("sso-console/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| HttpError::Setup {
                detail: root_cause(&e),
            })?;
        Ok(Self { inner, limits })
    }

    /// The limits in force.
    pub fn limits(&self) -> HttpLimits {
        self.limits
    }

    /// Starts a request; finish it with [`HttpClient::send`].
    pub fn request(&self, method: Method, url: &str) -> reqwest::RequestBuilder {
        self.inner
            .request(method, url)
            .timeout(self.limits.total_timeout)
    }

    /// `GET url` with `Accept: accept`.
    pub async fn get(&self, url: &str, accept: &str) -> Result<HttpResponse, HttpError> {
        self.send(
            self.request(Method::GET, url)
                .header(reqwest::header::ACCEPT, accept),
        )
        .await
    }

    /// Sends a request and reads its body up to the size limit.
    pub async fn send(&self, request: reqwest::RequestBuilder) -> Result<HttpResponse, HttpError> {
        let request = request.build().map_err(|e| HttpError::BadUrl {
            url: e.url().map(ToString::to_string).unwrap_or_default(),
            detail: e.to_string(),
        })?;
        let url = request.url().to_string();
        if let Some(why) = refusal(request.url()) {
            return Err(HttpError::Refused { url, why });
        }
        let started = Instant::now();
        let deadline = started + self.limits.total_timeout;
        let mut response = self
            .inner
            .execute(request)
            .await
            .map_err(|e| self.classify(&url, &e))?;
        let status = response.status();
        let headers = response.headers().clone();
        if response
            .content_length()
            .is_some_and(|n| n > self.limits.max_body_bytes as u64)
        {
            return Err(HttpError::TooLarge {
                url,
                limit: self.limits.max_body_bytes,
            });
        }
        let mut body = Vec::new();
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            let chunk = tokio::time::timeout(remaining, response.chunk())
                .await
                .map_err(|_| HttpError::Timeout {
                    url: url.clone(),
                    after: self.limits.total_timeout,
                })?
                .map_err(|e| self.classify(&url, &e))?;
            let Some(chunk) = chunk else { break };
            if body.len() + chunk.len() > self.limits.max_body_bytes {
                return Err(HttpError::TooLarge {
                    url,
                    limit: self.limits.max_body_bytes,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse {
            url,
            status,
            headers,
            body,
            elapsed: started.elapsed(),
        })
    }

    fn classify(&self, url: &str, e: &reqwest::Error) -> HttpError {
        let url = url.to_owned();
        if let Some(problem) = certificate_problem(e) {
            let host = reqwest::Url::parse(&url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or_else(|| url.clone());
            return HttpError::Certificate { url, host, problem };
        }
        if e.is_timeout() {
            HttpError::Timeout {
                url,
                after: self.limits.total_timeout,
            }
        } else if e.is_connect() {
            HttpError::Connect {
                url,
                detail: root_cause(e),
            }
        } else if e.is_builder() {
            HttpError::BadUrl {
                url,
                detail: root_cause(e),
            }
        } else {
            HttpError::Transport {
                url,
                detail: root_cause(e),
            }
        }
    }
}

/// The TLS settings of every request: the platform's verifier, which on Linux reads the system's
/// CA bundle (and `SSL_CERT_FILE` / `SSL_CERT_DIR` when set), on Windows and macOS asks the
/// operating system, plus the bundled Mozilla roots. Should this fail, the client keeps
/// reqwest's own TLS set-up with the bundled roots alone.
fn tls_config() -> Result<rustls::ClientConfig, rustls::Error> {
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let bundled = webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().cloned();
    let verifier =
        rustls_platform_verifier::Verifier::new_with_extra_roots(bundled, provider.clone())?;
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous() // not a weakening: the platform verifier checks every certificate
        .with_custom_certificate_verifier(std::sync::Arc::new(verifier))
        .with_no_client_auth())
}

/// The console's one network rule, applied to every request whoever makes it (DESIGN §4):
/// https anywhere, plain http only to this computer (loopback), and never a name under
/// `.invalid`, which cannot exist (RFC 6761). URLs from providers' documents (`jwks_uri`, SCIM
/// `Location`…) arrive here unjudged, so the rule must live in the client. `None` when allowed.
pub fn refusal(url: &reqwest::Url) -> Option<String> {
    let host = url.host_str().unwrap_or_default().trim_end_matches('.');
    let lower = host.to_ascii_lowercase();
    if lower == "invalid" || lower.ends_with(".invalid") {
        return Some(format!(
            "\"{host}\" is under .invalid, a name that never exists; use the provider's real address"
        ));
    }
    match url.scheme() {
        "https" => None,
        "http" if is_loopback(url) => None,
        "http" => Some(format!(
            "it uses http:// on {host}, which is not this computer; the console sends nothing unencrypted over the network — the provider must publish an https:// URL"
        )),
        other => Some(format!(
            "the console fetches only https:// URLs (http:// only on this computer), not {other}:// ones"
        )),
    }
}

/// Whether the URL's host is this computer: localhost, 127.0.0.0/8 or ::1.
fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost"
        }
        None => false,
    }
}

/// What is wrong with the server's certificate, in words, when that is why the request failed.
fn certificate_problem(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    use rustls::CertificateError as C;
    let mut cause = Some(e);
    while let Some(current) = cause {
        if let Some(rustls::Error::InvalidCertificate(error)) = tls_error(current) {
            return Some(
                match error {
                    C::UnknownIssuer => {
                        "is not trusted: no certificate authority this computer trusts signed it. If your company uses its own certificate authority, or a proxy that inspects TLS, install its CA certificate in the operating system's certificate store, then try again"
                    }
                    C::Expired | C::ExpiredContext { .. } => {
                        "has expired. Ask the server's administrator to renew it"
                    }
                    C::NotValidYet | C::NotValidYetContext { .. } => {
                        "is not valid yet. Check this computer's date, time and time zone"
                    }
                    C::NotValidForName | C::NotValidForNameContext { .. } => {
                        "is for another host name. Check the URL, or ask the server's administrator for a certificate that covers this name"
                    }
                    C::Revoked => {
                        "has been revoked. Ask the server's administrator for a new certificate"
                    }
                    _ => {
                        "was refused by this computer's certificate checks. Ask the server's administrator to check the certificate it serves"
                    }
                }
                .to_owned(),
            );
        }
        cause = current.source();
    }
    None
}

/// The TLS error `e` is or carries. I/O errors carry it inside them (nested, from the TLS
/// stream and the connector), where `source()` does not lead.
fn tls_error<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    if let Some(tls) = e.downcast_ref::<rustls::Error>() {
        return Some(tls);
    }
    let inner = e.downcast_ref::<std::io::Error>()?.get_ref()?;
    tls_error(inner)
}

/// The innermost cause, which is the one that says what happened ("Connection refused").
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_never_prints_its_body_or_header_values() {
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::SET_COOKIE,
            reqwest::header::HeaderValue::from_static("session=cookie-value"),
        );
        let response = HttpResponse {
            url: "https://op.example/token".into(),
            status: StatusCode::OK,
            headers,
            body: br#"{"access_token":"token-value"}"#.to_vec(),
            elapsed: Duration::from_millis(3),
        };
        let shown = format!("{response:?}");
        assert!(
            !shown.contains("token-value") && !shown.contains("cookie-value"),
            "{shown}"
        );
        assert!(
            shown.contains("set-cookie") && shown.contains("30 bytes"),
            "{shown}"
        );
    }
}
