//! Routing (C9, DESIGN §3.2): which directory the sign-in service sends an email address to, and
//! a check of the whole set of directories for routes that cannot work.
//!
//! Pure functions over [`RoutingDirectory`] values; the workspace loads them from the store.

mod check;
mod email;

pub use check::{check, RoutingFindingCode, RoutingReport};
pub use email::{EmailAddress, EmailError};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::directory::{DirectoryRef, DomainSuffix, StaffRule};

/// What routing needs to know of a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutingDirectory {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Hidden from the selection screen.
    pub is_hidden: bool,
    /// Its domain suffixes as stored (normalised ASCII form).
    pub domain_suffixes: Vec<String>,
    /// Its staff user identification.
    pub staff: StaffRule,
}

impl RoutingDirectory {
    fn reference(&self) -> DirectoryRef {
        DirectoryRef {
            id: self.id.clone(),
            name: self.name.clone(),
            is_hidden: self.is_hidden,
        }
    }

    /// The suffixes in the form email domains are compared in; a stored value that no longer
    /// parses is compared as it is, lower-cased.
    fn normalised_suffixes(&self) -> impl Iterator<Item = String> + '_ {
        self.domain_suffixes.iter().map(|d| {
            DomainSuffix::parse(d).map_or_else(|_| d.trim().to_lowercase(), |s| s.to_string())
        })
    }
}

/// Why nobody can sign in with an address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum NoRoute {
    /// There is no directory at all.
    NoDirectories,
    /// Every directory is hidden and none lists the address's domain.
    NoVisibleDirectory {
        /// The hidden directories, reachable only through their domains.
        hidden: Vec<DirectoryRef>,
    },
}

/// The rule of DESIGN §3.2 that applies, and its result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "rule", rename_all = "snake_case")]
#[ts(export)]
pub enum Route {
    /// Rule 1: the domain is a suffix of this directory (hidden or not); the user cannot choose.
    DomainSuffix {
        /// The directory.
        directory: DirectoryRef,
        /// The suffix that matched.
        suffix: String,
    },
    /// Rule 2: no suffix matched and exactly one directory is visible.
    SingleVisibleDirectory {
        /// The directory.
        directory: DirectoryRef,
    },
    /// Rule 3: no suffix matched; the selection screen lists the visible directories.
    SelectionScreen {
        /// The directories listed, by name.
        choices: Vec<DirectoryRef>,
    },
    /// Rule 4: the user cannot sign in.
    NobodyCanSignIn {
        /// Why.
        reason: NoRoute,
    },
    /// Several directories list the domain: the stored data breaks the one-directory rule.
    ConflictingDomain {
        /// The domain.
        suffix: String,
        /// The directories that list it.
        directories: Vec<DirectoryRef>,
    },
}

impl Route {
    /// Whether the user reaches a directory (or a choice of them).
    pub fn can_sign_in(&self) -> bool {
        matches!(
            self,
            Self::DomainSuffix { .. }
                | Self::SingleVisibleDirectory { .. }
                | Self::SelectionScreen { .. }
        )
    }
}

/// Where an email address is sent, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RouteDecision {
    /// The address, trimmed.
    pub email: String,
    /// Its domain, normalised (lower case, ASCII form of an internationalised name).
    pub domain: String,
    /// Its domain as people read it (Unicode form).
    pub domain_unicode: String,
    /// The rule and its result.
    pub route: Route,
    /// Whether the user reaches a directory.
    pub can_sign_in: bool,
    /// The decision in a sentence or two.
    pub explanation: String,
    /// Things worth knowing: near misses, a staff directory.
    pub notes: Vec<String>,
}

