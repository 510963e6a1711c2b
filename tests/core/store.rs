//! The store on a real SQLite file, through the workspace.

use sso_console::directory::{DirectoryId, StaffRule};
use sso_console::error_kind::{ErrorKind, FrontEnd};
use sso_console::sensitive::SecretString;
use sso_console::store::StoreError;
use sso_console::{Workspace, WorkspaceError};

use crate::fixtures::{document, workspace};

fn secret() -> SecretString {
    SecretString::new("test-secret")
}

fn id_of(detail: &sso_console::workspace::DirectoryDetail) -> DirectoryId {
    DirectoryId::parse(detail.document.id.as_deref().unwrap()).unwrap()
}

#[tokio::test]
async fn create_read_update_duplicate_delete() {
    let (_dir, ws) = workspace().await;
    let created = ws.create(&document("Contoso"), &secret()).await.unwrap();
    let id = id_of(&created);
    assert_eq!(created.revision, 1);
    assert!(created.has_client_secret);

    let mut doc = ws.get(id).await.unwrap().document;
    doc.scopes = "openid email".into();
    doc.staff = StaffRule::ClaimEquals {
        claim: "roles".into(),
        value: "Staff".into(),
    };
    doc.domain_suffixes = vec!["contoso.com".into()];
    let updated = ws.update(id, Some(1), &doc, None).await.unwrap();
    assert_eq!(updated.revision, 2);
    assert_eq!(updated.document.scopes, "openid email");
    assert_eq!(updated.document.domain_suffixes, ["contoso.com"]);
    assert!(
        updated.has_client_secret,
        "a save without a new secret keeps the stored one"
    );

    let copy = ws.duplicate(id).await.unwrap();
    assert_eq!(copy.document.name, "Contoso (copy)");
    assert_ne!(copy.document.id, updated.document.id);
    assert!(!copy.has_client_secret, "the secret is not copied");
    assert!(
        copy.document.domain_suffixes.is_empty(),
        "a domain belongs to one directory only"
    );
    assert_eq!(copy.document.staff, updated.document.staff);
    assert_eq!(
        ws.duplicate(id).await.unwrap().document.name,
        "Contoso (copy 2)"
    );

    let names: Vec<String> = ws
        .list("")
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(names, ["Contoso", "Contoso (copy 2)", "Contoso (copy)"]);
    assert_eq!(
        ws.list("contoso.com").await.unwrap().len(),
        1,
        "search finds domains"
    );

    assert_eq!(ws.delete(id).await.unwrap(), "Contoso");
    assert!(matches!(
        ws.get(id).await,
        Err(WorkspaceError::Store(StoreError::NotFound(_)))
    ));
    assert_eq!(ws.list("").await.unwrap().len(), 2);
}

