//! Redaction: what a report never holds (secrets, token signatures, credentials in headers),
//! and, on request, personal data replaced by stable placeholders — the same value gets the
//! same placeholder throughout, so that two sources that agree can still be seen to agree.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use super::{RedactOptions, Report, ReportError};
use crate::sensitive::SecretString;

/// What was taken out of a report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ReportRedaction")]
pub struct Redaction {
    /// What is always removed, in people's words.
    pub always_removed: Vec<String>,
    /// Whether personal data was replaced by placeholders.
    pub personal_data: bool,
    /// Whether user identifiers were replaced too.
    pub identifiers: bool,
    /// How many distinct values were replaced by a placeholder.
    pub placeholders: u32,
}

/// What replaces a secret found where it should not be.
pub(super) const REMOVED: &str = "(removed)";

const ALWAYS_REMOVED: [&str; 7] = [
    "the client secret",
    "the authorization code (only its length is kept)",
    "the PKCE code verifier",
    "refresh tokens",
    "token signatures (tokens are kept as their decoded header and claims only)",
    "SCIM bearer tokens",
    "every Authorization header value, Basic credentials included",
];

/// Values a report may hold verbatim however they look: the keys whose strings are the
/// report's own vocabulary (statuses, kinds, labels), never a person's data.
const VOCABULARY_KEYS: [&str; 17] = [
    "format", "status", "severity", "kind", "outcome", "source", "step", "mode", "code", "name",
    "method", "field", "taken_as", "blank", "route", "key_use", "kty",
];

/// Claims that name the protocol, not the person: kept as they are.
const PROTOCOL_CLAIMS: [&str; 36] = [
    "iss",
    "aud",
    "azp",
    "exp",
    "iat",
    "nbf",
    "auth_time",
    "nonce",
    "acr",
    "amr",
    "at_hash",
    "c_hash",
    "s_hash",
    "sid",
    "jti",
    "scope",
    "scp",
    "client_id",
    "cid",
    "ver",
    "tid",
    "typ",
    "idp",
    "alg",
    "kid",
    "email_verified",
    "phone_number_verified",
    "locale",
    "zoneinfo",
    "updated_at",
    "roles",
    "groups",
    "wids",
    "hd",
    "uti",
    "rh",
];

/// Claims that identify the user without describing them.
const IDENTIFIER_CLAIMS: [&str; 4] = ["sub", "oid", "external_id", "uid"];

/// What kind of personal data a claim holds, by its name.
fn kind_of_claim(name: &str) -> Option<&'static str> {
    let n = name.to_ascii_lowercase();
    if PROTOCOL_CLAIMS.contains(&n.as_str()) {
        return None;
    }
    if IDENTIFIER_CLAIMS.contains(&n.as_str()) {
        return Some("id");
    }
    let has = |parts: &[&str]| parts.iter().any(|p| n.contains(p));
    Some(
        if has(&["mail", "upn", "unique_name", "username", "login"]) {
            "email"
        } else if has(&["name"]) {
            "name"
        } else if has(&["phone", "mobile", "fax"]) {
            "phone"
        } else if has(&[
            "address", "street", "postal", "zip", "locality", "city", "region", "country",
        ]) {
            "address"
        } else {
            "text"
        },
    )
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
        .unwrap_or_else(|_| unreachable_regex())
});

/// A compact JWS or JWE anywhere in a text: three or five base64url parts.
static COMPACT_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)?")
        .unwrap_or_else(|_| unreachable_regex())
});

/// An authorization scheme and the word after it anywhere in a text; [`looks_like_credential`]
/// tells a credential ("Basic YWxpY2U6cHc=") from prose ("expects Basic authentication").
static CREDENTIALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(bearer|basic)\s+([A-Za-z0-9._~+/=-]{8,})")
        .unwrap_or_else(|_| unreachable_regex())
});

/// Whether a word after "Bearer" or "Basic" is a credential: base64 and token alphabets mix
/// digits, capitals or `+/=` in, and long ones join parts with `._~-`; words of prose do not.
fn looks_like_credential(word: &str) -> bool {
    let has = |f: fn(&char) -> bool| word.chars().filter(f).count();
    has(char::is_ascii_digit) > 0
        || word.contains(['+', '/', '='])
        || (has(char::is_ascii_uppercase) >= 2 && has(char::is_ascii_lowercase) >= 1)
        || (word.len() >= 16 && word.contains(['.', '_', '~', '-']))
}

