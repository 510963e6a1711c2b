//! SCIM connections in a real SQLite file, their bearer tokens in the real OS keyring (run
//! inside scripts/with-test-session.sh).

use sso_console::directory::DirectoryId;
use sso_console::error_kind::ErrorKind;
use sso_console::http::HttpClient;
use sso_console::scim::templates;
use sso_console::scim::{
    DryRunOptions, MappingDocument, ScimConnectionDetail, ScimConnectionDocument, ScimConnectionId,
};
use sso_console::sensitive::SecretString;
use sso_console::workspace::ScimError;

use crate::fixtures::{document, workspace};
use crate::scim_support::ScimServer;
use crate::secrets::contains;

fn connection(name: &str, url: &str) -> ScimConnectionDocument {
    ScimConnectionDocument {
        name: name.into(),
        tenant_url: url.into(),
        notes: "Token from Settings > Directory Services".into(),
        mappings: templates::template("learning-platform-entra")
            .unwrap()
            .document,
        ..ScimConnectionDocument::default()
    }
}

fn id_of(detail: &ScimConnectionDetail) -> ScimConnectionId {
    ScimConnectionId::parse(detail.document.id.as_deref().unwrap()).unwrap()
}

fn unique_token() -> String {
    format!("scim-{}-never-on-disk", uuid::Uuid::new_v4().simple())
}

#[tokio::test]
async fn a_scim_connection_is_created_updated_listed_and_deleted_with_its_token() {
    let (dir, ws) = workspace().await;
    let directory = ws
        .create(&document("Contoso"), &SecretString::new("client-secret"))
        .await
        .unwrap();
    let mut doc = connection("Learning platform", "https://ilms.example.com/scim/v2/");
    doc.directory_id = directory.document.id.clone();
    let first = unique_token();
    let created = ws
        .create_scim_connection(&doc, &SecretString::new(&first))
        .await
        .unwrap();
    let id = id_of(&created);
    assert_eq!(created.revision, 1);
    assert!(created.has_token);
    assert_eq!(
        created.document.tenant_url,
        "https://ilms.example.com/scim/v2"
    );
    assert_eq!(created.directory_name.as_deref(), Some("Contoso"));
    assert_eq!(ws.scim_token(id).await.unwrap().unwrap().expose(), first);

    let list = ws.scim_connections().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].mapping_count,
        created.document.mappings.mappings.len() as u32
    );

    let mut changed = created.document.clone();
    changed.notes = "rotated".into();
    let second = unique_token();
    let updated = ws
        .update_scim_connection(id, Some(1), &changed, Some(&SecretString::new(&second)))
        .await
        .unwrap();
    assert_eq!(updated.revision, 2);
    assert_eq!(ws.scim_token(id).await.unwrap().unwrap().expose(), second);

    let stale = ws
        .update_scim_connection(id, Some(1), &changed, None)
        .await
        .unwrap_err();
    assert!(matches!(stale, ScimError::Changed { .. }), "{stale}");
    assert_eq!(stale.kind(), ErrorKind::Conflict);

    let found = ws.find_scim_connection("LEARNING PLATFORM").await.unwrap();
    assert_eq!(found.document.notes, "rotated");

    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !contains(&bytes, &first) && !contains(&bytes, &second),
            "the token is in {}",
            path.display()
        );
    }

    // Deleting the directory unlinks the connection; deleting the connection its token.
    let directory_id = DirectoryId::parse(directory.document.id.as_deref().unwrap()).unwrap();
    ws.delete(directory_id).await.unwrap();
    assert_eq!(
        ws.scim_connection(id).await.unwrap().document.directory_id,
        None
    );
    assert_eq!(
        ws.delete_scim_connection(id).await.unwrap(),
        "Learning platform"
    );
    // Asked of the keyring itself: no entry of the connection holds a token any more.
    let prefix = format!("scim/{id}/");
    let left: Vec<String> = crate::secrets::keyring_items()
        .into_keys()
        .filter(|name| name.starts_with(&prefix))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(matches!(
        ws.scim_connection(id).await,
        Err(ScimError::NotFound(_))
    ));
}

