//! One claim mapping against the claims: the value the sign-in service would take, or why the
//! sign-in would fail; and which claims could be mapped instead.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::claims::{self, source_label, source_title, ClaimSet, Unavailable, SOURCES};
use crate::directory::{ClaimMapping, ClaimMappings, ClaimSource};

/// The five mapped fields of seed 000's "User and Claim Settings".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MappedField {
    /// The immutable user id.
    ExternalId,
    /// The username.
    Username,
    /// The primary email address.
    Email,
    /// The first name.
    FirstName,
    /// The last name.
    LastName,
}

impl MappedField {
    /// Every field, in the order seed 000 lists them.
    pub const ALL: [Self; 5] = [
        Self::ExternalId,
        Self::Username,
        Self::Email,
        Self::FirstName,
        Self::LastName,
    ];

    /// The field's name as the settings screen shows it.
    pub fn label(self) -> &'static str {
        match self {
            Self::ExternalId => "External ID",
            Self::Username => "Username",
            Self::Email => "Email",
            Self::FirstName => "First name",
            Self::LastName => "Last name",
        }
    }

    /// This field's mapping among a directory's mappings.
    pub fn of(self, mappings: &ClaimMappings) -> &ClaimMapping {
        match self {
            Self::ExternalId => &mappings.external_id,
            Self::Username => &mappings.username,
            Self::Email => &mappings.email,
            Self::FirstName => &mappings.first_name,
            Self::LastName => &mappings.last_name,
        }
    }

    /// Claim names providers commonly use for this field, most likely first.
    fn well_known(self) -> &'static [&'static str] {
        match self {
            Self::ExternalId => &["oid", "sub", "uid", "user_id", "id"],
            Self::Username => &[
                "email",
                "preferred_username",
                "upn",
                "unique_name",
                "username",
                "login",
            ],
            Self::Email => &["email", "upn", "preferred_username", "mail", "emails"],
            Self::FirstName => &["given_name", "first_name", "givenName", "firstName"],
            Self::LastName => &[
                "family_name",
                "last_name",
                "surname",
                "familyName",
                "lastName",
                "sn",
            ],
        }
    }
}

/// A claim name in a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimLocation {
    /// The claim's name.
    pub claim: String,
    /// Where it is.
    pub source: ClaimSource,
}

/// How a non-text value is turned into the text the sign-in service stores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum TakenAs {
    /// A string, taken as it is.
    Text,
    /// A number, taken as its decimal text (`12345` → `"12345"`).
    NumberAsText,
    /// A boolean, taken as `"true"` or `"false"`.
    BooleanAsText,
    /// An array: its first element is taken.
    FirstElement {
        /// How many elements the array holds.
        count: usize,
    },
}

/// What kind of blank a present claim holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Blank {
    /// `""`.
    EmptyString,
    /// Only spaces, tabs or line breaks.
    WhiteSpace,
    /// `null`.
    Null,
    /// `[]`.
    EmptyArray,
}

impl Blank {
    fn describe(self) -> &'static str {
        match self {
            Self::EmptyString => "an empty string",
            Self::WhiteSpace => "only white space",
            Self::Null => "null",
            Self::EmptyArray => "an empty array",
        }
    }
}

/// The result of one mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "status", rename_all = "snake_case")]
#[ts(export)]
pub enum MappingOutcome {
    /// The sign-in service would take this value.
    Resolved {
        /// The value, as text.
        value: String,
        /// How it was turned into text.
        taken_as: TakenAs,
    },
    /// The source holds no claim of that name: sign-in would fail.
    Missing {
        /// Other usable sources that hold a claim of exactly that name.
        elsewhere: Vec<ClaimSource>,
        /// Claims whose name differs only in letter case.
        case_variants: Vec<ClaimLocation>,
    },
    /// The claim is there but blank: sign-in would fail.
    Empty {
        /// Which kind of blank.
        blank: Blank,
    },
    /// The source cannot be read: sign-in would fail.
    SourceUnavailable {
        /// Why.
        reason: Unavailable,
        /// Usable sources that hold a claim of that name.
        elsewhere: Vec<ClaimSource>,
    },
    /// The value cannot be turned into text (an object, an array of objects): sign-in would fail.
    Unusable {
        /// What it is, as people say it.
        found: String,
    },
}

/// A claim seen in the claims that could serve a mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimSuggestion {
    /// The claim's name.
    pub claim: String,
    /// Where it is.
    pub source: ClaimSource,
    /// Its value, shortened for display.
    pub value: String,
}

