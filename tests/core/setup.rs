//! Guided setup (C18) and provider presets from a terminal (C12, C15): a real workspace, the
//! real keyring, the real `oidc-provider` and the real `ssoctl` binary.

use predicates::str::contains;
use serde_json::json;
use sso_console::directory::DirectoryId;
use sso_console::http::HttpClient;
use sso_console::sensitive::SecretString;
use sso_console::workspace::{SetupStepId, StepState};
use sso_console::{Workspace, WorkspaceError};

use crate::fixtures::{json_of, ssoctl, unique_secret, workspace};
use crate::oidc_provider::OidcProvider;

const SERVICE: &str = "https://signin.example.com";

fn state(setup: &sso_console::workspace::Setup, step: SetupStepId) -> StepState {
    setup.steps.iter().find(|s| s.step == step).unwrap().state
}

#[tokio::test]
async fn a_guided_setup_goes_from_the_provider_values_to_a_saved_directory_and_resumes() {
    let op = OidcProvider::start(json!({ "clients": [] }));
    let (dir, ws) = workspace().await;
    ws.set_sign_in_service_url(Some(SERVICE)).await.unwrap();
    let setup = ws
        .start_setup(
            "generic",
            &[("issuer".into(), op.issuer.clone())],
            "Local provider",
            None,
        )
        .await
        .unwrap();
    let id = DirectoryId::parse(&setup.id).unwrap();
    // The redirect URL exists before the client ID does.
    assert_eq!(
        setup.redirect_url.as_deref(),
        Some(format!("{SERVICE}/callback/{id}").as_str())
    );
    assert!(!setup.saved);
    assert_eq!(state(&setup, SetupStepId::Values), StepState::Done);
    assert_eq!(state(&setup, SetupStepId::Discovery), StepState::NotYet);
    assert!(
        ws.list("").await.unwrap().is_empty(),
        "a draft is not a directory"
    );

    // Discovery against the real provider; its endpoints wait for confirmation.
    let http = HttpClient::standard().unwrap();
    let report = ws.setup_discovery(id, &http).await.unwrap();
    assert!(!sso_console::findings::has_errors(&report.findings));
    let waiting = ws.setup(id).await.unwrap();
    assert_eq!(state(&waiting, SetupStepId::Discovery), StepState::NotYet);
    assert!(waiting.document.token_url.is_empty(), "nothing applied yet");
    let confirmed = ws.confirm_setup_discovery(id).await.unwrap();
    assert_eq!(state(&confirmed, SetupStepId::Discovery), StepState::Done);
    assert_eq!(
        Some(confirmed.document.token_url.as_str()),
        report.prefill.token_url.as_deref()
    );

    // The guide holds this directory's redirect URL and the fixed loopback redirect.
    let guide = ws.setup_guide(id).await.unwrap();
    let values: Vec<&str> = guide.values().into_iter().map(|(_, v)| v).collect();
    assert!(
        values.contains(&format!("{SERVICE}/callback/{id}").as_str()),
        "{values:?}"
    );
    assert!(
        values.contains(&"http://127.0.0.1:47613/callback"),
        "{values:?}"
    );
    ws.confirm_setup_provider(id).await.unwrap();

    // A step the flow does by doing it cannot be recorded.
    let refused = ws
        .record_setup_step(id, SetupStepId::Save, true, "saved".into())
        .await;
    assert!(
        matches!(refused, Err(WorkspaceError::Invalid(_))),
        "{refused:?}"
    );

    // Saving without a client ID refuses and stores nothing.
    let secret = unique_secret();
    let refused = ws
        .save_setup_directory(id, "", &SecretString::new(secret.clone()), None)
        .await;
    match refused {
        Err(WorkspaceError::Invalid(fields)) => {
            assert!(fields.iter().any(|f| f.field == "client_id"), "{fields:?}")
        }
        other => panic!("{other:?}"),
    }
    assert!(ws.list("").await.unwrap().is_empty());

    let saved = ws
        .save_setup_directory(
            id,
            "console-client",
            &SecretString::new(secret.clone()),
            Some("2027-06-30".into()),
        )
        .await
        .unwrap();
    assert!(saved.saved);
    assert_eq!(state(&saved, SetupStepId::Credentials), StepState::Done);
    assert_eq!(state(&saved, SetupStepId::Save), StepState::Done);
    assert_eq!(state(&saved, SetupStepId::TestSignIn), StepState::NotYet);
    let list = ws.list("").await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, id.to_string(), "saved under the reserved id");
    assert!(
        list[0].placeholder_logo,
        "the list marks the placeholder logo"
    );
    assert!(list[0].has_client_secret);
    ws.close().await;

    // Closing and opening the data folder again resumes where it was.
    let ws = Workspace::open(dir.path()).await.unwrap();
    let resumed = ws.setup(id).await.unwrap();
    let states: Vec<StepState> = resumed.steps.iter().map(|s| s.state).collect();
    let before: Vec<StepState> = saved.steps.iter().map(|s| s.state).collect();
    assert_eq!(states, before);
    let summaries = ws.setups().await.unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0].next.as_deref(), Some("Test sign-in"));

    // The guide of the saved directory, by name, is the same.
    let by_name = ws.guide("Local provider").await.unwrap();
    assert_eq!(by_name.values(), guide.values());
    assert!(!by_name.to_markdown().contains(&secret));
    assert!(!by_name.to_html().contains(&secret));

    // The steps the flow records.
    let recorded = ws
        .record_setup_step(
            id,
            SetupStepId::Routing,
            false,
            "users of contoso.com do not reach it".into(),
        )
        .await
        .unwrap();
    assert_eq!(state(&recorded, SetupStepId::Routing), StepState::Attention);

    // A setup ends with its directory.
    ws.delete(id).await.unwrap();
    assert!(matches!(
        ws.setup(id).await,
        Err(WorkspaceError::NoSetup(_))
    ));
    assert!(ws.setups().await.unwrap().is_empty());
    ws.close().await;
}

