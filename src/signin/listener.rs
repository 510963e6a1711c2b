//! The loopback redirect listener (DESIGN §3.4): bound to 127.0.0.1 only, it waits for the one
//! callback with the attempt's `state` — GET with a query (query mode) or POST with a form
//! (form_post mode) — and closes. Connections are served side by side; anything else (a
//! browser's favicon request or pre-connect, an older tab's answer) is answered on its own and
//! does not end or hold up the wait.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The largest request accepted on the listener.
const MAX_REQUEST_BYTES: usize = 64 * 1024;
/// Time allowed for a connected browser to send its request.
const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// Connections served at once; an idle one costs only its own slot until its deadline.
const MAX_CONNECTIONS: usize = 32;

/// Why the callback ended the attempt.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// The port is taken or cannot be used.
    #[error("cannot listen on 127.0.0.1:{port} for the redirect: {detail}. Close the program using that port, or choose another fixed test port")]
    Bind {
        /// The port asked for (0 = any).
        port: u16,
        /// The system's account.
        detail: String,
    },
    /// The `state` is missing or not the one sent. The listener answers such a callback and
    /// keeps waiting, so an attempt never ends with it.
    #[error("the redirect's state does not match the one sent (possible forgery, or an answer to an older attempt); start the test again")]
    StateMismatch,
    /// The provider answered with an error.
    #[error("the provider answered {error}{}", .description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Provider {
        /// `error`.
        error: String,
        /// `error_description`.
        description: Option<String>,
    },
    /// No `code` in a successful-looking answer.
    #[error("the redirect carries no authorization code")]
    NoCode,
    /// Reading from the listener failed.
    #[error("the redirect listener failed: {0}")]
    Io(String),
}

/// A valid callback.
#[derive(Clone, PartialEq, Eq)]
pub struct Callback {
    /// The authorization code.
    pub code: String,
    /// The `iss` parameter (RFC 9207), when the provider sent it.
    pub iss: Option<String>,
    /// Every other parameter the provider sent (`session_state`, `scope`…), sorted by name.
    pub other: Vec<(String, String)>,
    /// How the parameters came.
    pub method: CallbackMethod,
}

/// How a callback's parameters came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackMethod {
    /// A GET with the parameters in the query (`response_mode=query`).
    Get,
    /// A POST with the parameters as a form (`response_mode=form_post`).
    Post,
}

impl std::fmt::Debug for Callback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Callback")
            .field("iss", &self.iss)
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

/// Holds the browser's connection so the page can say how the attempt ended.
pub struct BrowserReply(TcpStream);

impl BrowserReply {
    /// Answers the browser tab with a short page and closes the connection.
    pub async fn finish(mut self, succeeded: bool, detail: &str) {
        let (title, line) = if succeeded {
            (
                "Signed in",
                "The test sign-in worked. The claims are shown where you started the test (SSO Console or ssoctl).",
            )
        } else {
            (
                "Sign-in failed",
                "The test sign-in failed. Where you started the test (SSO Console or ssoctl), it shows which step failed and why.",
            )
        };
        let _ = respond(&mut self.0, 200, &page(title, line, detail)).await;
    }
}

fn page(title: &str, line: &str, detail: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>{title} — SSO Console</title>\
         <body style=\"font:16px system-ui,sans-serif;max-width:36em;margin:4em auto;color:#222\">\
         <h1 style=\"font-size:1.4em\">{title}</h1><p>{line}</p><p>{}</p>\
         <p>You can close this tab.</p></body></html>",
        crate::html::escape(detail)
    )
}

async fn respond(stream: &mut TcpStream, status: u16, html: &str) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Bad Request",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nContent-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\n\
         Connection: close\r\n\r\n",
        html.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(html.as_bytes()).await?;
    stream.shutdown().await
}

/// A parsed request: method, path, query or form parameters.
#[derive(Debug)]
pub(crate) struct Request {
    method: String,
    path: String,
    params: HashMap<String, String>,
}

/// Why a request on the listener could not be read; the browser gets a 400.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BadRequest {
    /// Head or body beyond [`MAX_REQUEST_BYTES`].
    TooLarge,
    /// No method and target on the first line.
    NoRequestLine,
    /// A `Content-Length` that is not a number.
    BadLength,
}

