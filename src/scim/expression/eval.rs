//! Evaluates a parsed expression against a source user's attributes.
//!
//! Null rules (as documented in docs/scim-mappings.md): a missing attribute is null; text
//! functions given null give null (so that the mapping's "default value if null" applies),
//! except `Left`, which gives "" as Entra documents; text functions given a multi-valued
//! attribute apply to each value.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::functions::Function;
use super::parser::{Node, NodeKind};
use super::EvalError;

/// A value during evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// No value: a missing attribute, an empty argument, a function's "nothing".
    Null,
    /// Text.
    Text(String),
    /// A boolean (conditions, `IsPresent`…, boolean source attributes).
    Bool(bool),
    /// An integer.
    Number(i64),
    /// A multi-valued attribute or the result of `Split`.
    List(Vec<String>),
}

impl Value {
    /// The value as text the way Entra renders it (booleans as `True`/`False`); `None` for null
    /// and for lists.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Self::Null | Self::List(_) => None,
            Self::Text(s) => Some(s.clone()),
            Self::Bool(b) => Some(if *b { "True" } else { "False" }.to_owned()),
            Self::Number(n) => Some(n.to_string()),
        }
    }

    /// The bytes of text the value holds (all items of a list together).
    fn text_len(&self) -> usize {
        match self {
            Self::Text(s) => s.len(),
            Self::List(items) => items.iter().map(String::len).sum(),
            Self::Null | Self::Bool(_) | Self::Number(_) => 0,
        }
    }

    /// Null, empty text or an empty list.
    pub fn is_null_or_empty(&self) -> bool {
        match self {
            Self::Null => true,
            Self::Text(s) => s.is_empty(),
            Self::List(items) => items.is_empty(),
            Self::Bool(_) | Self::Number(_) => false,
        }
    }

    /// The value as JSON, for the SCIM payload.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Self::Null => serde_json::Value::Null,
            Self::Text(s) => serde_json::Value::String(s.clone()),
            Self::Bool(b) => serde_json::Value::Bool(*b),
            Self::Number(n) => serde_json::Value::from(*n),
            Self::List(items) => items
                .iter()
                .cloned()
                .map(serde_json::Value::String)
                .collect(),
        }
    }

    /// A source attribute's JSON value as an expression value: numbers become text, arrays of
    /// scalars become lists, objects (which no function reads) become null.
    pub fn from_json(value: &serde_json::Value) -> Self {
        use serde_json::Value as J;
        match value {
            J::Null | J::Object(_) => Self::Null,
            J::Bool(b) => Self::Bool(*b),
            J::Number(n) => Self::Text(n.to_string()),
            J::String(s) => Self::Text(s.clone()),
            J::Array(items) => Self::List(
                items
                    .iter()
                    .filter_map(|item| match item {
                        J::String(s) => Some(s.clone()),
                        J::Number(n) => Some(n.to_string()),
                        J::Bool(b) => Some(if *b { "True" } else { "False" }.to_owned()),
                        // An object in a list (an Entra app role assignment, an email entry):
                        // its "value" is what expressions read.
                        J::Object(map) => map.get("value").and_then(|v| match v {
                            J::String(s) => Some(s.clone()),
                            _ => None,
                        }),
                        _ => None,
                    })
                    .collect(),
            ),
        }
    }
}

/// Where `[attribute]` references are read from.
pub trait Source {
    /// The attribute's value, or [`Value::Null`] when the source has none.
    fn attribute(&self, name: &str) -> Value;
}

