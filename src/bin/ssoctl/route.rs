//! `ssoctl route <email>` and `ssoctl route check`: the routing simulator and the check of all
//! directories' routing (DESIGN §3.2).

use clap::{Args, Subcommand};
use serde_json::json;
use sso_console::directory::DirectoryRef;
use sso_console::error_kind::ErrorKind;
use sso_console::routing::{EmailAddress, Route, RouteDecision, RoutingReport};
use sso_console::Workspace;

use crate::{Failure, Output};

/// Arguments of `ssoctl route`.
#[derive(Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    override_usage = "ssoctl route <EMAIL>\n       ssoctl route check"
)]
pub struct RouteArgs {
    /// The email address to route: which directory it is sent to, and why. Exit 1 when the user
    /// cannot sign in.
    #[arg(required = true)]
    email: Option<String>,
    #[command(subcommand)]
    command: Option<RouteCommand>,
}

/// `ssoctl route` subcommands.
#[derive(Subcommand)]
pub enum RouteCommand {
    /// Check the routing of all directories together. Exit 1 on an error-level finding (nobody
    /// can sign in, a domain in two directories).
    Check,
}

/// Runs `ssoctl route`.
pub async fn run(ws: &Workspace, args: &RouteArgs) -> Result<Output, Failure> {
    match (&args.command, &args.email) {
        (Some(RouteCommand::Check), _) => {
            let report = ws.check_routing().await?;
            let out = Output {
                text: report_text(&report),
                json: json!(report),
            };
            if report.ok {
                Ok(out)
            } else {
                Err(Failure::Reported(out))
            }
        }
        (None, Some(email)) => {
            let email = EmailAddress::parse(email).map_err(|e| Failure::Environment {
                kind: ErrorKind::InvalidEmail,
                message: e.to_string(),
            })?;
            let decision = ws.simulate_route(&email).await?;
            let out = Output {
                text: decision_text(&decision),
                json: json!(decision),
            };
            if decision.can_sign_in {
                Ok(out)
            } else {
                Err(Failure::Reported(out))
            }
        }
        (None, None) => Err(crate::environment(
            "give an email address (ssoctl route ann@example.org) or `check`",
        )),
    }
}

fn label(d: &DirectoryRef) -> String {
    if d.is_hidden {
        format!("\"{}\" (hidden)", d.name)
    } else {
        format!("\"{}\"", d.name)
    }
}

fn route_line(route: &Route) -> String {
    match route {
        Route::DomainSuffix { directory, suffix } => {
            format!("{} — by domain suffix {suffix}", label(directory))
        }
        Route::SingleVisibleDirectory { directory } => {
            format!("{} — the only visible directory", label(directory))
        }
        Route::SelectionScreen { choices } => format!(
            "the selection screen, listing {}",
            choices.iter().map(label).collect::<Vec<_>>().join(", ")
        ),
        Route::NobodyCanSignIn { .. } => "nobody: this user cannot sign in".into(),
        Route::ConflictingDomain { directories, .. } => format!(
            "undefined: {} all list the domain",
            directories.iter().map(label).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// A routing decision, as people read it.
pub(crate) fn decision_text(d: &RouteDecision) -> String {
    let mut text = format!(
        "{} → {}\n{}\n",
        d.email,
        route_line(&d.route),
        d.explanation
    );
    for note in &d.notes {
        text.push_str(&format!("note: {note}\n"));
    }
    text
}

fn report_text(r: &RoutingReport) -> String {
    const OTHER: &str = "(any other domain)";
    let width = r
        .domains
        .iter()
        .map(|d| d.domain.chars().count())
        .max()
        .unwrap_or(0)
        .max(OTHER.len());
    let mut text = format!("{}\n\nRoutes:\n", r.summary);
    for d in &r.domains {
        text.push_str(&format!(
            "  {:<width$}  → {}\n",
            d.domain,
            label(&d.directory)
        ));
    }
    text.push_str(&format!(
        "  {OTHER:<width$}  → {}\n",
        route_line(&r.other_domains)
    ));
    text.push('\n');
    for f in &r.findings {
        text.push_str(&format!("{}: {}\n", f.severity.as_str(), f.message));
    }
    text
}
