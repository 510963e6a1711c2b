//! SCIM connections in the workspace: stored in SQLite, their bearer tokens in the OS keyring,
//! every save whole or not at all; and the checks run on a stored connection.

use serde_json::Value as Json;
use tokio_util::sync::CancellationToken;

use super::Workspace;
use crate::directory::FieldError;
use crate::http::HttpClient;
use crate::scim::client::ScimClient;
use crate::scim::connection::{
    ScimConnection, ScimConnectionDetail, ScimConnectionDocument, ScimConnectionId,
    ScimConnectionSummary,
};
use crate::scim::lifecycle::{self, DryRunOptions, DryRunReport};
use crate::scim::mapping::MappingDocument;
use crate::scim::preview::{self, Preview, PreviewOptions};
use crate::scim::review::{self, EndpointReview};
use crate::scim::test_connection::{self, TestConnectionReport};
use crate::secrets::{SecretEntry, SecretKind, SecretOwner, SecretVersion};
use crate::sensitive::SecretString;
use crate::store::scim::{self as store, ScimError, StoredScimConnection};
use crate::store::secret_cleanup;
use crate::store::StoreError;

fn detail(stored: StoredScimConnection) -> ScimConnectionDetail {
    ScimConnectionDetail {
        document: stored.connection.to_document(),
        revision: stored.revision,
        has_token: stored.token_version.is_some(),
        directory_name: stored.directory_name,
        created_at: stored.created_at,
        updated_at: stored.updated_at,
    }
}

pub(super) fn token_entry(id: ScimConnectionId, version: SecretVersion) -> SecretEntry {
    SecretEntry {
        owner: SecretOwner::ScimConnection(id),
        kind: SecretKind::ScimBearerToken,
        version,
    }
}

/// The token the row names, read from the keyring.
pub(super) async fn stored_token(
    stored: &StoredScimConnection,
) -> Result<Option<SecretString>, ScimError> {
    match stored.token_version {
        None => Ok(None),
        Some(version) => Ok(secret_cleanup::read(token_entry(stored.id, version)).await?),
    }
}

/// SCIM connections (C14).
impl Workspace {
    /// Every SCIM connection, sorted by name.
    pub async fn scim_connections(&self) -> Result<Vec<ScimConnectionSummary>, ScimError> {
        Ok(store::list(self.store().pool())
            .await?
            .into_iter()
            .map(|s| ScimConnectionSummary {
                id: s.id.to_string(),
                name: s.connection.name.clone(),
                tenant_url: s.connection.tenant_url.to_string(),
                directory_id: s.connection.directory_id.map(|d| d.to_string()),
                directory_name: s.directory_name,
                has_token: s.token_version.is_some(),
                mapping_count: u32::try_from(s.connection.mappings.mappings.len())
                    .unwrap_or(u32::MAX),
                revision: s.revision,
            })
            .collect())
    }

    async fn stored_scim(&self, id: ScimConnectionId) -> Result<StoredScimConnection, ScimError> {
        let mut conn = self.store().read().await?;
        store::get(&mut conn, id).await
    }

    /// One SCIM connection by id.
    pub async fn scim_connection(
        &self,
        id: ScimConnectionId,
    ) -> Result<ScimConnectionDetail, ScimError> {
        Ok(detail(self.stored_scim(id).await?))
    }

    /// One SCIM connection by name (case-insensitive) or id.
    pub async fn find_scim_connection(
        &self,
        name_or_id: &str,
    ) -> Result<ScimConnectionDetail, ScimError> {
        let mut conn = self.store().read().await?;
        Ok(detail(store::find(&mut conn, name_or_id).await?))
    }

