//! The identities of what the workspace stores: UUIDs made on first save and never changed.
//! A leaf module, so that storage, the keyring and the protocol logic can all name a directory
//! or a SCIM connection without depending on each other.

use std::fmt;

use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident, $noun:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh random id.
            pub fn new() -> Self {
                Self(Uuid::new_v4())
            }

            /// Parses a UUID in its usual hyphenated form.
            pub fn parse(value: &str) -> Result<Self, String> {
                Uuid::parse_str(value.trim()).map(Self).map_err(|_| {
                    format!(
                        "\"{value}\" is not a {} (a UUID such as 531b5f5e-2a2a-4b73-b109-3f17f7f34e36)",
                        $noun
                    )
                })
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

uuid_id!(
    /// A directory connection's identity.
    DirectoryId,
    "directory id"
);

uuid_id!(
    /// A SCIM connection's identity.
    ScimConnectionId,
    "SCIM connection id"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_round_trips_and_a_malformed_one_is_named() {
        let id = DirectoryId::new();
        assert_eq!(DirectoryId::parse(&id.to_string()), Ok(id));
        assert!(DirectoryId::parse("not-a-uuid").is_err());
        let scim = ScimConnectionId::new();
        assert_eq!(ScimConnectionId::parse(&format!(" {scim} ")), Ok(scim));
        let message = ScimConnectionId::parse("x").unwrap_err();
        assert!(
            message.starts_with("\"x\" is not a SCIM connection id"),
            "{message}"
        );
    }
}
