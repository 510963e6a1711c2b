//! `ssoctl scim conn …`: the stored SCIM connections.

use serde_json::json;
use sso_console::scim::mapping::MappingDocument;
use sso_console::scim::{ScimConnectionDetail, ScimConnectionDocument};
use sso_console::sensitive::SecretString;
use sso_console::Workspace;

use super::input::{connection_id, read_mappings, read_token};
use super::ConnCommand;
use crate::{Failure, Output};

pub(super) async fn conn(ws: &Workspace, command: &ConnCommand) -> Result<Output, Failure> {
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

pub(super) fn detail_output(detail: ScimConnectionDetail) -> Output {
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
