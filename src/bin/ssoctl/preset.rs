//! `ssoctl preset …`: the provider presets (C12) — which exist, and the directory document one
//! prefills from its values, with what to know about the provider.

use clap::Subcommand;
use serde_json::json;
use sso_console::directory::FieldError;
use sso_console::error_kind::ErrorKind;
use sso_console::presets::{self, GuideFor, Preset, Values, PRESETS};

use crate::{Failure, Output};

#[derive(Subcommand)]
pub enum PresetCommand {
    /// The presets and the values each asks for.
    List,
    /// The directory document a preset prefills from its values (DESIGN §7.1), and the
    /// provider's quirks.
    Show {
        /// The preset: entra, okta, google, cognito, auth0, keycloak or generic.
        preset: String,
        /// A value of the preset, as KEY=VALUE (repeat for each).
        #[arg(long = "param", value_name = "KEY=VALUE")]
        params: Vec<String>,
    },
}

/// Runs a `preset` command.
pub fn run(command: &PresetCommand) -> Result<Output, Failure> {
    match command {
        PresetCommand::List => {
            let mut text = String::new();
            for p in &PRESETS {
                text.push_str(&format!("{:<9} {}\n", p.id, p.name));
                for param in p.params {
                    text.push_str(&format!(
                        "          --param {}=…{}  {} (for example {})\n",
                        param.key,
                        if param.optional { " (optional)" } else { "" },
                        param.label,
                        param.example
                    ));
                }
            }
            Ok(Output {
                text,
                json: json!(PRESETS),
            })
        }
        PresetCommand::Show { preset, params } => {
            let (preset, pairs) = parse(preset, params)?;
            let values = checked_values(preset, &pairs)?;
            let document = preset.document(&values);
            let mut text = format!(
                "{} ({}): the directory document to start from\n{}\n",
                preset.name,
                preset.id,
                serde_json::to_string_pretty(&document).unwrap_or_default()
            );
            text.push_str(&format!(
                "External ID claim: {}\nRedirect URIs matched exactly, port included: {}\n",
                preset.external_id_claim,
                if preset.exact_redirect { "yes" } else { "no" },
            ));
            if let Some(staff) = preset.staff_suggestion {
                text.push_str(&format!(
                    "Staff rule that suits it: {}\n",
                    staff.rule().describe()
                ));
            }
            let guide = preset.guide(
                &values,
                &GuideFor {
                    name: "SSO Console",
                    redirect_url: Err(
                        "known once the directory is saved: <sign-in service URL>/callback/<directory id>; `ssoctl guide <directory>` fills it in".to_owned(),
                    ),
                    test_redirect_port: document.test_redirect_port,
                },
            );
            text.push('\n');
            text.push_str(&guide.to_markdown());
            Ok(Output {
                text,
                json: json!({ "preset": preset, "document": document, "guide": guide }),
            })
        }
    }
}

/// `--param KEY=VALUE` pairs, split.
pub type Pairs = Vec<(String, String)>;

/// The preset called `preset` and the `--param KEY=VALUE` pairs given for it.
pub fn parse(preset: &str, params: &[String]) -> Result<(&'static Preset, Pairs), Failure> {
    let known: Vec<&str> = PRESETS.iter().map(|p| p.id).collect();
    let preset = presets::find(preset).ok_or_else(|| Failure::Environment {
        kind: ErrorKind::Usage,
        message: format!(
            "there is no preset \"{preset}\"; choose one of {}",
            known.join(", ")
        ),
    })?;
    let mut pairs = Vec::new();
    for given in params {
        let Some((key, value)) = given.split_once('=') else {
            return Err(Failure::Environment {
                kind: ErrorKind::Usage,
                message: format!(
                    "--param takes KEY=VALUE, not \"{given}\" (for example --param {}={})",
                    preset.params[0].key, preset.params[0].example
                ),
            });
        };
        pairs.push((key.trim().to_owned(), value.to_owned()));
    }
    Ok((preset, pairs))
}

/// The preset's values, or the failure that names each one refused (exit 1).
pub fn checked_values(preset: &Preset, pairs: &[(String, String)]) -> Result<Values, Failure> {
    preset.values(pairs).map_err(|fields| Failure::Invalid {
        kind: ErrorKind::Validation,
        message: FieldError::describe_all(&fields),
        fields,
    })
}
