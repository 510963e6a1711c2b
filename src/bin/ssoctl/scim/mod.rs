//! `ssoctl scim …`: the SCIM provisioning check (C14) from a terminal — Test Connection,
//! endpoint review, mapping preview, lifecycle dry run, stored SCIM connections, and the
//! ready-made mapping templates and sample users.

mod conn;
mod input;
mod text;

use std::path::PathBuf;
use tokio_util::sync::CancellationToken;

use clap::{Args, Subcommand};
use serde_json::{json, Value as Json};
use sso_console::error_kind::{ErrorKind, FrontEnd};
use sso_console::scim::lifecycle::{self, DryRunOptions};
use sso_console::scim::preview::{self, PreviewOptions};
use sso_console::scim::review::{self};
use sso_console::scim::templates;
use sso_console::scim::test_connection::{self};
use sso_console::workspace::ScimError;

use crate::{environment, open_workspace, Cli, Failure, Output};
use input::{client, invalid_mappings, read_mappings, read_user, unknown_sample, unknown_template};
use sso_console::report::{Parts, Report, ScimPart};
pub(crate) use text::part_text;
use text::{preview_text, review_text, run_text, test_text};

use conn::conn;

/// `ssoctl scim` subcommands.
#[derive(Subcommand)]
pub enum ScimCommand {
    /// The requests Entra's and Okta's Test Connection send, judged. Exit 1 when a provider's
    /// test would fail.
    Test {
        /// The tenant URL (SCIM base URL), or the name or id of a stored SCIM connection.
        target: String,
        #[command(flatten)]
        access: Access,
        #[command(flatten)]
        report: ReportTo,
    },
    /// ServiceProviderConfig, Schemas and ResourceTypes, with findings. Exit 1 on an error.
    Review {
        /// The tenant URL, or a stored SCIM connection.
        target: String,
        /// Judge these mappings (a mapping document) against the server's schemas.
        #[arg(long, value_name = "F")]
        mappings: Option<PathBuf>,
        #[command(flatten)]
        access: Access,
        #[command(flatten)]
        report: ReportTo,
    },
    /// The SCIM requests a provider would send for a sample user. Exit 1 when a body breaks the
    /// server's (or RFC 7643's) schemas.
    Preview {
        /// The mapping document (JSON, see docs/scim-mappings.md), or template:ID.
        #[arg(long, value_name = "F")]
        mappings: String,
        /// The source user (JSON), or sample:ID.
        #[arg(long, value_name = "F")]
        user: String,
        /// The same user after a change, for the update preview (default: one attribute changed).
        #[arg(long, value_name = "F")]
        changed: Option<String>,
        /// Check against this endpoint's schemas (a tenant URL or a stored SCIM connection).
        #[arg(long, value_name = "U")]
        url: Option<String>,
        /// Write PATCH requests as Entra does ("Replace", booleans as "False").
        #[arg(long)]
        entra_quirks: bool,
        #[command(flatten)]
        access: Access,
    },
    /// The lifecycle dry run against the live endpoint, every request logged. Exit 1 when a step
    /// fails or something could not be cleaned up.
    Run {
        /// The tenant URL, or a stored SCIM connection.
        target: String,
        /// The mapping document, or template:ID (default for a stored connection: its mappings).
        #[arg(long, value_name = "F")]
        mappings: Option<String>,
        /// The source user (JSON), or sample:ID.
        #[arg(long, value_name = "F")]
        user: String,
        /// GET requests only: look the user up, list users and groups, write nothing.
        #[arg(long)]
        read_only: bool,
        /// Write PATCH requests as Entra does ("Replace", "False", member removal by value).
        #[arg(long)]
        entra_quirks: bool,
        /// Send the user's identifying values without the unique test tag.
        #[arg(long)]
        keep_values: bool,
        /// Also print every request and response body (they are always in --json).
        #[arg(long)]
        bodies: bool,
        #[command(flatten)]
        access: Access,
        #[command(flatten)]
        report: ReportTo,
    },
    /// Stored SCIM connections.
    #[command(subcommand)]
    Conn(ConnCommand),
    /// The ready-made mapping sets; with an id, that set as a mapping document.
    Template {
        /// The template's id.
        id: Option<String>,
    },
    /// The sample source users; with an id, that user as JSON.
    Sample {
        /// The sample's id.
        id: Option<String>,
    },
}

/// Where to write a diagnostics report of a check, and how.
#[derive(Args)]
pub struct ReportTo {
    /// Also write a diagnostics report of this check to this file (the token removed).
    #[arg(long = "report", value_name = "F")]
    file: Option<PathBuf>,
    #[command(flatten)]
    options: crate::report::ReportOptions,
}

