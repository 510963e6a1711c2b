//! Secrets and rows kept in step (DESIGN §4). The keyring is not part of the database's
//! transactions, so its work happens outside them, in an order a crash cannot turn into a lie:
//!
//! - a new secret is written into a keyring entry whose name was never used before (see
//!   [`SecretVersion`](crate::secrets::SecretVersion)), after that entry is listed here;
//!   the row that names it takes it off the list in the commit that saves the row;
//! - an entry a row gives up (the old version of a replaced secret, a deleted row's entry) is
//!   listed here in the commit that gives it up, and deleted from the keyring after it;
//! - whatever a crash left listed is tidied when a workspace next opens: deleted from the
//!   keyring unless a row names it.
//!
//! So a row that says a secret is stored always names an entry that holds it, a row is always
//! exactly its old or its new version, secret included, and nothing is left in the keyring for
//! long. The keyring is never called while a write transaction holds the database.

use sqlx::{Row, SqliteConnection};

use super::{Store, StoreError};
use crate::secrets::{SecretEntry, SecretError, SecretOwner, SecretStore};
use crate::sensitive::SecretString;

/// How long an entry stays listed before a workspace that opens takes it for a crash's leftover.
/// A save under way in another process (waiting for a keyring unlock, say) lists its entry
/// for that long at most; one that takes longer fails at its commit and says to save again.
pub const LEFT_BEHIND_AFTER_SECS: i64 = 15 * 60;

fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Runs a keyring call on a blocking thread: the keyring is synchronous (D-Bus, Keychain,
/// Credential Manager) and may wait for an unlock.
async fn keyring<T: Send + 'static>(
    op: impl FnOnce(SecretStore) -> Result<T, SecretError> + Send + 'static,
) -> Result<T, SecretError> {
    tokio::task::spawn_blocking(move || op(SecretStore))
        .await
        .map_err(|e| SecretError::Failed {
            action: "reach",
            detail: e.to_string(),
        })?
}

/// Saves a row together with a new secret: writes `secret` into the unnamed entry `new`, then
/// runs `save` in a write transaction, which must make the row name `new`; `old`, the entry the
/// row named before, is given up in the same commit and deleted after it. When anything fails
/// the new entry is deleted again and the row is as it was.
pub async fn save_with_secret<E>(
    store: &Store,
    new: SecretEntry,
    old: Option<SecretEntry>,
    secret: SecretString,
    save: impl AsyncFnOnce(&mut SqliteConnection) -> Result<(), E>,
) -> Result<(), E>
where
    E: From<StoreError> + From<SecretError>,
{
    save_with_secrets(store, vec![(new, secret)], async |conn| {
        save(conn).await?;
        Ok(old.into_iter().collect())
    })
    .await
}

