//! Faults a real SCIM server does not produce, from a raw HTTP stub: each is reported clearly,
//! nothing panics, and the dry run cleans up whatever it created.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sso_console::scim::lifecycle::{self, DryRunOptions, DryRunReport, StepStatus};
use sso_console::scim::templates;
use sso_console::scim::test_connection::{self, TestConnectionReport};

use crate::scim_support::{empty_list, Reply, Seen, Stub};

const TOKEN: &str = "stub-token-0123456789-never-logged";

async fn test_with(
    handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static,
) -> (Stub, TestConnectionReport) {
    let stub = Stub::start(handler).await;
    let report =
        test_connection::test_connection(&stub.client(TOKEN, Duration::from_secs(5))).await;
    let text = serde_json::to_string(&report).unwrap();
    assert!(!text.contains(TOKEN), "the token is in the report");
    (stub, report)
}

fn first_codes(report: &TestConnectionReport) -> Vec<String> {
    report.checks[0]
        .findings
        .iter()
        .map(|f| f.code.clone())
        .collect()
}

#[tokio::test]
async fn a_401_is_reported_as_the_token_and_entra_would_say_invalid_credentials() {
    let (stub, report) = test_with(|_| {
        Reply::scim(401, json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "401", "detail": "Bad token"}))
    })
    .await;
    assert_eq!(first_codes(&report), ["token_rejected"]);
    assert!(report.checks[0].findings[0].message.contains("Bad token"));
    assert!(report.verdicts[0].summary.contains("'invalid credentials'"));
    assert!(!report.passed);
    let seen = stub.seen();
    let authorization = seen[0]
        .headers
        .iter()
        .find(|(k, _)| k == "authorization")
        .unwrap();
    assert_eq!(
        authorization.1,
        format!("Bearer {TOKEN}"),
        "the token is sent to the server"
    );
    assert!(seen[0]
        .headers
        .iter()
        .any(|(k, v)| k == "adscimversion" && v == "5.0"));
}

#[tokio::test]
async fn a_403_is_reported_as_missing_rights() {
    let (_stub, report) = test_with(|_| Reply::scim(403, json!({"detail": "forbidden"}))).await;
    assert_eq!(first_codes(&report), ["token_forbidden"]);
}

#[tokio::test]
async fn a_404_is_a_wrong_base_path_and_the_right_one_is_found() {
    let stub = Stub::start(|seen| {
        if seen.target.starts_with("/scim/v2/Users") {
            Reply::scim(200, empty_list())
        } else {
            Reply::raw(404, "text/plain", "Not Found")
        }
    })
    .await;
    let report =
        test_connection::test_connection(&stub.client(TOKEN, Duration::from_secs(5))).await;
    assert_eq!(first_codes(&report), ["wrong_base_path"]);
    let expected = format!("{}/scim/v2", stub.base_url);
    assert_eq!(
        report.suggested_base_url.as_deref(),
        Some(expected.as_str())
    );
    assert!(report.checks[0].findings[0].fix.contains(&expected));
    let entra = &report.verdicts[0];
    assert!(
        entra.summary.contains("'invalid credentials'")
            && entra.summary.contains("not the credentials"),
        "{}",
        entra.summary
    );
    let configuration = &report.checks[3];
    assert_eq!(configuration.findings[0].code, "configuration_missing");
}

#[tokio::test]
async fn a_500_is_a_server_error_that_entra_would_call_invalid_credentials() {
    let (_stub, report) = test_with(|_| {
        Reply::scim(500, json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "500", "detail": "database is down"}))
    })
    .await;
    assert_eq!(first_codes(&report), ["server_error"]);
    assert!(report.checks[0].findings[0]
        .message
        .contains("database is down"));
    assert!(report.verdicts[0].summary.contains("'invalid credentials'"));
    assert!(report.verdicts[0].summary.contains("not the credentials"));
}

