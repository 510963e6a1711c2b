//! `ssoctl export` and `ssoctl import`: bundles for offline preparation and for teams that keep
//! their directories in Git (C13). An import shows its plan first; `--dry-run` stops there.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::json;
use sso_console::bundle::plan::{Action, Choices, ItemKind, Plan, Resolution};
use sso_console::bundle::{self, BundleError, Contents};
use sso_console::sensitive::SecretString;
use sso_console::workspace::ImportOutcome;
use sso_console::{Workspace, WorkspaceError};

use crate::{read_stdin_secret, Failure, Output};

#[derive(Args)]
pub struct ExportArgs {
    /// The directories to export, by name or id; all of them when none is named. SCIM
    /// connections go along: all, or those linked to the named directories.
    directories: Vec<String>,
    /// The bundle file to write (JSON).
    #[arg(
        long,
        value_name = "F",
        required_unless_present = "dir",
        conflicts_with = "dir"
    )]
    out: Option<PathBuf>,
    /// A folder to write one file per item into, for a Git repository (never with secrets).
    #[arg(long, value_name = "D")]
    dir: Option<PathBuf>,
    /// Include the client secrets and bearer tokens, encrypted with a passphrase.
    #[arg(long, requires = "passphrase_stdin", conflicts_with = "dir")]
    include_secrets: bool,
    /// Read the passphrase from the first line of standard input.
    #[arg(long, requires = "include_secrets")]
    passphrase_stdin: bool,
}

/// What to do with every item in conflict.
#[derive(Clone, Copy, ValueEnum)]
enum OnConflict {
    /// Leave what is here; the item is not imported.
    Skip,
    /// The bundle's item wins.
    Overwrite,
    /// Import the item as a copy under a new name.
    Copy,
}

#[derive(Args)]
pub struct ImportArgs {
    /// The bundle file to import.
    #[arg(required_unless_present = "dir", conflicts_with = "dir")]
    file: Option<PathBuf>,
    /// A bundle folder to import.
    #[arg(long, value_name = "D")]
    dir: Option<PathBuf>,
    /// Show what would change, and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// What to do with every item in conflict; without it, any conflict stops the import.
    #[arg(long, value_enum)]
    on_conflict: Option<OnConflict>,
    /// Read the passphrase of the bundle's secrets from the first line of standard input.
    #[arg(long)]
    passphrase_stdin: bool,
}

/// Runs `ssoctl export`.
pub async fn export(ws: &Workspace, args: &ExportArgs) -> Result<Output, Failure> {
    let passphrase = if args.include_secrets {
        Some(read_stdin_secret("passphrase")?)
    } else {
        None
    };
    let contents = ws
        .export_bundle(&args.directories, passphrase.as_ref())
        .await?;
    let secrets = if contents.sealed_secrets.is_some() {
        "secrets encrypted with the passphrase"
    } else {
        "no secrets"
    };
    let (target, as_folder) = match (&args.out, &args.dir) {
        (Some(file), _) => (file, false),
        (None, Some(dir)) => (dir, true),
        (None, None) => unreachable!("clap requires --out or --dir"),
    };
    bundle::write(target, as_folder, &contents).map_err(WorkspaceError::from)?;
    ws.mark_exported(&contents).await?;
    let written = if as_folder { "folder" } else { "file" };
    Ok(Output {
        text: format!(
            "Exported {} and {} to {} ({secrets}).",
            count(contents.directories.len(), "directory", "directories"),
            count(
                contents.scim_connections.len(),
                "SCIM connection",
                "SCIM connections"
            ),
            target.display(),
        ),
        json: json!({
            "written": target,
            "as": written,
            "directories": contents.directories.len(),
            "scim_connections": contents.scim_connections.len(),
            "secrets": contents.sealed_secrets.is_some(),
        }),
    })
}

