//! The source user an expression reads its attributes from.

use serde_json::Value as Json;

use super::{Source, Value};
use crate::scim::path::field;

/// A source user as JSON: an Entra user (`givenName`, `employeeOrgData.division`) or an Okta
/// user (`profile.firstName`, read also as `firstName` or `user.firstName`).
#[derive(Debug, Clone, PartialEq)]
pub struct SourceUser(pub Json);

impl SourceUser {
    /// The raw JSON value of an attribute: a dotted path, names compared exactly first and then
    /// without regard to case; a leading `user.` (Okta's expression prefix) is ignored, and
    /// Okta's `profile` object is searched when the top level lacks the name.
    pub fn json_attribute(&self, name: &str) -> Option<&Json> {
        let name = name.trim();
        let name = match name.strip_prefix("user.") {
            Some(rest) if field(&self.0, "user").is_none() => rest,
            _ => name,
        };
        walk(&self.0, name).or_else(|| field(&self.0, "profile").and_then(|p| walk(p, name)))
    }
}

fn walk<'a>(root: &'a Json, path: &str) -> Option<&'a Json> {
    if let Some(direct) = field(root, path) {
        return Some(direct);
    }
    let mut current = root;
    for part in path.split('.') {
        current = field(current, part)?;
    }
    Some(current)
}

impl Source for SourceUser {
    fn attribute(&self, name: &str) -> Value {
        self.json_attribute(name)
            .map_or(Value::Null, Value::from_json)
    }
}
