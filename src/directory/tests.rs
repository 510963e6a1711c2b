use super::*;
use crate::testing;

fn valid() -> DirectoryDocument {
    testing::directory_document("Contoso staff (Entra)")
}

/// Applies `edit` to a valid document and returns the fields that failed.
fn failing_fields(edit: impl FnOnce(&mut DirectoryDocument)) -> Vec<String> {
    let mut doc = valid();
    edit(&mut doc);
    match Directory::from_document(&doc) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| e.field).collect(),
    }
}

#[test]
fn a_complete_document_is_valid() {
    let dir = Directory::from_document(&valid()).unwrap();
    assert_eq!(dir.name.as_str(), "Contoso staff (Entra)");
    assert!(dir.pkce);
    assert!(dir.warnings().is_empty());
}

#[test]
fn every_rule_of_the_directory_names_its_field() {
    type Edit = fn(&mut DirectoryDocument);
    let cases: &[(&str, Edit, &[&str])] = &[
        ("empty name", |d| d.name = "  ".into(), &["name"]),
        ("long name", |d| d.name = "n".repeat(101), &["name"]),
        (
            "no logo",
            |d| d.logo_png_base64.clear(),
            &["logo_png_base64"],
        ),
        (
            "bad logo",
            |d| d.logo_png_base64 = "aGVsbG8=".into(),
            &["logo_png_base64"],
        ),
        (
            "no authorization url",
            |d| d.authorization_url.clear(),
            &["authorization_url"],
        ),
        (
            "relative token url",
            |d| d.token_url = "/token".into(),
            &["token_url"],
        ),
        (
            "http userinfo",
            |d| d.userinfo_url = Some("http://idp.example.com/ui".into()),
            &["userinfo_url"],
        ),
        (
            "blank userinfo is none",
            |d| d.userinfo_url = Some("  ".into()),
            &[],
        ),
        (
            "bad issuer",
            |d| d.issuer = Some("not a url".into()),
            &["issuer"],
        ),
        (
            "bad jwks",
            |d| d.jwks_uri = Some("ftp://x.example/keys".into()),
            &["jwks_uri"],
        ),
        (
            "loopback http ok",
            |d| d.token_url = "http://127.0.0.1:4000/token".into(),
            &[],
        ),
        ("no scopes", |d| d.scopes = " ".into(), &["scopes"]),
        ("no client id", |d| d.client_id.clear(), &["client_id"]),
        (
            "client id with space",
            |d| d.client_id = "a b".into(),
            &["client_id"],
        ),
        (
            "bad expiry",
            |d| d.client_secret_expires_on = Some("31.3.2027".into()),
            &["client_secret_expires_on"],
        ),
        (
            "empty claim",
            |d| d.claims.email.claim = " ".into(),
            &["claims.email.claim"],
        ),
        (
            "two empty claims",
            |d| {
                d.claims.first_name.claim.clear();
                d.claims.last_name.claim.clear();
            },
            &["claims.first_name.claim", "claims.last_name.claim"],
        ),
        (
            "staff exists without claim",
            |d| d.staff = StaffRule::ClaimExists { claim: "".into() },
            &["staff.claim"],
        ),
        (
            "staff equals without value",
            |d| {
                d.staff = StaffRule::ClaimEquals {
                    claim: "roles".into(),
                    value: "".into(),
                }
            },
            &["staff.value"],
        ),
        (
            "bad domain",
            |d| d.domain_suffixes = vec!["example".into()],
            &["domain_suffixes"],
        ),
        (
            "low port",
            |d| d.test_redirect_port = Some(80),
            &["test_redirect_port"],
        ),
        ("bad id", |d| d.id = Some("123".into()), &["id"]),
        (
            "control char in status",
            |d| d.new_contact_status = "a\u{7}".into(),
            &["new_contact_status"],
        ),
    ];
    for (name, edit, want) in cases {
        assert_eq!(failing_fields(edit), *want, "{name}");
    }
}

#[test]
fn all_errors_are_reported_at_once() {
    let doc = DirectoryDocument::default();
    let fields: Vec<String> = Directory::from_document(&doc)
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        [
            "name",
            "logo_png_base64",
            "authorization_url",
            "token_url",
            "client_id"
        ]
    );
}