fn unreachable_regex() -> Regex {
    // The patterns above are constants that compile; this matches nothing if one did not.
    Regex::new("$^").unwrap_or_else(|_| unreachable!("an empty pattern always compiles"))
}

/// Removes every secret from `report`, and personal data when asked.
pub(super) fn redact(
    report: Report,
    secrets: &[SecretString],
    options: RedactOptions,
) -> Result<Report, ReportError> {
    let mut value =
        serde_json::to_value(&report).map_err(|e| ReportError::NotRedacted(e.to_string()))?;
    let secrets: Vec<&str> = secrets
        .iter()
        .map(SecretString::expose)
        .filter(|s| !s.is_empty())
        .collect();
    walk_strings(&mut value, &mut |place, s| {
        if place.is_authorization() {
            *s = REMOVED.to_owned();
            return;
        }
        *s = scrub_secrets(s, &secrets);
    });
    remove_authorization_headers(&mut value);

    let mut placeholders = Placeholders::default();
    if options.personal_data || options.identifiers {
        collect_claims(&value, options, &mut placeholders);
        collect_scim(&mut value, options, &mut placeholders);
        if options.personal_data {
            walk_strings(&mut value, &mut |_, s| {
                for m in EMAIL.find_iter(s) {
                    placeholders.add("email", m.as_str());
                }
                // An address in a query (a SCIM filter, a login hint) is percent-encoded.
                if s.contains("%40") {
                    for m in EMAIL.find_iter(&percent_decoded(s)) {
                        placeholders.add("email", m.as_str());
                    }
                }
            });
        }
        let replacements = placeholders.replacements();
        walk_strings(&mut value, &mut |place, s| {
            if place.is_vocabulary() {
                return;
            }
            *s = replace_all(s, &replacements);
        });
    }
    let mut out: Report = serde_json::from_value(value).map_err(|e| {
        ReportError::NotRedacted(format!("the redacted report lost its shape ({e})"))
    })?;
    out.redaction = Redaction {
        always_removed: ALWAYS_REMOVED.iter().map(|s| (*s).to_owned()).collect(),
        personal_data: options.personal_data,
        identifiers: options.identifiers,
        placeholders: u32::try_from(placeholders.by_value.len()).unwrap_or(u32::MAX),
    };
    Ok(out)
}

/// `text` with every secret, compact token's signature and credential replaced.
fn scrub_secrets(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets {
        if out.contains(secret) {
            out = out.replace(secret, REMOVED);
        }
    }
    let out = COMPACT_TOKEN.replace_all(&out, |c: &regex::Captures<'_>| {
        let token = &c[0];
        match token.split('.').count() {
            3 => {
                let mut parts = token.split('.');
                let header = parts.next().unwrap_or_default();
                let payload = parts.next().unwrap_or_default();
                format!("{header}.{payload}.(signature removed)")
            }
            _ => "(an encrypted token, removed)".to_owned(),
        }
    });
    CREDENTIALS
        .replace_all(&out, |c: &regex::Captures<'_>| {
            if looks_like_credential(&c[2]) {
                format!("{} {REMOVED}", &c[1])
            } else {
                c[0].to_owned()
            }
        })
        .into_owned()
}

/// Headers are recorded as `{name, value}` pairs: an Authorization header's value goes.
fn remove_authorization_headers(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let is_authorization = map
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case("authorization"));
            if is_authorization {
                if let Some(v) = map.get_mut("value") {
                    *v = Value::String(REMOVED.to_owned());
                }
            }
            map.values_mut().for_each(remove_authorization_headers);
        }
        Value::Array(items) => items.iter_mut().for_each(remove_authorization_headers),
        _ => {}
    }
}

/// Where a string sits: the key it is under, and whether that is inside a provider's claims
/// (where every key is the provider's, not the report's vocabulary).
#[derive(Clone, Copy)]
struct Place<'a> {
    key: Option<&'a str>,
    in_claims: bool,
}

impl Place<'_> {
    /// Whether the string is one of the report's own words, kept as it is.
    fn is_vocabulary(self) -> bool {
        !self.in_claims && self.key.is_some_and(|k| VOCABULARY_KEYS.contains(&k))
    }

    fn is_authorization(self) -> bool {
        self.key
            .is_some_and(|k| k.eq_ignore_ascii_case("authorization"))
    }
}