/// Parses a whole request from the bytes read so far (pure, so it can be tested from raw
/// bytes): `Ok(None)` when more bytes are needed.
pub(crate) fn parse_request(raw: &[u8]) -> Result<Option<Request>, BadRequest> {
    let Some(header_end) = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| at + 4)
    else {
        return if raw.len() >= MAX_REQUEST_BYTES {
            Err(BadRequest::TooLarge)
        } else {
            Ok(None)
        };
    };
    let head = String::from_utf8_lossy(&raw[..header_end]);
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(target)) = (first.next(), first.next()) else {
        return Err(BadRequest::NoRequestLine);
    };
    if method.is_empty() || target.is_empty() {
        return Err(BadRequest::NoRequestLine);
    }
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = match headers.get("content-length") {
        Some(v) => v.parse().map_err(|_| BadRequest::BadLength)?,
        None => 0,
    };
    if header_end.saturating_add(length) > MAX_REQUEST_BYTES {
        return Err(BadRequest::TooLarge);
    }
    if raw.len() < header_end + length {
        return Ok(None);
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let body = &raw[header_end..header_end + length];
    let is_form = headers.get("content-type").is_some_and(|t| {
        t.to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    });
    let source: &[u8] = if method == "POST" && is_form {
        body
    } else {
        query.as_bytes()
    };
    Ok(Some(Request {
        method: method.to_owned(),
        path: path.to_owned(),
        params: url::form_urlencoded::parse(source).into_owned().collect(),
    }))
}

/// Reads one request from a connection. `None` when the peer closed early or sent something
/// unreadable (answered with a 400 where a peer is still there to read it).
async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        match parse_request(&buf) {
            Ok(Some(request)) => return Some(request),
            Ok(None) => {}
            Err(_) => {
                let _ = respond(stream, 400, &page("Bad request", "", "")).await;
                return None;
            }
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Serves one connection: anything but the callback with the expected `state` is answered
/// here and ends nothing (`None`); the callback comes back with its connection.
async fn serve(
    mut stream: TcpStream,
    expected_state: Arc<str>,
    stale_callbacks: Arc<AtomicUsize>,
) -> Option<(Result<Callback, CallbackError>, TcpStream)> {
    let request = tokio::time::timeout(REQUEST_DEADLINE, read_request(&mut stream))
        .await
        .ok()??;
    if request.path != "/callback" {
        let _ = respond(&mut stream, 404, &page("Not found", "", "")).await;
        return None;
    }
    if request.method != "GET" && request.method != "POST" {
        let _ = respond(&mut stream, 405, &page("Method not allowed", "", "")).await;
        return None;
    }
    match check(request, &expected_state) {
        Err(CallbackError::StateMismatch) => {
            stale_callbacks.fetch_add(1, Ordering::Relaxed);
            let _ = respond(
                &mut stream,
                400,
                &page(
                    "Not for the test that is waiting",
                    "This answer belongs to another test sign-in (an older tab, or a forged link): its state does not match the test waiting now. Nothing in it was used.",
                    "Sign in again from the newest test.",
                ),
            )
            .await;
            None
        }
        outcome => Some((outcome, stream)),
    }
}

/// The redirect listener of one attempt.
pub struct CallbackListener {
    listener: TcpListener,
    port: u16,
    stale_callbacks: Arc<AtomicUsize>,
}

impl CallbackListener {
    /// Listens on 127.0.0.1 on `port` (0 or `None`: a free port).
    pub async fn bind(port: Option<u16>) -> Result<Self, CallbackError> {
        let asked = port.unwrap_or(0);
        let listener =
            TcpListener::bind(("127.0.0.1", asked))
                .await
                .map_err(|e| CallbackError::Bind {
                    port: asked,
                    detail: e.to_string(),
                })?;
        let port = listener
            .local_addr()
            .map_err(|e| CallbackError::Bind {
                port: asked,
                detail: e.to_string(),
            })?
            .port();
        Ok(Self {
            listener,
            port,
            stale_callbacks: Arc::default(),
        })
    }

    /// `http://127.0.0.1:<port>/callback`, the URL to register at the provider.
    pub fn redirect_uri(&self) -> String {
        crate::directory::loopback_redirect(self.port)
    }

    /// A count, kept up while [`CallbackListener::wait`] runs, of callbacks refused because
    /// their `state` belonged to another attempt.
    pub fn stale_callbacks(&self) -> Arc<AtomicUsize> {
        self.stale_callbacks.clone()
    }

    /// Waits for the callback with this `state` and returns it with the browser's connection.
    /// Connections are served side by side, so an idle one (a browser's pre-connect, another
    /// local program) holds nothing back; everything but that callback is answered and the
    /// wait goes on. The listener and every other connection close when this returns.
    pub async fn wait(
        self,
        expected_state: &str,
    ) -> (Result<Callback, CallbackError>, Option<BrowserReply>) {
        let expected: Arc<str> = Arc::from(expected_state);
        let mut connections = tokio::task::JoinSet::new();
        loop {
            tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    // Beyond the limit a connection is closed at once; the browser retries.
                    Ok((stream, _)) if connections.len() < MAX_CONNECTIONS => {
                        let expected = expected.clone();
                        let stale = self.stale_callbacks.clone();
                        connections.spawn(serve(stream, expected, stale));
                    }
                    Ok(_) => {}
                    Err(e) => return (Err(CallbackError::Io(e.to_string())), None),
                },
                Some(joined) = connections.join_next() => {
                    if let Ok(Some((outcome, stream))) = joined {
                        return (outcome, Some(BrowserReply(stream)));
                    }
                }
            }
        }
    }
}

