//! The app on Tauri's mock runtime, as `sso_console_app::builder` and `manage_core` set it up, with one webview
//! to invoke the commands from.

use serde_json::Value;
use sso_console::http::HttpClient;
use sso_console::workspace::Workspace;
use sso_console_app::LogFile;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Context, WebviewWindow, WebviewWindowBuilder};
use tempfile::TempDir;

/// The label of the app's window in tauri.conf.json, the one the capabilities grant to.
pub const MAIN_WINDOW: &str = "main";

/// An app over a fresh workspace; the folder is removed when it is dropped.
pub struct MockApp {
    /// The webview the commands are invoked from.
    pub window: WebviewWindow<MockRuntime>,
    // Fields drop in order: the app (and the workspace's database in it) before its folder.
    _app: App<MockRuntime>,
    /// The workspace's folder.
    pub dir: TempDir,
}

impl MockApp {
    /// The commands without the app's permissions: the mock context declares no app manifest,
    /// so Tauri lets every registered command through and the tests reach the commands' own
    /// argument and error handling.
    pub fn new() -> Self {
        Self::with_context(mock_context(noop_assets()), MAIN_WINDOW)
    }

    /// The commands behind the app's own configuration and capabilities, invoked from a window
    /// labelled `window`.
    pub fn with_permissions(window: &str) -> Self {
        Self::with_context(sso_console_app::context(), window)
    }

    fn with_context(context: Context<MockRuntime>, window: &str) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let ws = tauri::async_runtime::block_on(Workspace::open(dir.path()))
            .expect("the workspace opens in an empty folder");
        let http = HttpClient::standard().expect("the HTTP client builds");
        // No log file: `open_log_folder` then fails instead of opening a file manager.
        let app = sso_console_app::builder(mock_builder(), LogFile(None))
            .build(context)
            .expect("the app builds on the mock runtime");
        sso_console_app::manage_core(&app, ws, http);
        let window = WebviewWindowBuilder::new(&app, window, Default::default())
            .build()
            .expect("a webview on the mock runtime");
        Self {
            window,
            _app: app,
            dir,
        }
    }

    /// Invokes `command` with `args` (camelCase keys, as the UI sends them) and returns its
    /// answer or what it was refused with.
    pub fn invoke(&self, command: &str, args: Value) -> Result<Value, Value> {
        tauri::test::get_ipc_response(&self.window, request(command, args)).map(|body| {
            body.deserialize::<Value>()
                .expect("a command answers with JSON")
        })
    }

    /// Invokes `command` and returns its answer, failing the test with the error otherwise.
    pub fn ok(&self, command: &str, args: Value) -> Value {
        self.invoke(command, args)
            .unwrap_or_else(|e| panic!("{command} failed: {e}"))
    }

    /// Invokes `command` and returns its error, failing the test if it succeeded.
    pub fn err(&self, command: &str, args: Value) -> Value {
        match self.invoke(command, args) {
            Ok(answer) => panic!("{command} succeeded with {answer}, expected an error"),
            Err(error) => error,
        }
    }
}

/// An IPC request as the page sends it, from the app's own origin.
pub fn request(command: &str, args: Value) -> InvokeRequest {
    InvokeRequest {
        cmd: command.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: app_origin(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_owned(),
    }
}

/// The origin Tauri serves the app's pages from on this platform.
fn app_origin() -> tauri::Url {
    let origin = if cfg!(any(windows, target_os = "android")) {
        "http://tauri.localhost"
    } else {
        "tauri://localhost"
    };
    origin.parse().expect("a valid URL")
}
