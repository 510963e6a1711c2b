//! Offline preparation (C13): the bundle that carries directories, SCIM connections and their
//! mapping sets from one workspace to another (DESIGN §7.3, `docs/bundle.md`), as one JSON file
//! ([`file`]) or as a folder a team keeps in Git ([`folder`]); its secrets only ever encrypted
//! with a passphrase ([`sealed`]); and the plan that says what an import would change before
//! anything does ([`plan`]). Everything here is pure: the workspace reads and writes the store.

pub mod apply;
pub mod file;
pub mod folder;
pub mod plan;
pub mod sealed;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::directory::{DirectoryDocument, FieldError};
use crate::error_kind::ErrorKind;
use crate::scim::connection::ScimConnectionDocument;
use crate::scim::mapping::MappingDocument;
use crate::sensitive::SecretString;

/// The `format` every bundle names.
pub const FORMAT: &str = "sso-console/bundle";
/// The version of the bundle's shape this console writes and reads.
pub const VERSION: u32 = 1;
/// The largest bundle file read (64 MiB): 10,000 directories with their logos fit easily.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// A SCIM connection's attribute mappings, kept apart from the connection so that a change of
/// mappings and a change of the connection are separate diffs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingSet {
    /// The connection whose mappings these are.
    pub scim_connection_id: String,
    /// The mappings.
    #[serde(flatten)]
    pub mappings: MappingDocument,
}

/// The workspace settings a bundle carries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The sign-in service's base URL, from which redirect URLs are derived.
    #[serde(default)]
    pub sign_in_service_url: Option<String>,
}

/// The secrets of a bundle, once decrypted: each client secret and bearer token by the id of
/// the item it belongs to.
#[derive(Debug, Default, Clone)]
pub struct Secrets {
    /// Client secrets by directory id.
    pub directories: BTreeMap<String, SecretString>,
    /// Bearer tokens by SCIM connection id.
    pub scim_connections: BTreeMap<String, SecretString>,
}

impl Secrets {
    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.directories.is_empty() && self.scim_connections.is_empty()
    }
}

/// What a bundle carries, whether it came from a file or a folder. Every document still has to
/// pass the rules of a save: [`plan::plan`] checks them.
#[derive(Debug, Clone, Default)]
pub struct Contents {
    /// The version of SSO Console that wrote it.
    pub app_version: String,
    /// When it was written, RFC 3339 (empty in a folder, which must not change when nothing
    /// else does).
    pub created_at: String,
    /// Directory documents (DESIGN §7.1), each with its id and logo.
    pub directories: Vec<DirectoryDocument>,
    /// SCIM connections, each with its mappings (read from its mapping set).
    pub scim_connections: Vec<ScimConnectionDocument>,
    /// The settings.
    pub settings: Settings,
    /// The encrypted secrets, ASCII-armoured, when the bundle has them.
    pub sealed_secrets: Option<String>,
    /// Fields this version does not know, left aside: one line each.
    pub warnings: Vec<String>,
}

/// A bundle that cannot be written, read or applied.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// Larger than [`MAX_BYTES`].
    #[error("the file is {bytes} bytes, larger than a bundle can be ({} MiB); choose a bundle SSO Console exported", MAX_BYTES / (1024 * 1024))]
    TooLarge {
        /// Its size.
        bytes: u64,
    },
    /// The JSON stops before the document does.
    #[error("the file ends before the bundle does ({0}); it was cut short while being copied or saved: export it again")]
    Truncated(String),
    /// Not a JSON document.
    #[error("the file is not a JSON bundle ({0}); choose a bundle SSO Console exported")]
    NotJson(String),
    /// Some other JSON document.
    #[error("the file is not an SSO Console bundle (its \"format\" is {0}, not \"{FORMAT}\"); choose a bundle SSO Console exported")]
    OtherFormat(String),
    /// Written by a newer console.
    #[error("the bundle is version {0}, written by a newer SSO Console; this one ({app}) reads version {VERSION}: update SSO Console to import it", app = crate::VERSION)]
    Newer(u64),
    /// A part does not have the bundle's shape.
    #[error("the bundle cannot be read: {0}")]
    Malformed(String),
    /// An item breaks the rules of a save.
    #[error("{item} cannot be imported: {}", FieldError::describe_all(.errors))]
    Invalid {
        /// Which item, in words ("directory 2, \"Contoso\"").
        item: String,
        /// What is wrong with it.
        errors: Vec<FieldError>,
    },
    /// The bundle contradicts itself (two items with one id, name or domain).
    #[error("the bundle contradicts itself: {0}; correct the bundle, or export it again")]
    Inconsistent(String),
    /// The bundle has secrets but no passphrase was given.
    #[error("the bundle holds encrypted secrets; give the passphrase it was exported with")]
    PassphraseNeeded,
    /// An empty passphrase was given to encrypt.
    #[error("the passphrase is empty; choose one to protect the secrets with")]
    EmptyPassphrase,
    /// The passphrase does not open the secrets.
    #[error("the passphrase does not open the bundle's secrets; nothing was imported. Check the passphrase and try again")]
    WrongPassphrase,
    /// The encrypted part was changed or cut short.
    #[error("the bundle's encrypted secrets are damaged ({0}); nothing was imported. Export the bundle again")]
    SecretsDamaged(String),
    /// A file or folder cannot be read or written.
    #[error("{path}: {detail}")]
    Io {
        /// The file or folder.
        path: String,
        /// What went wrong, and what to do.
        detail: String,
    },
    /// Conflicts the import was not told how to resolve.
    #[error("{} of the bundle's items conflict with what is here ({}); nothing was imported. Choose for each whether to skip it, overwrite what is here or import it as a copy", .0.len(), .0.join("; "))]
    Unresolved(Vec<String>),
    /// Every "(copy)" name of an item is taken.
    #[error("there is no free name for a copy of \"{0}\" (\"{0} (copy)\" to \"{0} (copy 999)\" are all taken); rename one of them, or choose skip or overwrite")]
    NoFreeName(String),
    /// The secrets could not be encrypted for an export.
    #[error("the secrets could not be encrypted ({0}); nothing was written. Export again")]
    Sealing(String),
    /// The workspace changed between the plan and the apply.
    #[error("the data changed while the import was being applied ({0}); nothing was imported. Look at the plan again and apply it")]
    Changed(String),
}

