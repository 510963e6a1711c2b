//! The SCIM check against a real SCIM 2.0 server (scim2-server) on 127.0.0.1.

use reqwest::Method;
use serde_json::Value;
use sso_console::findings::{Finding, Severity};
use sso_console::http::HttpClient;
use sso_console::scim::lifecycle::{self, DryRunOptions, StepStatus};
use sso_console::scim::mapping::{AttributeMapping, MappingSource};
use sso_console::scim::preview::{self, PreviewOptions};
use sso_console::scim::review::{self, SchemaKind};
use sso_console::scim::templates;
use sso_console::scim::test_connection;
use sso_console::scim::{BaseUrl, ScimClient};

use crate::scim_support::{leaks, ScimServer, ILMS};

fn learning_platform() -> sso_console::scim::MappingDocument {
    templates::template("learning-platform-entra")
        .expect("template")
        .document
}

fn adele() -> Value {
    templates::sample_user("entra-adele-vance")
        .expect("sample")
        .user
}

fn codes(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}

#[tokio::test]
async fn test_connection_passes_against_a_real_scim_server_with_the_right_token() {
    let server = ScimServer::start();
    let report = test_connection::test_connection(&server.client()).await;
    assert!(report.passed, "{report:#?}");
    assert_eq!(report.checks.len(), 4);
    for check in &report.checks {
        assert!(check.passed, "{check:#?}");
        assert_eq!(check.exchange.status, Some(200), "{check:#?}");
    }
    let entra = &report.checks[0].exchange;
    assert!(
        entra.path.starts_with("/Users?filter=externalId eq \""),
        "{}",
        entra.path
    );
    assert!(entra
        .request_headers
        .iter()
        .any(|h| h.name == "ADSCIMVersion" && h.value == "5.0"));
    assert!(report.checks[1]
        .exchange
        .path
        .starts_with("/Users?filter=userName eq \""));
    assert_eq!(
        report.checks[2].exchange.path,
        "/Users?startIndex=1&count=2"
    );
    assert!(report.verdicts.iter().all(|v| v.passed));
    let text = serde_json::to_string(&report).unwrap();
    assert!(!leaks(&text, &server.token), "the token is in the report");
    assert!(text.contains("Bearer <redacted>"));
}

#[tokio::test]
async fn test_connection_with_a_wrong_token_blames_the_token_and_says_what_entra_would_say() {
    let server = ScimServer::start();
    let report = test_connection::test_connection(&server.client_with(Some("not-the-token"))).await;
    assert!(!report.passed);
    let first = &report.checks[0];
    assert_eq!(first.exchange.status, Some(401));
    assert_eq!(codes(&first.findings), ["token_rejected"]);
    let entra = &report.verdicts[0];
    assert!(!entra.passed);
    assert!(
        entra.summary.contains("'invalid credentials'"),
        "{}",
        entra.summary
    );
    assert!(
        entra.summary.contains("credentials are indeed the problem"),
        "{}",
        entra.summary
    );
    assert!(
        report.verdicts[1].summary.contains("Okta"),
        "{:?}",
        report.verdicts[1]
    );

    let none = test_connection::test_connection(&server.client_with(None)).await;
    assert_eq!(codes(&none.checks[0].findings), ["token_missing"]);
    assert!(!none.token_sent);
}

#[tokio::test]
async fn a_tenant_url_ending_in_users_is_caught_and_the_real_base_suggested() {
    let server = ScimServer::start();
    let client = ScimClient::new(
        HttpClient::standard().unwrap(),
        BaseUrl::parse(&format!("{}/Users", server.base_url)).unwrap(),
        Some(sso_console::sensitive::SecretString::new(&server.token)),
    );
    let report = test_connection::test_connection(&client).await;
    assert!(!report.passed);
    assert_eq!(
        report.suggested_base_url.as_deref(),
        Some(server.base_url.as_str())
    );
    let finding = &report.checks[0].findings[0];
    assert_eq!(finding.code, "wrong_base_path");
    assert!(finding.fix.contains(&server.base_url), "{}", finding.fix);
    assert!(
        report.verdicts[0].summary.contains("not the credentials"),
        "{}",
        report.verdicts[0].summary
    );
}