/// The route for an address whose domain no directory lists (rules 2–4).
pub(crate) fn fallback(directories: &[RoutingDirectory]) -> Route {
    let mut visible: Vec<DirectoryRef> = directories
        .iter()
        .filter(|d| !d.is_hidden)
        .map(RoutingDirectory::reference)
        .collect();
    visible.sort_by_key(|d| d.name.to_lowercase());
    match visible.len() {
        0 if directories.is_empty() => Route::NobodyCanSignIn {
            reason: NoRoute::NoDirectories,
        },
        0 => Route::NobodyCanSignIn {
            reason: NoRoute::NoVisibleDirectory {
                hidden: directories
                    .iter()
                    .map(RoutingDirectory::reference)
                    .collect(),
            },
        },
        1 => Route::SingleVisibleDirectory {
            directory: visible.remove(0),
        },
        _ => Route::SelectionScreen { choices: visible },
    }
}

/// Decides where the sign-in service sends `email` (DESIGN §3.2).
pub fn simulate(email: &EmailAddress, directories: &[RoutingDirectory]) -> RouteDecision {
    let domain = email.domain();
    let owners: Vec<&RoutingDirectory> = directories
        .iter()
        .filter(|d| d.normalised_suffixes().any(|s| s == domain))
        .collect();
    let route = match owners.as_slice() {
        [] => fallback(directories),
        [one] => Route::DomainSuffix {
            directory: one.reference(),
            suffix: domain.to_owned(),
        },
        many => Route::ConflictingDomain {
            suffix: domain.to_owned(),
            directories: many.iter().map(|d| d.reference()).collect(),
        },
    };
    let shown = email.domain_unicode();
    let explanation = match &route {
        Route::DomainSuffix { directory, .. } => format!(
            "{shown} is a domain suffix of \"{}\"{}, so the sign-in service sends the user straight to it; the selection screen is skipped and no other directory can be chosen",
            directory.name,
            if directory.is_hidden { " (hidden)" } else { "" }
        ),
        Route::SingleVisibleDirectory { directory } => format!(
            "No directory lists {shown}, and \"{}\" is the only directory not hidden, so the user is sent to it",
            directory.name
        ),
        Route::SelectionScreen { choices } => format!(
            "No directory lists {shown}, and {} directories are not hidden, so the user picks one on the selection screen: {}",
            choices.len(),
            names(choices)
        ),
        Route::NobodyCanSignIn { reason } => match reason {
            NoRoute::NoDirectories => {
                "There is no directory, so nobody can sign in. Create one".to_owned()
            }
            NoRoute::NoVisibleDirectory { .. } => format!(
                "No directory lists {shown} and every directory is hidden, so this user cannot sign in. Make a directory visible, or add {shown} to a directory's domain suffixes"
            ),
        },
        Route::ConflictingDomain { directories, .. } => format!(
            "{shown} is listed by several directories ({}); a domain may belong to one directory only. Remove it from all but one",
            names(directories)
        ),
    };

    let mut notes = Vec::new();
    if !matches!(
        route,
        Route::DomainSuffix { .. } | Route::ConflictingDomain { .. }
    ) {
        for d in directories {
            if let Some(parent) = d
                .normalised_suffixes()
                .find(|s| domain.ends_with(&format!(".{s}")))
            {
                notes.push(format!(
                    "\"{}\" lists {parent}, but suffixes match the whole domain exactly, not its subdomains; add {domain} to its list to route these users there",
                    d.name
                ));
            }
        }
    }
    if let Route::DomainSuffix { directory, .. } | Route::SingleVisibleDirectory { directory } =
        &route
    {
        if directories
            .iter()
            .any(|d| d.id == directory.id && d.staff == StaffRule::Always)
        {
            notes.push(format!(
                "\"{}\" identifies every user as staff (Staff user identification: Always)",
                directory.name
            ));
        }
    }

    RouteDecision {
        email: email.as_str().to_owned(),
        domain: domain.to_owned(),
        domain_unicode: shown,
        can_sign_in: route.can_sign_in(),
        route,
        explanation,
        notes,
    }
}

fn names(list: &[DirectoryRef]) -> String {
    list.iter()
        .map(|d| format!("\"{}\"", d.name))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
