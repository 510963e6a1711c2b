//! A second real OpenID provider and a second real SCIM 2.0 server: django-oauth-toolkit and
//! django-scim2-server from PyPI, served on 127.0.0.1 by tests/support/django-peer.py (installed
//! by scripts/install-python-peers.sh), each checked the way a person would with the console.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};
use sso_console::directory::DirectoryDocument;
use sso_console::http::HttpClient;
use sso_console::scim::lifecycle::{self, DryRunOptions, StepStatus};
use sso_console::scim::templates;
use sso_console::scim::test_connection;
use sso_console::scim::{BaseUrl, ScimClient};
use sso_console::sensitive::SecretString;
use sso_console::signin::{CheckOutcome, SignInStep, SourceStatus};

use crate::fixtures::{document, json_of, ssoctl};
use crate::oidc_provider::start_peer;
use crate::signin::{claim, failed_checks, sign_in};

const CLIENT_ID: &str = "sso-console";
const CLIENT_SECRET: &str = "django-peer-secret-7f3a";
const SCIM_TOKEN: &str = "django-peer-scim-token-91c2";
const PASSWORD: &str = "django-peer-password-4e1d";

/// The running Django site, stopped when dropped.
pub struct DjangoPeer {
    /// `http://127.0.0.1:PORT/o`.
    pub issuer: String,
    /// `http://127.0.0.1:PORT/scim/v2`.
    pub scim_base_url: String,
    child: Child,
    _config: tempfile::NamedTempFile,
}

fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("SSO_DJANGO_PEER_PYTHON") {
        return python.into();
    }
    let cache = std::env::var_os("SSO_CONSOLE_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").expect("HOME is set")).join(".cache/sso-console")
        });
    cache.join("django-peer-venv/bin/python")
}

impl DjangoPeer {
    pub fn start() -> Self {
        let python = python();
        assert!(
            python.is_file(),
            "the Django peer is not installed at {}; run scripts/install-python-peers.sh (or point SSO_DJANGO_PEER_PYTHON at its Python)",
            python.display()
        );
        let config = tempfile::NamedTempFile::new().unwrap();
        let settings = json!({
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "token": SCIM_TOKEN,
            "user": { "username": "ada", "password": PASSWORD, "email": "ada@example.org",
                      "first_name": "Ada", "last_name": "Lovelace" },
        });
        std::fs::write(config.path(), settings.to_string()).unwrap();
        let mut command = Command::new(python);
        command
            .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/django-peer.py"))
            .arg(config.path())
            .stderr(Stdio::inherit());
        let (child, ready) = start_peer(command, "the Django peer", Duration::from_secs(60));
        Self {
            issuer: ready["issuer"].as_str().unwrap().to_owned(),
            scim_base_url: ready["scim_base_url"].as_str().unwrap().to_owned(),
            child,
            _config: config,
        }
    }

    /// A directory for its client, as discovery would fill it in.
    fn directory(&self) -> DirectoryDocument {
        let mut d = document("Django");
        d.issuer = Some(self.issuer.clone());
        d.authorization_url = format!("{}/authorize/", self.issuer);
        d.token_url = format!("{}/token/", self.issuer);
        d.userinfo_url = Some(format!("{}/userinfo/", self.issuer));
        d.jwks_uri = Some(format!("{}/.well-known/jwks.json", self.issuer));
        d.client_id = CLIENT_ID.into();
        d.pkce = true;
        d
    }

    fn scim_client(&self, token: &str) -> ScimClient {
        ScimClient::new(
            HttpClient::standard().unwrap(),
            BaseUrl::parse(&self.scim_base_url).unwrap(),
            Some(SecretString::new(token)),
        )
    }
}

