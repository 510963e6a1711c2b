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
