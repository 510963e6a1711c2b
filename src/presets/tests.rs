use super::*;

/// A preset's values as (key, value) pairs.
type Pairs = &'static [(&'static str, &'static str)];

/// Each value of `preset` given as its example.
fn examples(preset: &Preset) -> Vec<(String, String)> {
    preset
        .params
        .iter()
        .map(|p| (p.key.to_owned(), p.example.to_owned()))
        .collect()
}

fn given(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn each_preset_has_an_example_for_each_value_that_passes_its_own_check() {
    for preset in &PRESETS {
        let values = preset
            .values(&examples(preset))
            .unwrap_or_else(|e| panic!("{}: {e:?}", preset.id));
        let doc = preset.document(&values);
        assert!(doc.discovery_domain.is_some(), "{}", preset.id);
        assert_eq!(doc.claims.external_id.claim, preset.external_id_claim);
    }
}

#[test]
fn a_missing_malformed_or_unknown_value_is_named_with_an_example() {
    let cases: [(&str, Pairs, &str, &str); 12] = [
        ("entra", &[], "tenant", "give tenant"),
        (
            "entra",
            &[("tenant", "https://login.microsoftonline.com/x")],
            "tenant",
            "a tenant is",
        ),
        (
            "entra",
            &[("tenant", "contoso")],
            "tenant",
            "for example 72f988bf",
        ),
        (
            "okta",
            &[("domain", "https://contoso.okta.com")],
            "domain",
            "without https://",
        ),
        (
            "okta",
            &[
                ("domain", "contoso.okta.com"),
                ("authorization_server", "a/b"),
            ],
            "authorization_server",
            "letters, digits",
        ),
        (
            "okta",
            &[("domain", "contoso.okta.com"), ("tenant", "x")],
            "tenant",
            "takes no value \"tenant\"",
        ),
        (
            "cognito",
            &[
                ("region", "Europe"),
                ("user_pool_id", "eu-west-1_Abc"),
                ("domain", "x"),
            ],
            "region",
            "eu-west-1",
        ),
        (
            "cognito",
            &[
                ("region", "eu-west-1"),
                ("user_pool_id", "pool"),
                ("domain", "x"),
            ],
            "user_pool_id",
            "underscore",
        ),
        (
            "cognito",
            &[
                ("region", "eu-west-1"),
                ("user_pool_id", "eu-west-1_Abc"),
                ("domain", "-x"),
            ],
            "domain",
            "prefix",
        ),
        ("auth0", &[("domain", "")], "domain", "give domain"),
        (
            "keycloak",
            &[("base_url", "ftp://sso.example.com"), ("realm", "r")],
            "base_url",
            "not the server",
        ),
        (
            "generic",
            &[("issuer", "not a url")],
            "issuer",
            "not the provider's issuer",
        ),
    ];
    for (id, pairs, field, said) in cases {
        let errors = find(id).unwrap().values(&given(pairs)).unwrap_err();
        let error = errors
            .iter()
            .find(|e| e.field == field)
            .unwrap_or_else(|| panic!("{id} {pairs:?}: {errors:?}"));
        assert!(
            error.message.contains(said),
            "{id} {pairs:?}: {}",
            error.message
        );
    }
}

#[test]
fn a_guid_tenant_fixes_the_issuer_and_a_domain_leaves_it_to_discovery() {
    let entra = find("entra").unwrap();
    let guid = entra
        .values(&given(&[(
            "tenant",
            "72F988BF-86F1-41AF-91AB-2D7CD011DB47",
        )]))
        .unwrap();
    assert_eq!(
        entra.endpoints(&guid).issuer.as_deref(),
        Some("https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0")
    );
    let domain = entra
        .values(&given(&[("tenant", "Contoso.onmicrosoft.com")]))
        .unwrap();
    let e = entra.endpoints(&domain);
    assert_eq!(e.issuer, None);
    assert_eq!(
        e.discovery,
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0"
    );
}

/// A provider's real discovery document (tests/fixtures/providers/, sources in SOURCES.md).
fn fixture(name: &str) -> serde_json::Value {
    let path = format!(
        "{}/tests/fixtures/providers/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn each_preset_derives_what_its_provider_really_publishes() {
    let cases: [(&str, Pairs, &str); 8] = [
        (
            "entra",
            &[("tenant", "3c631bb7-a9f7-4343-a5ba-a6159135f1fc")],
            "entra",
        ),
        ("entra", &[("tenant", "common")], "entra-common"),
        ("okta", &[("domain", "dev-120913.okta.com")], "okta"),
        (
            "okta",
            &[
                ("domain", "dev-133320.okta.com"),
                ("authorization_server", "default"),
            ],
            "okta-default",
        ),
        ("google", &[("hosted_domain", "contoso.com")], "google"),
        (
            "cognito",
            &[
                ("region", "us-east-1"),
                ("user_pool_id", "us-east-1_4OqDoWVrZ"),
                ("domain", "auth-groovycalamari"),
            ],
            "cognito",
        ),
        (
            "auth0",
            &[("domain", "dev-ltxchcls4igzho78.us.auth0.com")],
            "auth0",
        ),
        (
            "keycloak",
            &[
                ("base_url", "https://identity.mafiasi.de/auth/"),
                ("realm", "simple_openid_test"),
            ],
            "keycloak",
        ),
    ];
    for (id, pairs, file) in cases {
        let preset = find(id).unwrap();
        let e = preset.endpoints(&preset.values(&given(pairs)).unwrap());
        let real = fixture(file);
        let published = |member: &str| real[member].as_str().unwrap().to_owned();
        assert_eq!(
            e.authorization,
            published("authorization_endpoint"),
            "{file}"
        );
        assert_eq!(e.token, published("token_endpoint"), "{file}");
        assert_eq!(
            e.userinfo.as_deref(),
            Some(published("userinfo_endpoint").as_str()),
            "{file}"
        );
        assert_eq!(e.jwks, published("jwks_uri"), "{file}");
        // The issuer, where it follows from the values; a template or another host's stays
        // to discovery. Discovery finds the document where the preset starts it.
        match e.issuer {
            Some(issuer) => assert_eq!(issuer, published("issuer"), "{file}"),
            None => assert!(published("issuer").contains("{tenantid}"), "{file}"),
        }
        assert!(
            published("issuer").starts_with(e.discovery.trim_end_matches("/v2.0"))
                || e.discovery.ends_with("/common/v2.0"),
            "{file}: discovery at {}",
            e.discovery
        );
    }
}

#[test]
fn each_provider_is_recognised_by_its_own_issuer_and_no_other() {
    let cases = [
        (
            "entra",
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0",
        ),
        ("okta", "https://contoso.okta.com/oauth2/default"),
        ("google", "https://accounts.google.com"),
        (
            "cognito",
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123",
        ),
        ("auth0", "https://contoso.eu.auth0.com/"),
        ("keycloak", "https://sso.contoso.com/realms/customers"),
    ];
    for (id, issuer) in cases {
        let url = url::Url::parse(issuer).unwrap();
        assert_eq!(recognise(&url).map(|p| p.id), Some(id), "{issuer}");
    }
    for other in [
        "https://login.contoso.com",
        "http://127.0.0.1:4000",
        "https://okta.com.evil.example",
    ] {
        assert_eq!(
            recognise(&url::Url::parse(other).unwrap()).map(|p| p.id),
            None,
            "{other}"
        );
    }
}

#[test]
fn every_guide_fills_each_placeholder_and_holds_the_redirect_urls() {
    for preset in &PRESETS {
        let values = preset.values(&examples(preset)).unwrap();
        let doc = preset.document(&values);
        let guide = preset.guide(
            &values,
            &GuideFor {
                name: "Contoso staff",
                redirect_url: Ok(
                    "https://signin.example.com/callback/0192d7a4-0000-7000-8000-000000000001"
                        .into(),
                ),
                test_redirect_port: doc.test_redirect_port,
            },
        );
        assert!(guide.steps.len() >= 3, "{}", preset.id);
        let values_given: Vec<&str> = guide.values().into_iter().map(|(_, v)| v).collect();
        assert!(
            values_given.contains(
                &"https://signin.example.com/callback/0192d7a4-0000-7000-8000-000000000001"
            ),
            "{}: {values_given:?}",
            preset.id
        );
        assert!(
            values_given.contains(&format!("http://127.0.0.1:{TEST_PORT}/callback").as_str()),
            "{}",
            preset.id
        );
        for step in &guide.steps {
            let text = step.plain();
            assert!(
                !text.contains('{'),
                "{}: a placeholder left: {text}",
                preset.id
            );
            assert!(
                !text.contains("[issuer"),
                "{}: the issuer is known: {text}",
                preset.id
            );
        }
        let markdown = guide.to_markdown();
        assert!(
            markdown.contains("`https://signin.example.com/callback/"),
            "{}",
            preset.id
        );
        assert_eq!(guide.notes.len(), preset.quirks.len());
    }
}

#[test]
fn a_guide_without_a_sign_in_service_url_says_what_to_do() {
    let preset = find("okta").unwrap();
    let values = preset
        .values(&given(&[("domain", "contoso.okta.com")]))
        .unwrap();
    let guide = preset.guide(
        &values,
        &GuideFor {
            name: "Contoso",
            redirect_url: Err("set the sign-in service URL in Settings first".into()),
            test_redirect_port: None,
        },
    );
    let text: String = guide.steps.iter().map(guide::Step::plain).collect();
    assert!(text.contains("[Redirect URI: set the sign-in service URL in Settings first]"));
    assert!(text.contains(
        "[Test sign-in redirect URI: give the directory a fixed test sign-in port first]"
    ));
    assert!(
        text.contains("https://contoso.okta.com"),
        "the issuer of the org server"
    );
}

#[test]
fn a_staff_suggestion_is_a_rule_the_editor_accepts() {
    for preset in PRESETS.iter().filter(|p| p.staff_suggestion.is_some()) {
        let mut doc = crate::testing::directory_document("x");
        doc.staff = preset.staff_suggestion.unwrap().rule();
        crate::directory::Directory::from_document(&doc)
            .unwrap_or_else(|e| panic!("{}: {e:?}", preset.id));
    }
}