    /// Creates a SCIM connection with its bearer token; the document's `id` is ignored. Nothing
    /// is stored unless everything is.
    pub async fn create_scim_connection(
        &self,
        doc: &ScimConnectionDocument,
        token: &SecretString,
    ) -> Result<ScimConnectionDetail, ScimError> {
        let doc = ScimConnectionDocument {
            id: None,
            ..doc.clone()
        };
        let mut errors = ScimConnection::from_document(&doc)
            .err()
            .unwrap_or_default();
        if token.is_empty() {
            errors.push(FieldError::new(
                "token",
                "enter the secret token (bearer token) from the application's SCIM settings",
            ));
        }
        let connection = match ScimConnection::from_document(&doc) {
            Ok(connection) if errors.is_empty() => connection,
            _ => return Err(ScimError::Invalid(errors)),
        };
        let id = ScimConnectionId::new();
        let entry = token_entry(id, SecretVersion::FIRST);
        secret_cleanup::save_with_secret(self.store(), entry, None, token.clone(), async |conn| {
            store::insert(conn, id, &connection, Some(entry.version)).await
        })
        .await?;
        tracing::info!(scim_connection = %id, name = %connection.name, "SCIM connection created");
        self.scim_connection(id).await
    }

    /// Saves a SCIM connection over the stored one. `expected_revision` is the revision the
    /// editor started from (`None`: whatever is stored now); a `token` of `None` keeps the
    /// stored one.
    pub async fn update_scim_connection(
        &self,
        id: ScimConnectionId,
        expected_revision: Option<i64>,
        doc: &ScimConnectionDocument,
        token: Option<&SecretString>,
    ) -> Result<ScimConnectionDetail, ScimError> {
        let doc = ScimConnectionDocument {
            id: Some(id.to_string()),
            ..doc.clone()
        };
        let mut errors = ScimConnection::from_document(&doc)
            .err()
            .unwrap_or_default();
        if token.is_some_and(SecretString::is_empty) {
            errors.push(FieldError::new(
                "token",
                "the new token is empty; enter it, or cancel replacing it",
            ));
        }
        let connection = match ScimConnection::from_document(&doc) {
            Ok(connection) if errors.is_empty() => connection,
            _ => return Err(ScimError::Invalid(errors)),
        };
        let Some(token) = token else {
            let mut tx = self.store().begin_write().await?;
            let expected = match expected_revision {
                Some(revision) => revision,
                None => store::get(&mut tx, id).await?.revision,
            };
            store::update(&mut tx, id, expected, &connection, None).await?;
            tx.commit().await.map_err(StoreError::from)?;
            tracing::info!(scim_connection = %id, name = %connection.name, "SCIM connection updated");
            return self.scim_connection(id).await;
        };
        // As for a directory's secret: the new token goes into a new keyring entry.
        let current = self.stored_scim(id).await?;
        let expected = expected_revision.unwrap_or(current.revision);
        if current.revision != expected {
            return Err(ScimError::Changed {
                name: current.connection.name,
            });
        }
        let old = current
            .token_version
            .map(|version| token_entry(id, version));
        let new = token_entry(id, SecretVersion::fresh());
        secret_cleanup::save_with_secret(
            self.store(),
            new,
            old,
            token.clone(),
            async |conn| -> Result<(), ScimError> {
                store::update(conn, id, expected, &connection, Some(new.version)).await?;
                Ok(())
            },
        )
        .await?;
        tracing::info!(scim_connection = %id, name = %connection.name, "SCIM connection updated");
        self.scim_connection(id).await
    }

    /// Replaces a connection's mappings with an imported mapping document (JSON text).
    pub async fn import_scim_mappings(
        &self,
        id: ScimConnectionId,
        expected_revision: Option<i64>,
        json: &str,
    ) -> Result<ScimConnectionDetail, ScimError> {
        let mappings = MappingDocument::from_json(json).map_err(ScimError::Invalid)?;
        let current = self.stored_scim(id).await?;
        let mut doc = current.connection.to_document();
        doc.mappings = mappings;
        self.update_scim_connection(
            id,
            Some(expected_revision.unwrap_or(current.revision)),
            &doc,
            None,
        )
        .await
    }

    /// A connection's mappings as a mapping document (JSON text).
    pub async fn export_scim_mappings(&self, id: ScimConnectionId) -> Result<String, ScimError> {
        Ok(self.stored_scim(id).await?.connection.mappings.to_json())
    }

    /// Deletes a SCIM connection and its token; returns its name.
    pub async fn delete_scim_connection(&self, id: ScimConnectionId) -> Result<String, ScimError> {
        let deleted = secret_cleanup::delete_with_secret(self.store(), async |conn| {
            let deleted = store::delete(conn, id).await?;
            let entry = deleted
                .token_version
                .map(|version| token_entry(id, version));
            Ok::<_, ScimError>((deleted, entry))
        })
        .await?;
        tracing::info!(scim_connection = %id, "SCIM connection deleted");
        Ok(deleted.connection.name)
    }

