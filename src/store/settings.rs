//! Queries on the `settings` table: workspace settings as key/value text.

use sqlx::SqliteExecutor;

use super::StoreError;

/// The sign-in service's base URL, from which redirect URLs are derived (C10).
pub const SIGN_IN_SERVICE_URL: &str = "sign_in_service_url";

/// Reads a setting.
pub async fn get<'e>(db: impl SqliteExecutor<'e>, key: &str) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(db)
            .await?,
    )
}

/// Writes a setting, or removes it when `value` is `None`.
pub async fn set<'e>(
    db: impl SqliteExecutor<'e>,
    key: &str,
    value: Option<&str>,
) -> Result<(), StoreError> {
    match value {
        Some(value) => {
            sqlx::query(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(db)
            .await?
        }
        None => {
            sqlx::query("DELETE FROM settings WHERE key = ?")
                .bind(key)
                .execute(db)
                .await?
        }
    };
    Ok(())
}
