//! Commands called with the arguments the UI sends answer in the shapes the UI reads; missing or
//! wrongly typed arguments are refused before the command runs.

use serde_json::{json, Value};
use sso_console::directory::DirectoryDocument;
use tauri::test::assert_ipc_response;

use crate::mock_app::{request, MockApp};

#[test]
fn app_info_names_the_build_and_no_log_file() {
    let app = MockApp::new();
    assert_ipc_response(
        &app.window,
        request("app_info", json!({})),
        Ok(json!({
            "version": sso_console::VERSION,
            "commit": sso_console::COMMIT,
            "log_file": null,
        })),
    );
}

#[test]
fn the_new_directory_template_is_the_empty_document() {
    let app = MockApp::new();
    let template = app.ok("new_directory_template", json!({}));
    assert_eq!(
        template,
        serde_json::to_value(DirectoryDocument::default()).unwrap()
    );
    assert_eq!(template["id"], Value::Null, "{template}");
    assert_eq!(template["domain_suffixes"], json!([]), "{template}");
}

#[test]
fn a_new_workspace_lists_no_directories() {
    let app = MockApp::new();
    assert_eq!(
        app.ok("list_directories", json!({ "query": "" })),
        json!([])
    );
    assert_eq!(
        app.ok("list_directories", json!({ "query": "contoso" })),
        json!([])
    );
    assert_eq!(
        app.ok("directories_needing_attention", json!({})),
        json!([])
    );
}

#[test]
fn the_settings_name_the_workspace_folder() {
    let app = MockApp::new();
    let settings = app.ok("get_settings", json!({}));
    let data_dir = app.dir.path().display().to_string();
    assert_eq!(settings["data_dir"], json!(data_dir), "{settings}");
    assert_eq!(settings["sign_in_service_url"], Value::Null, "{settings}");
    let database = settings["database_path"].as_str().unwrap_or_default();
    assert!(database.starts_with(&data_dir), "{settings}");
    assert!(settings["secret_store"].is_string(), "{settings}");
}

#[test]
fn a_sign_in_service_url_set_is_read_back_without_its_trailing_slash() {
    let app = MockApp::new();
    let url = "https://signin.example.com";
    let saved = app.ok(
        "update_settings",
        json!({ "signInServiceUrl": format!("{url}/") }),
    );
    assert_eq!(saved["sign_in_service_url"], json!(url), "{saved}");
    let read = app.ok("get_settings", json!({}));
    assert_eq!(read["sign_in_service_url"], json!(url), "{read}");
    let cleared = app.ok("update_settings", json!({ "signInServiceUrl": null }));
    assert_eq!(cleared["sign_in_service_url"], Value::Null, "{cleared}");
}

#[test]
fn a_secret_expiry_without_a_date_is_not_set() {
    let app = MockApp::new();
    assert_eq!(
        app.ok("secret_expiry", json!({ "date": "" })),
        json!({ "state": "not_set" })
    );
}

#[test]
fn pasted_id_token_claims_are_read_by_source() {
    let app = MockApp::new();
    let claims_json = json!({ "email": "ann@example.com", "sub": "1" }).to_string();
    let pasted = app.ok("parse_claims", json!({ "claimsJson": claims_json }));
    assert_eq!(
        pasted["form"],
        json!({ "form": "id_token_claims" }),
        "{pasted}"
    );
    assert_eq!(
        pasted["claims"]["id_token"]["email"],
        json!("ann@example.com"),
        "{pasted}"
    );
    assert!(pasted["ignored_keys"].is_array(), "{pasted}");
    assert!(pasted["notes"].is_array(), "{pasted}");
}

#[test]
fn routing_without_directories_lets_nobody_sign_in() {
    let app = MockApp::new();
    let report = app.ok("check_routing", json!({}));
    assert_eq!(report["directory_count"], json!(0), "{report}");
    assert_eq!(report["nobody_can_sign_in"], json!(true), "{report}");
    assert_eq!(report["visible"], json!([]), "{report}");
    assert_eq!(report["domains"], json!([]), "{report}");
    assert_eq!(report["other_domains"]["rule"], json!("nobody_can_sign_in"));
    assert!(report["summary"].is_string(), "{report}");
}