/// Calls `f` on every string of `value` with the place it sits in.
fn walk_strings(value: &mut Value, f: &mut impl FnMut(Place<'_>, &mut String)) {
    fn walk(value: &mut Value, place: Place<'_>, f: &mut impl FnMut(Place<'_>, &mut String)) {
        match value {
            Value::String(s) => f(place, s),
            Value::Array(items) => items.iter_mut().for_each(|v| walk(v, place, f)),
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    let in_claims = place.in_claims || k == "claims";
                    walk(
                        v,
                        Place {
                            key: Some(k),
                            in_claims,
                        },
                        f,
                    );
                }
            }
            _ => {}
        }
    }
    walk(
        value,
        Place {
            key: None,
            in_claims: false,
        },
        f,
    );
}

/// Values to replace, numbered per kind in the order they are first met.
#[derive(Default)]
struct Placeholders {
    by_value: BTreeMap<String, String>,
    counts: BTreeMap<&'static str, u32>,
}

impl Placeholders {
    fn add(&mut self, kind: &'static str, value: &str) {
        let value = value.trim();
        if value.is_empty() || self.by_value.contains_key(value) {
            return;
        }
        let n = self.counts.entry(kind).or_default();
        *n += 1;
        self.by_value
            .insert(value.to_owned(), format!("[{kind}-{n}]"));
    }

    /// The values, and the forms they take in a URL's query, longest first, so that a longer
    /// value is replaced before a part of it.
    fn replacements(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for (value, placeholder) in &self.by_value {
            out.push((value.clone(), placeholder.clone()));
            for encoded in [percent_encoded(value, false), percent_encoded(value, true)] {
                if encoded != *value && !out.iter().any(|(v, _)| *v == encoded) {
                    out.push((encoded, placeholder.clone()));
                }
            }
        }
        out.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        out
    }
}

/// Every claims object of the report: the sources of the sign-in.
fn collect_claims(report: &Value, options: RedactOptions, placeholders: &mut Placeholders) {
    let Some(sign_in) = report.get("sign_in") else {
        return;
    };
    for source in ["id_token", "access_token", "userinfo"] {
        if let Some(Value::Object(claims)) = sign_in.get(source).and_then(|s| s.get("claims")) {
            collect_object(claims, options, placeholders);
        }
    }
}

/// The personal data of the SCIM exchanges: the users in their request and response bodies,
/// and the dry run's test user.
fn collect_scim(report: &mut Value, options: RedactOptions, placeholders: &mut Placeholders) {
    let Some(scim) = report.get_mut("scim") else {
        return;
    };
    walk_strings(scim, &mut |place, s| match place.key {
        Some("request_body" | "response_body") => {
            if let Ok(body) = serde_json::from_str::<Value>(s) {
                collect_scim_value(None, &body, options, placeholders);
            }
        }
        Some("test_user_name") if options.personal_data => placeholders.add("email", s),
        _ => {}
    });
}

/// What kind of personal data a SCIM attribute holds (the last part of a path such as
/// `name.givenName` or `emails[type eq "work"].value`); None for the protocol's own.
fn kind_of_scim_attribute(path: &str) -> Option<&'static str> {
    let p = path.to_ascii_lowercase();
    let attribute = p.split(['[', '.']).next().unwrap_or_default();
    let leaf = p.rsplit(['.', ']']).next().unwrap_or_default();
    Some(match (attribute, leaf) {
        ("username" | "emails", _) => "email",
        ("externalid" | "employeenumber", _) => "id",
        ("phonenumbers", _) => "phone",
        ("addresses", _) => "address",
        ("name" | "displayname" | "nickname", _) => "name",
        ("title" | "ims" | "photos" | "x509certificates", _) => "text",
        (
            _,
            "givenname" | "familyname" | "middlename" | "formatted" | "displayname" | "display",
        ) => "name",
        _ => return None,
    })
}

/// Keys whose values describe an attribute rather than hold it (`"type": "work"`).
const SCIM_QUALIFIERS: [&str; 4] = ["type", "primary", "$ref", "operation"];

