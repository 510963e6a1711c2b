//! `ssoctl scim …`: the SCIM provisioning check (C14) from a terminal — Test Connection,
//! endpoint review, mapping preview, lifecycle dry run, stored SCIM connections, and the
//! ready-made mapping templates and sample users.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

use clap::{Args, Subcommand};
use serde_json::{json, Value as Json};
use sso_console::directory::FieldError;
use sso_console::http::{HttpClient, HttpLimits};
use sso_console::scim::client::{BaseUrl, Exchange};
use sso_console::scim::lifecycle::{self, DryRunOptions, DryRunReport, StepStatus};
use sso_console::scim::mapping::MappingDocument;
use sso_console::scim::preview::{self, Preview, PreviewOptions};
use sso_console::scim::review::{self, EndpointReview};
use sso_console::scim::templates;
use sso_console::scim::test_connection::{self, TestConnectionReport};
use sso_console::scim::{
    Finding, ScimClient, ScimConnectionDetail, ScimConnectionDocument, ScimConnectionId, ScimError,
    Severity,
};
use sso_console::secrets::SecretString;
use sso_console::Workspace;

use crate::{environment, open_workspace, Cli, Failure, Output};

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
            "validation" | "conflict" => Failure::Invalid {
                kind: e.kind(),
                message: e.to_string(),
                fields: e.fields(),
            },
            "not_found" => Failure::Environment {
                kind: "not_found",
                message: format!("{e}; list them with `ssoctl scim conn list`"),
            },
            kind => Failure::Environment {
                kind,
                message: e.to_string(),
            },
        }
    }
}

fn invalid(kind: &'static str, message: impl Into<String>) -> Failure {
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
            kind: "cancelled",
            message: format!("{what} was cancelled; it changes nothing on the server"),
        }),
    }
}

/// Runs `ssoctl scim`.
pub async fn run(cli: &Cli, command: &ScimCommand) -> Result<Output, Failure> {
    match command {
        ScimCommand::Test { target, access } => {
            let (client, _) = client(cli, target, access).await?;
            let report =
                until_interrupted("Test Connection", test_connection::test_connection(&client))
                    .await?;
            verdict(report.passed, test_text(&report), json!(report))
        }
        ScimCommand::Review {
            target,
            mappings,
            access,
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
                            "unreachable",
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
                    "validation",
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

fn invalid_mappings(fields: Vec<FieldError>) -> Failure {
    Failure::Invalid {
        kind: "validation",
        message: format!(
            "the mapping document has {} problem(s): {}",
            fields.len(),
            fields
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ),
        fields,
    }
}

fn unknown_template(id: &str) -> Failure {
    let known: Vec<String> = templates::templates().into_iter().map(|t| t.id).collect();
    environment(format!(
        "no mapping template \"{id}\"; the templates are {}",
        known.join(", ")
    ))
}

fn unknown_sample(id: &str) -> Failure {
    let known: Vec<String> = templates::sample_users()
        .into_iter()
        .map(|s| s.id)
        .collect();
    environment(format!(
        "no sample user \"{id}\"; the samples are {}",
        known.join(", ")
    ))
}

/// A client for a URL or a stored connection, and the stored connection's mappings.
async fn client(
    cli: &Cli,
    target: &str,
    access: &Access,
) -> Result<(ScimClient, Option<MappingDocument>), Failure> {
    let http = HttpClient::new(HttpLimits {
        total_timeout: Duration::from_secs(access.timeout),
        connect_timeout: Duration::from_secs(access.timeout.min(5)),
        ..HttpLimits::default()
    })?;
    let from_stdin = if access.token_stdin {
        Some(read_token()?)
    } else {
        None
    };
    if looks_like_url(target) {
        let base = BaseUrl::parse(target)
            .map_err(|message| environment(format!("{target} is not a tenant URL: {message}")))?;
        return Ok((ScimClient::new(http, base, from_stdin), None));
    }
    let ws = open_workspace(cli).await?;
    let result = async {
        let detail = ws.find_scim_connection(target).await?;
        let id = connection_id(&detail)?;
        let token = match from_stdin {
            Some(token) => Some(token),
            None => ws.scim_token(id).await?,
        };
        let base = BaseUrl::parse(&detail.document.tenant_url).map_err(environment)?;
        Ok((
            ScimClient::new(http, base, token),
            Some(detail.document.mappings),
        ))
    }
    .await;
    ws.close().await;
    result
}

fn looks_like_url(target: &str) -> bool {
    let lower = target.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

fn connection_id(detail: &ScimConnectionDetail) -> Result<ScimConnectionId, Failure> {
    ScimConnectionId::parse(detail.document.id.as_deref().unwrap_or_default()).map_err(environment)
}

fn read_token() -> Result<SecretString, Failure> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("SCIM bearer token (input is not hidden; prefer a pipe): ");
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line).map_err(|e| {
        environment(format!(
            "cannot read the bearer token from standard input: {e}"
        ))
    })?;
    Ok(SecretString::new(line))
}

fn read_json(path: &Path, what: &str) -> Result<Json, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| environment(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        invalid(
            "validation",
            format!("{} is not {what}: {e}", path.display()),
        )
    })
}

