//! `ssoctl guide`: a directory's provider-side steps, with its redirect URLs filled in, as
//! Markdown or HTML to send to the customer's administrator.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::json;
use sso_console::error_kind::ErrorKind;
use sso_console::Workspace;

use crate::{Failure, Output};

/// Arguments of `ssoctl guide`.
#[derive(Args)]
pub struct GuideArgs {
    /// The directory (name or id).
    directory: String,
    /// markdown (the default) or html.
    #[arg(long, value_enum, default_value = "markdown")]
    format: GuideFormat,
    /// Write it to this file instead of printing it.
    #[arg(long, value_name = "F")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum GuideFormat {
    Markdown,
    Html,
}

/// Runs `ssoctl guide`.
pub async fn run(ws: &Workspace, args: &GuideArgs) -> Result<Output, Failure> {
    let guide = ws.guide(&args.directory).await?;
    let content = match args.format {
        GuideFormat::Markdown => guide.to_markdown(),
        GuideFormat::Html => guide.to_html(),
    };
    let Some(out) = &args.out else {
        return Ok(Output {
            json: json!({ "guide": guide, "text": content }),
            text: content,
        });
    };
    sso_console::files::write_whole(out, content.as_bytes()).map_err(|e| Failure::Environment {
        kind: ErrorKind::Environment,
        message: format!(
            "cannot write the guide to {}: {e}; choose a folder you can write to",
            out.display()
        ),
    })?;
    let message = format!(
        "Guide written to {} ({} steps).",
        out.display(),
        guide.steps.len()
    );
    Ok(Output {
        json: json!({ "written": out, "message": message }),
        text: message,
    })
}
