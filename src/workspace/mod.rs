//! The workspace: one data directory with its database, and the keyring. This is the one API the
//! desktop app, `ssoctl` and the tests drive; every save is whole or not at all, secrets included.

mod bundle;
mod health;
mod report;
mod scim;
mod setup;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::claims::ClaimSet;
use crate::directory::{Directory, DirectoryDocument, DirectoryId, EndpointUrl, FieldError};
use crate::error_kind::{ErrorKind, FrontEnd};
use crate::expiry::{self, SecretExpiry};
use crate::logo::LogoError;
use crate::mapping::{self, ClaimsEvaluation};
use crate::routing::{self, EmailAddress, RouteDecision, RoutingDirectory, RoutingReport};
use crate::secrets::{self, SecretEntry, SecretError, SecretVersion};
use crate::sensitive::SecretString;
use crate::store::health::HealthRow;
use crate::store::secret_cleanup;
use crate::store::{self, directories, settings, Store, StoreError};

pub use crate::store::scim::ScimError;
pub use crate::store::DATA_DIR_ENV;
pub use bundle::ImportOutcome;
pub use health::{
    DirectoryHealth, DirectoryProbe, HealthState, LastCheck, LastProbe, LastSignIn, ProviderChange,
};
pub use setup::{Setup, SetupStep, SetupStepId, SetupSummary, StepState};

/// A directory in the list: what the list shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DirectorySummary {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Hidden from the selection screen.
    pub is_hidden: bool,
    /// Domain suffixes.
    pub domain_suffixes: Vec<String>,
    /// Whether the keyring holds the client secret.
    pub has_client_secret: bool,
    /// Where the client secret stands today.
    pub secret_expiry: SecretExpiry,
    /// Whether its logo is the placeholder a guided setup drew, to be replaced by the
    /// customer's.
    pub placeholder_logo: bool,
    /// Revision.
    #[ts(type = "number")]
    pub revision: i64,
    /// Its last check, probe and test sign-in, and why it needs attention.
    pub health: HealthState,
}

impl DirectorySummary {
    /// Whether the start-up banner names it: its client secret expires within three days or has
    /// expired, the last probe saw its secret refused, or its last check failed or found errors.
    pub fn in_start_up_banner(&self) -> bool {
        self.secret_expiry.needs_attention() || self.health.alarming()
    }
}

/// A directory with everything the editor shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DirectoryDetail {
    /// The directory document (DESIGN §7.1).
    pub document: DirectoryDocument,
    /// Revision; a save names the revision it started from.
    #[ts(type = "number")]
    pub revision: i64,
    /// Whether the keyring holds the client secret.
    pub has_client_secret: bool,
    /// `<sign-in service URL>/callback/<id>`; `None` until that setting is set.
    pub redirect_url: Option<String>,
    /// Where the client secret stands today.
    pub secret_expiry: SecretExpiry,
    /// First saved, RFC 3339.
    pub created_at: String,
    /// Last saved, RFC 3339.
    pub updated_at: String,
    /// Advice that does not block saving.
    pub warnings: Vec<FieldError>,
}

/// Workspace settings and where things live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Settings {
    /// The sign-in service's base URL, from which redirect URLs are derived.
    pub sign_in_service_url: Option<String>,
    /// The data directory.
    pub data_dir: String,
    /// The SQLite database file.
    pub database_path: String,
    /// Where secrets are kept.
    pub secret_store: String,
}