fn read_mappings(source: &str) -> Result<MappingDocument, Failure> {
    if let Some(id) = source.strip_prefix("template:") {
        return templates::template(id)
            .map(|t| t.document)
            .ok_or_else(|| unknown_template(id));
    }
    let path = Path::new(source);
    let text = std::fs::read_to_string(path)
        .map_err(|e| environment(format!("cannot read {}: {e}", path.display())))?;
    MappingDocument::from_json(&text).map_err(|mut fields| {
        let message = format!(
            "{}: {}",
            path.display(),
            fields
                .first()
                .map(|f| f.message.clone())
                .unwrap_or_default()
        );
        fields.truncate(1);
        Failure::Invalid {
            kind: "validation",
            message,
            fields,
        }
    })
}

fn read_user(source: &str) -> Result<Json, Failure> {
    if let Some(id) = source.strip_prefix("sample:") {
        return templates::sample_user(id)
            .map(|s| s.user)
            .ok_or_else(|| unknown_sample(id));
    }
    let user = read_json(Path::new(source), "a source user (JSON object)")?;
    if !user.is_object() {
        return Err(invalid(
            "validation",
            format!("{source} must hold one JSON object: the source user"),
        ));
    }
    Ok(user)
}

async fn conn(ws: &Workspace, command: &ConnCommand) -> Result<Output, Failure> {
    match command {
        ConnCommand::List => {
            let list = ws.scim_connections().await?;
            let text = if list.is_empty() {
                "No SCIM connections. Create one with `ssoctl scim conn create --name N --url U --token-stdin`.".to_owned()
            } else {
                let mut text = format!(
                    "{:<30}  {:<6}  {:<8}  {:<44}  ID\n",
                    "NAME", "TOKEN", "MAPPINGS", "TENANT URL"
                );
                for c in &list {
                    text.push_str(&format!(
                        "{:<30}  {:<6}  {:<8}  {:<44}  {}\n",
                        c.name,
                        if c.has_token { "stored" } else { "none" },
                        c.mapping_count,
                        c.tenant_url,
                        c.id
                    ));
                }
                text
            };
            Ok(Output {
                text,
                json: json!(list),
            })
        }
        ConnCommand::Show { connection } => {
            Ok(detail_output(ws.find_scim_connection(connection).await?))
        }
        ConnCommand::Create {
            name,
            url,
            directory,
            notes,
            mappings,
            token_stdin,
        } => {
            let directory_id = match directory {
                Some(d) => ws.find(d).await?.document.id,
                None => None,
            };
            let mappings = match mappings {
                Some(m) => read_mappings(m)?,
                None => MappingDocument::default(),
            };
            let token = if *token_stdin {
                read_token()?
            } else {
                SecretString::new("")
            };
            let doc = ScimConnectionDocument {
                id: None,
                name: name.clone(),
                tenant_url: url.clone(),
                directory_id,
                notes: notes.clone(),
                mappings,
            };
            Ok(detail_output(
                ws.create_scim_connection(&doc, &token).await?,
            ))
        }
        ConnCommand::Delete { connection } => {
            let detail = ws.find_scim_connection(connection).await?;
            let id = connection_id(&detail)?;
            let name = ws.delete_scim_connection(id).await?;
            Ok(Output {
                text: format!("Deleted the SCIM connection \"{name}\" and its token."),
                json: json!({ "deleted": { "id": id.to_string(), "name": name } }),
            })
        }
    }
}

