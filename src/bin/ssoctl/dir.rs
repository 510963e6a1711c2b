//! `ssoctl dir …`: directory connections.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde_json::json;
use sso_console::directory::{DirectoryDocument, DirectoryId};
use sso_console::error_kind::ErrorKind;
use sso_console::logo;
use sso_console::sensitive::SecretString;
use sso_console::workspace::{DirectoryDetail, DirectorySummary};
use sso_console::Workspace;
use sso_console::WorkspaceError;

use crate::{environment, Failure, Output};

#[derive(Subcommand)]
pub enum DirCommand {
    /// List the directories.
    List {
        /// Keep those whose name, client ID or domain contains this text.
        #[arg(long)]
        search: Option<String>,
    },
    /// Show one directory (by name or id).
    Show { directory: String },
    /// Create a directory from a directory document (JSON, DESIGN §7.1), or from a provider
    /// preset and its values (--preset, --param, --name, --client-id).
    Create {
        /// The directory document.
        #[arg(long, value_name = "F", required_unless_present = "preset")]
        file: Option<PathBuf>,
        /// A provider preset instead of a document: entra, okta, google, cognito, auth0,
        /// keycloak or generic (`ssoctl preset list` shows their values).
        #[arg(long, conflicts_with = "file", requires_all = ["name", "client_id"])]
        preset: Option<String>,
        /// A value of the preset, as KEY=VALUE (repeat for each).
        #[arg(long = "param", value_name = "KEY=VALUE", requires = "preset")]
        params: Vec<String>,
        /// The directory's name (with --preset).
        #[arg(long, requires = "preset")]
        name: Option<String>,
        /// The client ID the provider gave (with --preset).
        #[arg(long, requires = "preset")]
        client_id: Option<String>,
        /// A PNG file to use as the logo, instead of the document's logo_png_base64.
        #[arg(long, value_name = "PNG")]
        logo: Option<PathBuf>,
        /// With --preset: a placeholder logo with the name drawn in it, to replace later.
        #[arg(long, conflicts_with = "logo", requires = "preset")]
        placeholder_logo: bool,
        /// Read the client secret from the first line of standard input.
        #[arg(long)]
        client_secret_stdin: bool,
    },
    /// Replace a directory's settings with a directory document (without a logo in it or
    /// --logo, the stored logo is kept; without --client-secret-stdin, the stored secret).
    Update {
        directory: String,
        /// The directory document.
        #[arg(long, value_name = "F")]
        file: PathBuf,
        /// A PNG file to use as the logo, instead of the document's or the stored one.
        #[arg(long, value_name = "PNG")]
        logo: Option<PathBuf>,
        /// Read a new client secret from the first line of standard input.
        #[arg(long)]
        client_secret_stdin: bool,
    },
    /// Copy a directory (without its client secret and domain suffixes).
    Duplicate { directory: String },
    /// Delete a directory and its client secret.
    Delete { directory: String },
}