fn check(request: Request, expected_state: &str) -> Result<Callback, CallbackError> {
    let p = &request.params;
    // A forged or stale answer is refused before anything in it is believed, errors included.
    if p.get("state").map(String::as_str) != Some(expected_state) {
        return Err(CallbackError::StateMismatch);
    }
    if let Some(error) = p.get("error") {
        return Err(CallbackError::Provider {
            error: error.clone(),
            description: p.get("error_description").cloned(),
        });
    }
    let code = p
        .get("code")
        .filter(|c| !c.is_empty())
        .ok_or(CallbackError::NoCode)?;
    let mut other: Vec<(String, String)> = p
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "code" | "state" | "iss"))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    other.sort();
    Ok(Callback {
        code: code.clone(),
        iss: p.get("iss").cloned(),
        other,
        // Only GET and POST reach here; anything else was answered 405.
        method: if request.method == "POST" {
            CallbackMethod::Post
        } else {
            CallbackMethod::Get
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_callback_keeps_every_parameter_besides_the_code_state_and_issuer() {
        let params = [
            ("code", "the-code"),
            ("state", "s-1"),
            ("iss", "https://op.example"),
            ("session_state", "abc.def"),
            ("scope", "openid email"),
        ];
        let request = Request {
            method: "GET".into(),
            path: "/callback".into(),
            params: params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        };
        let callback = check(request, "s-1").unwrap();
        assert_eq!(callback.code, "the-code");
        assert_eq!(callback.iss.as_deref(), Some("https://op.example"));
        let other: Vec<(&str, &str)> = callback
            .other
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            other,
            [("scope", "openid email"), ("session_state", "abc.def")]
        );
    }
}

#[cfg(test)]
mod properties {
    //! Property tests of [`parse_request`] from raw bytes: arbitrary bytes, and requests of
    //! random pieces (methods, targets, headers, `Content-Length` values, bodies) cut anywhere.
    //! It never panics, asks for more bytes only while the request is incomplete and under the
    //! limit, and each refusal matches what is wrong with the bytes. A fixed number of cases,
    //! and no failure file (nothing is written into the work tree).

    use proptest::prelude::*;
    use proptest::test_runner::TestCaseError;

    use super::*;

    fn config(cases: u32) -> ProptestConfig {
        ProptestConfig {
            cases,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    /// The `Content-Length` values a request may carry: right, wrong, huge, not numbers.
    fn length_value(body: usize) -> impl Strategy<Value = String> {
        prop_oneof![
            6 => Just(body.to_string()),
            1 => (0usize..2 * MAX_REQUEST_BYTES).prop_map(|n| n.to_string()),
            1 => prop::sample::select(
                &["-1", "", "abc", "1e3", "18446744073709551616", "0x10", "+5", " 7 ", "1 2"][..]
            )
            .prop_map(str::to_owned),
        ]
    }

    /// A request: line, headers (with `Content-Length` or not) and body, in bytes.
    fn request() -> impl Strategy<Value = Vec<u8>> {
        let method = prop_oneof![
            4 => prop::sample::select(&["GET", "POST"][..]).prop_map(str::to_owned),
            1 => prop::sample::select(&["HEAD", "get", "", "PUT", "G T"][..]).prop_map(str::to_owned),
            1 => "[A-Z]{1,8}",
        ];
        let pairs = prop::collection::vec(
            (
                prop::sample::select(&["state", "code", "iss", "error", "error_description"][..]),
                "\\PC{0,12}",
            ),
            0..5,
        );
        let target = (
            prop_oneof![
                4 => Just("/callback".to_owned()),
                1 => prop::sample::select(&["/", "/favicon.ico", "", "*", "http://127.0.0.1/callback"][..]).prop_map(str::to_owned),
                1 => "/[!-~]{0,16}",
            ],
            pairs.clone(),
        );
        let version =
            prop::sample::select(&[" HTTP/1.1", " HTTP/1.1", " HTTP/1.0", "", " HTTP/1.1 x"][..]);
        let content_type = prop::option::weighted(
            0.5,
            prop::sample::select(
                &[
                    "application/x-www-form-urlencoded",
                    "Application/X-WWW-Form-Urlencoded; charset=UTF-8",
                    "text/plain",
                    "",
                ][..],
            ),
        );
        let other_headers = prop::collection::vec(
            (
                prop::sample::select(
                    &[
                        "Host",
                        "Accept",
                        "Connection",
                        "X-Empty",
                        "content-length",
                        "Content-Length",
                    ][..],
                ),
                prop::sample::select(&[":", ": ", " : ", ""][..]),
                "[ -~]{0,16}",
            ),
            0..3,
        );
        let body = prop_oneof![
            3 => pairs.prop_map(|p| form(&p).into_bytes()),
            1 => prop::collection::vec(any::<u8>(), 0..256),
        ];
        let line_end = prop::sample::select(&["\r\n", "\r\n", "\r\n", "\n"][..]);
        (
            method,
            target,
            version,
            content_type,
            other_headers,
            body,
            line_end,
            any::<bool>(),
        )
            .prop_flat_map(
                |(method, target, version, content_type, others, body, line_end, with_length)| {
                    let length = prop::option::weighted(
                        if with_length { 0.9 } else { 0.1 },
                        length_value(body.len()),
                    );
                    (
                        Just((
                            method,
                            target,
                            version,
                            content_type,
                            others,
                            body,
                            line_end,
                        )),
                        length,
                    )
                },
            )
            .prop_map(
                |(
                    (method, (path, query), version, content_type, others, body, line_end),
                    length,
                )| {
                    let mut head = format!("{method} {path}");
                    if !query.is_empty() {
                        head.push('?');
                        head.push_str(&form(&query));
                    }
                    head.push_str(version);
                    head.push_str(line_end);
                    if let Some(content_type) = content_type {
                        head.push_str(&format!("Content-Type: {content_type}{line_end}"));
                    }
                    for (name, separator, value) in others {
                        head.push_str(&format!("{name}{separator}{value}{line_end}"));
                    }
                    if let Some(length) = length {
                        head.push_str(&format!("Content-Length: {length}{line_end}"));
                    }
                    head.push_str(line_end);
                    let mut raw = head.into_bytes();
                    raw.extend_from_slice(&body);
                    raw
                },
            )
    }

    fn form(pairs: &[(&str, String)]) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
            .finish()
    }

    /// The head's header values by lower-cased name, the last of each, as the parser reads them.
    fn header(raw: &[u8], name: &str) -> Option<String> {
        let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&raw[..end]).into_owned();
        head.split("\r\n")
            .skip(1)
            .filter_map(|l| l.split_once(':'))
            .filter(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_owned())
            .last()
    }

    fn check(raw: &[u8]) -> Result<(), TestCaseError> {
        let header_end = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map(|at| at + 4);
        let length = header(raw, "content-length");
        match parse_request(raw) {
            Ok(None) => {
                prop_assert!(raw.len() < MAX_REQUEST_BYTES || header_end.is_some());
                if let Some(end) = header_end {
                    // Complete head: only the body can be missing.
                    let declared: usize =
                        length.as_deref().unwrap_or("0").parse().expect("a length");
                    prop_assert!(raw.len() < end + declared);
                }
            }
            Ok(Some(request)) => {
                let end = header_end.expect("a complete head");
                prop_assert!(!request.method.is_empty());
                let declared: usize = length.as_deref().unwrap_or("0").parse().expect("a length");
                prop_assert!(end + declared <= raw.len() && end + declared <= MAX_REQUEST_BYTES);
            }
            Err(BadRequest::TooLarge) => prop_assert!(
                raw.len() >= MAX_REQUEST_BYTES
                    || length.is_some_and(|l| l
                        .parse::<usize>()
                        .is_ok_and(|n| n > MAX_REQUEST_BYTES - header_end.unwrap_or(0)))
            ),
            Err(BadRequest::NoRequestLine) => {
                let end = header_end.expect("a complete head");
                let head = String::from_utf8_lossy(&raw[..end]).into_owned();
                let first = head.split("\r\n").next().unwrap_or_default();
                let mut words = first.split(' ');
                let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
                prop_assert!(method.is_empty() || target.is_empty(), "{first:?}");
            }
            Err(BadRequest::BadLength) => {
                prop_assert!(length.is_some_and(|l| l.parse::<usize>().is_err()));
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(config(512))]

        #[test]
        fn arbitrary_bytes_are_parsed_refused_or_waited_for(raw in prop::collection::vec(any::<u8>(), 0..2048)) {
            check(&raw)?;
        }

        #[test]
        fn requests_of_random_pieces_are_read_whole_or_refused_for_their_fault(raw in request()) {
            check(&raw)?;
            // Until the head is complete more bytes are asked for; after it, cut anywhere, the
            // answer is the same or "more bytes".
            let header_end = raw.windows(4).position(|w| w == b"\r\n\r\n").map(|at| at + 4);
            let whole = parse_request(&raw);
            for cut in [0, 1, raw.len() / 3, raw.len() / 2, raw.len().saturating_sub(1)] {
                let part = &raw[..cut.min(raw.len())];
                check(part)?;
                match parse_request(part) {
                    Ok(None) => {}
                    Ok(Some(_)) => prop_assert!(matches!(whole, Ok(Some(_)))),
                    Err(e) => {
                        prop_assert!(header_end.is_some_and(|end| cut >= end));
                        prop_assert_eq!(whole.as_ref().err(), Some(&e));
                    }
                }
            }
        }

        #[test]
        fn well_formed_callbacks_carry_their_parameters(
            pairs in prop::collection::vec((prop::sample::select(&["state", "code", "iss", "x"][..]), "\\PC{0,16}"), 0..5),
            post in any::<bool>(),
        ) {
            let encoded = form(&pairs);
            let raw = if post {
                format!(
                    "POST /callback HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{encoded}",
                    encoded.len()
                )
            } else {
                format!("GET /callback?{encoded} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            };
            let request = parse_request(raw.as_bytes());
            prop_assert!(matches!(request, Ok(Some(_))), "{:?}", request);
            let Ok(Some(request)) = request else { unreachable!() };
            prop_assert_eq!(request.method.as_str(), if post { "POST" } else { "GET" });
            prop_assert_eq!(request.path.as_str(), "/callback");
            // The last value of a name wins, as in a HashMap built in order.
            let expected: HashMap<String, String> =
                pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
            prop_assert_eq!(request.params, expected);
        }
    }

    proptest! {
        // Each case scans 64 KiB: a few are enough.
        #![proptest_config(config(32))]

        #[test]
        fn requests_at_the_size_limit_are_refused_not_buffered(
            byte in any::<u8>(),
            extra in 0usize..64,
        ) {
            let raw = vec![byte; MAX_REQUEST_BYTES - 32 + extra];
            check(&raw)?;
            let head = format!("GET / HTTP/1.1\r\nContent-Length: {}\r\n\r\n", MAX_REQUEST_BYTES);
            prop_assert_eq!(parse_request(head.as_bytes()).err(), Some(BadRequest::TooLarge));
        }
    }
}
