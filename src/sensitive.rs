//! Secret values in memory: never printed, never serialised, overwritten when let go. A leaf
//! module, so that the protocol logic can carry a secret without depending on the keyring.

use std::fmt;

use zeroize::Zeroize;

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

    /// Wraps a secret exactly as it is, as the keyring gives it back.
    pub(crate) fn exact(value: String) -> Self {
        Self(value)
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
