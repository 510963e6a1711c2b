//! Queries on the `setups` table: guided setups (C18), each under the id its directory gets.

use sqlx::{SqliteConnection, SqlitePool};

use super::directories::now;
use super::StoreError;

/// A guided setup as stored: JSON texts the workspace reads.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SetupRow {
    /// The directory's id, reserved before the directory exists.
    pub id: String,
    /// The preset's id.
    pub preset: String,
    /// The preset's values, a JSON object.
    pub values_json: String,
    /// The draft directory document, JSON, without a secret.
    pub draft_json: String,
    /// What the flow recorded of each step, JSON.
    pub steps_json: String,
    /// Started, RFC 3339.
    pub created_at: String,
    /// Last changed, RFC 3339.
    pub updated_at: String,
}

/// Stores a new setup.
pub async fn insert(
    pool: &SqlitePool,
    id: &str,
    preset: &str,
    values_json: &str,
    draft_json: &str,
) -> Result<(), StoreError> {
    let now = now();
    sqlx::query(
        "INSERT INTO setups (id, preset, values_json, draft_json, steps_json, created_at, updated_at)
         VALUES (?, ?, ?, ?, '{}', ?, ?)",
    )
    .bind(id)
    .bind(preset)
    .bind(values_json)
    .bind(draft_json)
    .bind(&now)
    .bind(&now)
    .execute(pool)
    .await?;
    Ok(())
}

/// The setup `id`, if there is one.
pub async fn get(conn: &mut SqliteConnection, id: &str) -> Result<Option<SetupRow>, StoreError> {
    Ok(sqlx::query_as("SELECT * FROM setups WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// Every setup, the most recently changed first.
pub async fn all(pool: &SqlitePool) -> Result<Vec<SetupRow>, StoreError> {
    Ok(
        sqlx::query_as("SELECT * FROM setups ORDER BY updated_at DESC, id")
            .fetch_all(pool)
            .await?,
    )
}

/// Replaces the draft and the steps of the setup `id`; answers whether there was one.
pub async fn update(
    conn: &mut SqliteConnection,
    id: &str,
    draft_json: &str,
    steps_json: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE setups SET draft_json = ?, steps_json = ?, updated_at = ? WHERE id = ?",
    )
    .bind(draft_json)
    .bind(steps_json)
    .bind(now())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Forgets the setup `id` (its directory, if saved, stays).
pub async fn delete(pool: &SqlitePool, id: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM setups WHERE id = ?")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}
