use super::*;
use crate::testing;

fn metadata() -> ProviderMetadata {
    let list = |v: &[&str]| Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    ProviderMetadata {
        issuer: Some("https://idp.example.com".into()),
        authorization_endpoint: Some("https://idp.example.com/auth".into()),
        token_endpoint: Some("https://idp.example.com/token".into()),
        userinfo_endpoint: Some("https://idp.example.com/me".into()),
        jwks_uri: Some("https://idp.example.com/jwks".into()),
        scopes_supported: list(&["openid", "email", "profile"]),
        response_types_supported: list(&["code"]),
        response_modes_supported: list(&["query", "form_post"]),
        code_challenge_methods_supported: list(&["S256"]),
        token_endpoint_auth_methods_supported: list(&["client_secret_post", "client_secret_basic"]),
        id_token_signing_alg_values_supported: list(&["RS256"]),
        ..ProviderMetadata::default()
    }
}

/// The document a provider with this metadata would publish.
fn raw(m: &ProviderMetadata) -> serde_json::Map<String, serde_json::Value> {
    let mut value = serde_json::to_value(m).unwrap();
    let map = value.as_object_mut().unwrap();
    map.retain(|_, v| !v.is_null());
    map.insert(
        "subject_types_supported".into(),
        serde_json::json!(["public"]),
    );
    map.clone()
}

fn url() -> url::Url {
    crate::discovery::discovery_url("https://idp.example.com").unwrap()
}

fn codes(m: &ProviderMetadata, settings: Option<&DirectoryDocument>) -> Vec<String> {
    judge(
        &url(),
        &raw(m),
        m,
        &[],
        settings,
        &KeySetOutcome::NotFetched,
    )
    .into_iter()
    .map(|f| f.code)
    .collect()
}

#[test]
fn a_consistent_provider_has_no_findings() {
    let mut d = testing::directory_document("x");
    d.issuer = Some("https://idp.example.com".into());
    assert_eq!(codes(&metadata(), Some(&d)), Vec::<String>::new());
}

#[test]
fn each_mismatch_is_found() {
    type Edit = fn(&mut ProviderMetadata, &mut DirectoryDocument);
    let cases: &[(&str, Edit, &str)] = &[
        (
            "issuer differs",
            |m, _| m.issuer = Some("https://other.example.com".into()),
            "issuer_mismatch",
        ),
        (
            "entra placeholder",
            |m, _| m.issuer = Some("https://login.microsoftonline.com/{tenantid}/v2.0".into()),
            "issuer_tenant_placeholder",
        ),
        (
            "trailing slash",
            |m, _| m.issuer = Some("https://idp.example.com/".into()),
            "issuer_trailing_slash",
        ),
        (
            "configured issuer",
            |_, d| d.issuer = Some("https://old.example.com".into()),
            "configured_issuer_differs",
        ),
        ("no jwks_uri", |m, _| m.jwks_uri = None, "missing_field"),
        (
            "no algs",
            |m, _| m.id_token_signing_alg_values_supported = None,
            "missing_field",
        ),
        (
            "http endpoint",
            |m, _| m.token_endpoint = Some("http://idp.example.com/token".into()),
            "endpoint_not_https",
        ),
        (
            "no S256",
            |m, _| m.code_challenge_methods_supported = Some(vec!["plain".into()]),
            "pkce_s256_missing",
        ),
        (
            "pkce not advertised",
            |m, _| m.code_challenge_methods_supported = None,
            "pkce_not_advertised",
        ),
        (
            "form_post unsupported",
            |m, d| {
                m.response_modes_supported = Some(vec!["query".into()]);
                d.response_mode_form_post = true;
            },
            "response_mode_unsupported",
        ),
        (
            "form_post by default unsupported",
            |m, d| {
                m.response_modes_supported = None;
                d.response_mode_form_post = true;
            },
            "response_mode_unsupported",
        ),
        (
            "query unsupported",
            |m, _| m.response_modes_supported = Some(vec!["form_post".into()]),
            "response_mode_unsupported",
        ),
        (
            "basic unsupported",
            |m, d| {
                m.token_endpoint_auth_methods_supported = Some(vec!["client_secret_post".into()]);
                d.token_endpoint_basic_auth = true;
            },
            "token_auth_unsupported",
        ),
        (
            "post unsupported by default",
            |m, _| m.token_endpoint_auth_methods_supported = None,
            "token_auth_unsupported",
        ),
        (
            "scope unknown",
            |_, d| d.scopes = "openid offline_access".into(),
            "scope_not_advertised",
        ),
        (
            "no userinfo",
            |m, _| m.userinfo_endpoint = None,
            "no_userinfo_endpoint",
        ),
        (
            "no code flow",
            |m, _| m.response_types_supported = Some(vec!["id_token".into()]),
            "code_flow_unsupported",
        ),
        (
            "alg none",
            |m, _| {
                m.id_token_signing_alg_values_supported = Some(vec!["RS256".into(), "none".into()])
            },
            "alg_none_offered",
        ),
        (
            "no authorization code grant",
            |m, _| m.grant_types_supported = Some(vec!["client_credentials".into()]),
            "authorization_code_unsupported",
        ),
        (
            "only HS",
            |m, _| m.id_token_signing_alg_values_supported = Some(vec!["HS256".into()]),
            "only_symmetric_algs",
        ),
    ];
    for (name, edit, want) in cases {
        let mut m = metadata();
        let mut d = testing::directory_document("x");
        d.issuer = None;
        edit(&mut m, &mut d);
        let got = codes(&m, Some(&d));
        assert!(got.iter().any(|c| c == want), "{name}: {got:?}");
    }
}