/// Evaluates a node.
pub fn evaluate(node: &Node, source: &dyn Source) -> Result<Value, EvalError> {
    match &node.kind {
        NodeKind::Attribute(name) => Ok(source.attribute(name)),
        NodeKind::Text(text) => Ok(Value::Text(text.clone())),
        NodeKind::Number(n) => Ok(Value::Number(*n)),
        NodeKind::Empty => Ok(Value::Null),
        NodeKind::Equals(left, right) => {
            let left = evaluate(left, source)?;
            let right = evaluate(right, source)?;
            Ok(Value::Bool(equal(&left, &right)))
        }
        NodeKind::Call(function, args) => {
            let value = call(*function, node, args, source)?;
            // Nested calls can multiply the text at each level (a Replace of the empty
            // string): a result past the limit stops the evaluation at that call.
            if value.text_len() > MAX_VALUE_BYTES {
                return Err(EvalError::at(
                    node.start,
                    format!(
                        "{} gives a value longer than {} KiB, far beyond any attribute a SCIM server stores; simplify the expression",
                        function.name(),
                        MAX_VALUE_BYTES / 1024
                    ),
                ));
            }
            Ok(value)
        }
    }
}

/// The longest value an expression may produce, in bytes of text.
pub const MAX_VALUE_BYTES: usize = 64 * 1024;

fn equal(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Null, Value::Null) => true,
        (Value::List(a), Value::List(b)) => a == b,
        _ => match (left.as_text(), right.as_text()) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        },
    }
}

fn call(
    function: Function,
    node: &Node,
    args: &[Node],
    source: &dyn Source,
) -> Result<Value, EvalError> {
    let arg = |i: usize| -> Result<Value, EvalError> {
        match args.get(i) {
            Some(node) => evaluate(node, source),
            None => Ok(Value::Null),
        }
    };
    let at = |i: usize| args.get(i).map_or(node.start, |a| a.start);
    match function {
        Function::Append => {
            let suffix = text_or_empty(&arg(1)?, at(1), "Append's suffix")?;
            Ok(map_text(arg(0)?, |s| format!("{s}{suffix}")))
        }
        Function::Coalesce => {
            for i in 0..args.len() {
                let value = arg(i)?;
                if !value.is_null_or_empty() {
                    return Ok(value);
                }
            }
            Ok(Value::Null)
        }
        Function::Iif => {
            let condition = boolean(&arg(0)?, at(0), "IIF's condition")?;
            arg(if condition { 1 } else { 2 })
        }
        Function::IsNull => Ok(Value::Bool(arg(0)? == Value::Null)),
        Function::IsNullOrEmpty => Ok(Value::Bool(arg(0)?.is_null_or_empty())),
        Function::IsPresent => Ok(Value::Bool(!arg(0)?.is_null_or_empty())),
        Function::Not => Ok(Value::Bool(!boolean(&arg(0)?, at(0), "Not's argument")?)),
        Function::Join => {
            let separator = text_or_empty(&arg(0)?, at(0), "Join's separator")?;
            let mut parts = Vec::new();
            for i in 1..args.len() {
                match arg(i)? {
                    Value::Null => {}
                    Value::List(items) => parts.extend(items),
                    other => parts.extend(other.as_text()),
                }
            }
            Ok(if parts.is_empty() {
                Value::Null
            } else {
                Value::Text(parts.join(&separator))
            })
        }
        Function::Left => {
            let count = integer(&arg(1)?, at(1), "Left's numChars")?;
            let value = match arg(0)? {
                Value::Null => Value::Text(String::new()),
                other => other,
            };
            Ok(map_text(value, |s| {
                if count < 0 {
                    s.to_owned()
                } else {
                    s.chars().take(clamp(count)).collect()
                }
            }))
        }
        Function::Mid => {
            let start = integer(&arg(1)?, at(1), "Mid's start")?;
            if start < 1 {
                return Err(EvalError::at(
                    at(1),
                    format!("Mid's start is {start}; positions start at 1 (the first character)"),
                ));
            }
            let length = integer(&arg(2)?, at(2), "Mid's length")?;
            if length < 0 {
                return Err(EvalError::at(
                    at(2),
                    format!("Mid's length is {length}; it cannot be negative"),
                ));
            }
            Ok(map_text(arg(0)?, |s| {
                s.chars()
                    .skip(clamp(start - 1))
                    .take(clamp(length))
                    .collect()
            }))
        }
        Function::NormalizeDiacritics => Ok(map_text(arg(0)?, normalize_diacritics)),
        Function::Replace => replace(args, node, source),
        Function::SingleAppRoleAssignment => Ok(match arg(0)? {
            Value::List(items) => items.into_iter().next().map_or(Value::Null, Value::Text),
            other => other,
        }),
        Function::Split => {
            let delimiter = match arg(1)?.as_text() {
                Some(d) if !d.is_empty() => d,
                _ => {
                    return Err(EvalError::at(
                        at(1),
                        "Split's delimiter is empty; give the text that separates the values, such as \",\"",
                    ))
                }
            };
            Ok(match arg(0)? {
                Value::Null => Value::Null,
                Value::List(items) => Value::List(
                    items
                        .iter()
                        .flat_map(|s| s.split(delimiter.as_str()).map(str::to_owned))
                        .collect(),
                ),
                other => Value::List(
                    other
                        .as_text()
                        .unwrap_or_default()
                        .split(delimiter.as_str())
                        .map(str::to_owned)
                        .collect(),
                ),
            })
        }
        Function::StripSpaces => Ok(map_text(arg(0)?, |s| s.replace(' ', ""))),
        Function::Switch => {
            let value = arg(0)?;
            let mut i = 2;
            while i + 1 < args.len() {
                if equal(&value, &arg(i)?) {
                    return arg(i + 1);
                }
                i += 2;
            }
            arg(1)
        }
        Function::ToLower | Function::ToUpper => {
            if args.len() > 1 && matches!(arg(1)?, Value::List(_) | Value::Bool(_)) {
                return Err(EvalError::at(
                    at(1),
                    format!(
                        "{}'s culture must be a culture name such as \"en-US\"",
                        function.name()
                    ),
                ));
            }
            Ok(map_text(arg(0)?, |s| {
                if function == Function::ToLower {
                    s.to_lowercase()
                } else {
                    s.to_uppercase()
                }
            }))
        }
        Function::Trim => Ok(map_text(arg(0)?, |s| s.trim().to_owned())),
    }
}

