//! Connection health without a user (C17): each directory's discovery check and what changed
//! at its provider since the last one, its secret's expiry, on request whether the provider
//! still accepts its client secret, and the outcome of its last test sign-in. The outcomes are
//! kept in the database, so the list shows them and the next check compares with them.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use ts_rs::TS;

use super::{Workspace, WorkspaceError};
use crate::directory::DirectoryDocument;
use crate::discovery::{self, compare_snapshots, CheckStatus, DirectoryCheck, ProviderSnapshot};
use crate::expiry::SecretExpiry;
use crate::findings::Severity;
use crate::http::HttpClient;
use crate::ids::DirectoryId;
use crate::signin::{probe_secret, ProbeVerdict, SecretProbe, SignInResult};
use crate::store::directories::now;
use crate::store::health::{self as stored, ChangeRow, CheckRecord, HealthRow};
use crate::store::StoreError;

/// A directory's state at a glance, from what was kept of its last check, secret probe and
/// test sign-in (outcomes only: no claim, token or secret is kept).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HealthState {
    /// The last discovery check.
    pub last_check: Option<LastCheck>,
    /// The last secret probe.
    pub last_probe: Option<LastProbe>,
    /// The last test sign-in.
    pub last_sign_in: Option<LastSignIn>,
    /// Why it needs attention, in people's words; empty when it does not.
    pub attention: Vec<String>,
}

/// How the last discovery check went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LastCheck {
    /// When, RFC 3339.
    pub at: String,
    /// How it went.
    pub status: CheckStatus,
    /// Why it failed, or its first error.
    pub problem: Option<String>,
}

/// What the last secret probe found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LastProbe {
    /// When, RFC 3339.
    pub at: String,
    /// The verdict.
    pub verdict: ProbeVerdict,
}

/// How the last test sign-in ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LastSignIn {
    /// When, RFC 3339.
    pub at: String,
    /// Whether it succeeded with every check passed.
    pub succeeded: bool,
    /// The step that made it fail, in people's words.
    pub failed_step: Option<String>,
}

/// One change a check saw at a directory's provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProviderChange {
    /// When the check that saw it ran, RFC 3339.
    pub at: String,
    /// How much it matters.
    pub severity: Severity,
    /// The finding's code (`drift_issuer_changed`…).
    pub code: String,
    /// What changed.
    pub message: String,
}

impl HealthState {
    /// The state kept in `row`, with the secret's expiry today.
    pub(super) fn from_row(row: &HealthRow, expiry: SecretExpiry) -> Self {
        let last_check = row.checked_at.clone().and_then(|at| {
            Some(LastCheck {
                at,
                status: CheckStatus::parse(row.check_status.as_deref()?)?,
                problem: row.check_problem.clone(),
            })
        });
        let last_probe = row.probed_at.clone().and_then(|at| {
            Some(LastProbe {
                at,
                verdict: ProbeVerdict::parse(row.probe_verdict.as_deref()?)?,
            })
        });
        let last_sign_in = row.signed_in_at.clone().map(|at| LastSignIn {
            at,
            succeeded: row.sign_in_succeeded.unwrap_or(false),
            failed_step: row.sign_in_failed_step.clone(),
        });
        let mut state = Self {
            last_check,
            last_probe,
            last_sign_in,
            attention: Vec::new(),
        };
        state.attention = state.reasons(expiry, None);
        state
    }

    /// Whether the last probe saw the secret refused, or the last check failed or found errors:
    /// what the start-up banner names besides expiring secrets.
    pub fn alarming(&self) -> bool {
        self.last_probe
            .as_ref()
            .is_some_and(|p| p.verdict == ProbeVerdict::Refused)
            || self
                .last_check
                .as_ref()
                .is_some_and(|c| matches!(c.status, CheckStatus::Failed | CheckStatus::Errors))
    }

    /// Why it needs attention; `probe_message` is the provider's answer to a probe just made.
    fn reasons(&self, expiry: SecretExpiry, probe_message: Option<&str>) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(check) = &self.last_check {
            let problem = check.problem.as_deref().unwrap_or("no answer");
            match check.status {
                CheckStatus::Errors => out.push(format!("discovery found errors: {problem}")),
                CheckStatus::Failed => out.push(format!("discovery failed: {problem}")),
                CheckStatus::Ok | CheckStatus::Warnings | CheckStatus::Skipped => {}
            }
        }
        if expiry.needs_attention() {
            out.push(format!("the client secret {}", expiry.describe()));
        }
        if let Some(probe) = &self.last_probe {
            if probe.verdict != ProbeVerdict::Accepted {
                out.push(match probe_message {
                    Some(message) => format!("{}: {message}", probe.verdict.label()),
                    None => format!("{} at the last probe", probe.verdict.label()),
                });
            }
        }
        if let Some(sign_in) = &self.last_sign_in {
            if !sign_in.succeeded {
                out.push(format!(
                    "the last test sign-in failed at: {}",
                    sign_in.failed_step.as_deref().unwrap_or("an unknown step")
                ));
            }
        }
        out
    }
}

