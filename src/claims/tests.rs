use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};

use super::*;

fn jwt(header: Value, payload: Value) -> String {
    let part = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap());
    format!("{}.{}.c2lnbmF0dXJl", part(&header), part(&payload))
}

fn id_token_jwt() -> String {
    jwt(
        json!({"alg": "RS256", "kid": "k1"}),
        json!({"sub": "abc", "nonce": "n", "email": "ann@example.org"}),
    )
}

fn names(claims: Option<&Claims>) -> Vec<String> {
    claims
        .map(|c| c.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn every_accepted_paste_form_is_read_into_the_right_sources() {
    let access = jwt(
        json!({"alg": "RS256", "typ": "at+jwt"}),
        json!({"sub": "abc", "scp": "api.read"}),
    );
    let cognito_access = jwt(
        json!({"alg": "RS256"}),
        json!({"sub": "abc", "token_use": "access"}),
    );
    // (name, input, form, id_token claims, userinfo claims, access token claims)
    type Case = (
        &'static str,
        String,
        PastedForm,
        &'static [&'static str],
        &'static [&'static str],
        &'static [&'static str],
    );
    let cases: Vec<Case> = vec![
        (
            "bare object is the ID token",
            r#"{"sub": "abc", "email": "ann@example.org"}"#.into(),
            PastedForm::IdTokenClaims,
            &["email", "sub"],
            &[],
            &[],
        ),
        (
            "object by source",
            r#"{"id_token": {"sub": "abc"}, "userinfo": {"family_name": "Lee"}, "access_token": {"scp": "x"}}"#.into(),
            PastedForm::BySource,
            &["sub"],
            &["family_name"],
            &["scp"],
        ),
        (
            "token response with a JWT ID token",
            format!(
                r#"{{"token_type": "Bearer", "expires_in": 3600, "id_token": "{}", "access_token": "opaque-value"}}"#,
                id_token_jwt()
            ),
            PastedForm::BySource,
            &["email", "nonce", "sub"],
            &[],
            &[],
        ),
        (
            "raw ID token",
            id_token_jwt(),
            PastedForm::Jwt { source: ClaimSource::IdToken },
            &["email", "nonce", "sub"],
            &[],
            &[],
        ),
        (
            "raw access token by typ",
            format!("  {access}\n"),
            PastedForm::Jwt { source: ClaimSource::AccessToken },
            &[],
            &[],
            &["scp", "sub"],
        ),
        (
            "raw Cognito access token by token_use",
            cognito_access,
            PastedForm::Jwt { source: ClaimSource::AccessToken },
            &[],
            &[],
            &["sub", "token_use"],
        ),
        (
            "bearer prefix is ignored",
            format!("Bearer {}", id_token_jwt()),
            PastedForm::Jwt { source: ClaimSource::IdToken },
            &["email", "nonce", "sub"],
            &[],
            &[],
        ),
        (
            "JWT as a JSON string",
            format!("\"{}\"", id_token_jwt()),
            PastedForm::Jwt { source: ClaimSource::IdToken },
            &["email", "nonce", "sub"],
            &[],
            &[],
        ),
        (
            "byte order mark and null sources",
            "\u{feff}{\"id_token\": {\"sub\": \"abc\"}, \"userinfo\": null}".into(),
            PastedForm::BySource,
            &["sub"],
            &[],
            &[],
        ),
    ];
    for (name, input, form, id, userinfo, access) in cases {
        let pasted = parse_pasted(&input).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(pasted.form, form, "{name}");
        let c = &pasted.claims;
        assert_eq!(names(c.claims(ClaimSource::IdToken)), id, "{name}");
        assert_eq!(names(c.claims(ClaimSource::Userinfo)), userinfo, "{name}");
        assert_eq!(names(c.claims(ClaimSource::AccessToken)), access, "{name}");
    }
}

#[test]
fn an_opaque_access_token_is_marked_opaque_and_other_keys_are_ignored_with_a_note() {
    let input = format!(
        r#"{{"token_type": "Bearer", "id_token": "{}", "access_token": "2YotnFZFEjr1zCsicMWpAA"}}"#,
        id_token_jwt()
    );
    let pasted = parse_pasted(&input).unwrap();
    assert_eq!(
        pasted.claims.availability(ClaimSource::AccessToken),
        Err(Unavailable::OpaqueAccessToken)
    );
    assert_eq!(
        pasted.claims.availability(ClaimSource::Userinfo),
        Err(Unavailable::NotProvided)
    );
    assert_eq!(pasted.ignored_keys, ["token_type"]);
    assert!(pasted.notes.iter().any(|n| n.contains("without checking")));
    assert!(pasted.notes.iter().any(|n| n.contains("token_type")));
}

#[test]
fn a_claim_set_this_crate_wrote_reads_back_with_its_reasons() {
    let mut set = ClaimSet::default();
    set.set_claims(
        ClaimSource::IdToken,
        json!({"sub": "abc"}).as_object().unwrap().clone(),
    );
    set.set_unavailable(ClaimSource::Userinfo, Unavailable::NoUserinfoUrl);
    set.set_unavailable(ClaimSource::AccessToken, Unavailable::OpaqueAccessToken);
    let text = serde_json::to_string(&set).unwrap();
    let pasted = parse_pasted(&text).unwrap();
    assert_eq!(pasted.claims, set);
    assert!(pasted.ignored_keys.is_empty());
}