#[tokio::test]
async fn an_html_page_answered_with_200_is_not_a_scim_endpoint() {
    let (_stub, report) = test_with(|_| {
        Reply::raw(
            200,
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html><body>Sign in</body></html>",
        )
    })
    .await;
    assert_eq!(first_codes(&report), ["not_scim_endpoint"]);
    assert!(!report.passed);
}

#[tokio::test]
async fn a_401_labelled_html_is_the_token_and_never_a_web_site() {
    // An empty body and a sign-in page both come labelled text/html from real servers' 401s.
    for body in [
        "",
        "<!DOCTYPE html><html><body>Please sign in</body></html>",
    ] {
        let (_stub, report) = test_with(move |_| Reply::raw(401, "text/html", body)).await;
        for check in &report.checks {
            let codes: Vec<&str> = check.findings.iter().map(|f| f.code.as_str()).collect();
            assert!(
                !codes.contains(&"not_scim_endpoint"),
                "body {body:?}: {}: {codes:?}",
                check.purpose
            );
        }
        assert_eq!(first_codes(&report), ["token_rejected"], "body {body:?}");
    }
}

#[tokio::test]
async fn an_empty_200_labelled_html_is_not_called_a_web_site() {
    let (_stub, report) = test_with(|_| Reply::raw(200, "text/html", "")).await;
    assert!(
        !first_codes(&report).contains(&"not_scim_endpoint".to_owned()),
        "{:?}",
        first_codes(&report)
    );
    assert!(!report.passed);
}

#[tokio::test]
async fn a_slow_server_times_out_quickly_with_a_clear_message() {
    let stub = Stub::start(|_| Reply::scim(200, empty_list()).after(Duration::from_secs(3))).await;
    let started = Instant::now();
    let report =
        test_connection::test_connection(&stub.client(TOKEN, Duration::from_millis(300))).await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(first_codes(&report), ["timeout"]);
    assert!(
        report.checks[0].findings[0].message.contains("0.3 s"),
        "{}",
        report.checks[0].findings[0].message
    );
    assert_eq!(report.checks[0].exchange.status, None);
}

#[tokio::test]
async fn list_responses_with_missing_parts_or_the_wrong_media_type_are_flagged() {
    let (_stub, report) = test_with(|seen| {
        if seen.target.starts_with("/ServiceProviderConfig") {
            Reply::raw(200, "application/json", "{\"patch\": {\"supported\": true}}")
        } else {
            Reply::raw(200, "application/json", "{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"], \"totalResults\": 0}")
        }
    })
    .await;
    assert_eq!(
        first_codes(&report),
        ["json_media_type", "missing_resources_empty"]
    );
    let okta: Vec<String> = report.checks[2]
        .findings
        .iter()
        .map(|f| f.code.clone())
        .collect();
    assert_eq!(
        okta,
        [
            "json_media_type",
            "missing_resources_empty",
            "missing_paging",
            "missing_paging"
        ]
    );
    assert!(report.passed, "warnings only: {report:#?}");

    let (_stub, report) = test_with(|_| Reply::scim(200, json!({"Resources": []}))).await;
    assert!(first_codes(&report).contains(&"missing_total_results".to_owned()));
    assert!(!report.passed);
}

#[tokio::test]
async fn a_server_that_ignores_filters_is_caught() {
    let (_stub, report) = test_with(|_| {
        Reply::scim(200, json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 1, "startIndex": 1, "itemsPerPage": 1, "Resources": [{"id": "7", "userName": "someone@example.com"}]}))
    })
    .await;
    assert_eq!(first_codes(&report), ["filter_ignored"]);
    assert!(report.verdicts[1].passed, "Okta's listing is fine");
}

