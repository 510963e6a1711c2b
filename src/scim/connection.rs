//! SCIM connections (C14): a name, the tenant URL, the bearer token (in the OS keyring only),
//! an optional link to a directory connection, notes, and the attribute mappings.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::client::BaseUrl;
use super::mapping::MappingDocument;
use crate::directory::{DirectoryId, FieldError};
pub use crate::ids::ScimConnectionId;

/// The longest connection name, in characters.
pub const NAME_MAX_CHARS: usize = 100;
/// The longest notes, in characters.
pub const NOTES_MAX_CHARS: usize = 4000;

/// The JSON shape of a SCIM connection, as the UI and `ssoctl` exchange it. The bearer token
/// is never part of it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimConnectionDocument")]
pub struct ScimConnectionDocument {
    /// The id; absent on create.
    #[serde(default)]
    pub id: Option<String>,
    /// A unique name ("Learning platform, production").
    pub name: String,
    /// The SCIM base URL the provider is given ("Tenant URL").
    pub tenant_url: String,
    /// The directory connection whose users are provisioned, when linked.
    #[serde(default)]
    pub directory_id: Option<String>,
    /// Free notes.
    #[serde(default)]
    pub notes: String,
    /// The attribute mappings.
    #[serde(default)]
    pub mappings: MappingDocument,
}

/// A SCIM connection that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ScimConnection {
    /// Set once saved.
    pub id: Option<ScimConnectionId>,
    /// Trimmed, 1–100 characters.
    pub name: String,
    /// The tenant URL.
    pub tenant_url: BaseUrl,
    /// The linked directory.
    pub directory_id: Option<DirectoryId>,
    /// Notes.
    pub notes: String,
    /// The mappings (checked).
    pub mappings: MappingDocument,
}

impl ScimConnection {
    /// Checks a document; every failing field is reported.
    pub fn from_document(doc: &ScimConnectionDocument) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let id = match doc.id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => match ScimConnectionId::parse(text) {
                Ok(id) => Some(id),
                Err(message) => {
                    errors.push(FieldError::new("id", message));
                    None
                }
            },
        };
        let name = doc.name.trim();
        let chars = name.chars().count();
        if chars == 0 {
            errors.push(FieldError::new(
                "name",
                "enter a name for the SCIM connection",
            ));
        } else if chars > NAME_MAX_CHARS {
            errors.push(FieldError::new(
                "name",
                format!(
                    "the name is {chars} characters long; shorten it to at most {NAME_MAX_CHARS}"
                ),
            ));
        } else if name.chars().any(char::is_control) {
            errors.push(FieldError::new(
                "name",
                "the name contains a control character (tab, line break…); remove it",
            ));
        }
        let tenant_url = match BaseUrl::parse(&doc.tenant_url) {
            Ok(url) => Some(url),
            Err(message) => {
                errors.push(FieldError::new("tenant_url", message));
                None
            }
        };
        let directory_id = match doc.directory_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => match DirectoryId::parse(text) {
                Ok(id) => Some(id),
                Err(message) => {
                    errors.push(FieldError::new("directory_id", message));
                    None
                }
            },
        };
        let notes_chars = doc.notes.chars().count();
        if notes_chars > NOTES_MAX_CHARS {
            errors.push(FieldError::new(
                "notes",
                format!("the notes are {notes_chars} characters long; shorten them to at most {NOTES_MAX_CHARS}"),
            ));
        }
        if let Err(mapping_errors) = doc.mappings.check() {
            errors.extend(
                mapping_errors
                    .into_iter()
                    .map(|e| FieldError::new(format!("mappings.{}", e.field), e.message)),
            );
        }
        match tenant_url {
            Some(tenant_url) if errors.is_empty() => Ok(Self {
                id,
                name: name.to_owned(),
                tenant_url,
                directory_id,
                notes: doc.notes.clone(),
                mappings: doc.mappings.clone(),
            }),
            _ => Err(errors),
        }
    }

    /// The document of this connection.
    pub fn to_document(&self) -> ScimConnectionDocument {
        ScimConnectionDocument {
            id: self.id.map(|id| id.to_string()),
            name: self.name.clone(),
            tenant_url: self.tenant_url.to_string(),
            directory_id: self.directory_id.map(|id| id.to_string()),
            notes: self.notes.clone(),
            mappings: self.mappings.clone(),
        }
    }
}

/// A SCIM connection in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimConnectionSummary")]
pub struct ScimConnectionSummary {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Tenant URL.
    pub tenant_url: String,
    /// The linked directory's id.
    pub directory_id: Option<String>,
    /// The linked directory's name.
    pub directory_name: Option<String>,
    /// Whether the keyring holds the bearer token.
    pub has_token: bool,
    /// How many attribute mappings it has.
    pub mapping_count: u32,
    /// Revision.
    #[ts(type = "number")]
    pub revision: i64,
}

/// A SCIM connection with everything the editor shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimConnectionDetail")]
pub struct ScimConnectionDetail {
    /// The document.
    pub document: ScimConnectionDocument,
    /// Revision; a save names the revision it started from.
    #[ts(type = "number")]
    pub revision: i64,
    /// Whether the keyring holds the bearer token.
    pub has_token: bool,
    /// The linked directory's name.
    pub directory_name: Option<String>,
    /// First saved, RFC 3339.
    pub created_at: String,
    /// Last saved, RFC 3339.
    pub updated_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> ScimConnectionDocument {
        ScimConnectionDocument {
            name: "  Learning platform  ".into(),
            tenant_url: "https://ilms.example.com/scim/v2/".into(),
            ..ScimConnectionDocument::default()
        }
    }

    #[test]
    fn a_valid_document_is_trimmed_and_normalised() {
        let connection = ScimConnection::from_document(&document()).unwrap();
        assert_eq!(connection.name, "Learning platform");
        assert_eq!(
            connection.tenant_url.as_str(),
            "https://ilms.example.com/scim/v2"
        );
    }

    #[test]
    fn every_invalid_field_is_reported() {
        let doc = ScimConnectionDocument {
            id: Some("nope".into()),
            name: " ".into(),
            tenant_url: "http://ilms.example.com/scim".into(),
            directory_id: Some("also-nope".into()),
            notes: "x".repeat(NOTES_MAX_CHARS + 1),
            mappings: MappingDocument {
                format: "other".into(),
                ..MappingDocument::default()
            },
        };
        let fields: Vec<String> = ScimConnection::from_document(&doc)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "id",
                "name",
                "tenant_url",
                "directory_id",
                "notes",
                "mappings.format"
            ]
        );
    }
}
