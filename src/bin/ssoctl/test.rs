//! `ssoctl test`: a test sign-in from the terminal, with the claims by source or the failed step.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use serde_json::{json, Map, Value};
use sso_console::directory::DirectoryId;
use sso_console::error_kind::FrontEnd;
use sso_console::http::HttpClient;
use sso_console::signin::{CheckOutcome, Interruption, SignInResult, SourceClaims};
use sso_console::Workspace;

use crate::report::{write, ReportOptions};
use crate::{environment, Failure, Output};

/// Arguments of `ssoctl test`.
#[derive(Args)]
pub struct TestArgs {
    /// The directory (name or id).
    directory: String,
    /// Do not open a browser: print "Open: <URL>" on standard error and wait.
    #[arg(long)]
    no_browser: bool,
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    /// Also write a diagnostics report of the test to this file (secrets removed).
    #[arg(long, value_name = "F")]
    report: Option<PathBuf>,
    #[command(flatten)]
    report_options: ReportOptions,
}

/// Runs `ssoctl test`.
pub async fn run(ws: &Workspace, args: &TestArgs) -> Result<Output, Failure> {
    let detail = ws.find(&args.directory).await?;
    let id = DirectoryId::parse(detail.document.id.as_deref().unwrap_or_default())
        .map_err(environment)?;
    let http = HttpClient::standard()?;
    let mut attempt = ws.prepare_sign_in(id).await?;
    eprintln!(
        "Redirect URI (register it at the provider): {}",
        attempt.redirect_uri()
    );
    if args.no_browser {
        eprintln!("Open: {}", attempt.authorization_url());
        attempt.browser_not_opened();
    } else if let Err(e) = sso_console::browser::open(attempt.authorization_url()) {
        eprintln!("{e}\nOpen: {}", attempt.authorization_url());
        attempt.browser_not_opened();
    }
    eprintln!("Waiting for the sign-in (Ctrl+C cancels)…");
    let cancel = async {
        let _ = tokio::signal::ctrl_c().await;
        Interruption::Cancelled
    };
    let result = attempt
        .complete(&http, Duration::from_secs(args.timeout), cancel)
        .await;
    // Kept for the list's health column; failing to keep it does not hide the result.
    if let Err(e) = ws.record_sign_in(id, &result).await {
        eprintln!(
            "The outcome could not be kept for the directory list: {}",
            e.message(FrontEnd::Ssoctl)
        );
    }
    if let Some(path) = &args.report {
        let written = match ws
            .directory_report(
                id,
                Some(result.clone()),
                &http,
                args.report_options.redaction(),
            )
            .await
        {
            Ok(report) => write(&report, path, &args.report_options),
            Err(e) => Err(e.into()),
        };
        match written {
            // On standard error, so that standard output stays the result alone.
            Ok(sentence) => eprintln!("{sentence}"),
            Err(e) => {
                // The sign-in happened: its result is not lost with the report.
                eprintln!("{}", text(&result));
                return Err(e);
            }
        }
    }
    let out = Output {
        text: text(&result),
        json: json!(result),
    };
    if result.succeeded {
        Ok(out)
    } else {
        Err(Failure::Reported(out))
    }
}

fn claims_text(out: &mut String, title: &str, source: &SourceClaims) {
    out.push_str(&format!(
        "\n{title} — {}: {}\n",
        source.status.label(),
        source.status_detail
    ));
    if let Some(header) = &source.header {
        out.push_str(&format!("  header: {}\n", Value::Object(header.clone())));
    }
    for (name, value) in source.claims.iter().flat_map(Map::iter) {
        out.push_str(&format!("  {name:<24} {value}\n"));
    }
}

/// A test sign-in, as people read it.
pub(crate) fn text(r: &SignInResult) -> String {
    let mut out = match (&r.failure, r.succeeded) {
        (Some(f), _) => format!(
            "Test sign-in of \"{}\" failed at the step \"{}\": {}\n  What to do: {}\n",
            r.directory_name,
            f.step.label(),
            f.message,
            f.hint
        ),
        (None, true) => format!("Test sign-in of \"{}\" succeeded.\n", r.directory_name),
        (None, false) if r.checks.iter().all(|c| c.outcome != CheckOutcome::Fail) => format!(
            "Test sign-in of \"{}\" completed, but the userinfo request failed: {}\n",
            r.directory_name, r.userinfo.status_detail
        ),
        (None, false) => format!(
            "Test sign-in of \"{}\" completed, but some checks failed.\n",
            r.directory_name
        ),
    };
    if !r.checks.is_empty() {
        out.push_str("\nChecks\n");
        for c in &r.checks {
            let mark = match c.outcome {
                CheckOutcome::Pass => "pass",
                CheckOutcome::Fail => "FAIL",
                CheckOutcome::Skip => "skip",
                CheckOutcome::Warn => "warn",
            };
            out.push_str(&format!("  {mark}  {:<26} {}\n", c.name, c.detail));
        }
    }
    claims_text(&mut out, "Access Token", &r.access_token);
    claims_text(&mut out, "ID Token", &r.id_token);
    claims_text(&mut out, "Userinfo", &r.userinfo);
    out
}
