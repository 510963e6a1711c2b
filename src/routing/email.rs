//! The email address a person signs in with, as far as routing needs it: a local part and a
//! domain, the domain normalised like a domain suffix so the two compare.

use std::fmt;

use crate::directory::DomainSuffix;

/// An email address whose domain is a valid domain name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress {
    text: String,
    domain: DomainSuffix,
}

/// Why a text is not an email address routing can use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EmailError {
    /// Nothing was given.
    #[error("enter an email address, such as ann@example.org")]
    Empty,
    /// Spaces inside, such as a display name.
    #[error("\"{email}\" contains a space; enter the address alone, such as ann@example.org")]
    WhiteSpace {
        /// The text given.
        email: String,
    },
    /// No `@`.
    #[error("\"{email}\" has no @; enter a whole email address, such as ann@example.org")]
    NoAt {
        /// The text given.
        email: String,
    },
    /// More than one `@` outside quotes.
    #[error("\"{email}\" has more than one @; enter one address, such as ann@example.org")]
    SeveralAt {
        /// The text given.
        email: String,
    },
    /// Nothing before the `@`.
    #[error("\"{email}\" has nothing before the @; enter a whole email address, such as ann@example.org")]
    NoLocalPart {
        /// The text given.
        email: String,
    },
    /// Nothing after the `@`.
    #[error("\"{email}\" has nothing after the @; add the domain, such as ann@example.org")]
    NoDomain {
        /// The text given.
        email: String,
    },
    /// The part after the `@` is not a domain name.
    #[error("the domain of \"{email}\" is not valid: {detail}")]
    Domain {
        /// The text given.
        email: String,
        /// Why, from the domain rules.
        detail: String,
    },
}

impl EmailAddress {
    /// Checks an address: trimmed, one `@` (a quoted local part may hold more), something before
    /// it, and a valid domain after it (internationalised names are accepted and normalised).
    pub fn parse(value: &str) -> Result<Self, EmailError> {
        let text = value.trim();
        let email = || text.to_owned();
        if text.is_empty() {
            return Err(EmailError::Empty);
        }
        if text.chars().any(char::is_whitespace) {
            return Err(EmailError::WhiteSpace { email: email() });
        }
        let Some((local, domain)) = text.rsplit_once('@') else {
            return Err(EmailError::NoAt { email: email() });
        };
        let quoted = local.len() >= 2 && local.starts_with('"') && local.ends_with('"');
        if local.contains('@') && !quoted {
            return Err(EmailError::SeveralAt { email: email() });
        }
        if local.is_empty() {
            return Err(EmailError::NoLocalPart { email: email() });
        }
        if domain.is_empty() {
            return Err(EmailError::NoDomain { email: email() });
        }
        let domain = DomainSuffix::parse(domain).map_err(|detail| EmailError::Domain {
            email: email(),
            detail,
        })?;
        Ok(Self {
            text: text.to_owned(),
            domain,
        })
    }

    /// The address as given, trimmed.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The domain, lower-cased, ASCII form: what domain suffixes are compared with.
    pub fn domain(&self) -> &str {
        self.domain.as_str()
    }

    /// The domain as people read it: the Unicode form of an internationalised name.
    pub fn domain_unicode(&self) -> String {
        let (unicode, result) = idna::domain_to_unicode(self.domain.as_str());
        if result.is_ok() {
            unicode
        } else {
            self.domain.to_string()
        }
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
