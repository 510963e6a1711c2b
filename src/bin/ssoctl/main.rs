//! `ssoctl`: SSO Console from a terminal (DESIGN §7.2), a thin layer over the core's workspace.
//!
//! Exit codes: 0 success, 1 the thing checked is invalid or failed, 2 usage or environment error
//! (a bad command line, a directory that does not exist, a port in use, storage or keyring).
//! With `--json`, every command prints exactly one JSON document on standard output, usage
//! errors included.

mod bundle;
mod claims;
mod dir;
mod discover;
mod guide;
mod health;
mod logo;
mod preset;
mod report;
mod route;
mod scim;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::json;
use sso_console::directory::FieldError;
use sso_console::error_kind::{ErrorKind, FrontEnd};
use sso_console::workspace;
use sso_console::{Workspace, WorkspaceError};

#[derive(Parser)]
#[command(
    name = "ssoctl",
    version = sso_console::VERSION_LINE,
    about = "SSO Console from the command line"
)]
struct Cli {
    /// The data directory (default: $SSO_CONSOLE_DATA_DIR, else the platform's app-data folder).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Print exactly one JSON document on standard output.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Directory connections.
    #[command(subcommand)]
    Dir(dir::DirCommand),
    /// Logo files.
    #[command(subcommand)]
    Logo(logo::LogoCommand),
    /// Provider presets: which exist, and the directory document one prefills.
    #[command(subcommand)]
    Preset(preset::PresetCommand),
    /// A directory's setup steps at its provider, redirect URLs filled in (Markdown or HTML).
    Guide(guide::GuideArgs),
    /// Fetch and judge a provider's OpenID configuration.
    Discover(discover::DiscoverArgs),
    /// Which directory an email address is sent to, and why; or `route check` for all routing.
    Route(route::RouteArgs),
    /// A test sign-in: claims by source, or the step that failed.
    Test(test::TestArgs),
    /// Each directory's health for a scheduled job: discovery, secret expiry and, with
    /// --probe-secret, whether the provider accepts the secret.
    Health(health::HealthArgs),
    /// Claims against a directory's mappings, staff identification and external ID.
    #[command(subcommand)]
    Claims(claims::ClaimsCommand),
    /// Write directories, SCIM connections and settings to a bundle file or a folder.
    Export(bundle::ExportArgs),
    /// Check a bundle file or folder, show what it would change, and apply it all or nothing.
    Import(bundle::ImportArgs),
    /// A diagnostics report of a directory (secrets removed), or `report show F` to read one.
    Report(report::ReportArgs),
    /// SCIM provisioning check: Test Connection, review, preview, dry run, connections.
    #[command(subcommand)]
    Scim(scim::ScimCommand),
}

/// What went wrong, and which exit code it earns.
enum Failure {
    /// The thing checked is invalid or failed: exit 1.
    Invalid {
        kind: ErrorKind,
        message: String,
        fields: Vec<FieldError>,
    },
    /// Usage or environment: exit 2.
    Environment { kind: ErrorKind, message: String },
    /// A complete report whose verdict is a failure: printed like a success, exit 1.
    Reported(Output),
}

impl From<WorkspaceError> for Failure {
    fn from(e: WorkspaceError) -> Self {
        match e.kind() {
            ErrorKind::Validation
            | ErrorKind::InvalidLogo
            | ErrorKind::Conflict
            | ErrorKind::InvalidReport
            | ErrorKind::InvalidBundle
            | ErrorKind::WrongPassphrase => Failure::Invalid {
                kind: e.kind(),
                message: e.message(FrontEnd::Ssoctl),
                fields: e.fields(),
            },
            ErrorKind::NotFound => Failure::Environment {
                kind: ErrorKind::NotFound,
                message: format!("{e}; list them with `ssoctl dir list`"),
            },
            kind => Failure::Environment {
                kind,
                message: e.message(FrontEnd::Ssoctl),
            },
        }
    }
}

impl From<sso_console::http::HttpError> for Failure {
    fn from(e: sso_console::http::HttpError) -> Self {
        Failure::Environment {
            kind: ErrorKind::Network,
            message: e.to_string(),
        }
    }
}

/// Reads a secret (`what`: "client secret", "passphrase"…) from the first line of standard
/// input; at a terminal it asks for it first.
fn read_stdin_secret(what: &str) -> Result<sso_console::sensitive::SecretString, Failure> {
    use std::io::{BufRead, IsTerminal};
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let mut asked = what.to_owned();
        if let Some(first) = asked.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        eprint!("{asked} (input is not hidden; prefer a pipe): ");
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| environment(format!("cannot read the {what} from standard input: {e}")))?;
    Ok(sso_console::sensitive::SecretString::new(line))
}

