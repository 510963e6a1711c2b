//! SCIM provisioning check (C14): SCIM connections (tenant URL, bearer token in the OS keyring,
//! attribute mappings); the "Test Connection" that Entra and Okta perform; the endpoint's
//! `/ServiceProviderConfig`, `/Schemas` and `/ResourceTypes` read and judged; attribute mappings
//! with Entra's expression language, previewed as the SCIM payloads for a sample user; and a
//! lifecycle dry run against the live endpoint with a provisioning log.
//!
//! Pure parts (expression language, paths, payloads, validation, judging of answers) are apart
//! from the thin network layer ([`client`]), so every rule is tested without a server.

pub mod client;
pub mod connection;
pub mod expression;
pub mod finding;
pub mod lifecycle;
pub mod mapping;
pub mod path;
pub mod payload;
pub mod preview;
pub mod review;
pub mod schema;
pub mod templates;
pub mod test_connection;
pub mod validate;
mod workspace;

pub use client::{BaseUrl, ScimClient};
pub use connection::{
    ScimConnection, ScimConnectionDetail, ScimConnectionDocument, ScimConnectionId,
    ScimConnectionSummary,
};
pub use finding::{Finding, Severity};
pub use lifecycle::{DryRunOptions, DryRunReport};
pub use mapping::{MappingDocument, Provider};
pub use preview::{Preview, PreviewOptions};
pub use review::EndpointReview;
pub use test_connection::TestConnectionReport;

use crate::directory::FieldError;
use crate::secrets::SecretError;
use crate::store::StoreError;

/// A SCIM connection failure, with what the person can do about it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScimError {
    /// One or more fields are invalid.
    #[error("{}", FieldError::describe_all(.0))]
    Invalid(Vec<FieldError>),
    /// Another SCIM connection already has this name.
    #[error("a SCIM connection named \"{name}\" already exists; choose another name")]
    NameTaken {
        /// The name asked for.
        name: String,
    },
    /// Someone saved the connection since it was read.
    #[error("the SCIM connection \"{name}\" was changed elsewhere (another window or ssoctl) since you opened it; reload it and apply your changes again")]
    Changed {
        /// The name as stored now.
        name: String,
    },
    /// No such connection.
    #[error("no SCIM connection \"{0}\"; it may have been deleted, or the name or id is misspelt")]
    NotFound(String),
    /// The linked directory does not exist.
    #[error("no directory with the id {0}; link the SCIM connection to an existing directory, or to none")]
    UnknownDirectory(String),
    /// The connection has no token in the keyring.
    #[error("the SCIM connection \"{name}\" has no bearer token in the OS keyring; enter the secret token from the application")]
    NoToken {
        /// The connection's name.
        name: String,
    },
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The keyring failed.
    #[error(transparent)]
    Secret(#[from] SecretError),
}

impl ScimError {
    /// A stable code the UI and scripts can branch on.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Invalid(_) | Self::NoToken { .. } | Self::UnknownDirectory(_) => "validation",
            Self::NameTaken { .. } | Self::Changed { .. } => "conflict",
            Self::NotFound(_) => "not_found",
            Self::Store(_) => "storage",
            Self::Secret(_) => "keyring",
        }
    }

    /// The fields this error concerns, each with its message.
    pub fn fields(&self) -> Vec<FieldError> {
        let one = |field: &str| vec![FieldError::new(field, self.to_string())];
        match self {
            Self::Invalid(errors) => errors.clone(),
            Self::NameTaken { .. } => one("name"),
            Self::UnknownDirectory(_) => one("directory_id"),
            Self::NoToken { .. } | Self::Secret(_) => one("token"),
            _ => Vec::new(),
        }
    }
}