/// One mapping, evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MappingResult {
    /// Which field.
    pub field: MappedField,
    /// The field's name as people read it.
    pub label: String,
    /// The mapped claim's name.
    pub claim: String,
    /// The mapped source.
    pub source: ClaimSource,
    /// Always true: the five mappings are required (seed 000).
    pub required: bool,
    /// Whether this mapping lets the sign-in proceed.
    pub ok: bool,
    /// What was found.
    pub outcome: MappingOutcome,
    /// The finding in one or two sentences, with what to do.
    pub message: String,
    /// Advice when the value was taken but in a fragile way (array, conversion).
    pub warning: Option<String>,
    /// Claims seen that could be mapped instead, when the mapping fails.
    pub suggestions: Vec<ClaimSuggestion>,
}

/// Evaluates one mapping. `usable` is the claim set as the sign-in service sees it (sources it
/// cannot read marked unavailable); `given` the claims as given, to point at claims it would
/// find with another setting.
pub(crate) fn evaluate_field(
    field: MappedField,
    mapping: &ClaimMapping,
    usable: &ClaimSet,
    given: &ClaimSet,
) -> MappingResult {
    let claim = mapping.claim.as_str();
    let source = mapping.source;
    let elsewhere: Vec<ClaimSource> = usable
        .sources_with(claim)
        .into_iter()
        .filter(|s| *s != source)
        .collect();
    let outcome = match usable.availability(source) {
        Err(reason) => MappingOutcome::SourceUnavailable {
            reason,
            elsewhere: elsewhere.clone(),
        },
        Ok(claims) => match claims.get(claim) {
            None => MappingOutcome::Missing {
                elsewhere: elsewhere.clone(),
                case_variants: usable
                    .case_variants(claim)
                    .into_iter()
                    .map(|(source, claim)| ClaimLocation { claim, source })
                    .collect(),
            },
            Some(value) => value_outcome(value),
        },
    };
    let ok = matches!(outcome, MappingOutcome::Resolved { .. });
    let at = format!("`{claim}` in {}", source_label(source));
    let mut warning = None;
    let message = match &outcome {
        MappingOutcome::Resolved { value, taken_as } => {
            let shown = serde_json::to_string(value).unwrap_or_default();
            match taken_as {
                TakenAs::Text => format!("{} = {shown} ({at})", field.label()),
                TakenAs::NumberAsText => format!(
                    "{at} is a number; the sign-in service takes it as the text {shown}"
                ),
                TakenAs::BooleanAsText => format!(
                    "{at} is a boolean; the sign-in service takes it as the text {shown}"
                ),
                TakenAs::FirstElement { count } => {
                    warning = Some(format!(
                        "{at} is an array of {count} value(s); only the first is taken. Map a claim with a single value, so that the result does not depend on the order the provider sends"
                    ));
                    format!("{} = {shown}, the first element of {at}", field.label())
                }
            }
        }
        MappingOutcome::Missing {
            elsewhere,
            case_variants,
        } => {
            let mut text = format!("`{claim}` is not in {}", source_label(source));
            match elsewhere.as_slice() {
                [] => text.push_str(
                    " nor in any other source; sign-in would fail. Ask the provider to send it (a scope such as profile or email, or an optional claim), or map another claim",
                ),
                found => text.push_str(&format!(
                    "; it is in {} — change the source? Sign-in would fail as it is",
                    list_sources(found)
                )),
            }
            for variant in case_variants {
                text.push_str(&format!(
                    ". `{}` is in {}: claim names are case-sensitive",
                    variant.claim,
                    source_label(variant.source)
                ));
            }
            text
        }
        MappingOutcome::Empty { blank } => format!(
            "{at} is present but holds {}; sign-in would fail. Fill it in the person's profile at the provider, or map another claim",
            blank.describe()
        ),
        MappingOutcome::SourceUnavailable { reason, elsewhere } => {
            let mut text = format!(
                "`{claim}` is read from {}, but {}; sign-in would fail",
                source_label(source),
                reason.describe(source)
            );
            if !elsewhere.is_empty() {
                text.push_str(&format!(
                    ". It is in {} — change the source?",
                    list_sources(elsewhere)
                ));
            }
            text
        }
        MappingOutcome::Unusable { found } => format!(
            "{at} is {found}; a mapping needs a single text value, so sign-in would fail. Map a claim that holds one value"
        ),
    };
    let mut message = message;
    if !ok {
        for blocked in given.sources_with(claim) {
            if blocked != source && usable.claims(blocked).is_none() {
                if let Err(reason) = usable.availability(blocked) {
                    message.push_str(&format!(
                        ". {} holds `{claim}`, but {}",
                        source_title(blocked),
                        reason.describe(blocked)
                    ));
                }
            }
        }
    }
    MappingResult {
        field,
        label: field.label().to_owned(),
        claim: claim.to_owned(),
        source,
        required: true,
        ok,
        suggestions: if ok {
            Vec::new()
        } else {
            suggest_claims(usable, field)
        },
        outcome,
        message,
        warning,
    }
}

