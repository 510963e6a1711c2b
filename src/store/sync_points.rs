//! Queries on the `sync_points` table: each item's fingerprint at its last export or import.

use std::collections::HashMap;

use sqlx::SqliteConnection;

use super::StoreError;

/// Every item's last fingerprint and its time (RFC 3339), by id.
pub async fn all(
    conn: &mut SqliteConnection,
) -> Result<HashMap<String, (String, String)>, StoreError> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT item_id, fingerprint, synced_at FROM sync_points")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, fingerprint, at)| (id, (fingerprint, at)))
        .collect())
}

/// Records `items` (id, fingerprint) as exported or imported `at`, a few hundred a statement.
pub async fn record(
    conn: &mut SqliteConnection,
    items: &[(String, String)],
    at: &str,
) -> Result<(), StoreError> {
    /// Three values a row: well under SQLite's limit of 32,766 values a statement.
    const ROWS: usize = 3000;
    for chunk in items.chunks(ROWS) {
        let sql = format!(
            "INSERT INTO sync_points (item_id, fingerprint, synced_at) VALUES {}
             ON CONFLICT (item_id) DO UPDATE SET fingerprint = excluded.fingerprint,
                 synced_at = excluded.synced_at",
            vec!["(?, ?, ?)"; chunk.len()].join(", ")
        );
        let mut query = sqlx::query(&sql);
        for (id, fingerprint) in chunk {
            query = query.bind(id).bind(fingerprint).bind(at);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}