fn detail_output(detail: ScimConnectionDetail) -> Output {
    let d = &detail.document;
    let mut text = String::new();
    let mut line = |k: &str, v: String| text.push_str(&format!("{k:<14} {v}\n"));
    line("Name", d.name.clone());
    line("ID", d.id.clone().unwrap_or_default());
    line("Revision", detail.revision.to_string());
    line("Tenant URL", d.tenant_url.clone());
    line(
        "Bearer token",
        if detail.has_token {
            "stored in the OS keyring".into()
        } else {
            "not set".into()
        },
    );
    line(
        "Directory",
        detail
            .directory_name
            .clone()
            .or_else(|| d.directory_id.clone())
            .unwrap_or_else(|| "—".into()),
    );
    line("Mappings", d.mappings.mappings.len().to_string());
    if !d.notes.is_empty() {
        line("Notes", d.notes.clone());
    }
    Output {
        json: json!(detail),
        text,
    }
}

fn findings_text(findings: &[Finding], indent: &str) -> String {
    findings
        .iter()
        .map(|f| format!("{indent}{}\n", f.line()))
        .collect()
}

fn mark(passed: bool) -> &'static str {
    if passed {
        "PASS"
    } else {
        "FAIL"
    }
}

fn test_text(report: &TestConnectionReport) -> String {
    let mut text = format!(
        "Test Connection of {}{}\n\n",
        report.base_url,
        if report.token_sent {
            ""
        } else {
            " (no bearer token sent)"
        }
    );
    for check in &report.checks {
        text.push_str(&format!(
            "{} [{}] {}\n    {}\n",
            mark(check.passed),
            check.provider.label(),
            check.purpose,
            check.exchange.summary()
        ));
        text.push_str(&findings_text(&check.findings, "    "));
    }
    if let Some(url) = &report.suggested_base_url {
        text.push_str(&format!("\nThe SCIM endpoint seems to be at {url}\n"));
    }
    text.push('\n');
    for verdict in &report.verdicts {
        text.push_str(&format!("{} {}\n", mark(verdict.passed), verdict.summary));
    }
    text
}

fn review_text(report: &EndpointReview) -> String {
    let mut text = format!("Endpoint review of {}\n\n", report.base_url);
    for exchange in &report.exchanges {
        text.push_str(&format!("  {}\n", exchange.summary()));
    }
    if let Some(s) = &report.support {
        let yes = |b: bool| if b { "yes" } else { "no" };
        text.push_str(&format!(
            "\nSupports: PATCH {}, filter {}{}, bulk {}, sort {}, ETag {}, changePassword {}\nAuthentication: {}\n",
            yes(s.patch),
            yes(s.filter),
            s.filter_max_results.map(|m| format!(" (max {m})")).unwrap_or_default(),
            yes(s.bulk),
            yes(s.sort),
            yes(s.etag),
            yes(s.change_password),
            if s.authentication_schemes.is_empty() {
                "none announced".into()
            } else {
                s.authentication_schemes.join(", ")
            }
        ));
    }
    for rt in &report.resource_types {
        let extensions: Vec<String> = rt
            .schema_extensions
            .iter()
            .map(|e| {
                format!(
                    "{}{}",
                    e.schema,
                    if e.required { " (required)" } else { "" }
                )
            })
            .collect();
        text.push_str(&format!(
            "\nResource type {} at {}: {}{}",
            rt.name,
            rt.endpoint,
            rt.schema,
            if extensions.is_empty() {
                String::new()
            } else {
                format!(" + {}", extensions.join(", "))
            }
        ));
    }
    text.push('\n');
    for schema in &report.schemas {
        text.push_str(&format!(
            "\nSchema {} ({}{}{})\n",
            schema.definition.id,
            schema.kind.label(),
            if schema.required_on_users && schema.kind != review::SchemaKind::CoreUser {
                ", required on users"
            } else {
                ""
            },
            if schema.used_by_mappings {
                ", used by the mappings"
            } else {
                ""
            }
        ));
        for a in &schema.definition.attributes {
            text.push_str(&attribute_line(a, "  "));
            for sub in &a.sub_attributes {
                text.push_str(&attribute_line(sub, "      ."));
            }
        }
    }
    text.push_str(&format!("\n{} findings\n", report.findings.len()));
    text.push_str(&findings_text(&report.findings, "  "));
    text
}