/// A workspace failure, with what the person can do about it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WorkspaceError {
    /// One or more fields are invalid.
    #[error("{}", FieldError::describe_all(.0))]
    Invalid(Vec<FieldError>),
    /// A logo was refused.
    #[error(transparent)]
    Logo(#[from] LogoError),
    /// Storage failed or refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The keyring failed.
    #[error(transparent)]
    Secret(#[from] SecretError),
    /// The data directory cannot be determined.
    #[error("cannot find a data directory for this user")]
    NoDataDir,
    /// The test sign-in's redirect listener could not start (its fixed port is in use).
    #[error(transparent)]
    Listener(crate::signin::CallbackError),
    /// A report could not be made or read.
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
    /// A bundle could not be written, read or imported.
    #[error(transparent)]
    Bundle(#[from] crate::bundle::BundleError),
    /// Discovery failed.
    #[error(transparent)]
    Discovery(crate::discovery::DiscoveryError),
    /// No guided setup has this id.
    #[error("there is no guided setup \"{0}\"; it may have been discarded, or its directory deleted — start one again with New directory")]
    NoSetup(String),
}

impl WorkspaceError {
    /// A stable code the UI and scripts can branch on.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid(_) => ErrorKind::Validation,
            Self::Logo(_) => ErrorKind::InvalidLogo,
            Self::Store(StoreError::NameTaken { .. } | StoreError::DomainTaken { .. })
            | Self::Store(StoreError::Changed { .. }) => ErrorKind::Conflict,
            Self::Store(StoreError::NotFound(_)) | Self::NoSetup(_) => ErrorKind::NotFound,
            Self::Store(_) | Self::NoDataDir => ErrorKind::Storage,
            Self::Secret(_) => ErrorKind::Keyring,
            Self::Listener(_) => ErrorKind::PortInUse,
            Self::Discovery(_) => ErrorKind::Discovery,
            Self::Report(e) => e.kind(),
            Self::Bundle(e) => e.kind(),
        }
    }

    /// The message for a person, with what to do next in the words of `front`.
    pub fn message(&self, front: FrontEnd) -> String {
        let advice = match self {
            Self::Store(e) => e.advice(front),
            Self::NoDataDir => Some(store::data_folder_advice(front, "a folder")),
            Self::Bundle(e) => e.advice(front),
            _ => None,
        };
        store::with_advice(self.to_string(), advice)
    }

    /// The fields this error concerns, each with its message.
    pub fn fields(&self) -> Vec<FieldError> {
        let one = |field: &str| vec![FieldError::new(field, self.to_string())];
        match self {
            Self::Invalid(errors) => errors.clone(),
            Self::Logo(_) => one("logo_png_base64"),
            Self::Store(StoreError::NameTaken { .. }) => one("name"),
            Self::Store(StoreError::DomainTaken { .. }) => one("domain_suffixes"),
            Self::Secret(_) => one("client_secret"),
            Self::Listener(_) => one("test_redirect_port"),
            Self::Discovery(_) => one("discovery_domain"),
            Self::Bundle(e) => e.fields(),
            _ => Vec::new(),
        }
    }
}

/// The platform's data directory for SSO Console, unless `SSO_CONSOLE_DATA_DIR` is set.
pub fn default_data_dir() -> Result<PathBuf, WorkspaceError> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    let folder = if cfg!(debug_assertions) {
        "sso-console-dev"
    } else {
        "sso-console"
    };
    dirs::data_dir()
        .map(|d| d.join(folder))
        .ok_or(WorkspaceError::NoDataDir)
}

/// One data directory and the keyring.
#[derive(Debug, Clone)]
pub struct Workspace {
    data_dir: PathBuf,
    store: Store,
}

impl Workspace {
    /// Opens the workspace in `data_dir`, creating its database when missing.
    pub async fn open(data_dir: &Path) -> Result<Self, WorkspaceError> {
        let store = Store::open(&data_dir.join(store::DATABASE_FILE)).await?;
        // What a crash left half done in the keyring is tidied; it never stops the opening.
        if let Err(e) = secret_cleanup::tidy(&store).await {
            tracing::warn!(error = %e, "leftover keyring entries could not be tidied");
        }
        Ok(Self {
            data_dir: data_dir.to_owned(),
            store,
        })
    }

    /// Closes the database.
    pub async fn close(&self) {
        self.store.close().await;
    }

    /// The database, for the areas that keep their `impl Workspace` in their own module.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// The directories whose name, client id or domain contains `query`, sorted by name.
    pub async fn list(&self, query: &str) -> Result<Vec<DirectorySummary>, WorkspaceError> {
        let today = expiry::today();
        let entries = directories::list(self.store.pool(), query).await?;
        let health = self.health_rows().await?;
        Ok(entries
            .into_iter()
            .map(|e| {
                let secret_expiry = SecretExpiry::on(directories::entry_expiry(&e), today);
                DirectorySummary {
                    health: HealthState::from_row(
                        health.get(&e.id).unwrap_or(&HealthRow::default()),
                        secret_expiry,
                    ),
                    secret_expiry,
                    domain_suffixes: directories::split_domains(&e.domains),
                    id: e.id,
                    name: e.name,
                    is_hidden: e.is_hidden,
                    has_client_secret: e.client_secret_stored != 0,
                    placeholder_logo: e.logo_placeholder,
                    revision: e.revision,
                }
            })
            .collect())
    }

    /// Every stored directory's document, sorted by name.
    pub async fn documents(&self) -> Result<Vec<DirectoryDocument>, WorkspaceError> {
        let mut conn = self.store.read().await?;
        let all = directories::all(&mut conn).await?;
        Ok(all.iter().map(|d| d.directory.to_document()).collect())
    }

