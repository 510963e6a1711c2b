//! Claims grouped by source (C6): what a provider sent in the access token, the ID token and the
//! userinfo answer, and why a source holds nothing. The test sign-in produces a [`ClaimSet`];
//! a person can also paste one ([`parse_pasted`]).

mod jwt;
mod paste;

pub use jwt::{decode_unverified, JwtError, UnverifiedJwt};
pub use paste::{parse_pasted, ClaimsError, PastedClaims, PastedForm, PASTE_MAX_BYTES};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::directory::ClaimSource;

/// The claims of one source: claim name to JSON value, as the provider sent them.
pub type Claims = serde_json::Map<String, Value>;

/// Every source, in the order seed 000 lists them (Access Token, ID Token, Userinfo).
pub const SOURCES: [ClaimSource; 3] = [
    ClaimSource::AccessToken,
    ClaimSource::IdToken,
    ClaimSource::Userinfo,
];

/// The name of a source as people read it.
pub fn source_label(source: ClaimSource) -> &'static str {
    match source {
        ClaimSource::AccessToken => "the access token",
        ClaimSource::IdToken => "the ID token",
        ClaimSource::Userinfo => "Userinfo",
    }
}

/// The name of a source at the start of a sentence.
pub fn source_title(source: ClaimSource) -> &'static str {
    match source {
        ClaimSource::AccessToken => "The access token",
        ClaimSource::IdToken => "The ID token",
        ClaimSource::Userinfo => "Userinfo",
    }
}

/// Why a source holds no claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Unavailable {
    /// The claims given (pasted, or from a file) hold nothing for this source.
    NotProvided,
    /// The sign-in did not ask for it.
    NotRequested,
    /// The scopes lack `openid`, so the provider sends no ID token.
    NoOpenidScope,
    /// The access token is not a JWT: only the API it is meant for can read it.
    OpaqueAccessToken,
    /// The directory has no userinfo URL, so userinfo is never called.
    NoUserinfoUrl,
    /// Fetching or reading the source failed.
    Failed {
        /// What went wrong.
        message: String,
    },
}

impl Unavailable {
    /// A sentence that says why `source` holds no claims.
    pub fn describe(&self, source: ClaimSource) -> String {
        let label = source_label(source);
        match self {
            Self::NotProvided => format!("the claims given hold nothing for {label}"),
            Self::NotRequested => format!("{label} was not requested"),
            Self::NoOpenidScope => {
                "the scopes lack openid, so the provider sends no ID token".to_owned()
            }
            Self::OpaqueAccessToken => {
                "the access token is opaque (not a JWT): its claims cannot be read".to_owned()
            }
            Self::NoUserinfoUrl => {
                "the directory has no Userinfo URL, so Userinfo claims cannot be used".to_owned()
            }
            Self::Failed { message } => format!("reading {label} failed: {message}"),
        }
    }
}

/// One source's reason for holding no claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SourceUnavailable {
    /// The source.
    pub source: ClaimSource,
    /// Why it holds no claims.
    pub reason: Unavailable,
}

/// The claims of a sign-in, grouped by source. A source is either present (possibly with no
/// claims at all) or unavailable for a reason.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimSet {
    /// Claims of the access token, when it is a JWT.
    #[ts(type = "Record<string, unknown> | null")]
    #[serde(default)]
    pub access_token: Option<Claims>,
    /// Claims of the ID token.
    #[ts(type = "Record<string, unknown> | null")]
    #[serde(default)]
    pub id_token: Option<Claims>,
    /// Claims of the userinfo answer.
    #[ts(type = "Record<string, unknown> | null")]
    #[serde(default)]
    pub userinfo: Option<Claims>,
    /// Why absent sources are absent; a source absent without an entry was not provided.
    #[serde(default)]
    pub unavailable: Vec<SourceUnavailable>,
}

impl ClaimSet {
    /// The claims of a source, when present.
    pub fn claims(&self, source: ClaimSource) -> Option<&Claims> {
        match source {
            ClaimSource::AccessToken => self.access_token.as_ref(),
            ClaimSource::IdToken => self.id_token.as_ref(),
            ClaimSource::Userinfo => self.userinfo.as_ref(),
        }
    }

    fn slot(&mut self, source: ClaimSource) -> &mut Option<Claims> {
        match source {
            ClaimSource::AccessToken => &mut self.access_token,
            ClaimSource::IdToken => &mut self.id_token,
            ClaimSource::Userinfo => &mut self.userinfo,
        }
    }

    /// Records a source's claims, replacing any earlier claims or reason.
    pub fn set_claims(&mut self, source: ClaimSource, claims: Claims) {
        self.unavailable.retain(|u| u.source != source);
        *self.slot(source) = Some(claims);
    }

    /// Records why a source holds no claims, dropping any claims it had.
    pub fn set_unavailable(&mut self, source: ClaimSource, reason: Unavailable) {
        self.unavailable.retain(|u| u.source != source);
        *self.slot(source) = None;
        self.unavailable.push(SourceUnavailable { source, reason });
        self.unavailable.sort_by_key(|u| source_rank(u.source));
    }

    /// The claims of a source, or why there are none.
    pub fn availability(&self, source: ClaimSource) -> Result<&Claims, Unavailable> {
        if let Some(claims) = self.claims(source) {
            return Ok(claims);
        }
        Err(self
            .unavailable
            .iter()
            .find(|u| u.source == source)
            .map_or(Unavailable::NotProvided, |u| u.reason.clone()))
    }

    /// The value of a claim in a source, when the source is present and holds it.
    pub fn get(&self, source: ClaimSource, claim: &str) -> Option<&Value> {
        self.claims(source).and_then(|c| c.get(claim))
    }

    /// Every present source that holds a claim with exactly this name, in seed order.
    pub fn sources_with(&self, claim: &str) -> Vec<ClaimSource> {
        SOURCES
            .into_iter()
            .filter(|s| self.get(*s, claim).is_some())
            .collect()
    }

    /// Claims whose name differs from `claim` only in letter case, with their source.
    pub fn case_variants(&self, claim: &str) -> Vec<(ClaimSource, String)> {
        let wanted = claim.to_lowercase();
        SOURCES
            .into_iter()
            .flat_map(|source| {
                self.claims(source)
                    .into_iter()
                    .flat_map(|c| c.keys())
                    .filter(|name| name.as_str() != claim && name.to_lowercase() == wanted)
                    .map(move |name| (source, name.clone()))
            })
            .collect()
    }

    /// Whether no source holds any claim.
    pub fn is_empty(&self) -> bool {
        SOURCES
            .into_iter()
            .all(|s| self.claims(s).is_none_or(serde_json::Map::is_empty))
    }
}

fn source_rank(source: ClaimSource) -> usize {
    SOURCES
        .iter()
        .position(|s| *s == source)
        .unwrap_or(SOURCES.len())
}

/// The JSON type of a value, as people say it ("a number", "an object"…).
pub fn describe_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A short, single-line rendering of a value for messages: strings quoted, long values cut.
pub fn preview(value: &Value) -> String {
    const MAX: usize = 80;
    let text = value.to_string();
    if text.chars().count() <= MAX {
        text
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

#[cfg(test)]
mod tests;
