//! Property tests of every parser of untrusted input, through the crate's public interface:
//! JWTs, pasted claims, discovery documents and their URLs, key sets, the logo's PNG check,
//! domain suffixes and email addresses, directory documents, SCIM target paths, the mapping
//! expression language, mapping documents and the answers of SCIM servers. (The loopback
//! listener's request parser is private: its properties sit in `src/signin/listener.rs`.)
//!
//! Each parser gets arbitrary bytes or text and structured near-valid inputs (valid JSON with
//! fields of random types, JWTs with random parts, PNG signatures with random chunks, URLs of
//! random pieces). The properties: it never panics, every input is small (at most 64 KiB, so
//! each case ends quickly), and an error says what was wrong — never empty, and naming the part,
//! field or text concerned where the error has one.
//!
//! Case counts are fixed per test (see [`config`]); failures are not persisted, so a run never
//! writes into the work tree. A failure prints the smallest input found; the random seed can be
//! fixed with `PROPTEST_RNG_SEED` to replay a run.

use std::sync::LazyLock;
use std::time::Duration;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, LOCATION};
use reqwest::StatusCode;
use serde_json::{json, Map, Value};
use sso_console::claims::{decode_unverified, parse_pasted, ClaimsError, JwtError};
use sso_console::directory::{Directory, DirectoryDocument, DomainSuffix, EndpointUrl};
use sso_console::discovery::{
    discovery_url, expected_issuer, judge, parse_document, summarise_key_set, DiscoveryError,
    KeySetError, KeySetOutcome, ProviderMetadata, WELL_KNOWN,
};
use sso_console::http::{HttpClient, HttpResponse};
use sso_console::logo::{self, Logo, LogoError, LOGO_HEIGHT, LOGO_MAX_BYTES, LOGO_WIDTH};
use sso_console::routing::{EmailAddress, EmailError};
use sso_console::scim::client::{error_detail, BaseUrl, Exchange, Response, ScimClient};
use sso_console::scim::expression::SourceUser;
use sso_console::scim::expression::{self, Expression, MAX_LENGTH, MAX_NESTING};
use sso_console::scim::mapping::MappingDocument;
use sso_console::scim::path::{
    TargetPath, ENTERPRISE_USER, ERROR_MESSAGE, LIST_RESPONSE, PATCH_OP,
};
use sso_console::scim::review::{self, Support};
use sso_console::scim::schema::{resources, ServerSchemas};
use sso_console::scim::templates;
use sso_console::scim::test_connection::{self, judge_list, Expect};
use sso_console::scim::validate;
use sso_console::sensitive::SecretString;
use sso_console::signin::{verify_id_token, CheckOutcome, Expectations};
use sso_console::testing::png;

/// A fixed number of cases, and no failure file: the whole suite stays well under a minute on
/// two cores in a debug build, and never writes `proptest-regressions/`.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Shared generators.

/// Any text of up to `max` characters, control characters and astral planes included.
fn chars(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..=max).prop_map(String::from_iter)
}

/// Short text: mostly readable, sometimes any characters at all.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[a-zA-Z0-9 ._:/@-]{0,16}",
        1 => chars(16),
    ]
    .boxed()
}

/// Arbitrary bytes, at most `max` of them.
fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..=max)
}

/// Any JSON value, a few levels deep.
fn json_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((text(), inner), 0..5)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
    .boxed()
}

/// A JSON object holding some of `fields`, each with a value from `value`, and a few others.
fn object_with(
    fields: &'static [&'static str],
    value: BoxedStrategy<Value>,
) -> impl Strategy<Value = Map<String, Value>> {
    let known = prop::collection::vec(prop::option::weighted(0.7, value), fields.len());
    let extra = prop::collection::vec((text(), json_value()), 0..3);
    (known, extra).prop_map(move |(known, extra)| {
        let mut map: Map<String, Value> = extra.into_iter().collect();
        for (name, value) in fields.iter().zip(known) {
            if let Some(value) = value {
                map.insert((*name).to_owned(), value);
            }
        }
        map
    })
}

/// A URL made of random pieces: odd schemes, credentials, hosts of every kind, ports out of
/// range, encoded paths, queries and fragments, white space around.
fn url_text() -> BoxedStrategy<String> {
    let scheme = prop::sample::select(
        &[
            "https://",
            "http://",
            "HTTPS://",
            "ftp://",
            "",
            "//",
            "https:/",
            "https:",
            "file://",
            "javascript:",
            "urn:",
        ][..],
    );
    let credentials = prop::option::weighted(0.1, "[a-z]{0,4}(:[a-z]{0,4})?@");
    let host = prop_oneof![
        3 => prop::sample::select(
            &[
                "login.example.com", "idp.example.com", "127.0.0.1", "127.1.2.3", "localhost",
                "LOCALHOST", "[::1]", "[::ffff:127.0.0.1]", "[::1", "0x7f.1", "256.0.0.1",
                "xn--bcher-kva.example", "bücher.example", "例え.テスト", "", "exa mple.com",
                "%41.example", "app.example.invalid", "10.0.0.1", "[fe80::1%25eth0]",
            ][..]
        )
        .prop_map(str::to_owned),
        1 => "[a-z0-9.-]{0,20}",
        1 => chars(8),
    ];
    let port = prop::option::weighted(
        0.2,
        prop_oneof![
            any::<u16>().prop_map(|p| p.to_string()),
            "[0-9]{5,7}",
            "[a-z]{0,3}"
        ],
    );
    let segment = prop_oneof![
        4 => "[a-zA-Z0-9._~%-]{0,8}",
        1 => prop::sample::select(
            &[".well-known", "openid-configuration", "..", ".", "%2e%2e", "realms", "v2.0", "scim"][..]
        )
        .prop_map(str::to_owned),
        1 => chars(4),
    ];
    let path = prop::collection::vec(segment, 0..4);
    let query = prop::option::weighted(0.2, "[a-z=&%?]{0,10}");
    let fragment = prop::option::weighted(0.1, chars(4));
    let space = prop::sample::select(&["", "", "", " ", "\t", "\n", "\u{a0}"][..]);
    (
        scheme,
        credentials,
        host,
        port,
        path,
        query,
        fragment,
        space.clone(),
        space,
    )
        .prop_map(
            |(scheme, credentials, host, port, path, query, fragment, before, after)| {
                let mut url = format!("{before}{scheme}{}{host}", credentials.unwrap_or_default());
                if let Some(port) = port {
                    url.push(':');
                    url.push_str(&port);
                }
                for segment in path {
                    url.push('/');
                    url.push_str(&segment);
                }
                if let Some(query) = query {
                    url.push('?');
                    url.push_str(&query);
                }
                if let Some(fragment) = fragment {
                    url.push('#');
                    url.push_str(&fragment);
                }
                url.push_str(after);
                url
            },
        )
        .boxed()
}

/// Headers for a fetched answer: a Content-Type and a Location, each maybe absent or odd.
fn headers(content_type: Option<Vec<u8>>, location: Option<String>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Some(value) = content_type.and_then(|v| HeaderValue::from_bytes(&v).ok()) {
        headers.insert(CONTENT_TYPE, value);
    }
    if let Some(value) = location.and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert(LOCATION, value);
    }
    headers
}

/// Content types as servers send them, and some that no server should.
fn content_type() -> impl Strategy<Value = Option<Vec<u8>>> {
    prop::option::weighted(
        0.8,
        prop_oneof![
            3 => prop::sample::select(
                &[
                    "application/json", "application/json; charset=utf-8", "application/scim+json",
                    "APPLICATION/SCIM+JSON; charset=UTF-8", "text/html", "text/html; charset=utf-8",
                    "text/plain", "", ";", "application/jwk-set+json",
                ][..]
            )
            .prop_map(|t| t.as_bytes().to_vec()),
            1 => bytes(24),
        ],
    )
}

/// HTTP statuses, the usual ones more often than the rest.
fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => prop::sample::select(
            &[200u16, 201, 204, 301, 302, 307, 400, 401, 403, 404, 405, 409, 429, 500, 502, 503][..]
        ),
        1 => 100u16..=599,
    ]
}

/// A status that is mostly 200, so the body gets read.
fn mostly_ok() -> impl Strategy<Value = u16> {
    prop_oneof![3 => Just(200u16), 1 => status()]
}

/// A body: arbitrary bytes, or `json` serialised, maybe cut short, behind a byte-order mark or
/// inside an HTML page.
fn body(json: BoxedStrategy<Value>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => bytes(1024),
        4 => json.prop_map(|v| v.to_string().into_bytes()),
        1 => (json_value(), any::<prop::sample::Index>()).prop_map(|(v, cut)| {
            let text = v.to_string().into_bytes();
            let at = cut.index(text.len() + 1);
            text[..at].to_vec()
        }),
        1 => json_value().prop_map(|v| format!("\u{feff}{v}").into_bytes()),
        1 => (prop::sample::select(&["<!DOCTYPE html>", "  <html>", "<HTML lang=en>", "<p>"][..]), chars(64))
            .prop_map(|(start, rest)| format!("{start}{rest}").into_bytes()),
    ]
}

fn fetched(
    url: &str,
    status: u16,
    content_type: Option<Vec<u8>>,
    location: Option<String>,
    body: Vec<u8>,
) -> HttpResponse {
    HttpResponse {
        url: url.to_owned(),
        status: StatusCode::from_u16(status).expect("a status from 100 to 599"),
        headers: headers(content_type, location),
        body,
        elapsed: Duration::ZERO,
    }
}