fn list_sources(sources: &[ClaimSource]) -> String {
    sources
        .iter()
        .map(|s| source_label(*s))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// A scalar as the text the sign-in service would store; `None` for null, arrays and objects.
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn value_outcome(value: &Value) -> MappingOutcome {
    let text = |s: &str, taken_as: TakenAs| {
        if s.is_empty() {
            MappingOutcome::Empty {
                blank: Blank::EmptyString,
            }
        } else if s.trim().is_empty() {
            MappingOutcome::Empty {
                blank: Blank::WhiteSpace,
            }
        } else {
            MappingOutcome::Resolved {
                value: s.to_owned(),
                taken_as,
            }
        }
    };
    match value {
        Value::String(s) => text(s, TakenAs::Text),
        Value::Number(n) => text(&n.to_string(), TakenAs::NumberAsText),
        Value::Bool(b) => text(&b.to_string(), TakenAs::BooleanAsText),
        Value::Null => MappingOutcome::Empty { blank: Blank::Null },
        Value::Array(items) => match items.first() {
            None => MappingOutcome::Empty {
                blank: Blank::EmptyArray,
            },
            Some(first) => match scalar_text(first) {
                Some(s) => text(&s, TakenAs::FirstElement { count: items.len() }),
                None if first.is_null() => MappingOutcome::Empty { blank: Blank::Null },
                None => MappingOutcome::Unusable {
                    found: format!(
                        "an array whose first element is {}",
                        claims::describe_kind(first)
                    ),
                },
            },
        },
        Value::Object(_) => MappingOutcome::Unusable {
            found: "an object".into(),
        },
    }
}

/// Claims that only carry protocol data and never make a good mapping.
const PROTOCOL_CLAIMS: [&str; 20] = [
    "iss",
    "aud",
    "exp",
    "iat",
    "nbf",
    "nonce",
    "at_hash",
    "c_hash",
    "s_hash",
    "azp",
    "auth_time",
    "acr",
    "amr",
    "jti",
    "sid",
    "ver",
    "typ",
    "uti",
    "rh",
    "aio",
];

/// The claim names of a source, for a picker: the names providers commonly use for `field`
/// first, then the others alphabetically, protocol claims (`iss`, `exp`, `nonce`…) left out.
pub fn suggest_claim_names(
    claims: &ClaimSet,
    source: ClaimSource,
    field: MappedField,
) -> Vec<String> {
    let Some(map) = claims.claims(source) else {
        return Vec::new();
    };
    let mut names: Vec<String> = field
        .well_known()
        .iter()
        .filter(|name| map.contains_key(**name))
        .map(|name| (*name).to_owned())
        .collect();
    let mut rest: Vec<String> = map
        .keys()
        .filter(|k| !names.contains(k) && !PROTOCOL_CLAIMS.contains(&k.as_str()))
        .cloned()
        .collect();
    rest.sort();
    names.extend(rest);
    names
}

/// Claims seen in the usable sources that could serve `field`, best first: the names providers
/// commonly use for it, then (for email and username) any claim holding an email address.
pub fn suggest_claims(claims: &ClaimSet, field: MappedField) -> Vec<ClaimSuggestion> {
    const MAX: usize = 5;
    let mut out: Vec<ClaimSuggestion> = Vec::new();
    let mut push = |claim: &str, source: ClaimSource, value: &Value| {
        let usable = matches!(value_outcome(value), MappingOutcome::Resolved { .. });
        if usable && !out.iter().any(|s| s.claim == claim && s.source == source) {
            out.push(ClaimSuggestion {
                claim: claim.to_owned(),
                source,
                value: claims::preview(value),
            });
        }
    };
    for name in field.well_known() {
        for source in SOURCES {
            if let Some(value) = claims.get(source, name) {
                push(name, source, value);
            }
        }
    }
    if matches!(field, MappedField::Email | MappedField::Username) {
        for source in SOURCES {
            for (name, value) in claims.claims(source).into_iter().flatten() {
                if value.as_str().is_some_and(|s| s.contains('@')) {
                    push(name, source, value);
                }
            }
        }
    }
    out.truncate(MAX);
    out
}