#[test]
fn an_address_is_routed_by_its_normalised_domain() {
    let app = MockApp::new();
    let decision = app.ok("simulate_route", json!({ "email": " Ann@Example.COM " }));
    assert_eq!(decision["email"], json!("Ann@Example.COM"), "{decision}");
    assert_eq!(decision["domain"], json!("example.com"), "{decision}");
    assert_eq!(decision["can_sign_in"], json!(false), "{decision}");
    assert_eq!(
        decision["route"],
        json!({ "rule": "nobody_can_sign_in", "reason": { "kind": "no_directories" } }),
        "{decision}"
    );
    assert!(decision["explanation"].is_string(), "{decision}");
}

#[test]
fn the_expression_functions_each_have_a_name_a_signature_and_a_summary() {
    let app = MockApp::new();
    let functions = app.ok("scim_expression_functions", json!({}));
    let functions = functions.as_array().expect("a list");
    assert!(
        functions.iter().any(|f| f["name"] == "Join"),
        "{functions:?}"
    );
    for function in functions {
        for key in ["name", "signature", "summary"] {
            assert!(function[key].is_string(), "{key} of {function}");
        }
    }
}

#[test]
fn an_expression_is_checked_and_evaluated_for_the_sample_user_given() {
    let app = MockApp::new();
    let expression = r#"Join(" ", [givenName], [surname])"#;
    let user = json!({ "givenName": "Ann", "surname": "Lee" });
    assert_eq!(
        app.ok(
            "check_scim_expression",
            json!({ "expression": expression, "user": user })
        ),
        json!({
            "ok": true,
            "error": null,
            "attributes": ["givenName", "surname"],
            "value": "Ann Lee",
        })
    );
    let without_user = app.ok("check_scim_expression", json!({ "expression": expression }));
    assert_eq!(without_user["ok"], json!(true), "{without_user}");
    assert_eq!(without_user["value"], Value::Null, "{without_user}");
}

#[test]
fn an_expression_with_a_syntax_error_gives_its_position() {
    let app = MockApp::new();
    let check = app.ok(
        "check_scim_expression",
        json!({ "expression": r#"Join(" ", [givenName]"#, "user": null }),
    );
    assert_eq!(check["ok"], json!(false), "{check}");
    assert!(check["error"]["position"].is_u64(), "{check}");
    assert!(check["error"]["message"].is_string(), "{check}");
}

/// What Tauri refuses arguments with: a message naming the command and the argument.
fn assert_refused_argument(refusal: &Value, command: &str, argument: &str) {
    let message = refusal.as_str().unwrap_or_else(|| panic!("{refusal}"));
    assert!(
        message.contains(command) && message.contains(argument),
        "{message}"
    );
}

#[test]
fn a_missing_argument_is_refused_with_its_name() {
    let app = MockApp::new();
    let refusal = app.err("list_directories", json!({}));
    assert_refused_argument(&refusal, "list_directories", "query");
    let refusal = app.err("check_scim_expression", json!({ "user": null }));
    assert_refused_argument(&refusal, "check_scim_expression", "expression");
}

#[test]
fn a_wrongly_typed_argument_is_refused_with_its_name() {
    let app = MockApp::new();
    let refusal = app.err("get_directory", json!({ "id": 7 }));
    assert_refused_argument(&refusal, "get_directory", "id");
    let refusal = app.err(
        "update_directory",
        json!({
            "id": "531b5f5e-2a2a-4b73-b109-3f17f7f34e36",
            "expectedRevision": "one",
            "document": DirectoryDocument::default(),
        }),
    );
    assert_refused_argument(&refusal, "update_directory", "expectedRevision");
    let refusal = app.err(
        "create_directory",
        json!({ "document": "contoso", "clientSecret": "" }),
    );
    assert_refused_argument(&refusal, "create_directory", "document");
}

#[test]
fn snake_case_argument_keys_are_refused() {
    // The UI sends camelCase (ui/src/lib/api/call.ts); a snake_case key is a different key.
    let app = MockApp::new();
    let refusal = app.err("parse_claims", json!({ "claims_json": "{}" }));
    assert_refused_argument(&refusal, "parse_claims", "claimsJson");
}

#[test]
fn an_unknown_command_is_refused() {
    let app = MockApp::new();
    let refusal = app.err("drop_all_directories", json!({}));
    assert_refused_argument(&refusal, "drop_all_directories", "not found");
}