fn non_empty(what: &str, message: &str) -> Result<(), TestCaseError> {
    prop_assert!(!message.trim().is_empty(), "{what}: empty error message");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// JWTs (compact JWS) and pasted claims.

fn b64(data: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

/// One part of a token: mostly base64url of a JSON object, else of other JSON, of bytes, padded,
/// or characters that are not base64url at all.
fn jwt_part() -> BoxedStrategy<String> {
    prop_oneof![
        4 => json_value().prop_map(|v| match v {
            Value::Object(map) => b64(Value::Object(map).to_string()),
            other => b64(json!({ "v": other }).to_string()),
        }),
        2 => json_value().prop_map(|v| b64(v.to_string())),
        1 => bytes(48).prop_map(b64),
        1 => (json_value(), 1usize..3).prop_map(|(v, pad)| format!("{}{}", b64(v.to_string()), "=".repeat(pad))),
        1 => bytes(48).prop_map(|b| STANDARD.encode(b)),
        1 => "[A-Za-z0-9_=+/!. -]{0,24}",
        1 => Just(String::new()),
    ]
    .boxed()
}

/// A token: one to six parts with dots, maybe behind `Bearer ` and white space.
fn jwt_text() -> impl Strategy<Value = String> {
    let prefix = prop::sample::select(
        &[
            "",
            "",
            "",
            "Bearer ",
            "bearer   ",
            "BEARER\t",
            " \n",
            "Bearer",
        ][..],
    );
    let parts = prop_oneof![
        4 => prop::collection::vec(jwt_part(), 3),
        1 => prop::collection::vec(jwt_part(), 0..7),
    ];
    let suffix = prop::sample::select(&["", "", " ", "\r\n"][..]);
    (prefix, parts, suffix)
        .prop_map(|(prefix, parts, suffix)| format!("{prefix}{}{suffix}", parts.join(".")))
}

/// The token as `decode_unverified` reads it: trimmed, without a leading `Bearer `.
fn bare_token(text: &str) -> &str {
    let text = text.trim();
    match text.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("bearer ") => text[7..].trim_start(),
        _ => text,
    }
}

/// Why one part of a token cannot be read: "Base64", "NotJson", "NotObject", or fine.
fn part_problem(part: &str) -> Option<&'static str> {
    let Ok(bytes) = URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')) else {
        return Some("Base64");
    };
    match serde_json::from_slice::<Value>(&bytes) {
        Err(_) => Some("NotJson"),
        Ok(Value::Object(_)) => None,
        Ok(_) => Some("NotObject"),
    }
}

fn check_jwt(text: &str) -> Result<(), TestCaseError> {
    let bare = bare_token(text);
    let parts: Vec<&str> = bare.split('.').collect();
    match decode_unverified(text) {
        Ok(jwt) => {
            prop_assert_eq!(parts.len(), 3);
            prop_assert_eq!(&jwt.signing_input, &format!("{}.{}", parts[0], parts[1]));
            prop_assert_eq!(&jwt.signature, parts[2]);
            prop_assert_eq!(part_problem(parts[0]), None);
            prop_assert_eq!(part_problem(parts[1]), None);
        }
        Err(error) => {
            let message = error.to_string();
            non_empty("JWT", &message)?;
            let (part, kind) = match &error {
                JwtError::Empty => {
                    prop_assert!(bare.is_empty());
                    return Ok(());
                }
                JwtError::Encrypted => {
                    prop_assert_eq!(parts.len(), 5);
                    return Ok(());
                }
                JwtError::NotCompact { parts: found } => {
                    prop_assert_eq!(*found, parts.len());
                    prop_assert!(message.contains(&found.to_string()), "{message}");
                    return Ok(());
                }
                JwtError::Base64 { part, detail } => {
                    non_empty("base64 detail", detail)?;
                    (*part, "Base64")
                }
                JwtError::NotJson { part, detail } => {
                    non_empty("JSON detail", detail)?;
                    (*part, "NotJson")
                }
                JwtError::NotObject { part, .. } => (*part, "NotObject"),
                other => return Err(TestCaseError::fail(format!("unexpected error {other:?}"))),
            };
            prop_assert!(
                message.contains(part),
                "the error does not name the {part}: {message}"
            );
            prop_assert_eq!(parts.len(), 3);
            // The header is read first: the part named is the first one that is broken.
            let expected = match part_problem(parts[0]) {
                Some(problem) => ("header", problem),
                None => ("payload", part_problem(parts[1]).unwrap_or("none")),
            };
            prop_assert_eq!((part, kind), expected);
        }
    }
    Ok(())
}

/// A well-formed, unsigned token around a random payload.
fn token_with(header: &Value, payload: &Value) -> String {
    format!(
        "{}.{}.{}",
        b64(header.to_string()),
        b64(payload.to_string()),
        b64("sig")
    )
}