#[tokio::test]
async fn a_setup_refuses_a_taken_name_and_bad_values_and_stores_nothing() {
    let (_dir, ws) = workspace().await;
    /// (preset, its values, the name, the field refused)
    type Case = (
        &'static str,
        &'static [(&'static str, &'static str)],
        &'static str,
        &'static str,
    );
    let cases: [Case; 4] = [
        ("entra", &[("tenant", "not a tenant")], "Contoso", "tenant"),
        (
            "cognito",
            &[("region", "europe"), ("user_pool_id", "x"), ("domain", "d")],
            "Contoso",
            "region",
        ),
        ("okta", &[("domain", "contoso.okta.com")], "  ", "name"),
        ("nowhere", &[], "Contoso", "preset"),
    ];
    for (preset, values, name, field) in cases {
        let given: Vec<(String, String)> = values
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        match ws.start_setup(preset, &given, name, None).await {
            Err(WorkspaceError::Invalid(fields)) => {
                assert!(
                    fields.iter().any(|f| f.field == field),
                    "{preset}: {fields:?}"
                )
            }
            other => panic!("{preset}: {other:?}"),
        }
    }
    assert!(ws.setups().await.unwrap().is_empty());
}

/// `ssoctl dir create --preset` with one bad value per preset: exit 1 naming the value, and
/// nothing stored.
#[test]
fn ssoctl_dir_create_with_a_preset_names_each_bad_value_and_stores_nothing() {
    let data = tempfile::tempdir().unwrap();
    let cases: [(&str, &[&str], &str); 10] = [
        ("entra", &[], "tenant"),
        (
            "entra",
            &["tenant=https://login.microsoftonline.com/x"],
            "tenant",
        ),
        ("okta", &["domain="], "domain"),
        ("okta", &["domain=https://contoso.okta.com"], "domain"),
        ("google", &["hosted_domain=not a domain"], "hosted_domain"),
        (
            "cognito",
            &["region=eu-west", "user_pool_id=eu-west-1_Ab1", "domain=x"],
            "region",
        ),
        (
            "cognito",
            &["region=eu-west-1", "user_pool_id=pool", "domain=x"],
            "user_pool_id",
        ),
        ("auth0", &["domain=contoso"], "domain"),
        (
            "keycloak",
            &["base_url=ftp://sso.contoso.com", "realm=customers"],
            "base_url",
        ),
        ("generic", &["issuer=not a url"], "issuer"),
    ];
    for (preset, params, named) in cases {
        let mut cmd = ssoctl(data.path());
        cmd.args(["--json", "dir", "create", "--preset", preset]);
        for p in params {
            cmd.args(["--param", p]);
        }
        let out = cmd
            .args([
                "--name",
                "Contoso",
                "--client-id",
                "abc",
                "--placeholder-logo",
                "--client-secret-stdin",
            ])
            .write_stdin("never-stored\n")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{preset} {params:?}");
        let error = json_of(&out.stdout);
        let fields: Vec<&str> = error["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert!(fields.contains(&named), "{preset} {params:?}: {error}");
        let message = error["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("for example"),
            "{preset}: an example is shown: {message}"
        );
    }
    ssoctl(data.path())
        .args(["--json", "dir", "list"])
        .assert()
        .success()
        .stdout(contains("[]"));
}

#[tokio::test]
async fn ssoctl_creates_a_directory_from_a_preset_and_prints_its_guide() {
    let data = tempfile::tempdir().unwrap();
    {
        let ws = Workspace::open(data.path()).await.unwrap();
        ws.set_sign_in_service_url(Some(SERVICE)).await.unwrap();
        ws.close().await;
    }
    let secret = unique_secret();
    let out = ssoctl(data.path())
        .args([
            "--json",
            "dir",
            "create",
            "--preset",
            "entra",
            "--param",
            "tenant=72f988bf-86f1-41af-91ab-2d7cd011db47",
            "--name",
            "Contoso staff",
            "--client-id",
            "11111111-2222-3333-4444-555555555555",
            "--placeholder-logo",
            "--client-secret-stdin",
        ])
        .write_stdin(format!("{secret}\n"))
        .assert()
        .success();
    let created = json_of(&out.get_output().stdout);
    let id = created["document"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["document"]["claims"]["external_id"]["claim"], "oid");
    assert_eq!(
        created["document"]["issuer"],
        "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"
    );
    assert_eq!(created["document"]["test_redirect_port"], 47613);
    assert_eq!(created["has_client_secret"], true);

    let guide = ssoctl(data.path())
        .args(["guide", "Contoso staff"])
        .assert()
        .success()
        .stdout(contains(format!("`{SERVICE}/callback/{id}`")))
        .stdout(contains("`http://127.0.0.1:47613/callback`"))
        .stdout(contains("Mobile and desktop applications"));
    assert!(!String::from_utf8_lossy(&guide.get_output().stdout).contains(&secret));

    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("guide.html");
    ssoctl(data.path())
        .args(["guide", &id, "--format", "html", "--out"])
        .arg(&file)
        .assert()
        .success()
        .stdout(contains("Guide written to"));
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains(&format!("{SERVICE}/callback/{id}")));
    assert!(!html.contains(&secret));

    ssoctl(data.path())
        .args(["dir", "show", &id])
        .assert()
        .success()
        .stdout(contains("a placeholder with the name in it"));
    // The directory and its secret go.
    ssoctl(data.path())
        .args(["dir", "delete", &id])
        .assert()
        .success();
}

#[test]
fn ssoctl_dir_create_with_a_preset_asks_for_a_logo_and_the_secret() {
    let data = tempfile::tempdir().unwrap();
    let base = [
        "dir",
        "create",
        "--preset",
        "okta",
        "--param",
        "domain=contoso.okta.com",
        "--name",
        "Contoso",
        "--client-id",
        "abc",
    ];
    ssoctl(data.path())
        .args(base)
        .arg("--client-secret-stdin")
        .write_stdin("x\n")
        .assert()
        .code(2)
        .stderr(contains("--placeholder-logo"));
    ssoctl(data.path())
        .args(base)
        .arg("--placeholder-logo")
        .assert()
        .code(2)
        .stderr(contains("--client-secret-stdin"));
    ssoctl(data.path())
        .args(["--json", "dir", "list"])
        .assert()
        .success()
        .stdout(contains("[]"));
}
