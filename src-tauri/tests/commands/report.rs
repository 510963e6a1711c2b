//! The report commands: a preview of a directory that does not exist is refused, a report is
//! saved and opened again through the dialog's test setting, and what is not a report is
//! refused with its reason.

use serde_json::json;
use sso_console::report::{Parts, RedactOptions, Report, ReportFormat};
use sso_console_app::DIALOG_PATH_ENV;

use crate::mock_app::MockApp;

#[test]
fn a_report_is_saved_and_opened_again_and_a_file_that_is_not_one_is_refused() {
    let app = MockApp::new();
    let path = app.dir.path().join("saved.json");
    // Each test runs in a process of its own: the setting reaches this test only.
    std::env::set_var(DIALOG_PATH_ENV, &path);

    let report = Report::build(Parts::default(), RedactOptions::default()).unwrap();
    let content = report.render(ReportFormat::Json);
    let saved = app.ok(
        "save_report",
        json!({ "content": content, "fileName": "report.json" }),
    );
    assert_eq!(saved, json!(path.display().to_string()));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), content);

    let opened = app.ok("open_report", json!({}));
    assert_eq!(opened["format"], json!("sso-console/report"));
    assert_eq!(opened["app_version"], json!(report.app_version));

    std::fs::write(&path, "<html>not a report</html>").unwrap();
    let refused = app.err("open_report", json!({}));
    assert_eq!(refused["kind"], json!("invalid_report"), "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("is not a JSON report"),
        "{refused}"
    );
}

#[test]
fn a_preview_of_a_directory_that_does_not_exist_is_refused() {
    let app = MockApp::new();
    let refused = app.err(
        "report_preview",
        json!({
            "subject": { "kind": "directory", "id": "531b5f5e-2a2a-4b73-b109-3f17f7f34e36" },
            "options": { "personal_data": false, "identifiers": false },
            "format": "html",
        }),
    );
    assert_eq!(refused["kind"], json!("not_found"), "{refused}");
    let refused = app.err(
        "report_preview",
        json!({
            "subject": { "kind": "scim", "id": "not an id" },
            "options": { "personal_data": false, "identifiers": false },
            "format": "json",
        }),
    );
    assert_eq!(refused["kind"], json!("not_found"), "{refused}");
}