fn clamp(n: i64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// Applies a text function to a value: null stays null, lists are mapped value by value.
fn map_text(value: Value, f: impl Fn(&str) -> String) -> Value {
    match value {
        Value::Null => Value::Null,
        Value::List(items) => Value::List(items.iter().map(|s| f(s)).collect()),
        other => Value::Text(f(&other.as_text().unwrap_or_default())),
    }
}

fn text_or_empty(value: &Value, at: usize, what: &str) -> Result<String, EvalError> {
    match value {
        Value::Null => Ok(String::new()),
        Value::List(_) => Err(EvalError::at(
            at,
            format!("{what} is a list of values; it must be one text"),
        )),
        other => Ok(other.as_text().unwrap_or_default()),
    }
}

fn boolean(value: &Value, at: usize, what: &str) -> Result<bool, EvalError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(false),
        Value::Text(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::Text(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(EvalError::at(
            at,
            format!(
                "{what} must be true or false, but is {}; compare it, as in [country]=\"US\", or test it with IsPresent()",
                describe(other)
            ),
        )),
    }
}

fn integer(value: &Value, at: usize, what: &str) -> Result<i64, EvalError> {
    match value {
        Value::Number(n) => Ok(*n),
        Value::Text(s) => s.trim().parse().map_err(|_| {
            EvalError::at(at, format!("{what} must be a whole number, but is \"{s}\""))
        }),
        other => Err(EvalError::at(
            at,
            format!("{what} must be a whole number, but is {}", describe(other)),
        )),
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Text(s) => format!("the text \"{s}\""),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::List(items) => format!("a list of {} values", items.len()),
    }
}

/// Letters whose mark is not a combining character in Unicode (a stroke), so that
/// decomposition alone would keep them.
fn undecomposable(c: char) -> Option<char> {
    Some(match c {
        'ø' => 'o',
        'Ø' => 'O',
        'ł' => 'l',
        'Ł' => 'L',
        'đ' => 'd',
        'Đ' => 'D',
        'ħ' => 'h',
        'Ħ' => 'H',
        'ı' => 'i',
        _ => return None,
    })
}

fn normalize_diacritics(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| undecomposable(c).unwrap_or(c))
        .nfc()
        .collect()
}

