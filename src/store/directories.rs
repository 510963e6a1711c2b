//! Queries on the `directories` and `domain_suffixes` tables.

use sqlx::{SqliteConnection, SqlitePool};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::StoreError;
use crate::directory::{Directory, DirectoryDocument, DirectoryId, DomainSuffix};
use crate::expiry;
use crate::logo::Logo;
use crate::secrets::SecretVersion;

/// A directory as stored, with its bookkeeping.
#[derive(Debug, Clone)]
pub struct StoredDirectory {
    /// Its id (also in `directory.id`).
    pub id: DirectoryId,
    /// The validated directory.
    pub directory: Directory,
    /// Increases by one on every save; a save names the revision it started from.
    pub revision: i64,
    /// The keyring version of its client secret; `None` when none was stored.
    pub secret_version: Option<SecretVersion>,
    /// First saved, RFC 3339.
    pub created_at: String,
    /// Last saved, RFC 3339.
    pub updated_at: String,
}

/// A directory's list entry: what the list shows, without the logo.
#[derive(Debug, Clone)]
pub struct ListEntry {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Hidden flag.
    pub is_hidden: bool,
    /// Comma-joined domain suffixes in their order.
    pub domains: String,
    /// The keyring version of the client secret, 0 when none was stored.
    pub client_secret_stored: i64,
    /// Expiry date, `YYYY-MM-DD`.
    pub client_secret_expires_on: Option<String>,
    /// Revision.
    pub revision: i64,
    /// Whether the logo is a placeholder to replace.
    pub logo_placeholder: bool,
}

#[derive(sqlx::FromRow)]
struct DirectoryRow {
    id: String,
    name: String,
    revision: i64,
    logo_png: Vec<u8>,
    discovery_domain: Option<String>,
    authorization_url: String,
    token_url: String,
    userinfo_url: Option<String>,
    issuer: Option<String>,
    jwks_uri: Option<String>,
    scopes: String,
    client_id: String,
    client_secret_stored: i64,
    client_secret_expires_on: Option<String>,
    pkce: bool,
    response_mode_form_post: bool,
    token_endpoint_basic_auth: bool,
    new_contact_member_type: String,
    new_contact_status: String,
    claims_json: String,
    staff_json: String,
    is_hidden: bool,
    test_redirect_port: Option<i64>,
    domains: String,
    created_at: String,
    updated_at: String,
}

