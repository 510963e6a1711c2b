//! The run's log: each step's request sent, its answer judged by status and recorded; and what
//! the steps share — the names of the write steps, the paths and ids of what they address.

use reqwest::Method;
use serde_json::Value as Json;
use tokio_util::sync::CancellationToken;

use super::judge::judge_status;
use super::report::{DryRunOptions, DryRunReport, DryRunStep, StepStatus};
use crate::findings::Finding;
use crate::scim::client::{Response, ScimClient};
use crate::scim::path::field;

/// A request of a step.
pub(super) struct Req<'a> {
    method: Method,
    path: &'a str,
    query: &'a [(&'a str, &'a str)],
    body: Option<&'a Json>,
}

impl<'a> Req<'a> {
    pub(super) fn get(path: &'a str, query: &'a [(&'a str, &'a str)]) -> Self {
        Self {
            method: Method::GET,
            path,
            query,
            body: None,
        }
    }
    pub(super) fn send(method: Method, path: &'a str, body: &'a Json) -> Self {
        Self {
            method,
            path,
            query: &[],
            body: Some(body),
        }
    }
    pub(super) fn delete(path: &'a str) -> Self {
        Self {
            method: Method::DELETE,
            path,
            query: &[],
            body: None,
        }
    }
}

/// A dry run under way: the steps so far, and what the server has shown it takes.
pub(super) struct Run<'a> {
    client: &'a ScimClient,
    cancel: &'a CancellationToken,
    pub(super) steps: Vec<DryRunStep>,
    /// The first PATCH the server took ("PATCH /Users/…"), so a refused one elsewhere is not
    /// called a server without PATCH.
    patch_taken: Option<String>,
}

impl<'a> Run<'a> {
    /// A run with no step yet.
    pub(super) fn new(client: &'a ScimClient, cancel: &'a CancellationToken) -> Self {
        Self {
            client,
            cancel,
            steps: Vec::new(),
            patch_taken: None,
        }
    }

    /// Records a step that was not run, and why.
    pub(super) fn skip(&mut self, name: &str, reason: &str) {
        self.steps.push(DryRunStep {
            name: name.into(),
            status: StepStatus::Skipped,
            exchange: None,
            findings: Vec::new(),
            note: Some(reason.into()),
            cleanup: false,
        });
    }

    /// Whether the last step was left out because the run was cancelled.
    pub(super) fn last_not_sent(&self) -> bool {
        self.steps
            .last()
            .is_some_and(|s| s.status == StepStatus::Skipped && s.note.as_deref() == Some(NOT_SENT))
    }

    /// Sends a request, judges its status against `expected` and records the step. Once the
    /// run is cancelled only clean-up steps are sent; the others are recorded as not sent.
    pub(super) async fn step(
        &mut self,
        name: &str,
        request: Req<'_>,
        expected: &[u16],
        cleanup: bool,
    ) -> (Response, bool) {
        let Req {
            method,
            path,
            query,
            body,
        } = request;
        if !cleanup && self.cancel.is_cancelled() {
            self.skip(name, NOT_SENT);
            return (Response::not_sent(method, path), false);
        }
        let response = self
            .client
            .send(method.clone(), path, query, body, &[])
            .await;
        let (ok, findings) = judge_status(
            self.client,
            self.patch_taken.as_deref(),
            &response,
            &method,
            expected,
        );
        if ok && method == Method::PATCH && self.patch_taken.is_none() {
            self.patch_taken = Some(format!("PATCH {path}"));
        }
        let status = if !ok {
            StepStatus::Failed
        } else if findings.is_empty() {
            StepStatus::Passed
        } else {
            StepStatus::Warning
        };
        self.steps.push(DryRunStep {
            name: name.into(),
            status,
            exchange: Some(response.exchange.clone()),
            findings,
            note: None,
            cleanup,
        });
        (response, ok)
    }

    fn last(&mut self) -> Option<&mut DryRunStep> {
        self.steps.last_mut()
    }

    /// Adds a finding to the last step; an error fails it, a warning marks a passed one.
    pub(super) fn add_finding(&mut self, finding: Finding) {
        if let Some(step) = self.last() {
            match finding.severity {
                crate::findings::Severity::Error => step.status = StepStatus::Failed,
                crate::findings::Severity::Warning if step.status == StepStatus::Passed => {
                    step.status = StepStatus::Warning
                }
                _ => {}
            }
            step.findings.push(finding);
        }
    }
}

/// What a step left out by a cancel says.
const NOT_SENT: &str = "not sent: the dry run was cancelled";

/// The write steps, in order (for skipping them by name).
pub(super) const WRITE_STEPS: [&str; 12] = [
    "create the user",
    "read the user back by id",
    "update the user (PATCH, or Okta's PUT)",
    "create a group",
    "add the user to the group",
    "read the group without its members (excludedAttributes=members)",
    "remove the user from the group",
    "delete the group",
    "deactivate the user (active = false)",
    "confirm the deactivation with the matching filter",
    "delete the user",
    "confirm the user is gone (404)",
];

/// The id of the resource a create answered with.
pub(super) fn returned_id(response: &Response) -> Option<String> {
    match response.json.as_ref().and_then(|j| field(j, "id")) {
        Some(Json::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Json::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// The path of the resource `id` in `collection` (`/Users`, `/Groups`).
pub(super) fn resource_path(collection: &str, id: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
    format!("{collection}/{}", encoded.replace('+', "%20"))
}

/// The report of a run that has ended.
pub(super) fn finish(
    client: &ScimClient,
    run: Run<'_>,
    options: DryRunOptions,
    test_user_name: Option<String>,
    leftovers: Vec<String>,
) -> DryRunReport {
    let cancelled = run.cancel.is_cancelled();
    let passed = !cancelled
        && !run.steps.iter().any(|s| s.status == StepStatus::Failed)
        && leftovers.is_empty();
    DryRunReport {
        cancelled,
        base_url: client.base().to_string(),
        options,
        test_user_name,
        cleaned_up: leftovers.is_empty(),
        leftovers,
        steps: run.steps,
        passed,
    }
}
