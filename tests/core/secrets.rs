//! Client secrets against the real Secret Service.

use sso_console::directory::DirectoryId;
use sso_console::secrets::SecretString;

use crate::fixtures::{document, unique_secret, workspace};

/// Every file of the data directory (database, WAL, shared memory), as bytes.
fn data_files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn secret_is_stored_read_replaced_and_deleted_with_its_directory() {
    let (dir, ws) = workspace().await;
    let first = unique_secret();
    let created = ws
        .create(&document("Keyring"), &SecretString::new(&first))
        .await
        .unwrap();
    let id = DirectoryId::parse(created.document.id.as_deref().unwrap()).unwrap();
    assert_eq!(ws.client_secret(id).await.unwrap().unwrap().expose(), first);

    let second = unique_secret();
    let doc = created.document.clone();
    ws.update(
        id,
        Some(created.revision),
        &doc,
        Some(&SecretString::new(&second)),
    )
    .await
    .unwrap();
    assert_eq!(
        ws.client_secret(id).await.unwrap().unwrap().expose(),
        second
    );

    for (file, bytes) in data_files(dir.path()) {
        assert!(
            !contains(&bytes, &first) && !contains(&bytes, &second),
            "secret found in {file}"
        );
    }

    ws.delete(id).await.unwrap();
    assert!(
        ws.client_secret(id).await.unwrap().is_none(),
        "deleting the directory deletes its secret"
    );
}

#[tokio::test]
async fn duplicating_does_not_copy_the_secret() {
    let (_dir, ws) = workspace().await;
    let created = ws
        .create(&document("Original"), &SecretString::new(unique_secret()))
        .await
        .unwrap();
    let id = DirectoryId::parse(created.document.id.as_deref().unwrap()).unwrap();
    let copy = ws.duplicate(id).await.unwrap();
    let copy_id = DirectoryId::parse(copy.document.id.as_deref().unwrap()).unwrap();
    assert!(ws.client_secret(copy_id).await.unwrap().is_none());
}

#[tokio::test]
async fn an_empty_secret_is_refused_and_nothing_is_stored() {
    let (_dir, ws) = workspace().await;
    let err = ws
        .create(&document("No secret"), &SecretString::new("   "))
        .await
        .unwrap_err();
    assert_eq!(err.fields()[0].field, "client_secret");
    assert!(ws.list("").await.unwrap().is_empty());
}
