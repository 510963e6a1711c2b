//! Queries on the `scim_connections` table.

use sqlx::{SqliteConnection, SqliteExecutor};

use super::directories::now;
use super::StoreError;
use crate::directory::{DirectoryId, FieldError};
use crate::error_kind::{ErrorKind, FrontEnd};
use crate::scim::client::BaseUrl;
use crate::scim::connection::{ScimConnection, ScimConnectionId};
use crate::scim::mapping::MappingDocument;
use crate::secrets::{SecretError, SecretVersion};

/// A SCIM connection failure, with what the person can do about it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScimError {
    /// One or more fields are invalid.
    #[error("{}", FieldError::describe_all(.0))]
    Invalid(Vec<FieldError>),
    /// Another SCIM connection already has this name.
    #[error("a SCIM connection named \"{name}\" already exists; choose another name")]
    NameTaken {
        /// The name asked for.
        name: String,
    },
    /// Someone saved the connection since it was read.
    #[error("the SCIM connection \"{name}\" was changed elsewhere since it was read")]
    Changed {
        /// The name as stored now.
        name: String,
    },
    /// No such connection.
    #[error("no SCIM connection \"{0}\"; it may have been deleted, or the name or id is misspelt")]
    NotFound(String),
    /// The linked directory does not exist.
    #[error("no directory with the id {0}; link the SCIM connection to an existing directory, or to none")]
    UnknownDirectory(String),
    /// The connection has no token in the keyring.
    #[error("the SCIM connection \"{name}\" has no bearer token in the OS keyring")]
    NoToken {
        /// The connection's name.
        name: String,
    },
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The keyring failed.
    #[error(transparent)]
    Secret(#[from] SecretError),
    /// A report could not be made.
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
}

impl ScimError {
    /// A stable code the UI and scripts can branch on.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid(_) | Self::NoToken { .. } | Self::UnknownDirectory(_) => {
                ErrorKind::Validation
            }
            Self::NameTaken { .. } | Self::Changed { .. } => ErrorKind::Conflict,
            Self::NotFound(_) => ErrorKind::NotFound,
            Self::Store(_) => ErrorKind::Storage,
            Self::Secret(_) => ErrorKind::Keyring,
            Self::Report(e) => e.kind(),
        }
    }

    /// The message for a person, with what to do next in the words of `front`.
    pub fn message(&self, front: FrontEnd) -> String {
        let advice = match (self, front) {
            (Self::Changed { .. }, FrontEnd::App) => Some("it was saved in another window or by ssoctl since you opened it; reload it and apply your changes again".to_owned()),
            (Self::Changed { name }, FrontEnd::Ssoctl) => Some(format!("it was saved in the app or by another ssoctl since this command read it; look at it with `ssoctl scim conn show \"{name}\"` and run your command again")),
            (Self::NoToken { .. }, FrontEnd::App) => Some("enter the secret token from the application's SCIM settings in the Token field and save".to_owned()),
            (Self::NoToken { .. }, FrontEnd::Ssoctl) => Some("give the token with `--token-stdin < token.txt`".to_owned()),
            (Self::Store(e), front) => e.advice(front),
            _ => None,
        };
        super::with_advice(self.to_string(), advice)
    }

    /// The fields this error concerns, each with its message.
    pub fn fields(&self) -> Vec<FieldError> {
        let one = |field: &str| vec![FieldError::new(field, self.to_string())];
        match self {
            Self::Invalid(errors) => errors.clone(),
            Self::NameTaken { .. } => one("name"),
            Self::UnknownDirectory(_) => one("directory_id"),
            Self::NoToken { .. } | Self::Secret(_) => one("token"),
            _ => Vec::new(),
        }
    }
}

/// A SCIM connection as stored, with its bookkeeping.
#[derive(Debug, Clone)]
pub struct StoredScimConnection {
    /// Its id.
    pub id: ScimConnectionId,
    /// The connection.
    pub connection: ScimConnection,
    /// Increases by one on every save.
    pub revision: i64,
    /// The keyring version of its bearer token; `None` when none was stored.
    pub token_version: Option<SecretVersion>,
    /// The linked directory's name.
    pub directory_name: Option<String>,
    /// First saved, RFC 3339.
    pub created_at: String,
    /// Last saved, RFC 3339.
    pub updated_at: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    revision: i64,
    tenant_url: String,
    directory_id: Option<String>,
    directory_name: Option<String>,
    notes: String,
    mappings_json: String,
    token_stored: i64,
    created_at: String,
    updated_at: String,
}

impl Row {
    fn into_stored(self) -> Result<StoredScimConnection, ScimError> {
        let corrupt = |detail: String| {
            ScimError::Store(StoreError::Corrupt {
                id: self.id.clone(),
                detail,
            })
        };
        let id = ScimConnectionId::parse(&self.id).map_err(corrupt)?;
        let tenant_url = BaseUrl::parse(&self.tenant_url).map_err(corrupt)?;
        let directory_id = self
            .directory_id
            .as_deref()
            .map(DirectoryId::parse)
            .transpose()
            .map_err(corrupt)?;
        let mappings: MappingDocument = serde_json::from_str(&self.mappings_json)
            .map_err(|e| corrupt(format!("mappings: {e}")))?;
        Ok(StoredScimConnection {
            id,
            connection: ScimConnection {
                id: Some(id),
                name: self.name,
                tenant_url,
                directory_id,
                notes: self.notes,
                mappings,
            },
            revision: self.revision,
            token_version: SecretVersion::from_number(self.token_stored),
            directory_name: self.directory_name,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const SELECT: &str = "
    SELECT s.id, s.name, s.revision, s.tenant_url, s.directory_id, d.name AS directory_name,
           s.notes, s.mappings_json, s.token_stored, s.created_at, s.updated_at
    FROM scim_connections s LEFT JOIN directories d ON d.id = s.directory_id";

/// Every SCIM connection, sorted by name.
pub async fn list<'e>(db: impl SqliteExecutor<'e>) -> Result<Vec<StoredScimConnection>, ScimError> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} ORDER BY s.name"))
        .fetch_all(db)
        .await
        .map_err(StoreError::from)?;
    rows.into_iter().map(Row::into_stored).collect()
}

/// One connection by id.
pub async fn get(
    conn: &mut SqliteConnection,
    id: ScimConnectionId,
) -> Result<StoredScimConnection, ScimError> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE s.id = ?"))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await
        .map_err(StoreError::from)?;
    row.ok_or_else(|| ScimError::NotFound(id.to_string()))?
        .into_stored()
}