#[tokio::test]
async fn the_endpoint_review_reads_configuration_schemas_and_the_custom_extension() {
    let server = ScimServer::start_with_extension().await;
    let set = learning_platform().check().unwrap();
    let (report, schemas) = review::review(&server.client(), Some(&set)).await;
    assert!(report.passed, "{:#?}", report.findings);
    assert!(schemas.is_some());
    let support = report.support.as_ref().expect("configuration read");
    assert!(support.patch && support.filter && support.bulk && support.etag && support.sort);
    assert!(support
        .authentication_schemes
        .iter()
        .any(|s| s == "oauthbearertoken"));
    let ilms = report
        .schemas
        .iter()
        .find(|s| s.definition.id == ILMS)
        .expect("the extension is listed");
    assert_eq!(ilms.kind, SchemaKind::CustomExtension);
    assert!(ilms.on_users && ilms.required_on_users && ilms.used_by_mappings);
    let region = ilms.definition.attribute("region").unwrap();
    assert!(region.required);
    assert_eq!(region.canonical_values, ["EMEA", "AMER", "APAC"]);
    assert_eq!(region.mutability, "readWrite");
    let enterprise = report
        .schemas
        .iter()
        .find(|s| s.kind == SchemaKind::EnterpriseUser)
        .expect("enterprise extension");
    assert!(enterprise.definition.attribute("division").is_some());
    assert!(report.resource_types.iter().any(|r| r.name == "Group"));

    // Mappings that forget the required region and write an attribute the server lacks.
    let mut document = learning_platform();
    document.mappings.retain(|m| !m.target.ends_with(":region"));
    document.mappings.push(AttributeMapping {
        target: format!("{ILMS}:costCentre"),
        source: MappingSource::Constant { value: "x".into() },
        default_value: None,
        match_precedence: None,
        apply: Default::default(),
    });
    document.mappings.push(AttributeMapping {
        target: "urn:example:params:scim:schemas:extension:other:2.0:User:thing".into(),
        source: MappingSource::Constant { value: "x".into() },
        default_value: None,
        match_precedence: None,
        apply: Default::default(),
    });
    let set = document.check().unwrap();
    let (report, _) = review::review(&server.client(), Some(&set)).await;
    assert!(!report.passed);
    let found = codes(&report.findings);
    for code in [
        "attribute_undeclared",
        "extension_undeclared",
        "required_unmapped",
    ] {
        assert!(found.contains(&code), "{code} missing from {found:?}");
    }
    assert!(report
        .findings
        .iter()
        .any(|f| f.code == "required_unmapped" && f.message.contains(&format!("{ILMS}:region"))));
}