#[test]
fn defaults_follow_seed_000() {
    let doc = DirectoryDocument::default();
    assert_eq!(doc.scopes, "openid email profile");
    assert!(doc.pkce && !doc.response_mode_form_post && !doc.token_endpoint_basic_auth);
    assert_eq!(
        doc.claims.external_id,
        ClaimMapping {
            claim: "sub".into(),
            source: ClaimSource::IdToken
        }
    );
    assert_eq!(doc.claims.username.claim, "email");
    assert_eq!(doc.claims.first_name.claim, "given_name");
    assert_eq!(doc.claims.last_name.claim, "family_name");
    assert_eq!(doc.staff, StaffRule::None);
}

#[test]
fn values_are_normalised() {
    let mut doc = valid();
    doc.name = "  Padded  ".into();
    doc.scopes = " openid   email ".into();
    doc.domain_suffixes = vec!["Example.ORG, bücher.example".into()];
    doc.claims.email.claim = " mail ".into();
    let dir = Directory::from_document(&doc).unwrap();
    let back = dir.to_document();
    assert_eq!(back.name, "Padded");
    assert_eq!(back.scopes, "openid email");
    assert_eq!(
        back.domain_suffixes,
        ["example.org", "xn--bcher-kva.example"]
    );
    assert_eq!(back.claims.email.claim, "mail");
}

#[test]
fn missing_openid_and_mutable_external_id_are_warnings_not_errors() {
    let mut doc = valid();
    doc.scopes = "email profile".into();
    doc.claims.external_id.claim = "email".into();
    let dir = Directory::from_document(&doc).unwrap();
    let fields: Vec<String> = dir.warnings().into_iter().map(|w| w.field).collect();
    assert_eq!(fields, ["scopes", "claims.external_id.claim"]);
}

#[test]
fn json_document_round_trip_matches_design_7_1() {
    let json = serde_json::json!({
        "id": "531b5f5e-2a2a-4b73-b109-3f17f7f34e36",
        "name": "Contoso staff (Entra)",
        "logo_png_base64": valid().logo_png_base64,
        "discovery_domain": "login.microsoftonline.com/contoso.onmicrosoft.com/v2.0",
        "authorization_url": "https://login.microsoftonline.com/t/oauth2/v2.0/authorize",
        "token_url": "https://login.microsoftonline.com/t/oauth2/v2.0/token",
        "userinfo_url": "https://graph.microsoft.com/oidc/userinfo",
        "issuer": "https://login.microsoftonline.com/t/v2.0",
        "jwks_uri": "https://login.microsoftonline.com/t/discovery/v2.0/keys",
        "scopes": "openid email profile",
        "client_id": "6731de76-14a6-49ae-97bc-6eba6914391e",
        "client_secret_expires_on": "2027-03-31",
        "pkce": true,
        "response_mode_form_post": false,
        "token_endpoint_basic_auth": false,
        "new_contact_member_type": "",
        "new_contact_status": "",
        "claims": {
            "external_id": { "claim": "oid", "source": "id_token" },
            "username":    { "claim": "email", "source": "id_token" },
            "email":       { "claim": "email", "source": "id_token" },
            "first_name":  { "claim": "given_name", "source": "id_token" },
            "last_name":   { "claim": "family_name", "source": "userinfo" }
        },
        "staff": { "mode": "claim_equals", "claim": "roles", "value": "Staff" },
        "is_hidden": false,
        "domain_suffixes": ["contoso.com"],
        "test_redirect_port": null
    });
    let doc: DirectoryDocument = serde_json::from_value(json.clone()).unwrap();
    let dir = Directory::from_document(&doc).unwrap();
    assert_eq!(serde_json::to_value(dir.to_document()).unwrap(), json);
}

#[test]
fn unknown_fields_from_newer_versions_are_ignored() {
    let mut json = serde_json::to_value(valid()).unwrap();
    json["some_future_field"] = serde_json::json!(true);
    let doc: DirectoryDocument = serde_json::from_value(json).unwrap();
    assert!(Directory::from_document(&doc).is_ok());
}

#[test]
fn a_document_with_only_required_fields_gets_the_defaults() {
    let full = valid();
    let json = serde_json::json!({
        "name": "Minimal",
        "logo_png_base64": full.logo_png_base64,
        "authorization_url": "https://idp.example.com/authorize",
        "token_url": "https://idp.example.com/token",
        "client_id": "abc",
    });
    let doc: DirectoryDocument = serde_json::from_value(json).unwrap();
    assert_eq!(doc.scopes, DEFAULT_SCOPES);
    assert!(doc.pkce);
    assert!(Directory::from_document(&doc).is_ok());
}