#[tokio::test]
async fn names_are_unique_links_must_exist_and_bad_documents_store_nothing() {
    let (_dir, ws) = workspace().await;
    ws.create_scim_connection(
        &connection("Okta app", "https://a.example.com/scim"),
        &SecretString::new("t"),
    )
    .await
    .unwrap();
    let taken = ws
        .create_scim_connection(
            &connection("okta APP", "https://b.example.com/scim"),
            &SecretString::new("t"),
        )
        .await
        .unwrap_err();
    assert_eq!(taken.fields()[0].field, "name");

    let mut unlinked = connection("Other", "https://b.example.com/scim");
    unlinked.directory_id = Some(DirectoryId::new().to_string());
    let missing = ws
        .create_scim_connection(&unlinked, &SecretString::new("t"))
        .await
        .unwrap_err();
    assert_eq!(missing.fields()[0].field, "directory_id");

    let mut bad = connection("", "http://public.example.com/scim");
    bad.mappings.mappings[0].target = "emails[".into();
    let invalid = ws
        .create_scim_connection(&bad, &SecretString::new(""))
        .await
        .unwrap_err();
    let fields: Vec<String> = invalid.fields().into_iter().map(|f| f.field).collect();
    assert_eq!(
        fields,
        ["name", "tenant_url", "mappings.mappings[0].target", "token"]
    );
    assert_eq!(ws.scim_connections().await.unwrap().len(), 1);
}

#[tokio::test]
async fn mappings_are_exported_and_imported_as_a_json_document() {
    let (_dir, ws) = workspace().await;
    let created = ws
        .create_scim_connection(
            &connection("Export", "https://a.example.com/scim"),
            &SecretString::new("t"),
        )
        .await
        .unwrap();
    let id = id_of(&created);
    let exported = ws.export_scim_mappings(id).await.unwrap();
    assert!(exported.contains("\"format\": \"sso-console/scim-mappings\""));
    assert_eq!(
        MappingDocument::from_json(&exported).unwrap(),
        created.document.mappings
    );

    let other = templates::template("workspace-platform-entra")
        .unwrap()
        .document;
    let imported = ws
        .import_scim_mappings(id, Some(created.revision), &other.to_json())
        .await
        .unwrap();
    assert_eq!(imported.document.mappings, other);
    let refused = ws
        .import_scim_mappings(id, None, "{\"mappings\": 3}")
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Validation);
}

#[tokio::test]
async fn checks_run_on_a_stored_connection_with_its_token_from_the_keyring() {
    let server = ScimServer::start_with_extension().await;
    let (_dir, ws) = workspace().await;
    let created = ws
        .create_scim_connection(
            &connection("Live", &server.base_url),
            &SecretString::new(&server.token),
        )
        .await
        .unwrap();
    let id = id_of(&created);
    let http = HttpClient::standard().unwrap();
    let report = ws.test_scim_connection(id, &http).await.unwrap();
    assert!(report.passed, "{report:#?}");
    let review = ws.review_scim_endpoint(id, &http).await.unwrap();
    assert!(review.passed, "{:#?}", review.findings);
    let user = templates::sample_user("entra-adele-vance").unwrap().user;
    let preview = ws
        .preview_scim_user(
            Some(id),
            &created.document.mappings,
            &user,
            None,
            Default::default(),
            &http,
        )
        .await
        .unwrap();
    assert!(preview.valid, "{:#?}", preview.findings);
    let run = ws
        .dry_run_scim(
            id,
            &user,
            DryRunOptions::default(),
            &http,
            &tokio_util::sync::CancellationToken::new(),
        )
        .await
        .unwrap();
    assert!(run.passed && run.cleaned_up, "{run:#?}");
}