fn replace(args: &[Node], node: &Node, source: &dyn Source) -> Result<Value, EvalError> {
    let at = |i: usize| args.get(i).map_or(node.start, |a| a.start);
    let mut values = Vec::with_capacity(7);
    for arg in args {
        values.push(evaluate(arg, source)?);
    }
    let text = |i: usize| -> Result<Option<String>, EvalError> {
        match values.get(i) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::List(_)) => Err(EvalError::at(
                at(i),
                "this argument of Replace is a list of values; it must be one text",
            )),
            Some(other) => Ok(other.as_text()),
        }
    };
    let source_value = values.first().cloned().unwrap_or(Value::Null);
    let old_value = text(1)?;
    let pattern = text(2)?;
    let group = text(3)?;
    let replacement = text(4)?;
    let replacement_attribute = values.get(5).cloned().unwrap_or(Value::Null);
    let template = text(6)?;

    if let Some(old) = old_value {
        if old.is_empty() {
            return Err(EvalError::at(
                at(1),
                "Replace's oldValue is empty; give the text to replace",
            ));
        }
        if let Some(replacement) = replacement {
            return Ok(map_text(source_value, |s| s.replace(&old, &replacement)));
        }
        if let Some(template) = template {
            return Ok(match source_value.as_text() {
                Some(s) => Value::Text(template.replace(&old, &s)),
                None => Value::Null,
            });
        }
        return Err(EvalError::at(
            node.start,
            "Replace has an oldValue but neither a replacementValue nor a template to use it with",
        ));
    }
    let Some(pattern) = pattern else {
        return Err(EvalError::at(
            node.start,
            "Replace needs an oldValue or a regexPattern (its 2nd or 3rd argument)",
        ));
    };
    let regex = regex::RegexBuilder::new(&pattern)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| {
            EvalError::at(
                at(2),
                format!("the regexPattern is not a valid regular expression: {e}"),
            )
        })?;
    match (group, replacement) {
        (None, Some(replacement)) => Ok(map_text(source_value, |s| {
            regex.replace_all(s, replacement.as_str()).into_owned()
        })),
        (Some(group), Some(replacement)) => {
            if !regex.capture_names().flatten().any(|n| n == group) {
                return Err(EvalError::at(
                    at(3),
                    format!("the regexPattern has no group named \"{group}\"; name it with (?<{group}>…)"),
                ));
            }
            Ok(map_text(source_value, |s| {
                replace_group(&regex, &group, s, &replacement)
            }))
        }
        (Some(group), None) if replacement_attribute != Value::Null => {
            if !source_value.is_null_or_empty() {
                return Ok(source_value);
            }
            let Some(from) = replacement_attribute.as_text() else {
                return Ok(Value::Null);
            };
            Ok(regex
                .captures(&from)
                .and_then(|c| c.name(&group).map(|m| Value::Text(m.as_str().to_owned())))
                .unwrap_or(Value::Null))
        }
        _ => Err(EvalError::at(
            node.start,
            "Replace with a regexPattern needs a replacementValue, or a regexGroupName and a replacementAttributeName",
        )),
    }
}

/// Replaces what the named group matched, in every match, keeping the rest of each match.
fn replace_group(regex: &regex::Regex, group: &str, s: &str, replacement: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for captures in regex.captures_iter(s) {
        if let Some(m) = captures.name(group) {
            out.push_str(&s[last..m.start()]);
            out.push_str(replacement);
            last = m.end();
        }
    }
    out.push_str(&s[last..]);
    out
}
