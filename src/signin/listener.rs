//! The loopback redirect listener (DESIGN §3.4): bound to 127.0.0.1 only, it answers one
//! callback — GET with a query (query mode) or POST with a form (form_post mode) — and closes.
//! Other paths (a browser's favicon request) get a 404 and do not end the wait.

use std::collections::HashMap;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The largest request accepted on the listener.
const MAX_REQUEST_BYTES: usize = 64 * 1024;
/// Time allowed for a connected browser to send its request.
const REQUEST_DEADLINE: Duration = Duration::from_secs(10);

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
    /// The `state` is missing or not the one sent.
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
    /// "GET" (query) or "POST" (form_post).
    pub method: String,
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

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(title: &str, line: &str, detail: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>{title} — SSO Console</title>\
         <body style=\"font:16px system-ui,sans-serif;max-width:36em;margin:4em auto;color:#222\">\
         <h1 style=\"font-size:1.4em\">{title}</h1><p>{line}</p><p>{}</p>\
         <p>You can close this tab.</p></body></html>",
        escape_html(detail)
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
struct Request {
    method: String,
    path: String,
    params: HashMap<String, String>,
}

async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if buf.len() >= MAX_REQUEST_BYTES {
            return None;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if length > MAX_REQUEST_BYTES {
        return None;
    }
    while buf.len() < header_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let body = &buf[header_end..buf.len().min(header_end + length)];
    let is_form = headers.get("content-type").is_some_and(|t| {
        t.to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    });
    let source: &[u8] = if method == "POST" && is_form {
        body
    } else {
        query.as_bytes()
    };
    let params = url::form_urlencoded::parse(source).into_owned().collect();
    Some(Request {
        method,
        path: path.to_owned(),
        params,
    })
}

/// The redirect listener of one attempt.
pub struct CallbackListener {
    listener: TcpListener,
    port: u16,
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
        Ok(Self { listener, port })
    }

    /// `http://127.0.0.1:<port>/callback`, the URL to register at the provider.
    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}/callback", self.port)
    }

    /// Waits for the callback, checks its state and returns it with the browser's connection.
    /// The listener is closed when this returns, so a second request finds nobody listening.
    pub async fn wait(
        self,
        expected_state: &str,
    ) -> (Result<Callback, CallbackError>, Option<BrowserReply>) {
        loop {
            let (mut stream, _) = match self.listener.accept().await {
                Ok(accepted) => accepted,
                Err(e) => return (Err(CallbackError::Io(e.to_string())), None),
            };
            let Ok(Some(request)) =
                tokio::time::timeout(REQUEST_DEADLINE, read_request(&mut stream)).await
            else {
                let _ = respond(&mut stream, 400, &page("Bad request", "", "")).await;
                continue;
            };
            if request.path != "/callback" {
                let _ = respond(&mut stream, 404, &page("Not found", "", "")).await;
                continue;
            }
            if request.method != "GET" && request.method != "POST" {
                let _ = respond(&mut stream, 405, &page("Method not allowed", "", "")).await;
                continue;
            }
            return (check(request, expected_state), Some(BrowserReply(stream)));
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
    Ok(Callback {
        code: code.clone(),
        iss: p.get("iss").cloned(),
        method: request.method,
    })
}
