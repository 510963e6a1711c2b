//! `ssoctl report`: a diagnostics report of a directory written to a file, and `report show`,
//! which prints a saved JSON report as text. The options here also serve `test --report` and
//! `scim run --report`.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;
use sso_console::directory::DirectoryId;
use sso_console::error_kind::ErrorKind;
use sso_console::http::HttpClient;
use sso_console::report::{RedactOptions, Report, ReportFormat};
use sso_console::Workspace;

use crate::{environment, Failure, Output};

/// How a report is written.
#[derive(Args, Clone)]
pub struct ReportOptions {
    /// Also replace e-mail addresses, names, phone numbers, postal addresses and free-text
    /// claims by placeholders (secrets are always removed).
    #[arg(long)]
    redact: bool,
    /// Also replace user identifiers (sub, oid) by placeholders.
    #[arg(long)]
    redact_identifiers: bool,
    /// The file format (default: json for a file ending in .json, else html).
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Html,
    Json,
}

impl ReportOptions {
    /// What to remove.
    pub fn redaction(&self) -> RedactOptions {
        RedactOptions {
            personal_data: self.redact,
            identifiers: self.redact_identifiers,
        }
    }

    fn format_for(&self, path: &Path) -> ReportFormat {
        match self.format {
            Some(FormatArg::Html) => ReportFormat::Html,
            Some(FormatArg::Json) => ReportFormat::Json,
            None if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json")) =>
            {
                ReportFormat::Json
            }
            None => ReportFormat::Html,
        }
    }
}

/// Arguments of `ssoctl report`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ReportArgs {
    #[command(subcommand)]
    command: Option<ReportCommand>,
    /// The directory (name or id).
    directory: Option<String>,
    /// The file to write.
    #[arg(long, value_name = "F")]
    out: Option<PathBuf>,
    #[command(flatten)]
    options: ReportOptions,
}

#[derive(Subcommand)]
enum ReportCommand {
    /// Print a saved JSON report as text.
    Show {
        /// The report file (JSON).
        file: PathBuf,
    },
}

/// Runs `ssoctl report`.
pub async fn run(ws: &Workspace, args: &ReportArgs) -> Result<Output, Failure> {
    if let Some(ReportCommand::Show { file }) = &args.command {
        return show(file);
    }
    let (Some(directory), Some(out)) = (&args.directory, &args.out) else {
        return Err(environment(
            "give the directory and the file: `ssoctl report <name|id> --out report.html`, or `ssoctl report show report.json`",
        ));
    };
    let detail = ws.find(directory).await?;
    let id = DirectoryId::parse(detail.document.id.as_deref().unwrap_or_default())
        .map_err(environment)?;
    let http = HttpClient::standard()?;
    let report = ws
        .directory_report(id, None, &http, args.options.redaction())
        .await?;
    let written = write(&report, out, &args.options)?;
    Ok(Output {
        text: written.clone(),
        json: json!({ "written": out, "format": args.options.format_for(out), "message": written }),
    })
}

/// Writes `report` to `path` in the format asked for, all at once: a failure leaves no
/// half-written file. Returns the sentence that says so.
pub fn write(report: &Report, path: &Path, options: &ReportOptions) -> Result<String, Failure> {
    let format = options.format_for(path);
    let content = report.render(format);
    sso_console::report::write_file(path, &content).map_err(|e| Failure::Environment {
        kind: ErrorKind::Environment,
        message: format!(
            "cannot write the report to {}: {e}; choose a folder you can write to",
            path.display()
        ),
    })?;
    let what = match (report.redaction.personal_data, report.redaction.identifiers) {
        (true, true) => "secrets, personal data and identifiers removed",
        (true, false) => "secrets and personal data removed",
        (false, true) => "secrets and identifiers removed",
        (false, false) => "secrets removed; personal data kept (add --redact to remove it)",
    };
    Ok(format!(
        "Report written to {} ({}, {} KB; {what}).",
        path.display(),
        match format {
            ReportFormat::Html => "HTML",
            ReportFormat::Json => "JSON",
        },
        content.len().div_ceil(1024)
    ))
}

fn show(file: &Path) -> Result<Output, Failure> {
    let bytes = sso_console::report::read_file(file).map_err(|e| Failure::Environment {
        kind: ErrorKind::Environment,
        message: format!("cannot read {}: {e}", file.display()),
    })?;
    let report = Report::parse(&bytes).map_err(|e| Failure::Invalid {
        kind: e.kind(),
        message: e.to_string(),
        fields: Vec::new(),
    })?;
    Ok(Output {
        text: text(&report),
        json: json!(report),
    })
}

/// A report as people read it in a terminal.
fn text(r: &Report) -> String {
    let mut out = format!(
        "SSO Console report, made {} by version {} on {}\n",
        r.created_at, r.app_version, r.platform
    );
    let replaced = match (r.redaction.personal_data, r.redaction.identifiers) {
        (true, true) => Some("Personal data and user identifiers"),
        (true, false) => Some("Personal data"),
        (false, true) => Some("User identifiers"),
        (false, false) => None,
    };
    match replaced {
        Some(what) => out.push_str(&format!(
            "{what} replaced by {} placeholder(s); secrets removed.\n",
            r.redaction.placeholders
        )),
        None => out.push_str("Secrets removed; personal data kept.\n"),
    }
    if let Some(d) = &r.directory {
        out.push_str(&format!(
            "\nDirectory \"{}\" ({})\n",
            d.name,
            d.id.as_deref().unwrap_or("not saved")
        ));
    }
    if let Some(d) = &r.discovery {
        out.push('\n');
        out.push_str(&crate::discover::report_text(d));
    }
    if let Some(e) = &r.discovery_error {
        out.push_str(&format!("\nDiscovery failed: {e}\n"));
    }
    if let Some(s) = &r.sign_in {
        out.push('\n');
        out.push_str(&crate::test::text(s));
    }
    if let Some(e) = &r.evaluation {
        out.push_str("\nEvaluation\n");
        out.push_str(&crate::claims::evaluation_text(e));
    }
    if let Some(d) = &r.routing {
        out.push_str("\nRouting\n");
        out.push_str(&crate::route::decision_text(d));
    }
    if let Some(s) = &r.scim {
        out.push_str(&crate::scim::part_text(s));
    }
    out
}
