//! Export and import (C13): the workspace's directories, SCIM connections and settings as a
//! bundle, secrets only ever sealed with a passphrase; and an import that is planned first, then
//! applied whole or not at all, secrets included.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;

use super::scim::{stored_token, token_entry};
use super::{Workspace, WorkspaceError};
use crate::bundle::apply::{self, Operation};
use crate::bundle::plan::{
    self, fingerprints, Checked, Choices, Local, LocalConnection, LocalDirectory, Plan, Synced,
};
use crate::bundle::{sealed, BundleError, Contents, Secrets, Settings};
use crate::directory::{Directory, DirectoryDocument};
use crate::logo::Logo;
use crate::scim::connection::ScimConnection;
use crate::secrets::{SecretEntry, SecretVersion};
use crate::sensitive::SecretString;
use crate::store::{self, directories, secret_cleanup, settings, StoreError};

/// What an applied import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportOutcome {
    /// Items created.
    pub created: usize,
    /// Items updated (their secrets included).
    pub updated: usize,
    /// Items deleted, replaced by the bundle's under their name.
    pub deleted: usize,
    /// Items left as they were: unchanged, or skipped by choice.
    pub left: usize,
    /// Secrets written to the keyring.
    pub secrets_written: usize,
    /// What the person should know of what was done: links dropped, say.
    pub notes: Vec<String>,
}

impl Workspace {
    /// The bundle of the directories `selection` (names or ids; all when empty), the SCIM
    /// connections (all of them, or those linked to the selected directories) and the settings.
    /// With a passphrase, their secrets come along, sealed with it. Once it is written, call
    /// [`Self::mark_exported`].
    pub async fn export_bundle(
        &self,
        selection: &[String],
        passphrase: Option<&SecretString>,
    ) -> Result<Contents, WorkspaceError> {
        let mut conn = self.store().read().await?;
        let all = directories::all(&mut conn).await?;
        let mut chosen = Vec::new();
        for wanted in selection {
            let found = directories::find(&mut conn, wanted).await?;
            if !chosen
                .iter()
                .any(|d: &directories::StoredDirectory| d.id == found.id)
            {
                chosen.push(found);
            }
        }
        let stored = if selection.is_empty() { all } else { chosen };
        let connections = store::scim::list(&mut *conn).await.map_err(scim_error)?;
        drop(conn);
        let connections: Vec<_> = connections
            .into_iter()
            .filter(|c| {
                selection.is_empty()
                    || c.connection
                        .directory_id
                        .is_some_and(|d| stored.iter().any(|s| s.id == d))
            })
            .collect();
        let mut contents = Contents {
            app_version: crate::VERSION.to_owned(),
            created_at: directories::now(),
            settings: Settings {
                sign_in_service_url: self.sign_in_service_url().await?,
            },
            ..Contents::default()
        };
        let mut secrets = Secrets::default();
        for d in &stored {
            let mut document = d.directory.to_document();
            document.id = Some(d.id.to_string());
            if passphrase.is_some() {
                if let Some(secret) = self.stored_secret(d).await? {
                    secrets.directories.insert(d.id.to_string(), secret);
                }
            }
            contents.directories.push(document);
        }
        for c in &connections {
            if passphrase.is_some() {
                if let Some(token) = stored_token(c).await.map_err(scim_error)? {
                    secrets.scim_connections.insert(c.id.to_string(), token);
                }
            }
            contents.scim_connections.push(c.connection.to_document());
        }
        if let Some(passphrase) = passphrase {
            let passphrase = passphrase.clone();
            contents.sealed_secrets = Some(
                tokio::task::spawn_blocking(move || sealed::seal(&secrets, &passphrase))
                    .await
                    .map_err(|e| BundleError::Sealing(e.to_string()))??,
            );
        }
        Ok(contents)
    }

