//! `ssoctl claims eval`: a directory's claim mappings, staff identification and external ID
//! against claims from a file (C7, C8, DESIGN §3.3).

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde_json::json;
use sso_console::claims::{self, source_label, PastedClaims, PASTE_MAX_BYTES};
use sso_console::error_kind::ErrorKind;
use sso_console::mapping::ClaimsEvaluation;
use sso_console::Workspace;

use crate::{environment, Failure, Output};

/// `ssoctl claims` subcommands.
#[derive(Subcommand)]
pub enum ClaimsCommand {
    /// Evaluate a directory's (name or id) claim mappings, staff identification and external ID
    /// against claims. Exit 1 when the sign-in would fail.
    Eval {
        /// The directory, by name or id.
        directory: String,
        /// The claims, `-` for standard input: a JSON object with "id_token", "userinfo" and
        /// "access_token" (objects or tokens; a token response fits), a bare object of ID token
        /// claims, or a JWT. Tokens are decoded without verification.
        #[arg(long, value_name = "F")]
        claims: PathBuf,
    },
}

/// Runs a `claims` command.
pub async fn run(ws: &Workspace, command: &ClaimsCommand) -> Result<Output, Failure> {
    match command {
        ClaimsCommand::Eval { directory, claims } => {
            let pasted = read_claims(claims)?;
            let evaluation = ws.evaluate_claims(directory, &pasted.claims).await?;
            let mut doc = json!(evaluation);
            doc["input"] = json!({
                "form": pasted.form,
                "ignored_keys": pasted.ignored_keys,
                "notes": pasted.notes,
            });
            let out = Output {
                text: with_input_notes(evaluation_text(&evaluation), &pasted),
                json: doc,
            };
            if evaluation.sign_in_succeeds {
                Ok(out)
            } else {
                Err(Failure::Reported(out))
            }
        }
    }
}

fn read_claims(path: &Path) -> Result<PastedClaims, Failure> {
    let limit = PASTE_MAX_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    read.map_err(|e| environment(format!("cannot read {}: {e}", path.display())))?;
    let invalid = |message: String| Failure::Environment {
        kind: ErrorKind::InvalidClaims,
        message: format!("{}: {message}", path.display()),
    };
    let text = String::from_utf8(bytes)
        .map_err(|_| invalid("the file is not UTF-8 text; save the claims as UTF-8 JSON".into()))?;
    claims::parse_pasted(&text).map_err(|e| invalid(e.to_string()))
}

/// An evaluation, as people read it.
pub(crate) fn evaluation_text(e: &ClaimsEvaluation) -> String {
    let mut text = format!(
        "{} ({}): {}\n\nSources:\n",
        e.directory_name,
        e.directory_id.as_deref().unwrap_or("not saved"),
        e.summary
    );
    for s in &e.sources {
        text.push_str(&format!("  {}\n", s.message));
    }
    text.push_str("\nMappings:\n");
    for m in &e.mappings {
        text.push_str(&format!(
            "  {:<5} {:<12} {} from {}: {}\n",
            if m.ok { "ok" } else { "FAIL" },
            m.label,
            m.claim,
            m.source.as_str(),
            m.message
        ));
        if let Some(w) = &m.warning {
            text.push_str(&format!("        warning: {w}\n"));
        }
        for s in &m.suggestions {
            text.push_str(&format!(
                "        seen: {} in {} = {}\n",
                s.claim,
                source_label(s.source),
                s.value
            ));
        }
    }
    let x = &e.external_id;
    text.push_str(&format!(
        "\nExternal ID: {}\n  {}\n",
        x.external_id.as_deref().unwrap_or("—"),
        x.matching
    ));
    if let Some(w) = &x.warning {
        text.push_str(&format!("  warning: {w}\n"));
    }
    if let Some(n) = &x.note {
        text.push_str(&format!("  note: {n}\n"));
    }
    if let Some(seen) = &x.suggested_claim_seen {
        text.push_str(&format!(
            "  seen: {} in {} = {}\n",
            seen.claim,
            source_label(seen.source),
            seen.value
        ));
    }
    text.push_str(&format!(
        "\nStaff: {} — {}\n",
        if e.staff.is_staff { "yes" } else { "no" },
        e.staff.reason
    ));
    for h in &e.staff.hints {
        text.push_str(&format!("  hint: {h}\n"));
    }
    text
}

fn with_input_notes(mut text: String, pasted: &PastedClaims) -> String {
    if !pasted.notes.is_empty() {
        text.push_str("\nInput:\n");
        for n in &pasted.notes {
            text.push_str(&format!("  {n}\n"));
        }
    }
    text
}
