//! ID token verification: the checks of the OpenID Foundation's relying-party conformance tests,
//! each reported as its own line (DESIGN §3.4). Pure: the key set is passed in.

use std::str::FromStr;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::claims::UnverifiedJwt as Jwt;

/// Clock difference tolerated on `exp` and `iat`, in seconds.
pub const CLOCK_SKEW_SECS: i64 = 60;

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CheckOutcome {
    /// Passed.
    Pass,
    /// Failed: the token must not be trusted.
    Fail,
    /// Not applicable or not possible.
    Skip,
    /// Passed with a remark.
    Warn,
}

/// What a verification line checks. Written as its label ("Signature", "Issuer"…), which the
/// app shows and scripts match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum CheckName {
    /// The ID token's nonce is the one sent.
    #[serde(rename = "Nonce")]
    Nonce,
    /// The token's signing algorithm is one the app accepts.
    #[serde(rename = "Algorithm")]
    Algorithm,
    /// The algorithm is among those the provider's metadata lists for ID tokens.
    #[serde(rename = "Provider's algorithms")]
    ProviderAlgorithms,
    /// A key of the provider's key set fits the token.
    #[serde(rename = "Key")]
    Key,
    /// The signature verifies with that key.
    #[serde(rename = "Signature")]
    Signature,
    /// The token has no critical header this check does not understand.
    #[serde(rename = "Critical header")]
    CriticalHeader,
    /// The header's `typ`, when present, is that of an ID token.
    #[serde(rename = "Token type")]
    TokenType,
    /// The token has a `sub`.
    #[serde(rename = "Subject")]
    Subject,
    /// The token's issuer is the directory's.
    #[serde(rename = "Issuer")]
    Issuer,
    /// The token is for this client.
    #[serde(rename = "Audience")]
    Audience,
    /// `azp`, when present, is this client.
    #[serde(rename = "Authorized party")]
    AuthorizedParty,
    /// The token has not expired.
    #[serde(rename = "Expiry")]
    Expiry,
    /// The token was not issued in the future.
    #[serde(rename = "Issued at")]
    IssuedAt,
    /// `at_hash` matches the access token.
    #[serde(rename = "Access token hash")]
    AccessTokenHash,
    /// The token response carried an ID token that could be read.
    #[serde(rename = "ID token")]
    IdToken,
    /// The callback came the way the directory asks for.
    #[serde(rename = "Response mode")]
    ResponseMode,
    /// The callback's `iss` parameter (RFC 9207) is the provider's.
    #[serde(rename = "Redirect issuer (RFC 9207)")]
    RedirectIssuer,
    /// Userinfo's `sub` is the ID token's.
    #[serde(rename = "Userinfo subject")]
    UserinfoSubject,
}

impl CheckName {
    /// The label.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nonce => "Nonce",
            Self::Algorithm => "Algorithm",
            Self::ProviderAlgorithms => "Provider's algorithms",
            Self::Key => "Key",
            Self::Signature => "Signature",
            Self::CriticalHeader => "Critical header",
            Self::TokenType => "Token type",
            Self::Subject => "Subject",
            Self::Issuer => "Issuer",
            Self::Audience => "Audience",
            Self::AuthorizedParty => "Authorized party",
            Self::Expiry => "Expiry",
            Self::IssuedAt => "Issued at",
            Self::AccessTokenHash => "Access token hash",
            Self::IdToken => "ID token",
            Self::ResponseMode => "Response mode",
            Self::RedirectIssuer => "Redirect issuer (RFC 9207)",
            Self::UserinfoSubject => "Userinfo subject",
        }
    }
}

impl std::fmt::Display for CheckName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for CheckName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One verification line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Check {
    /// What was checked.
    pub name: CheckName,
    /// How it went.
    pub outcome: CheckOutcome,
    /// The values compared, or why it failed.
    pub detail: String,
}

impl Check {
    fn new(name: CheckName, outcome: CheckOutcome, detail: impl Into<String>) -> Self {
        Self {
            name,
            outcome,
            detail: detail.into(),
        }
    }
}

/// What the ID token is checked against.
pub struct Expectations<'a> {
    /// The client id (audience).
    pub client_id: &'a str,
    /// The client secret, the key of HS* tokens.
    pub client_secret: &'a str,
    /// The configured issuer, when set.
    pub issuer: Option<&'a str>,
    /// The nonce sent.
    pub nonce: &'a str,
    /// The access token, for `at_hash`.
    pub access_token: Option<&'a str>,
    /// The provider's keys (the `keys` array of its key set), or why there are none.
    pub keys: Result<&'a [Value], String>,
    /// The provider's `id_token_signing_alg_values_supported`, or why it is not known.
    pub id_token_signing_algs: Result<&'a [String], String>,
    /// Now, in seconds since the epoch.
    pub now: i64,
}