/// Runs `ssoctl import`.
pub async fn import(ws: &Workspace, args: &ImportArgs) -> Result<Output, Failure> {
    let (contents, source) = read(args)?;
    let passphrase: Option<SecretString> = if args.passphrase_stdin {
        Some(read_stdin_secret("passphrase")?)
    } else {
        None
    };
    let (checked, plan) = ws.plan_import(contents, passphrase.as_ref()).await?;
    let choices = Choices {
        all: args.on_conflict.map(|c| match c {
            OnConflict::Skip => Resolution::Skip,
            OnConflict::Overwrite => Resolution::Overwrite,
            OnConflict::Copy => Resolution::Copy,
        }),
        ..Choices::default()
    };
    let conflicts = plan.count(Action::Conflict);
    let mut text = plan_text(&plan, &source.display().to_string());
    if args.dry_run {
        text.push_str("\nDry run: nothing was changed.");
        let out = Output {
            text,
            json: json!({ "plan": plan, "applied": false }),
        };
        // A plan that would be refused for its conflicts is a failure for scripts too.
        return if conflicts > 0 && choices.all.is_none() {
            Err(Failure::Reported(out))
        } else {
            Ok(out)
        };
    }
    if conflicts > 0 && choices.all.is_none() {
        let names = plan
            .items
            .iter()
            .filter(|i| i.action == Action::Conflict)
            .map(|i| format!("\"{}\"", i.name))
            .collect();
        let failure: Failure = WorkspaceError::from(BundleError::Unresolved(names)).into();
        return Err(with_plan(failure, &text));
    }
    let (applied, outcome) = ws.apply_import(&checked, &choices).await?;
    text.push('\n');
    text.push_str(&outcome_text(&outcome));
    Ok(Output {
        text,
        json: json!({ "plan": applied, "applied": true, "outcome": outcome }),
    })
}

/// A refusal for conflicts, with the plan that shows them printed before it.
fn with_plan(failure: Failure, plan: &str) -> Failure {
    if let Failure::Invalid {
        kind,
        message,
        fields,
    } = failure
    {
        Failure::Invalid {
            kind,
            message: format!("{message}.\n\n{plan}\nRun again with --on-conflict skip, overwrite or copy, or see the plan with --dry-run."),
            fields,
        }
    } else {
        failure
    }
}

fn read(args: &ImportArgs) -> Result<(Contents, PathBuf), Failure> {
    let (path, as_folder) = match (&args.file, &args.dir) {
        (Some(file), _) => (file, false),
        (None, Some(dir)) => (dir, true),
        (None, None) => unreachable!("clap requires a file or --dir"),
    };
    let contents = bundle::read(path, as_folder).map_err(WorkspaceError::from)?;
    Ok((contents, path.clone()))
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The plan, one line an item, then its warnings and a summary.
pub fn plan_text(plan: &Plan, source: &str) -> String {
    let mut out = format!("Import of {source}:\n");
    let width = plan
        .items
        .iter()
        .map(|i| i.name.chars().count() + 2)
        .max()
        .unwrap_or(0);
    for item in &plan.items {
        let action = match item.action {
            Action::Create => "create",
            Action::Update => "update",
            Action::Unchanged => "unchanged",
            Action::Conflict => "CONFLICT",
        };
        let kind = match item.kind {
            ItemKind::Directory => "directory",
            ItemKind::ScimConnection => "SCIM connection",
            ItemKind::Setting => "setting",
        };
        let name = format!("\"{}\"", item.name);
        let mut line = format!("  {action:<9}  {kind:<15}  {name:<width$}");
        if !item.changes.is_empty() {
            let fields: Vec<&str> = item.changes.iter().map(|c| c.field.as_str()).collect();
            line.push_str(&format!("  changes: {}", fields.join(", ")));
        }
        out.push_str(line.trim_end());
        out.push('\n');
        for conflict in &item.conflicts {
            out.push_str(&format!("      {}\n", conflict.message));
        }
    }
    for warning in &plan.warnings {
        out.push_str(&format!("  note: {warning}\n"));
    }
    out.push_str(&format!(
        "{} to create, {} to update, {} unchanged, {} in conflict{}.",
        plan.count(Action::Create),
        plan.count(Action::Update),
        plan.count(Action::Unchanged),
        plan.count(Action::Conflict),
        if plan.has_secrets {
            "; secrets come along"
        } else {
            ""
        }
    ));
    out
}

fn outcome_text(o: &ImportOutcome) -> String {
    format!(
        "Imported: {} created, {} updated, {} deleted, {} left as {}; {} written to the keyring.",
        o.created,
        o.updated,
        o.deleted,
        o.left,
        if o.left == 1 { "it was" } else { "they were" },
        count(o.secrets_written, "secret", "secrets"),
    )
}
