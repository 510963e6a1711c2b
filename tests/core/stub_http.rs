//! A small HTTP/1.1 stub server on 127.0.0.1 for faults a real peer will not produce: wrong
//! statuses, HTML, broken JSON, huge or never-ending bodies, redirects. Each path has a canned
//! reply; the server stops when dropped. [`Stub::start_tls`] serves the same over https.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the stub answers on one path.
#[derive(Clone, Debug)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Duration,
    /// Send the head and then nothing, keeping the connection open.
    pub hang: bool,
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self::with_type(status, "application/json", body)
    }

    /// An answer of the given content type.
    pub fn with_type(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
            hang: false,
        }
    }

    /// A redirect.
    pub fn redirect(location: &str) -> Self {
        let mut r = Self::with_type(302, "text/plain", "");
        r.headers.push(("Location".into(), location.into()));
        r
    }
}

/// A running stub.
pub struct Stub {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Stub {
    /// Starts a stub with no routes (everything answers 404).
    pub async fn start() -> Self {
        Self::start_with(None).await
    }

    /// The same stub over TLS, with this server configuration (certificate and key).
    pub async fn start_tls(config: Arc<tokio_rustls::rustls::ServerConfig>) -> Self {
        Self::start_with(Some(tokio_rustls::TlsAcceptor::from(config))).await
    }

    async fn start_with(tls: Option<tokio_rustls::TlsAcceptor>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let scheme = if tls.is_some() { "https" } else { "http" };
        let base = format!("{scheme}://{}", listener.local_addr().unwrap());
        let routes: Arc<Mutex<HashMap<String, Reply>>> = Arc::default();
        let table = routes.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let table = table.clone();
                let tls = tls.clone();
                tokio::spawn(async move {
                    match tls {
                        // A client that refuses the certificate ends the handshake: nothing to serve.
                        Some(tls) => {
                            if let Ok(socket) = tls.accept(socket).await {
                                serve(socket, &table).await;
                            }
                        }
                        None => serve(socket, &table).await,
                    }
                });
            }
        });
        Self { base, routes, task }
    }

    /// Sets the reply for a path (including its query, if any).
    pub fn route(&self, path: &str, reply: Reply) {
        self.routes.lock().unwrap().insert(path.to_owned(), reply);
    }

    /// The absolute URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// Reads one request head from `socket` and answers it from `table`.
async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
    mut socket: S,
    table: &Mutex<HashMap<String, Reply>>,
) {
    let mut buf = vec![0u8; 16 * 1024];
    let mut read = 0;
    while read < buf.len() {
        match socket.read(&mut buf[read..]).await {
            Ok(0) | Err(_) => return,
            Ok(n) => read += n,
        }
        if buf[..read].windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let head = String::from_utf8_lossy(&buf[..read]).to_string();
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let reply = table.lock().unwrap().get(&path).cloned();
    let reply = reply.unwrap_or_else(|| Reply::with_type(404, "text/plain", "not found"));
    tokio::time::sleep(reply.delay).await;
    let mut out = format!("HTTP/1.1 {} Stub\r\nConnection: close\r\n", reply.status);
    for (k, v) in &reply.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    if reply.hang {
        out.push_str("Content-Length: 1000\r\n\r\n{");
        let _ = socket.write_all(out.as_bytes()).await;
        tokio::time::sleep(Duration::from_secs(120)).await;
        return;
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", reply.body.len()));
    let _ = socket.write_all(out.as_bytes()).await;
    let _ = socket.write_all(&reply.body).await;
    let _ = socket.shutdown().await;
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.task.abort();
    }
}
