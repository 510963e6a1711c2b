//! Findings: what a check found, how bad it is, and the one-line fix.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ScimSeverity")]
pub enum Severity {
    /// Provisioning fails or does the wrong thing.
    Error,
    /// Works with some providers or some users only, or against the standard.
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
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimFinding")]
pub struct Finding {
    /// How much it matters.
    pub severity: Severity,
    /// A stable code scripts and the UI can branch on (`token_rejected`, `patch_unsupported`…).
    pub code: String,
    /// What was found, for a person.
    pub message: String,
    /// What to do about it, in one line; empty when nothing needs doing.
    pub fix: String,
    /// The attribute, mapping or request it concerns, when there is one
    /// (`urn:…:ilms:2.0:User:region`, `mappings[3]`).
    pub subject: Option<String>,
}

impl Finding {
    /// A finding without a subject.
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
            subject: None,
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

    /// `error: message — fix`, for terminals.
    pub fn line(&self) -> String {
        let mut line = format!("{}: {}", self.severity.as_str(), self.message);
        if let Some(subject) = &self.subject {
            line = format!("{} [{subject}]", line);
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