impl ReportTo {
    /// Writes the report of `checks` when a file was asked for; says so on standard error, so
    /// that standard output stays the check alone.
    fn write(
        &self,
        client: &sso_console::scim::ScimClient,
        checks: ScimPart,
    ) -> Result<(), Failure> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        let diagnostics = Report::build(
            Parts {
                scim: Some(checks),
                secrets: client.token().cloned().into_iter().collect(),
                ..Parts::default()
            },
            self.options.redaction(),
        )
        .map_err(|e| Failure::Environment {
            kind: e.kind(),
            message: e.to_string(),
        })?;
        eprintln!(
            "{}",
            crate::report::write(&diagnostics, path, &self.options)?
        );
        Ok(())
    }
}

/// How to reach the endpoint.
#[derive(Args)]
pub struct Access {
    /// Read the bearer token from the first line of standard input.
    #[arg(long)]
    token_stdin: bool,
    /// Give up on a request after this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=300))]
    timeout: u64,
}

/// `ssoctl scim conn` subcommands.
#[derive(Subcommand)]
pub enum ConnCommand {
    /// List the SCIM connections.
    List,
    /// Show one SCIM connection (by name or id).
    Show {
        /// Name or id.
        connection: String,
    },
    /// Create a SCIM connection; the bearer token is read from standard input.
    Create {
        /// Its name.
        #[arg(long)]
        name: String,
        /// The tenant URL.
        #[arg(long)]
        url: String,
        /// The directory it belongs to (name or id).
        #[arg(long)]
        directory: Option<String>,
        /// Notes.
        #[arg(long, default_value = "")]
        notes: String,
        /// The mapping document, or template:ID.
        #[arg(long, value_name = "F")]
        mappings: Option<String>,
        /// Read the bearer token from the first line of standard input.
        #[arg(long)]
        token_stdin: bool,
    },
    /// Delete a SCIM connection and its token.
    Delete {
        /// Name or id.
        connection: String,
    },
}

impl From<ScimError> for Failure {
    fn from(e: ScimError) -> Self {
        match e.kind() {
            ErrorKind::Validation | ErrorKind::Conflict => Failure::Invalid {
                kind: e.kind(),
                message: e.message(FrontEnd::Ssoctl),
                fields: e.fields(),
            },
            ErrorKind::NotFound => Failure::Environment {
                kind: ErrorKind::NotFound,
                message: format!("{e}; list them with `ssoctl scim conn list`"),
            },
            kind => Failure::Environment {
                kind,
                message: e.message(FrontEnd::Ssoctl),
            },
        }
    }
}

fn invalid(kind: ErrorKind, message: impl Into<String>) -> Failure {
    Failure::Invalid {
        kind,
        message: message.into(),
        fields: Vec::new(),
    }
}

/// Runs a check that changes nothing on the server until it ends or Ctrl+C is pressed.
async fn until_interrupted<T>(
    what: &str,
    work: impl std::future::Future<Output = T>,
) -> Result<T, Failure> {
    tokio::select! {
        done = work => Ok(done),
        _ = tokio::signal::ctrl_c() => Err(Failure::Environment {
            kind: ErrorKind::Cancelled,
            message: format!("{what} was cancelled; it changes nothing on the server"),
        }),
    }
}

