//! `ssoctl discover`: a provider's metadata, the fields it prefills and the findings; or, with
//! `--all`, the check of every stored directory.

use clap::Args;
use serde_json::json;
use sso_console::discovery::{self, CheckStatus, DirectoryCheck, DiscoveryReport};
use sso_console::error_kind::ErrorKind;
use sso_console::findings::{Finding, Severity};
use sso_console::http::HttpClient;
use sso_console::Workspace;

use crate::{environment, Failure, Output};

/// Arguments of `ssoctl discover`.
#[derive(Args)]
pub struct DiscoverArgs {
    /// A domain, issuer URL or well-known URL (default: the directory's discovery domain).
    input: Option<String>,
    /// Judge the provider against this directory's settings (name or id).
    #[arg(long)]
    directory: Option<String>,
    /// Check every stored directory instead.
    #[arg(long, conflicts_with_all = ["input", "directory"])]
    all: bool,
    /// How many providers to fetch at once with --all.
    #[arg(long, default_value_t = discovery::DEFAULT_BOUND as u16, value_parser = clap::value_parser!(u16).range(1..=64))]
    concurrency: u16,
}

/// Runs `ssoctl discover`.
pub async fn run(ws: &Workspace, args: &DiscoverArgs) -> Result<Output, Failure> {
    let client = HttpClient::standard()?;
    if args.all {
        let documents = ws.documents().await?;
        let checks = ws
            .check_directories(
                &client,
                &documents,
                usize::from(args.concurrency),
                |_, _| {},
            )
            .await?;
        let failed = checks
            .iter()
            .any(|c| matches!(c.status, CheckStatus::Errors | CheckStatus::Failed));
        let out = Output {
            text: checks_text(&checks),
            json: json!(checks),
        };
        return if failed {
            Err(Failure::Reported(out))
        } else {
            Ok(out)
        };
    }
    let settings = match &args.directory {
        Some(name) => Some(ws.find(name).await?.document),
        None => None,
    };
    let input = args
        .input
        .clone()
        .or_else(|| settings.as_ref().and_then(discovery::discovery_input))
        .ok_or_else(|| environment("give a domain or URL to discover from, or --all"))?;
    let report = discovery::discover(&client, &input, settings.as_ref())
        .await
        .map_err(|e| Failure::Invalid {
            kind: ErrorKind::Discovery,
            message: e.to_string(),
            fields: Vec::new(),
        })?;
    let out = Output {
        text: report_text(&report),
        json: json!(report),
    };
    if report.worst() == Some(Severity::Error) {
        Err(Failure::Reported(out))
    } else {
        Ok(out)
    }
}

fn finding_line(f: &Finding) -> String {
    let mark = match f.severity {
        Severity::Error => "error  ",
        Severity::Warning => "warning",
        Severity::Info => "info   ",
    };
    format!("  {mark} {}\n          fix: {}\n", f.message, f.fix)
}

/// A discovery report, as people read it.
pub(crate) fn report_text(r: &DiscoveryReport) -> String {
    let mut out = format!(
        "Discovery document  {}  ({} ms)\n\nPrefill\n",
        r.document_url, r.elapsed_ms
    );
    let p = &r.prefill;
    for (name, value) in [
        ("Authorization URL", &p.authorization_url),
        ("Token URL", &p.token_url),
        ("Userinfo URL", &p.userinfo_url),
        ("Issuer", &p.issuer),
        ("JWKS URI", &p.jwks_uri),
    ] {
        out.push_str(&format!(
            "  {name:<18} {}\n",
            value.as_deref().unwrap_or("—")
        ));
    }
    if !r.changes.is_empty() {
        out.push_str("\nChanges to the directory\n");
        for c in &r.changes {
            out.push_str(&format!(
                "  {:<18} {} → {}\n",
                c.field,
                c.old.as_deref().unwrap_or("(empty)"),
                c.new
            ));
        }
    }
    out.push_str("\nFindings\n");
    if r.findings.is_empty() {
        out.push_str("  none\n");
    }
    for f in &r.findings {
        out.push_str(&finding_line(f));
    }
    out
}

fn checks_text(checks: &[DirectoryCheck]) -> String {
    if checks.is_empty() {
        return "No directories to check.".into();
    }
    let width = checks
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut out = format!(
        "{:<width$}  {:<8}  {:>6}  {:>8}\n",
        "NAME", "STATUS", "ERRORS", "WARNINGS"
    );
    for c in checks {
        out.push_str(&format!(
            "{:<width$}  {:<8}  {:>6}  {:>8}\n",
            c.name,
            c.status.as_str(),
            c.errors,
            c.warnings
        ));
    }
    for c in checks
        .iter()
        .filter(|c| c.problem.is_some() || c.errors + c.warnings > 0)
    {
        out.push_str(&format!("\n{}\n", c.name));
        if let Some(p) = &c.problem {
            out.push_str(&format!("  {p}\n"));
        }
        for f in c.findings.iter().filter(|f| f.severity != Severity::Info) {
            out.push_str(&finding_line(f));
        }
    }
    out
}