/// How one directory stands today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DirectoryHealth {
    /// The directory's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its discovery check.
    pub check: DirectoryCheck,
    /// Where its client secret stands relative to its expiry date.
    pub secret_expiry: SecretExpiry,
    /// The provider's answer to the secret probe, when it was asked for.
    pub probe: Option<SecretProbe>,
    /// Its state with this check (and probe) recorded; its `attention` says why it needs
    /// attention, empty when it is healthy.
    pub state: HealthState,
}

/// A directory's answer to the secret probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DirectoryProbe {
    /// The directory's id.
    pub id: String,
    /// What its provider answered.
    pub probe: SecretProbe,
}

impl DirectoryHealth {
    /// Whether nothing needs attention.
    pub fn healthy(&self) -> bool {
        self.state.attention.is_empty()
    }
}

impl Workspace {
    /// The health of the directories `ids` (all when empty), in name order: the discovery
    /// check of each, fetched `bound` at a time, the secret's expiry and, with `probe`, one
    /// token request per directory, alongside, that tells whether the provider accepts the
    /// secret.
    pub async fn health(
        &self,
        ids: &[DirectoryId],
        http: &HttpClient,
        probe: bool,
        bound: usize,
    ) -> Result<Vec<DirectoryHealth>, WorkspaceError> {
        let wanted = |id: &str| ids.is_empty() || ids.iter().any(|w| w.to_string() == id);
        let documents: Vec<_> = self
            .documents()
            .await?
            .into_iter()
            .filter(|d| d.id.as_deref().is_some_and(wanted))
            .collect();
        // The probes run beside the discovery fetches, each side `bound` at a time.
        let (checks, probes) = tokio::join!(
            self.check_directories(http, &documents, bound, |_, _| {}),
            async {
                if probe {
                    self.probe_all(http, &documents, bound).await
                } else {
                    Ok(vec![None; documents.len()])
                }
            }
        );
        let (checks, probes) = (checks?, probes?);
        let summaries = self.list("").await?;
        Ok(checks
            .into_iter()
            .zip(probes)
            .map(|(check, probe)| {
                let summary = summaries.iter().find(|s| s.id == check.id);
                let secret_expiry = summary.map_or(SecretExpiry::NotSet, |s| s.secret_expiry);
                let mut state = summary.map(|s| s.health.clone()).unwrap_or_default();
                state.attention =
                    state.reasons(secret_expiry, probe.as_ref().map(|p| p.message.as_str()));
                DirectoryHealth {
                    id: check.id.clone(),
                    name: check.name.clone(),
                    check,
                    secret_expiry,
                    probe,
                    state,
                }
            })
            .collect())
    }