impl DirectoryRow {
    fn into_stored(self) -> Result<StoredDirectory, StoreError> {
        let corrupt = |detail: String| StoreError::Corrupt {
            id: self.id.clone(),
            detail,
        };
        let id = DirectoryId::parse(&self.id).map_err(corrupt)?;
        let doc = DirectoryDocument {
            id: Some(self.id.clone()),
            name: self.name.clone(),
            logo_png_base64: String::new(),
            discovery_domain: self.discovery_domain.clone(),
            authorization_url: self.authorization_url.clone(),
            token_url: self.token_url.clone(),
            userinfo_url: self.userinfo_url.clone(),
            issuer: self.issuer.clone(),
            jwks_uri: self.jwks_uri.clone(),
            scopes: self.scopes.clone(),
            client_id: self.client_id.clone(),
            client_secret_expires_on: self.client_secret_expires_on.clone(),
            pkce: self.pkce,
            response_mode_form_post: self.response_mode_form_post,
            token_endpoint_basic_auth: self.token_endpoint_basic_auth,
            new_contact_member_type: self.new_contact_member_type.clone(),
            new_contact_status: self.new_contact_status.clone(),
            claims: serde_json::from_str(&self.claims_json)
                .map_err(|e| corrupt(format!("claims: {e}")))?,
            staff: serde_json::from_str(&self.staff_json)
                .map_err(|e| corrupt(format!("staff rule: {e}")))?,
            is_hidden: self.is_hidden,
            domain_suffixes: split_domains(&self.domains),
            test_redirect_port: self.test_redirect_port.and_then(|p| u16::try_from(p).ok()),
        };
        let logo = Logo::from_stored(self.logo_png);
        let directory = Directory::with_checked_logo(&doc, logo).map_err(|errors| {
            corrupt(
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        Ok(StoredDirectory {
            id,
            directory,
            revision: self.revision,
            secret_version: SecretVersion::from_number(self.client_secret_stored),
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The domain suffixes a directory's row keeps comma-joined, in their order.
pub fn split_domains(joined: &str) -> Vec<String> {
    if joined.is_empty() {
        return Vec::new();
    }
    joined.split(',').map(str::to_owned).collect()
}

/// A directory's domain suffixes as its row keeps them. A domain suffix has no comma.
fn join_domains(directory: &Directory) -> String {
    directory
        .domain_suffixes
        .iter()
        .map(DomainSuffix::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

/// The current time in RFC 3339.
pub fn now() -> String {
    OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// The list's columns, in [`ListEntry`]'s order: all in the `directories_list` index.
const LIST_COLUMNS: &str = "d.id, d.name, d.is_hidden, d.client_secret_stored,
    d.client_secret_expires_on, d.revision, d.logo_placeholder, d.domains";

/// Lists directories sorted by name; a non-empty `query` keeps those whose name, client id or a
/// domain suffix contains it (case-insensitive). The whole list comes as one row, a JSON array
/// SQLite builds from the `directories_list` index alone: one row per directory through the
/// driver would cost more than the rest of the list at 10,000 directories.
pub async fn list(pool: &SqlitePool, query: &str) -> Result<Vec<ListEntry>, StoreError> {
    let query = query.trim();
    let pattern = format!(
        "%{}%",
        query
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    // The domains are comma-joined and a domain suffix has no comma: a query without one that
    // the joined text contains is inside one suffix.
    let json: String = sqlx::query_scalar(&format!(
        "SELECT json_group_array(json_array({LIST_COLUMNS}) ORDER BY d.name) FROM directories d
         WHERE ?1 = '' OR d.name LIKE ?2 ESCAPE '\\' OR d.client_id LIKE ?2 ESCAPE '\\'
            OR (?3 AND d.domains LIKE ?2 ESCAPE '\\')"
    ))
    .bind(query)
    .bind(pattern)
    .bind(!query.contains(','))
    .fetch_one(pool)
    .await?;
    /// id, name, hidden, secret version, expiry, revision, placeholder logo, domains.
    type Row = (String, String, i64, i64, Option<String>, i64, i64, String);
    let rows: Vec<Row> = serde_json::from_str(&json).map_err(|e| StoreError::Corrupt {
        id: "the directory list".into(),
        detail: e.to_string(),
    })?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, hidden, stored, expires, revision, placeholder, domains)| ListEntry {
                id,
                name,
                is_hidden: hidden != 0,
                domains,
                client_secret_stored: stored,
                client_secret_expires_on: expires,
                revision,
                logo_placeholder: placeholder != 0,
            },
        )
        .collect())
}

/// Reads one directory by id.
pub async fn get(
    conn: &mut SqliteConnection,
    id: DirectoryId,
) -> Result<StoredDirectory, StoreError> {
    let row: Option<DirectoryRow> = sqlx::query_as("SELECT * FROM directories WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    row.ok_or_else(|| StoreError::NotFound(id.to_string()))?
        .into_stored()
}

/// Reads every directory, sorted by name, in one query.
pub async fn all(conn: &mut SqliteConnection) -> Result<Vec<StoredDirectory>, StoreError> {
    let rows: Vec<DirectoryRow> = sqlx::query_as("SELECT * FROM directories ORDER BY name")
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter().map(DirectoryRow::into_stored).collect()
}

/// Finds a directory by id or by name (case-insensitive).
pub async fn find(
    conn: &mut SqliteConnection,
    name_or_id: &str,
) -> Result<StoredDirectory, StoreError> {
    let key = name_or_id.trim();
    let id: Option<String> =
        sqlx::query_scalar("SELECT id FROM directories WHERE id = ?1 OR name = ?1")
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?;
    let id = id.ok_or_else(|| StoreError::NotFound(key.to_owned()))?;
    let id = DirectoryId::parse(&id).map_err(|detail| StoreError::Corrupt {
        id: id.clone(),
        detail,
    })?;
    get(conn, id).await
}

/// The PNG bytes of a directory's logo.
pub async fn logo(pool: &SqlitePool, id: DirectoryId) -> Result<Vec<u8>, StoreError> {
    let bytes: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT logo_png FROM directories WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(pool)
            .await?;
    bytes.ok_or_else(|| StoreError::NotFound(id.to_string()))
}

/// The columns a save writes from the directory's fields, in [`bind_fields`]'s order.
const FIELD_COLUMNS: [&str; 22] = [
    "name",
    "logo_png",
    "discovery_domain",
    "authorization_url",
    "token_url",
    "userinfo_url",
    "issuer",
    "jwks_uri",
    "scopes",
    "client_id",
    "client_secret_expires_on",
    "pkce",
    "response_mode_form_post",
    "token_endpoint_basic_auth",
    "new_contact_member_type",
    "new_contact_status",
    "claims_json",
    "staff_json",
    "is_hidden",
    "test_redirect_port",
    "logo_placeholder",
    "domains",
];

/// Binds the directory's fields in the order of [`FIELD_COLUMNS`].
fn bind_fields<'q>(
    query: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    directory: &Directory,
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
    let doc = directory.to_document();
    query
        .bind(doc.name)
        .bind(directory.logo.bytes().to_vec())
        .bind(doc.discovery_domain)
        .bind(doc.authorization_url)
        .bind(doc.token_url)
        .bind(doc.userinfo_url)
        .bind(doc.issuer)
        .bind(doc.jwks_uri)
        .bind(doc.scopes)
        .bind(doc.client_id)
        .bind(doc.client_secret_expires_on)
        .bind(doc.pkce)
        .bind(doc.response_mode_form_post)
        .bind(doc.token_endpoint_basic_auth)
        .bind(doc.new_contact_member_type)
        .bind(doc.new_contact_status)
        .bind(serde_json::to_string(&doc.claims).unwrap_or_default())
        .bind(serde_json::to_string(&doc.staff).unwrap_or_default())
        .bind(doc.is_hidden)
        .bind(doc.test_redirect_port.map(i64::from))
        .bind(directory.logo.is_placeholder())
        .bind(join_domains(directory))
}

/// Inserts a new directory (its `id` must be set), checking the name and the domains first so
/// that the error names the directory in the way.
pub async fn insert(
    conn: &mut SqliteConnection,
    id: DirectoryId,
    directory: &Directory,
    secret_version: Option<SecretVersion>,
) -> Result<(), StoreError> {
    check_unique(conn, id, directory).await?;
    insert_checked(conn, id, directory, secret_version).await
}

/// [`insert`] for a caller that has checked the name and the domains against the same
/// transaction's data (an import's plan): the database's own uniqueness rules still refuse a
/// name, a domain or an id that is taken, with the same errors.
pub async fn insert_checked(
    conn: &mut SqliteConnection,
    id: DirectoryId,
    directory: &Directory,
    secret_version: Option<SecretVersion>,
) -> Result<(), StoreError> {
    let now = now();
    let sql = format!(
        "INSERT INTO directories (id, revision, client_secret_stored, created_at, updated_at, {})
         VALUES (?, 1, ?, ?, ?, {})",
        FIELD_COLUMNS.join(", "),
        vec!["?"; FIELD_COLUMNS.len()].join(", ")
    );
    let query = sqlx::query(&sql)
        .bind(id.to_string())
        .bind(secret_version.map_or(0, SecretVersion::number))
        .bind(&now)
        .bind(&now);
    bind_fields(query, directory)
        .execute(&mut *conn)
        .await
        .map_err(|e| unique_violation(e, directory))?;
    write_domains(conn, id, directory).await
}

/// [`insert_checked`] for many directories at once, a few hundred to a statement: an import of
/// thousands takes a fraction of the time of one statement each. When the database refuses a
/// batch (a name, domain or id taken meanwhile), that batch is inserted again one directory at
/// a time, so that the error names the directory in the way; the refused statement changed
/// nothing.
pub async fn insert_many(
    conn: &mut SqliteConnection,
    rows: &[(DirectoryId, &Directory, Option<SecretVersion>)],
) -> Result<(), StoreError> {
    /// 26 values a row: well under SQLite's limit of 32,766 values a statement.
    const BATCH: usize = 200;
    let now = now();
    let row = format!(
        "(?, 1, ?, ?, ?, {})",
        vec!["?"; FIELD_COLUMNS.len()].join(", ")
    );
    for chunk in rows.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO directories (id, revision, client_secret_stored, created_at, updated_at, {}) VALUES {}",
            FIELD_COLUMNS.join(", "),
            vec![row.as_str(); chunk.len()].join(", ")
        );
        let mut query = sqlx::query(&sql);
        for (id, directory, secret_version) in chunk {
            query = query
                .bind(id.to_string())
                .bind(secret_version.map_or(0, SecretVersion::number))
                .bind(&now)
                .bind(&now);
            query = bind_fields(query, directory);
        }
        let refused = match query.execute(&mut *conn).await {
            Ok(_) => false,
            Err(e)
                if e.as_database_error()
                    .is_some_and(|d| d.is_unique_violation()) =>
            {
                true
            }
            Err(e) => return Err(e.into()),
        };
        if refused {
            for (id, directory, secret_version) in chunk {
                insert_checked(conn, *id, directory, *secret_version).await?;
            }
            continue;
        }
        let written: Vec<(DirectoryId, &Directory)> = chunk
            .iter()
            .map(|(id, directory, _)| (*id, *directory))
            .collect();
        write_domains_of(conn, &written).await?;
    }
    Ok(())
}

/// Replaces a directory's fields when its stored revision is still `expected_revision`;
/// returns the new revision. A `secret_version` of `None` leaves the secret's version as it is.
pub async fn update(
    conn: &mut SqliteConnection,
    id: DirectoryId,
    expected_revision: i64,
    directory: &Directory,
    secret_version: Option<SecretVersion>,
) -> Result<i64, StoreError> {
    let current = get(conn, id).await?;
    if current.revision != expected_revision {
        return Err(StoreError::Changed {
            name: current.directory.name.to_string(),
        });
    }
    check_unique(conn, id, directory).await?;
    let sql = format!(
        "UPDATE directories SET revision = revision + 1,
            client_secret_stored = coalesce(?, client_secret_stored), updated_at = ?, {}
         WHERE id = ? AND revision = ?",
        FIELD_COLUMNS
            .iter()
            .map(|c| format!("{c} = ?"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let query = sqlx::query(&sql)
        .bind(secret_version.map(SecretVersion::number))
        .bind(now());
    let result = bind_fields(query, directory)
        .bind(id.to_string())
        .bind(expected_revision)
        .execute(&mut *conn)
        .await
        .map_err(|e| unique_violation(e, directory))?;
    if result.rows_affected() == 0 {
        return Err(StoreError::Changed {
            name: current.directory.name.to_string(),
        });
    }
    sqlx::query("DELETE FROM domain_suffixes WHERE directory_id = ?")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    write_domains(conn, id, directory).await?;
    Ok(expected_revision + 1)
}

/// Puts a directory aside inside a transaction that saves it again before it commits: a
/// temporary name no directory can have, and no domains, so that others can take them. Its
/// revision stays, so the save that follows still checks it.
pub async fn park(conn: &mut SqliteConnection, id: DirectoryId) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE directories SET name = '(being imported) ' || id, domains = '' WHERE id = ?",
    )
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM domain_suffixes WHERE directory_id = ?")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Deletes a directory and its domain suffixes; returns what was deleted.
pub async fn delete(
    conn: &mut SqliteConnection,
    id: DirectoryId,
) -> Result<StoredDirectory, StoreError> {
    let current = get(conn, id).await?;
    sqlx::query("DELETE FROM directories WHERE id = ?")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(current)
}

/// A name for a copy of `name` that no directory uses yet: "X (copy)", "X (copy 2)"…
pub async fn copy_name(conn: &mut SqliteConnection, name: &str) -> Result<String, StoreError> {
    for candidate in crate::directory::copy_names(name) {
        let taken: Option<String> = sqlx::query_scalar("SELECT id FROM directories WHERE name = ?")
            .bind(&candidate)
            .fetch_optional(&mut *conn)
            .await?;
        if taken.is_none() {
            return Ok(candidate);
        }
    }
    Err(StoreError::NameTaken {
        name: format!("{name} (copy)"),
    })
}

async fn check_unique(
    conn: &mut SqliteConnection,
    id: DirectoryId,
    directory: &Directory,
) -> Result<(), StoreError> {
    let name_owner: Option<String> =
        sqlx::query_scalar("SELECT id FROM directories WHERE name = ? AND id <> ?")
            .bind(directory.name.as_str())
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    if name_owner.is_some() {
        return Err(StoreError::NameTaken {
            name: directory.name.to_string(),
        });
    }
    for domain in &directory.domain_suffixes {
        if let Some(owner) = domain_owner(conn, domain, &id.to_string()).await? {
            return Err(StoreError::DomainTaken {
                domain: domain.to_string(),
                owner,
            });
        }
    }
    Ok(())
}

/// The name of the directory other than `id` that `domain` routes to.
async fn domain_owner(
    conn: &mut SqliteConnection,
    domain: &DomainSuffix,
    id: &str,
) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT d.name FROM domain_suffixes s JOIN directories d ON d.id = s.directory_id
         WHERE s.domain = ? AND s.directory_id <> ?",
    )
    .bind(domain.as_str())
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Writes a directory's domain suffixes in one statement.
async fn write_domains(
    conn: &mut SqliteConnection,
    id: DirectoryId,
    directory: &Directory,
) -> Result<(), StoreError> {
    write_domains_of(conn, &[(id, directory)]).await
}

/// Writes the domain suffixes of several directories, a few thousand to a statement.
async fn write_domains_of(
    conn: &mut SqliteConnection,
    directories: &[(DirectoryId, &Directory)],
) -> Result<(), StoreError> {
    /// Three values a row: well under SQLite's limit of 32,766 values a statement.
    const ROWS: usize = 3000;
    let rows: Vec<(String, &DomainSuffix, i64, &Directory)> = directories
        .iter()
        .flat_map(|(id, directory)| {
            let id = id.to_string();
            directory
                .domain_suffixes
                .iter()
                .enumerate()
                .map(move |(position, domain)| (id.clone(), domain, position as i64, *directory))
        })
        .collect();
    for chunk in rows.chunks(ROWS) {
        let sql = format!(
            "INSERT INTO domain_suffixes (domain, directory_id, position) VALUES {}",
            vec!["(?, ?, ?)"; chunk.len()].join(", ")
        );
        let mut query = sqlx::query(&sql);
        for (id, domain, position, _) in chunk {
            query = query
                .bind(domain.as_str())
                .bind(id.as_str())
                .bind(*position);
        }
        if let Err(e) = query.execute(&mut *conn).await {
            if !e
                .as_database_error()
                .is_some_and(|d| d.is_unique_violation())
            {
                return Err(e.into());
            }
            // Which domain, and whose: the database's message names neither.
            for (id, domain, _, _) in chunk {
                if let Some(owner) = domain_owner(conn, domain, id).await? {
                    return Err(StoreError::DomainTaken {
                        domain: domain.to_string(),
                        owner,
                    });
                }
            }
            return Err(unique_violation(e, chunk[0].3));
        }
    }
    Ok(())
}

/// Turns the database's own uniqueness refusal (a race the checks above lost) into the same
/// errors the checks give.
fn unique_violation(error: sqlx::Error, directory: &Directory) -> StoreError {
    let Some(db) = error.as_database_error() else {
        return error.into();
    };
    if !db.is_unique_violation() {
        return error.into();
    }
    if db.message().contains("directories.id") {
        // The same id saved meanwhile by another window or ssoctl.
        return StoreError::Changed {
            name: directory.name.to_string(),
        };
    }
    if db.message().contains("domain_suffixes.domain") {
        let domain = directory
            .domain_suffixes
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        StoreError::DomainTaken {
            domain,
            owner: "another directory".into(),
        }
    } else {
        StoreError::NameTaken {
            name: directory.name.to_string(),
        }
    }
}

/// The expiry date of a list entry.
pub fn entry_expiry(entry: &ListEntry) -> Option<time::Date> {
    entry
        .client_secret_expires_on
        .as_deref()
        .and_then(|d| expiry::parse_date(d).ok())
}

/// What routing needs of one directory: no logo, no endpoints.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoutingEntry {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Hidden flag.
    pub is_hidden: bool,
    /// The staff rule, as stored (JSON).
    pub staff_json: String,
    /// Comma-joined domain suffixes in their order.
    pub domains: String,
}

/// Every directory's routing data, sorted by name, in one query.
pub async fn routing_entries(pool: &SqlitePool) -> Result<Vec<RoutingEntry>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT d.id, d.name, d.is_hidden, d.staff_json, d.domains
         FROM directories d ORDER BY d.name",
    )
    .fetch_all(pool)
    .await?)
}