fn attribute_line(a: &sso_console::scim::schema::AttributeDefinition, indent: &str) -> String {
    let mut flags = vec![a.attribute_type.clone()];
    if a.multi_valued {
        flags.push("multi-valued".into());
    }
    if a.required {
        flags.push("required".into());
    }
    flags.push(a.mutability.clone());
    let mut line = format!("{indent}{:<24} {}", a.name, flags.join(", "));
    if !a.canonical_values.is_empty() {
        line.push_str(&format!(" [{}]", a.canonical_values.join(", ")));
    }
    line.push('\n');
    line
}

fn preview_text(result: &Preview) -> String {
    let mut text = String::from("Mapped values\n");
    for v in &result.values {
        let value = if v.value.is_null() {
            format!("(nothing sent: {})", v.note.clone().unwrap_or_default())
        } else {
            v.value.to_string()
        };
        text.push_str(&format!(
            "  {:<60} {}{}\n      from {}\n",
            v.target,
            value,
            if v.used_default { " (default)" } else { "" },
            v.source
        ));
    }
    let mut request = |title: &str, r: &preview::PreviewRequest| {
        text.push_str(&format!("\n{title}: {} {}\n", r.method, r.path));
        if !r.body.is_null() {
            text.push_str(&serde_json::to_string_pretty(&r.body).unwrap_or_default());
            text.push('\n');
        }
    };
    if let Some(query) = &result.matching_query {
        request("Lookup", query);
    }
    request("Create", &result.create);
    if let Some(update) = &result.update {
        request(
            &match &result.changed_attribute {
                Some(a) => format!("Update (source attribute {a} changed)"),
                None => "Update".into(),
            },
            update,
        );
    }
    request("Deactivate", &result.deactivate);
    text.push_str(&format!(
        "\nChecked against {}: {} finding(s)\n",
        result.validated_against,
        result.findings.len()
    ));
    text.push_str(&findings_text(&result.findings, "  "));
    text
}

fn exchange_bodies(exchange: &Exchange) -> String {
    let mut text = String::new();
    if let Some(body) = &exchange.request_body {
        text.push_str(&format!(
            "      request: {}\n",
            body.replace('\n', "\n      ")
        ));
    }
    if let Some(body) = &exchange.response_body {
        text.push_str(&format!(
            "      response: {}\n",
            body.replace('\n', "\n      ")
        ));
    }
    text
}

fn run_text(report: &DryRunReport, bodies: bool) -> String {
    let mut text = format!(
        "Lifecycle dry run against {}{}\n",
        report.base_url,
        if report.options.read_only {
            " (read-only)"
        } else {
            ""
        }
    );
    if let Some(name) = &report.test_user_name {
        text.push_str(&format!("Test user: {name}\n"));
    }
    text.push('\n');
    for step in &report.steps {
        let status = match step.status {
            StepStatus::Passed => "PASS",
            StepStatus::Warning => "WARN",
            StepStatus::Failed => "FAIL",
            StepStatus::Skipped => "SKIP",
        };
        text.push_str(&format!("{status} {}\n", step.name));
        if let Some(exchange) = &step.exchange {
            text.push_str(&format!("    {}\n", exchange.summary()));
            if bodies {
                text.push_str(&exchange_bodies(exchange));
            }
        }
        if let Some(note) = &step.note {
            text.push_str(&format!("    {note}\n"));
        }
        text.push_str(&findings_text(&step.findings, "    "));
    }
    text.push('\n');
    if report.cancelled {
        text.push_str("Cancelled: the steps after the request under way were not sent.\n");
    }
    if report.options.read_only {
        text.push_str(
            "Read-only run: nothing was created on the server, so there was nothing to clean up.\n",
        );
    } else if report.cleaned_up {
        text.push_str("Everything the dry run created was deleted again.\n");
    } else {
        text.push_str("NOT CLEANED UP — delete by hand:\n");
        for leftover in &report.leftovers {
            text.push_str(&format!("  {leftover}\n"));
        }
    }
    let failed = report
        .steps
        .iter()
        .filter(|s| s.status == StepStatus::Failed)
        .count();
    let errors = report
        .steps
        .iter()
        .flat_map(|s| &s.findings)
        .filter(|f| f.severity == Severity::Error)
        .count();
    text.push_str(&format!(
        "{} — {failed} step(s) failed, {errors} error(s)\n",
        mark(report.passed)
    ));
    text
}