#[test]
fn a_default_is_called_the_specifications_not_the_providers() {
    let messages = |m: &ProviderMetadata, d: &DirectoryDocument| -> Vec<String> {
        judge(&url(), &raw(m), m, &[], Some(d), &KeySetOutcome::NotFetched)
            .into_iter()
            .map(|f| f.message)
            .collect()
    };
    let mut d = testing::directory_document("x");
    d.issuer = None;
    d.response_mode_form_post = true;
    d.token_endpoint_basic_auth = false;
    let mut m = metadata();
    m.response_modes_supported = None;
    m.token_endpoint_auth_methods_supported = None;
    let got = messages(&m, &d);
    for want in [
        "the provider's document lists no response_modes_supported, so the specification's default applies: query, fragment",
        "the provider's document lists no token_endpoint_auth_methods_supported, so the specification's default applies: client_secret_basic",
    ] {
        assert!(got.iter().any(|g| g.contains(want)), "{want}: {got:?}");
    }
    assert!(
        got.iter().all(|g| !g.contains("the provider supports")),
        "{got:?}"
    );
    // Listed values are the provider's own words.
    m.response_modes_supported = Some(vec!["query".into()]);
    let got = messages(&m, &d);
    assert!(
        got.iter()
            .any(|g| g.contains("the provider supports query (response_modes_supported)")),
        "{got:?}"
    );
    // An empty list is said to be one.
    m.response_modes_supported = Some(Vec::new());
    let got = messages(&m, &d);
    assert!(
        got.iter()
            .any(|g| g.contains("the provider's response_modes_supported is an empty list")),
        "{got:?}"
    );
    // Without grant_types_supported the default includes the code flow: nothing to say.
    m.grant_types_supported = None;
    assert!(!codes(&m, Some(&d)).contains(&"authorization_code_unsupported".to_owned()));
}

#[test]
fn userinfo_mapping_without_userinfo_endpoint_is_an_error() {
    let mut m = metadata();
    m.userinfo_endpoint = None;
    let mut d = testing::directory_document("x");
    d.issuer = None;
    d.claims.last_name.source = crate::directory::ClaimSource::Userinfo;
    let f = judge(
        &url(),
        &raw(&m),
        &m,
        &[],
        Some(&d),
        &KeySetOutcome::NotFetched,
    );
    assert_eq!(f[0].code, "no_userinfo_endpoint");
    assert_eq!(f[0].severity, Severity::Error);
}

#[test]
fn key_set_outcomes_are_reported() {
    let m = metadata();
    let failed = KeySetOutcome::Failed {
        message: "boom".into(),
    };
    let empty = KeySetOutcome::Fetched {
        summary: crate::discovery::summarise_key_set(br#"{"keys":[]}"#).unwrap(),
    };
    let good = KeySetOutcome::Fetched {
        summary: crate::discovery::summarise_key_set(
            br#"{"keys":[{"kty":"RSA","kid":"k1","alg":"RS256","n":"AQAB","e":"AQAB"}]}"#,
        )
        .unwrap(),
    };
    let code = |k: &KeySetOutcome| {
        judge(&url(), &raw(&m), &m, &[], None, k)
            .into_iter()
            .map(|f| (f.code, f.severity))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        code(&failed),
        [("jwks_unreadable".to_owned(), Severity::Error)]
    );
    assert_eq!(
        code(&empty),
        [("jwks_no_signing_key".to_owned(), Severity::Error)]
    );
    assert_eq!(code(&good), [("jwks_ok".to_owned(), Severity::Info)]);
}

#[test]
fn findings_are_sorted_errors_first() {
    let mut m = metadata();
    m.code_challenge_methods_supported = None;
    m.jwks_uri = None;
    let d = testing::directory_document("x");
    let f = judge(
        &url(),
        &raw(&m),
        &m,
        &[],
        Some(&d),
        &KeySetOutcome::NotFetched,
    );
    let severities: Vec<Severity> = f.iter().map(|x| x.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort();
    assert_eq!(severities, sorted);
}

#[test]
fn a_document_a_strict_library_refuses_is_noted() {
    let m = metadata();
    let mut doc = raw(&m);
    doc.remove("subject_types_supported");
    let f = judge(&url(), &doc, &m, &[], None, &KeySetOutcome::NotFetched);
    let strict = f
        .iter()
        .find(|x| x.code == "strict_parse_refused")
        .expect("noted");
    assert_eq!(strict.severity, Severity::Info);
    assert!(
        strict.message.contains("subject_types_supported"),
        "{}",
        strict.message
    );
}

#[test]
fn a_recognised_provider_adds_its_quirks_as_information() {
    let entra = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0";
    let mut m = metadata();
    m.issuer = Some(entra.into());
    let found = judge(
        &crate::discovery::discovery_url(entra).unwrap(),
        &raw(&m),
        &m,
        &[],
        None,
        &KeySetOutcome::NotFetched,
    );
    let quirks: Vec<&Finding> = found
        .iter()
        .filter(|f| f.code == "provider_quirk")
        .collect();
    let entra_preset = crate::presets::find("entra").unwrap();
    assert_eq!(quirks.len(), entra_preset.quirks.len());
    assert!(quirks.iter().all(
        |f| f.severity == Severity::Info && f.subject.as_deref() == Some("Microsoft Entra ID")
    ));
    assert!(quirks[0].message.contains("PKCE"));
    // A provider nobody recognises gets none.
    assert!(!codes(&metadata(), None).contains(&"provider_quirk".to_owned()));
}
