//! Claims a person pastes (or passes in a file): grouped by source, a bare object of ID token
//! claims, or a raw JWT. Tokens are decoded without verification, for evaluation only.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::jwt::{decode_unverified, looks_like_jwt, JwtError, UnverifiedJwt};
use super::{describe_kind, source_label, ClaimSet, SourceUnavailable, Unavailable};
use crate::directory::ClaimSource;

/// The largest paste accepted: 1 MiB, far more than any real set of tokens.
pub const PASTE_MAX_BYTES: usize = 1024 * 1024;

/// How the pasted text was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "form", rename_all = "snake_case")]
#[ts(export)]
pub enum PastedForm {
    /// An object with `id_token`, `userinfo` and/or `access_token` (a token response fits too).
    BySource,
    /// A bare object, read as the ID token's claims.
    IdTokenClaims,
    /// A raw JWT, decoded without verification.
    Jwt {
        /// The source its claims were put under.
        source: ClaimSource,
    },
}

/// Pasted claims, read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PastedClaims {
    /// The claims by source.
    pub claims: ClaimSet,
    /// How the text was read.
    pub form: PastedForm,
    /// Top-level keys that were not a source and were ignored (`token_type`, `expires_in`…).
    pub ignored_keys: Vec<String>,
    /// What a person should know about the reading, one sentence each.
    pub notes: Vec<String>,
}

/// Why pasted claims cannot be read. `path` is a JSON path such as `$.id_token`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimsError {
    /// Nothing was pasted.
    #[error("no claims were given; paste a JSON object of claims, an object with \"id_token\", \"userinfo\" and \"access_token\", or a JWT")]
    Empty,
    /// More than [`PASTE_MAX_BYTES`].
    #[error("the claims are {bytes} bytes long; at most 1 MiB is accepted — paste only the tokens or claims")]
    TooLarge {
        /// The size given.
        bytes: usize,
    },
    /// Not JSON and not a JWT.
    #[error("the text is neither JSON nor a JWT; paste a JSON object of claims or a token (three parts separated by dots)")]
    Unrecognised,
    /// Malformed JSON.
    #[error("the claims are not valid JSON: {detail} (line {line}, column {column})")]
    Syntax {
        /// Line of the error, from 1.
        line: usize,
        /// Column of the error, from 1.
        column: usize,
        /// What the parser found.
        detail: String,
    },
    /// A value that should be an object of claims is something else.
    #[error("{path} is {found}; it must be an object of claims ({{\"name\": value, …}}) or a JWT")]
    NotAnObject {
        /// Where.
        path: String,
        /// What it is instead.
        found: &'static str,
    },
    /// A string that should be a JWT is not one.
    #[error("{path} is a string but not a JWT; {what} is always a JWT (three parts separated by dots) — paste it whole, or paste its claims as an object")]
    NotAJwt {
        /// Where.
        path: String,
        /// The source, as people say it.
        what: &'static str,
    },
    /// A JWT that cannot be read.
    #[error("{path}: {error}")]
    Jwt {
        /// Where.
        path: String,
        /// Why.
        error: JwtError,
    },
}

impl ClaimsError {
    /// The JSON path the error concerns, when there is one.
    pub fn path(&self) -> Option<&str> {
        match self {
            Self::NotAnObject { path, .. }
            | Self::NotAJwt { path, .. }
            | Self::Jwt { path, .. } => Some(path),
            _ => None,
        }
    }
}

const SOURCE_KEYS: [(&str, ClaimSource); 3] = [
    ("access_token", ClaimSource::AccessToken),
    ("id_token", ClaimSource::IdToken),
    ("userinfo", ClaimSource::Userinfo),
];

const UNVERIFIED_NOTE: &str =
    "tokens were decoded without checking their signature: use them to preview, not to trust";

/// Reads pasted claims: `{ "id_token": {...}|"<jwt>", "userinfo": {...}, "access_token": ... }`
/// (so a token endpoint response fits too), a bare object (the ID token's claims), or a JWT.
pub fn parse_pasted(text: &str) -> Result<PastedClaims, ClaimsError> {
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err(ClaimsError::Empty);
    }
    if text.len() > PASTE_MAX_BYTES {
        return Err(ClaimsError::TooLarge { bytes: text.len() });
    }
    if !text.starts_with(['{', '[', '"']) {
        if looks_like_jwt(text) || text.contains('.') {
            return from_jwt(text, "$");
        }
        // Numbers, true, null… are JSON, just not claims.
        return match serde_json::from_str::<Value>(text) {
            Ok(value) => Err(ClaimsError::NotAnObject {
                path: "$".into(),
                found: describe_kind(&value),
            }),
            Err(_) => Err(ClaimsError::Unrecognised),
        };
    }
    let value: Value = serde_json::from_str(text).map_err(|e| ClaimsError::Syntax {
        line: e.line(),
        // serde_json puts an error at a line break (a control character in a string) in column
        // 0 of the next line; people count from 1.
        column: e.column().max(1),
        detail: syntax_detail(&e),
    })?;
    match value {
        Value::String(token) => from_jwt(&token, "$"),
        Value::Object(map) if SOURCE_KEYS.iter().any(|(key, _)| map.contains_key(*key)) => {
            by_source(map)
        }
        Value::Object(map) => {
            let mut claims = ClaimSet::default();
            claims.set_claims(ClaimSource::IdToken, map);
            Ok(PastedClaims {
                claims,
                form: PastedForm::IdTokenClaims,
                ignored_keys: Vec::new(),
                notes: vec![
                    "a bare object was read as the ID token's claims; to give other sources, paste {\"id_token\": {…}, \"userinfo\": {…}, \"access_token\": {…}}".into(),
                ],
            })
        }
        other => Err(ClaimsError::NotAnObject {
            path: "$".into(),
            found: describe_kind(&other),
        }),
    }
}