/// [`save_with_secret`] for any number of rows at once, all or nothing: every secret is written
/// into its unnamed entry first, then `save` runs in one write transaction, makes the rows name
/// those entries and returns the entries the rows gave up, which are deleted after the commit.
/// When anything fails, every new entry is deleted again and no row has changed.
pub async fn save_with_secrets<E>(
    store: &Store,
    new: Vec<(SecretEntry, SecretString)>,
    save: impl AsyncFnOnce(&mut SqliteConnection) -> Result<Vec<SecretEntry>, E>,
) -> Result<(), E>
where
    E: From<StoreError> + From<SecretError>,
{
    let entries: Vec<SecretEntry> = new.iter().map(|(entry, _)| *entry).collect();
    for (i, (entry, secret)) in new.into_iter().enumerate() {
        if let Err(e) = write::<E>(store, entry, secret).await {
            discard(store, &entries[..i]).await;
            return Err(e);
        }
    }
    let saved = async {
        let mut tx = store.begin_write().await?;
        let given_up = save(&mut tx).await?;
        for &entry in &entries {
            settle(&mut tx, entry).await?;
        }
        for &old in &given_up {
            list(&mut tx, old).await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok::<_, E>(given_up)
    };
    match saved.await {
        Ok(given_up) => {
            discard(store, &given_up).await;
            Ok(())
        }
        Err(e) => {
            discard(store, &entries).await;
            Err(e)
        }
    }
}

/// Deletes a row with `delete` in a write transaction, which returns the row and the entry of
/// its secret; the entry is given up in the same commit and deleted from the keyring after it.
pub async fn delete_with_secret<T, E>(
    store: &Store,
    delete: impl AsyncFnOnce(&mut SqliteConnection) -> Result<(T, Option<SecretEntry>), E>,
) -> Result<T, E>
where
    E: From<StoreError>,
{
    let mut tx = store.begin_write().await?;
    let (deleted, entry) = delete(&mut tx).await?;
    if let Some(entry) = entry {
        list(&mut tx, entry).await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    discard(store, entry.as_slice()).await;
    Ok(deleted)
}

/// Reads the secret in `entry`; `None` when the keyring has none there.
pub async fn read(entry: SecretEntry) -> Result<Option<SecretString>, SecretError> {
    keyring(move |s| s.get(entry)).await
}

/// Lists `entry` and then writes `secret` into it. On a keyring failure the listing is taken
/// back. The entry belongs to no row until [`settle`] runs in the row's commit.
async fn write<E>(store: &Store, entry: SecretEntry, secret: SecretString) -> Result<(), E>
where
    E: From<StoreError> + From<SecretError>,
{
    let mut tx = store.begin_write().await?;
    list(&mut tx, entry).await?;
    tx.commit().await.map_err(StoreError::from)?;
    if let Err(e) = keyring(move |s| s.set(entry, &secret)).await {
        let _ = unlist(store, &[entry]).await;
        return Err(e.into());
    }
    Ok(())
}

/// In the commit that makes a row name `entry`: takes it off the list. Fails when it is no
/// longer listed, which means another process tidied it away (and may have deleted it) while
/// this save was under way.
async fn settle(conn: &mut SqliteConnection, entry: SecretEntry) -> Result<(), StoreError> {
    let taken = sqlx::query("DELETE FROM secret_cleanup WHERE entry = ?")
        .bind(entry.name())
        .execute(conn)
        .await?
        .rows_affected();
    if taken == 1 {
        Ok(())
    } else {
        Err(StoreError::SecretTidied)
    }
}

/// After a commit: deletes the given-up entries from the keyring and takes the ones deleted off
/// the list. What the keyring refuses stays listed for the next tidy-up.
async fn discard(store: &Store, entries: &[SecretEntry]) {
    let mut deleted = Vec::with_capacity(entries.len());
    for &entry in entries {
        match keyring(move |s| s.delete(entry)).await {
            Ok(()) => deleted.push(entry),
            Err(e) => tracing::warn!(
                entry = %entry.name(),
                error = %e,
                "a secret given up could not be deleted from the keyring yet; it is retried when the console next starts"
            ),
        }
    }
    if let Err(e) = unlist(store, &deleted).await {
        tracing::warn!(error = %e, "the list of secrets to tidy could not be updated");
    }
}

/// Tidies what a crash or a refused deletion left listed (for longer than
/// [`LEFT_BEHIND_AFTER_SECS`]): each entry no row names is deleted from the keyring. Calls the
/// keyring only when something is left.
pub async fn tidy(store: &Store) -> Result<(), StoreError> {
    let listed: Vec<String> = sqlx::query("SELECT entry FROM secret_cleanup WHERE listed_at <= ?")
        .bind(unix_now() - LEFT_BEHIND_AFTER_SECS)
        .fetch_all(store.pool())
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();
    if listed.is_empty() {
        return Ok(());
    }
    // Taken off the list first, in one commit that also checks no row names them: a save under
    // way in another process then fails at its `settle` instead of naming a deleted entry.
    let mut orphans = Vec::new();
    let mut tx = store.begin_write().await?;
    for name in &listed {
        sqlx::query("DELETE FROM secret_cleanup WHERE entry = ?")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        match SecretEntry::parse(name) {
            Some(entry) if !named_by_a_row(&mut tx, entry).await? => orphans.push(entry),
            _ => {}
        }
    }
    tx.commit().await?;
    let count = orphans.len();
    for entry in orphans {
        if let Err(e) = keyring(move |s| s.delete(entry)).await {
            // Listed again so the next start tries again.
            let mut tx = store.begin_write().await?;
            list(&mut tx, entry).await?;
            tx.commit().await?;
            tracing::warn!(entry = %entry.name(), error = %e, "a leftover secret could not be deleted from the keyring");
        }
    }
    tracing::info!(
        listed = listed.len(),
        deleted = count,
        "leftover keyring entries tidied"
    );
    Ok(())
}

async fn named_by_a_row(
    conn: &mut SqliteConnection,
    entry: SecretEntry,
) -> Result<bool, StoreError> {
    let (sql, id) = match entry.owner {
        SecretOwner::Directory(id) => (
            "SELECT client_secret_stored FROM directories WHERE id = ?",
            id.to_string(),
        ),
        SecretOwner::ScimConnection(id) => (
            "SELECT token_stored FROM scim_connections WHERE id = ?",
            id.to_string(),
        ),
    };
    let version: Option<i64> = sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(version == Some(entry.version.number()))
}

async fn list(conn: &mut SqliteConnection, entry: SecretEntry) -> Result<(), StoreError> {
    sqlx::query("INSERT OR IGNORE INTO secret_cleanup (entry, listed_at) VALUES (?, ?)")
        .bind(entry.name())
        .bind(unix_now())
        .execute(conn)
        .await?;
    Ok(())
}

async fn unlist(store: &Store, entries: &[SecretEntry]) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let mut tx = store.begin_write().await?;
    for entry in entries {
        sqlx::query("DELETE FROM secret_cleanup WHERE entry = ?")
            .bind(entry.name())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
