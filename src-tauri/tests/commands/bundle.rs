//! The bundle commands: a bundle chosen through the dialog's test setting is planned, applied
//! and exported again the same; a bundle with secrets wants its passphrase; what is not a
//! bundle is refused when it is chosen, and nothing can be planned before a bundle is chosen.

use base64::Engine as _;
use serde_json::{json, Value};
use sso_console::bundle::{self, sealed, Contents, Secrets};
use sso_console::directory::DirectoryDocument;
use sso_console::sensitive::SecretString;
use sso_console_app::DIALOG_PATH_ENV;

use crate::mock_app::MockApp;

fn contents() -> Contents {
    // The repository's own 245×36 logo, as a directory document carries it.
    let logo = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/logo-245x36.png"),
    )
    .unwrap();
    let doc = DirectoryDocument {
        id: Some("531b5f5e-2a2a-4b73-b109-3f17f7f34e36".into()),
        name: "Contoso".into(),
        logo_png_base64: base64::engine::general_purpose::STANDARD.encode(logo),
        authorization_url: "https://login.example.com/authorize".into(),
        token_url: "https://login.example.com/token".into(),
        client_id: "client-123".into(),
        ..DirectoryDocument::default()
    };
    Contents {
        app_version: "0.1.0".into(),
        directories: vec![doc],
        ..Contents::default()
    }
}

fn actions(plan: &Value) -> Vec<&str> {
    plan["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["action"].as_str().unwrap())
        .collect()
}

#[test]
fn a_chosen_bundle_is_planned_applied_and_exported_again_the_same() {
    let app = MockApp::new();
    let refused = app.err("plan_bundle_import", json!({ "passphrase": null }));
    assert_eq!(refused["kind"], json!("usage"), "{refused}");

    let path = app.dir.path().join("bundle.json");
    std::fs::write(&path, bundle::file::write(&contents())).unwrap();
    // Each test runs in a process of its own: the setting reaches this test only.
    std::env::set_var(DIALOG_PATH_ENV, &path);
    let chosen = app.ok("choose_bundle", json!({ "asFolder": false }));
    assert_eq!(chosen, json!(path.display().to_string()));
    let preview = app.ok("plan_bundle_import", json!({ "passphrase": null }));
    assert_eq!(actions(&preview["plan"]), ["create"]);
    let applied = app.ok(
        "apply_bundle_import",
        json!({ "passphrase": null, "choices": { "all": null, "items": {} } }),
    );
    assert_eq!(applied["outcome"]["created"], json!(1), "{applied}");
    let listed = app.ok("list_directories", json!({ "query": "" }));
    assert_eq!(
        listed[0]["id"],
        json!("531b5f5e-2a2a-4b73-b109-3f17f7f34e36")
    );

    let exported = app.dir.path().join("exported.json");
    std::env::set_var(DIALOG_PATH_ENV, &exported);
    let summary = app.ok(
        "export_bundle",
        json!({ "request": { "directories": [], "as_folder": false, "passphrase": null } }),
    );
    assert_eq!(summary["directories"], json!(1), "{summary}");
    let again = bundle::read(&exported, false).unwrap();
    assert_eq!(again.directories, contents().directories);

    // Secrets into a folder are refused before any dialog.
    let refused = app.err(
        "export_bundle",
        json!({ "request": { "directories": [], "as_folder": true, "passphrase": "p" } }),
    );
    assert_eq!(refused["field"], json!("passphrase"), "{refused}");
}

#[test]
fn a_bundle_with_secrets_wants_its_passphrase_and_a_file_that_is_no_bundle_is_refused() {
    let app = MockApp::new();
    let mut with_secrets = contents();
    let mut secrets = Secrets::default();
    secrets.directories.insert(
        "531b5f5e-2a2a-4b73-b109-3f17f7f34e36".into(),
        SecretString::new("client-secret"),
    );
    with_secrets.sealed_secrets =
        Some(sealed::seal(&secrets, &SecretString::new("the passphrase")).unwrap());
    let path = app.dir.path().join("sealed.json");
    std::fs::write(&path, bundle::file::write(&with_secrets)).unwrap();
    std::env::set_var(DIALOG_PATH_ENV, &path);
    app.ok("choose_bundle", json!({ "asFolder": false }));
    for passphrase in [Value::Null, json!("not the passphrase")] {
        let refused = app.err("plan_bundle_import", json!({ "passphrase": passphrase }));
        assert_eq!(refused["kind"], json!("wrong_passphrase"), "{refused}");
    }
    let listed = app.ok("list_directories", json!({ "query": "" }));
    assert_eq!(listed, json!([]));

    std::fs::write(&path, "<html>not a bundle</html>").unwrap();
    let refused = app.err("choose_bundle", json!({ "asFolder": false }));
    assert_eq!(refused["kind"], json!("invalid_bundle"), "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("not a JSON bundle"),
        "{refused}"
    );
}