impl BundleError {
    /// What to do next, in the words of the front end that shows the error.
    pub fn advice(&self, front: crate::error_kind::FrontEnd) -> Option<String> {
        use crate::error_kind::FrontEnd;
        Some(match (self, front) {
            (Self::PassphraseNeeded | Self::WrongPassphrase, FrontEnd::Ssoctl) => {
                "give it on standard input with --passphrase-stdin (for example `--passphrase-stdin < passphrase.txt`)".to_owned()
            }
            (Self::PassphraseNeeded, FrontEnd::App) => "enter it in the passphrase field".to_owned(),
            _ => return None,
        })
    }

    /// The kind of failure for the front ends.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid { .. } => ErrorKind::Validation,
            Self::PassphraseNeeded | Self::EmptyPassphrase | Self::WrongPassphrase => {
                ErrorKind::WrongPassphrase
            }
            Self::Unresolved(_) | Self::Changed(_) | Self::NoFreeName(_) => ErrorKind::Conflict,
            Self::Sealing(_) => ErrorKind::Internal,
            Self::Io { .. } => ErrorKind::Environment,
            _ => ErrorKind::InvalidBundle,
        }
    }

    /// The fields this error concerns, each with its message.
    pub fn fields(&self) -> Vec<FieldError> {
        match self {
            Self::Invalid { errors, .. } => errors.clone(),
            _ => Vec::new(),
        }
    }
}

/// Reads the bundle at `path`: a file, or with `as_folder` a folder (see [`folder`]).
pub fn read(path: &std::path::Path, as_folder: bool) -> Result<Contents, BundleError> {
    if as_folder {
        return folder::read(path);
    }
    let unreadable = |e: std::io::Error| BundleError::Io {
        path: path.display().to_string(),
        detail: format!("the file cannot be read: {e}"),
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_BYTES as u64 {
        return Err(BundleError::TooLarge { bytes: size });
    }
    file::parse(&crate::files::read_at_most(path, MAX_BYTES).map_err(unreadable)?)
}

/// Writes `contents` to `path`: as one file all at once, or with `as_folder` as a folder,
/// which never holds secrets (see [`folder`]).
pub fn write(
    path: &std::path::Path,
    as_folder: bool,
    contents: &Contents,
) -> Result<(), BundleError> {
    if as_folder {
        if contents.sealed_secrets.is_some() {
            return Err(BundleError::Io {
                path: path.display().to_string(),
                detail: "secrets are never written into a folder, which is meant for Git; export them to a bundle file instead".to_owned(),
            });
        }
        return folder::write(
            path,
            &Contents {
                created_at: String::new(),
                ..contents.clone()
            },
        );
    }
    crate::files::write_whole(path, file::write(contents).as_bytes()).map_err(|e| BundleError::Io {
        path: path.display().to_string(),
        detail: format!(
            "the bundle cannot be written there: {e}; choose a folder you can write to"
        ),
    })
}

/// A lower-case, dash-separated form of a name for file names: "Contoso Staff (Entra)" →
/// `contoso-staff-entra`, accents dropped, at most 60 characters; `item` when nothing of the
/// name is left.
pub fn slug(name: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    // Accents come apart from their letters ("Ü" is "U" and "¨"), and are dropped.
    for c in name.nfkd().filter(|c| !is_combining_mark(*c)) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let out: String = out.chars().take(60).collect();
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "item".to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn a_slug_keeps_letters_and_digits_and_joins_the_rest_with_dashes() {
        for (name, expected) in [
            ("Contoso Staff (Entra)", "contoso-staff-entra"),
            ("  A/B  c ", "a-b-c"),
            ("Überstadt Café", "uberstadt-cafe"),
            ("!!!", "item"),
            ("Okta 2", "okta-2"),
        ] {
            assert_eq!(slug(name), expected, "{name}");
        }
    }
}
