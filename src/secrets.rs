//! Secrets in the OS credential store (C2): Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows. There is no plaintext fallback: without a keyring, saving a
//! secret fails and says how to get one.

use std::fmt;

use crate::directory::DirectoryId;
use crate::scim::ScimConnectionId;

/// The keyring service name; development builds use their own so they never touch release secrets.
pub const KEYRING_SERVICE: &str = if cfg!(debug_assertions) {
    "sso-console-dev"
} else {
    "sso-console"
};

/// A secret value: its `Debug` and `Display` never show it, and it cannot be serialised.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps a secret; surrounding whitespace (a common copy-paste accident) is removed.
    pub fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        let trimmed = value.trim();
        if trimmed.len() == value.len() {
            Self(value)
        } else {
            Self(trimmed.to_owned())
        }
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString(<redacted>)")
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Which secret of its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    /// The OpenID Connect client secret of a directory.
    ClientSecret,
    /// The bearer token of a SCIM connection.
    ScimBearerToken,
}

impl SecretKind {
    fn slug(self) -> &'static str {
        match self {
            Self::ClientSecret => "client-secret",
            Self::ScimBearerToken => "bearer-token",
        }
    }
}

/// What a secret belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretOwner {
    /// A directory connection.
    Directory(DirectoryId),
    /// A SCIM connection.
    ScimConnection(ScimConnectionId),
}

impl SecretOwner {
    fn entry_name(self, kind: SecretKind) -> String {
        match self {
            Self::Directory(id) => format!("directory/{id}/{}", kind.slug()),
            Self::ScimConnection(id) => format!("scim/{id}/{}", kind.slug()),
        }
    }
}

/// A keyring failure. Messages never contain the secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SecretError {
    /// No credential store can be reached.
    #[error("no OS keyring is available ({detail}). {}", unavailable_hint())]
    Unavailable {
        /// What the platform said.
        detail: String,
    },
    /// The store was reached but refused or failed the operation.
    #[error("the OS keyring failed to {action} the secret: {detail}")]
    Failed {
        /// What was being done.
        action: &'static str,
        /// What the platform said.
        detail: String,
    },
}

fn unavailable_hint() -> &'static str {
    if cfg!(target_os = "linux") {
        "Secrets are kept only in the Secret Service: start and unlock a keyring such as GNOME Keyring or KWallet in your desktop session, then try again"
    } else if cfg!(target_os = "macos") {
        "Secrets are kept only in the macOS Keychain: unlock your login keychain, then try again"
    } else {
        "Secrets are kept only in the Windows Credential Manager: sign in to a normal user session, then try again"
    }
}

/// A human description of where secrets are kept on this platform.
pub fn store_description() -> String {
    let store = if cfg!(target_os = "linux") {
        "the Secret Service (GNOME Keyring, KWallet…) over D-Bus"
    } else if cfg!(target_os = "macos") {
        "the macOS Keychain"
    } else if cfg!(target_os = "windows") {
        "the Windows Credential Manager"
    } else {
        "the OS credential store"
    };
    format!("{store}, service \"{KEYRING_SERVICE}\", one entry per directory secret or SCIM token")
}

/// The OS keyring, one entry per owner (directory or SCIM connection) and secret kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct SecretStore;

impl SecretStore {
    fn entry(owner: SecretOwner, kind: SecretKind) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(KEYRING_SERVICE, &owner.entry_name(kind))
            .map_err(|e| classify(e, "open"))
    }

    /// Stores or replaces a directory's secret. Blocking: call from a blocking thread in async
    /// code.
    pub fn set(
        &self,
        directory: DirectoryId,
        kind: SecretKind,
        secret: &SecretString,
    ) -> Result<(), SecretError> {
        self.set_for(SecretOwner::Directory(directory), kind, secret)
    }

    /// Reads a directory's secret; `None` when none is stored.
    pub fn get(
        &self,
        directory: DirectoryId,
        kind: SecretKind,
    ) -> Result<Option<SecretString>, SecretError> {
        self.get_for(SecretOwner::Directory(directory), kind)
    }

    /// Deletes a directory's secret; deleting one that does not exist is not an error.
    pub fn delete(&self, directory: DirectoryId, kind: SecretKind) -> Result<(), SecretError> {
        self.delete_for(SecretOwner::Directory(directory), kind)
    }

    /// Stores or replaces the secret of any owner. Blocking.
    pub fn set_for(
        &self,
        owner: SecretOwner,
        kind: SecretKind,
        secret: &SecretString,
    ) -> Result<(), SecretError> {
        Self::entry(owner, kind)?
            .set_password(secret.expose())
            .map_err(|e| classify(e, "store"))
    }

    /// Reads the secret of any owner; `None` when none is stored. Blocking.
    pub fn get_for(
        &self,
        owner: SecretOwner,
        kind: SecretKind,
    ) -> Result<Option<SecretString>, SecretError> {
        match Self::entry(owner, kind)?.get_password() {
            Ok(value) => Ok(Some(SecretString(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(classify(e, "read")),
        }
    }

    /// Deletes the secret of any owner; deleting one that does not exist is not an error.
    /// Blocking.
    pub fn delete_for(&self, owner: SecretOwner, kind: SecretKind) -> Result<(), SecretError> {
        match Self::entry(owner, kind)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(classify(e, "delete")),
        }
    }
}

fn classify(error: keyring::Error, action: &'static str) -> SecretError {
    match error {
        keyring::Error::NoStorageAccess(e) | keyring::Error::PlatformFailure(e) => {
            SecretError::Unavailable {
                detail: e.to_string(),
            }
        }
        other => SecretError::Failed {
            action,
            detail: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_string_never_prints_itself() {
        let secret = SecretString::new("  s3cr3t-value \n");
        assert_eq!(secret.expose(), "s3cr3t-value");
        assert!(!format!("{secret:?} {secret}").contains("s3cr3t"));
    }
}