    /// What the start-up banner names (`DirectorySummary::in_start_up_banner`), by name.
    pub async fn needing_attention(&self) -> Result<Vec<DirectorySummary>, WorkspaceError> {
        let mut all = self.list("").await?;
        all.retain(DirectorySummary::in_start_up_banner);
        Ok(all)
    }

    /// One directory by id or name.
    pub async fn find(&self, name_or_id: &str) -> Result<DirectoryDetail, WorkspaceError> {
        let mut conn = self.store.read().await?;
        let stored = directories::find(&mut conn, name_or_id).await?;
        self.detail(stored).await
    }

    /// One directory by id.
    pub async fn get(&self, id: DirectoryId) -> Result<DirectoryDetail, WorkspaceError> {
        let mut conn = self.store.read().await?;
        let stored = directories::get(&mut conn, id).await?;
        self.detail(stored).await
    }

    /// A directory's logo, PNG bytes.
    pub async fn logo(&self, id: DirectoryId) -> Result<Vec<u8>, WorkspaceError> {
        Ok(directories::logo(self.store.pool(), id).await?)
    }

    async fn detail(
        &self,
        stored: directories::StoredDirectory,
    ) -> Result<DirectoryDetail, WorkspaceError> {
        let base = self.sign_in_service_url().await?;
        let mut warnings = stored.directory.warnings();
        let has_client_secret = match stored.secret_version {
            None => false,
            // Asked of the keyring itself: a secret removed there behind the console's back
            // is shown as missing, with what to do.
            Some(version) => {
                match secret_cleanup::read(SecretEntry::client_secret(stored.id, version)).await {
                    Ok(Some(_)) => true,
                    Ok(None) => {
                        warnings.push(FieldError::new("client_secret", SECRET_MISSING));
                        false
                    }
                    Err(e) => {
                        warnings.push(FieldError::new(
                            "client_secret",
                            format!("whether the client secret is still in the keyring could not be checked: {e}"),
                        ));
                        true
                    }
                }
            }
        };
        Ok(DirectoryDetail {
            document: stored.directory.to_document(),
            revision: stored.revision,
            has_client_secret,
            redirect_url: base.map(|b| redirect_url(&b, stored.id)),
            secret_expiry: SecretExpiry::on(
                stored.directory.client_secret_expires_on,
                expiry::today(),
            ),
            created_at: stored.created_at,
            updated_at: stored.updated_at,
            warnings,
        })
    }

    /// Creates a directory with its client secret; the document's `id` is ignored and a new one
    /// assigned. Nothing is stored unless everything is.
    pub async fn create(
        &self,
        doc: &DirectoryDocument,
        client_secret: &SecretString,
    ) -> Result<DirectoryDetail, WorkspaceError> {
        let doc = DirectoryDocument {
            id: None,
            ..doc.clone()
        };
        self.insert_with_secret(DirectoryId::new(), &doc, client_secret)
            .await
    }

    /// Creates the directory `doc` under `id` with its client secret; nothing is stored unless
    /// everything is.
    pub(super) async fn insert_with_secret(
        &self,
        id: DirectoryId,
        doc: &DirectoryDocument,
        client_secret: &SecretString,
    ) -> Result<DirectoryDetail, WorkspaceError> {
        let mut errors = Directory::from_document(doc).err().unwrap_or_default();
        if client_secret.is_empty() {
            errors.push(FieldError::new(
                "client_secret",
                "enter the client secret from the provider",
            ));
        }
        let directory = match Directory::from_document(doc) {
            Ok(directory) if errors.is_empty() => directory,
            _ => return Err(WorkspaceError::Invalid(errors)),
        };
        let entry = SecretEntry::client_secret(id, SecretVersion::FIRST);
        secret_cleanup::save_with_secret(
            &self.store,
            entry,
            None,
            client_secret.clone(),
            async |conn| -> Result<(), WorkspaceError> {
                Ok(directories::insert(conn, id, &directory, Some(entry.version)).await?)
            },
        )
        .await?;
        tracing::info!(directory = %id, name = %directory.name, "directory created");
        self.get(id).await
    }

