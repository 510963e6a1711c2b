//! Microsoft Entra's attribute-mapping expression language (C14), as the provisioning service
//! evaluates it: `[attribute]` references, `"text"` literals (`\"` for a quote inside), integers,
//! empty arguments (null), `=` comparisons and function calls such as `Split([folders], ",")`.
//!
//! A tokenizer and a recursive-descent parser turn the text into a tree, checking every
//! function's name and argument count; errors name the character where things went wrong
//! (1-based). Evaluation reads a [`Source`] of attributes. The functions and their null rules
//! are documented in `docs/scim-mappings.md`.

mod eval;
mod functions;
mod lexer;
mod parser;
#[cfg(test)]
mod tests;
mod user;

pub use eval::{Source, Value};
pub use functions::Function;
pub use parser::MAX_NESTING;
pub use user::SourceUser;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The longest expression accepted, in characters.
pub const MAX_LENGTH: usize = 4096;

/// Why an expression cannot be parsed, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[ts(
    export,
    export_to = "ScimExpressionError.ts",
    rename = "ScimExpressionError"
)]
#[error("at character {position}: {message}")]
pub struct SyntaxError {
    /// 1-based position of the character where the problem is.
    pub position: usize,
    /// What is wrong and what to write instead.
    pub message: String,
}

impl SyntaxError {
    pub(crate) fn at(index: usize, message: impl Into<String>) -> Self {
        Self {
            position: index + 1,
            message: message.into(),
        }
    }
}

/// Why an expression that parsed could not be evaluated for a user, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at character {position}: {message}")]
pub struct EvalError {
    /// 1-based position of the call or argument concerned.
    pub position: usize,
    /// What went wrong.
    pub message: String,
}

impl EvalError {
    pub(crate) fn at(index: usize, message: impl Into<String>) -> Self {
        Self {
            position: index + 1,
            message: message.into(),
        }
    }
}

impl From<EvalError> for SyntaxError {
    fn from(e: EvalError) -> Self {
        Self {
            position: e.position,
            message: e.message,
        }
    }
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expression {
    text: String,
    root: parser::Node,
}

impl Expression {
    /// Parses an expression.
    pub fn parse(text: &str) -> Result<Self, SyntaxError> {
        let length = text.chars().count();
        if length > MAX_LENGTH {
            return Err(SyntaxError::at(
                MAX_LENGTH,
                format!("the expression is {length} characters long; the limit is {MAX_LENGTH}"),
            ));
        }
        Ok(Self {
            text: text.to_owned(),
            root: parser::parse(text)?,
        })
    }

    /// The text it was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Evaluates it against a source.
    pub fn evaluate(&self, source: &dyn Source) -> Result<Value, EvalError> {
        eval::evaluate(&self.root, source)
    }

    /// The source attributes it reads, in order of first appearance.
    pub fn attributes(&self) -> Vec<String> {
        fn walk(node: &parser::Node, out: &mut Vec<String>) {
            match &node.kind {
                parser::NodeKind::Attribute(name) if !out.contains(name) => {
                    out.push(name.clone());
                }
                parser::NodeKind::Equals(a, b) => {
                    walk(a, out);
                    walk(b, out);
                }
                parser::NodeKind::Call(_, args) => args.iter().for_each(|a| walk(a, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut out);
        out
    }
}

/// A function of the language, for the mapping editor's reference list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "ScimFunctionInfo.ts", rename = "ScimFunctionInfo")]
pub struct FunctionInfo {
    /// The name, as Entra spells it.
    pub name: String,
    /// The call with its parameters.
    pub signature: String,
    /// What it does, in one line.
    pub summary: String,
}

/// Every function the console evaluates.
pub fn functions() -> Vec<FunctionInfo> {
    Function::ALL
        .iter()
        .map(|f| FunctionInfo {
            name: f.name().to_owned(),
            signature: f.signature().to_owned(),
            summary: f.summary().to_owned(),
        })
        .collect()
}

/// An expression checked as the mapping editor types it: its syntax, the attributes it reads,
/// and its value for a sample user when one is given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(
    export,
    export_to = "ScimExpressionCheck.ts",
    rename = "ScimExpressionCheck"
)]
pub struct ExpressionCheck {
    /// Whether it parses (and evaluates, when a user was given).
    pub ok: bool,
    /// The syntax or evaluation error, with its character position.
    pub error: Option<SyntaxError>,
    /// The source attributes it reads.
    pub attributes: Vec<String>,
    /// Its value for the user (null when none was given or it failed).
    #[ts(type = "unknown")]
    pub value: serde_json::Value,
}

/// Checks an expression, and evaluates it for `user` when given.
pub fn check(text: &str, user: Option<&serde_json::Value>) -> ExpressionCheck {
    let expression = match Expression::parse(text) {
        Ok(expression) => expression,
        Err(error) => {
            return ExpressionCheck {
                ok: false,
                error: Some(error),
                attributes: Vec::new(),
                value: serde_json::Value::Null,
            }
        }
    };
    let attributes = expression.attributes();
    match user {
        None => ExpressionCheck {
            ok: true,
            error: None,
            attributes,
            value: serde_json::Value::Null,
        },
        Some(user) => match expression.evaluate(&SourceUser(user.clone())) {
            Ok(value) => ExpressionCheck {
                ok: true,
                error: None,
                attributes,
                value: value.to_json(),
            },
            Err(error) => ExpressionCheck {
                ok: false,
                error: Some(error.into()),
                attributes,
                value: serde_json::Value::Null,
            },
        },
    }
}