#[tokio::test]
async fn the_preview_is_checked_against_the_servers_schemas() {
    let server = ScimServer::start_with_extension().await;
    let set = learning_platform().check().unwrap();
    let (_, schemas) = review::review(&server.client(), Some(&set)).await;
    let schemas = schemas.expect("schemas read");
    let good = preview::preview(
        &set,
        &adele(),
        None,
        Some(&schemas),
        PreviewOptions::default(),
    );
    assert!(good.valid, "{:#?}", good.findings);
    assert!(good.validated_against.contains("/Schemas"));
    assert_eq!(good.create.body[ILMS]["region"], "EMEA");
    assert!(good.update.is_some());

    let mut document = learning_platform();
    for mapping in &mut document.mappings {
        if mapping.target.ends_with(":region") {
            mapping.source = MappingSource::Constant {
                value: "MARS".into(),
            };
        }
        if mapping.target == "active" {
            mapping.source = MappingSource::Constant {
                value: "maybe".into(),
            };
        }
    }
    document.mappings.push(AttributeMapping {
        target: "favouriteColour".into(),
        source: MappingSource::Direct {
            attribute: "mailNickname".into(),
        },
        default_value: None,
        match_precedence: None,
        apply: Default::default(),
    });
    document.mappings.push(AttributeMapping {
        target: "urn:example:params:scim:schemas:extension:other:2.0:User:thing".into(),
        source: MappingSource::Constant { value: "x".into() },
        default_value: None,
        match_precedence: None,
        apply: Default::default(),
    });
    let set = document.check().unwrap();
    let bad = preview::preview(
        &set,
        &adele(),
        None,
        Some(&schemas),
        PreviewOptions::default(),
    );
    assert!(!bad.valid);
    let found = codes(&bad.findings);
    for code in [
        "wrong_type",
        "unknown_attribute",
        "unknown_extension",
        "not_canonical",
    ] {
        assert!(found.contains(&code), "{code} missing from {found:?}");
    }

    let mut missing = learning_platform();
    missing.mappings.retain(|m| !m.target.ends_with(":region"));
    let set = missing.check().unwrap();
    let result = preview::preview(
        &set,
        &adele(),
        None,
        Some(&schemas),
        PreviewOptions::default(),
    );
    assert!(
        codes(&result.findings).contains(&"missing_required_extension"),
        "{:#?}",
        result.findings
    );

    // What the preview accepts, the server accepts.
    let created = server
        .client()
        .send(Method::POST, "/Users", &[], Some(&good.create.body), &[])
        .await;
    assert_eq!(created.code(), Some(201), "{:?}", created.exchange);
    let id = created.json.unwrap()["id"].as_str().unwrap().to_owned();
    let deleted = server
        .client()
        .send(Method::DELETE, &format!("/Users/{id}"), &[], None, &[])
        .await;
    assert_eq!(deleted.code(), Some(204));
}

async fn full_dry_run(entra_quirks: bool) -> lifecycle::DryRunReport {
    let server = ScimServer::start_with_extension().await;
    let before = server.counts().await;
    let set = learning_platform().check().unwrap();
    let (_, schemas) = review::review(&server.client(), Some(&set)).await;
    let options = DryRunOptions {
        entra_quirks,
        ..DryRunOptions::default()
    };
    let report =
        lifecycle::dry_run(&server.client(), &set, &adele(), schemas.as_ref(), options).await;
    assert!(report.cleaned_up, "{report:#?}");
    assert_eq!(report.steps.len(), 13, "{report:#?}");
    assert!(
        report.steps.iter().all(|s| !s.cleanup),
        "nothing was left to clean up"
    );
    let names: Vec<&str> = report.steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names[0], "find the user by its matching attribute");
    assert_eq!(names[12], "confirm the user is gone (404)");
    let user_name = report.test_user_name.clone().unwrap();
    assert!(user_name.contains("+ssocheck"), "{user_name}");
    assert_eq!(
        server.counts().await,
        before,
        "the server is left as it was"
    );
    let log = serde_json::to_string(&report).unwrap();
    assert!(
        !leaks(&log, &server.token),
        "the token is in the dry-run log"
    );
    let update = report.steps[3].exchange.as_ref().unwrap();
    let body = update.request_body.as_deref().unwrap();
    if entra_quirks {
        assert!(body.contains("\"Replace\""), "{body}");
        let deactivate = report.steps[9].exchange.as_ref().unwrap();
        assert!(deactivate
            .request_body
            .as_deref()
            .unwrap()
            .contains("\"False\""));
    } else {
        assert!(body.contains("\"replace\""), "{body}");
    }
    report
}

#[tokio::test]
async fn the_full_user_and_group_lifecycle_runs_and_leaves_the_server_as_it_was() {
    let report = full_dry_run(false).await;
    let failed: Vec<_> = report
        .steps
        .iter()
        .filter(|s| matches!(s.status, StepStatus::Failed | StepStatus::Skipped))
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
    assert!(report.passed);
}

#[tokio::test]
async fn with_entra_quirks_the_server_takes_replace_and_false_but_refuses_entras_member_removal() {
    let report = full_dry_run(true).await;
    let failed: Vec<_> = report
        .steps
        .iter()
        .filter(|s| matches!(s.status, StepStatus::Failed | StepStatus::Skipped))
        .collect();
    assert_eq!(failed.len(), 1, "{failed:#?}");
    assert_eq!(failed[0].name, "remove the user from the group");
    let codes: Vec<&str> = failed[0].findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["bad_request", "entra_member_removal_refused"]);
    assert!(!report.passed);
}