    /// Saves a directory over the stored one. `expected_revision` is the revision the editor
    /// started from (`None`: whatever is stored now). `client_secret` of `None` keeps the stored
    /// secret.
    pub async fn update(
        &self,
        id: DirectoryId,
        expected_revision: Option<i64>,
        doc: &DirectoryDocument,
        client_secret: Option<&SecretString>,
    ) -> Result<DirectoryDetail, WorkspaceError> {
        let doc = DirectoryDocument {
            id: Some(id.to_string()),
            ..doc.clone()
        };
        let mut errors = Directory::from_document(&doc).err().unwrap_or_default();
        if client_secret.is_some_and(SecretString::is_empty) {
            errors.push(FieldError::new(
                "client_secret",
                "the new client secret is empty; enter it, or cancel replacing it",
            ));
        }
        let directory = match Directory::from_document(&doc) {
            Ok(directory) if errors.is_empty() => directory,
            _ => return Err(WorkspaceError::Invalid(errors)),
        };
        let Some(secret) = client_secret else {
            let mut tx = self.store.begin_write().await?;
            let expected = match expected_revision {
                Some(revision) => revision,
                None => directories::get(&mut tx, id).await?.revision,
            };
            directories::update(&mut tx, id, expected, &directory, None).await?;
            tx.commit().await.map_err(StoreError::from)?;
            tracing::info!(directory = %id, name = %directory.name, "directory updated");
            return self.get(id).await;
        };
        // The new secret goes into a new keyring entry; the row switches to it in the commit
        // that saves the rest, and the old entry is given up in that same commit.
        let current = {
            let mut conn = self.store.read().await?;
            directories::get(&mut conn, id).await?
        };
        let expected = expected_revision.unwrap_or(current.revision);
        if current.revision != expected {
            return Err(StoreError::Changed {
                name: current.directory.name.to_string(),
            }
            .into());
        }
        let old = current
            .secret_version
            .map(|version| SecretEntry::client_secret(id, version));
        let new = SecretEntry::client_secret(id, SecretVersion::fresh());
        secret_cleanup::save_with_secret(
            &self.store,
            new,
            old,
            secret.clone(),
            async |conn| -> Result<(), WorkspaceError> {
                directories::update(conn, id, expected, &directory, Some(new.version)).await?;
                // The last probe judged the secret replaced now.
                store::health::forget_probe(conn, id).await?;
                Ok(())
            },
        )
        .await?;
        tracing::info!(directory = %id, name = %directory.name, "directory updated");
        self.get(id).await
    }

    /// Copies a directory under a free "(copy)" name. Neither the client secret nor the domain
    /// suffixes are copied: a domain belongs to one directory only.
    pub async fn duplicate(&self, id: DirectoryId) -> Result<DirectoryDetail, WorkspaceError> {
        let mut tx = self.store.begin_write().await?;
        let source = directories::get(&mut tx, id).await?;
        let mut copy = source.directory.clone();
        copy.name = crate::directory::DirectoryName::parse(
            &directories::copy_name(&mut tx, copy.name.as_str()).await?,
        )
        .map_err(|message| WorkspaceError::Invalid(vec![FieldError::new("name", message)]))?;
        copy.domain_suffixes.clear();
        let new_id = DirectoryId::new();
        copy.id = Some(new_id);
        directories::insert(&mut tx, new_id, &copy, None).await?;
        tx.commit().await.map_err(StoreError::from)?;
        tracing::info!(directory = %new_id, from = %id, "directory duplicated");
        self.get(new_id).await
    }

    /// Deletes a directory and its secret; returns the deleted directory's name.
    pub async fn delete(&self, id: DirectoryId) -> Result<String, WorkspaceError> {
        let deleted = secret_cleanup::delete_with_secret(
            &self.store,
            async |conn| -> Result<_, WorkspaceError> {
                let deleted = directories::delete(conn, id).await?;
                let entry = deleted
                    .secret_version
                    .map(|version| SecretEntry::client_secret(id, version));
                Ok((deleted, entry))
            },
        )
        .await?;
        tracing::info!(directory = %id, "directory deleted");
        Ok(deleted.directory.name.to_string())
    }

    /// The client secret of a directory, when stored.
    pub async fn client_secret(
        &self,
        id: DirectoryId,
    ) -> Result<Option<SecretString>, WorkspaceError> {
        let mut conn = self.store.read().await?;
        let stored = directories::get(&mut conn, id).await?;
        drop(conn);
        self.stored_secret(&stored).await
    }

    /// Prepares a test sign-in for a stored directory: its settings, its secret from the keyring,
    /// and a bound loopback listener.
    pub async fn prepare_sign_in(
        &self,
        id: DirectoryId,
    ) -> Result<crate::signin::Attempt, WorkspaceError> {
        let mut conn = self.store.read().await?;
        let stored = directories::get(&mut conn, id).await?;
        drop(conn);
        let secret = match self.stored_secret(&stored).await? {
            Some(secret) => secret,
            None if stored.secret_version.is_some() => {
                return Err(WorkspaceError::Invalid(vec![FieldError::new(
                    "client_secret",
                    SECRET_MISSING,
                )]))
            }
            None => SecretString::new(""),
        };
        crate::signin::Attempt::prepare(stored.directory, secret)
            .await
            .map_err(|e| match e {
                crate::signin::StartError::Listener(e) => WorkspaceError::Listener(e),
                e => WorkspaceError::Invalid(vec![FieldError::new("client_secret", e.to_string())]),
            })
    }