/// One connection by id or by name (case-insensitive).
pub async fn find(
    conn: &mut SqliteConnection,
    name_or_id: &str,
) -> Result<StoredScimConnection, ScimError> {
    let key = name_or_id.trim();
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE s.id = ?1 OR s.name = ?1"))
        .bind(key)
        .fetch_optional(&mut *conn)
        .await
        .map_err(StoreError::from)?;
    row.ok_or_else(|| ScimError::NotFound(key.to_owned()))?
        .into_stored()
}

async fn check(
    conn: &mut SqliteConnection,
    id: ScimConnectionId,
    connection: &ScimConnection,
) -> Result<(), ScimError> {
    let taken: Option<String> =
        sqlx::query_scalar("SELECT id FROM scim_connections WHERE name = ? AND id <> ?")
            .bind(&connection.name)
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await
            .map_err(StoreError::from)?;
    if taken.is_some() {
        return Err(ScimError::NameTaken {
            name: connection.name.clone(),
        });
    }
    if let Some(directory) = connection.directory_id {
        let found: Option<String> = sqlx::query_scalar("SELECT id FROM directories WHERE id = ?")
            .bind(directory.to_string())
            .fetch_optional(&mut *conn)
            .await
            .map_err(StoreError::from)?;
        if found.is_none() {
            return Err(ScimError::UnknownDirectory(directory.to_string()));
        }
    }
    Ok(())
}

fn unique_violation(error: sqlx::Error, connection: &ScimConnection) -> ScimError {
    match error.as_database_error() {
        Some(db) if db.is_unique_violation() => ScimError::NameTaken {
            name: connection.name.clone(),
        },
        _ => ScimError::Store(error.into()),
    }
}

/// Inserts a new connection.
pub async fn insert(
    conn: &mut SqliteConnection,
    id: ScimConnectionId,
    connection: &ScimConnection,
    token_version: Option<SecretVersion>,
) -> Result<(), ScimError> {
    check(conn, id, connection).await?;
    let now = now();
    sqlx::query(
        "INSERT INTO scim_connections (id, name, revision, tenant_url, directory_id, notes,
            mappings_json, token_stored, created_at, updated_at)
         VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(&connection.name)
    .bind(connection.tenant_url.as_str())
    .bind(connection.directory_id.map(|d| d.to_string()))
    .bind(&connection.notes)
    .bind(serde_json::to_string(&connection.mappings).unwrap_or_default())
    .bind(token_version.map_or(0, SecretVersion::number))
    .bind(&now)
    .bind(&now)
    .execute(&mut *conn)
    .await
    .map_err(|e| unique_violation(e, connection))?;
    Ok(())
}

/// Replaces a connection's fields when its stored revision is still `expected_revision`;
/// a `token_version` of `None` leaves the token's version as it is.
pub async fn update(
    conn: &mut SqliteConnection,
    id: ScimConnectionId,
    expected_revision: i64,
    connection: &ScimConnection,
    token_version: Option<SecretVersion>,
) -> Result<i64, ScimError> {
    let current = get(conn, id).await?;
    if current.revision != expected_revision {
        return Err(ScimError::Changed {
            name: current.connection.name,
        });
    }
    check(conn, id, connection).await?;
    let result = sqlx::query(
        "UPDATE scim_connections SET name = ?, revision = revision + 1, tenant_url = ?,
            directory_id = ?, notes = ?, mappings_json = ?,
            token_stored = coalesce(?, token_stored), updated_at = ?
         WHERE id = ? AND revision = ?",
    )
    .bind(&connection.name)
    .bind(connection.tenant_url.as_str())
    .bind(connection.directory_id.map(|d| d.to_string()))
    .bind(&connection.notes)
    .bind(serde_json::to_string(&connection.mappings).unwrap_or_default())
    .bind(token_version.map(SecretVersion::number))
    .bind(now())
    .bind(id.to_string())
    .bind(expected_revision)
    .execute(&mut *conn)
    .await
    .map_err(|e| unique_violation(e, connection))?;
    if result.rows_affected() == 0 {
        return Err(ScimError::Changed {
            name: current.connection.name,
        });
    }
    Ok(expected_revision + 1)
}

/// Puts a connection aside under a temporary name inside a transaction that saves it again
/// before it commits, so that another can take its name; its revision stays.
pub async fn park(conn: &mut SqliteConnection, id: ScimConnectionId) -> Result<(), ScimError> {
    sqlx::query("UPDATE scim_connections SET name = '(being imported) ' || id WHERE id = ?")
        .bind(id.to_string())
        .execute(conn)
        .await
        .map_err(StoreError::from)?;
    Ok(())
}

/// Deletes a connection; returns what was deleted.
pub async fn delete(
    conn: &mut SqliteConnection,
    id: ScimConnectionId,
) -> Result<StoredScimConnection, ScimError> {
    let current = get(conn, id).await?;
    sqlx::query("DELETE FROM scim_connections WHERE id = ?")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from)?;
    Ok(current)
}