/// Runs a `dir` command.
pub async fn run(ws: &Workspace, command: &DirCommand) -> Result<Output, Failure> {
    match command {
        DirCommand::List { search } => {
            let list = ws.list(search.as_deref().unwrap_or("")).await?;
            Ok(Output {
                text: list_text(&list),
                json: json!(list),
            })
        }
        DirCommand::Show { directory } => Ok(detail_output(ws.find(directory).await?)),
        DirCommand::Create {
            preset: Some(preset),
            params,
            name,
            client_id,
            logo,
            placeholder_logo,
            client_secret_stdin,
            ..
        } => {
            create_from_preset(
                ws,
                preset,
                params,
                name.as_deref().unwrap_or_default(),
                client_id.as_deref().unwrap_or_default(),
                logo.as_deref(),
                *placeholder_logo,
                *client_secret_stdin,
            )
            .await
        }
        DirCommand::Create {
            file,
            logo,
            client_secret_stdin,
            ..
        } => {
            let file = file
                .as_deref()
                .ok_or_else(|| environment("give --file F, or --preset P"))?;
            let doc = read_document(file, logo.as_deref())?;
            let secret = if *client_secret_stdin {
                read_secret()?
            } else {
                SecretString::new("")
            };
            let created = ws.create(&doc, &secret).await.map_err(|e| match e {
                // The core's words are for the editor's field; here the secret comes from a flag.
                WorkspaceError::Invalid(mut errors) if !*client_secret_stdin => {
                    for error in errors.iter_mut().filter(|e| e.field == "client_secret") {
                        error.message = "a new directory needs its client secret: add --client-secret-stdin and give the secret on standard input".into();
                    }
                    WorkspaceError::Invalid(errors)
                }
                e => e,
            })?;
            Ok(detail_output(created))
        }
        DirCommand::Update {
            directory,
            file,
            logo,
            client_secret_stdin,
        } => {
            let current = ws.find(directory).await?;
            let mut doc = read_document(file, logo.as_deref())?;
            // A document without a logo keeps the stored one, as a missing secret does.
            if doc.logo_png_base64.is_empty() {
                doc.logo_png_base64 = current.document.logo_png_base64.clone();
            }
            let secret = if *client_secret_stdin {
                Some(read_secret()?)
            } else {
                None
            };
            let id = parse_id(&current)?;
            Ok(detail_output(
                ws.update(id, None, &doc, secret.as_ref()).await?,
            ))
        }
        DirCommand::Duplicate { directory } => {
            let current = ws.find(directory).await?;
            let copy = ws.duplicate(parse_id(&current)?).await?;
            let mut out = detail_output(copy);
            out.text
                .push_str("\nThe client secret and the domain suffixes were not copied.\n");
            Ok(out)
        }
        DirCommand::Delete { directory } => {
            let current = ws.find(directory).await?;
            let id = parse_id(&current)?;
            let name = ws.delete(id).await?;
            Ok(Output {
                text: format!("Deleted \"{name}\" and its client secret."),
                json: json!({ "deleted": { "id": id.to_string(), "name": name } }),
            })
        }
    }
}

/// `dir create --preset`: the preset's document with its values, the name, the client ID and
/// the logo, saved with the secret through a guided setup that the app can resume (the test
/// sign-in and the checks after it). Nothing is stored when anything is refused.
#[allow(clippy::too_many_arguments)]
async fn create_from_preset(
    ws: &Workspace,
    preset: &str,
    params: &[String],
    name: &str,
    client_id: &str,
    logo_file: Option<&Path>,
    placeholder_logo: bool,
    client_secret_stdin: bool,
) -> Result<Output, Failure> {
    let (preset, pairs) = crate::preset::parse(preset, params)?;
    // The values first: a wrong one is named before anything else is asked for.
    crate::preset::checked_values(preset, &pairs)?;
    if !placeholder_logo && logo_file.is_none() {
        return Err(environment(
            "give the logo: --logo PNG (245×36 px), or --placeholder-logo to start with the name drawn in one",
        ));
    }
    if !client_secret_stdin {
        return Err(environment(
            "a new directory needs its client secret: add --client-secret-stdin and give the secret on standard input",
        ));
    }
    let logo = logo_file.map(read_logo).transpose()?;
    let secret = read_secret()?;
    let setup = ws.start_setup(preset.id, &pairs, name, logo).await?;
    let id = DirectoryId::parse(&setup.id).map_err(environment)?;
    if let Err(e) = ws.save_setup_directory(id, client_id, &secret, None).await {
        // All or nothing: the setup goes with the directory that could not be saved.
        let _ = ws.discard_setup(id).await;
        return Err(e.into());
    }
    let mut out = detail_output(ws.get(id).await?);
    out.text.push_str(&format!(
        "\nNext: `ssoctl guide {id}` prints the steps at {} with the URLs to register; then `ssoctl test {id}`.\n",
        preset.name
    ));
    Ok(out)
}

fn read_logo(png: &Path) -> Result<logo::Logo, Failure> {
    let bytes = std::fs::read(png)
        .map_err(|e| environment(format!("cannot read {}: {e}", png.display())))?;
    logo::Logo::from_png(bytes).map_err(|e| crate::logo::failure(png, &e))
}

fn parse_id(detail: &DirectoryDetail) -> Result<DirectoryId, Failure> {
    let id = detail.document.id.as_deref().unwrap_or_default();
    DirectoryId::parse(id).map_err(environment)
}