    /// The settings and where things live.
    pub async fn settings(&self) -> Result<Settings, WorkspaceError> {
        Ok(Settings {
            sign_in_service_url: self.sign_in_service_url().await?,
            data_dir: self.data_dir.display().to_string(),
            database_path: self
                .data_dir
                .join(store::DATABASE_FILE)
                .display()
                .to_string(),
            secret_store: secrets::store_description(),
        })
    }

    /// Sets (or, with `None` or blank, clears) the sign-in service URL.
    pub async fn set_sign_in_service_url(
        &self,
        url: Option<&str>,
    ) -> Result<Settings, WorkspaceError> {
        let value = match url.map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(text) => {
                let url = EndpointUrl::parse(text).map_err(|message| {
                    WorkspaceError::Invalid(vec![FieldError::new("sign_in_service_url", message)])
                })?;
                Some(url.as_str().trim_end_matches('/').to_owned())
            }
        };
        settings::set(
            self.store.pool(),
            settings::SIGN_IN_SERVICE_URL,
            value.as_deref(),
        )
        .await?;
        self.settings().await
    }

    pub(super) async fn sign_in_service_url(&self) -> Result<Option<String>, WorkspaceError> {
        Ok(settings::get(self.store.pool(), settings::SIGN_IN_SERVICE_URL).await?)
    }

    /// The client secret the row names, read from the keyring.
    pub(super) async fn stored_secret(
        &self,
        stored: &directories::StoredDirectory,
    ) -> Result<Option<SecretString>, WorkspaceError> {
        let Some(version) = stored.secret_version else {
            return Ok(None);
        };
        Ok(secret_cleanup::read(SecretEntry::client_secret(stored.id, version)).await?)
    }
}

/// What a directory whose secret was removed from the keyring outside the console shows.
const SECRET_MISSING: &str = "the client secret is missing from the keyring (it was removed outside SSO Console); enter it again and save";

/// What the sign-in service would decide (C7–C9): claim mappings, staff identification, the
/// external ID and routing, previewed from stored directories.
impl Workspace {
    /// What routing needs of every directory (name, hidden flag, domains, staff rule), read in
    /// one query without logos, sorted by name.
    pub async fn routing_directories(&self) -> Result<Vec<RoutingDirectory>, WorkspaceError> {
        let entries = directories::routing_entries(self.store.pool()).await?;
        let mut out = Vec::with_capacity(entries.len());
        for e in entries {
            let staff = serde_json::from_str(&e.staff_json).map_err(|err| StoreError::Corrupt {
                id: e.id.clone(),
                detail: format!("staff rule: {err}"),
            })?;
            out.push(RoutingDirectory {
                domain_suffixes: directories::split_domains(&e.domains),
                id: e.id,
                name: e.name,
                is_hidden: e.is_hidden,
                staff,
            });
        }
        Ok(out)
    }

    /// Where the sign-in service would send `email`, and why (DESIGN §3.2).
    pub async fn simulate_route(
        &self,
        email: &EmailAddress,
    ) -> Result<RouteDecision, WorkspaceError> {
        Ok(routing::simulate(email, &self.routing_directories().await?))
    }

    /// The routing of all directories together, judged.
    pub async fn check_routing(&self) -> Result<RoutingReport, WorkspaceError> {
        Ok(routing::check(&self.routing_directories().await?))
    }

    /// A directory's (by id or name) claim mappings, external ID and staff identification,
    /// evaluated against `claims`.
    pub async fn evaluate_claims(
        &self,
        name_or_id: &str,
        claims: &ClaimSet,
    ) -> Result<ClaimsEvaluation, WorkspaceError> {
        let mut conn = self.store.read().await?;
        let stored = directories::find(&mut conn, name_or_id).await?;
        Ok(mapping::evaluate(&stored.directory, claims))
    }
}

/// The redirect URL to register at the provider (C10).
pub fn redirect_url(sign_in_service_url: &str, id: DirectoryId) -> String {
    format!(
        "{}/callback/{id}",
        sign_in_service_url.trim_end_matches('/')
    )
}
