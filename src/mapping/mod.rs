//! Claim mappings, staff user identification and the external ID, evaluated against a sign-in's
//! claims (C7, C8, DESIGN §3.3): what the sign-in service will decide, and why.
//!
//! Everything here is pure: a directory and a [`ClaimSet`] in, a [`ClaimsEvaluation`] out.

mod external_id;
mod field;
mod staff;

pub use external_id::{compose, is_entra, ExternalIdPreview};
pub use field::{
    suggest_claim_names, suggest_claims, Blank, ClaimLocation, ClaimSuggestion, MappedField,
    MappingOutcome, MappingResult, TakenAs,
};
pub use staff::{StaffCheck, StaffDecision, StaffEvidence, StaffSourceCheck};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::claims::{ClaimSet, Unavailable, SOURCES};
use crate::directory::{ClaimSource, Directory};

/// One source as the sign-in service would see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SourceSummary {
    /// The source.
    pub source: ClaimSource,
    /// Whether its claims can be used.
    pub available: bool,
    /// Its claim names, sorted; empty when unavailable.
    pub claim_names: Vec<String>,
    /// Why it cannot be used.
    pub unavailable: Option<Unavailable>,
    /// The status in a sentence.
    pub message: String,
}

/// Everything the sign-in service would decide from a set of claims for one directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimsEvaluation {
    /// The directory's id, once saved.
    pub directory_id: Option<String>,
    /// The directory's name.
    pub directory_name: String,
    /// Whether every required mapping resolves, so the sign-in would go through.
    pub sign_in_succeeds: bool,
    /// The verdict in a sentence.
    pub summary: String,
    /// The three sources, as the sign-in service would see them.
    pub sources: Vec<SourceSummary>,
    /// The five mappings, in seed order.
    pub mappings: Vec<MappingResult>,
    /// The external ID and how the contact is matched.
    pub external_id: ExternalIdPreview,
    /// Staff user identification.
    pub staff: StaffDecision,
}

/// The claims as the sign-in service of `directory` could read them: without a userinfo URL it
/// never calls userinfo, and without the `openid` scope there is no ID token.
pub fn usable_claims(directory: &Directory, claims: &ClaimSet) -> ClaimSet {
    let mut usable = claims.clone();
    if directory.userinfo_url.is_none() {
        usable.set_unavailable(ClaimSource::Userinfo, Unavailable::NoUserinfoUrl);
    }
    if !directory.scopes.has_openid() {
        usable.set_unavailable(ClaimSource::IdToken, Unavailable::NoOpenidScope);
    }
    usable
}

/// Evaluates a directory's mappings, external ID and staff rule against `claims`.
pub fn evaluate(directory: &Directory, claims: &ClaimSet) -> ClaimsEvaluation {
    let usable = usable_claims(directory, claims);
    let mappings: Vec<MappingResult> = MappedField::ALL
        .into_iter()
        .map(|f| field::evaluate_field(f, f.of(&directory.claims), &usable, claims))
        .collect();
    let external = &mappings[0];
    let email = &mappings[2];
    let external_id = external_id::preview(directory, &usable, external, email);
    let staff = staff::evaluate_staff(&directory.staff, &usable);

    let failing: Vec<&str> = mappings
        .iter()
        .filter(|m| !m.ok)
        .map(|m| m.label.as_str())
        .collect();
    let sign_in_succeeds = failing.is_empty();
    let role = if staff.is_staff {
        "as staff"
    } else {
        "as a public user"
    };
    let summary = if sign_in_succeeds {
        match &external_id.external_id {
            Some(id) => format!("Sign-in would succeed {role}, with external ID {id}"),
            None => format!("Sign-in would succeed {role}"),
        }
    } else {
        format!(
            "Sign-in would fail: {} of 5 required mappings cannot be resolved ({})",
            failing.len(),
            failing.join(", ")
        )
    };

    ClaimsEvaluation {
        directory_id: directory.id.map(|id| id.to_string()),
        directory_name: directory.name.to_string(),
        sign_in_succeeds,
        summary,
        sources: SOURCES
            .into_iter()
            .map(|source| source_status(&usable, source))
            .collect(),
        mappings,
        external_id,
        staff,
    }
}

fn source_status(usable: &ClaimSet, source: ClaimSource) -> SourceSummary {
    match usable.availability(source) {
        Ok(claims) => {
            let mut claim_names: Vec<String> = claims.keys().cloned().collect();
            claim_names.sort();
            SourceSummary {
                source,
                available: true,
                message: format!(
                    "{} holds {} claim(s)",
                    crate::claims::source_title(source),
                    claim_names.len()
                ),
                claim_names,
                unavailable: None,
            }
        }
        Err(reason) => SourceSummary {
            source,
            available: false,
            claim_names: Vec::new(),
            message: sentence(&reason.describe(source)),
            unavailable: Some(reason),
        },
    }
}

/// A clause made a sentence: its first letter in capitals.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A text in JSON quotes, so that blanks and odd characters show.
pub(crate) fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

#[cfg(test)]
mod tests;