impl Drop for DjangoPeer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const LOGIN: [&str; 4] = ["--login", "ada", "--password", PASSWORD];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_of_django_oauth_toolkit_names_its_defaults_as_the_specifications() {
    let peer = DjangoPeer::start();
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    // A directory that asks for form_post, which the document does not list.
    let mut doc = serde_json::to_value(peer.directory()).unwrap();
    doc["response_mode_form_post"] = true.into();
    let file = work.path().join("django.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    ssoctl(data.path())
        .args(["dir", "create", "--file"])
        .arg(&file)
        .arg("--client-secret-stdin")
        .write_stdin(format!("{CLIENT_SECRET}\n"))
        .assert()
        .success();
    let out = ssoctl(data.path())
        .args(["--json", "discover", &peer.issuer, "--directory", "Django"])
        .output()
        .unwrap();
    let report = json_of(&out.stdout);
    assert_eq!(
        report["metadata"]["issuer"],
        peer.issuer.as_str(),
        "{report}"
    );
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains(
            "the provider's document lists no response_modes_supported, so the specification's default applies: query, fragment"
        )),
        "{messages:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_at_django_oauth_toolkit_with_pkce_succeeds_with_every_claim() {
    let peer = DjangoPeer::start();
    let (r, page) = sign_in(
        &peer.directory(),
        CLIENT_SECRET,
        &LOGIN,
        Duration::from_secs(60),
    )
    .await;
    assert!(
        r.succeeded,
        "{:?} {:?} {page}",
        r.failure,
        failed_checks(&r)
    );
    assert_eq!(r.id_token.status, SourceStatus::Verified);
    assert_eq!(claim(&r.id_token, "email"), Some(&json!("ada@example.org")));
    assert_eq!(claim(&r.userinfo, "family_name"), Some(&json!("Lovelace")));
    let mode = r.checks.iter().find(|c| c.name == "Response mode").unwrap();
    assert_eq!(mode.outcome, CheckOutcome::Pass, "{mode:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn django_oauth_toolkit_demanding_pkce_gets_the_advice_to_turn_it_on() {
    let peer = DjangoPeer::start();
    let mut doc = peer.directory();
    doc.pkce = false;
    let (r, page) = sign_in(&doc, CLIENT_SECRET, &LOGIN, Duration::from_secs(60)).await;
    let failure = r
        .failure
        .unwrap_or_else(|| panic!("PKCE off must fail here: {page}"));
    assert_eq!(failure.step, SignInStep::Callback, "{failure:?}");
    assert!(failure.hint.contains("turn Enable PKCE on"), "{failure:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn django_oauth_toolkit_answering_form_post_with_a_query_fails_the_response_mode() {
    let peer = DjangoPeer::start();
    let mut doc = peer.directory();
    doc.response_mode_form_post = true;
    let (r, page) = sign_in(&doc, CLIENT_SECRET, &LOGIN, Duration::from_secs(60)).await;
    let mode = r
        .checks
        .iter()
        .find(|c| c.name == "Response mode")
        .unwrap_or_else(|| panic!("{:?} {:?} {page}", r.failure, r.checks));
    assert_eq!(mode.outcome, CheckOutcome::Fail, "{mode:?}");
    assert!(!r.succeeded);
}

#[tokio::test]
async fn django_scim2_server_passes_test_connection_and_its_dry_run_is_reported_as_it_went() {
    let peer = DjangoPeer::start();
    let report = test_connection::test_connection(&peer.scim_client(SCIM_TOKEN)).await;
    assert!(report.passed, "{report:#?}");
    let refused = test_connection::test_connection(&peer.scim_client("wrong-token")).await;
    let codes: Vec<&str> = refused.checks[0]
        .findings
        .iter()
        .map(|f| f.code.as_str())
        .collect();
    assert_eq!(codes, ["token_rejected"], "{refused:#?}");

    // Entra's default mappings write the enterprise extension, which this server's User
    // model refuses: the create fails with the server's own words, nothing depends on a user
    // that does not exist, and the group is still cleaned up.
    let entra = templates::template("entra-default").unwrap().document;
    let user = templates::sample_user("entra-adele-vance").unwrap().user;
    let run = dry_run(&peer, &entra, &user).await;
    let create = run
        .steps
        .iter()
        .find(|s| s.name == "create the user")
        .unwrap();
    assert_eq!(create.status, StepStatus::Failed, "{run:#?}");
    assert_eq!(create.findings[0].code, "bad_request");
    assert!(
        create.findings[0].message.contains("enterprise:2.0:User"),
        "{}",
        create.findings[0].message
    );
    assert!(run.cleaned_up && !run.passed, "{run:#?}");

    // Without the extension, every step of the lifecycle runs.
    let mut core_only = entra.clone();
    core_only.mappings.retain(|m| !m.target.starts_with("urn:"));
    let run = dry_run(&peer, &core_only, &user).await;
    let steps = steps_text(&run);
    for step in &run.steps {
        assert_ne!(step.status, StepStatus::Skipped, "{steps}");
    }
    // What this server revealed, each reported as it happened:
    let step = |name: &str| run.steps.iter().find(|s| s.name.starts_with(name)).unwrap();
    // it keeps only some of the attributes it is sent;
    let read = step("read the user back by id");
    assert_eq!(read.status, StepStatus::Warning, "{steps}");
    assert!(
        read.findings.iter().any(|f| f
            .message
            .starts_with("displayName was sent but is not in the user read back")),
        "{steps}"
    );
    // it ignores excludedAttributes, caught because the group has its member when read;
    let members = step("read the group without its members");
    assert_eq!(
        members.findings[0].code, "excluded_attributes_ignored",
        "{steps}"
    );
    assert!(
        members.findings[0].message.contains("its 1 member"),
        "{steps}"
    );
    // it answers DELETE with success and keeps serving the user, which is then a leftover,
    // never "cleaned up".
    assert_eq!(
        step("confirm the user is gone").findings[1].code,
        "still_there",
        "{steps}"
    );
    assert!(!run.cleaned_up && !run.passed, "{steps}");
    assert!(
        run.leftovers[0].contains("still served after DELETE answered success"),
        "{:?}",
        run.leftovers
    );
    for name in [
        "create the user",
        "update the user",
        "add the user",
        "remove the user",
        "deactivate the user",
        "delete the user",
    ] {
        assert_eq!(step(name).status, StepStatus::Passed, "{name}: {steps}");
    }
}

async fn dry_run(
    peer: &DjangoPeer,
    document: &sso_console::scim::MappingDocument,
    user: &Value,
) -> lifecycle::DryRunReport {
    let set = document.clone().check().unwrap();
    let run = lifecycle::dry_run(
        &peer.scim_client(SCIM_TOKEN),
        &set,
        user,
        None,
        DryRunOptions::default(),
    )
    .await;
    let text = serde_json::to_string(&run).unwrap();
    assert!(
        !text.contains(SCIM_TOKEN),
        "the token is in the dry-run log"
    );
    run
}

fn steps_text(run: &lifecycle::DryRunReport) -> String {
    run.steps
        .iter()
        .map(|s| {
            let findings: Vec<&str> = s.findings.iter().map(|f| f.message.as_str()).collect();
            format!("{:?} {} {findings:?}", s.status, s.name)
        })
        .collect::<Vec<_>>()
        .join("\n")
}
