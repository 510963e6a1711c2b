//! A check of all directories together: routes that cannot work, and directories nobody reaches.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{fallback, names, DirectoryRef, NoRoute, Route, RoutingDirectory};
use crate::directory::{DomainSuffix, StaffRule};
use crate::findings::{Finding, Severity};

/// What a finding is about: its `code`, stable for scripts and the UI to branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutingFindingCode {
    /// There is no directory.
    NoDirectories,
    /// Every directory is hidden.
    NoVisibleDirectory,
    /// A domain suffix is listed by several directories.
    DomainInSeveralDirectories,
    /// A stored domain suffix is not a valid domain name.
    InvalidStoredDomain,
    /// A hidden directory lists no domain suffix: nobody reaches it.
    HiddenWithoutDomains,
    /// A directory that makes every user staff is offered to everyone.
    StaffDirectoryVisible,
    /// A directory that makes every user staff lists no domain to route staff to it.
    StaffDirectoryWithoutDomains,
    /// The staff/public pattern of seed 000 is in place.
    StaffPublicPattern,
    /// Where users whose domain no directory lists are sent.
    OtherDomains,
}

impl RoutingFindingCode {
    /// The code as findings carry it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoDirectories => "no_directories",
            Self::NoVisibleDirectory => "no_visible_directory",
            Self::DomainInSeveralDirectories => "domain_in_several_directories",
            Self::InvalidStoredDomain => "invalid_stored_domain",
            Self::HiddenWithoutDomains => "hidden_without_domains",
            Self::StaffDirectoryVisible => "staff_directory_visible",
            Self::StaffDirectoryWithoutDomains => "staff_directory_without_domains",
            Self::StaffPublicPattern => "staff_public_pattern",
            Self::OtherDomains => "other_domains",
        }
    }
}

/// A domain suffix and the directory it sends users to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DomainRoute {
    /// The domain.
    pub domain: String,
    /// The directory.
    pub directory: DirectoryRef,
}

/// The routing of all directories, judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoutingReport {
    /// No error-level finding.
    pub ok: bool,
    /// Nobody at all can sign in.
    pub nobody_can_sign_in: bool,
    /// How many directories there are.
    pub directory_count: usize,
    /// The directories on the selection screen, by name.
    pub visible: Vec<DirectoryRef>,
    /// Every domain suffix and its directory, by domain.
    pub domains: Vec<DomainRoute>,
    /// Where an address whose domain no directory lists is sent.
    pub other_domains: Route,
    /// The findings, errors first.
    pub findings: Vec<Finding>,
    /// The verdict in a sentence.
    pub summary: String,
}

/// A routing finding: its message says what to do, and it names the directories and the
/// domain concerned.
fn finding(
    severity: Severity,
    code: RoutingFindingCode,
    message: String,
    directories: Vec<DirectoryRef>,
    domain: Option<String>,
) -> Finding {
    let finding = Finding::new(severity, code.as_str(), message, "").naming(directories);
    match domain {
        Some(domain) => finding.about(domain),
        None => finding,
    }
}