#[tokio::test]
async fn garbage_answers_are_reported_without_panicking() {
    for body in [
        "",
        "not json",
        "[1,2,3]",
        "{\"totalResults\": \"many\", \"Resources\": 3}",
        "\u{0}\u{1}\u{2}",
    ] {
        let (_stub, report) =
            test_with(move |_| Reply::raw(200, "application/scim+json", body)).await;
        assert!(!report.passed, "{body:?}");
        assert!(!report.checks[0].findings.is_empty(), "{body:?}");
    }
    let stub = Stub::start(|_| Reply::raw(599, "x/y", "??")).await;
    let report =
        test_connection::test_connection(&stub.client(TOKEN, Duration::from_secs(5))).await;
    assert_eq!(first_codes(&report), ["server_error"]);
}

/// A fake SCIM server for the dry run: `patch` and `delete` decide the answers to PATCH and
/// DELETE on users.
fn fake(create: u16, patch: u16, delete: u16) -> impl Fn(&Seen) -> Reply + Send + Sync + 'static {
    let deleted = Arc::new(AtomicBool::new(false));
    move |seen| {
        let path = seen.target.split('?').next().unwrap_or_default();
        match (seen.method.as_str(), path) {
            ("GET", "/Users") => Reply::scim(200, empty_list()),
            ("POST", "/Users") if create == 201 => {
                Reply::scim(201, json!({"id": "u-1", "userName": "x"}))
            }
            ("POST", "/Users") => Reply::scim(
                create,
                json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": create.to_string(), "scimType": "uniqueness", "detail": "userName is already taken"}),
            ),
            ("GET", "/Users/u-1") if deleted.load(Ordering::SeqCst) => {
                Reply::scim(404, json!({"detail": "gone"}))
            }
            ("GET", "/Users/u-1") => Reply::scim(200, json!({"id": "u-1", "active": true})),
            ("PATCH", "/Users/u-1") => {
                Reply::scim(patch, json!({"detail": "PATCH is not supported"}))
            }
            ("DELETE", "/Users/u-1") => {
                if delete == 204 {
                    deleted.store(true, Ordering::SeqCst);
                    Reply::no_content()
                } else {
                    Reply::scim(delete, json!({"detail": "cannot delete"}))
                }
            }
            ("POST", "/Groups") => Reply::scim(201, json!({"id": "g-1", "displayName": "x"})),
            ("PATCH", "/Groups/g-1") => Reply::no_content(),
            ("GET", "/Groups/g-1") => Reply::scim(200, json!({"id": "g-1", "displayName": "x"})),
            ("DELETE", "/Groups/g-1") => Reply::no_content(),
            _ => Reply::scim(404, json!({"detail": "no route"})),
        }
    }
}

async fn run_against(stub: &Stub) -> DryRunReport {
    run_until(stub, &tokio_util::sync::CancellationToken::new()).await
}

/// The Entra template's dry run of Adele Vance against the stub, until `cancel`.
async fn run_until(stub: &Stub, cancel: &tokio_util::sync::CancellationToken) -> DryRunReport {
    let set = templates::template("entra-default")
        .unwrap()
        .document
        .check()
        .unwrap();
    let user: Value = templates::sample_user("entra-adele-vance").unwrap().user;
    let report = lifecycle::dry_run_until(
        &stub.client(TOKEN, Duration::from_secs(5)),
        &set,
        &user,
        None,
        DryRunOptions::default(),
        cancel,
    )
    .await;
    let text = serde_json::to_string(&report).unwrap();
    assert!(!text.contains(TOKEN), "the token is in the dry-run log");
    report
}

/// The requests that could change something on the stub ("POST /Users"…), in order.
fn writes(stub: &Stub) -> Vec<String> {
    stub.seen()
        .iter()
        .filter(|s| s.method != "GET")
        .map(|s| format!("{} {}", s.method, s.target))
        .collect()
}

fn step<'a>(report: &'a DryRunReport, name: &str) -> &'a lifecycle::DryRunStep {
    report
        .steps
        .iter()
        .find(|s| s.name.starts_with(name))
        .unwrap_or_else(|| panic!("no step {name}: {report:#?}"))
}