fn environment(message: impl Into<String>) -> Failure {
    Failure::Environment {
        kind: ErrorKind::Usage,
        message: message.into(),
    }
}

/// A command's success: the JSON document and the text for people.
struct Output {
    json: serde_json::Value,
    text: String,
}

fn main() -> ExitCode {
    // Before the runtime starts its threads (see the function).
    sso_console::expiry::read_local_offset();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    sso_console::logging::init("warn");
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return report(cli.json, Err(environment(format!("cannot start: {e}")))),
    };
    let result = runtime.block_on(run(&cli));
    report(cli.json, result)
}

/// A command line clap refused (or --help and --version, which it answers itself). With
/// `--json` anywhere on it, the refusal is one JSON document like every other error.
fn usage_error(e: &clap::Error) -> ExitCode {
    let wants_json = std::env::args_os().skip(1).any(|a| a == "--json");
    if matches!(
        e.kind(),
        clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
    ) || !wants_json
    {
        let _ = e.print();
        return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
    }
    let message = e.render().to_string();
    let message = message.trim().trim_start_matches("error: ");
    report(true, Err(environment(message.to_owned())))
}

fn print(as_json: bool, out: &Output) {
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&out.json).unwrap_or_default()
        );
    } else if !out.text.is_empty() {
        println!("{}", out.text.trim_end());
    }
}

fn report(as_json: bool, result: Result<Output, Failure>) -> ExitCode {
    match result {
        Ok(out) => {
            print(as_json, &out);
            ExitCode::SUCCESS
        }
        Err(failure) => {
            let (code, kind, message, fields) = match failure {
                Failure::Reported(out) => {
                    print(as_json, &out);
                    return ExitCode::from(1);
                }
                Failure::Invalid {
                    kind,
                    message,
                    fields,
                } => (1, kind, message, fields),
                Failure::Environment { kind, message } => (2, kind, message, Vec::new()),
            };
            if as_json {
                let doc =
                    json!({ "error": { "kind": kind, "message": message, "fields": fields } });
                println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
            } else if fields.len() > 1 {
                eprintln!("error: {} fields need attention:", fields.len());
                for f in &fields {
                    eprintln!("  {}: {}", f.field, f.message);
                }
            } else {
                eprintln!("error: {message}");
            }
            ExitCode::from(code)
        }
    }
}

async fn run(cli: &Cli) -> Result<Output, Failure> {
    match &cli.command {
        Command::Scim(command) => scim::run(cli, command).await,
        Command::Logo(command) => logo::run(command),
        Command::Preset(command) => preset::run(command),
        Command::Dir(command) => {
            let ws = open_workspace(cli).await?;
            let result = dir::run(&ws, command).await;
            ws.close().await;
            result
        }
        Command::Guide(args) => {
            let ws = open_workspace(cli).await?;
            let result = guide::run(&ws, args).await;
            ws.close().await;
            result
        }
        Command::Discover(args) => {
            let ws = open_workspace(cli).await?;
            let result = discover::run(&ws, args).await;
            ws.close().await;
            result
        }
        Command::Test(args) => {
            let ws = open_workspace(cli).await?;
            let result = test::run(&ws, args).await;
            ws.close().await;
            result
        }
        Command::Health(args) => {
            let ws = open_workspace(cli).await?;
            let result = health::run(&ws, args).await;
            ws.close().await;
            result
        }
        Command::Route(args) => {
            let ws = open_workspace(cli).await?;
            let result = route::run(&ws, args).await;
            ws.close().await;
            result
        }
        Command::Claims(command) => {
            let ws = open_workspace(cli).await?;
            let result = claims::run(&ws, command).await;
            ws.close().await;
            result
        }
        Command::Export(args) => {
            let ws = open_workspace(cli).await?;
            let result = bundle::export(&ws, args).await;
            ws.close().await;
            result
        }
        Command::Import(args) => {
            let ws = open_workspace(cli).await?;
            let result = bundle::import(&ws, args).await;
            ws.close().await;
            result
        }
        Command::Report(args) => {
            let ws = open_workspace(cli).await?;
            let result = report::run(&ws, args).await;
            ws.close().await;
            result
        }
    }
}

async fn open_workspace(cli: &Cli) -> Result<Workspace, Failure> {
    let data_dir = match &cli.data_dir {
        Some(dir) => dir.clone(),
        None => workspace::default_data_dir()?,
    };
    Ok(Workspace::open(&data_dir).await?)
}
