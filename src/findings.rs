//! Findings: what a check noticed, how much it matters, and the one-line fix. Discovery, the
//! SCIM checks and the routing check all report in this one shape, and the UI shows them with
//! one component.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::directory::DirectoryRef;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Severity {
    /// It will fail: a sign-in, provisioning, or routing someone.
    Error,
    /// It may fail or behave unexpectedly, for some providers or some users.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// The lower-case word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }

    /// The severity [`as_str`](Self::as_str) wrote.
    pub fn parse(word: &str) -> Option<Self> {
        [Self::Error, Self::Warning, Self::Info]
            .into_iter()
            .find(|s| s.as_str() == word)
    }
}

/// One thing a check noticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Finding {
    /// How much it matters.
    pub severity: Severity,
    /// A stable code scripts and the UI can branch on (`issuer_mismatch`, `token_rejected`…).
    pub code: String,
    /// What was found, for a person.
    pub message: String,
    /// What to do about it, in one line; empty when nothing needs doing or the message says it.
    pub fix: String,
    /// The directory field concerned, when there is one (`issuer`).
    pub field: Option<String>,
    /// The attribute, mapping, request or domain it concerns, when there is one
    /// (`urn:…:ilms:2.0:User:region`, `mappings[3]`, `contoso.com`).
    pub subject: Option<String>,
    /// The directories concerned (routing).
    pub directories: Vec<DirectoryRef>,
}

impl Finding {
    /// A finding about nothing in particular.
    pub fn new(
        severity: Severity,
        code: &str,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            severity,
            code: code.to_owned(),
            message: message.into(),
            fix: fix.into(),
            field: None,
            subject: None,
            directories: Vec::new(),
        }
    }

    /// An error.
    pub fn error(code: &str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message, fix)
    }

    /// A warning.
    pub fn warning(code: &str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message, fix)
    }

    /// An information.
    pub fn info(code: &str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Self::new(Severity::Info, code, message, fix)
    }

    /// The same finding about `subject`.
    pub fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// The same finding about a directory field.
    pub fn at_field(mut self, field: Option<&str>) -> Self {
        self.field = field.map(str::to_owned);
        self
    }

    /// The same finding about these directories.
    pub fn naming(mut self, directories: Vec<DirectoryRef>) -> Self {
        self.directories = directories;
        self
    }

    /// `error: message [subject] — fix`, for terminals.
    pub fn line(&self) -> String {
        let mut line = format!("{}: {}", self.severity.as_str(), self.message);
        if let Some(subject) = &self.subject {
            line = format!("{line} [{subject}]");
        }
        if !self.fix.is_empty() {
            line.push_str(&format!(" — {}", self.fix));
        }
        line
    }
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}
