//! Errors as they cross the IPC boundary: `{ kind, message, field, fields }`, so the UI can branch
//! on the kind and put each message next to the field it concerns.

use serde::Serialize;
use sso_console::directory::FieldError;
use sso_console::error_kind::{ErrorKind, FrontEnd};
use sso_console::WorkspaceError;
use ts_rs::TS;

/// A command's failure, as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CommandError {
    /// What kind of failure, for the UI to branch on.
    pub kind: ErrorKind,
    /// What went wrong and what to do, for a person.
    pub message: String,
    /// The first field concerned, when there is one.
    pub field: Option<String>,
    /// Every field concerned, each with its message.
    pub fields: Vec<FieldError>,
}

impl CommandError {
    /// An error of the given kind with no field.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            field: None,
            fields: Vec::new(),
        }
    }

    /// A validation error about one field.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            kind: ErrorKind::Validation,
            field: Some(field.to_owned()),
            fields: vec![FieldError::new(field, message.clone())],
            message,
        }
    }
}

impl From<WorkspaceError> for CommandError {
    fn from(error: WorkspaceError) -> Self {
        let fields = error.fields();
        Self {
            kind: error.kind(),
            message: error.message(FrontEnd::App),
            field: fields.first().map(|f| f.field.clone()),
            fields,
        }
    }
}