    /// Remembers `contents`, once written, as what was exported: an import here tells edits
    /// made since from it.
    pub async fn mark_exported(&self, contents: &Contents) -> Result<(), WorkspaceError> {
        let synced = fingerprints(&contents.directories, &contents.scim_connections);
        let mut tx = self.store().begin_write().await?;
        store::sync_points::record(&mut tx, &synced, &directories::now()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Checks a bundle item by item with the rules of a save, opens its secrets with
    /// `passphrase`, and says what importing it would change here. Nothing is written.
    pub async fn plan_import(
        &self,
        contents: Contents,
        passphrase: Option<&SecretString>,
    ) -> Result<(Checked, Plan), WorkspaceError> {
        let secrets = match (&contents.sealed_secrets, passphrase) {
            (None, _) => Secrets::default(),
            (Some(_), None) => return Err(BundleError::PassphraseNeeded.into()),
            (Some(armored), Some(passphrase)) => {
                let (armored, passphrase) = (armored.clone(), passphrase.clone());
                tokio::task::spawn_blocking(move || sealed::open(&armored, &passphrase))
                    .await
                    .map_err(|e| BundleError::SecretsDamaged(e.to_string()))??
            }
        };
        let checked = plan::check(contents, secrets)?;
        let local = self.local(&checked).await?;
        let plan = plan::plan(&checked, &local);
        Ok((checked, plan))
    }

    /// Applies a checked bundle with `choices` for its conflicts, all or nothing: the secrets
    /// are written into new keyring entries first, then every row in one transaction; when
    /// anything fails, the new entries are deleted again and no row has changed. Returns the
    /// plan that was applied and what it did.
    pub async fn apply_import(
        &self,
        checked: &Checked,
        choices: &Choices,
    ) -> Result<(Plan, ImportOutcome), WorkspaceError> {
        let local = self.local(checked).await?;
        let plan = plan::plan(checked, &local);
        let writes = apply::operations(checked, &local, &plan, choices)?;
        let operations = writes.operations;
        let mut outcome = ImportOutcome {
            left: apply::left_alone(&plan, choices),
            notes: writes.notes,
            ..ImportOutcome::default()
        };
        // Each item that will be as the bundle has it: its fingerprint, for the next import.
        let mut printed: HashMap<String, String> =
            fingerprints(&checked.directories, &checked.connections)
                .into_iter()
                .collect();
        let synced: Vec<(String, String)> = writes
            .synced
            .iter()
            .filter_map(|id| Some((id.clone(), printed.remove(id)?)))
            .collect();
        let at = directories::now();
        // Each secret into an entry of its own, named before the transaction.
        let mut new_secrets = Vec::new();
        let mut entries = Vec::with_capacity(operations.len());
        for op in &operations {
            let entry = match op {
                Operation::CreateDirectory {
                    id,
                    secret: Some(s),
                    ..
                }
                | Operation::UpdateDirectory {
                    id,
                    secret: Some(s),
                    ..
                } => {
                    let entry = SecretEntry::client_secret(*id, SecretVersion::fresh());
                    new_secrets.push((entry, s.clone()));
                    Some(entry)
                }
                Operation::CreateConnection {
                    id, token: Some(t), ..
                }
                | Operation::UpdateConnection {
                    id, token: Some(t), ..
                } => {
                    let entry = token_entry(*id, SecretVersion::fresh());
                    new_secrets.push((entry, t.clone()));
                    Some(entry)
                }
                _ => None,
            };
            entries.push(entry);
        }
        outcome.secrets_written = new_secrets.len();
        secret_cleanup::save_with_secrets(
            self.store(),
            new_secrets,
            async |conn| -> Result<_, WorkspaceError> {
                let mut given_up = Vec::new();
                let mut counts = (0, 0, 0);
                let mut ops = operations.iter().zip(&entries).peekable();
                while let Some((op, entry)) = ops.next() {
                    if !matches!(op, Operation::CreateDirectory { .. }) {
                        given_up.extend(run(conn, op, *entry, &mut counts).await?);
                        continue;
                    }
                    // New directories go in together, a few hundred to a statement.
                    let mut batch = vec![(op, *entry)];
                    while let Some((next, entry)) =
                        ops.next_if(|(op, _)| matches!(op, Operation::CreateDirectory { .. }))
                    {
                        batch.push((next, *entry));
                    }
                    create_directories(conn, &batch).await?;
                    counts.0 += batch.len();
                }
                store::sync_points::record(conn, &synced, &at).await?;
                outcome.created = counts.0;
                outcome.updated = counts.1;
                outcome.deleted = counts.2;
                Ok(given_up)
            },
        )
        .await?;
        tracing::info!(
            created = outcome.created,
            updated = outcome.updated,
            deleted = outcome.deleted,
            secrets = outcome.secrets_written,
            "bundle imported"
        );
        Ok((plan, outcome))
    }

    /// What is here, for planning `bundle`: every directory and SCIM connection, and the
    /// secrets of those the bundle brings a secret for, to compare.
    async fn local(&self, bundle: &Checked) -> Result<Local, WorkspaceError> {
        let mut conn = self.store().read().await?;
        let stored = directories::all(&mut conn).await?;
        let connections = store::scim::list(&mut *conn).await.map_err(scim_error)?;
        let synced = store::sync_points::all(&mut conn).await?;
        drop(conn);
        let mut local = Local {
            sign_in_service_url: self.sign_in_service_url().await?,
            synced: synced
                .into_iter()
                .map(|(id, (fingerprint, at))| (id, Synced { fingerprint, at }))
                .collect(),
            ..Local::default()
        };
        for d in stored {
            let id = d.id.to_string();
            let secret = if bundle.secrets.directories.contains_key(&id) {
                self.stored_secret(&d).await?
            } else {
                None
            };
            let mut document = d.directory.to_document();
            document.id = Some(id);
            local.directories.push(LocalDirectory {
                revision: d.revision,
                document,
                secret,
            });
        }
        for c in connections {
            let token = if bundle
                .secrets
                .scim_connections
                .contains_key(&c.id.to_string())
            {
                stored_token(&c).await.map_err(scim_error)?
            } else {
                None
            };
            local.connections.push(LocalConnection {
                revision: c.revision,
                document: c.connection.to_document(),
                secret: token,
            });
        }
        Ok(local)
    }
}

/// Runs one write of an import in its transaction; returns the keyring entries it gave up.
/// `counts` are (created, updated, deleted).
async fn run(
    conn: &mut SqliteConnection,
    op: &Operation,
    entry: Option<SecretEntry>,
    counts: &mut (usize, usize, usize),
) -> Result<Vec<SecretEntry>, WorkspaceError> {
    let version = entry.map(|e| e.version);
    let invalid = |errors| WorkspaceError::Invalid(errors);
    Ok(match op {
        Operation::DeleteDirectory { id } => {
            let deleted = directories::delete(conn, *id).await?;
            counts.2 += 1;
            deleted
                .secret_version
                .map(|v| SecretEntry::client_secret(*id, v))
                .into_iter()
                .collect()
        }
        Operation::ParkDirectory { id } => {
            directories::park(conn, *id).await?;
            Vec::new()
        }
        Operation::ParkConnection { id } => {
            store::scim::park(conn, *id).await.map_err(scim_error)?;
            Vec::new()
        }
        Operation::UpdateDirectory {
            id,
            expected_revision,
            document,
            logo,
            ..
        } => {
            let directory = checked_directory(document, logo)?;
            let before = directories::get(conn, *id).await?;
            directories::update(conn, *id, *expected_revision, &directory, version).await?;
            counts.1 += 1;
            match version {
                Some(_) => {
                    store::health::forget_probe(conn, *id).await?;
                    before
                        .secret_version
                        .map(|v| SecretEntry::client_secret(*id, v))
                        .into_iter()
                        .collect()
                }
                None => Vec::new(),
            }
        }
        Operation::CreateDirectory { .. } => {
            create_directories(conn, &[(op, entry)]).await?;
            counts.0 += 1;
            Vec::new()
        }
        Operation::DeleteConnection { id } => {
            let deleted = store::scim::delete(conn, *id).await.map_err(scim_error)?;
            counts.2 += 1;
            deleted
                .token_version
                .map(|v| token_entry(*id, v))
                .into_iter()
                .collect()
        }
        Operation::UpdateConnection {
            id,
            expected_revision,
            document,
            ..
        } => {
            let connection = ScimConnection::from_document(document).map_err(invalid)?;
            let before = store::scim::get(conn, *id).await.map_err(scim_error)?;
            store::scim::update(conn, *id, *expected_revision, &connection, version)
                .await
                .map_err(scim_error)?;
            counts.1 += 1;
            match version {
                Some(_) => before
                    .token_version
                    .map(|v| token_entry(*id, v))
                    .into_iter()
                    .collect(),
                None => Vec::new(),
            }
        }
        Operation::CreateConnection { id, document, .. } => {
            refuse_taken_id(conn, "scim_connections", &id.to_string()).await?;
            let connection = ScimConnection::from_document(document).map_err(invalid)?;
            store::scim::insert(conn, *id, &connection, version)
                .await
                .map_err(scim_error)?;
            counts.0 += 1;
            Vec::new()
        }
        Operation::SetSignInServiceUrl(url) => {
            settings::set(&mut *conn, settings::SIGN_IN_SERVICE_URL, Some(url)).await?;
            counts.1 += 1;
            Vec::new()
        }
    })
}

/// Creates directories (`Operation::CreateDirectory` each) with the secret entries named for
/// them. The plan checked their names and domains; the database refuses what changed since.
async fn create_directories(
    conn: &mut SqliteConnection,
    batch: &[(&Operation, Option<SecretEntry>)],
) -> Result<(), WorkspaceError> {
    let mut rows = Vec::with_capacity(batch.len());
    for (op, entry) in batch {
        if let Operation::CreateDirectory {
            id, document, logo, ..
        } = op
        {
            let directory = checked_directory(document, logo)?;
            rows.push((*id, directory, entry.map(|e| e.version)));
        }
    }
    let rows: Vec<_> = rows.iter().map(|(id, d, v)| (*id, d, *v)).collect();
    Ok(directories::insert_many(conn, &rows).await?)
}

/// Validates a directory an import writes, with the rules of a save; a logo the bundle's check
/// decoded is not decoded again.
fn checked_directory(
    document: &DirectoryDocument,
    logo: &Option<Logo>,
) -> Result<Directory, WorkspaceError> {
    match logo {
        Some(logo) => Directory::with_checked_logo(document, logo.clone()),
        None => Directory::from_document(document),
    }
    .map_err(WorkspaceError::Invalid)
}

/// An id the plan saw free but that another window or `ssoctl` has used since.
async fn refuse_taken_id(
    conn: &mut SqliteConnection,
    table: &str,
    id: &str,
) -> Result<(), WorkspaceError> {
    let found: Option<String> = sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(StoreError::from)?;
    match found {
        Some(_) => Err(BundleError::Changed(format!(
            "an item with the id {id} was saved here meanwhile"
        ))
        .into()),
        None => Ok(()),
    }
}

/// A SCIM connection's failure inside an import, as the workspace's.
fn scim_error(e: super::ScimError) -> WorkspaceError {
    match e {
        super::ScimError::Store(e) => WorkspaceError::Store(e),
        super::ScimError::Secret(e) => WorkspaceError::Secret(e),
        super::ScimError::Invalid(errors) => WorkspaceError::Invalid(errors),
        other => BundleError::Changed(other.to_string()).into(),
    }
}