/// Runs every check on an ID token.
pub fn verify_id_token(token: &Jwt, e: &Expectations<'_>) -> Vec<Check> {
    let mut checks = Vec::new();
    signature_checks(token, e, &mut checks);
    checks.push(critical_header_check(token));
    checks.push(token_type_check(token));
    checks.push(issuer_check(token, e));
    checks.push(subject_check(token));
    checks.extend(audience_checks(token, e));
    checks.extend(time_checks(token, e));
    checks.push(match token.claim_str("nonce") {
        Some(n) if n == e.nonce => Check::new(
            CheckName::Nonce,
            CheckOutcome::Pass,
            "matches the nonce sent",
        ),
        Some(_) => Check::new(
            CheckName::Nonce,
            CheckOutcome::Fail,
            "differs from the nonce sent: the token belongs to another sign-in (replay?)",
        ),
        None => Check::new(
            CheckName::Nonce,
            CheckOutcome::Fail,
            "missing, although a nonce was sent",
        ),
    });
    checks.push(at_hash_check(token, e));
    checks
}

fn key_family(alg: Algorithm) -> &'static str {
    match alg {
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => "oct",
        Algorithm::ES256 | Algorithm::ES384 => "EC",
        Algorithm::EdDSA => "OKP",
        _ => "RSA",
    }
}

fn signature_checks(token: &Jwt, e: &Expectations<'_>, checks: &mut Vec<Check>) {
    let alg_name = token.header_str("alg").unwrap_or("");
    let alg = match alg_name {
        "" => Err("the header names no algorithm".to_owned()),
        "none" => Err("alg \"none\": the token is not signed and cannot be trusted".to_owned()),
        name => Algorithm::from_str(name).map_err(|_| format!("alg \"{name}\" is not supported")),
    };
    let alg = match alg {
        Ok(alg) => {
            checks.push(Check::new(
                CheckName::Algorithm,
                CheckOutcome::Pass,
                alg_name,
            ));
            checks.push(provider_algorithm_check(alg_name, e));
            alg
        }
        Err(why) => {
            checks.push(Check::new(CheckName::Algorithm, CheckOutcome::Fail, why));
            checks.push(Check::new(
                PROVIDER_ALGS,
                CheckOutcome::Skip,
                "no usable algorithm",
            ));
            checks.push(Check::new(
                CheckName::Key,
                CheckOutcome::Skip,
                "no usable algorithm",
            ));
            checks.push(Check::new(
                CheckName::Signature,
                CheckOutcome::Fail,
                "not verified",
            ));
            return;
        }
    };
    if key_family(alg) == "oct" {
        checks.push(Check::new(
            CheckName::Key,
            CheckOutcome::Pass,
            "the client secret (HMAC)",
        ));
        let key = DecodingKey::from_secret(e.client_secret.as_bytes());
        checks.push(signature_line(token, &[("client secret".into(), key)], alg));
        return;
    }
    let keys = match e.keys {
        Ok(keys) => keys,
        Err(ref why) => {
            checks.push(Check::new(CheckName::Key, CheckOutcome::Fail, why.clone()));
            checks.push(Check::new(
                CheckName::Signature,
                CheckOutcome::Fail,
                "not verified: no key set",
            ));
            return;
        }
    };
    let usable: Vec<&Value> = keys
        .iter()
        .filter(|k| k.get("use").and_then(Value::as_str) != Some("enc"))
        .filter(|k| k.get("kty").and_then(Value::as_str) == Some(key_family(alg)))
        .collect();
    let kid = token.header_str("kid");
    let by_kid: Vec<&Value> = match kid {
        Some(kid) => usable
            .into_iter()
            .filter(|k| k.get("kid").and_then(Value::as_str) == Some(kid))
            .collect(),
        None => usable,
    };
    // Among several keys, one made for another algorithm is not tried (RFC 7517 §4.4); a key
    // that names no algorithm stays a candidate.
    let (candidates, other_alg): (Vec<&Value>, Vec<&Value>) = if by_kid.len() > 1 {
        by_kid.into_iter().partition(|k| {
            k.get("alg")
                .and_then(Value::as_str)
                .is_none_or(|a| a == alg_name)
        })
    } else {
        (by_kid, Vec::new())
    };
    let family = key_family(alg);
    let not_tried = match other_alg.len() {
        0 => String::new(),
        1 => format!("; 1 key for {} not tried", key_algs(&other_alg)),
        n => format!("; {n} keys for {} not tried", key_algs(&other_alg)),
    };
    let described = match (kid, candidates.len()) {
        (Some(kid), 0) if !other_alg.is_empty() => Err(format!(
            "the {} {family} keys with kid \"{kid}\" are for {}, but the token uses {alg_name}: the provider may have changed its signing algorithm; run Discover again, or check the provider's signing settings for this application",
            other_alg.len(),
            key_algs(&other_alg)
        )),
        (None, 0) if !other_alg.is_empty() => Err(format!(
            "the token has no kid, and the key set's {} {family} keys are for {}, but the token uses {alg_name}: the provider may have changed its signing algorithm; run Discover again, or check the provider's signing settings for this application",
            other_alg.len(),
            key_algs(&other_alg)
        )),
        (Some(kid), 0) => Err(format!("no {family} key with kid \"{kid}\" in the provider's key set (keys rotated, or the wrong provider?)")),
        (None, 0) => Err(format!("the token has no kid and the key set has no {family} signing key")),
        (Some(kid), 1) => Ok(format!("kid \"{kid}\"{not_tried}")),
        (Some(kid), n) => Ok(format!("kid \"{kid}\"; {n} candidate keys, each tried{not_tried}")),
        (None, 1) => Ok(format!("no kid; the key set's only usable key{not_tried}")),
        (None, n) => Ok(format!("no kid; {n} candidate keys, each tried{not_tried}")),
    };
    let described = described.and_then(|text| {
        match candidates.iter().find_map(|k| {
            k.get("alg")
                .and_then(Value::as_str)
                .filter(|a| *a != alg_name)
        }) {
            Some(key_alg) if candidates.len() == 1 => Err(format!(
                "the key is for {key_alg}, but the token uses {alg_name}"
            )),
            _ => Ok(text),
        }
    });
    match described {
        Err(why) => {
            checks.push(Check::new(CheckName::Key, CheckOutcome::Fail, why));
            checks.push(Check::new(
                CheckName::Signature,
                CheckOutcome::Fail,
                "not verified: no key",
            ));
        }
        Ok(text) => {
            checks.push(Check::new(CheckName::Key, CheckOutcome::Pass, text));
            let keys: Vec<(String, DecodingKey)> = candidates
                .iter()
                .filter_map(|k| {
                    let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value((*k).clone()).ok()?;
                    let key = DecodingKey::from_jwk(&jwk).ok()?;
                    Some((
                        k.get("kid")
                            .and_then(Value::as_str)
                            .unwrap_or("(no kid)")
                            .to_owned(),
                        key,
                    ))
                })
                .collect();
            checks.push(signature_line(token, &keys, alg));
        }
    }
}