    /// The discovery check of `documents`, `bound` providers at a time, with what changed at
    /// each provider since the directory's last check added to its findings; each outcome, the
    /// changes and what was fetched are kept for the list and the next check.
    pub async fn check_directories(
        &self,
        http: &HttpClient,
        documents: &[DirectoryDocument],
        bound: usize,
        progress: impl Fn(usize, usize) + Send + Sync + 'static,
    ) -> Result<Vec<DirectoryCheck>, WorkspaceError> {
        let mut checks = discovery::check_all(http, documents, bound, progress).await;
        let rows = stored::all(self.store().pool()).await?;
        let at = now();
        for check in &mut checks {
            let row = rows.get(&check.id);
            let before = row
                .and_then(|r| r.snapshot_json.as_deref())
                .and_then(|j| serde_json::from_str::<ProviderSnapshot>(j).ok());
            let (Some(now_seen), Some(before)) = (check.snapshot.as_mut(), before) else {
                continue;
            };
            let signing_kid = row.and_then(|r| r.signing_kid.as_deref());
            let changes = compare_snapshots(&before, now_seen, signing_kid);
            // A key set that could not be read this time is remembered as it was last read, so
            // that a key removed meanwhile is still noticed by the next check that reads it.
            if now_seen.keys.is_none() {
                now_seen.keys = before.keys;
            }
            check.add_findings(changes);
        }
        // Every outcome in one transaction: one commit, not one per directory.
        let kept: Vec<Kept> = checks.iter().map(|c| Kept::of(c, &at)).collect();
        let records: Vec<(&str, CheckRecord<'_>)> = checks
            .iter()
            .zip(&kept)
            .map(|(check, kept)| (check.id.as_str(), kept.record(check, &at)))
            .collect();
        stored::record_checks(self.store().pool(), &records).await?;
        Ok(checks)
    }

    /// Keeps the outcome of a test sign-in of `id`: whether it succeeded, the step that made it
    /// fail, and the kid that signed its ID token. A cancelled attempt is not kept.
    pub async fn record_sign_in(
        &self,
        id: DirectoryId,
        result: &SignInResult,
    ) -> Result<(), WorkspaceError> {
        if result.was_cancelled() {
            return Ok(());
        }
        let kid = result.succeeded.then(|| result.signing_kid()).flatten();
        Ok(stored::record_sign_in(
            self.store().pool(),
            &id.to_string(),
            &now(),
            result.failed_step(),
            kid,
        )
        .await?)
    }

    /// What changed at the provider of `id`, newest first, as the checks saw it.
    pub async fn provider_history(
        &self,
        id: DirectoryId,
    ) -> Result<Vec<ProviderChange>, WorkspaceError> {
        // An unknown directory is an error, not an empty history.
        self.get(id).await?;
        let rows = stored::history(self.store().pool(), &id.to_string()).await?;
        Ok(rows
            .into_iter()
            .map(|r| ProviderChange {
                at: r.changed_at,
                severity: Severity::parse(&r.severity).unwrap_or(Severity::Info),
                code: r.code,
                message: r.message,
            })
            .collect())
    }

    /// Every directory's kept health, by id, for the list.
    pub(super) async fn health_rows(
        &self,
    ) -> Result<std::collections::HashMap<String, HealthRow>, WorkspaceError> {
        Ok(stored::all(self.store().pool()).await?)
    }

    /// Asks the provider of a stored directory whether it accepts the directory's client
    /// secret: one token request, or none when no secret is stored.
    pub async fn probe_secret(
        &self,
        id: DirectoryId,
        http: &HttpClient,
    ) -> Result<SecretProbe, WorkspaceError> {
        let detail = self.get(id).await?;
        let secret = self.client_secret(id).await?;
        let probe = probe_secret(http, &detail.document, secret.as_ref()).await;
        let id = id.to_string();
        stored::record_probes(
            self.store().pool(),
            &now(),
            &[(&id, probe.verdict.as_str())],
        )
        .await?;
        Ok(probe)
    }

    /// The secret probe of every stored directory, `bound` at a time, in name order.
    pub async fn probe_secrets(
        &self,
        http: &HttpClient,
        bound: usize,
    ) -> Result<Vec<DirectoryProbe>, WorkspaceError> {
        let documents = self.documents().await?;
        let probes = self.probe_all(http, &documents, bound).await?;
        Ok(documents
            .into_iter()
            .zip(probes)
            .filter_map(|(doc, probe)| {
                Some(DirectoryProbe {
                    id: doc.id?,
                    probe: probe?,
                })
            })
            .collect())
    }

    /// One probe per directory, `bound` at a time, in the order of `documents`.
    async fn probe_all(
        &self,
        http: &HttpClient,
        documents: &[DirectoryDocument],
        bound: usize,
    ) -> Result<Vec<Option<SecretProbe>>, WorkspaceError> {
        let permits = Arc::new(Semaphore::new(bound.max(1)));
        let mut tasks = tokio::task::JoinSet::new();
        for (i, doc) in documents.iter().enumerate() {
            let id = DirectoryId::parse(doc.id.as_deref().unwrap_or_default())
                .map_err(|e| WorkspaceError::Store(StoreError::NotFound(e)))?;
            let (ws, http, doc, permits) =
                (self.clone(), http.clone(), doc.clone(), permits.clone());
            // Each task reads its secret from the keyring too, so the reads overlap. A secret
            // the keyring will not give is that directory's verdict, not the whole run's end.
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                let probe = match ws.client_secret(id).await {
                    Ok(secret) => probe_secret(&http, &doc, secret.as_ref()).await,
                    Err(e) => SecretProbe::unasked(format!(
                        "the client secret could not be read from the keyring ({e}), so the provider was not asked; unlock the keyring and check again"
                    )),
                };
                (i, probe)
            });
        }
        let mut out = vec![None; documents.len()];
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok((i, probe)) => out[i] = Some(probe),
                Err(e) => tracing::error!(error = %e, "a secret probe stopped without a verdict"),
            }
        }
        let verdicts: Vec<(&str, &str)> = documents
            .iter()
            .zip(&out)
            .filter_map(|(doc, probe)| Some((doc.id.as_deref()?, probe.as_ref()?.verdict.as_str())))
            .collect();
        stored::record_probes(self.store().pool(), &now(), &verdicts).await?;
        Ok(out)
    }
}

/// What is kept of one check besides its fields: the changes it saw and the snapshot as JSON.
struct Kept {
    changes: Vec<ChangeRow>,
    snapshot_json: Option<String>,
}

impl Kept {
    fn of(check: &DirectoryCheck, at: &str) -> Self {
        let changes = check
            .findings
            .iter()
            .filter(|f| f.code.starts_with(discovery::DRIFT_PREFIX))
            .map(|f| ChangeRow {
                changed_at: at.to_owned(),
                severity: f.severity.as_str().to_owned(),
                code: f.code.clone(),
                message: f.message.clone(),
            })
            .collect();
        let snapshot_json = check
            .snapshot
            .as_ref()
            .and_then(|s| serde_json::to_string(s).ok());
        Self {
            changes,
            snapshot_json,
        }
    }

    fn record<'a>(&'a self, check: &'a DirectoryCheck, at: &'a str) -> CheckRecord<'a> {
        let first_error = check
            .findings
            .iter()
            .find(|f| f.severity == Severity::Error)
            .map(|f| f.message.as_str());
        CheckRecord {
            at,
            status: check.status.as_str(),
            problem: check.problem.as_deref().or(first_error),
            snapshot_json: self.snapshot_json.as_deref(),
            changes: &self.changes,
        }
    }
}
