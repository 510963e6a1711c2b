//! The HTML report in a real browser: a report full of hostile provider values, opened from a
//! file in headless Chromium with scripts enabled (driven by tests/support/report-page.mjs),
//! runs nothing and loads nothing. A control page with the same markup unescaped shows that
//! the browser would have run it and loaded from the listener.

use std::io::ErrorKind;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::{json, Value};
use sso_console::directory::{Directory, DirectoryDocument, StaffRule};
use sso_console::mapping;
use sso_console::report::{Parts, RedactOptions, Report, ReportFormat};
use sso_console::routing::{self, EmailAddress, RoutingDirectory};
use sso_console::signin::SignInResult;

use crate::fixtures::document;

/// A listener on 127.0.0.1 that counts the connections made to it. The hostile markup points
/// at it, so a connection is something the page loaded.
struct Tripwire {
    port: u16,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Tripwire {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (count, stopping) = (connections.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            // At most two minutes, whatever happens to the test.
            for _ in 0..12_000 {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                match listener.accept() {
                    Ok((stream, _)) => {
                        count.fetch_add(1, Ordering::SeqCst);
                        drop(stream);
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Self {
            port,
            connections,
            stop,
            thread: Some(thread),
        }
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for Tripwire {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Markup that runs script, opens dialogs and loads from `port` in every way a page can, were
/// it ever markup; `place` says where it was put.
fn hostile(port: u16, place: &str) -> String {
    let at = format!("http://127.0.0.1:{port}/{place}");
    let mut markup = runs_and_loads(port, place);
    markup.push_str(&format!(
        "<meta http-equiv=refresh content=\"0;url={at}/refresh\"><base href={at}/>\
         <a href=javascript:alert(1)>x</a>"
    ));
    markup
}

/// The part of [`hostile`] that stays on the page: it runs script and loads from `port`.
fn runs_and_loads(port: u16, place: &str) -> String {
    let at = format!("http://127.0.0.1:{port}/{place}");
    format!(
        "<script>window.__pwned='{place}';alert('{place}')</script>\
         <script src={at}/s.js></script>\
         <img src={at}/img onerror=window.__pwned=1>\
         \"><img src={at}/attr onerror=alert(1)>\
         '><svg onload=alert(1)></svg>\
         <iframe src={at}/frame></iframe>\
         <link rel=stylesheet href={at}/c.css>\
         <style>@import url({at}/i.css);</style>\
         <object data={at}/o></object>"
    )
}

/// A sign-in result with hostile text wherever a provider controls it.
fn sign_in(port: u16) -> SignInResult {
    let h = |place: &str| hostile(port, place);
    serde_json::from_value(json!({
        "directory_name": h("directory"),
        "redirect_uri": "http://127.0.0.1:53682/callback",
        "succeeded": false,
        "failure": {
            "step": "token",
            "message": format!("the token endpoint answered 400: {}", h("message")),
            "hint": "check the client secret",
            "provider_error": h("error"),
            "provider_error_description":
                format!("<b>AADSTS7000215</b>: Invalid client secret {}", h("description")),
        },
        "id_token": {
            "status": "unverified",
            "status_detail": h("status"),
            "header": {"alg": "RS256", "kid": h("kid"), "typ": h("typ")},
            "claims": {
                "sub": h("sub"),
                "email": "ada@contoso.example",
                "given_name": format!("<img src=http://127.0.0.1:{port}/given onerror=alert(1)>"),
                "family_name": format!("<script>window.__pwned=1</script>{}", h("family")),
                "groups": [h("group"), {"nested": h("nested")}],
                "address": {"street_address": h("street")},
            },
            "raw": "must.not.be-kept"
        },
        "access_token": {
            "status": "opaque", "status_detail": h("opaque"), "header": null, "claims": null,
            "raw": null
        },
        "userinfo": {
            "status": "received", "status_detail": "",
            "header": null,
            "claims": {h("claim name"): h("userinfo")},
            "raw": null
        },
        "checks": [
            {"name": "Signature", "outcome": "fail", "detail": h("check")},
            {"name": "Issuer", "outcome": "pass", "detail": h("issuer")},
        ],
        "token_response": {"token_type": h("token type"), "expires_in": 3600},
        "timings": {
            "callback_to_result_ms": 12.5, "token_ms": 8.0, "userinfo_ms": 0.0,
            "key_set_wait_ms": 0.0, "processing_ms": 1.25
        },
        "trace": {
            "started_at": "2030-01-01T00:00:00Z",
            "steps": [{
                "kind": "callback", "started_ms": 0.0, "duration_ms": 3.5,
                "method": "GET", "url": h("callback url"),
                "sent": [],
                "received": [
                    {"name": "error", "value": h("error")},
                    {"name": "error_description", "value": h("trace description")},
                    {"name": h("parameter"), "value": "x"},
                ],
                "ok": false, "outcome": h("outcome")
            }]
        }
    }))
    .expect("a sign-in result")
}

fn discovery(port: u16) -> sso_console::discovery::DiscoveryReport {
    let h = |place: &str| hostile(port, place);
    let finding = json!({
        "severity": "warning", "code": h("code"), "message": h("finding"), "fix": h("fix"),
        "field": "issuer", "subject": h("subject"), "directories": []
    });
    serde_json::from_value(json!({
        "document_url": h("document url"),
        "metadata": {"issuer": h("issuer")},
        "raw_document": format!(
            "{{\n  \"issuer\": \"</pre><script>window.__pwned=1;alert(1)</script>{}\"\n}}",
            h("raw")
        ),
        "key_set": {"state": "fetched", "summary": {"keys": [{
            "kid": h("kid"), "kty": "RSA", "alg": h("alg"), "key_use": "sig", "crv": null,
            "usable_for_signatures": false, "problem": h("problem")
        }], "signing_keys": 0}},
        "prefill": {},
        "changes": [{"field": "issuer", "old": null, "new": h("new issuer")}],
        "findings": [finding],
        "elapsed_ms": 42
    }))
    .expect("a discovery report")
}

fn scim(port: u16) -> sso_console::report::ScimPart {
    let h = |place: &str| hostile(port, place);
    let exchange = json!({
        "method": "GET", "path": "/Users", "url": h("scim url"),
        "request_headers": [{"name": "Accept", "value": h("header")}],
        "request_body": h("request body"),
        "status": 500, "reason": h("reason"), "duration_ms": 7,
        "response_content_type": "text/html",
        "response_body": format!(
            "<iframe src=http://127.0.0.1:{port}/scim-frame/></iframe>{}",
            h("response body")
        ),
        "error": null
    });
    let finding = json!({
        "severity": "error", "code": "scim_error", "message": h("scim finding"), "fix": h("fix"),
        "field": null, "subject": null, "directories": []
    });
    serde_json::from_value(json!({
        "connection": {"name": h("scim name"), "tenant_url": h("tenant"), "notes": h("notes")},
        "test_connection": {
            "base_url": h("base"), "token_sent": true,
            "checks": [{"provider": "entra", "purpose": h("purpose"), "exchange": exchange,
                "findings": [finding], "passed": false}],
            "suggested_base_url": null,
            "verdicts": [{"provider": "okta", "passed": false, "summary": h("verdict")}],
            "passed": false
        },
        "review": {
            "base_url": h("review"), "exchanges": [exchange], "support": null,
            "resource_types": [], "schemas": [], "findings": [finding], "passed": false
        },
        "dry_run": {
            "base_url": h("dry run"),
            "options": {"read_only": false, "entra_quirks": true, "keep_values": false},
            "test_user_name": h("user"),
            "steps": [{"name": h("step"), "status": "failed", "exchange": exchange,
                "findings": [finding], "note": h("note"), "cleanup": false}],
            "cleaned_up": true, "leftovers": [], "passed": false, "cancelled": false
        }
    }))
    .expect("a SCIM part")
}

/// A report with hostile values in every part, the evaluation and routing computed from them.
fn hostile_report(port: u16, logo: Option<String>) -> Report {
    let mut doc: DirectoryDocument = document("Contoso");
    doc.staff = StaffRule::ClaimEquals {
        claim: "groups".into(),
        value: "staff".into(),
    };
    doc.domain_suffixes = vec!["contoso.example".into()];
    let directory = Directory::from_document(&doc).expect("a valid directory");
    let result = sign_in(port);
    let evaluation = mapping::evaluate(&directory, &result.claim_set());
    let routing = routing::simulate(
        &EmailAddress::parse("ada@contoso.example").unwrap(),
        &[RoutingDirectory {
            id: "d1".into(),
            name: hostile(port, "routing directory"),
            is_hidden: false,
            domain_suffixes: vec!["contoso.example".into()],
            staff: StaffRule::None,
        }],
    );
    // The document as the report shows it, hostile where a person or a provider filled it.
    doc.name = hostile(port, "name");
    doc.discovery_domain = Some(hostile(port, "discovery domain"));
    doc.issuer = Some(hostile(port, "issuer"));
    if let Some(logo) = logo {
        doc.logo_png_base64 = logo;
    }
    Report::build(
        Parts {
            directory: Some(doc),
            discovery: Some(Ok(discovery(port))),
            sign_in: Some(result),
            evaluation: Some(evaluation),
            routing: Some(routing),
            scim: Some(scim(port)),
            secrets: Vec::new(),
        },
        RedactOptions::default(),
    )
    .expect("a report")
}

fn support_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support")
}

/// Opens each file in headless Chromium; what each page did, in order.
async fn open_in_chromium(files: &[&Path]) -> Vec<Value> {
    let dir = support_dir();
    assert!(
        dir.join("node_modules/playwright-core").is_dir(),
        "playwright-core is not installed; run scripts/install-deps.sh (npm ci in tests/support)"
    );
    let run = tokio::process::Command::new("node")
        .arg(dir.join("report-page.mjs"))
        .args(files)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(90), run)
        .await
        .expect("the browser driver finishes within 90 s")
        .expect("node runs the browser driver");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the browser driver failed: {}\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let pages: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON line per page"))
        .collect();
    assert_eq!(pages.len(), files.len(), "{stdout}");
    pages
}

/// Asserts that a page ran nothing: no dialog, no console message, no error, no popup, no
/// script element, no marker set, no frame, and nothing requested but the file itself.
fn assert_inert(page: &Value) {
    for list in ["dialogs", "console", "page_errors", "popups"] {
        assert_eq!(page[list], json!([]), "{list}: {page:#}");
    }
    assert_eq!(page["scripts"], 0, "{page:#}");
    assert_eq!(page["pwned"], "undefined", "{page:#}");
    assert_eq!(page["frames"], 0, "{page:#}");
    assert_eq!(
        page["final_url"], page["url"],
        "the page went elsewhere: {page:#}"
    );
    for request in page["requests"].as_array().unwrap() {
        let url = request.as_str().unwrap();
        assert!(
            url.starts_with("file:") || url.starts_with("data:"),
            "the page requested {url}: {page:#}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_full_of_hostile_values_runs_nothing_and_loads_nothing_in_chromium() {
    let tripwire = Tripwire::start();
    let control_wire = Tripwire::start();
    let dir = tempfile::tempdir().expect("a temporary folder");

    let report = hostile_report(tripwire.port, None);
    let with_logo = dir.path().join("report.html");
    std::fs::write(&with_logo, report.render(ReportFormat::Html)).unwrap();

    let logo_attack = format!(
        "x\" onerror=\"window.__pwned=1\" src=\"http://127.0.0.1:{}/logo",
        tripwire.port
    );
    let hostile_logo = dir.path().join("hostile-logo.html");
    std::fs::write(
        &hostile_logo,
        hostile_report(tripwire.port, Some(logo_attack)).render(ReportFormat::Html),
    )
    .unwrap();

    // The same kind of markup, unescaped and without a policy: what the browser would do.
    let control = dir.path().join("control.html");
    std::fs::write(
        &control,
        format!(
            "<!doctype html><html><head><title>control</title></head><body>{}</body></html>",
            runs_and_loads(control_wire.port, "control")
        ),
    )
    .unwrap();

    let pages = open_in_chromium(&[&with_logo, &hostile_logo, &control]).await;
    // Late loads, if any, reach the listener too.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let (report_page, logo_page, control_page) = (&pages[0], &pages[1], &pages[2]);
    assert_inert(report_page);
    assert_inert(logo_page);
    assert_eq!(
        tripwire.connections(),
        0,
        "the reports made connections: {report_page:#} {logo_page:#}"
    );

    // The reports were read in full: every section is there.
    assert_eq!(
        report_page["sections"],
        json!([
            "Directory",
            "Discovery",
            "Test sign-in",
            "Evaluation",
            "Routing",
            "SCIM"
        ]),
        "{report_page:#}"
    );
    assert!(
        report_page["title"]
            .as_str()
            .unwrap()
            .starts_with("SSO Console diagnostics report: <script>"),
        "the hostile name is shown as text: {report_page:#}"
    );
    // The only image is the directory's own logo, as a data: URI; the hostile one is none.
    assert_eq!(
        report_page["images"],
        json!(["data:image/png;base64,iVBORw0KGg"]),
        "{report_page:#}"
    );
    assert_eq!(logo_page["images"], json!([]), "{logo_page:#}");

    // The control: the browser runs such markup and loads from the listener when it is markup.
    assert_ne!(control_page["pwned"], "undefined", "{control_page:#}");
    assert!(
        !control_page["dialogs"].as_array().unwrap().is_empty(),
        "{control_page:#}"
    );
    assert!(control_wire.connections() > 0, "{control_page:#}");
}

#[test]
fn the_saved_page_holds_the_hostile_values_only_as_text() {
    let report = hostile_report(9, None);
    let html = report.render(ReportFormat::Html);
    let lower = html.to_ascii_lowercase();
    for markup in [
        "<script", "<iframe", "<svg", "<object", "<link", "<base", "<a ",
    ] {
        assert!(!lower.contains(markup), "{markup} in the page");
    }
    assert_eq!(
        lower.matches("<img").count(),
        1,
        "only the logo is an image"
    );
    assert_eq!(
        lower.matches("<meta http-equiv").count(),
        1,
        "only the policy"
    );
    assert!(html.contains("&lt;b&gt;AADSTS7000215&lt;/b&gt;"));
    assert!(html.contains("&lt;/pre&gt;&lt;script&gt;"));
    assert!(html.contains("&lt;iframe src=http://127.0.0.1:9/scim-frame/&gt;"));
    // The sign-in's raw token is not kept, as the report promises.
    assert!(!html.contains("must.not.be-kept"));
}