/// Checks the routing of a whole set of directories (DESIGN §3.2).
pub fn check(directories: &[RoutingDirectory]) -> RoutingReport {
    let mut findings = Vec::new();
    let other_domains = fallback(directories);
    let visible: Vec<DirectoryRef> = match &other_domains {
        Route::SingleVisibleDirectory { directory } => vec![directory.clone()],
        Route::SelectionScreen { choices } => choices.clone(),
        _ => Vec::new(),
    };

    let mut by_domain: BTreeMap<String, Vec<DirectoryRef>> = BTreeMap::new();
    for d in directories {
        for (stored, normalised) in d.domain_suffixes.iter().zip(d.normalised_suffixes()) {
            if let Err(why) = DomainSuffix::parse(stored) {
                findings.push(finding(
                    Severity::Warning,
                    RoutingFindingCode::InvalidStoredDomain,
                    format!(
                        "\"{}\" lists {why}; edit the directory and correct it",
                        d.name
                    ),
                    vec![d.reference()],
                    Some(stored.clone()),
                ));
            }
            let owners = by_domain.entry(normalised).or_default();
            if !owners.iter().any(|o| o.id == d.id) {
                owners.push(d.reference());
            }
        }
    }
    let domains: Vec<DomainRoute> = by_domain
        .iter()
        .flat_map(|(domain, owners)| {
            owners.iter().map(move |o| DomainRoute {
                domain: domain.clone(),
                directory: o.clone(),
            })
        })
        .collect();
    for (domain, owners) in by_domain.iter().filter(|(_, o)| o.len() > 1) {
        findings.push(finding(
            Severity::Error,
            RoutingFindingCode::DomainInSeveralDirectories,
            format!(
                "{domain} is listed by {} ({}); a domain may belong to one directory only, and which one its users reach is undefined. Remove it from all but one",
                owners.len(),
                names(owners)
            ),
            owners.clone(),
            Some(domain.clone()),
        ));
    }

    let nobody_can_sign_in = match &other_domains {
        Route::NobodyCanSignIn {
            reason: NoRoute::NoDirectories,
        } => {
            findings.push(finding(
                Severity::Error,
                RoutingFindingCode::NoDirectories,
                "There is no directory, so nobody can sign in. Create one".into(),
                Vec::new(),
                None,
            ));
            true
        }
        Route::NobodyCanSignIn { .. } if by_domain.is_empty() => {
            findings.push(finding(
                Severity::Error,
                RoutingFindingCode::NoVisibleDirectory,
                "Every directory is hidden and none lists a domain suffix, so nobody can sign in. Make the directory for the public visible, or add domain suffixes".into(),
                directories.iter().map(RoutingDirectory::reference).collect(),
                None,
            ));
            true
        }
        Route::NobodyCanSignIn { .. } => {
            let listed: Vec<&str> = by_domain.keys().map(String::as_str).collect();
            findings.push(finding(
                Severity::Warning,
                RoutingFindingCode::NoVisibleDirectory,
                format!(
                    "Every directory is hidden: only users whose email domain is listed ({}) can sign in, and everyone else cannot. Make the directory for everyone else visible",
                    listed.join(", ")
                ),
                directories.iter().map(RoutingDirectory::reference).collect(),
                None,
            ));
            false
        }
        _ => false,
    };

    for d in directories {
        let staff = d.staff == StaffRule::Always;
        let no_domains = d.domain_suffixes.is_empty();
        if d.is_hidden && no_domains {
            let staff_hint = if staff {
                "; it signs users in as staff, so add the organisation's email domain"
            } else {
                ""
            };
            findings.push(finding(
                Severity::Warning,
                RoutingFindingCode::HiddenWithoutDomains,
                format!(
                    "\"{}\" is hidden and lists no domain suffix, so no user can reach it{staff_hint}. Add its users' email domains, or make it visible",
                    d.name
                ),
                vec![d.reference()],
                None,
            ));
        }
        if staff && !d.is_hidden {
            let consequence = if visible.len() == 1 {
                "it is the only visible directory, so every user whose domain is not listed is sent to it and signs in as staff"
            } else {
                "it is on the selection screen, so public users can pick it and sign in as staff"
            };
            findings.push(finding(
                Severity::Warning,
                RoutingFindingCode::StaffDirectoryVisible,
                format!(
                    "\"{}\" signs every user in as staff (Staff user identification: Always), but {consequence}, using staff licenses. Hide it and route staff to it by their email domain",
                    d.name
                ),
                vec![d.reference()],
                None,
            ));
            if no_domains {
                findings.push(finding(
                    Severity::Warning,
                    RoutingFindingCode::StaffDirectoryWithoutDomains,
                    format!(
                        "\"{}\" signs every user in as staff but lists no domain suffix, so staff are not routed to it automatically. Add the organisation's email domain (for example example.org)",
                        d.name
                    ),
                    vec![d.reference()],
                    None,
                ));
            }
        }
    }

    let staff_routed: Vec<&RoutingDirectory> = directories
        .iter()
        .filter(|d| d.staff == StaffRule::Always && d.is_hidden && !d.domain_suffixes.is_empty())
        .collect();
    if let (false, Route::SingleVisibleDirectory { directory }) =
        (staff_routed.is_empty(), &other_domains)
    {
        let public_is_staff = directories
            .iter()
            .any(|d| d.id == directory.id && d.staff == StaffRule::Always);
        if !public_is_staff {
            let staff_domains: Vec<String> = staff_routed
                .iter()
                .flat_map(|d| d.domain_suffixes.iter().cloned())
                .collect();
            let staff_refs: Vec<DirectoryRef> =
                staff_routed.iter().map(|d| d.reference()).collect();
            findings.push(finding(
                Severity::Info,
                RoutingFindingCode::StaffPublicPattern,
                format!(
                    "Staff (email domains {}) are sent to {}, everyone else to \"{}\": the staff/public pattern",
                    staff_domains.join(", "),
                    names(&staff_refs),
                    directory.name
                ),
                staff_refs
                    .into_iter()
                    .chain(std::iter::once(directory.clone()))
                    .collect(),
                None,
            ));
        }
    }

    let other_text = match &other_domains {
        Route::SingleVisibleDirectory { directory } => format!(
            "Users whose email domain no directory lists are sent to \"{}\", the only visible directory",
            directory.name
        ),
        Route::SelectionScreen { choices } => format!(
            "Users whose email domain no directory lists choose on the selection screen among {}",
            names(choices)
        ),
        _ => "Users whose email domain no directory lists cannot sign in".to_owned(),
    };
    findings.push(finding(
        Severity::Info,
        RoutingFindingCode::OtherDomains,
        other_text,
        visible.clone(),
        None,
    ));
    findings.sort_by_key(|f| f.severity);

    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    let counts = format!(
        "{} director{}, {} visible, {} domain suffix(es)",
        directories.len(),
        if directories.len() == 1 { "y" } else { "ies" },
        visible.len(),
        by_domain.len()
    );
    let summary = if nobody_can_sign_in {
        format!("Nobody can sign in ({counts})")
    } else if errors > 0 {
        format!("Routing is broken: {errors} error(s), {warnings} warning(s) ({counts})")
    } else if warnings > 0 {
        format!("Routing works, with {warnings} warning(s) ({counts})")
    } else {
        format!("Routing works ({counts})")
    };

    RoutingReport {
        ok: errors == 0,
        nobody_can_sign_in,
        directory_count: directories.len(),
        visible,
        domains,
        other_domains,
        findings,
        summary,
    }
}
