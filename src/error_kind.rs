//! The kinds of failure the front ends tell apart: the app's screens branch on them (through
//! the generated TypeScript type, so a new kind cannot go unhandled), and `ssoctl --json`
//! prints them for scripts. And the front ends themselves: an error says what went wrong the
//! same way everywhere, but what to do next in the words of the one in front of the person.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What kind of failure, stable for the UI and scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorKind {
    /// One or more fields are invalid.
    Validation,
    /// Someone else saved first, or the name or domain is taken.
    Conflict,
    /// No such directory or SCIM connection, or a malformed id.
    NotFound,
    /// A logo was refused.
    InvalidLogo,
    /// The OS keyring failed or is missing.
    Keyring,
    /// The database failed or refused.
    Storage,
    /// The test sign-in's fixed redirect port is taken.
    PortInUse,
    /// The person cancelled.
    Cancelled,
    /// Discovery could not read the provider's metadata.
    Discovery,
    /// Pasted claims are not a JSON object or a token.
    InvalidClaims,
    /// An e-mail address to route is malformed.
    InvalidEmail,
    /// A report file cannot be read.
    InvalidReport,
    /// A bundle file or folder cannot be imported.
    InvalidBundle,
    /// A bundle's secrets need a passphrase, or another one.
    WrongPassphrase,
    /// A request could not be made at all.
    Network,
    /// The server checked could not be reached.
    Unreachable,
    /// Something about this computer: no log folder, no way to open one.
    Environment,
    /// The command line was used wrongly.
    Usage,
    /// A fault of SSO Console itself.
    Internal,
}

/// Why a JSON document does not have the shape expected, in people's words: where (`at
/// directories[1].claims`), and what was wrong, without the program's own type names that the
/// JSON reader puts in its messages ("expected struct ClaimMappings" becomes "expected an
/// object").
pub fn json_shape_error(e: &serde_path_to_error::Error<serde_json::Error>) -> String {
    static TYPE_NAMES: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?:internally tagged |adjacently tagged )?(struct|enum|tuple struct|map) variant [A-Za-z0-9_:]+|(?:internally tagged |adjacently tagged )?(struct|enum|tuple struct) [A-Za-z0-9_:]+").ok()
    });
    let inner = e.inner().to_string();
    let inner = match TYPE_NAMES.as_ref() {
        Some(names) => names
            .replace_all(&inner, |c: &regex::Captures<'_>| {
                match c.get(1).or_else(|| c.get(2)).map(|m| m.as_str()) {
                    Some("enum") => "one of the known values",
                    _ => "an object",
                }
            })
            .into_owned(),
        None => inner,
    };
    let path = e.path().to_string();
    if path == "." {
        inner
    } else {
        format!("at {path}: {inner}")
    }
}

/// Who shows an error to a person, so its advice names what that person has in front of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontEnd {
    /// The desktop app: windows, fields and buttons.
    App,
    /// The `ssoctl` command line: commands and options.
    Ssoctl,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shape_error_names_the_place_and_no_type_of_the_program() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            x: u32,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            items: Vec<Inner>,
            kind: Option<ErrorKind>,
        }
        let cases = [
            (
                r#"{"items":[{"x":1},"no"]}"#,
                "at items[1]: invalid type: string \"no\", expected an object",
            ),
            (
                r#"{"items":[],"kind":"odd"}"#,
                "at kind: unknown variant `odd`",
            ),
        ];
        for (text, expected) in cases {
            let e = serde_path_to_error::deserialize::<_, Outer>(
                &mut serde_json::Deserializer::from_str(text),
            )
            .unwrap_err();
            let said = json_shape_error(&e);
            assert!(said.starts_with(expected), "{said}");
            assert!(
                !said.contains("Inner") && !said.contains("ErrorKind"),
                "{said}"
            );
        }
    }

    #[test]
    fn each_kind_is_written_as_its_snake_case_code() {
        for (kind, code) in [
            (ErrorKind::Validation, "validation"),
            (ErrorKind::NotFound, "not_found"),
            (ErrorKind::PortInUse, "port_in_use"),
            (ErrorKind::InvalidClaims, "invalid_claims"),
        ] {
            assert_eq!(serde_json::to_value(kind).unwrap(), serde_json::json!(code));
        }
    }
}
