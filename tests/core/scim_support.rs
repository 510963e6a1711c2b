//! Peers for the SCIM tests: the real SCIM 2.0 server `scim2-server` (PyPI, installed by
//! scripts/install-python-peers.sh) started on 127.0.0.1, and a small raw HTTP/1.1 stub for the
//! faults a real server does not produce.

use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr, TcpListener as StdListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sso_console::http::{HttpClient, HttpLimits};
use sso_console::scim::{BaseUrl, ScimClient};
use sso_console::sensitive::SecretString;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The learning platform's extension (seed 002), served with a required `region`.
pub const ILMS: &str = "urn:ietf:params:scim:schemas:extension:ilms:2.0:User";

/// Where the server binary is: `SSO_SCIM_SERVER_BIN`, else the cache's virtual environment.
fn server_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("SSO_SCIM_SERVER_BIN").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    let cache = std::env::var_os("SSO_CONSOLE_CACHE")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/sso-console")
        });
    cache.join("scim-venv/bin/scim2-server")
}

fn free_port() -> u16 {
    StdListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

/// A running scim2-server, stopped when dropped.
pub struct ScimServer {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// The bearer token it accepts.
    pub token: String,
    _dir: tempfile::TempDir,
}

impl ScimServer {
    /// The server with RFC 7643's schemas.
    pub fn start() -> Self {
        Self::launch(None)
    }

    /// The server with the learning platform's extension added: `region` (required, with
    /// canonical values EMEA, AMER, APAC), `hireDate`, and a `manager` with `displayName` and
    /// `email`; the User resource type requires the extension.
    pub async fn start_with_extension() -> Self {
        let plain = Self::start();
        let schemas = plain.get_json("/Schemas").await;
        drop(plain);
        let mut list: Vec<Value> = schemas["Resources"]
            .as_array()
            .expect("the server lists its schemas")
            .iter()
            .map(|s| {
                let mut s = s.clone();
                if let Some(map) = s.as_object_mut() {
                    map.remove("meta");
                }
                s
            })
            .collect();
        let attribute = |name: &str, kind: &str, required: bool| {
            json!({"name": name, "type": kind, "multiValued": false, "description": name,
                   "required": required, "caseExact": false, "mutability": "readWrite",
                   "returned": "default", "uniqueness": "none"})
        };
        let mut region = attribute("region", "string", true);
        region["canonicalValues"] = json!(["EMEA", "AMER", "APAC"]);
        let mut manager = attribute("manager", "complex", false);
        manager["subAttributes"] = json!([
            attribute("displayName", "string", false),
            attribute("email", "string", false)
        ]);
        list.push(json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
            "id": ILMS,
            "name": "IlmsUser",
            "description": "Learning platform user",
            "attributes": [region, attribute("hireDate", "dateTime", false),
                           attribute("customField1", "string", false), manager]
        }));
        let types = json!([
            {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": "User",
             "name": "User", "description": "User Account", "endpoint": "/Users",
             "schema": "urn:ietf:params:scim:schemas:core:2.0:User",
             "schemaExtensions": [
                {"schema": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "required": false},
                {"schema": ILMS, "required": true}]},
            {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": "Group",
             "name": "Group", "description": "Group", "endpoint": "/Groups",
             "schema": "urn:ietf:params:scim:schemas:core:2.0:Group"}
        ]);
        Self::launch(Some((Value::Array(list), types)))
    }

    fn launch(extension: Option<(Value, Value)>) -> Self {
        let binary = server_binary();
        assert!(
            binary.is_file(),
            "the SCIM test server is not installed at {}: run scripts/install-python-peers.sh \
             (or point SSO_SCIM_SERVER_BIN at a scim2-server executable)",
            binary.display()
        );
        let dir = tempfile::tempdir().expect("temporary folder");
        let token = format!("scim-token-{}-never-logged", uuid::Uuid::new_v4().simple());
        let port = free_port();
        let mut command = Command::new(&binary);
        command
            .arg("--bearer-token")
            .arg(&token)
            .arg("--hostname")
            .arg("127.0.0.1")
            .arg("--port")
            .arg(port.to_string());
        if let Some((schemas, types)) = extension {
            let schemas_file = dir.path().join("schemas.json");
            let types_file = dir.path().join("resource-types.json");
            std::fs::write(&schemas_file, schemas.to_string()).expect("write the schemas");
            std::fs::write(&types_file, types.to_string()).expect("write the resource types");
            command
                .arg("--schema")
                .arg(schemas_file)
                .arg("--resource-type")
                .arg(types_file);
        }
        let log = std::fs::File::create(dir.path().join("server.log")).expect("log file");
        let child = command
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let mut server = Self {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            token,
            _dir: dir,
        };
        server.wait_until_ready(port);
        server
    }

    fn wait_until_ready(&mut self, port: u16) {
        let started = Instant::now();
        for _ in 0..200 {
            if let Ok(Some(status)) = self.child.try_wait() {
                let mut log = String::new();
                let _ = std::fs::File::open(self._dir.path().join("server.log"))
                    .and_then(|mut f| f.read_to_string(&mut log));
                panic!("scim2-server exited ({status}) before answering:\n{log}");
            }
            let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
            if TcpStream::connect_timeout(&address, Duration::from_millis(100)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "scim2-server did not listen on port {port} within {:?}",
            started.elapsed()
        );
    }

    /// A client with the right token.
    pub fn client(&self) -> ScimClient {
        self.client_with(Some(&self.token))
    }

    /// A client with another token (or none).
    pub fn client_with(&self, token: Option<&str>) -> ScimClient {
        ScimClient::new(
            HttpClient::standard().unwrap(),
            BaseUrl::parse(&self.base_url).expect("loopback URL"),
            token.map(SecretString::new),
        )
    }

    /// GET `path` with the token, as JSON.
    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.client().get(path, &[]).await;
        response
            .json
            .unwrap_or_else(|| panic!("{path}: {:?}", response.exchange))
    }

    /// How many users and groups the server holds.
    pub async fn counts(&self) -> (u64, u64) {
        let users = self.get_json("/Users").await["totalResults"]
            .as_u64()
            .expect("totalResults");
        let groups = self.get_json("/Groups").await["totalResults"]
            .as_u64()
            .expect("totalResults");
        (users, groups)
    }
}

