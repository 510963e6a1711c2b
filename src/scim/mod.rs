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
pub mod guide;
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

pub use client::{BaseUrl, ScimClient};
pub use connection::{
    ScimConnection, ScimConnectionDetail, ScimConnectionDocument, ScimConnectionId,
    ScimConnectionSummary,
};
pub use lifecycle::{DryRunOptions, DryRunReport};
pub use mapping::{MappingDocument, Provider};
pub use preview::{Preview, PreviewOptions};
pub use review::EndpointReview;
pub use test_connection::TestConnectionReport;