/// The distinct `alg` members of `keys`, as a list for a message.
fn key_algs(keys: &[&Value]) -> String {
    let mut algs: Vec<&str> = keys
        .iter()
        .filter_map(|k| k.get("alg").and_then(Value::as_str))
        .collect();
    algs.sort_unstable();
    algs.dedup();
    algs.join(", ")
}

const PROVIDER_ALGS: CheckName = CheckName::ProviderAlgorithms;

/// The token's algorithm must be one the provider says it signs ID tokens with.
fn provider_algorithm_check(alg: &str, e: &Expectations<'_>) -> Check {
    let listed = match &e.id_token_signing_algs {
        Ok(listed) => *listed,
        Err(why) => {
            return Check::new(
                PROVIDER_ALGS,
                CheckOutcome::Skip,
                format!("the provider's list of ID token signing algorithms is not known: {why}"),
            )
        }
    };
    if listed.iter().any(|a| a == alg) {
        return Check::new(
            PROVIDER_ALGS,
            CheckOutcome::Pass,
            format!(
                "{alg} is among the provider's ID token signing algorithms ({})",
                listed.join(", ")
            ),
        );
    }
    let listed = if listed.is_empty() {
        "no algorithm".to_owned()
    } else {
        format!("only {}", listed.join(", "))
    };
    Check::new(
        PROVIDER_ALGS,
        CheckOutcome::Fail,
        format!(
            "the token is signed with {alg}, but the provider lists {listed} for ID tokens: the token may not come from this provider, or its settings changed since Discover read them; run Discover again, and check which signing algorithm the provider uses for this application"
        ),
    )
}

/// A JSON value as shown in a message, cut short when long.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

/// `crit` lists header parameters the reader must understand (RFC 7515 §4.1.11); the console
/// understands none.
fn critical_header_check(token: &Jwt) -> Check {
    const NAME: CheckName = CheckName::CriticalHeader;
    let not_a_list = |value: &Value| {
        Check::new(
            NAME,
            CheckOutcome::Fail,
            format!(
                "the crit header should be a list of header parameter names, but it is {}: the token is malformed; report it to the provider",
                shown(value)
            ),
        )
    };
    let Some(crit) = token.header.get("crit") else {
        return Check::new(
            NAME,
            CheckOutcome::Pass,
            "no header parameter is marked critical",
        );
    };
    let names = crit.as_array().and_then(|items| {
        items
            .iter()
            .map(Value::as_str)
            .collect::<Option<Vec<&str>>>()
    });
    let Some(names) = names else {
        return not_a_list(crit);
    };
    if names.is_empty() {
        return Check::new(
            NAME,
            CheckOutcome::Warn,
            "the crit header is an empty list, which the JOSE standard (RFC 7515) does not allow; nothing is marked critical, so the token is still accepted — tell the provider",
        );
    }
    let names: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    Check::new(
        NAME,
        CheckOutcome::Fail,
        format!(
            "the token marks {} as critical (its crit header): software that does not understand {} must reject the token, and this console does not; ask the provider not to mark header parameters as critical in ID tokens",
            names.join(", "),
            if names.len() == 1 { "it" } else { "them" }
        ),
    )
}