impl Drop for ScimServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A request as the stub saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// GET, POST…
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
}

/// What the stub answers.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Content-Type.
    pub content_type: &'static str,
    /// Body.
    pub body: String,
    /// Wait this long before answering.
    pub delay: Duration,
}

impl Reply {
    /// A SCIM JSON answer.
    pub fn scim(status: u16, body: Value) -> Self {
        Self {
            status,
            content_type: "application/scim+json",
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    /// Any answer.
    pub fn raw(status: u16, content_type: &'static str, body: &str) -> Self {
        Self {
            status,
            content_type,
            body: body.to_owned(),
            delay: Duration::ZERO,
        }
    }

    /// An empty 204.
    pub fn no_content() -> Self {
        Self::raw(204, "application/scim+json", "")
    }

    /// The same answer, late.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// An empty SCIM ListResponse.
pub fn empty_list() -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
           "totalResults": 0, "startIndex": 1, "itemsPerPage": 0, "Resources": []})
}

type Handler = dyn Fn(&Seen) -> Reply + Send + Sync;

/// A raw HTTP/1.1 server on 127.0.0.1 answering from a function; stopped when dropped.
pub struct Stub {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Stub {
    /// Starts the stub.
    pub async fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let task = tokio::spawn({
            let seen = seen.clone();
            async move {
                while let Ok((socket, _)) = listener.accept().await {
                    let seen = seen.clone();
                    let handler = handler.clone();
                    tokio::spawn(async move {
                        let _ = serve(socket, seen, handler).await;
                    });
                }
            }
        });
        Self {
            base_url: format!("http://127.0.0.1:{port}"),
            seen,
            task,
        }
    }

    /// The requests received so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// A client of the stub with a token and a total timeout.
    pub fn client(&self, token: &str, timeout: Duration) -> ScimClient {
        self.client_at(&self.base_url.clone(), token, timeout)
    }

    /// A client of `base` (under the stub) with a token and a total timeout.
    pub fn client_at(&self, base: &str, token: &str, timeout: Duration) -> ScimClient {
        ScimClient::new(
            HttpClient::new(HttpLimits {
                connect_timeout: Duration::from_secs(2),
                total_timeout: timeout,
                ..HttpLimits::default()
            })
            .expect("HTTP client"),
            BaseUrl::parse(base).expect("loopback URL"),
            Some(SecretString::new(token)),
        )
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut socket: tokio::net::TcpStream,
    seen: Arc<Mutex<Vec<Seen>>>,
    handler: Arc<Handler>,
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buffer.len() > 64 * 1024 {
            return Ok(());
        }
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
        .min(1024 * 1024);
    while buffer.len() < head_end + length {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body_end = buffer.len().min(head_end + length);
    let request = Seen {
        method,
        target,
        headers,
        body: String::from_utf8_lossy(&buffer[head_end..body_end]).into_owned(),
    };
    let reply = handler(&request);
    if let Ok(mut list) = seen.lock() {
        list.push(request);
    }
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let answer = format!(
        "HTTP/1.1 {} Stub\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        reply.status,
        reply.content_type,
        reply.body.len(),
        reply.body
    );
    socket.write_all(answer.as_bytes()).await?;
    socket.shutdown().await
}

/// Whether `needle` occurs anywhere in `haystack`.
pub fn leaks(haystack: &str, needle: &str) -> bool {
    haystack.contains(needle)
}
