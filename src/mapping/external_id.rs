//! The external ID (DESIGN §3.3): `<directory id>;<value of the External ID claim>`, how a
//! contact is matched before and after the first sign-in, and whether the claim is immutable.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::field::{ClaimSuggestion, MappingOutcome, MappingResult};
use super::quote;
use crate::claims::{self, ClaimSet, SOURCES};
use crate::directory::{ClaimSource, Directory, DirectoryId, MUTABLE_CLAIMS};

/// Hosts that serve Microsoft Entra ID (global and national clouds, Entra External ID).
const ENTRA_HOSTS: [&str; 4] = [
    "login.microsoftonline.com",
    "login.microsoftonline.us",
    "login.partner.microsoftonline.cn",
    "sts.windows.net",
];

/// The claim Entra and other providers use for the immutable user id (seed 000).
const ENTRA_ID_CLAIM: &str = "oid";
const STANDARD_ID_CLAIM: &str = "sub";

/// What the external ID would be, and what to know about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExternalIdPreview {
    /// The External ID claim's name.
    pub claim: String,
    /// Its source.
    pub source: ClaimSource,
    /// The directory's id, once saved.
    pub directory_id: Option<String>,
    /// The claim's value, when it resolves.
    pub claim_value: Option<String>,
    /// `<directory id>;<claim value>`, when both are known.
    pub external_id: Option<String>,
    /// How the sign-in service matches the contact before and after the first sign-in.
    pub matching: String,
    /// Whether the provider was recognised as Microsoft Entra ID.
    pub provider_is_entra: bool,
    /// Set when the claim can change over a person's life (email, upn…).
    pub warning: Option<String>,
    /// The immutable claim to map instead: `oid` for Entra, `sub` elsewhere.
    pub suggested_claim: Option<String>,
    /// Where the suggested claim was seen, with its value.
    pub suggested_claim_seen: Option<ClaimSuggestion>,
    /// Advice that is not a warning.
    pub note: Option<String>,
}

/// Whether a directory talks to Microsoft Entra ID, judged from its issuer, its endpoints and the
/// ID token's `iss`.
pub fn is_entra(directory: &Directory, claims: &ClaimSet) -> bool {
    let mut hosts: Vec<String> = [
        directory.issuer.as_ref(),
        Some(&directory.authorization_url),
        Some(&directory.token_url),
    ]
    .into_iter()
    .flatten()
    .filter_map(|u| u.url().host_str().map(str::to_owned))
    .collect();
    if let Some(iss) = claims
        .get(ClaimSource::IdToken, "iss")
        .and_then(|v| v.as_str())
    {
        if let Ok(url) = url::Url::parse(iss) {
            hosts.extend(url.host_str().map(str::to_owned));
        }
    }
    hosts.iter().any(|host| {
        let host = host.to_ascii_lowercase();
        ENTRA_HOSTS.contains(&host.as_str()) || host.ends_with(".ciamlogin.com")
    })
}

/// The external ID a directory id and a claim value compose (DESIGN §3.3).
pub fn compose(directory_id: DirectoryId, claim_value: &str) -> String {
    format!("{directory_id};{claim_value}")
}

/// Builds the preview from the evaluated External ID and Email mappings.
pub(crate) fn preview(
    directory: &Directory,
    usable: &ClaimSet,
    external: &MappingResult,
    email: &MappingResult,
) -> ExternalIdPreview {
    let claim_value = resolved(external);
    let email_value = resolved(email);
    let entra = is_entra(directory, usable);
    let external_id = directory
        .id
        .zip(claim_value.as_deref())
        .map(|(id, value)| compose(id, value));

    let by_email = match &email_value {
        Some(address) => format!("by primary email ({})", quote(address)),
        None => "by primary email".to_owned(),
    };
    let matching = match (&external_id, &claim_value) {
        (Some(id), _) => format!(
            "While a contact's external ID is blank the sign-in service matches it {by_email}. The first successful sign-in writes the external ID {} to it, and from then on the contact is found by that ID, even if the email changes",
            quote(id)
        ),
        (None, Some(value)) => format!(
            "The directory id is assigned when the directory is first saved; the external ID will then be <directory id>;{value}. Until the first sign-in the contact is matched {by_email}"
        ),
        (None, None) => format!(
            "No external ID can be formed: {}. Until a first successful sign-in the contact is matched {by_email}",
            external.message
        ),
    };

    let claim = external.claim.as_str();
    let suggested = if entra {
        ENTRA_ID_CLAIM
    } else {
        STANDARD_ID_CLAIM
    };
    let mutable = MUTABLE_CLAIMS.contains(&claim);
    let warning = mutable.then(|| {
        let provider = if entra {
            " (this directory is Microsoft Entra ID: its Object ID)"
        } else {
            ""
        };
        format!(
            "`{claim}` can change over a person's life (for example when their email changes); the external ID would then change and the same person would get a new contact. Map the External ID to an immutable claim: `{suggested}`{provider}"
        )
    });
    let entra_sub = entra && claim == STANDARD_ID_CLAIM;
    let note = entra_sub.then(|| {
        "In Microsoft Entra ID, `sub` is different for every application while `oid` is the user's id across the tenant; the guidance for Entra is `oid`".to_owned()
    });
    let suggested_claim = (mutable || entra_sub).then(|| suggested.to_owned());
    let look_for = suggested_claim.as_deref();
    let suggested_claim_seen = look_for.and_then(|name| {
        SOURCES.into_iter().find_map(|source| {
            usable.get(source, name).map(|value| ClaimSuggestion {
                claim: name.to_owned(),
                source,
                value: claims::preview(value),
            })
        })
    });

    ExternalIdPreview {
        claim: claim.to_owned(),
        source: external.source,
        directory_id: directory.id.map(|id| id.to_string()),
        claim_value,
        external_id,
        matching,
        provider_is_entra: entra,
        warning,
        suggested_claim,
        suggested_claim_seen,
        note,
    }
}

fn resolved(result: &MappingResult) -> Option<String> {
    match &result.outcome {
        MappingOutcome::Resolved { value, .. } => Some(value.clone()),
        _ => None,
    }
}