/// serde_json's message without its own " at line X column Y" tail, which the error repeats.
fn syntax_detail(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

fn from_jwt(token: &str, path: &str) -> Result<PastedClaims, ClaimsError> {
    let jwt = decode_unverified(token).map_err(|error| ClaimsError::Jwt {
        path: path.to_owned(),
        error,
    })?;
    let source = guess_source(&jwt);
    let mut claims = ClaimSet::default();
    claims.set_claims(source, jwt.payload);
    let why = if source == ClaimSource::AccessToken {
        "it looks like an access token (typ at+jwt, token_use access, or a scope claim without a nonce)"
    } else {
        "a token that does not look like an access token is taken as the ID token"
    };
    Ok(PastedClaims {
        claims,
        form: PastedForm::Jwt { source },
        ignored_keys: Vec::new(),
        notes: vec![
            format!(
                "the JWT's claims were put under {}: {why}",
                source_label(source)
            ),
            UNVERIFIED_NOTE.into(),
        ],
    })
}

/// Access tokens announce themselves in several ways (RFC 9068 `typ`, Cognito's `token_use`,
/// a scope claim); anything else is read as an ID token.
fn guess_source(jwt: &UnverifiedJwt) -> ClaimSource {
    let typ = jwt
        .header
        .get("typ")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_ascii_lowercase();
    let token_use = jwt.payload.get("token_use").and_then(Value::as_str);
    let scoped = jwt.payload.contains_key("scp") || jwt.payload.contains_key("scope");
    let access = typ == "at+jwt"
        || typ == "application/at+jwt"
        || token_use == Some("access")
        || (scoped && !jwt.payload.contains_key("nonce") && token_use != Some("id"));
    if access {
        ClaimSource::AccessToken
    } else {
        ClaimSource::IdToken
    }
}

fn by_source(map: serde_json::Map<String, Value>) -> Result<PastedClaims, ClaimsError> {
    let mut claims = ClaimSet::default();
    let mut ignored_keys = Vec::new();
    let mut decoded_any = false;
    let mut reasons: Vec<SourceUnavailable> = Vec::new();
    for (key, value) in map {
        let Some(source) = SOURCE_KEYS.iter().find(|(k, _)| *k == key).map(|(_, s)| *s) else {
            // A claim set this crate serialised carries its reasons; keep them when they read.
            if key == "unavailable" {
                if let Ok(list) = serde_json::from_value::<Vec<SourceUnavailable>>(value) {
                    reasons = list;
                    continue;
                }
            }
            ignored_keys.push(key);
            continue;
        };
        let path = format!("$.{key}");
        match value {
            Value::Object(object) => claims.set_claims(source, object),
            Value::Null => {}
            Value::String(token) if looks_like_jwt(&token) => {
                let jwt =
                    decode_unverified(&token).map_err(|error| ClaimsError::Jwt { path, error })?;
                claims.set_claims(source, jwt.payload);
                decoded_any = true;
            }
            Value::String(_) if source == ClaimSource::AccessToken => {
                claims.set_unavailable(source, Unavailable::OpaqueAccessToken);
            }
            Value::String(token) if token.split('.').count() == 5 => {
                return Err(ClaimsError::Jwt {
                    path,
                    error: JwtError::Encrypted,
                })
            }
            Value::String(_) => {
                return Err(ClaimsError::NotAJwt {
                    path,
                    what: source_label(source),
                })
            }
            other => {
                return Err(ClaimsError::NotAnObject {
                    path,
                    found: describe_kind(&other),
                })
            }
        }
    }
    for reason in reasons {
        if claims.claims(reason.source).is_none()
            && !claims.unavailable.iter().any(|u| u.source == reason.source)
        {
            claims.set_unavailable(reason.source, reason.reason);
        }
    }
    let mut notes = Vec::new();
    if decoded_any {
        notes.push(UNVERIFIED_NOTE.to_owned());
    }
    if !ignored_keys.is_empty() {
        notes.push(format!(
            "ignored {}: only access_token, id_token and userinfo hold claims",
            ignored_keys.join(", ")
        ));
    }
    Ok(PastedClaims {
        claims,
        form: PastedForm::BySource,
        ignored_keys,
        notes,
    })
}