#[tokio::test]
async fn a_create_answering_409_fails_clearly_and_the_group_is_still_cleaned_up() {
    let stub = Stub::start(fake(409, 204, 204)).await;
    let report = run_against(&stub).await;
    let create = step(&report, "create the user");
    assert_eq!(create.status, StepStatus::Failed);
    assert_eq!(create.findings[0].code, "conflict");
    assert!(create.findings[0]
        .message
        .contains("userName is already taken"));
    assert_eq!(step(&report, "update the user").status, StepStatus::Skipped);
    assert_eq!(step(&report, "delete the group").status, StepStatus::Passed);
    assert!(report.cleaned_up && !report.passed);
    let writes = writes(&stub);
    assert_eq!(
        writes,
        ["POST /Users", "POST /Groups", "DELETE /Groups/g-1"]
    );
}

#[tokio::test]
async fn patch_answering_405_or_501_is_reported_and_the_user_is_still_deleted() {
    for status in [405, 501] {
        let stub = Stub::start(fake(201, status, 204)).await;
        let report = run_against(&stub).await;
        let update = step(&report, "update the user");
        assert_eq!(update.status, StepStatus::Failed, "{status}");
        assert_eq!(update.findings[0].code, "patch_unsupported");
        assert!(update.findings[0].fix.contains("Entra"));
        assert_eq!(
            step(&report, "deactivate the user").status,
            StepStatus::Failed
        );
        assert_eq!(step(&report, "delete the user").status, StepStatus::Passed);
        assert_eq!(
            step(&report, "confirm the user is gone").status,
            StepStatus::Passed
        );
        assert!(
            report.cleaned_up && report.leftovers.is_empty(),
            "{report:#?}"
        );
        assert!(!report.passed);
        assert!(stub
            .seen()
            .iter()
            .any(|s| s.method == "PATCH" && s.body.contains("\"op\": \"replace\"")));
    }
}

/// The fake server, with a group that keeps its members and answers them whatever
/// `excludedAttributes` says when `honour` is false.
fn fake_groups(honour: bool) -> impl Fn(&Seen) -> Reply + Send + Sync + 'static {
    let users = fake(201, 204, 204);
    let member = Arc::new(AtomicBool::new(false));
    move |seen| {
        let excluded = seen.target.contains("excludedAttributes=members");
        match (
            seen.method.as_str(),
            seen.target.split('?').next().unwrap_or_default(),
        ) {
            ("PATCH", "/Groups/g-1") => {
                member.store(
                    seen.body.to_lowercase().contains("\"add\""),
                    Ordering::SeqCst,
                );
                Reply::no_content()
            }
            ("GET", "/Groups/g-1") => {
                let members = if member.load(Ordering::SeqCst) && !(honour && excluded) {
                    json!([{ "value": "u-1" }])
                } else {
                    json!([])
                };
                Reply::scim(
                    200,
                    json!({"id": "g-1", "displayName": "x", "members": members}),
                )
            }
            _ => users(seen),
        }
    }
}

#[tokio::test]
async fn the_members_are_left_out_while_the_group_has_one_or_the_server_is_named() {
    for honour in [false, true] {
        let stub = Stub::start(fake_groups(honour)).await;
        let report = run_against(&stub).await;
        let read = step(&report, "read the group without its members");
        let codes: Vec<&str> = read.findings.iter().map(|f| f.code.as_str()).collect();
        if honour {
            assert!(codes.is_empty(), "{codes:?}");
        } else {
            assert_eq!(codes, ["excluded_attributes_ignored"]);
            assert!(
                read.findings[0]
                    .message
                    .contains("the server ignores excludedAttributes=members"),
                "{}",
                read.findings[0].message
            );
        }
        // The read came between adding and removing the member.
        let order: Vec<&str> = report.steps.iter().map(|s| s.name.as_str()).collect();
        let at = |name: &str| order.iter().position(|s| s.starts_with(name)).unwrap();
        assert!(
            at("add the user") < at("read the group without")
                && at("read the group without") < at("remove the user"),
            "{order:?}"
        );
    }
}

