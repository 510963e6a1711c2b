//! Secrets in the OS credential store (C2): Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows. There is no plaintext fallback: without a keyring, saving a
//! secret fails and says how to get one.

use crate::ids::{DirectoryId, ScimConnectionId};
use crate::sensitive::SecretString;

/// The keyring service name; development builds use their own so they never touch release secrets.
pub const KEYRING_SERVICE: &str = if cfg!(debug_assertions) {
    "sso-console-dev"
} else {
    "sso-console"
};

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

/// Which keyring entry holds an owner's secret of a kind. Every secret written gets an entry
/// name never used before (version 1 is the name secrets had before versions existed; a
/// replacement gets a random one), and the database row switches to it in the same commit as
/// the rest of the change. So a crash at any moment leaves the row and the keyring agreeing on
/// one version, and deleting a leftover entry can never delete a newer secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretVersion(i64);

impl SecretVersion {
    /// The version of a secret stored with a new row.
    pub const FIRST: Self = Self(1);

    /// A version no entry has had: 62 random bits, so never 0 (no secret) nor 1.
    pub fn fresh() -> Self {
        let random = u64::from_le_bytes(
            uuid::Uuid::new_v4().as_bytes()[..8]
                .try_into()
                .unwrap_or_default(),
        );
        Self(2 + i64::try_from(random >> 2).unwrap_or(0))
    }

    /// The number stored in the database.
    pub fn number(self) -> i64 {
        self.0
    }

    /// The version of a stored number; `None` for 0 (no secret stored) or a negative one.
    pub fn from_number(n: i64) -> Option<Self> {
        (n > 0).then_some(Self(n))
    }
}

/// One keyring entry: whose secret, which kind, and which version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretEntry {
    /// Whose secret it is.
    pub owner: SecretOwner,
    /// Which secret of the owner.
    pub kind: SecretKind,
    /// Which of the owner's entries.
    pub version: SecretVersion,
}

impl SecretEntry {
    /// A directory's client secret in `version`.
    pub fn client_secret(directory: DirectoryId, version: SecretVersion) -> Self {
        Self {
            owner: SecretOwner::Directory(directory),
            kind: SecretKind::ClientSecret,
            version,
        }
    }

    /// The entry's name in the keyring (its "account"), without the secret.
    pub fn name(self) -> String {
        let base = match self.owner {
            SecretOwner::Directory(id) => format!("directory/{id}/{}", self.kind.slug()),
            SecretOwner::ScimConnection(id) => format!("scim/{id}/{}", self.kind.slug()),
        };
        match self.version.0 {
            1 => base,
            n => format!("{base}#{n}"),
        }
    }

    /// The entry of the given keyring name, when it is one of the console's.
    pub fn parse(name: &str) -> Option<Self> {
        let (base, version) = match name.split_once('#') {
            Some((base, n)) => (
                base,
                SecretVersion::from_number(n.parse().ok()?).filter(|v| v.0 != 1)?,
            ),
            None => (name, SecretVersion::FIRST),
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
        Some(Self {
            owner,
            kind,
            version,
        })
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
            Ok(value) => Ok(Some(SecretString::exact(value))),
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
        for version in [SecretVersion::FIRST, SecretVersion::fresh()] {
            let entry = SecretEntry::client_secret(id, version);
            assert_eq!(SecretEntry::parse(&entry.name()), Some(entry));
        }
        assert_eq!(
            SecretEntry::client_secret(id, SecretVersion::FIRST).name(),
            format!("directory/{id}/client-secret"),
            "the first version keeps the name secrets had before versions"
        );
        assert_ne!(SecretVersion::fresh(), SecretVersion::fresh());
        assert!(SecretVersion::fresh().number() > 1);
        assert_eq!(SecretEntry::parse("directory/x/client-secret"), None);
        assert_eq!(SecretEntry::parse("other/thing"), None);
    }
}
