//! The dry run's report: the options it ran with, and each step with its status, request and
//! findings.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::findings::Finding;
use crate::scim::client::Exchange;

/// How the dry run goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimDryRunOptions")]
pub struct DryRunOptions {
    /// Send GET requests only: look the user up and list users and groups, write nothing.
    pub read_only: bool,
    /// Write PATCH requests as Entra does (`"Replace"`, booleans as `"False"`, member removal
    /// by value).
    pub entra_quirks: bool,
    /// Send the sample user's identifying values as they are, without the unique tag. Only
    /// for a user known not to exist on the server.
    pub keep_values: bool,
}

/// How a step went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ScimStepStatus")]
pub enum StepStatus {
    /// As a provider expects.
    Passed,
    /// Works, with something worth knowing.
    Warning,
    /// Not as a provider expects.
    Failed,
    /// Not run, with the reason in `note`.
    Skipped,
}

/// One step of the dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimDryRunStep")]
pub struct DryRunStep {
    /// What the step does ("create the user").
    pub name: String,
    /// How it went.
    pub status: StepStatus,
    /// The request and answer, when one was sent.
    pub exchange: Option<Exchange>,
    /// What was found.
    pub findings: Vec<Finding>,
    /// Why it was skipped, or what it established.
    pub note: Option<String>,
    /// Whether it is part of the final clean-up.
    pub cleanup: bool,
}

/// The dry run's log and outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimDryRunReport")]
pub struct DryRunReport {
    /// The tenant URL.
    pub base_url: String,
    /// The options used.
    pub options: DryRunOptions,
    /// The test user's userName as sent (tagged).
    pub test_user_name: Option<String>,
    /// Every step, clean-up included, in order.
    pub steps: Vec<DryRunStep>,
    /// Whether everything created was deleted again.
    pub cleaned_up: bool,
    /// What is left on the server and should be deleted by hand.
    pub leftovers: Vec<String>,
    /// Whether no step failed (and the run was not cancelled).
    pub passed: bool,
    /// Whether the run was cancelled: the steps after it were not sent, and the clean-up
    /// still deleted what had been created.
    pub cancelled: bool,
}