#[tokio::test]
async fn a_patch_refused_on_one_path_is_not_called_a_server_without_patch() {
    let users = fake(201, 204, 204);
    let stub = Stub::start(move |seen| {
        if seen.method == "PATCH" && seen.target.starts_with("/Groups/") {
            Reply::scim(501, json!({"detail": "member changes are not implemented"}))
        } else {
            users(seen)
        }
    })
    .await;
    let report = run_against(&stub).await;
    assert_eq!(step(&report, "update the user").status, StepStatus::Passed);
    let add = step(&report, "add the user to the group");
    assert_eq!(add.status, StepStatus::Failed);
    assert_eq!(add.findings[0].code, "patch_operation_unsupported");
    let message = &add.findings[0].message;
    assert!(
        message.contains("although it took PATCH /Users/u-1")
            && !message.contains("does not take PATCH"),
        "{message}"
    );
}

#[tokio::test]
async fn a_group_that_may_exist_unseen_is_never_called_cleaned_up() {
    for (reply, want) in [
        (
            Reply::scim(201, json!({"displayName": "x"})),
            "came back without an id",
        ),
        (
            Reply::scim(500, json!({"detail": "database is down"})),
            "may have been created",
        ),
    ] {
        let users = fake(201, 204, 204);
        let stub = Stub::start(move |seen| {
            if seen.method == "POST" && seen.target.starts_with("/Groups") {
                reply.clone()
            } else {
                users(seen)
            }
        })
        .await;
        let report = run_against(&stub).await;
        assert!(!report.cleaned_up, "{want}: {report:#?}");
        assert!(
            report
                .leftovers
                .iter()
                .any(|l| l.contains("test group") && l.contains(want)),
            "{want}: {:?}",
            report.leftovers
        );
    }
}

#[tokio::test]
async fn an_empty_error_detail_is_not_quoted() {
    let (_stub, report) = test_with(|_| Reply::scim(500, json!({"detail": "  "}))).await;
    let message = &report.checks[0].findings[0].message;
    assert!(!message.contains("The server says"), "{message}");
}

#[tokio::test]
async fn when_the_delete_fails_the_clean_up_retries_and_says_what_is_left() {
    let stub = Stub::start(fake(201, 204, 500)).await;
    let report = run_against(&stub).await;
    assert_eq!(step(&report, "delete the user").status, StepStatus::Failed);
    let cleanup = step(&report, "clean-up: delete the test user u-1");
    assert!(cleanup.cleanup);
    assert_eq!(cleanup.status, StepStatus::Failed);
    assert!(!report.cleaned_up);
    assert_eq!(report.leftovers.len(), 1);
    assert!(
        report.leftovers[0].contains("u-1") && report.leftovers[0].contains("by hand"),
        "{:?}",
        report.leftovers
    );
}

#[tokio::test]
async fn a_create_that_times_out_is_looked_for_and_removed() {
    let created = Arc::new(AtomicBool::new(false));
    let stub = Stub::start({
        let created = created.clone();
        move |seen| {
            let path = seen.target.split('?').next().unwrap_or_default();
            match (seen.method.as_str(), path) {
                ("POST", "/Users") => {
                    created.store(true, Ordering::SeqCst);
                    Reply::scim(201, json!({"id": "late"})).after(Duration::from_secs(3))
                }
                ("GET", "/Users") if created.load(Ordering::SeqCst) => Reply::scim(
                    200,
                    json!({"totalResults": 1, "Resources": [{"id": "late"}]}),
                ),
                ("GET", "/Users") => Reply::scim(200, empty_list()),
                ("DELETE", "/Users/late") => Reply::no_content(),
                _ => Reply::scim(404, json!({})),
            }
        }
    })
    .await;
    let set = templates::template("entra-default")
        .unwrap()
        .document
        .check()
        .unwrap();
    let user = templates::sample_user("entra-adele-vance").unwrap().user;
    let started = Instant::now();
    let report = lifecycle::dry_run(
        &stub.client(TOKEN, Duration::from_millis(500)),
        &set,
        &user,
        None,
        DryRunOptions::default(),
    )
    .await;
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(
        step(&report, "create the user").findings[0].code,
        "no_answer"
    );
    assert_eq!(
        step(&report, "clean-up: delete the test user late").status,
        StepStatus::Passed
    );
    assert!(report.cleaned_up, "{report:#?}");
}

