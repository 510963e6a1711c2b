//! "Check all directories": discovery and key set for every directory, concurrently with a bound.
//! Directories behind the same provider share one fetch, so a provider is asked once per run.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use ts_rs::TS;

use super::{discovery_url, fetch, report, DiscoveryError, Fetched, ProviderSnapshot};
use crate::directory::DirectoryDocument;
use crate::findings::{Finding, Severity};
use crate::http::HttpClient;

/// How many providers are fetched at once unless told otherwise. Each fetch mostly waits on the
/// network, so the bound is set by the target of DESIGN §5 (200 directories whose providers
/// answer in 100 ms, checked in under 1 s: at least 50 at once), not by the machine's cores.
pub const DEFAULT_BOUND: usize = 64;

/// How the check of one directory went, most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CheckStatus {
    /// The provider's document could not be had.
    Failed,
    /// At least one error finding.
    Errors,
    /// Warnings, no error.
    Warnings,
    /// Nothing worse than information.
    Ok,
    /// Nothing to discover from: no discovery domain and no issuer.
    Skipped,
}

impl CheckStatus {
    /// The lower-case word `ssoctl` prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Failed => "failed",
            Self::Errors => "errors",
            Self::Warnings => "warnings",
            Self::Ok => "ok",
            Self::Skipped => "skipped",
        }
    }

    /// The status [`as_str`](Self::as_str) wrote.
    pub fn parse(word: &str) -> Option<Self> {
        [
            Self::Failed,
            Self::Errors,
            Self::Warnings,
            Self::Ok,
            Self::Skipped,
        ]
        .into_iter()
        .find(|s| s.as_str() == word)
    }
}

/// The outcome for one directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DirectoryCheck {
    /// The directory's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Where discovery started: the discovery domain, else the issuer.
    pub input: Option<String>,
    /// How it went.
    pub status: CheckStatus,
    /// Number of error findings.
    pub errors: u32,
    /// Number of warning findings.
    pub warnings: u32,
    /// The findings.
    pub findings: Vec<Finding>,
    /// Why the document could not be had, or why the directory was skipped.
    pub problem: Option<String>,
    /// What was fetched, reduced to what the next check compares (drift); `None` when nothing
    /// was fetched.
    #[serde(skip)]
    #[ts(skip)]
    pub snapshot: Option<ProviderSnapshot>,
}

impl DirectoryCheck {
    /// Adds findings (what changed since the last check) and updates the status and counts.
    pub fn add_findings(&mut self, findings: Vec<Finding>) {
        if findings.is_empty() || self.status == CheckStatus::Failed {
            return;
        }
        self.findings.extend(findings);
        self.findings.sort_by_key(|f| f.severity);
        self.status = status_of(&self.findings);
        self.errors = count(&self.findings, Severity::Error);
        self.warnings = count(&self.findings, Severity::Warning);
    }
}

fn status_of(findings: &[Finding]) -> CheckStatus {
    match findings.iter().map(|f| f.severity).min() {
        Some(Severity::Error) => CheckStatus::Errors,
        Some(Severity::Warning) => CheckStatus::Warnings,
        _ => CheckStatus::Ok,
    }
}

fn count(findings: &[Finding], severity: Severity) -> u32 {
    findings.iter().filter(|f| f.severity == severity).count() as u32
}

/// Where discovery starts for a stored directory: its discovery domain, else its issuer.
pub fn discovery_input(doc: &DirectoryDocument) -> Option<String> {
    [&doc.discovery_domain, &doc.issuer]
        .into_iter()
        .flatten()
        .map(|s| s.trim())
        .find(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Checks every directory; `progress(done, total)` is called as providers finish.
pub async fn check_all(
    client: &HttpClient,
    directories: &[DirectoryDocument],
    bound: usize,
    progress: impl Fn(usize, usize) + Send + Sync + 'static,
) -> Vec<DirectoryCheck> {
    let mut urls: Vec<url::Url> = Vec::new();
    let mut index: HashMap<url::Url, usize> = HashMap::new();
    let mut planned: Vec<Result<usize, String>> = Vec::with_capacity(directories.len());
    for doc in directories {
        planned.push(match discovery_input(doc).map(|i| discovery_url(&i)) {
            None => Err("no discovery domain or issuer to start from".to_owned()),
            Some(Err(why)) => Err(why),
            Some(Ok(url)) => Ok(*index.entry(url.clone()).or_insert_with(|| {
                urls.push(url);
                urls.len() - 1
            })),
        });
    }
    let fetched = fetch_all(client, urls, bound, progress).await;
    directories
        .iter()
        .zip(planned)
        .map(|(doc, plan)| {
            let outcome = plan.and_then(|i| match &fetched.get(&i) {
                Some(Ok(f)) => Ok((report(f, Some(doc)).findings, ProviderSnapshot::of(f))),
                Some(Err(e)) => Err(e.to_string()),
                None => Err("not fetched".to_owned()),
            });
            summarise(doc, outcome)
        })
        .collect()
}

async fn fetch_all(
    client: &HttpClient,
    urls: Vec<url::Url>,
    bound: usize,
    progress: impl Fn(usize, usize) + Send + Sync + 'static,
) -> HashMap<usize, Result<Fetched, DiscoveryError>> {
    let total = urls.len();
    let permits = Arc::new(Semaphore::new(bound.max(1)));
    let progress = Arc::new(progress);
    let mut tasks = tokio::task::JoinSet::new();
    for (i, url) in urls.into_iter().enumerate() {
        let client = client.clone();
        let permits = permits.clone();
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            (i, fetch(&client, &url).await)
        });
    }
    let mut out = HashMap::with_capacity(total);
    progress(0, total);
    while let Some(joined) = tasks.join_next().await {
        if let Ok((i, result)) = joined {
            out.insert(i, result);
        }
        progress(out.len(), total);
    }
    out
}

fn summarise(
    doc: &DirectoryDocument,
    outcome: Result<(Vec<Finding>, ProviderSnapshot), String>,
) -> DirectoryCheck {
    let input = discovery_input(doc);
    let (status, findings, problem, snapshot) = match outcome {
        Err(problem) if input.is_none() => (CheckStatus::Skipped, Vec::new(), Some(problem), None),
        Err(problem) => (CheckStatus::Failed, Vec::new(), Some(problem), None),
        Ok((findings, snapshot)) => (status_of(&findings), findings, None, Some(snapshot)),
    };
    DirectoryCheck {
        id: doc.id.clone().unwrap_or_default(),
        name: doc.name.clone(),
        input,
        status,
        errors: count(&findings, Severity::Error),
        warnings: count(&findings, Severity::Warning),
        findings,
        problem,
        snapshot,
    }
}