    /// The bearer token of a connection, when stored.
    pub async fn scim_token(
        &self,
        id: ScimConnectionId,
    ) -> Result<Option<SecretString>, ScimError> {
        stored_token(&self.stored_scim(id).await?).await
    }

    /// A client for a stored connection, with its token from the keyring.
    pub async fn scim_client(
        &self,
        id: ScimConnectionId,
        http: &HttpClient,
    ) -> Result<(ScimClient, ScimConnection), ScimError> {
        let stored = self.stored_scim(id).await?;
        let token = stored_token(&stored)
            .await?
            .ok_or_else(|| ScimError::NoToken {
                name: stored.connection.name.clone(),
            })?;
        Ok((
            ScimClient::new(
                http.clone(),
                stored.connection.tenant_url.clone(),
                Some(token),
            ),
            stored.connection,
        ))
    }

    /// Entra's and Okta's Test Connection against a stored connection.
    pub async fn test_scim_connection(
        &self,
        id: ScimConnectionId,
        http: &HttpClient,
    ) -> Result<TestConnectionReport, ScimError> {
        let (client, _) = self.scim_client(id, http).await?;
        Ok(test_connection::test_connection(&client).await)
    }

    /// The endpoint review of a stored connection, judged with its mappings.
    pub async fn review_scim_endpoint(
        &self,
        id: ScimConnectionId,
        http: &HttpClient,
    ) -> Result<EndpointReview, ScimError> {
        let (client, connection) = self.scim_client(id, http).await?;
        let mappings = checked(&connection.mappings)?;
        Ok(review::review(&client, mappings.as_ref()).await.0)
    }

    /// The preview of `mappings` for a sample user; with a connection, checked against its
    /// endpoint's schemas (read live), else against RFC 7643's.
    pub async fn preview_scim_user(
        &self,
        id: Option<ScimConnectionId>,
        mappings: &MappingDocument,
        user: &Json,
        changed: Option<&Json>,
        options: PreviewOptions,
        http: &HttpClient,
    ) -> Result<Preview, ScimError> {
        let set = mappings.check().map_err(ScimError::Invalid)?;
        let schemas = match id {
            Some(id) => {
                let (client, _) = self.scim_client(id, http).await?;
                // The endpoint was asked: when it gave no schemas, say so rather than that
                // nobody asked it.
                review::review(&client, Some(&set)).await.1.or_else(|| {
                    let mut rfc = crate::scim::schema::ServerSchemas::rfc7643();
                    rfc.origin = "RFC 7643 (the server's schemas could not be read; see the endpoint review)".into();
                    Some(rfc)
                })
            }
            None => None,
        };
        Ok(preview::preview(
            &set,
            user,
            changed,
            schemas.as_ref(),
            options,
        ))
    }

    /// The lifecycle dry run of a stored connection with its mappings and a sample user.
    pub async fn dry_run_scim(
        &self,
        id: ScimConnectionId,
        user: &Json,
        options: DryRunOptions,
        http: &HttpClient,
        cancel: &CancellationToken,
    ) -> Result<DryRunReport, ScimError> {
        let (client, connection) = self.scim_client(id, http).await?;
        let set = connection.mappings.check().map_err(ScimError::Invalid)?;
        if set.mappings.is_empty() {
            return Err(ScimError::Invalid(vec![FieldError::new(
                "mappings",
                "the connection has no attribute mappings yet; add some (or start from a template) before a dry run",
            )]));
        }
        let schemas = tokio::select! {
            (_, schemas) = review::review(&client, Some(&set)) => schemas,
            () = cancel.cancelled() => None,
        };
        Ok(lifecycle::dry_run_until(&client, &set, user, schemas.as_ref(), options, cancel).await)
    }
}

fn checked(
    mappings: &MappingDocument,
) -> Result<Option<crate::scim::mapping::MappingSet>, ScimError> {
    if mappings.mappings.is_empty() {
        return Ok(None);
    }
    mappings.check().map(Some).map_err(ScimError::Invalid)
}