#[tokio::test]
async fn search_finds_a_name_a_client_id_or_part_of_one_domain_suffix() {
    let (_dir, ws) = workspace().await;
    let mut first = document("Fabrikam, Inc.");
    first.client_id = "client_100%".into();
    first.domain_suffixes = vec!["fabrikam.example".into(), "sales.fabrikam.test".into()];
    ws.create(&first, &secret()).await.unwrap();
    let mut second = document("Northwind");
    second.client_id = "northwind-app".into();
    second.domain_suffixes = vec!["northwind.example".into()];
    ws.create(&second, &secret()).await.unwrap();

    let found = |query: &'static str| {
        let ws = &ws;
        async move {
            ws.list(query)
                .await
                .unwrap()
                .into_iter()
                .map(|d| d.name)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(found("  ").await, ["Fabrikam, Inc.", "Northwind"]);
    assert_eq!(found("FABRIKAM, inc").await, ["Fabrikam, Inc."]);
    assert_eq!(found("sales.fab").await, ["Fabrikam, Inc."]);
    assert_eq!(found("WIND-APP").await, ["Northwind"]);
    assert_eq!(found("t_100%").await, ["Fabrikam, Inc."]);
    assert_eq!(found("_").await, ["Fabrikam, Inc."], "no wildcard");
    assert_eq!(found(".example").await, ["Fabrikam, Inc.", "Northwind"]);
    assert!(
        found("example,sales").await.is_empty(),
        "a query is inside one domain suffix, not across two"
    );
    assert!(found("contoso").await.is_empty());
}

#[tokio::test]
async fn names_are_unique_ignoring_case() {
    let (_dir, ws) = workspace().await;
    ws.create(&document("Contoso"), &secret()).await.unwrap();
    let err = ws
        .create(&document("  contoso "), &secret())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(err.fields()[0].field, "name");
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(ws.list("").await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_domain_belongs_to_one_directory_only() {
    let (_dir, ws) = workspace().await;
    let mut staff = document("Staff");
    staff.domain_suffixes = vec!["example.org".into()];
    ws.create(&staff, &secret()).await.unwrap();
    let mut public = document("Public");
    public.domain_suffixes = vec!["Example.ORG".into()];
    let err = ws.create(&public, &secret()).await.unwrap_err();
    assert_eq!(err.fields()[0].field, "domain_suffixes");
    assert!(
        err.to_string().contains("\"Staff\""),
        "names the other directory: {err}"
    );
}

#[tokio::test]
async fn the_second_of_two_concurrent_edits_gets_a_conflict() {
    let (dir, first) = workspace().await;
    let created = first.create(&document("Shared"), &secret()).await.unwrap();
    let id = id_of(&created);
    // A second writer on the same file, as ssoctl or a second window would be.
    let second = Workspace::open(dir.path()).await.unwrap();
    let opened_by_first = first.get(id).await.unwrap();
    let opened_by_second = second.get(id).await.unwrap();

    let mut doc = opened_by_second.document.clone();
    doc.client_id = "changed-by-second".into();
    second
        .update(id, Some(opened_by_second.revision), &doc, None)
        .await
        .unwrap();

    let mut doc = opened_by_first.document.clone();
    doc.client_id = "changed-by-first".into();
    let err = first
        .update(id, Some(opened_by_first.revision), &doc, None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("changed elsewhere"), "{err}");
    // Each front end says what to do in its own words.
    let in_app = err.message(FrontEnd::App);
    assert!(
        in_app.contains("reload it and apply your changes again"),
        "{in_app}"
    );
    assert!(!in_app.contains("ssoctl dir"), "{in_app}");
    let in_terminal = err.message(FrontEnd::Ssoctl);
    assert!(
        in_terminal.contains("`ssoctl dir show \"Shared\"` and run your command again"),
        "{in_terminal}"
    );
    assert!(!in_terminal.contains("reload"), "{in_terminal}");
    assert_eq!(
        first.get(id).await.unwrap().document.client_id,
        "changed-by-second"
    );
}

#[tokio::test]
async fn data_survives_closing_and_reopening() {
    let (dir, ws) = workspace().await;
    let created = ws.create(&document("Durable"), &secret()).await.unwrap();
    ws.set_sign_in_service_url(Some("https://sso.example.org/"))
        .await
        .unwrap();
    ws.close().await;
    drop(ws);
    let reopened = Workspace::open(dir.path()).await.unwrap();
    let got = reopened.get(id_of(&created)).await.unwrap();
    assert_eq!(got.document, created.document);
    assert_eq!(
        got.redirect_url.as_deref(),
        Some(format!("https://sso.example.org/callback/{}", id_of(&created)).as_str())
    );
}

#[tokio::test]
async fn a_data_folder_from_before_the_list_kept_domains_shows_them_after_the_upgrade() {
    let (dir, ws) = workspace().await;
    let mut doc = document("Upgraded");
    doc.domain_suffixes = vec!["upgraded.example".into(), "upgraded.test".into()];
    let created = ws.create(&doc, &secret()).await.unwrap();
    ws.close().await;
    drop(ws);

    // The schema as the version before kept it: domains only in their own table.
    let file = dir.path().join(sso_console::store::DATABASE_FILE);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    for statement in [
        "DROP INDEX directories_list",
        "ALTER TABLE directories DROP COLUMN domains",
        "CREATE INDEX directories_list ON directories (name, id, client_id, is_hidden,
             client_secret_stored, client_secret_expires_on, revision, logo_placeholder)",
        "DELETE FROM _sqlx_migrations WHERE description = 'list domains'",
    ] {
        sqlx::query(statement).execute(&pool).await.unwrap();
    }
    pool.close().await;

    let reopened = Workspace::open(dir.path()).await.unwrap();
    let listed = reopened.list("").await.unwrap();
    assert_eq!(listed[0].domain_suffixes, doc.domain_suffixes);
    let found = reopened.list("upgraded.test").await.unwrap();
    assert_eq!(found.len(), 1);
    let got = reopened.get(id_of(&created)).await.unwrap();
    assert_eq!(got.document.domain_suffixes, doc.domain_suffixes);
}

#[tokio::test]
async fn an_invalid_save_changes_nothing() {
    let (_dir, ws) = workspace().await;
    let created = ws.create(&document("Stable"), &secret()).await.unwrap();
    let mut doc = created.document.clone();
    doc.token_url = "http://idp.example.com/token".into();
    doc.name = String::new();
    let err = ws
        .update(id_of(&created), Some(1), &doc, None)
        .await
        .unwrap_err();
    let fields: Vec<String> = err.fields().into_iter().map(|f| f.field).collect();
    assert_eq!(fields, ["name", "token_url"]);
    assert_eq!(ws.get(id_of(&created)).await.unwrap(), created);
}

#[tokio::test]
async fn redirect_url_needs_the_sign_in_service_url() {
    let (_dir, ws) = workspace().await;
    let created = ws.create(&document("Redirect"), &secret()).await.unwrap();
    assert_eq!(created.redirect_url, None);
    let err = ws
        .set_sign_in_service_url(Some("http://sso.example.org"))
        .await
        .unwrap_err();
    assert_eq!(err.fields()[0].field, "sign_in_service_url");
    let settings = ws
        .set_sign_in_service_url(Some("https://sso.example.org/base/"))
        .await
        .unwrap();
    assert_eq!(
        settings.sign_in_service_url.as_deref(),
        Some("https://sso.example.org/base")
    );
    let detail = ws.get(id_of(&created)).await.unwrap();
    assert_eq!(
        detail.redirect_url,
        Some(format!(
            "https://sso.example.org/base/callback/{}",
            id_of(&created)
        ))
    );
}

#[tokio::test]
async fn expiring_secrets_are_listed() {
    let (_dir, ws) = workspace().await;
    let today = sso_console::expiry::today();
    let mut soon = document("Soon");
    soon.client_secret_expires_on = Some(sso_console::expiry::format_date(
        today + time::Duration::days(2),
    ));
    let mut later = document("Later");
    later.client_secret_expires_on = Some(sso_console::expiry::format_date(
        today + time::Duration::days(30),
    ));
    let mut expired = document("Expired");
    expired.client_secret_expires_on = Some(sso_console::expiry::format_date(
        today - time::Duration::days(1),
    ));
    for doc in [&soon, &later, &expired] {
        ws.create(doc, &secret()).await.unwrap();
    }
    let names: Vec<String> = ws
        .needing_attention()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(names, ["Expired", "Soon"]);
}

#[tokio::test]
async fn a_database_from_a_newer_version_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(sso_console::store::DATABASE_FILE);
    let store = sso_console::store::Store::open(&file).await.unwrap();
    // What a newer version would have recorded: a schema change this one does not have.
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (99990101, 'from the future', 1, x'00', 0)",
    )
    .execute(store.pool())
    .await
    .unwrap();
    let applied = || async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        let versions: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&pool)
                .await
                .unwrap();
        pool.close().await;
        versions
    };
    store.pool().close().await;
    let before = applied().await;

    let error = Workspace::open(dir.path()).await.unwrap_err();
    let WorkspaceError::Store(StoreError::NewerVersion { version, .. }) = &error else {
        panic!("expected a newer-version error, got {error:?}");
    };
    assert_eq!(*version, 99990101);
    let text = error.to_string();
    assert!(text.contains("newer version of SSO Console"), "{text}");
    assert_eq!(applied().await, before, "no schema change was applied");
}

#[tokio::test]
async fn a_data_folder_that_cannot_be_created_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_folder = dir.path().join("a-file");
    std::fs::write(&not_a_folder, "").unwrap();
    let error = Workspace::open(&not_a_folder.join("data"))
        .await
        .unwrap_err();
    for front in [FrontEnd::App, FrontEnd::Ssoctl] {
        let text = error.message(front);
        assert!(text.contains("cannot open the database"), "{text}");
        assert!(text.contains("SSO_CONSOLE_DATA_DIR"), "{text}");
    }
    assert!(error
        .message(FrontEnd::App)
        .contains("start SSO Console with the environment variable SSO_CONSOLE_DATA_DIR set to another folder"));
}