/// Runs `ssoctl scim`.
pub async fn run(cli: &Cli, command: &ScimCommand) -> Result<Output, Failure> {
    match command {
        ScimCommand::Test {
            target,
            access,
            report: report_to,
        } => {
            let (client, _) = client(cli, target, access).await?;
            let report =
                until_interrupted("Test Connection", test_connection::test_connection(&client))
                    .await?;
            report_to.write(
                &client,
                ScimPart {
                    test_connection: Some(report.clone()),
                    ..ScimPart::default()
                },
            )?;
            verdict(report.passed, test_text(&report), json!(report))
        }
        ScimCommand::Review {
            target,
            mappings,
            access,
            report: report_to,
        } => {
            let (client, stored) = client(cli, target, access).await?;
            let document = match mappings {
                Some(path) => Some(read_mappings(&path.display().to_string())?),
                None => stored.filter(|d| !d.mappings.is_empty()),
            };
            let set = document
                .map(|d| d.check().map_err(invalid_mappings))
                .transpose()?;
            let (report, _) =
                until_interrupted("The review", review::review(&client, set.as_ref())).await?;
            report_to.write(
                &client,
                ScimPart {
                    review: Some(report.clone()),
                    ..ScimPart::default()
                },
            )?;
            verdict(report.passed, review_text(&report), json!(report))
        }
        ScimCommand::Preview {
            mappings,
            user,
            changed,
            url,
            entra_quirks,
            access,
        } => {
            let set = read_mappings(mappings)?.check().map_err(invalid_mappings)?;
            let user = read_user(user)?;
            let changed = changed.as_deref().map(read_user).transpose()?;
            let schemas = match url {
                Some(url) => {
                    let (client, _) = client(cli, url, access).await?;
                    let (review, schemas) =
                        until_interrupted("The preview", review::review(&client, Some(&set)))
                            .await?;
                    if schemas.is_none() {
                        return Err(invalid(
                            ErrorKind::Unreachable,
                            format!(
                                "the schemas of {url} could not be read: {}",
                                review
                                    .findings
                                    .iter()
                                    .find(|f| f
                                        .subject
                                        .as_deref()
                                        .is_some_and(|p| p.starts_with("/Schemas")))
                                    .or(review.findings.first())
                                    .map(|f| format!("{} — {}", f.message, f.fix))
                                    .unwrap_or_else(|| "the server gave no reason".to_owned())
                            ),
                        ));
                    }
                    schemas
                }
                None => None,
            };
            let options = PreviewOptions {
                entra_quirks: *entra_quirks,
            };
            let result = preview::preview(&set, &user, changed.as_ref(), schemas.as_ref(), options);
            verdict(result.valid, preview_text(&result), json!(result))
        }
        ScimCommand::Run {
            target,
            mappings,
            user,
            read_only,
            entra_quirks,
            keep_values,
            bodies,
            access,
            report: report_to,
        } => {
            let (client, stored) = client(cli, target, access).await?;
            let document = match (mappings, stored) {
                (Some(m), _) => read_mappings(m)?,
                (None, Some(stored)) => stored,
                (None, None) => {
                    return Err(environment(
                        "give the mappings with --mappings F (or template:ID)",
                    ))
                }
            };
            let set = document.check().map_err(invalid_mappings)?;
            if set.mappings.is_empty() {
                return Err(invalid(
                    ErrorKind::Validation,
                    "the mapping document has no mappings",
                ));
            }
            let user = read_user(user)?;
            let (_, schemas) =
                until_interrupted("The dry run", review::review(&client, Some(&set))).await?;
            let options = DryRunOptions {
                read_only: *read_only,
                entra_quirks: *entra_quirks,
                keep_values: *keep_values,
            };
            // Ctrl+C stops the run after the request under way; its clean-up still runs.
            let cancel = CancellationToken::new();
            let on_interrupt = {
                let cancel = cancel.clone();
                tokio::spawn(async move {
                    if tokio::signal::ctrl_c().await.is_ok() {
                        eprintln!("Cancelling: the request under way completes, then what the dry run created is deleted…");
                        cancel.cancel();
                    }
                })
            };
            let report =
                lifecycle::dry_run_until(&client, &set, &user, schemas.as_ref(), options, &cancel)
                    .await;
            on_interrupt.abort();
            report_to.write(
                &client,
                ScimPart {
                    dry_run: Some(report.clone()),
                    ..ScimPart::default()
                },
            )?;
            verdict(report.passed, run_text(&report, *bodies), json!(report))
        }
        ScimCommand::Conn(command) => {
            let ws = open_workspace(cli).await?;
            let result = conn(&ws, command).await;
            ws.close().await;
            result
        }
        ScimCommand::Template { id } => match id {
            None => {
                let list = templates::templates();
                let text = list
                    .iter()
                    .map(|t| format!("{:<26} {}", t.id, t.name))
                    .collect::<Vec<_>>()
                    .join("\n");
                Ok(Output {
                    text,
                    json: json!(list),
                })
            }
            Some(id) => {
                let template = templates::template(id).ok_or_else(|| unknown_template(id))?;
                Ok(Output {
                    text: template.document.to_json(),
                    json: json!(template.document),
                })
            }
        },
        ScimCommand::Sample { id } => match id {
            None => {
                let list = templates::sample_users();
                let text = list
                    .iter()
                    .map(|s| format!("{:<22} {}", s.id, s.name))
                    .collect::<Vec<_>>()
                    .join("\n");
                Ok(Output {
                    text,
                    json: json!(list),
                })
            }
            Some(id) => {
                let sample = templates::sample_user(id).ok_or_else(|| unknown_sample(id))?;
                Ok(Output {
                    text: serde_json::to_string_pretty(&sample.user).unwrap_or_default(),
                    json: sample.user,
                })
            }
        },
    }
}

fn verdict(passed: bool, text: String, json: Json) -> Result<Output, Failure> {
    let out = Output { json, text };
    if passed {
        Ok(out)
    } else {
        Err(Failure::Reported(out))
    }
}
