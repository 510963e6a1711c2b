//! Queries on the `directory_health` and `directory_changes` tables: the outcome of each
//! directory's last check, secret probe and test sign-in, and what changed at its provider.

use std::collections::HashMap;

use sqlx::{SqliteConnection, SqlitePool};

use super::StoreError;
use crate::ids::DirectoryId;

/// How many changes a directory keeps; older ones are dropped as new ones come.
pub const HISTORY_KEPT: i64 = 50;

/// A directory's health row.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct HealthRow {
    /// The directory.
    pub directory_id: String,
    /// Last check, RFC 3339.
    pub checked_at: Option<String>,
    /// Its status word.
    pub check_status: Option<String>,
    /// Its problem or first error.
    pub check_problem: Option<String>,
    /// The provider snapshot of the last check that fetched the document, JSON.
    pub snapshot_json: Option<String>,
    /// Last secret probe, RFC 3339.
    pub probed_at: Option<String>,
    /// Its verdict word.
    pub probe_verdict: Option<String>,
    /// Last test sign-in, RFC 3339.
    pub signed_in_at: Option<String>,
    /// Whether it succeeded.
    pub sign_in_succeeded: Option<bool>,
    /// The step that ended it, when it failed.
    pub sign_in_failed_step: Option<String>,
    /// The kid that signed the last successful sign-in's ID token.
    pub signing_kid: Option<String>,
}

/// One change at a provider.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChangeRow {
    /// When the check that saw it ran, RFC 3339.
    pub changed_at: String,
    /// Its severity word.
    pub severity: String,
    /// Its finding code.
    pub code: String,
    /// What changed.
    pub message: String,
}

/// The outcome of a check, as stored.
#[derive(Debug, Clone)]
pub struct CheckRecord<'a> {
    /// When it ran.
    pub at: &'a str,
    /// Its status word.
    pub status: &'a str,
    /// Its problem or first error.
    pub problem: Option<&'a str>,
    /// The snapshot to keep; `None` keeps the one before (nothing was fetched).
    pub snapshot_json: Option<&'a str>,
    /// What changed since the snapshot before.
    pub changes: &'a [ChangeRow],
}

const HEALTH_SQL: &str = "SELECT directory_id, checked_at, check_status, check_problem,
    snapshot_json, probed_at, probe_verdict, signed_in_at, sign_in_succeeded,
    sign_in_failed_step, signing_kid FROM directory_health";

/// Every directory's health row, by directory id.
pub async fn all(pool: &SqlitePool) -> Result<HashMap<String, HealthRow>, StoreError> {
    let rows: Vec<HealthRow> = sqlx::query_as(HEALTH_SQL).fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.directory_id.clone(), r))
        .collect())
}

/// The row exists only while its directory does: a directory deleted meanwhile is skipped.
const ENSURE_SQL: &str = "INSERT INTO directory_health (directory_id)
    SELECT id FROM directories WHERE id = ?1 ON CONFLICT (directory_id) DO NOTHING";

/// Records checks, each with the changes it saw, by directory id, in one transaction; keeps
/// each directory's newest [`HISTORY_KEPT`] changes.
pub async fn record_checks(
    pool: &SqlitePool,
    checks: &[(&str, CheckRecord<'_>)],
) -> Result<(), StoreError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    for (id, check) in checks {
        record_check(&mut tx, id, check).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn record_check(
    tx: &mut SqliteConnection,
    id: &str,
    check: &CheckRecord<'_>,
) -> Result<(), StoreError> {
    sqlx::query(ENSURE_SQL).bind(id).execute(&mut *tx).await?;
    sqlx::query(
        "UPDATE directory_health SET checked_at = ?2, check_status = ?3, check_problem = ?4,
             snapshot_json = COALESCE(?5, snapshot_json)
         WHERE directory_id = ?1",
    )
    .bind(id)
    .bind(check.at)
    .bind(check.status)
    .bind(check.problem)
    .bind(check.snapshot_json)
    .execute(&mut *tx)
    .await?;
    // Written last to first, so that newest first lists one check's changes in their order.
    for change in check.changes.iter().rev() {
        sqlx::query(
            "INSERT INTO directory_changes (directory_id, changed_at, severity, code, message)
             SELECT id, ?2, ?3, ?4, ?5 FROM directories WHERE id = ?1",
        )
        .bind(id)
        .bind(&change.changed_at)
        .bind(&change.severity)
        .bind(&change.code)
        .bind(&change.message)
        .execute(&mut *tx)
        .await?;
    }
    if !check.changes.is_empty() {
        sqlx::query(
            "DELETE FROM directory_changes WHERE directory_id = ?1 AND id NOT IN
                 (SELECT id FROM directory_changes WHERE directory_id = ?1
                  ORDER BY id DESC LIMIT ?2)",
        )
        .bind(id)
        .bind(HISTORY_KEPT)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Records secret probes' verdicts, (directory id, verdict word), made at `at`, in one
/// transaction.
pub async fn record_probes(
    pool: &SqlitePool,
    at: &str,
    verdicts: &[(&str, &str)],
) -> Result<(), StoreError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    for (id, verdict) in verdicts {
        sqlx::query(ENSURE_SQL).bind(id).execute(&mut *tx).await?;
        sqlx::query(
            "UPDATE directory_health SET probed_at = ?2, probe_verdict = ?3
             WHERE directory_id = ?1",
        )
        .bind(id)
        .bind(at)
        .bind(verdict)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Forgets the last probe's verdict, in the transaction that replaces the secret it judged.
pub async fn forget_probe(conn: &mut SqliteConnection, id: DirectoryId) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE directory_health SET probed_at = NULL, probe_verdict = NULL WHERE directory_id = ?",
    )
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a test sign-in's outcome: whether it succeeded, the step that ended it when it did
/// not, and the kid that signed its ID token when it did (kept from before otherwise).
pub async fn record_sign_in(
    pool: &SqlitePool,
    id: &str,
    at: &str,
    failed_step: Option<&str>,
    signing_kid: Option<&str>,
) -> Result<(), StoreError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query(ENSURE_SQL).bind(id).execute(&mut *tx).await?;
    sqlx::query(
        "UPDATE directory_health SET signed_in_at = ?2, sign_in_succeeded = ?3,
             sign_in_failed_step = ?4, signing_kid = CASE WHEN ?3 THEN ?5 ELSE signing_kid END
         WHERE directory_id = ?1",
    )
    .bind(id)
    .bind(at)
    .bind(failed_step.is_none())
    .bind(failed_step)
    .bind(signing_kid)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A directory's changes, newest first.
pub async fn history(pool: &SqlitePool, id: &str) -> Result<Vec<ChangeRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT changed_at, severity, code, message FROM directory_changes
         WHERE directory_id = ? ORDER BY id DESC",
    )
    .bind(id)
    .fetch_all(pool)
    .await?)
}