fn collect_scim_value(
    kind: Option<&'static str>,
    value: &Value,
    options: RedactOptions,
    placeholders: &mut Placeholders,
) {
    let wanted = |kind: &str| {
        if kind == "id" {
            options.identifiers
        } else {
            options.personal_data
        }
    };
    match (kind, value) {
        (Some(kind), Value::String(s)) if wanted(kind) => placeholders.add(kind, s),
        (_, Value::Array(items)) => items
            .iter()
            .for_each(|v| collect_scim_value(kind, v, options, placeholders)),
        (_, Value::Object(map)) => {
            // A PATCH operation: its value is the attribute its path names.
            let path_kind = map
                .get("path")
                .and_then(Value::as_str)
                .and_then(kind_of_scim_attribute);
            for (key, v) in map {
                if SCIM_QUALIFIERS.contains(&key.to_ascii_lowercase().as_str()) {
                    continue;
                }
                let inner = match key.as_str() {
                    "value" => path_kind.or(kind),
                    "schemas" | "meta" | "id" | "path" | "op" => continue,
                    _ => kind_of_scim_attribute(key).or(kind),
                };
                collect_scim_value(inner, v, options, placeholders);
            }
        }
        _ => {}
    }
}

/// `text` with each `%XX` decoded (and `+` as a blank, as a query has it); bytes that do not
/// form UTF-8 are replaced.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `value` as a URL's query holds it: every byte but the unreserved ones as `%XX`, a blank as
/// `+` in a form's encoding or `%20` otherwise.
fn percent_encoded(value: &str, form: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(b));
            }
            b' ' if form => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn collect_object(
    claims: &Map<String, Value>,
    options: RedactOptions,
    placeholders: &mut Placeholders,
) {
    for (name, value) in claims {
        let Some(kind) = kind_of_claim(name) else {
            continue;
        };
        let wanted = if kind == "id" {
            options.identifiers
        } else {
            options.personal_data
        };
        if wanted {
            collect_value(kind, value, placeholders);
        }
    }
}

fn collect_value(kind: &'static str, value: &Value, placeholders: &mut Placeholders) {
    match value {
        Value::String(s) => placeholders.add(kind, s),
        Value::Number(n) if kind != "text" => placeholders.add(kind, &n.to_string()),
        Value::Array(items) => items
            .iter()
            .for_each(|v| collect_value(kind, v, placeholders)),
        // An address object: each of its parts.
        Value::Object(map) => map
            .values()
            .for_each(|v| collect_value(kind, v, placeholders)),
        _ => {}
    }
}

/// `text` with each value replaced where it stands as a whole word (or as the whole text; a
/// value with `%` or `+`, as a query encodes it, wherever it stands), e-mail addresses
/// whatever their letter case.
fn replace_all(text: &str, replacements: &[(String, String)]) -> String {
    let mut out = text.to_owned();
    for (value, placeholder) in replacements {
        if out == *value {
            return placeholder.clone();
        }
        out = replace_words(&out, value, placeholder);
    }
    out
}

