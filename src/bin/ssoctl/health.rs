//! `ssoctl health`: each directory's discovery check, its secret's expiry and, with
//! `--probe-secret`, whether the provider accepts its client secret; for a scheduled job.

use clap::Args;
use serde_json::json;
use sso_console::discovery;
use sso_console::http::HttpClient;
use sso_console::ids::DirectoryId;
use sso_console::workspace::DirectoryHealth;
use sso_console::Workspace;

use crate::{environment, Failure, Output};

/// Arguments of `ssoctl health`.
#[derive(Args)]
pub struct HealthArgs {
    /// The directories to check (names or ids); all of them when none is given.
    directories: Vec<String>,
    /// Also ask each provider, with one token request, whether it accepts the client secret.
    #[arg(long)]
    probe_secret: bool,
    /// How many providers to ask at once.
    #[arg(long, default_value_t = discovery::DEFAULT_BOUND as u16, value_parser = clap::value_parser!(u16).range(1..=64))]
    concurrency: u16,
}

/// Runs `ssoctl health`: exit 0 when every directory is healthy, 1 when any needs attention.
pub async fn run(ws: &Workspace, args: &HealthArgs) -> Result<Output, Failure> {
    let mut ids = Vec::with_capacity(args.directories.len());
    for name in &args.directories {
        let detail = ws.find(name).await?;
        ids.push(
            DirectoryId::parse(detail.document.id.as_deref().unwrap_or_default())
                .map_err(environment)?,
        );
    }
    let http = HttpClient::standard()?;
    let health = ws
        .health(
            &ids,
            &http,
            args.probe_secret,
            usize::from(args.concurrency),
        )
        .await?;
    let out = Output {
        text: text(&health),
        json: json!(health),
    };
    if health.iter().all(DirectoryHealth::healthy) {
        Ok(out)
    } else {
        Err(Failure::Reported(out))
    }
}

/// One line per directory, then a line per reason it needs attention.
fn text(health: &[DirectoryHealth]) -> String {
    if health.is_empty() {
        return "No directories to check.".into();
    }
    let width = health
        .iter()
        .map(|h| h.name.chars().count())
        .max()
        .unwrap_or(4);
    let mut out = String::new();
    for h in health {
        let mut facts = vec![format!("discovery {}", h.check.status.as_str())];
        facts.push(format!("secret {}", h.secret_expiry.describe()));
        if let Some(p) = &h.probe {
            facts.push(p.verdict.label().to_owned());
        }
        out.push_str(&format!(
            "{:<width$}  {}  ({})\n",
            h.name,
            if h.healthy() {
                "healthy"
            } else {
                "NEEDS ATTENTION"
            },
            facts.join(", ")
        ));
        for reason in &h.state.attention {
            out.push_str(&format!("{:<width$}    - {reason}\n", ""));
        }
    }
    let attention = health.iter().filter(|h| !h.healthy()).count();
    out.push_str(&match attention {
        0 => format!("All {} healthy.", health.len()),
        n => format!("{n} of {} need attention.", health.len()),
    });
    out
}