fn read_document(file: &Path, logo: Option<&Path>) -> Result<DirectoryDocument, Failure> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| environment(format!("cannot read {}: {e}", file.display())))?;
    let mut doc: DirectoryDocument = serde_json::from_str(&text).map_err(|e| Failure::Invalid {
        kind: ErrorKind::Validation,
        message: format!(
            "{} is not a directory document: {e}. See the README for its fields",
            file.display()
        ),
        fields: Vec::new(),
    })?;
    if let Some(png) = logo {
        doc.logo_png_base64 = read_logo(png)?.to_base64();
    }
    Ok(doc)
}

fn read_secret() -> Result<SecretString, Failure> {
    crate::read_stdin_secret("client secret")
}

fn list_text(list: &[DirectorySummary]) -> String {
    if list.is_empty() {
        return "No directories. Create one with `ssoctl dir create --preset P --param KEY=VALUE --name N --client-id ID --placeholder-logo --client-secret-stdin` or `--file F`."
            .into();
    }
    let width = list
        .iter()
        .map(|d| d.name.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut out = format!(
        "{:<width$}  {:<6}  {:<24}  {:<22}  ID\n",
        "NAME", "HIDDEN", "DOMAINS", "CLIENT SECRET"
    );
    for d in list {
        let secret = if d.has_client_secret {
            d.secret_expiry.describe()
        } else {
            "not set".into()
        };
        out.push_str(&format!(
            "{:<width$}  {:<6}  {:<24}  {:<22}  {}\n",
            d.name,
            if d.is_hidden { "yes" } else { "no" },
            d.domain_suffixes.join(","),
            secret,
            d.id
        ));
    }
    out
}

fn detail_output(detail: DirectoryDetail) -> Output {
    let d = &detail.document;
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let mut text = String::new();
    let mut line = |k: &str, v: String| text.push_str(&format!("{k:<26} {v}\n"));
    line("Name", d.name.clone());
    line("ID", opt(&d.id));
    line("Revision", detail.revision.to_string());
    line(
        "Redirect URL",
        detail.redirect_url.clone().unwrap_or_else(|| {
            "set the sign-in service URL in the app's Settings to get it".into()
        }),
    );
    let placeholder = logo::Logo::from_base64(&d.logo_png_base64).is_ok_and(|l| l.is_placeholder());
    line(
        "Logo",
        if placeholder {
            "a placeholder with the name in it: replace it with the customer's logo".into()
        } else {
            "245×36 px PNG".into()
        },
    );
    line("Discovery domain", opt(&d.discovery_domain));
    line("Authorization URL", d.authorization_url.clone());
    line("Token URL", d.token_url.clone());
    line("Userinfo URL", opt(&d.userinfo_url));
    line("Issuer", opt(&d.issuer));
    line("JWKS URI", opt(&d.jwks_uri));
    line("Scopes", d.scopes.clone());
    line("Client ID", d.client_id.clone());
    line(
        "Client secret",
        if detail.has_client_secret {
            format!(
                "stored in the OS keyring ({})",
                detail.secret_expiry.describe()
            )
        } else {
            "not set".into()
        },
    );
    line("PKCE", on_off(d.pkce));
    line("Response mode form_post", on_off(d.response_mode_form_post));
    line(
        "Token endpoint Basic auth",
        on_off(d.token_endpoint_basic_auth),
    );
    line("New contact member type", d.new_contact_member_type.clone());
    line("New contact status", d.new_contact_status.clone());
    for (name, m) in d.claims.named() {
        line(
            &format!("Claim {name}"),
            format!("{} from {} (required)", m.claim, m.source.as_str()),
        );
    }
    line("Staff identification", d.staff.describe());
    line("Hidden", on_off(d.is_hidden));
    line("Domain suffixes", d.domain_suffixes.join(", "));
    line(
        "Fixed test port",
        d.test_redirect_port
            .map_or_else(|| "random".into(), |p| p.to_string()),
    );
    for w in &detail.warnings {
        text.push_str(&format!("warning: {}: {}\n", w.field, w.message));
    }
    Output {
        json: json!(detail),
        text,
    }
}

fn on_off(value: bool) -> String {
    if value { "on" } else { "off" }.into()
}