/// `typ`, when present, should say JWT (RFC 7519 §5.1); other types mark other kinds of token
/// (RFC 8725 §3.11).
fn token_type_check(token: &Jwt) -> Check {
    const NAME: CheckName = CheckName::TokenType;
    const ADVICE: &str = "ID tokens say JWT or nothing: this may be another kind of token sent in place of the ID token; check the provider's token settings for this application";
    let typ = match token.header.get("typ") {
        None => {
            return Check::new(
                NAME,
                CheckOutcome::Pass,
                "no typ header, as usual for ID tokens",
            )
        }
        Some(Value::String(typ)) => typ,
        Some(other) => {
            return Check::new(
                NAME,
                CheckOutcome::Warn,
                format!(
                    "the typ header is not text (it is {}): {ADVICE}",
                    shown(other)
                ),
            )
        }
    };
    let lower = typ.to_ascii_lowercase();
    let bare = lower.strip_prefix("application/").unwrap_or(&lower);
    if bare == "jwt" {
        return Check::new(NAME, CheckOutcome::Pass, format!("\"{typ}\""));
    }
    let kind = match bare {
        "at+jwt" => ", which marks an access token",
        "logout+jwt" => ", which marks a logout token",
        "secevent+jwt" => ", which marks a security event token",
        _ => "",
    };
    Check::new(
        NAME,
        CheckOutcome::Warn,
        format!("the header says typ \"{typ}\"{kind}, not JWT — {ADVICE}"),
    )
}

/// `sub` identifies the user (OpenID Connect Core §2): a non-empty string.
fn subject_check(token: &Jwt) -> Check {
    const NAME: CheckName = CheckName::Subject;
    const ADVICE: &str = "the provider must send the user's identifier in sub; check its settings for this application";
    match token.payload.get("sub") {
        Some(Value::String(sub)) if !sub.is_empty() => {
            Check::new(NAME, CheckOutcome::Pass, format!("\"{sub}\""))
        }
        Some(Value::String(_)) => Check::new(
            NAME,
            CheckOutcome::Fail,
            format!("sub is empty, so the token does not say who signed in: {ADVICE}"),
        ),
        None => Check::new(
            NAME,
            CheckOutcome::Fail,
            format!("the token has no sub, so it does not say who signed in: {ADVICE}"),
        ),
        Some(other) => Check::new(
            NAME,
            CheckOutcome::Fail,
            format!(
                "sub is not text (it is {}), so the user cannot be identified reliably: {ADVICE}",
                shown(other)
            ),
        ),
    }
}

fn signature_line(token: &Jwt, keys: &[(String, DecodingKey)], alg: Algorithm) -> Check {
    if keys.is_empty() {
        return Check::new(
            CheckName::Signature,
            CheckOutcome::Fail,
            "the key could not be read",
        );
    }
    for (name, key) in keys {
        if let Ok(true) =
            jsonwebtoken::crypto::verify(&token.signature, token.signing_input.as_bytes(), key, alg)
        {
            return Check::new(
                CheckName::Signature,
                CheckOutcome::Pass,
                format!("valid, key {name}"),
            );
        }
    }
    Check::new(
        CheckName::Signature,
        CheckOutcome::Fail,
        "invalid: the token was altered or signed with another key",
    )
}

fn issuer_check(token: &Jwt, e: &Expectations<'_>) -> Check {
    let actual = token.claim_str("iss");
    match (e.issuer, actual) {
        (_, None) => Check::new(
            CheckName::Issuer,
            CheckOutcome::Fail,
            "the token has no iss",
        ),
        (None, Some(iss)) => Check::new(
            CheckName::Issuer,
            CheckOutcome::Skip,
            format!("no issuer configured; the token says \"{iss}\""),
        ),
        (Some(want), Some(iss)) if want == iss => {
            Check::new(CheckName::Issuer, CheckOutcome::Pass, iss)
        }
        (Some(want), Some(iss)) => Check::new(
            CheckName::Issuer,
            CheckOutcome::Fail,
            format!("the token says \"{iss}\", the directory expects \"{want}\""),
        ),
    }
}

