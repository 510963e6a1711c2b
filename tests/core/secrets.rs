//! Client secrets against the real Secret Service.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};

use sso_console::directory::DirectoryId;

use sso_console::secrets::{SecretEntry, SecretVersion, KEYRING_SERVICE};
use sso_console::sensitive::SecretString;

use crate::fixtures::{document, unique_secret, workspace};

/// What the Secret Service holds under the console's entry `name`, asked of it directly
/// (libsecret's `secret-tool`), not through the console.
pub fn keyring_lookup(name: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", KEYRING_SERVICE, "username", name])
        .output()
        .expect("secret-tool runs (scripts/install-deps.sh installs libsecret-tools)");
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Removes the entry `name` behind the console's back.
fn keyring_clear(name: &str) {
    let status = Command::new("secret-tool")
        .args(["clear", "service", KEYRING_SERVICE, "username", name])
        .status()
        .expect("secret-tool runs");
    assert!(status.success());
}

/// Every item of the console's service in the Secret Service, with its secret, asked of it
/// directly (`secret-tool search --all`), not through the console. `secret-tool` prints each
/// item's label and secret on standard output and its attributes on standard error, in the same
/// order; the entry name is read from the label the keyring crate gives its items
/// (`<entry>@<service>:<target> (keyring vX)`) and checked against the `username` attribute.
///
/// Other tests share the Secret Service and delete their own items while this runs; an item
/// deleted between `secret-tool`'s listing and its reading fails the whole search with "No such
/// secret item", so that one answer is asked again, a bounded number of times.
pub fn keyring_items() -> BTreeMap<String, Vec<String>> {
    const ATTEMPTS: usize = 20;
    let mut attempt = 0;
    let out = loop {
        attempt += 1;
        let out = Command::new("secret-tool")
            .args(["search", "--all", "service", KEYRING_SERVICE])
            .output()
            .expect("secret-tool runs (scripts/install-deps.sh installs libsecret-tools)");
        let raced = !out.status.success()
            && String::from_utf8_lossy(&out.stderr).contains("No such secret item");
        if !raced || attempt == ATTEMPTS {
            break out;
        }
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "secret-tool search failed (attempt {attempt}): {stderr}"
    );
    let mut listed: Vec<(Option<String>, Option<String>)> = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if line.starts_with('[') {
            listed.push((None, None));
        } else if let Some(item) = listed.last_mut() {
            if let Some(label) = line.strip_prefix("label = ") {
                item.0 = label
                    .split_once(&format!("@{KEYRING_SERVICE}:"))
                    .map(|(entry, _)| entry.to_owned());
            } else if let Some(secret) = line.strip_prefix("secret = ") {
                item.1 = Some(secret.to_owned());
            }
        }
    }
    let usernames: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("attribute.username = "))
        .collect();
    if usernames.len() == listed.len() {
        for ((entry, _), username) in listed.iter().zip(&usernames) {
            if let Some(entry) = entry {
                assert_eq!(entry, username, "an item's label does not name its entry");
            }
        }
    }
    let mut items: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (entry, secret) in listed {
        if let (Some(entry), Some(secret)) = (entry, secret) {
            items.entry(entry).or_default().push(secret);
        }
    }
    items
}

/// The keyring entries of a directory's client secret, with their secrets.
fn directory_entries(id: DirectoryId) -> BTreeMap<String, Vec<String>> {
    let prefix = format!("directory/{id}/");
    keyring_items()
        .into_iter()
        .filter(|(name, _)| name.starts_with(&prefix))
        .collect()
}

fn first_name(id: DirectoryId) -> String {
    SecretEntry::client_secret(id, SecretVersion::FIRST).name()
}

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
    // The replacement went into an entry of its own and the first one was deleted.
    let entries = directory_entries(id);
    assert_eq!(entries.len(), 1, "{entries:?}");
    let (name, secrets) = entries.iter().next().unwrap();
    assert_ne!(name, &first_name(id));
    assert_eq!(secrets, std::slice::from_ref(&second));

    for (file, bytes) in data_files(dir.path()) {
        assert!(
            !contains(&bytes, &first) && !contains(&bytes, &second),
            "secret found in {file}"
        );
    }

    ws.delete(id).await.unwrap();
    assert_eq!(
        directory_entries(id),
        BTreeMap::new(),
        "deleting the directory deletes its secret"
    );
}

#[tokio::test]
async fn a_secret_removed_from_the_keyring_behind_the_consoles_back_is_shown_as_missing() {
    let (_dir, ws) = workspace().await;
    let created = ws
        .create(
            &document("Removed elsewhere"),
            &SecretString::new(unique_secret()),
        )
        .await
        .unwrap();
    let id = DirectoryId::parse(created.document.id.as_deref().unwrap()).unwrap();
    assert!(created.has_client_secret);
    keyring_clear(&first_name(id));

    let detail = ws.get(id).await.unwrap();
    assert!(!detail.has_client_secret, "the keyring itself is asked");
    let warning = detail
        .warnings
        .iter()
        .find(|w| w.field == "client_secret")
        .expect("a warning on the client secret");
    assert!(
        warning.message.contains("missing from the keyring")
            && warning.message.contains("enter it again"),
        "{warning:?}"
    );
    let refused = ws
        .prepare_sign_in(id)
        .await
        .err()
        .expect("no test without the secret");
    assert!(
        refused.to_string().contains("missing from the keyring"),
        "{refused}"
    );

    // Entering it again puts things right.
    ws.update(
        id,
        None,
        &detail.document,
        Some(&SecretString::new(unique_secret())),
    )
    .await
    .unwrap();
    let detail = ws.get(id).await.unwrap();
    assert!(detail.has_client_secret);
    assert!(detail.warnings.iter().all(|w| w.field != "client_secret"));
}

#[tokio::test]
async fn what_a_crash_left_in_the_keyring_is_tidied_at_the_next_open() {
    let (dir, ws) = workspace().await;
    let kept = ws
        .create(&document("Kept"), &SecretString::new(unique_secret()))
        .await
        .unwrap();
    let kept = DirectoryId::parse(kept.document.id.as_deref().unwrap()).unwrap();
    ws.close().await;
    // A save that wrote its secret an hour ago and was killed before its row committed: the
    // entry is listed and in the keyring, and no row names it. A listed entry a row does name
    // stays.
    let orphan = first_name(DirectoryId::new());
    let named = first_name(kept);
    let mut store = Command::new("secret-tool")
        .args([
            "store",
            "--label",
            "leftover",
            "service",
            KEYRING_SERVICE,
            "username",
            &orphan,
        ])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut store.stdin.take().unwrap(), b"leftover-secret").unwrap();
    assert!(store.wait().unwrap().success());
    let db = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        dir.path().join(sso_console::store::DATABASE_FILE).display()
    ))
    .await
    .unwrap();
    for entry in [&orphan, &named] {
        sqlx::query("INSERT INTO secret_cleanup (entry, listed_at) VALUES (?, ?)")
            .bind(entry)
            .bind(time::OffsetDateTime::now_utc().unix_timestamp() - 3600)
            .execute(&db)
            .await
            .unwrap();
    }
    db.close().await;

    let ws = sso_console::Workspace::open(dir.path()).await.unwrap();
    assert_eq!(keyring_lookup(&orphan), None, "the leftover was deleted");
    assert!(
        keyring_lookup(&named).is_some(),
        "a secret a row names is kept"
    );
    assert!(ws.get(kept).await.unwrap().has_client_secret);
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
