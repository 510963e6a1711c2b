//! Secrets in the OS credential store (C2): Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows. There is no plaintext fallback: without a keyring, saving a
//! secret fails and says how to get one.

use std::fmt;

use zeroize::Zeroize;

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
        let mut value = value.into();
        let trimmed = value.trim();
        if trimmed.len() == value.len() {
            Self(value)
        } else {
            let kept = Self(trimmed.to_owned());
            value.zeroize();
            kept
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

impl Drop for SecretString {
    // The memory a secret used is overwritten when it is let go, not left for the allocator.
    fn drop(&mut self) {
        self.0.zeroize();
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

/// Which of an owner's two keyring entries for a secret kind. A replaced secret goes into the
/// slot not in use, and the database row switches slots in the same commit as the rest of the
/// change, so a crash at any moment leaves the row and the keyring agreeing on one version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretSlot {
    /// The first entry (the one every secret had before slots existed).
    First,
    /// The second entry.
    Second,
}

impl SecretSlot {
    /// The slot a replacement goes into.
    pub fn other(self) -> Self {
        match self {
            Self::First => Self::Second,
            Self::Second => Self::First,
        }
    }

    /// The number stored in the database (1 or 2).
    pub fn number(self) -> i64 {
        match self {
            Self::First => 1,
            Self::Second => 2,
        }
    }

    /// The slot of a stored number; `None` for 0 (no secret stored) or anything unknown.
    pub fn from_number(n: i64) -> Option<Self> {
        match n {
            1 => Some(Self::First),
            2 => Some(Self::Second),
            _ => None,
        }
    }
}

/// One keyring entry: whose secret, which kind, and which slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretEntry {
    /// Whose secret it is.
    pub owner: SecretOwner,
    /// Which secret of the owner.
    pub kind: SecretKind,
    /// Which of the owner's two entries.
    pub slot: SecretSlot,
}

impl SecretEntry {
    /// A directory's client secret in `slot`.
    pub fn client_secret(directory: DirectoryId, slot: SecretSlot) -> Self {
        Self {
            owner: SecretOwner::Directory(directory),
            kind: SecretKind::ClientSecret,
            slot,
        }
    }

    /// Both slots of an owner's secret of this kind.
    pub fn both(owner: SecretOwner, kind: SecretKind) -> [Self; 2] {
        [SecretSlot::First, SecretSlot::Second].map(|slot| Self { owner, kind, slot })
    }

    /// The entry's name in the keyring (its "account"), without the secret.
    pub fn name(self) -> String {
        let base = match self.owner {
            SecretOwner::Directory(id) => format!("directory/{id}/{}", self.kind.slug()),
            SecretOwner::ScimConnection(id) => format!("scim/{id}/{}", self.kind.slug()),
        };
        match self.slot {
            SecretSlot::First => base,
            SecretSlot::Second => format!("{base}#2"),
        }
    }

    /// The entry of the given keyring name, when it is one of the console's.
    pub fn parse(name: &str) -> Option<Self> {
        let (base, slot) = match name.strip_suffix("#2") {
            Some(base) => (base, SecretSlot::Second),
            None => (name, SecretSlot::First),
        };
        let mut parts = base.split('/');
        let (owner, id, kind) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let kind = match kind {
            "client-secret" => SecretKind::ClientSecret,
            "bearer-token" => SecretKind::ScimBearerToken,
            _ => return None,
        };
        let owner = match owner {
            "directory" => SecretOwner::Directory(DirectoryId::parse(id).ok()?),
            "scim" => SecretOwner::ScimConnection(ScimConnectionId::parse(id).ok()?),
            _ => return None,
        };
        Some(Self { owner, kind, slot })
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
    fn open(entry: SecretEntry) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(KEYRING_SERVICE, &entry.name()).map_err(|e| classify(e, "open"))
    }

    /// Stores or replaces the secret of an entry. Blocking: call from a blocking thread in
    /// async code.
    pub fn set(&self, entry: SecretEntry, secret: &SecretString) -> Result<(), SecretError> {
        Self::open(entry)?
            .set_password(secret.expose())
            .map_err(|e| classify(e, "store"))
    }

    /// Reads the secret of an entry; `None` when none is stored. Blocking.
    pub fn get(&self, entry: SecretEntry) -> Result<Option<SecretString>, SecretError> {
        match Self::open(entry)?.get_password() {
            Ok(value) => Ok(Some(SecretString(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(classify(e, "read")),
        }
    }

    /// Deletes the secret of an entry; deleting one that does not exist is not an error.
    /// Blocking.
    pub fn delete(&self, entry: SecretEntry) -> Result<(), SecretError> {
        match Self::open(entry)?.delete_credential() {
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

    #[test]
    fn entry_names_read_back() {
        let id = DirectoryId::new();
        for slot in [SecretSlot::First, SecretSlot::Second] {
            let entry = SecretEntry::client_secret(id, slot);
            assert_eq!(SecretEntry::parse(&entry.name()), Some(entry));
        }
        assert_eq!(
            SecretEntry::client_secret(id, SecretSlot::First).name(),
            format!("directory/{id}/client-secret"),
            "the first slot keeps the name secrets had before slots"
        );
        assert_eq!(SecretEntry::parse("directory/x/client-secret"), None);
        assert_eq!(SecretEntry::parse("other/thing"), None);
    }
}
