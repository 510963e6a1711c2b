//! Local storage in SQLite through sqlx: the pool, the embedded migrations and the errors.
//! One query file per table.

pub mod directories;
pub mod health;
pub mod scim;
pub mod secret_cleanup;
pub mod settings;
pub mod setups;
pub mod sync_points;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::error_kind::FrontEnd;

/// The environment variable that overrides the data directory (tests always set it).
pub const DATA_DIR_ENV: &str = "SSO_CONSOLE_DATA_DIR";

/// The database file's name inside the data directory.
pub const DATABASE_FILE: &str = "sso-console.db";

impl StoreError {
    /// What to do next, in the words of the front end that shows the error.
    pub fn advice(&self, front: FrontEnd) -> Option<String> {
        Some(match (self, front) {
            (Self::Changed { .. }, FrontEnd::App) => {
                "it was saved in another window or by ssoctl since you opened it; reload it and apply your changes again".into()
            }
            (Self::Changed { name }, FrontEnd::Ssoctl) => format!(
                "it was saved in the app or by another ssoctl since this command read it; look at it with `ssoctl dir show \"{name}\"` and run your command again"
            ),
            (Self::Open { .. }, front) => format!(
                "if that cannot be fixed, {}",
                data_folder_advice(front, "another folder")
            ),
            (Self::SecretTidied, FrontEnd::App) => "save again".into(),
            (Self::SecretTidied, FrontEnd::Ssoctl) => "run the command again".into(),
            _ => return None,
        })
    }
}

/// How to use another data folder (`folder`: "a folder", "another folder"), for the front end
/// that says it.
pub fn data_folder_advice(front: FrontEnd, folder: &str) -> String {
    match front {
        FrontEnd::App => format!(
            "start SSO Console with the environment variable {DATA_DIR_ENV} set to {folder}"
        ),
        FrontEnd::Ssoctl => format!("set {DATA_DIR_ENV} to {folder}"),
    }
}

/// An error's message followed by the advice of a front end, when it has any.
pub fn with_advice(message: String, advice: Option<String>) -> String {
    match advice {
        Some(advice) => format!("{message}; {advice}"),
        None => message,
    }
}

/// A storage failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Another directory already uses this name.
    #[error("a directory named \"{name}\" already exists; choose another name")]
    NameTaken {
        /// The name asked for.
        name: String,
    },
    /// A domain suffix belongs to another directory.
    #[error("the domain {domain} already routes to the directory \"{owner}\"; a domain can belong to one directory only — remove it there first")]
    DomainTaken {
        /// The domain.
        domain: String,
        /// The directory that has it.
        owner: String,
    },
    /// Someone saved the directory since it was read.
    #[error("\"{name}\" was changed elsewhere since it was read")]
    Changed {
        /// The directory's name as stored now.
        name: String,
    },
    /// No such directory.
    #[error("no directory \"{0}\"; it may have been deleted, or the name or id is misspelt")]
    NotFound(String),
    /// A stored value no longer reads back.
    #[error("the stored directory {id} is damaged ({detail}); delete it or restore the database from a backup")]
    Corrupt {
        /// The directory.
        id: String,
        /// What could not be read.
        detail: String,
    },
    /// The database could not be opened or migrated.
    #[error("cannot open the database {path}: {detail}. Check that its folder can be created and written")]
    Open {
        /// The file.
        path: PathBuf,
        /// Why.
        detail: String,
    },
    /// The database was written by a newer version of SSO Console.
    #[error("the database {path} was written by a newer version of SSO Console (it has change {version}, which this version does not know). Install that newer version, or move the file away to start with an empty database")]
    NewerVersion {
        /// The file.
        path: PathBuf,
        /// The newest change it has that this version lacks.
        version: i64,
    },
    /// Another window or ssoctl tidied away the secret this save had just written.
    #[error("the secret could not be kept: another SSO Console window or ssoctl tidied the keyring while this save was under way")]
    SecretTidied,
    /// Any other database failure.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// The SQLite database of a data directory.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating when missing) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let open_error = |detail: String| StoreError::Open {
            path: path.to_owned(),
            detail,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| open_error(e.to_string()))?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            // A transaction keeps the pages it changes in memory until it commits, instead of
            // writing them to the log early and again at the commit: an import of thousands
            // of directories (tens of megabytes, for the moment of the commit) writes each
            // page once.
            .pragma("cache_spill", "off")
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| open_error(e.to_string()))?;
        Self::migrate(pool).await.map_err(|e| match e {
            sqlx::migrate::MigrateError::VersionMissing(version) => StoreError::NewerVersion {
                path: path.to_owned(),
                version,
            },
            other => open_error(other.to_string()),
        })
    }

    /// A private in-memory database, for tests.
    pub async fn open_in_memory() -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        // One connection: every connection to :memory: is a different database.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        Ok(Self::migrate(pool).await.map_err(sqlx::Error::from)?)
    }

    async fn migrate(pool: SqlitePool) -> Result<Self, sqlx::migrate::MigrateError> {
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self { pool })
    }

    /// Starts a write transaction that takes the write lock at once, so that two writers queue
    /// instead of failing halfway.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// The pool, for reads.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// One connection of the pool, for a few reads in a row.
    pub async fn read(&self) -> Result<PoolConnection<Sqlite>, StoreError> {
        Ok(self.pool.acquire().await?)
    }

    /// Closes every connection, checkpointing the write-ahead log.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