#[tokio::test]
async fn the_review_names_what_a_weak_server_configuration_lacks() {
    // PATCH and filter off, HTTP Basic only, users but no groups: what Entra and Okta need.
    let stub = Stub::start(|seen| {
        let path = seen.target.split('?').next().unwrap_or_default();
        if path.ends_with("/ServiceProviderConfig") {
            Reply::scim(200, json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
                "patch": {"supported": false},
                "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
                "filter": {"supported": false, "maxResults": 0},
                "changePassword": {"supported": false},
                "sort": {"supported": false},
                "etag": {"supported": false},
                "authenticationSchemes": [{"type": "httpbasic", "name": "HTTP Basic", "description": "user and password"}],
            }))
        } else if path.ends_with("/Schemas") {
            Reply::scim(200, json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                "totalResults": 1, "Resources": [{
                    "id": "urn:ietf:params:scim:schemas:core:2.0:User", "name": "User",
                    "attributes": [{"name": "userName", "type": "string", "multiValued": false,
                                    "required": true, "uniqueness": "server"}],
                }],
            }))
        } else if path.ends_with("/ResourceTypes") {
            Reply::scim(200, json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                "totalResults": 1, "Resources": [{
                    "id": "User", "name": "User", "endpoint": "/Users",
                    "schema": "urn:ietf:params:scim:schemas:core:2.0:User",
                }],
            }))
        } else {
            Reply::scim(404, json!({"status": "404"}))
        }
    })
    .await;
    let client = stub.client(TOKEN, Duration::from_secs(5));
    let (review, schemas) = sso_console::scim::review::review(&client, None).await;
    let codes: Vec<&str> = review.findings.iter().map(|f| f.code.as_str()).collect();
    for want in [
        "patch_unsupported",
        "filter_unsupported",
        "no_bearer_scheme",
        "groups_unsupported",
    ] {
        assert!(codes.contains(&want), "{want} in {codes:?}");
    }
    assert!(!review.passed, "PATCH and filter missing are errors");
    assert!(schemas.is_some(), "the declared schemas are still read");
    assert_eq!(stub.seen().len(), 3, "three GETs, nothing written");
    assert!(stub.seen().iter().all(|s| s.method == "GET"));
    assert!(!serde_json::to_string(&review).unwrap().contains(TOKEN));
}

#[tokio::test]
async fn a_dry_run_cancelled_after_the_create_sends_nothing_more_but_deletes_the_user() {
    let cancel = tokio_util::sync::CancellationToken::new();
    let stub = {
        let cancel = cancel.clone();
        let server = fake(201, 204, 204);
        // The person presses Cancel while the create is under way.
        Stub::start(move |seen| {
            if seen.method == "POST" && seen.target == "/Users" {
                cancel.cancel();
            }
            server(seen)
        })
        .await
    };
    let report = run_until(&stub, &cancel).await;
    assert!(report.cancelled && !report.passed, "{report:#?}");
    assert_eq!(step(&report, "create the user").status, StepStatus::Passed);
    let update = step(&report, "update the user");
    assert_eq!(update.status, StepStatus::Skipped);
    assert_eq!(
        update.note.as_deref(),
        Some("not sent: the dry run was cancelled")
    );
    assert!(report.cleaned_up, "{report:#?}");
    let writes = writes(&stub);
    assert_eq!(writes, ["POST /Users", "DELETE /Users/u-1"]);
}