#[test]
fn malformed_pastes_are_refused_with_the_place_and_the_reason() {
    let payload_array = format!(
        "{}.{}.sig",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#),
        URL_SAFE_NO_PAD.encode(b"[1,2]")
    );
    let payload_not_json = format!(
        "{}.{}.sig",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#),
        URL_SAFE_NO_PAD.encode(b"{not json")
    );
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty", "".into(), "no claims were given"),
        ("only spaces", "  \n\t ".into(), "no claims were given"),
        (
            "trailing comma",
            "{\n  \"sub\": \"abc\",\n}".into(),
            "line 3, column 1",
        ),
        ("unclosed", "{\"sub\": ".into(), "not valid JSON"),
        ("array", "[1, 2]".into(), "$ is an array"),
        ("number", "42".into(), "$ is a number"),
        ("plain words", "hello".into(), "neither JSON nor a JWT"),
        (
            "id_token is a number",
            r#"{"id_token": 5}"#.into(),
            "$.id_token is a number",
        ),
        (
            "userinfo is an array",
            r#"{"userinfo": []}"#.into(),
            "$.userinfo is an array",
        ),
        (
            "id_token is a plain string",
            r#"{"id_token": "abc"}"#.into(),
            "$.id_token is a string but not a JWT",
        ),
        (
            "id_token is encrypted",
            r#"{"id_token": "a.b.c.d.e"}"#.into(),
            "$.id_token: the token has 5 parts",
        ),
        (
            "bad base64 in a source",
            r#"{"id_token": "eyJhbGciOiJub25lIn0.!!!.sig"}"#.into(),
            "$.id_token is a string but not a JWT",
        ),
        (
            "bad base64 in a raw token",
            "eyJhbGciOiJub25lIn0.e30*.sig".into(),
            "payload is not base64url",
        ),
        ("two parts", "abc.def".into(), "2 part(s)"),
        ("payload is an array", payload_array, "payload is an array"),
        (
            "payload is not JSON",
            payload_not_json,
            "payload is not JSON",
        ),
        (
            "too large",
            format!("{{\"a\": \"{}\"}}", "x".repeat(PASTE_MAX_BYTES)),
            "at most 1 MiB",
        ),
    ];
    for (name, input, message) in cases {
        match parse_pasted(&input) {
            Ok(p) => panic!("{name}: accepted as {:?}", p.form),
            Err(e) => assert!(e.to_string().contains(message), "{name}: {e}"),
        }
    }
}

#[test]
fn json_errors_carry_line_and_column_and_source_errors_their_path() {
    match parse_pasted("{\n  \"sub\": \"abc\"\n  \"email\": 1\n}") {
        Err(ClaimsError::Syntax { line, column, .. }) => assert_eq!((line, column), (3, 3)),
        other => panic!("{other:?}"),
    }
    let e = parse_pasted(r#"{"access_token": {"a": 1}, "userinfo": true}"#).unwrap_err();
    assert_eq!(e.path(), Some("$.userinfo"));
}

#[test]
fn decoding_a_jwt_returns_header_and_payload_unverified() {
    let token = id_token_jwt();
    let decoded = decode_unverified(&token).unwrap();
    assert_eq!(decoded.header["kid"], "k1");
    assert_eq!(decoded.payload["sub"], "abc");
    let padded = {
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        parts[1].push_str("==");
        parts.join(".")
    };
    let again = decode_unverified(&padded).unwrap();
    assert_eq!(
        (again.header, again.payload),
        (decoded.header.clone(), decoded.payload.clone())
    );
    assert_eq!(decoded.signing_input, token.rsplit_once('.').unwrap().0);
    assert_eq!(decode_unverified(" "), Err(JwtError::Empty));
}

#[test]
fn a_missing_source_is_not_provided_and_reasons_replace_claims() {
    let mut set = ClaimSet::default();
    assert_eq!(
        set.availability(ClaimSource::Userinfo),
        Err(Unavailable::NotProvided)
    );
    set.set_claims(
        ClaimSource::Userinfo,
        json!({"Email": "a@example.org"})
            .as_object()
            .unwrap()
            .clone(),
    );
    assert!(set.availability(ClaimSource::Userinfo).is_ok());
    assert_eq!(
        set.case_variants("email"),
        [(ClaimSource::Userinfo, "Email".to_owned())]
    );
    assert!(set.sources_with("email").is_empty());
    set.set_unavailable(
        ClaimSource::Userinfo,
        Unavailable::Failed {
            message: "HTTP 401".into(),
        },
    );
    assert!(set.claims(ClaimSource::Userinfo).is_none());
    assert!(set.is_empty());
    assert!(set
        .availability(ClaimSource::Userinfo)
        .unwrap_err()
        .describe(ClaimSource::Userinfo)
        .contains("HTTP 401"));
}
