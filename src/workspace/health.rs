//! Connection health without a user: each directory's discovery check, its secret's expiry
//! and, on request, whether the provider still accepts its client secret.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use ts_rs::TS;

use super::{Workspace, WorkspaceError};
use crate::discovery::{check_all, CheckStatus, DirectoryCheck};
use crate::expiry::SecretExpiry;
use crate::http::HttpClient;
use crate::ids::DirectoryId;
use crate::signin::{probe_secret, ProbeVerdict, SecretProbe};
use crate::store::StoreError;

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
    /// Why it needs attention, in people's words; empty when it is healthy.
    pub attention: Vec<String>,
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
        self.attention.is_empty()
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
        let summaries = self.list("").await?;
        // The probes run beside the discovery fetches, each side `bound` at a time.
        let (checks, probes) = tokio::join!(check_all(http, &documents, bound, |_, _| {}), async {
            if probe {
                self.probe_all(http, &documents, bound).await
            } else {
                Ok(vec![None; documents.len()])
            }
        });
        let probes = probes?;
        Ok(checks
            .into_iter()
            .zip(probes)
            .map(|(check, probe)| {
                let secret_expiry = summaries
                    .iter()
                    .find(|s| s.id == check.id)
                    .map_or(SecretExpiry::NotSet, |s| s.secret_expiry);
                let attention = attention(&check, secret_expiry, probe.as_ref());
                DirectoryHealth {
                    id: check.id.clone(),
                    name: check.name.clone(),
                    check,
                    secret_expiry,
                    probe,
                    attention,
                }
            })
            .collect())
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
        Ok(probe_secret(http, &detail.document, secret.as_ref()).await)
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
        documents: &[crate::directory::DirectoryDocument],
        bound: usize,
    ) -> Result<Vec<Option<SecretProbe>>, WorkspaceError> {
        let permits = Arc::new(Semaphore::new(bound.max(1)));
        let mut tasks = tokio::task::JoinSet::new();
        for (i, doc) in documents.iter().enumerate() {
            let id = DirectoryId::parse(doc.id.as_deref().unwrap_or_default())
                .map_err(|e| WorkspaceError::Store(StoreError::NotFound(e)))?;
            let secret = self.client_secret(id).await?;
            let (http, doc, permits) = (http.clone(), doc.clone(), permits.clone());
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                (i, probe_secret(&http, &doc, secret.as_ref()).await)
            });
        }
        let mut out = vec![None; documents.len()];
        while let Some(joined) = tasks.join_next().await {
            if let Ok((i, probe)) = joined {
                out[i] = Some(probe);
            }
        }
        Ok(out)
    }
}

/// Why a directory needs attention, one phrase per reason.
fn attention(
    check: &DirectoryCheck,
    expiry: SecretExpiry,
    probe: Option<&SecretProbe>,
) -> Vec<String> {
    let mut out = Vec::new();
    match check.status {
        CheckStatus::Errors => out.push(format!("discovery found {} error(s)", check.errors)),
        CheckStatus::Failed => out.push(format!(
            "discovery failed: {}",
            check.problem.as_deref().unwrap_or("no answer")
        )),
        CheckStatus::Ok | CheckStatus::Warnings | CheckStatus::Skipped => {}
    }
    if expiry.needs_attention() {
        out.push(format!("the client secret {}", expiry.describe()));
    }
    if let Some(p) = probe {
        if p.verdict != ProbeVerdict::Accepted {
            out.push(format!("{}: {}", p.verdict.label(), p.message));
        }
    }
    out
}