fn audience_checks(token: &Jwt, e: &Expectations<'_>) -> Vec<Check> {
    let audiences: Vec<&str> = match token.payload.get("aud") {
        Some(Value::String(a)) => vec![a.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let mut out = vec![if audiences.contains(&e.client_id) {
        Check::new(
            CheckName::Audience,
            CheckOutcome::Pass,
            format!("holds the client ID \"{}\"", e.client_id),
        )
    } else if audiences.is_empty() {
        Check::new(
            CheckName::Audience,
            CheckOutcome::Fail,
            "the token has no aud",
        )
    } else {
        Check::new(
            CheckName::Audience,
            CheckOutcome::Fail,
            format!(
                "is {} — not the client ID \"{}\": the token was issued to another application",
                audiences.join(", "),
                e.client_id
            ),
        )
    }];
    if audiences.len() > 1 {
        out.push(match token.claim_str("azp") {
            Some(azp) if azp == e.client_id => {
                Check::new(CheckName::AuthorizedParty, CheckOutcome::Pass, azp)
            }
            Some(azp) => Check::new(
                CheckName::AuthorizedParty,
                CheckOutcome::Fail,
                format!("azp is \"{azp}\", not the client ID"),
            ),
            None => Check::new(
                CheckName::AuthorizedParty,
                CheckOutcome::Warn,
                "several audiences and no azp claim",
            ),
        });
    }
    out
}

fn time_checks(token: &Jwt, e: &Expectations<'_>) -> Vec<Check> {
    let number = |name: &str| {
        token
            .payload
            .get(name)
            .and_then(Value::as_f64)
            .map(|v| v as i64)
    };
    let exp = match number("exp") {
        None => Check::new(
            CheckName::Expiry,
            CheckOutcome::Fail,
            "the token has no exp",
        ),
        Some(exp) if e.now > exp.saturating_add(CLOCK_SKEW_SECS) => Check::new(
            CheckName::Expiry,
            CheckOutcome::Fail,
            format!(
                "expired {} s ago (check this computer's clock if that seems wrong)",
                e.now.saturating_sub(exp)
            ),
        ),
        Some(exp) => Check::new(
            CheckName::Expiry,
            CheckOutcome::Pass,
            format!("valid for {} s more", exp.saturating_sub(e.now)),
        ),
    };
    let iat = match number("iat") {
        None => Check::new(
            CheckName::IssuedAt,
            CheckOutcome::Fail,
            "the token has no iat",
        ),
        Some(iat) if iat > e.now.saturating_add(CLOCK_SKEW_SECS) => Check::new(
            CheckName::IssuedAt,
            CheckOutcome::Fail,
            format!(
                "issued {} s in the future: this computer's clock or the provider's is wrong",
                iat.saturating_sub(e.now)
            ),
        ),
        Some(iat) => Check::new(
            CheckName::IssuedAt,
            CheckOutcome::Pass,
            format!("{} s ago", e.now.saturating_sub(iat)),
        ),
    };
    vec![exp, iat]
}

fn at_hash_check(token: &Jwt, e: &Expectations<'_>) -> Check {
    let Some(expected) = token.claim_str("at_hash") else {
        return Check::new(
            CheckName::AccessTokenHash,
            CheckOutcome::Skip,
            "no at_hash in the token",
        );
    };
    let Some(access_token) = e.access_token else {
        return Check::new(
            CheckName::AccessTokenHash,
            CheckOutcome::Skip,
            "no access token to compare",
        );
    };
    let alg = token.header_str("alg").unwrap_or("");
    let digest = if alg.ends_with("384") {
        &ring::digest::SHA384
    } else if alg.ends_with("512") || alg == "EdDSA" {
        &ring::digest::SHA512
    } else {
        &ring::digest::SHA256
    };
    let hash = ring::digest::digest(digest, access_token.as_bytes());
    let half = &hash.as_ref()[..hash.as_ref().len() / 2];
    if URL_SAFE_NO_PAD.encode(half) == expected {
        Check::new(
            CheckName::AccessTokenHash,
            CheckOutcome::Pass,
            "at_hash matches the access token",
        )
    } else {
        Check::new(
            CheckName::AccessTokenHash,
            CheckOutcome::Fail,
            "at_hash does not match the access token received",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::tokens::{sign_hs256, unsigned, TestKey};
    use serde_json::json;

    const NOW: i64 = 1_800_000_000;

    fn claims() -> Value {
        json!({
            "iss": "https://idp.example.com", "sub": "u1", "aud": "client-1", "nonce": "n-1",
            "exp": NOW + 300, "iat": NOW - 5,
        })
    }

    fn checks<'a>(
        token: &str,
        keys: &'a [Value],
        edit: impl FnOnce(&mut Expectations<'a>),
    ) -> Vec<Check> {
        let jwt = crate::claims::decode_unverified(token).unwrap();
        let mut e = Expectations {
            client_id: "client-1",
            client_secret: "shh",
            issuer: Some("https://idp.example.com"),
            nonce: "n-1",
            access_token: Some("at-123"),
            keys: Ok(keys),
            id_token_signing_algs: Err("not given in this test".to_owned()),
            now: NOW,
        };
        edit(&mut e);
        verify_id_token(&jwt, &e)
    }

    fn outcomes(
        token: &str,
        keys: &[Value],
        edit: impl FnOnce(&mut Expectations<'_>),
    ) -> Vec<(String, CheckOutcome)> {
        checks(token, keys, edit)
            .into_iter()
            .map(|c| (c.name.to_string(), c.outcome))
            .collect()
    }

    /// The line named `name`; there must be exactly one.
    fn line<'c>(list: &'c [Check], name: &str) -> &'c Check {
        let found: Vec<&Check> = list.iter().filter(|c| c.name == name).collect();
        assert_eq!(found.len(), 1, "one {name} line in {list:?}");
        found[0]
    }

    fn failed(list: &[(String, CheckOutcome)]) -> Vec<&str> {
        list.iter()
            .filter(|(_, o)| *o == CheckOutcome::Fail)
            .map(|(n, _)| n.as_str())
            .collect()
    }

    fn with(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
        let mut c = claims();
        edit(c.as_object_mut().unwrap());
        c
    }

    #[test]
    fn each_id_token_fault_fails_its_own_check() {
        let key = TestKey::generate("k1");
        let other = TestKey::generate("k2");
        let keys = vec![key.jwk()];
        let two_keys = vec![other.jwk(), key.jwk()];
        let mut tampered = key.sign(&claims(), true);
        tampered = {
            let parts: Vec<&str> = tampered.split('.').collect();
            let payload = URL_SAFE_NO_PAD.encode(
                with(|c| {
                    c.insert("sub".into(), "admin".into());
                })
                .to_string(),
            );
            format!("{}.{payload}.{}", parts[0], parts[2])
        };
        let cases: Vec<(&str, String, &[Value], Vec<&str>)> = vec![
            ("valid", key.sign(&claims(), true), &keys, vec![]),
            ("no kid, one key", key.sign(&claims(), false), &keys, vec![]),
            (
                "no kid, several keys: each tried",
                key.sign(&claims(), false),
                &two_keys,
                vec![],
            ),
            (
                "unknown key",
                other.sign(&claims(), true),
                &keys,
                vec!["Key", "Signature"],
            ),
            (
                "alg none",
                unsigned(&claims()),
                &keys,
                vec!["Algorithm", "Signature"],
            ),
            ("tampered", tampered, &keys, vec!["Signature"]),
            (
                "expired",
                key.sign(
                    &with(|c| {
                        c.insert("exp".into(), (NOW - 3600).into());
                    }),
                    true,
                ),
                &keys,
                vec!["Expiry"],
            ),
            (
                "issued in the future",
                key.sign(
                    &with(|c| {
                        c.insert("iat".into(), (NOW + 3600).into());
                    }),
                    true,
                ),
                &keys,
                vec!["Issued at"],
            ),
            (
                "wrong aud",
                key.sign(
                    &with(|c| {
                        c.insert("aud".into(), "other-app".into());
                    }),
                    true,
                ),
                &keys,
                vec!["Audience"],
            ),
            (
                "wrong nonce",
                key.sign(
                    &with(|c| {
                        c.insert("nonce".into(), "n-2".into());
                    }),
                    true,
                ),
                &keys,
                vec!["Nonce"],
            ),
            (
                "wrong issuer",
                key.sign(
                    &with(|c| {
                        c.insert("iss".into(), "https://evil.example.com".into());
                    }),
                    true,
                ),
                &keys,
                vec!["Issuer"],
            ),
            (
                "bad at_hash",
                key.sign(
                    &with(|c| {
                        c.insert("at_hash".into(), "AAAA".into());
                    }),
                    true,
                ),
                &keys,
                vec!["Access token hash"],
            ),
            (
                "wrong azp",
                key.sign(
                    &with(|c| {
                        c.insert("aud".into(), json!(["client-1", "api"]));
                        c.insert("azp".into(), "api".into());
                    }),
                    true,
                ),
                &keys,
                vec!["Authorized party"],
            ),
            (
                "hs256 with the client secret",
                sign_hs256(&claims(), "shh"),
                &[],
                vec![],
            ),
            (
                "hs256 with another secret",
                sign_hs256(&claims(), "not-it"),
                &[],
                vec!["Signature"],
            ),
        ];
        for (name, token, keys, want) in cases {
            let got = outcomes(&token, keys, |_| {});
            assert_eq!(failed(&got), want, "{name}: {got:?}");
        }
    }

    #[test]
    fn at_hash_is_checked_when_present() {
        let key = TestKey::generate("k1");
        let hash = ring::digest::digest(&ring::digest::SHA256, b"at-123");
        let at_hash = URL_SAFE_NO_PAD.encode(&hash.as_ref()[..16]);
        let token = key.sign(
            &with(|c| {
                c.insert("at_hash".into(), at_hash.into());
            }),
            true,
        );
        let got = outcomes(&token, &[key.jwk()], |_| {});
        assert!(
            got.contains(&("Access token hash".into(), CheckOutcome::Pass)),
            "{got:?}"
        );
    }

    #[test]
    fn missing_key_set_or_issuer_is_explained() {
        let key = TestKey::generate("k1");
        let token = key.sign(&claims(), true);
        let got = outcomes(&token, &[], |e| {
            e.keys = Err("the key set could not be fetched".into());
            e.issuer = None;
        });
        assert_eq!(failed(&got), ["Key", "Signature"]);
        assert!(got.contains(&("Issuer".into(), CheckOutcome::Skip)));
    }

    #[test]
    fn several_audiences_without_azp_is_a_warning() {
        let key = TestKey::generate("k1");
        let token = key.sign(
            &with(|c| {
                c.insert("aud".into(), json!(["client-1", "api"]));
            }),
            true,
        );
        let got = outcomes(&token, &[key.jwk()], |_| {});
        assert!(
            got.contains(&("Authorized party".into(), CheckOutcome::Warn)),
            "{got:?}"
        );
        assert!(failed(&got).is_empty());
    }

    /// A JWK for `key` claiming `alg` (or no `alg` at all).
    fn jwk_for(key: &TestKey, alg: Option<&str>) -> Value {
        let mut jwk = key.jwk();
        match alg {
            Some(alg) => jwk["alg"] = alg.into(),
            None => {
                jwk.as_object_mut().unwrap().remove("alg");
            }
        }
        jwk
    }

    #[test]
    fn among_several_keys_those_for_another_algorithm_are_not_tried() {
        let signer = TestKey::generate("k1");
        let stranger = TestKey::generate("k2");
        let no_kid = signer.sign(&claims(), false);
        let with_kid = signer.sign(&claims(), true);
        // (case, token, key set, failed lines, words the Key line holds)
        type Case<'a> = (&'a str, &'a str, Vec<Value>, Vec<&'a str>, &'a str);
        let cases: Vec<Case> = vec![
            (
                "the signer, beside a key for ES384",
                &no_kid,
                vec![jwk_for(&stranger, Some("ES384")), signer.jwk()],
                vec![],
                "no kid; the key set's only usable key; 1 key for ES384 not tried",
            ),
            (
                // The only key that would verify says it is for ES384: it is not used.
                "the signer's key says ES384",
                &no_kid,
                vec![jwk_for(&signer, Some("ES384")), stranger.jwk()],
                vec!["Signature"],
                "1 key for ES384 not tried",
            ),
            (
                "a key naming no algorithm is still tried",
                &no_kid,
                vec![jwk_for(&stranger, Some("ES512")), jwk_for(&signer, None)],
                vec![],
                "1 key for ES512 not tried",
            ),
            (
                "every key is for another algorithm",
                &no_kid,
                vec![
                    jwk_for(&signer, Some("ES384")),
                    jwk_for(&stranger, Some("ES512")),
                ],
                vec!["Key", "Signature"],
                "the key set's 2 EC keys are for ES384, ES512, but the token uses ES256",
            ),
            (
                "two keys with the token's kid, one for ES384",
                &with_kid,
                vec![
                    jwk_for(&TestKey::generate("k1"), Some("ES384")),
                    signer.jwk(),
                ],
                vec![],
                "kid \"k1\"; 1 key for ES384 not tried",
            ),
            (
                "one key with the token's kid, for ES384",
                &with_kid,
                vec![jwk_for(&signer, Some("ES384")), stranger.jwk()],
                vec!["Key", "Signature"],
                "the key is for ES384, but the token uses ES256",
            ),
        ];
        for (case, token, keys, want, key_words) in cases {
            let got = checks(token, &keys, |_| {});
            let outcomes: Vec<(String, CheckOutcome)> = got
                .iter()
                .map(|c| (c.name.to_string(), c.outcome))
                .collect();
            assert_eq!(failed(&outcomes), want, "{case}: {got:?}");
            let key = line(&got, "Key");
            assert!(key.detail.contains(key_words), "{case}: {key:?}");
        }
    }

    #[test]
    fn an_algorithm_the_provider_does_not_list_fails_its_own_line() {
        let key = TestKey::generate("k1");
        let es256 = key.sign(&claims(), true);
        let hs256 = sign_hs256(&claims(), "shh");
        let keys = vec![key.jwk()];
        let rs256 = vec!["RS256".to_owned()];
        let both = vec!["RS256".to_owned(), "ES256".to_owned()];
        let none: Vec<String> = Vec::new();
        // (case, token, the provider's list, outcome, words of the line)
        type Case<'a> = (
            &'a str,
            &'a str,
            Result<&'a [String], String>,
            CheckOutcome,
            &'a str,
        );
        let cases: Vec<Case> = vec![
            (
                "listed",
                &es256,
                Ok(&both),
                CheckOutcome::Pass,
                "ES256 is among the provider's ID token signing algorithms (RS256, ES256)",
            ),
            (
                "not listed",
                &es256,
                Ok(&rs256),
                CheckOutcome::Fail,
                "the token is signed with ES256, but the provider lists only RS256 for ID tokens",
            ),
            (
                // The client secret verifies it, yet the provider never signs with HS256.
                "HMAC, not listed",
                &hs256,
                Ok(&rs256),
                CheckOutcome::Fail,
                "signed with HS256, but the provider lists only RS256",
            ),
            (
                "an empty list",
                &es256,
                Ok(&none),
                CheckOutcome::Fail,
                "the provider lists no algorithm for ID tokens",
            ),
            (
                "list not known",
                &es256,
                Err("no issuer to read it from".to_owned()),
                CheckOutcome::Skip,
                "the provider's list of ID token signing algorithms is not known",
            ),
        ];
        for (case, token, algs, outcome, words) in cases {
            let got = checks(token, &keys, |e| e.id_token_signing_algs = algs.clone());
            let check = line(&got, "Provider's algorithms");
            assert_eq!(check.outcome, outcome, "{case}: {check:?}");
            assert!(check.detail.contains(words), "{case}: {check:?}");
            let others: Vec<&str> = got
                .iter()
                .filter(|c| c.outcome == CheckOutcome::Fail && c.name != check.name)
                .map(|c| c.name.as_str())
                .collect();
            assert!(
                others.is_empty(),
                "{case}: only its own line fails: {got:?}"
            );
        }
        // With no usable algorithm there is nothing to look up.
        let got = checks(&unsigned(&claims()), &keys, |e| {
            e.id_token_signing_algs = Ok(&rs256)
        });
        assert_eq!(
            line(&got, "Provider's algorithms").outcome,
            CheckOutcome::Skip
        );
    }

    #[test]
    fn a_missing_or_empty_subject_fails() {
        let key = TestKey::generate("k1");
        let cases: Vec<(&str, Option<Value>, CheckOutcome, &str)> = vec![
            ("present", Some("u1".into()), CheckOutcome::Pass, "\"u1\""),
            (
                "missing",
                None,
                CheckOutcome::Fail,
                "the token has no sub, so it does not say who signed in",
            ),
            ("empty", Some("".into()), CheckOutcome::Fail, "sub is empty"),
            (
                "a number",
                Some(1234.into()),
                CheckOutcome::Fail,
                "sub is not text (it is 1234)",
            ),
        ];
        for (case, sub, outcome, words) in cases {
            let token = key.sign(
                &with(|c| match sub {
                    Some(sub) => {
                        c.insert("sub".into(), sub);
                    }
                    None => {
                        c.remove("sub");
                    }
                }),
                true,
            );
            let got = checks(&token, &[key.jwk()], |_| {});
            let check = line(&got, "Subject");
            assert_eq!(check.outcome, outcome, "{case}: {check:?}");
            assert!(check.detail.contains(words), "{case}: {check:?}");
            if outcome == CheckOutcome::Fail {
                assert!(check.detail.contains("check its settings"), "{case}");
                let outcomes: Vec<(String, CheckOutcome)> = got
                    .iter()
                    .map(|c| (c.name.to_string(), c.outcome))
                    .collect();
                assert_eq!(failed(&outcomes), ["Subject"], "{case}");
            }
        }
    }

    #[test]
    fn a_critical_header_parameter_fails() {
        let key = TestKey::generate("k1");
        let header = |crit: Option<Value>| {
            let mut h = json!({ "alg": "ES256", "typ": "JWT", "kid": "k1" });
            if let Some(crit) = crit {
                h["crit"] = crit;
                h["b64"] = true.into();
            }
            h
        };
        let cases: Vec<(&str, Option<Value>, CheckOutcome, &str)> = vec![
            (
                "absent",
                None,
                CheckOutcome::Pass,
                "no header parameter is marked critical",
            ),
            (
                "one name",
                Some(json!(["b64"])),
                CheckOutcome::Fail,
                "the token marks \"b64\" as critical (its crit header): software that does not understand it must reject the token",
            ),
            (
                "two names",
                Some(json!(["b64", "exp"])),
                CheckOutcome::Fail,
                "the token marks \"b64\", \"exp\" as critical",
            ),
            (
                "not a list",
                Some(json!("b64")),
                CheckOutcome::Fail,
                "should be a list of header parameter names, but it is \"b64\"",
            ),
            (
                "a list of other things",
                Some(json!(["b64", 7])),
                CheckOutcome::Fail,
                "but it is [\"b64\",7]",
            ),
            (
                "an empty list",
                Some(json!([])),
                CheckOutcome::Warn,
                "the crit header is an empty list",
            ),
        ];
        for (case, crit, outcome, words) in cases {
            let token = key.sign_with_header(&header(crit), &claims());
            let got = checks(&token, &[key.jwk()], |_| {});
            let check = line(&got, "Critical header");
            assert_eq!(check.outcome, outcome, "{case}: {check:?}");
            assert!(check.detail.contains(words), "{case}: {check:?}");
            let outcomes: Vec<(String, CheckOutcome)> = got
                .iter()
                .map(|c| (c.name.to_string(), c.outcome))
                .collect();
            let want: &[&str] = if outcome == CheckOutcome::Fail {
                &["Critical header"]
            } else {
                &[]
            };
            assert_eq!(
                failed(&outcomes),
                want,
                "{case}: the signature holds: {got:?}"
            );
        }
    }

    #[test]
    fn an_unexpected_token_type_is_a_warning_naming_it() {
        let key = TestKey::generate("k1");
        let cases: Vec<(&str, Option<Value>, CheckOutcome, &str)> = vec![
            (
                "absent",
                None,
                CheckOutcome::Pass,
                "no typ header, as usual for ID tokens",
            ),
            ("JWT", Some("JWT".into()), CheckOutcome::Pass, "\"JWT\""),
            ("jwt", Some("jwt".into()), CheckOutcome::Pass, "\"jwt\""),
            (
                "application/jwt",
                Some("application/jwt".into()),
                CheckOutcome::Pass,
                "\"application/jwt\"",
            ),
            (
                "Application/JWT",
                Some("Application/JWT".into()),
                CheckOutcome::Pass,
                "\"Application/JWT\"",
            ),
            (
                "an access token",
                Some("at+jwt".into()),
                CheckOutcome::Warn,
                "the header says typ \"at+jwt\", which marks an access token, not JWT",
            ),
            (
                "a logout token",
                Some("application/logout+jwt".into()),
                CheckOutcome::Warn,
                "typ \"application/logout+jwt\", which marks a logout token",
            ),
            (
                "something else",
                Some("JOSE".into()),
                CheckOutcome::Warn,
                "the header says typ \"JOSE\", not JWT",
            ),
            (
                "not text",
                Some(1.into()),
                CheckOutcome::Warn,
                "the typ header is not text (it is 1)",
            ),
        ];
        for (case, typ, outcome, words) in cases {
            let mut header = json!({ "alg": "ES256", "kid": "k1" });
            if let Some(typ) = typ {
                header["typ"] = typ;
            }
            let token = key.sign_with_header(&header, &claims());
            let got = checks(&token, &[key.jwk()], |_| {});
            let check = line(&got, "Token type");
            assert_eq!(check.outcome, outcome, "{case}: {check:?}");
            assert!(check.detail.contains(words), "{case}: {check:?}");
            if outcome == CheckOutcome::Warn {
                assert!(
                    check.detail.contains("check the provider's token settings"),
                    "{case}"
                );
            }
            assert!(
                got.iter().all(|c| c.outcome != CheckOutcome::Fail),
                "{case}: a warning only: {got:?}"
            );
        }
    }
}
