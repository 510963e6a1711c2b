//! Staff user identification (C8): whether the sign-in service signs a user in as staff, and
//! which claim in which source decided it.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::field::scalar_text;
use super::quote;
use crate::claims::{self, source_label, source_title, ClaimSet, Unavailable, SOURCES};
use crate::directory::{ClaimSource, StaffRule};

/// What one source says about the staff claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "status", rename_all = "snake_case")]
#[ts(export)]
pub enum StaffCheck {
    /// The source cannot be read.
    Unavailable {
        /// Why.
        reason: Unavailable,
    },
    /// The source holds no claim of that name.
    Absent,
    /// The claim exists (`claim_exists`: this makes the user staff, even when blank).
    Present {
        /// Its value.
        #[ts(type = "unknown")]
        value: Value,
    },
    /// The claim holds exactly the value (or, for an array, one element does).
    Equal {
        /// Its value.
        #[ts(type = "unknown")]
        value: Value,
    },
    /// The claim holds another value.
    NotEqual {
        /// Its value.
        #[ts(type = "unknown")]
        value: Value,
        /// An element or value that equals the expected one ignoring letter case, when any.
        differs_only_in_case: Option<String>,
    },
}

/// One source's check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StaffSourceCheck {
    /// The source.
    pub source: ClaimSource,
    /// What it says.
    pub check: StaffCheck,
}

/// The claim that made the user staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StaffEvidence {
    /// The claim's name.
    pub claim: String,
    /// Where it was found.
    pub source: ClaimSource,
    /// Its value.
    #[ts(type = "unknown")]
    pub value: Value,
}

/// The staff decision, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StaffDecision {
    /// The directory's rule.
    pub rule: StaffRule,
    /// Whether the user signs in as staff.
    pub is_staff: bool,
    /// The claim that decided it, when a claim did.
    pub decided_by: Option<StaffEvidence>,
    /// Why, in a sentence or two.
    pub reason: String,
    /// What to look at: near misses in letter case, sources that could not be read.
    pub hints: Vec<String>,
    /// Each source's check, in seed order (empty for `none` and `always`).
    pub checks: Vec<StaffSourceCheck>,
}

enum Match {
    Exact,
    CaseOnly(String),
    No,
}

/// `claim_equals` semantics: exact text; an array matches when any element does; numbers and
/// booleans compare by their text.
fn matches(value: &Value, expected: &str) -> Match {
    let one = |v: &Value| match scalar_text(v) {
        Some(text) if text == expected => Match::Exact,
        Some(text) if text.to_lowercase() == expected.to_lowercase() => Match::CaseOnly(text),
        _ => Match::No,
    };
    match value {
        Value::Array(items) => {
            let mut near = None;
            for item in items {
                match one(item) {
                    Match::Exact => return Match::Exact,
                    Match::CaseOnly(text) => near = near.or(Some(text)),
                    Match::No => {}
                }
            }
            near.map_or(Match::No, Match::CaseOnly)
        }
        other => one(other),
    }
}

/// Applies a staff rule to the claims as the sign-in service sees them.
pub(crate) fn evaluate_staff(rule: &StaffRule, claims: &ClaimSet) -> StaffDecision {
    let (claim, expected) = match rule {
        StaffRule::None => {
            return StaffDecision {
                rule: rule.clone(),
                is_staff: false,
                decided_by: None,
                reason: "Staff user identification is None: this directory holds public users only, so nobody signs in as staff".into(),
                hints: Vec::new(),
                checks: Vec::new(),
            }
        }
        StaffRule::Always => {
            return StaffDecision {
                rule: rule.clone(),
                is_staff: true,
                decided_by: None,
                reason: "Staff user identification is Always: every user of this directory signs in as staff, and each needs a staff license".into(),
                hints: Vec::new(),
                checks: Vec::new(),
            }
        }
        StaffRule::ClaimExists { claim } => (claim.as_str(), None),
        StaffRule::ClaimEquals { claim, value } => (claim.as_str(), Some(value.as_str())),
    };

    let checks: Vec<StaffSourceCheck> = SOURCES
        .into_iter()
        .map(|source| {
            let check = match claims.availability(source) {
                Err(reason) => StaffCheck::Unavailable { reason },
                Ok(map) => match (map.get(claim), expected) {
                    (None, _) => StaffCheck::Absent,
                    (Some(value), None) => StaffCheck::Present {
                        value: value.clone(),
                    },
                    (Some(value), Some(expected)) => match matches(value, expected) {
                        Match::Exact => StaffCheck::Equal {
                            value: value.clone(),
                        },
                        Match::CaseOnly(text) => StaffCheck::NotEqual {
                            value: value.clone(),
                            differs_only_in_case: Some(text),
                        },
                        Match::No => StaffCheck::NotEqual {
                            value: value.clone(),
                            differs_only_in_case: None,
                        },
                    },
                },
            };
            StaffSourceCheck { source, check }
        })
        .collect();

    let decided_by = checks.iter().find_map(|c| match &c.check {
        StaffCheck::Present { value } | StaffCheck::Equal { value } => Some(StaffEvidence {
            claim: claim.to_owned(),
            source: c.source,
            value: value.clone(),
        }),
        _ => None,
    });

    let mut hints = Vec::new();
    for c in &checks {
        match &c.check {
            StaffCheck::NotEqual {
                value,
                differs_only_in_case: Some(text),
            } if decided_by.is_none() => hints.push(format!(
                "`{claim}` in {} holds {} — {} differs from {} only in letter case; the comparison is exact, so it does not count. If that is the intended value, set the Staff Claim Value to {}",
                source_label(c.source),
                claims::preview(value),
                quote(text),
                quote(expected.unwrap_or_default()),
                quote(text)
            )),
            StaffCheck::Unavailable { reason } if decided_by.is_none() => {
                hints.push(format!("{} was not checked: {}", source_title(c.source), reason.describe(c.source)));
            }
            _ => {}
        }
    }
    if decided_by.is_none() {
        for (source, variant) in claims.case_variants(claim) {
            hints.push(format!(
                "`{variant}` is in {}: claim names are case-sensitive, so it is not `{claim}`",
                source_label(source)
            ));
        }
    }

    let reason = match (&decided_by, expected) {
        (Some(found), None) => format!(
            "`{claim}` exists in {} ({}), so the user signs in as staff; with \"If claim type exists\" any value counts, even an empty one",
            source_label(found.source),
            claims::preview(&found.value)
        ),
        (Some(found), Some(expected)) => {
            let how = match &found.value {
                Value::Array(_) => " (an array: one element equals it)",
                Value::String(_) => "",
                _ => " (compared as text)",
            };
            format!(
                "`{claim}` in {} equals {}{how}, so the user signs in as staff",
                source_label(found.source),
                quote(expected)
            )
        }
        (None, None) => format!(
            "`{claim}` is in none of the sources checked, so the user signs in as a public user, not staff"
        ),
        (None, Some(expected)) => {
            if checks.iter().any(|c| matches!(c.check, StaffCheck::NotEqual { .. })) {
                format!(
                    "`{claim}` is present but never equals {} exactly, so the user signs in as a public user, not staff",
                    quote(expected)
                )
            } else {
                format!(
                    "`{claim}` is in none of the sources checked, so the user signs in as a public user, not staff"
                )
            }
        }
    };

    StaffDecision {
        rule: rule.clone(),
        is_staff: decided_by.is_some(),
        decided_by,
        reason,
        hints,
        checks,
    }
}