fn replace_words(text: &str, value: &str, placeholder: &str) -> String {
    let case_blind = value.contains('@');
    let (hay, needle) = if case_blind {
        (text.to_lowercase(), value.to_lowercase())
    } else {
        (text.to_owned(), value.to_owned())
    };
    // Lower-casing can change lengths outside ASCII; then match exactly instead.
    let (hay, needle) = if hay.len() == text.len() {
        (hay, needle)
    } else {
        (text.to_owned(), value.to_owned())
    };
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in hay.match_indices(&needle) {
        if at < last {
            continue;
        }
        let end = at + needle.len();
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        // A value as a query encodes it (`%22Ann+Lee%22`) stands between encoded characters.
        let encoded = value.contains(['%', '+']);
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '_');
        if encoded || (boundary(before) && boundary(after)) {
            out.push_str(&text[last..at]);
            out.push_str(placeholder);
            last = end;
        }
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_a_signature_and_credentials_are_scrubbed_from_any_text() {
        let text = "got s3cr3t-value and eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl and Basic YWxpY2U6cHc= from x";
        let out = scrub_secrets(text, &["s3cr3t-value"]);
        assert!(!out.contains("s3cr3t-value"), "{out}");
        assert!(!out.contains("c2lnbmF0dXJl"), "{out}");
        assert!(!out.contains("YWxpY2U6cHc="), "{out}");
        assert!(
            out.contains("eyJhbGciOi.eyJzdWIiOiIx.(signature removed)"),
            "{out}"
        );
        assert!(out.contains("Basic (removed)"), "{out}");
        for token in [
            "Bearer 2YotnFZFEjr1zCsicMWpAA",
            "bearer abc.def-ghi_jkl~mno",
        ] {
            let out = scrub_secrets(token, &[]);
            assert!(out.ends_with(REMOVED), "{token} → {out}");
        }
    }

    #[test]
    fn prose_about_authentication_schemes_is_left_as_it_is() {
        for prose in [
            "the provider expects Basic authentication — try turning on Basic authentication",
            "accept bearer tokens, or check the token",
            "use HTTP Basic Authentication at the token endpoint",
            "WWW-Authenticate: Bearer realm=\"example\"",
        ] {
            assert_eq!(scrub_secrets(prose, &[]), prose);
        }
    }

    #[test]
    fn values_are_replaced_as_whole_words_only() {
        let r = vec![("Ann".to_owned(), "[name-1]".to_owned())];
        assert_eq!(replace_all("Ann", &r), "[name-1]");
        assert_eq!(replace_all("Hi Ann, Annual", &r), "Hi [name-1], Annual");
        let e = vec![("ann@example.com".to_owned(), "[email-1]".to_owned())];
        assert_eq!(replace_all("to ANN@Example.com.", &e), "to [email-1].");
    }

    #[test]
    fn a_value_is_replaced_in_the_forms_a_query_gives_it_too() {
        let mut p = Placeholders::default();
        p.add("email", "AdeleV+test@contoso.com");
        p.add("name", "Adele Vance");
        let r = p.replacements();
        let url = "/Users?filter=userName+eq+%22AdeleV%2Btest%40contoso.com%22&x=Adele%20Vance";
        assert_eq!(
            replace_all(url, &r),
            "/Users?filter=userName+eq+%22[email-1]%22&x=[name-1]"
        );
        assert_eq!(
            percent_decoded("a%2Bb%40c.d+e%zz%4"),
            "a+b@c.d e%zz%4".to_owned()
        );
    }

    #[test]
    fn scim_users_give_their_personal_values_and_not_their_protocol() {
        let user = serde_json::json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "id": "2819c223",
            "externalId": "e-7",
            "userName": "AdeleV@contoso.com",
            "name": {"givenName": "Adele", "familyName": "Vance", "formatted": "Adele Vance"},
            "displayName": "Adele Vance",
            "title": "Retail Manager",
            "emails": [{"type": "work", "primary": true, "value": "adele@contoso.com"}],
            "phoneNumbers": [{"type": "mobile", "value": "+1 425 555 0109"}],
            "addresses": [{"type": "work", "locality": "Bellevue", "postalCode": "98004"}],
            "active": true,
            "meta": {"resourceType": "User", "location": "https://scim.example.com/Users/2819c223"},
            "Operations": [
                {"op": "replace", "path": "name.familyName", "value": "Vance-Smith"},
                {"op": "add", "path": "emails[type eq \"work\"].value", "value": "av@contoso.com"}
            ]
        });
        let mut p = Placeholders::default();
        let options = RedactOptions {
            personal_data: true,
            identifiers: false,
        };
        collect_scim_value(None, &user, options, &mut p);
        let found: Vec<&str> = p.by_value.keys().map(String::as_str).collect();
        for personal in [
            "AdeleV@contoso.com",
            "Adele",
            "Vance",
            "Adele Vance",
            "Retail Manager",
            "adele@contoso.com",
            "+1 425 555 0109",
            "Bellevue",
            "98004",
            "Vance-Smith",
            "av@contoso.com",
        ] {
            assert!(found.contains(&personal), "{personal} in {found:?}");
        }
        for protocol in [
            "work", "mobile", "User", "2819c223", "e-7", "replace", "add",
        ] {
            assert!(
                !found.iter().any(|f| f == &protocol),
                "{protocol} in {found:?}"
            );
        }
        assert_eq!(kind_of_scim_attribute("name.givenName"), Some("name"));
        assert_eq!(kind_of_scim_attribute("active"), None);
    }

    #[test]
    fn claims_are_classified_by_name() {
        assert_eq!(kind_of_claim("email"), Some("email"));
        assert_eq!(kind_of_claim("preferred_username"), Some("email"));
        assert_eq!(kind_of_claim("given_name"), Some("name"));
        assert_eq!(kind_of_claim("phone_number"), Some("phone"));
        assert_eq!(kind_of_claim("address"), Some("address"));
        assert_eq!(kind_of_claim("oid"), Some("id"));
        assert_eq!(kind_of_claim("department"), Some("text"));
        assert_eq!(kind_of_claim("iss"), None);
        assert_eq!(kind_of_claim("email_verified"), None);
    }
}
