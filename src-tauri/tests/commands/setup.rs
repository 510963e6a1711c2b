//! The guided setup's commands as the UI reaches them: the presets, a setup started and read
//! back, a refused value named at its field with nothing stored, the guide with its URLs, a
//! guide saved through the dialog's test setting, and the SCIM provisioning guide.

use serde_json::{json, Value};
use sso_console_app::DIALOG_PATH_ENV;

use crate::mock_app::MockApp;

fn values(guide: &Value) -> Vec<String> {
    guide["guide"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["parts"].as_array().unwrap().clone())
        .filter(|p| p["kind"] == "value")
        .map(|p| p["value"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_setup_starts_reads_back_and_gives_its_guide_and_a_refused_value_stores_nothing() {
    let app = MockApp::new();
    let presets = app.ok("list_presets", json!({}));
    let ids: Vec<&str> = presets
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["entra", "okta", "google", "cognito", "auth0", "keycloak", "generic"]
    );

    let refused = app.err(
        "start_setup",
        json!({ "preset": "okta", "values": [["domain", "https://contoso.okta.com"]], "name": "Contoso" }),
    );
    assert_eq!(refused["kind"], json!("validation"), "{refused}");
    assert_eq!(refused["fields"][0]["field"], json!("domain"), "{refused}");
    assert!(refused["message"]
        .as_str()
        .unwrap()
        .contains("for example contoso.okta.com"));
    assert_eq!(app.ok("list_setups", json!({})), json!([]));

    app.ok(
        "update_settings",
        json!({ "signInServiceUrl": "https://signin.example.com" }),
    );
    let setup = app.ok(
        "start_setup",
        json!({ "preset": "okta", "values": [["domain", "contoso.okta.com"]], "name": "Contoso" }),
    );
    let id = setup["id"].as_str().unwrap().to_owned();
    assert_eq!(setup["saved"], json!(false));
    assert_eq!(setup["steps"][0]["state"], json!("done"));
    assert_eq!(
        setup["document"]["issuer"],
        json!("https://contoso.okta.com")
    );
    assert_eq!(app.ok("get_setup", json!({ "id": id })), setup);

    let guide = app.ok("setup_guide", json!({ "id": id }));
    let given = values(&guide);
    assert!(
        given.contains(&format!("https://signin.example.com/callback/{id}")),
        "{given:?}"
    );
    assert!(
        given.contains(&"http://127.0.0.1:47613/callback".to_owned()),
        "{given:?}"
    );
    assert!(guide["markdown"]
        .as_str()
        .unwrap()
        .starts_with("# Contoso: "));

    let path = app.dir.path().join("guide.html");
    std::env::set_var(DIALOG_PATH_ENV, &path);
    let saved = app.ok("save_setup_guide", json!({ "id": id, "html": true }));
    assert_eq!(saved, json!(path.display().to_string()));
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("Okta Admin Console"));

    // A step done by doing it cannot be recorded.
    let refused = app.err(
        "record_setup_step",
        json!({ "id": id, "step": "test_sign_in", "ok": true, "detail": "" }),
    );
    assert_eq!(refused["kind"], json!("validation"), "{refused}");

    app.ok("discard_setup", json!({ "id": id }));
    let gone = app.err("get_setup", json!({ "id": id }));
    assert_eq!(gone["kind"], json!("not_found"), "{gone}");
}

#[test]
fn the_scim_provisioning_guide_follows_the_connection_on_screen() {
    let app = MockApp::new();
    let mut document = app.ok("new_scim_connection_template", json!({}));
    document["name"] = json!("Learning platform");
    document["tenant_url"] = json!("https://scim.example.com/scim/v2");
    document["mappings"]["provider"] = json!("okta");
    document["mappings"]["name"] = json!("Learning platform, Okta");
    let guide = app.ok("scim_provisioning_guide", json!({ "document": document }));
    assert_eq!(
        values(&guide),
        [
            "Learning platform",
            "https://scim.example.com/scim/v2",
            "Learning platform, Okta"
        ]
    );
    assert!(guide["markdown"]
        .as_str()
        .unwrap()
        .contains("Test Connector Configuration"));
}