/// Text a person might paste as claims: a token, an object by source whose values have random
/// types, a bare object, JSON of another kind, or anything.
fn pasted_text() -> impl Strategy<Value = String> {
    let token = (json_value(), json_value()).prop_map(|(h, p)| {
        let wrap = |v: Value| if v.is_object() { v } else { json!({ "x": v }) };
        token_with(&wrap(h), &wrap(p))
    });
    let source_value = prop_oneof![
        3 => json_value(),
        2 => token.clone().prop_map(Value::String),
        1 => jwt_text().prop_map(Value::String),
        1 => Just(Value::String("a.b.c.d.e".into())),
        1 => Just(json!([{"source": "userinfo", "reason": {"kind": "not_requested"}}])),
    ]
    .boxed();
    let by_source = object_with(
        &[
            "id_token",
            "userinfo",
            "access_token",
            "unavailable",
            "token_type",
        ],
        source_value,
    )
    .prop_map(|m| Value::Object(m).to_string());
    prop_oneof![
        3 => by_source,
        1 => token.clone(),
        1 => token.prop_map(|t| Value::String(t).to_string()),
        1 => json_value().prop_map(|v| v.to_string()),
        1 => jwt_text(),
        1 => chars(64),
    ]
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn jwts_of_random_parts_are_read_or_refused_naming_the_part(text in jwt_text()) {
        check_jwt(&text)?;
    }

    #[test]
    fn any_text_is_read_as_a_jwt_or_refused(text in prop_oneof![chars(128), "[a-zA-Z0-9_=.-]{0,64}"]) {
        check_jwt(&text)?;
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn pasted_claims_are_read_or_refused_naming_the_path(text in pasted_text()) {
        match parse_pasted(&text) {
            Ok(pasted) => {
                for key in &pasted.ignored_keys {
                    prop_assert!(!["id_token", "userinfo", "access_token"].contains(&key.as_str()));
                }
            }
            Err(error) => {
                let message = error.to_string();
                non_empty("pasted claims", &message)?;
                if let Some(path) = error.path() {
                    prop_assert!(message.contains(path), "{message} does not name {path}");
                    let key = path.strip_prefix("$.");
                    prop_assert!(
                        path == "$" || key.is_some_and(|k| ["id_token", "userinfo", "access_token"].contains(&k)),
                        "unexpected path {path}"
                    );
                }
                if let ClaimsError::Syntax { line, column, .. } = error {
                    prop_assert!(line >= 1 && column >= 1);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Discovery: the document as fetched, its fields judged, the URL pasted.

const DOCUMENT_URL: &str = "https://idp.example.com/.well-known/openid-configuration";

const METADATA_FIELDS: &[&str] = &[
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "end_session_endpoint",
    "scopes_supported",
    "response_types_supported",
    "response_modes_supported",
    "grant_types_supported",
    "code_challenge_methods_supported",
    "token_endpoint_auth_methods_supported",
    "id_token_signing_alg_values_supported",
    "claims_supported",
    "authorization_response_iss_parameter_supported",
];

/// A value a provider might put in a metadata field: a URL, a list of the usual words, a
/// boolean, or anything.
fn metadata_value() -> BoxedStrategy<Value> {
    let word = prop::sample::select(
        &[
            "openid",
            "email",
            "code",
            "id_token",
            "query",
            "form_post",
            "S256",
            "plain",
            "RS256",
            "ES256",
            "none",
            "client_secret_basic",
            "authorization_code",
            "sub",
            "",
        ][..],
    )
    .prop_map(|w| Value::String(w.to_owned()));
    prop_oneof![
        3 => url_text().prop_map(Value::String),
        1 => Just(Value::String(DOCUMENT_URL.trim_end_matches(WELL_KNOWN).to_owned())),
        2 => prop::collection::vec(prop_oneof![4 => word.clone(), 1 => json_value()], 0..5).prop_map(Value::Array),
        1 => word,
        1 => any::<bool>().prop_map(Value::Bool),
        2 => json_value(),
    ]
    .boxed()
}

fn metadata_document() -> impl Strategy<Value = Map<String, Value>> {
    object_with(METADATA_FIELDS, metadata_value())
}

/// A valid directory document (its logo is encoded once: that takes a while in a debug build).
static STAFF_DOCUMENT: LazyLock<DirectoryDocument> =
    LazyLock::new(|| sso_console::testing::directory_document("Staff"));

/// Directory settings to judge a provider against, with random endpoints and options.
fn settings() -> impl Strategy<Value = Option<DirectoryDocument>> {
    let urls = prop::collection::vec(prop::option::of(url_text()), 3);
    let scopes = prop_oneof![Just("openid email profile".to_owned()), "[a-z ]{0,20}"];
    prop::option::weighted(
        0.7,
        (urls, scopes, any::<[bool; 3]>()).prop_map(|(urls, scopes, [pkce, form_post, basic])| {
            let mut doc = STAFF_DOCUMENT.clone();
            doc.issuer.clone_from(&urls[0]);
            doc.userinfo_url.clone_from(&urls[1]);
            doc.jwks_uri.clone_from(&urls[2]);
            doc.scopes = scopes;
            doc.pkce = pkce;
            doc.response_mode_form_post = form_post;
            doc.token_endpoint_basic_auth = basic;
            doc
        }),
    )
}

proptest! {
    #![proptest_config(config(384))]

    #[test]
    fn fetched_discovery_answers_are_read_or_refused_naming_the_url(
        status in mostly_ok(),
        content_type in content_type(),
        location in prop::option::of(url_text()),
        body in body(metadata_document().prop_map(Value::Object).boxed()),
    ) {
        let response = fetched(DOCUMENT_URL, status, content_type, location, body.clone());
        match parse_document(&response) {
            Ok(object) => {
                prop_assert!((200..300).contains(&status));
                prop_assert_eq!(serde_json::from_slice::<Value>(&body).ok(), Some(Value::Object(object)));
            }
            Err(error) => {
                let message = error.to_string();
                non_empty("discovery", &message)?;
                prop_assert!(message.contains(DOCUMENT_URL), "{message}");
                match error {
                    DiscoveryError::Status { status: s, hint, .. } => {
                        prop_assert_eq!(s, status);
                        non_empty("hint", &hint)?;
                    }
                    DiscoveryError::Redirect { location, .. } => {
                        prop_assert!((300..400).contains(&status));
                        non_empty("location", &location)?;
                    }
                    DiscoveryError::InvalidJson { detail, .. } => {
                        prop_assert!(serde_json::from_slice::<Value>(&body).is_err());
                        non_empty("JSON detail", &detail)?;
                    }
                    DiscoveryError::NotAnObject { found, .. } => {
                        prop_assert!(serde_json::from_slice::<Value>(&body).is_ok_and(|v| !v.is_object()));
                        prop_assert!(found.contains("JSON"), "{found}");
                    }
                    DiscoveryError::Html { .. } => prop_assert!((200..300).contains(&status)),
                    other => return Err(TestCaseError::fail(format!("unexpected error {other:?}"))),
                }
            }
        }
    }

    #[test]
    fn provider_metadata_of_random_types_is_judged_field_by_field(
        document in metadata_document(),
        settings in settings(),
        keys in prop::option::of(key_set_document()),
        failure in text(),
    ) {
        let (metadata, odd) = ProviderMetadata::read(&document);
        for field in &odd {
            let value = document.get(field.name);
            prop_assert!(value.is_some(), "{} is reported but absent", field.name);
            prop_assert!(field.expected != field.found);
        }
        let key_set = match keys {
            None if failure.is_empty() => KeySetOutcome::NotFetched,
            None => KeySetOutcome::Failed { message: failure },
            Some(doc) => match summarise_key_set(doc.to_string().as_bytes()) {
                Ok(summary) => KeySetOutcome::Fetched { summary },
                Err(e) => KeySetOutcome::Failed { message: e.to_string() },
            },
        };
        let url = url::Url::parse(DOCUMENT_URL).expect("a valid URL");
        for finding in judge(&url, &document, &metadata, &odd, settings.as_ref(), &key_set) {
            non_empty("finding code", &finding.code)?;
            non_empty(&finding.code, &finding.message)?;
            if let Some(field) = &finding.field {
                non_empty("finding field", field)?;
            }
        }
    }
}

/// Checks a parser's refusal: a message that quotes what was typed (unless nothing was).
fn quotes_input(what: &str, input: &str, message: &str) -> Result<(), TestCaseError> {
    non_empty(what, message)?;
    let trimmed = input.trim();
    if !trimmed.is_empty() {
        prop_assert!(
            message.contains(&format!("\"{trimmed}\"")),
            "{what}: {message:?} does not quote {trimmed:?}"
        );
    }
    Ok(())
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn pasted_discovery_domains_become_well_known_urls_or_are_refused(
        input in prop_oneof![4 => url_text(), 1 => chars(48)],
    ) {
        match discovery_url(&input) {
            Ok(url) => {
                prop_assert!(url.path().ends_with(WELL_KNOWN), "{url}");
                prop_assert!(url.scheme() == "https" || (url.scheme() == "http" && is_loopback(&url)), "{url}");
                prop_assert!(url.fragment().is_none() && url.username().is_empty() && url.password().is_none());
                let mut without_query = url.clone();
                without_query.set_query(None);
                prop_assert_eq!(format!("{}{WELL_KNOWN}", expected_issuer(&url)), without_query.to_string());
            }
            Err(message) => quotes_input("discovery domain", &input, &message)?,
        }
    }

    #[test]
    fn endpoint_and_tenant_urls_are_accepted_or_refused_quoting_the_text(
        input in prop_oneof![4 => url_text(), 1 => chars(48)],
    ) {
        match EndpointUrl::parse(&input) {
            Ok(endpoint) => {
                prop_assert_eq!(endpoint.as_str(), input.trim());
                let url = endpoint.url();
                prop_assert!(url.scheme() == "https" || (url.scheme() == "http" && is_loopback(url)), "{url}");
                prop_assert!(url.fragment().is_none() && url.username().is_empty() && url.password().is_none());
            }
            Err(message) => quotes_input("endpoint URL", &input, &message)?,
        }
        match BaseUrl::parse(&input) {
            Ok(base) => {
                prop_assert!(!base.as_str().ends_with('/'), "{}", base.as_str());
                prop_assert!(!base.as_str().contains('?'), "{}", base.as_str());
            }
            Err(message) => quotes_input("tenant URL", &input, &message)?,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Key sets.

/// One key: the usual members with random values, the right kinds of values more often.
fn jwk() -> BoxedStrategy<Value> {
    let kty = prop_oneof![
        4 => prop::sample::select(&["RSA", "EC", "OKP", "oct", "rsa", ""][..]).prop_map(|k| Value::String(k.into())),
        1 => json_value(),
    ]
    .boxed();
    let member = prop_oneof![
        3 => bytes(40).prop_map(|b| Value::String(b64(b))),
        1 => prop::sample::select(&["AQAB", "sig", "enc", "P-256", "Ed25519", "RS256", "ES256", "HS256"][..])
            .prop_map(|w| Value::String(w.into())),
        1 => json_value(),
    ]
    .boxed();
    let key = (
        kty,
        object_with(
            &["use", "kid", "alg", "crv", "n", "e", "x", "y", "k"],
            member,
        ),
    )
        .prop_map(|(kty, mut key)| {
            key.insert("kty".into(), kty);
            Value::Object(key)
        });
    prop_oneof![5 => key, 1 => json_value()].boxed()
}

/// A key set document: `keys` a list of keys, usually, else anything.
fn key_set_document() -> BoxedStrategy<Value> {
    let keys = prop_oneof![
        5 => prop::collection::vec(jwk(), 0..5).prop_map(Value::Array),
        1 => json_value(),
    ];
    prop_oneof![
        5 => (keys, prop::collection::vec((text(), json_value()), 0..2)).prop_map(|(keys, extra)| {
            let mut doc: Map<String, Value> = extra.into_iter().collect();
            doc.insert("keys".into(), keys);
            Value::Object(doc)
        }),
        1 => json_value(),
    ]
    .boxed()
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn key_sets_are_summarised_key_by_key_or_refused(
        body in prop_oneof![4 => key_set_document().prop_map(|d| d.to_string().into_bytes()), 1 => body(key_set_document())],
    ) {
        let parsed = serde_json::from_slice::<Value>(&body);
        match summarise_key_set(&body) {
            Ok(summary) => {
                let listed = parsed.ok().and_then(|d| d.get("keys").and_then(Value::as_array).map(Vec::len));
                prop_assert_eq!(listed, Some(summary.keys.len()));
                let usable = summary.keys.iter().filter(|k| k.usable_for_signatures).count();
                prop_assert_eq!(summary.signing_keys as usize, usable);
                for key in &summary.keys {
                    match &key.problem {
                        None => {
                            prop_assert!(key.usable_for_signatures);
                            prop_assert!(matches!(key.kty.as_deref(), Some("RSA" | "EC" | "OKP")));
                            prop_assert_ne!(key.key_use.as_deref(), Some("enc"));
                        }
                        Some(problem) => {
                            prop_assert!(!key.usable_for_signatures);
                            non_empty("key problem", problem)?;
                        }
                    }
                }
            }
            Err(error) => {
                let message = error.to_string();
                non_empty("key set", &message)?;
                prop_assert!(message.contains("key set"), "{message}");
                match error {
                    KeySetError::NotJson(detail) => {
                        prop_assert!(parsed.is_err());
                        non_empty("JSON detail", &detail)?;
                    }
                    KeySetError::NoKeysArray => {
                        prop_assert!(parsed.is_ok_and(|d| !d.get("keys").is_some_and(Value::is_array)));
                    }
                }
            }
        }
    }
}

/// One key as the sign-in's verification reads it: the token's families, kids that match the
/// token's or not, parameters of random bytes, a real public key sometimes.
fn verification_key() -> BoxedStrategy<Value> {
    let member = prop_oneof![
        3 => bytes(64).prop_map(|b| Value::String(b64(b))),
        1 => prop::sample::select(&["AQAB", "P-256", "P-384", "Ed25519", "X25519", ""][..]).prop_map(|w| Value::String(w.into())),
        1 => json_value(),
    ]
    .boxed();
    let random = (
        prop::sample::select(&["RSA", "EC", "OKP", "oct", "RSA-X"][..]),
        prop::option::of(prop::sample::select(&["k1", "k2", "other"][..])),
        prop::option::of(prop::sample::select(&["sig", "enc", "x"][..])),
        prop::option::of(prop::sample::select(
            &["RS256", "ES256", "PS256", "EdDSA", "HS256", "ES384", "none"][..],
        )),
        object_with(&["n", "e", "x", "y", "crv", "k"], member),
    )
        .prop_map(|(kty, kid, key_use, alg, mut key)| {
            key.insert("kty".into(), kty.into());
            let mut put = |name: &str, value: Option<&str>| {
                if let Some(value) = value {
                    key.insert(name.into(), value.into());
                }
            };
            put("kid", kid);
            put("use", key_use);
            put("alg", alg);
            Value::Object(key)
        });
    prop_oneof![6 => random, 2 => Just(SIGNING_KEY.jwk()), 1 => json_value()].boxed()
}

/// The key real tokens of these properties are signed with (ES256, kid `k1`).
static SIGNING_KEY: LazyLock<sso_console::testing::tokens::TestKey> =
    LazyLock::new(|| sso_console::testing::tokens::TestKey::generate("k1"));

/// Claims of an ID token, of the right types mostly: times far off or out of range, audiences
/// as lists, a nonce that matches or not.
fn id_token_claims() -> impl Strategy<Value = Map<String, Value>> {
    let time = prop_oneof![
        3 => (-4_000i64..4_000).prop_map(|d| Value::from(NOW + d)),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        1 => prop::sample::select(&[1e300, -1e300, 9.3e18, -9.3e18, 0.5][..]).prop_map(|f| json!(f)),
        1 => json_value(),
    ]
    .boxed();
    let claim = prop_oneof![
        2 => prop::sample::select(&["https://idp.example.com", "client-123", "n-1", "other"][..]).prop_map(|s| Value::String(s.into())),
        1 => Just(json!(["client-123", "other"])),
        1 => bytes(16).prop_map(|b| Value::String(b64(b))),
        1 => json_value(),
    ]
    .boxed();
    (
        object_with(&["iss", "aud", "azp", "nonce", "sub", "at_hash"], claim),
        object_with(&["exp", "iat", "nbf", "auth_time"], time),
    )
        .prop_map(|(mut claims, times)| {
            claims.extend(times);
            claims
        })
}

const NOW: i64 = 1_700_000_000;

/// An ID token: a random header over random claims, or one really signed.
fn id_token() -> impl Strategy<Value = String> {
    let header = (
        prop::sample::select(
            &[
                "RS256", "ES256", "ES384", "PS256", "EdDSA", "HS256", "HS512", "none", "", "RS1",
            ][..],
        ),
        prop::option::of(prop::sample::select(&["k1", "k2", "other"][..])),
        object_with(&["typ", "crit", "cty", "jku"], json_value()),
    )
        .prop_map(|(alg, kid, mut header)| {
            header.insert("alg".into(), alg.into());
            if let Some(kid) = kid {
                header.insert("kid".into(), kid.into());
            }
            Value::Object(header)
        });
    let signature = prop_oneof![bytes(80).prop_map(b64), "[A-Za-z0-9_=+/-]{0,12}"];
    prop_oneof![
        3 => (header, id_token_claims(), signature).prop_map(|(header, claims, signature)| {
            format!("{}.{}.{signature}", b64(header.to_string()), b64(Value::Object(claims).to_string()))
        }),
        1 => (id_token_claims(), any::<bool>()).prop_map(|(claims, with_kid)| SIGNING_KEY.sign(&Value::Object(claims), with_kid)),
    ]
}

proptest! {
    #![proptest_config(config(384))]

    #[test]
    fn id_tokens_are_verified_against_random_key_sets_line_by_line(
        token in id_token(),
        keys in prop_oneof![4 => prop::collection::vec(verification_key(), 0..4).prop_map(Ok), 1 => "the key set failed[a-z ]{0,12}".prop_map(Err)],
        issuer in prop::option::of(prop::sample::select(&["https://idp.example.com", "https://other.example"][..])),
        algorithms in prop::option::of(prop::collection::vec(prop::sample::select(&["RS256", "ES256", "none", "HS256"][..]).prop_map(str::to_owned), 0..3)),
        access_token in prop::option::of(text()),
        now in prop_oneof![4 => Just(NOW), 1 => any::<i64>()],
    ) {
        let jwt = decode_unverified(&token).expect("the token is well formed");
        let expectations = Expectations {
            client_id: "client-123",
            client_secret: "secret",
            issuer,
            nonce: "n-1",
            access_token: access_token.as_deref(),
            keys: keys.as_deref().map_err(Clone::clone),
            id_token_signing_algs: algorithms.as_deref().ok_or_else(|| "not known".to_owned()),
            now,
        };
        let checks = verify_id_token(&jwt, &expectations);
        prop_assert!(!checks.is_empty());
        for check in &checks {
            non_empty("check name", check.name.as_str())?;
            non_empty(check.name.as_str(), &check.detail)?;
        }
        let signature = checks.iter().find(|c| c.name == "Signature");
        prop_assert!(signature.is_some(), "no signature line");
        if matches!(jwt.header_str("alg"), Some("none" | "") | None) {
            prop_assert_eq!(signature.map(|c| c.outcome), Some(CheckOutcome::Fail));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The logo's PNG check.

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Writes one chunk: its length (or a lie), type, data, and a right or wrong CRC.
fn chunk(kind: [u8; 4], data: &[u8], good_crc: bool, length: Option<u32>) -> Vec<u8> {
    let mut out = length.unwrap_or(data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(&kind);
    out.extend_from_slice(data);
    let crc = sso_console::testing::png::crc32(&[&kind[..], data].concat());
    out.extend_from_slice(&if good_crc { crc } else { crc ^ 1 }.to_be_bytes());
    out
}

/// An IHDR of random dimensions, depths, colour types and methods; the logo's size often.
fn ihdr_data() -> impl Strategy<Value = Vec<u8>> {
    (
        prop_oneof![3 => Just(LOGO_WIDTH), 1 => 0u32..300, 1 => any::<u32>()],
        prop_oneof![3 => Just(LOGO_HEIGHT), 1 => 0u32..64, 1 => any::<u32>()],
        prop::sample::select(&[8u8, 8, 1, 2, 4, 16, 3, 0][..]),
        prop::sample::select(&[6u8, 2, 3, 0, 4, 1, 7][..]),
        prop::collection::vec(prop_oneof![3 => Just(0u8), 1 => 0u8..3], 3),
    )
        .prop_map(|(w, h, depth, colour, methods)| {
            let mut data = w.to_be_bytes().to_vec();
            data.extend_from_slice(&h.to_be_bytes());
            data.extend_from_slice(&[depth, colour]);
            data.extend_from_slice(&methods);
            data
        })
}

/// Any other chunk: a known or random type with random data (zlib's header first, sometimes).
fn other_chunk() -> impl Strategy<Value = ([u8; 4], Vec<u8>)> {
    let kind = prop_oneof![
        3 => prop::sample::select(vec![*b"IDAT", *b"PLTE", *b"IEND", *b"tEXt", *b"tRNS", *b"acTL", *b"iCCP", *b"IHDR"]),
        1 => any::<[u8; 4]>(),
    ];
    let data = prop_oneof![
        bytes(256),
        bytes(256).prop_map(|b| [&[0x78, 0x9c][..], &b].concat()),
        bytes(256).prop_map(|b| [&[0x78, 0x01, 0x01][..], &b].concat()),
    ];
    (kind, data)
}

/// A signature, usually an IHDR, then random chunks: CRCs right (mostly) or wrong, lengths
/// true (mostly) or lying.
fn png_of_chunks() -> impl Strategy<Value = Vec<u8>> {
    let flags = || {
        (
            prop::bool::weighted(0.9),
            prop::option::weighted(0.05, any::<u32>()),
        )
    };
    (
        prop::option::weighted(0.8, (ihdr_data(), flags())),
        prop::collection::vec((other_chunk(), flags()), 0..5),
    )
        .prop_map(|(ihdr, others)| {
            let mut file = PNG_SIGNATURE.to_vec();
            if let Some((data, (good_crc, length))) = ihdr {
                file.extend(chunk(*b"IHDR", &data, good_crc, length));
            }
            for ((kind, data), (good_crc, length)) in others {
                file.extend(chunk(kind, &data, good_crc, length));
            }
            file
        })
}

/// Recomputes every chunk's CRC that it can reach, so that changed bytes get past the CRC check
/// and into the decoder.
fn with_fixed_crcs(mut file: Vec<u8>) -> Vec<u8> {
    let mut at = PNG_SIGNATURE.len();
    while at + 12 <= file.len() {
        let length = u32::from_be_bytes(file[at..at + 4].try_into().expect("4 bytes")) as usize;
        let end = at + 8 + length;
        if end + 4 > file.len() {
            break;
        }
        let crc = sso_console::testing::png::crc32(&file[at + 4..end]);
        file[end..end + 4].copy_from_slice(&crc.to_be_bytes());
        at = end + 4;
    }
    file
}

/// A real PNG (of the logo's size, mostly) with bytes changed, CRCs fixed or not, and its end
/// cut sometimes.
fn damaged_png() -> impl Strategy<Value = Vec<u8>> {
    (
        prop_oneof![3 => Just((LOGO_WIDTH, LOGO_HEIGHT)), 1 => (1u32..300, 1u32..48)],
        prop::sample::select(&[png::Kind::Rgba, png::Kind::Rgb, png::Kind::Palette][..]),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
        any::<bool>(),
        prop::option::weighted(0.2, any::<prop::sample::Index>()),
    )
        .prop_map(|((w, h), kind, flips, fix_crcs, cut)| {
            let mut file = png::encode(w, h, kind);
            for (at, bits) in flips {
                // Past the signature, so the file stays a PNG.
                let at = PNG_SIGNATURE.len() + at.index(file.len() - PNG_SIGNATURE.len());
                file[at] ^= bits;
            }
            if fix_crcs {
                file = with_fixed_crcs(file);
            }
            if let Some(cut) = cut {
                file.truncate(cut.index(file.len() + 1));
            }
            file
        })
}

/// A file for the logo check: anything, a signature and random chunks, or a damaged real PNG.
fn png_file() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => bytes(512),
        1 => bytes(64).prop_map(|b| [&PNG_SIGNATURE[..4], &b].concat()),
        4 => png_of_chunks(),
        4 => damaged_png(),
    ]
}

fn check_logo(file: &[u8]) -> Result<(), TestCaseError> {
    match logo::check(file) {
        Ok(info) => {
            prop_assert_eq!((info.width, info.height), (LOGO_WIDTH, LOGO_HEIGHT));
            prop_assert_eq!(info.bytes as usize, file.len());
            prop_assert!(file.starts_with(PNG_SIGNATURE) && file.len() < LOGO_MAX_BYTES);
        }
        Err(error) => {
            let message = error.to_string();
            non_empty("logo", &message)?;
            match error {
                LogoError::Empty => prop_assert!(file.is_empty()),
                LogoError::NotPng { found } => {
                    prop_assert!(!file.starts_with(PNG_SIGNATURE));
                    prop_assert!(message.contains(found), "{message}");
                }
                LogoError::WrongSize { width, height } => {
                    let declared = |at: usize| {
                        u32::from_be_bytes(file[at..at + 4].try_into().expect("4 bytes"))
                    };
                    prop_assert_eq!((width, height), (declared(16), declared(20)));
                    prop_assert!(message.contains(&format!("{width}×{height}")), "{message}");
                }
                LogoError::Corrupt { detail } => non_empty("PNG damage", &detail)?,
                other => return Err(TestCaseError::fail(format!("unexpected error {other:?}"))),
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(320))]

    #[test]
    fn png_files_are_accepted_or_refused_with_their_reason(file in png_file()) {
        check_logo(&file)?;
    }

    #[test]
    fn base64_logos_are_decoded_and_checked_or_refused(
        text in prop_oneof![
            2 => png_file().prop_map(|f| STANDARD.encode(f)),
            1 => png_file().prop_map(|f| format!("  {}\n", STANDARD.encode(f))),
            1 => chars(64),
        ],
    ) {
        match Logo::from_base64(&text) {
            Ok(logo) => prop_assert!(logo::check(logo.bytes()).is_ok()),
            Err(error) => {
                non_empty("logo", &error.to_string())?;
                if let Ok(file) = STANDARD.decode(text.trim()) {
                    prop_assert_ne!(&error, &LogoError::Base64);
                    check_logo(&file)?;
                } else {
                    prop_assert_eq!(error, LogoError::Base64);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Domain suffixes, email addresses and directory documents.

/// One label of a domain: ASCII, capitals, punycode, internationalised, too long, odd.
fn label() -> BoxedStrategy<String> {
    prop_oneof![
        10 => "[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?",
        1 => "[a-z0-9-]{1,10}",
        1 => "[A-Z]{1,5}",
        1 => "xn--[a-z0-9-]{0,8}",
        1 => "[a-z]{60,66}",
        1 => "[0-9]{1,3}",
        3 => prop::sample::select(
            &[
                "bücher", "例え", "テスト", "ｅｘａｍｐｌｅ", "ß", "İ", "ﬁ", "a\u{200d}b", "\u{301}a",
                "٠١", "ⓐ", "_x", "a--b", "-", "ab--", "xn--", "xn--zz", "\u{fe0f}", "😀", "a_b", "",
            ][..]
        )
        .prop_map(str::to_owned),
        1 => chars(6),
    ]
    .boxed()
}

/// A domain name of random labels, mostly joined by dots.
fn domain_name() -> BoxedStrategy<String> {
    let separator = prop_oneof![
        12 => Just("."),
        1 => prop::sample::select(&["\u{3002}", "\u{ff0e}", "..", "", "\u{2024}"][..]),
    ];
    prop::collection::vec((label(), separator), 1..6)
        .prop_map(|labels| {
            let mut domain = String::new();
            for (i, (label, separator)) in labels.iter().enumerate() {
                if i > 0 {
                    domain.push_str(separator);
                }
                domain.push_str(label);
            }
            domain
        })
        .boxed()
}

/// A domain as typed: white space around and a trailing dot, sometimes.
fn domain() -> BoxedStrategy<String> {
    let ends = prop::sample::select(&["", "", "", "", " ", "\t", "."][..]);
    (ends.clone(), domain_name(), ends)
        .prop_map(|(before, domain, after)| format!("{before}{domain}{after}"))
        .boxed()
}

fn check_suffix(input: &str) -> Result<(), TestCaseError> {
    match DomainSuffix::parse(input) {
        Ok(suffix) => {
            let ascii = suffix.as_str();
            prop_assert_eq!(suffix.to_string(), ascii);
            prop_assert!(ascii.len() <= 253, "{ascii}");
            let labels: Vec<&str> = ascii.split('.').collect();
            prop_assert!(labels.len() >= 2, "{ascii}");
            for label in &labels {
                prop_assert!((1..=63).contains(&label.len()), "{ascii}");
                prop_assert!(
                    label
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                    "{ascii}"
                );
                prop_assert!(!label.starts_with('-') && !label.ends_with('-'), "{ascii}");
            }
            prop_assert!(
                !labels[labels.len() - 1].bytes().all(|b| b.is_ascii_digit()),
                "{ascii}"
            );
            // Normal forms are stable, and an address in the domain matches it.
            let again = DomainSuffix::parse(ascii);
            prop_assert_eq!(again.as_ref(), Ok(&suffix));
            let address = format!("ann@{ascii}");
            prop_assert!(
                suffix.matches_email(&address),
                "{address} does not match {ascii}"
            );
        }
        Err(message) => quotes_input("domain suffix", input, &message)?,
    }
    Ok(())
}

/// An address: a local part (quoted, empty, with `@`…), some `@`s, and a domain.
fn email() -> impl Strategy<Value = String> {
    let local = prop_oneof![
        6 => "[a-zA-Z0-9._+-]{1,10}",
        1 => prop::sample::select(&["\"a@b\"", "\"", "\"\"", "@", "", "Ann Lee", "ann\u{a0}lee", "\"a b\""][..]).prop_map(str::to_owned),
        1 => chars(6),
    ];
    let at = prop_oneof![8 => Just("@"), 1 => prop::sample::select(&["", "@@", "＠", "@ "][..])];
    let space = prop::sample::select(&["", "", "", " ", "\n"][..]);
    (space.clone(), local, at, domain_name(), space)
        .prop_map(|(a, local, at, domain, b)| format!("{a}{local}{at}{domain}{b}"))
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn domain_suffixes_are_normalised_or_refused_quoting_the_entry(
        input in prop_oneof![4 => domain(), 1 => chars(32)],
    ) {
        check_suffix(&input)?;
    }

    #[test]
    fn domain_suffix_lists_are_split_and_checked_entry_by_entry(
        entries in prop::collection::vec(prop_oneof![3 => domain(), 1 => Just(String::new()), 1 => chars(8)], 0..4),
    ) {
        let list = entries.join(",");
        match DomainSuffix::parse_list(&[list.as_str()]) {
            Ok(suffixes) => {
                for (i, a) in suffixes.iter().enumerate() {
                    prop_assert!(!suffixes[..i].contains(a), "{a} listed twice");
                }
                if !list.trim().is_empty() {
                    prop_assert_eq!(suffixes.len(), list.split(',').count());
                }
            }
            Err(message) => non_empty("domain suffix list", &message)?,
        }
    }

    #[test]
    fn email_addresses_are_split_or_refused_quoting_the_address(
        input in prop_oneof![4 => email(), 1 => chars(32)],
    ) {
        match EmailAddress::parse(&input) {
            Ok(address) => {
                prop_assert_eq!(address.as_str(), input.trim());
                let (_, domain) = input.trim().rsplit_once('@').expect("an @");
                let suffix = DomainSuffix::parse(domain).expect("the domain is a suffix");
                prop_assert_eq!(address.domain(), suffix.as_str());
                prop_assert!(!address.domain_unicode().is_empty());
            }
            Err(error) => {
                let message = error.to_string();
                non_empty("email", &message)?;
                if error != EmailError::Empty {
                    prop_assert!(message.contains(&format!("\"{}\"", input.trim())), "{message}");
                }
                if let EmailError::Domain { detail, .. } = &error {
                    non_empty("domain detail", detail)?;
                }
            }
        }
    }
}

/// A value of the right type for a directory document's field, mostly; anything, seldom.
fn document_field(field: &'static str) -> BoxedStrategy<Value> {
    let string = |s: BoxedStrategy<String>| s.prop_map(Value::String).boxed();
    let optional = |s: BoxedStrategy<Value>| prop_oneof![4 => s, 1 => Just(Value::Null)].boxed();
    let typed = match field {
        "id" => optional(string(
            prop_oneof![
                Just(uuid::Uuid::new_v4().to_string()),
                Just("00000000-0000-0000-0000-000000000000".to_owned()),
                text(),
            ]
            .boxed(),
        )),
        "logo_png_base64" => prop_oneof![
            3 => png_file().prop_map(|f| Value::String(STANDARD.encode(f))),
            1 => Just(Value::String(String::new())),
            1 => text().prop_map(Value::String),
        ]
        .boxed(),
        "discovery_domain" | "userinfo_url" | "issuer" | "jwks_uri" => optional(string(url_text())),
        "authorization_url" | "token_url" => string(url_text()),
        "scopes" => string(
            prop_oneof![
                Just("openid email profile".to_owned()),
                "[a-z \t\"\\\\]{0,20}".boxed(),
                chars(8).boxed()
            ]
            .boxed(),
        ),
        "client_secret_expires_on" => optional(string(
            prop::sample::select(
                &[
                    "2031-02-29",
                    "2030-01-01",
                    "2030-1-1",
                    "tomorrow",
                    "",
                    "9999-12-31",
                    "+10000-01-01",
                ][..],
            )
            .prop_map(str::to_owned)
            .boxed(),
        )),
        "pkce" | "response_mode_form_post" | "token_endpoint_basic_auth" | "is_hidden" => {
            any::<bool>().prop_map(Value::Bool).boxed()
        }
        "claims" => {
            let mapping = (
                text(),
                prop::sample::select(&["id_token", "userinfo", "access_token"][..]),
            )
                .prop_map(|(claim, source)| json!({"claim": claim, "source": source}));
            prop::collection::vec(mapping, 5)
                .prop_map(|m| {
                    json!({"external_id": m[0], "username": m[1], "email": m[2], "first_name": m[3], "last_name": m[4]})
                })
                .boxed()
        }
        "staff" => prop_oneof![
            Just(json!({"mode": "none"})),
            Just(json!({"mode": "always"})),
            text().prop_map(|claim| json!({"mode": "claim_exists", "claim": claim})),
            (text(), text()).prop_map(
                |(claim, value)| json!({"mode": "claim_equals", "claim": claim, "value": value})
            ),
        ]
        .boxed(),
        "domain_suffixes" => prop::collection::vec(domain().prop_map(Value::String), 0..4)
            .prop_map(Value::Array)
            .boxed(),
        "test_redirect_port" => optional(any::<u16>().prop_map(Value::from).boxed()),
        // name, client_id, new_contact_member_type, new_contact_status
        _ => string(prop_oneof![4 => text(), 1 => "[a-z]{95,105}".boxed()].boxed()),
    };
    prop_oneof![30 => typed, 1 => json_value()].boxed()
}

const DOCUMENT_FIELDS: &[&str] = &[
    "id",
    "name",
    "logo_png_base64",
    "discovery_domain",
    "authorization_url",
    "token_url",
    "userinfo_url",
    "issuer",
    "jwks_uri",
    "scopes",
    "client_id",
    "client_secret_expires_on",
    "pkce",
    "response_mode_form_post",
    "token_endpoint_basic_auth",
    "new_contact_member_type",
    "new_contact_status",
    "claims",
    "staff",
    "is_hidden",
    "domain_suffixes",
    "test_redirect_port",
];

/// A directory document as a file might hold it: some of its fields, each with a value of its
/// type (an URL of random pieces, a damaged logo, odd dates and scopes), or seldom of another.
fn directory_json() -> impl Strategy<Value = Map<String, Value>> {
    let fields: Vec<_> = DOCUMENT_FIELDS
        .iter()
        .map(|field| prop::option::weighted(0.25, document_field(field)))
        .collect();
    fields.prop_map(|values| {
        DOCUMENT_FIELDS
            .iter()
            .zip(values)
            .filter_map(|(field, value)| Some(((*field).to_owned(), value?)))
            .collect()
    })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn directory_documents_are_read_and_checked_field_by_field(
        object in directory_json(),
        valid_base in prop::bool::weighted(0.8),
    ) {
        // Onto a valid document, or from nothing, the random fields are laid.
        let mut base = if valid_base {
            serde_json::to_value(&*STAFF_DOCUMENT)
                .expect("a document serialises")
                .as_object()
                .cloned()
                .expect("an object")
        } else {
            Map::new()
        };
        base.extend(object);
        let text = Value::Object(base).to_string();
        let doc = match serde_json::from_str::<DirectoryDocument>(&text) {
            Ok(doc) => doc,
            Err(error) => return non_empty("directory document", &error.to_string()),
        };
        match Directory::from_document(&doc) {
            Ok(directory) => {
                let again = directory.to_document();
                prop_assert_eq!(&again.name, doc.name.trim());
                for warning in directory.warnings() {
                    non_empty(&warning.field, &warning.message)?;
                }
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for error in &errors {
                    let top = error.field.split('.').next().unwrap_or_default();
                    prop_assert!(DOCUMENT_FIELDS.contains(&top), "{} is not a field", error.field);
                    non_empty(&error.field, &error.message)?;
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// SCIM target paths (with their value filter), the expression language, mapping documents.

/// An attribute name: valid, or close to it.
fn attribute_name() -> BoxedStrategy<String> {
    prop_oneof![
        10 => "[a-zA-Z$_][a-zA-Z0-9_-]{0,10}",
        1 => prop::sample::select(&["", "1st", "given name", "a.b", "é", "a:b", "-x"][..]).prop_map(str::to_owned),
        1 => chars(5),
    ]
    .boxed()
}

/// A target path of random pieces: a schema URN, an attribute, a value filter with any operator
/// and value, a sub-attribute, and the brackets and dots between them, sometimes missing.
fn target_path() -> impl Strategy<Value = String> {
    let schema = prop::option::weighted(
        0.3,
        prop_oneof![
            3 => prop::sample::select(
                &[ENTERPRISE_USER, "urn:ietf:params:scim:schemas:extension:ilms:2.0:User", "urn:x", "urn:", "URN:a:b", "urn::"][..]
            )
            .prop_map(str::to_owned),
            1 => "urn:[a-z0-9:.]{0,16}",
        ],
    );
    let value = prop_oneof![
        3 => "[a-zA-Z0-9 ]{0,8}".prop_map(|s| format!("\"{s}\"")),
        2 => prop::sample::select(
            &["\"a\\\"b\"", "true", "False", "42", "-7", "99999999999999999999", "\"open", "work", "", "\"]\"", "\"a[b\""][..]
        )
        .prop_map(str::to_owned),
        1 => chars(6),
    ];
    let filter = prop::option::weighted(
        0.4,
        (
            attribute_name(),
            prop_oneof![
                6 => Just(" eq "),
                1 => prop::sample::select(&[" EQ ", " ne ", " co ", "eq", " eq  ", "\teq\t", " eq"][..]),
            ],
            value,
            prop_oneof![8 => Just("]"), 1 => prop::sample::select(&["", "]]", "] "][..])],
        )
            .prop_map(|(a, op, v, close)| format!("[{a}{op}{v}{close}")),
    );
    let dot = prop_oneof![8 => Just("."), 1 => prop::sample::select(&["", "..", ":"][..])];
    let sub = prop::option::weighted(0.6, (dot, attribute_name()));
    let space = prop::sample::select(&["", "", " ", "\n"][..]);
    (space.clone(), schema, attribute_name(), filter, sub, space).prop_map(
        |(a, schema, name, filter, sub, b)| {
            let mut path = a.to_owned();
            if let Some(schema) = schema {
                path.push_str(&schema);
                path.push(':');
            }
            path.push_str(&name);
            path.push_str(&filter.unwrap_or_default());
            if let Some((dot, sub)) = sub {
                path.push_str(dot);
                path.push_str(&sub);
            }
            path.push_str(b);
            path
        },
    )
}

fn is_attribute_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '$' || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn scim_target_paths_are_parsed_or_refused_quoting_the_path(
        input in prop_oneof![4 => target_path(), 1 => chars(32)],
        value in json_value(),
        stored in prop_oneof![resource(), json_value()],
    ) {
        match TargetPath::parse(&input) {
            Ok(path) => {
                // A resource as a server returned it is read at the path, whatever its shape.
                let _ = path.get(&stored);
                prop_assert!(is_attribute_name(&path.attribute), "{path:?}");
                if let Some(sub) = &path.sub_attribute {
                    prop_assert!(is_attribute_name(sub), "{path:?}");
                }
                if let Some(filter) = &path.filter {
                    prop_assert!(is_attribute_name(&filter.attribute), "{path:?}");
                    prop_assert!(path.sub_attribute.is_some(), "{path:?}");
                }
                // What is written at a path is read back from it, unless the value overwrites
                // the filter's own attribute (`emails[value eq "x"].value`).
                let overwrites_filter = path
                    .filter
                    .as_ref()
                    .is_some_and(|f| Some(&f.attribute) == path.sub_attribute.as_ref());
                let mut body = Map::new();
                path.set(&mut body, value.clone());
                let body = Value::Object(body);
                if !overwrites_filter {
                    prop_assert_eq!(path.get(&body), Some(&value), "{} in {}", path, body);
                }
                // The path as written for a PATCH reads as the same path, when its filter value
                // needs no escape.
                let plain = path.filter.as_ref().is_none_or(|f| {
                    f.value.as_str().is_none_or(|s| !s.contains(['"', '\\']) && !s.chars().any(char::is_control))
                });
                if plain {
                    let again = TargetPath::parse(&path.to_patch_path());
                    prop_assert_eq!(again.as_ref(), Ok(&path));
                }
            }
            Err(message) => quotes_input("target path", &input, &message)?,
        }
    }
}

/// The names of every function, and a few near misses.
fn function_name() -> BoxedStrategy<String> {
    let names: Vec<String> = expression::functions()
        .into_iter()
        .map(|f| f.name)
        .collect();
    prop_oneof![
        5 => prop::sample::select(names),
        1 => prop::sample::select(&["join", "SPLIT", "Joinn", "Repalce", "IIF", "Iff", "Foo", "x"][..]).prop_map(str::to_owned),
    ]
    .boxed()
}

/// Source attributes the sample user may or may not have.
const SOURCE_ATTRIBUTES: &[&str] = &[
    "givenName",
    "surname",
    "mail",
    "folders",
    "IsSoftDeleted",
    "count",
    "manager",
    "missing",
];

/// A text literal with `\"` escapes and backslashes.
fn text_literal() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z0-9 ,._-]{0,8}",
        1 => prop::sample::select(&["", "\\d+", "(?<x>a)", "[", "\\\"", "True", "false", "1", ","][..]).prop_map(str::to_owned),
        1 => chars(6),
    ]
    .prop_map(|s| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")))
}

/// A well-formed expression: calls of real functions, mostly with as many arguments as they take
/// (else any number, or a misspelt name), comparisons, attributes, literals, empty arguments.
fn expression_tree() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        3 => prop::sample::select(SOURCE_ATTRIBUTES).prop_map(|a| format!("[{a}]")),
        3 => text_literal(),
        1 => (-5i64..50).prop_map(|n| n.to_string()),
        1 => Just(String::new()),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        let call = (
            0..ARITIES.len(),
            prop::collection::vec(inner.clone(), 0..8),
            prop::bool::weighted(0.85),
            prop::option::weighted(0.05, function_name()),
        )
            .prop_map(|(function, mut args, exact, other_name)| {
                let (name, counts) = &ARITIES[function];
                if exact {
                    let wanted = counts
                        .iter()
                        .copied()
                        .min_by_key(|n| n.abs_diff(args.len()))
                        .unwrap_or(args.len());
                    args.resize(wanted, String::new());
                }
                format!(
                    "{}({})",
                    other_name.as_ref().unwrap_or(name),
                    args.join(", ")
                )
            });
        prop_oneof![
            5 => call,
            1 => (inner.clone(), inner).prop_map(|(a, b)| format!("{a} = {b}")),
        ]
    })
}

/// Each function's name with the argument counts (up to 8) it takes, as its parser says.
static ARITIES: LazyLock<Vec<(String, Vec<usize>)>> = LazyLock::new(|| {
    expression::functions()
        .into_iter()
        .map(|f| {
            let counts = (0..=8)
                .filter(|n| {
                    Expression::parse(&format!("{}({})", f.name, vec!["[x]"; *n].join(","))).is_ok()
                })
                .collect();
            (f.name, counts)
        })
        .collect()
});

/// Tokens in any order: what a person half-way through typing writes.
fn expression_soup() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        6 => function_name(),
        8 => prop::sample::select(&["(", ")", ",", "=", " ", "[givenName]", "[mail]"][..]).prop_map(str::to_owned),
        1 => prop::sample::select(
            &["[ a b ]", "[", "]", "[]", "\"", "\u{201c}x\u{201d}", "-", "\n", "[a\"b]", "[a\nb]"][..]
        )
        .prop_map(str::to_owned),
        2 => text_literal(),
        1 => prop_oneof!["-?[0-9]{1,22}", any::<i64>().prop_map(|n| n.to_string())],
        1 => chars(2),
    ];
    prop::collection::vec(token, 0..30).prop_map(|tokens| tokens.concat())
}

/// A source user whose attributes have random values.
fn source_user() -> impl Strategy<Value = Value> {
    let value = prop_oneof![
        2 => text().prop_map(Value::String),
        1 => prop::collection::vec(text().prop_map(Value::String), 0..4).prop_map(Value::Array),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => prop::sample::select(&["True", "false", "12", " 3 ", "-1"][..]).prop_map(|s| Value::String(s.into())),
        1 => json_value(),
    ]
    .boxed();
    prop_oneof![
        5 => object_with(SOURCE_ATTRIBUTES, value).prop_map(Value::Object),
        1 => prop::sample::select(templates::sample_users()).prop_map(|u| u.user),
    ]
}

fn check_expression(text: &str, user: &Value) -> Result<(), TestCaseError> {
    let length = text.chars().count();
    let position_ok = |position: usize| (1..=length + 1).contains(&position);
    match Expression::parse(text) {
        Ok(parsed) => {
            prop_assert_eq!(parsed.text(), text);
            let attributes = parsed.attributes();
            for (i, a) in attributes.iter().enumerate() {
                prop_assert!(!attributes[..i].contains(a), "{a} listed twice");
            }
            match parsed.evaluate(&SourceUser(user.clone())) {
                Ok(value) => {
                    let _ = value.to_json();
                }
                Err(error) => {
                    non_empty("evaluation", &error.message)?;
                    prop_assert!(
                        position_ok(error.position),
                        "position {} of {length}",
                        error.position
                    );
                }
            }
        }
        Err(error) => {
            non_empty("syntax", &error.message)?;
            prop_assert!(
                position_ok(error.position),
                "position {} of {length}",
                error.position
            );
            let (said, at) = (
                error.to_string(),
                format!("at character {}", error.position),
            );
            prop_assert!(said.contains(&at), "{said}");
        }
    }
    let checked = expression::check(text, Some(user));
    prop_assert_eq!(checked.ok, checked.error.is_none());
    Ok(())
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn well_formed_expressions_parse_and_evaluate_or_say_where_they_fail(
        text in expression_tree(),
        user in source_user(),
    ) {
        check_expression(&text, &user)?;
    }

    #[test]
    fn token_soup_is_parsed_or_refused_at_a_character(
        text in prop_oneof![3 => expression_soup(), 1 => chars(96)],
        user in source_user(),
    ) {
        check_expression(&text, &user)?;
    }

    #[test]
    fn deep_nesting_and_long_expressions_are_refused_not_overflowed(
        depth in 0usize..80,
        function in prop::sample::select(&["Trim", "ToLower", "NormalizeDiacritics", "Not"][..]),
        padding in 0usize..(MAX_LENGTH + 64),
    ) {
        let text = format!("{}[givenName]{}", format!("{function}(").repeat(depth), ")".repeat(depth));
        let result = Expression::parse(&text);
        prop_assert_eq!(result.is_ok(), depth <= MAX_NESTING, "{:?}", result);
        let long = format!("\"{}\"", "x".repeat(padding));
        let result = Expression::parse(&long);
        prop_assert_eq!(result.is_ok(), long.chars().count() <= MAX_LENGTH, "{:?}", result.err());
    }
}

/// A mapping document as an imported file might hold it.
fn mapping_document() -> impl Strategy<Value = String> {
    let source = prop_oneof![
        (prop_oneof![3 => attribute_name(), 1 => Just("[mail]".to_owned())])
            .prop_map(|a| json!({"type": "direct", "attribute": a})),
        text().prop_map(|v| json!({"type": "constant", "value": v})),
        prop_oneof![3 => expression_tree(), 1 => expression_soup()]
            .prop_map(|e| json!({"type": "expression", "expression": e})),
    ];
    let source = prop_oneof![50 => source, 1 => json_value()];
    let mapping = (
        target_path(),
        source,
        prop::option::weighted(0.2, text()),
        prop::option::weighted(0.3, prop_oneof![0u32..4, any::<u32>()]),
        prop_oneof![50 => prop::sample::select(&["always", "on_create"][..]), 1 => Just("never")],
    )
        .prop_map(|(target, source, default_value, precedence, apply)| {
            json!({"target": target, "source": source, "default_value": default_value, "match_precedence": precedence, "apply": apply})
        });
    let document = (
        prop_oneof![8 => Just("sso-console/scim-mappings"), 1 => Just("other")],
        prop_oneof![8 => Just(1u32), 1 => 0u32..3],
        prop_oneof![8 => prop::sample::select(&["entra", "okta", "generic"][..]), 1 => Just("Entra")],
        prop::collection::vec(prop_oneof![50 => mapping, 1 => json_value()], 0..6),
    )
        .prop_map(|(format, version, provider, mappings)| {
            json!({"format": format, "version": version, "name": "Imported", "provider": provider, "mappings": mappings})
                .to_string()
        });
    prop_oneof![10 => document, 1 => chars(64), 1 => json_value().prop_map(|v| v.to_string())]
}

proptest! {
    #![proptest_config(config(384))]

    #[test]
    fn mapping_documents_are_read_and_checked_naming_each_field(text in mapping_document()) {
        let errors = match MappingDocument::from_json(&text) {
            Ok(document) => match document.check() {
                Ok(set) => {
                    prop_assert_eq!(set.mappings.len(), document.mappings.len());
                    return Ok(());
                }
                Err(errors) => {
                    for error in &errors {
                        if let Some(index) = error.field.strip_prefix("mappings[") {
                            let index: usize = index.split(']').next().unwrap_or_default().parse().expect("an index");
                            prop_assert!(index < document.mappings.len(), "{}", error.field);
                        }
                    }
                    errors
                }
            },
            Err(errors) => errors,
        };
        prop_assert!(!errors.is_empty());
        for error in &errors {
            non_empty("field", &error.field)?;
            non_empty(&error.field, &error.message)?;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// SCIM servers' answers: ListResponses, errors, resources, and the endpoint's declarations.

const BASE_URL: &str = "https://app.example.com/scim/v2";

static CLIENTS: LazyLock<[ScimClient; 2]> = LazyLock::new(|| {
    let http = HttpClient::standard().expect("an HTTP client");
    let base = BaseUrl::parse(BASE_URL).expect("a tenant URL");
    [
        ScimClient::new(http.clone(), base.clone(), None),
        ScimClient::new(http, base, Some(SecretString::new("tok-property"))),
    ]
});

/// An answer as [`ScimClient::send`] hands it over: the body kept, and read as JSON when it is.
fn scim_response(
    path: &str,
    status: u16,
    content_type: Option<Vec<u8>>,
    location: Option<String>,
    body: Vec<u8>,
) -> Response {
    let http = fetched(
        &format!("{BASE_URL}{path}"),
        status,
        content_type,
        location,
        body,
    );
    let json = serde_json::from_slice(&http.body).ok();
    Response {
        exchange: Exchange {
            method: "GET".into(),
            path: path.into(),
            url: http.url.clone(),
            request_headers: Vec::new(),
            request_body: None,
            status: Some(status),
            reason: http.status.canonical_reason().map(str::to_owned),
            duration_ms: 0,
            response_content_type: http.media_type(),
            response_body: Some(http.text()),
            error: None,
        },
        http: Some(http),
        error: None,
        json,
    }
}

/// A number SCIM might send, as a number or not.
fn count() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => (0u64..5).prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => Just(json!(1.5)),
        1 => Just(json!("0")),
        1 => json_value(),
    ]
    .boxed()
}

/// A user resource with fields of random types.
fn resource() -> BoxedStrategy<Value> {
    object_with(
        &[
            "id",
            "userName",
            "externalId",
            "active",
            "emails",
            "meta",
            "schemas",
        ],
        json_value(),
    )
    .prop_map(Value::Object)
    .boxed()
}

/// A ListResponse whose members are there or not, of the right type or not.
fn list_response() -> BoxedStrategy<Value> {
    let schemas = prop_oneof![
        3 => Just(json!([LIST_RESPONSE])),
        1 => Just(json!(LIST_RESPONSE)),
        1 => json_value(),
    ]
    .boxed();
    let members = (
        prop::option::weighted(0.8, schemas),
        prop::option::weighted(0.8, count()),
        prop::option::weighted(0.6, count()),
        prop::option::weighted(0.6, count()),
        prop::option::weighted(
            0.8,
            prop_oneof![4 => prop::collection::vec(resource(), 0..3).prop_map(Value::Array), 1 => json_value()],
        ),
        prop::sample::select(&["Resources", "resources", "RESOURCES"][..]),
    );
    members
        .prop_map(
            |(schemas, total, start, per_page, resources, resources_name)| {
                let mut map = Map::new();
                let mut put = |name: &str, value: Option<Value>| {
                    if let Some(value) = value {
                        map.insert(name.to_owned(), value);
                    }
                };
                put("schemas", schemas);
                put("totalResults", total);
                put("startIndex", start);
                put("itemsPerPage", per_page);
                put(resources_name, resources);
                Value::Object(map)
            },
        )
        .boxed()
}

/// A SCIM error body with members of random types.
fn error_body() -> BoxedStrategy<Value> {
    let member = prop_oneof![
        3 => text().prop_map(Value::String),
        1 => Just(json!([ERROR_MESSAGE])),
        1 => Just(json!("invalidFilter")),
        1 => json_value(),
    ]
    .boxed();
    object_with(
        &[
            "schemas", "detail", "Detail", "message", "scimType", "status",
        ],
        member,
    )
    .prop_map(Value::Object)
    .boxed()
}

/// A `/ServiceProviderConfig` with features supported or not, in any spelling.
fn service_provider_config() -> BoxedStrategy<Value> {
    let feature = prop_oneof![
        3 => (prop_oneof![any::<bool>().prop_map(Value::Bool), Just(json!("true")), json_value()], prop::option::of(count()))
            .prop_map(|(supported, limit)| json!({"supported": supported, "maxOperations": limit, "maxResults": limit})),
        1 => json_value(),
    ]
    .boxed();
    let schemes = prop_oneof![
        Just(json!([{"type": "oauthbearertoken", "name": "OAuth Bearer Token"}])),
        json_value(),
    ]
    .boxed();
    (
        object_with(
            &["patch", "bulk", "filter", "sort", "etag", "changePassword"],
            feature,
        ),
        schemes,
        prop::option::of(url_text()),
    )
        .prop_map(|(mut map, schemes, docs)| {
            map.insert("authenticationSchemes".into(), schemes);
            map.insert(
                "documentationUri".into(),
                docs.map_or(Value::Null, Value::String),
            );
            Value::Object(map)
        })
        .boxed()
}

/// An attribute definition, with sub-attributes sometimes.
fn attribute_definition() -> BoxedStrategy<Value> {
    let member = prop_oneof![
        2 => prop::sample::select(
            &["string", "boolean", "complex", "reference", "readOnly", "readWrite", "always", "server", "userName", "emails", "value", "type", ""][..]
        )
        .prop_map(|w| Value::String(w.into())),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => json_value(),
    ]
    .boxed();
    let leaf = object_with(
        &[
            "name",
            "type",
            "multiValued",
            "required",
            "caseExact",
            "mutability",
            "returned",
            "uniqueness",
            "canonicalValues",
            "referenceTypes",
            "description",
        ],
        member,
    )
    .prop_map(Value::Object);
    leaf.prop_recursive(3, 12, 3, |inner| {
        (inner.clone(), prop::collection::vec(inner, 0..3)).prop_map(|(mut attribute, subs)| {
            if let Value::Object(map) = &mut attribute {
                map.insert("subAttributes".into(), Value::Array(subs));
            }
            attribute
        })
    })
    .boxed()
}

/// A `/Schemas` answer: a ListResponse or a bare array of schemas with random attributes.
fn schemas_answer() -> BoxedStrategy<Value> {
    let id = prop_oneof![
        3 => prop::sample::select(
            &[
                "urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE_USER, "urn:ietf:params:scim:schemas:core:2.0:Group",
                "urn:ietf:params:scim:schemas:extension:ilms:2.0:User", "",
            ][..]
        )
        .prop_map(|s| Value::String(s.into())),
        1 => json_value(),
    ];
    let schema = (id, prop::option::of(text()), prop_oneof![4 => prop::collection::vec(attribute_definition(), 0..4).prop_map(Value::Array), 1 => json_value()])
        .prop_map(|(id, name, attributes)| json!({"id": id, "name": name, "attributes": attributes}));
    let list = prop::collection::vec(prop_oneof![5 => schema, 1 => json_value()], 0..4);
    prop_oneof![
        3 => list.clone().prop_map(|items| json!({"schemas": [LIST_RESPONSE], "totalResults": items.len(), "Resources": items})),
        1 => list.prop_map(Value::Array),
        1 => json_value(),
    ]
    .boxed()
}

/// A `/ResourceTypes` answer with extensions of random shapes.
fn resource_types_answer() -> BoxedStrategy<Value> {
    let extension = prop_oneof![
        3 => (prop::sample::select(&[ENTERPRISE_USER, "urn:ietf:params:scim:schemas:extension:ilms:2.0:User", ""][..]), prop_oneof![any::<bool>().prop_map(Value::Bool), json_value()])
            .prop_map(|(schema, required)| json!({"schema": schema, "required": required})),
        1 => json_value(),
    ];
    let resource_type = (
        prop::option::of(prop::sample::select(&["User", "Group", "user", ""][..])),
        prop::option::of(text()),
        prop::option::of(prop::sample::select(&["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:core:2.0:Group"][..])),
        prop_oneof![3 => prop::collection::vec(extension, 0..3).prop_map(Value::Array), 1 => json_value()],
    )
        .prop_map(|(name, id, schema, extensions)| {
            json!({"name": name, "id": id, "endpoint": "/Users", "schema": schema, "schemaExtensions": extensions})
        });
    let list = prop::collection::vec(prop_oneof![5 => resource_type, 1 => json_value()], 0..3);
    prop_oneof![
        3 => list.clone().prop_map(|items| json!({"Resources": items})),
        1 => list.prop_map(Value::Array),
        1 => json_value(),
    ]
    .boxed()
}

/// The schemas of RFC 7643, for a server that declared none.
static RFC7643: LazyLock<ServerSchemas> = LazyLock::new(ServerSchemas::rfc7643);

/// A PATCH request: operations of any kind on paths of random pieces, with values of any type.
fn patch_request() -> BoxedStrategy<Value> {
    let operation = (
        prop_oneof![
            4 => prop::sample::select(&["add", "replace", "remove"][..]),
            1 => prop::sample::select(&["Add", "Replace", "move", ""][..]),
        ],
        prop::option::weighted(0.8, target_path()),
        prop::option::weighted(0.8, json_value()),
    )
        .prop_map(|(op, path, value)| json!({"op": op, "path": path, "value": value}));
    let operations = prop_oneof![
        4 => prop::collection::vec(prop_oneof![5 => operation, 1 => json_value()], 0..4).prop_map(Value::Array),
        1 => json_value(),
    ];
    prop_oneof![
        5 => operations.prop_map(|operations| json!({"schemas": [PATCH_OP], "Operations": operations})),
        1 => json_value(),
    ]
    .boxed()
}

/// Which member of a ListResponse each of `judge_list`'s findings is about.
fn list_finding_member(code: &str) -> Option<&'static [&'static str]> {
    Some(match code {
        "not_a_list_response" => &["ListResponse"],
        "list_response_schema_missing" => &["schemas"],
        "bad_total_results" | "missing_total_results" => &["totalResults"],
        "bad_resources" | "missing_resources" | "missing_resources_empty" => &["Resources"],
        "missing_paging" => &["startIndex", "itemsPerPage"],
        "filter_ignored" => &["filter"],
        _ => return None,
    })
}

fn expectation() -> impl Strategy<Value = Expect> {
    prop::sample::select(&[Expect::EmptyFilter, Expect::List, Expect::Configuration][..])
}

proptest! {
    #![proptest_config(config(384))]

    #[test]
    fn list_responses_are_judged_naming_the_member_at_fault(
        body in prop_oneof![4 => list_response(), 1 => json_value()],
        expect in expectation(),
    ) {
        for finding in judge_list(&body, "/Users", expect) {
            non_empty("finding code", &finding.code)?;
            let members = list_finding_member(&finding.code);
            prop_assert!(members.is_some(), "unknown finding {}", finding.code);
            let members = members.unwrap_or_default();
            prop_assert!(members.iter().any(|m| finding.message.contains(m)), "{}: {}", finding.code, finding.message);
            prop_assert_eq!(finding.subject.as_deref(), Some("/Users"));
        }
    }

    #[test]
    fn scim_answers_of_any_status_and_body_are_judged_with_a_reason(
        status in status(),
        content_type in content_type(),
        location in prop::option::of(url_text()),
        body in body(prop_oneof![3 => list_response(), 2 => error_body(), 1 => service_provider_config()].boxed()),
        expect in expectation(),
        with_token in any::<bool>(),
    ) {
        let response = scim_response("/Users?filter=userName eq \"x\"", status, content_type, location, body);
        let client = &CLIENTS[usize::from(with_token)];
        let findings = test_connection::judge(&response, client, expect);
        if !(200..300).contains(&status) {
            prop_assert!(!findings.is_empty(), "status {status} passed");
        }
        for finding in &findings {
            non_empty("finding code", &finding.code)?;
            non_empty(&finding.code, &finding.message)?;
        }
        if let Some(detail) = error_detail(response.json.as_ref()) {
            non_empty("SCIM error detail", &detail)?;
        }
    }

    #[test]
    fn endpoint_declarations_are_read_leniently_and_judged(
        spc in (mostly_ok(), body(service_provider_config())),
        schemas in (mostly_ok(), body(schemas_answer())),
        types in (mostly_ok(), body(resource_types_answer())),
        template in prop::option::of(prop::sample::select(templates::templates())),
        user in prop_oneof![3 => resource(), 1 => json_value()],
        patch in patch_request(),
        entra_quirks in any::<bool>(),
    ) {
        let json = "application/scim+json".as_bytes().to_vec();
        let spc = scim_response("/ServiceProviderConfig", spc.0, Some(json.clone()), None, spc.1);
        let schemas = scim_response("/Schemas", schemas.0, Some(json.clone()), None, schemas.1);
        let types = scim_response("/ResourceTypes", types.0, Some(json), None, types.1);
        for body in [&schemas.json, &types.json].into_iter().flatten() {
            let listed = resources(body).len();
            let (parsed, skipped) = ServerSchemas::parse_schemas(body);
            prop_assert_eq!(parsed.len() + skipped, listed);
            let (parsed, skipped) = ServerSchemas::parse_resource_types(body);
            prop_assert_eq!(parsed.len() + skipped, listed);
        }
        if let Some(json) = &spc.json {
            let support = Support::from_json(json);
            prop_assert!(support.authentication_schemes.len() <= json.get("authenticationSchemes").and_then(Value::as_array).map_or(0, Vec::len));
        }
        let set = template.map(|t| t.document.check().expect("templates are valid"));
        let (review, declared) = review::judge(BASE_URL, &spc, &schemas, &types, set.as_ref());
        prop_assert_eq!(review.passed, !review.findings.iter().any(|f| f.severity == sso_console::findings::Severity::Error));
        if declared.is_some() {
            prop_assert!(schemas.is_success() && schemas.json.is_some());
        }
        for finding in &review.findings {
            non_empty("finding code", &finding.code)?;
            non_empty(&finding.code, &finding.message)?;
        }
        // Bodies are checked against what the server declared, however odd.
        let against = declared.as_ref().unwrap_or(&RFC7643);
        let user_findings = validate::validate_user(&user, against);
        let patch_findings = validate::validate_patch(&patch, against, entra_quirks);
        for finding in user_findings.iter().chain(&patch_findings) {
            non_empty("finding code", &finding.code)?;
            non_empty(&finding.code, &finding.message)?;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs these properties found, kept as plain tests so that they are tried on every run.

/// A line break inside a string: serde_json places the error in column 0 of the next line.
#[test]
fn a_syntax_error_at_a_line_break_is_in_column_one() {
    match parse_pasted("\"\n¡") {
        Err(ClaimsError::Syntax { line, column, .. }) => assert_eq!((line, column), (2, 1)),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

/// Times beyond the range of a 64-bit second count are judged, not overflowed.
#[test]
fn id_tokens_with_times_out_of_range_are_judged() {
    for time in [
        json!(1e300),
        json!(-1e300),
        json!(i64::MAX),
        json!(i64::MIN),
    ] {
        let token = token_with(&json!({"alg": "RS256"}), &json!({"exp": time, "iat": time}));
        let jwt = decode_unverified(&token).expect("a readable token");
        let checks = verify_id_token(
            &jwt,
            &Expectations {
                client_id: "client-123",
                client_secret: "secret",
                issuer: None,
                nonce: "n-1",
                access_token: None,
                keys: Ok(&[]),
                id_token_signing_algs: Err("not known".to_owned()),
                now: NOW,
            },
        );
        for name in ["Expiry", "Issued at"] {
            assert!(
                checks.iter().any(|c| c.name == name),
                "{time}: no {name} line"
            );
        }
    }
}