#[tokio::test]
async fn a_read_only_dry_run_sends_only_gets() {
    let server = ScimServer::start_with_extension().await;
    let set = learning_platform().check().unwrap();
    let options = DryRunOptions {
        read_only: true,
        ..DryRunOptions::default()
    };
    let report = lifecycle::dry_run(&server.client(), &set, &adele(), None, options).await;
    assert!(report.passed, "{report:#?}");
    for step in &report.steps {
        if let Some(exchange) = &step.exchange {
            assert_eq!(exchange.method, "GET", "{step:#?}");
        } else {
            assert_eq!(step.status, StepStatus::Skipped);
        }
    }
    assert_eq!(server.counts().await, (0, 0));
}

#[tokio::test]
async fn the_dry_run_never_touches_an_existing_user() {
    let server = ScimServer::start_with_extension().await;
    let set = learning_platform().check().unwrap();
    let existing = preview::preview(&set, &adele(), None, None, PreviewOptions::default());
    let created = server
        .client()
        .send(
            Method::POST,
            "/Users",
            &[],
            Some(&existing.create.body),
            &[],
        )
        .await;
    assert_eq!(created.code(), Some(201), "{:?}", created.exchange);
    let stored_before = server.get_json("/Users").await;
    let options = DryRunOptions {
        keep_values: true,
        ..DryRunOptions::default()
    };
    let report = lifecycle::dry_run(&server.client(), &set, &adele(), None, options).await;
    assert!(!report.passed);
    assert_eq!(report.steps[0].status, StepStatus::Failed);
    assert_eq!(report.steps[0].findings[0].code, "user_exists");
    assert!(report.steps[1..]
        .iter()
        .all(|s| s.status == StepStatus::Skipped));
    assert_eq!(server.get_json("/Users").await, stored_before);
    assert!(report.steps[0].findings[0].severity == Severity::Error);
}

#[tokio::test]
async fn okta_updates_with_put_deactivates_with_its_patch_and_the_server_takes_both() {
    let server = ScimServer::start_with_extension().await;
    let before = server.counts().await;
    let set = templates::template("learning-platform-okta")
        .expect("template")
        .document
        .check()
        .unwrap();
    let grace = templates::sample_user("okta-grace-hopper")
        .expect("sample")
        .user;
    let (_, schemas) = review::review(&server.client(), Some(&set)).await;

    // The preview shows the PUT, with the whole user, checked against the server's schemas.
    let shown = preview::preview(
        &set,
        &grace,
        None,
        schemas.as_ref(),
        PreviewOptions::default(),
    );
    let update = shown.update.as_ref().expect("a change to show");
    assert_eq!(update.method, "PUT");
    assert_eq!(update.path, "/Users/{id}");
    assert_eq!(update.body["id"], "{id}");
    assert_eq!(update.body["active"], true);
    assert!(update.body["userName"].is_string(), "{:#}", update.body);
    assert_eq!(
        shown.deactivate.body["Operations"][0],
        serde_json::json!({"op": "replace", "value": {"active": false}}),
        "Okta deactivates with a PATCH whose value is an object"
    );
    assert!(shown.valid, "{:#?}", shown.findings);

    let report = lifecycle::dry_run(
        &server.client(),
        &set,
        &grace,
        schemas.as_ref(),
        DryRunOptions::default(),
    )
    .await;
    let step = report
        .steps
        .iter()
        .find(|s| s.name.starts_with("update the user"))
        .unwrap();
    assert_eq!(step.status, StepStatus::Passed, "{step:#?}");
    let exchange = step.exchange.as_ref().unwrap();
    assert_eq!(exchange.method, "PUT");
    assert!(exchange.path.starts_with("/Users/"), "{}", exchange.path);
    let deactivate = report
        .steps
        .iter()
        .find(|s| s.name.starts_with("deactivate the user"))
        .unwrap();
    assert_eq!(deactivate.status, StepStatus::Passed, "{deactivate:#?}");
    assert!(report.passed, "{report:#?}");
    assert_eq!(
        server.counts().await,
        before,
        "the server is left as it was"
    );
}
