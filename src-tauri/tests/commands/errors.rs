//! A command's failure reaches the UI as `{ kind, message, field, fields }`: a kind to branch on,
//! a message for the person, and the fields it concerns.

use serde_json::{json, Value};

use crate::mock_app::MockApp;

/// A well-formed id no directory or connection has.
const UNKNOWN_ID: &str = "531b5f5e-2a2a-4b73-b109-3f17f7f34e36";

/// Checks the error's shape and kind and returns its message.
fn assert_error(error: &Value, kind: &str) -> String {
    let object = error
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {error}"));
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["field", "fields", "kind", "message"], "{error}");
    assert_eq!(error["kind"], json!(kind), "{error}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "{error}");
    message.to_owned()
}

/// Checks an error about `field` alone, whose message says what is wrong with it.
fn assert_field_error(error: &Value, kind: &str, field: &str) {
    let message = assert_error(error, kind);
    assert_eq!(error["field"], json!(field), "{error}");
    let fields = error["fields"].as_array().expect("a list of fields");
    assert_eq!(fields.len(), 1, "{error}");
    assert_eq!(fields[0]["field"], json!(field), "{error}");
    let field_message = fields[0]["message"].as_str().unwrap_or_default();
    assert!(
        !field_message.is_empty() && message.contains(field_message),
        "{error}"
    );
}

#[test]
fn a_malformed_directory_id_is_not_found_and_quoted() {
    let app = MockApp::new();
    let error = app.err("get_directory", json!({ "id": "nope" }));
    let message = assert_error(&error, "not_found");
    assert!(message.contains("\"nope\""), "{message}");
    assert_eq!(error["field"], Value::Null, "{error}");
    assert_eq!(error["fields"], json!([]), "{error}");
}

#[test]
fn a_directory_no_one_stored_is_not_found() {
    let app = MockApp::new();
    for command in [
        "get_directory",
        "duplicate_directory",
        "delete_directory",
        "probe_client_secret",
        "provider_history",
    ] {
        let error = app.err(command, json!({ "id": UNKNOWN_ID }));
        assert_error(&error, "not_found");
        assert_eq!(error["fields"], json!([]), "{command}: {error}");
    }
    let claims_json = json!({ "email": "ann@example.com" }).to_string();
    let error = app.err(
        "evaluate_claims",
        json!({ "id": UNKNOWN_ID, "claimsJson": claims_json }),
    );
    assert_error(&error, "not_found");
}

#[test]
fn a_malformed_scim_connection_id_is_not_found() {
    let app = MockApp::new();
    let error = app.err("get_scim_connection", json!({ "id": "nope" }));
    let message = assert_error(&error, "not_found");
    assert!(message.contains("\"nope\""), "{message}");
}

#[test]
fn an_empty_directory_is_refused_field_by_field_and_not_stored() {
    let app = MockApp::new();
    let document = app.ok("new_directory_template", json!({}));
    // The empty secret is refused with the document, before anything reaches the keyring.
    let error = app.err(
        "create_directory",
        json!({ "document": document, "clientSecret": "" }),
    );
    assert_error(&error, "validation");
    let fields = error["fields"].as_array().expect("a list of fields");
    assert_eq!(error["field"], fields[0]["field"], "{error}");
    let named: Vec<&str> = fields.iter().filter_map(|f| f["field"].as_str()).collect();
    for field in ["name", "client_id", "client_secret"] {
        assert!(named.contains(&field), "{field} is missing from {named:?}");
    }
    assert!(fields.iter().all(|f| f["message"].is_string()), "{error}");
    assert_eq!(
        app.ok("list_directories", json!({ "query": "" })),
        json!([])
    );
}

#[test]
fn an_address_that_is_not_one_is_refused_on_the_email_field() {
    let app = MockApp::new();
    for email in ["", "ann.example.com", "ann@"] {
        let error = app.err("simulate_route", json!({ "email": email }));
        assert_field_error(&error, "invalid_email", "email");
    }
}

#[test]
fn claims_that_are_not_json_are_refused_on_their_field() {
    let app = MockApp::new();
    let error = app.err("parse_claims", json!({ "claimsJson": "{\"email\":" }));
    assert_field_error(&error, "invalid_claims", "claims_json");
}

#[test]
fn a_logo_that_is_not_base64_is_refused_on_the_logo_field() {
    let app = MockApp::new();
    let error = app.err("check_logo", json!({ "pngBase64": "not base64!" }));
    assert_field_error(&error, "invalid_logo", "logo_png_base64");
}

#[test]
fn a_sign_in_service_url_that_is_not_a_url_is_refused_and_not_saved() {
    let app = MockApp::new();
    let error = app.err(
        "update_settings",
        json!({ "signInServiceUrl": "signin example" }),
    );
    assert_field_error(&error, "validation", "sign_in_service_url");
    let settings = app.ok("get_settings", json!({}));
    assert_eq!(settings["sign_in_service_url"], Value::Null, "{settings}");
}

#[test]
fn mappings_that_are_not_json_are_refused_as_invalid() {
    let app = MockApp::new();
    let error = app.err("import_scim_mappings", json!({ "json": "[" }));
    assert_error(&error, "validation");
    assert!(error["field"].is_string(), "{error}");
    assert!(!error["fields"].as_array().unwrap().is_empty(), "{error}");
}

#[test]
fn an_open_log_folder_without_a_log_file_is_not_found() {
    let app = MockApp::new();
    let error = app.err("open_log_folder", json!({}));
    assert_error(&error, "not_found");
}
