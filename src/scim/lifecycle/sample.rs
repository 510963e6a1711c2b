//! The unique tag on the sample user's identifying values, so that the test user is never
//! taken for an existing one.

use serde_json::Value as Json;

use crate::scim::mapping::{is_identifying, MappedValue, MappingSet};

/// Adds the tag to a value: before the `@` of an address, else at the end.
fn tagged(value: &str, tag: &str) -> String {
    match value.split_once('@') {
        Some((local, domain)) => format!("{local}+{tag}@{domain}"),
        None => format!("{value}-{tag}"),
    }
}

/// Tags the values of the mappings that identify a user (matching ones included).
pub(super) fn tag_values(set: &MappingSet, values: &mut [MappedValue], tag: &str) {
    for value in values.iter_mut() {
        let identifying = set
            .mappings
            .iter()
            .find(|m| m.index == value.index)
            .is_some_and(|m| m.match_precedence.is_some() || is_identifying(&m.target));
        if let (true, Json::String(s)) = (identifying, &value.value) {
            value.value = Json::String(tagged(s, tag));
        }
    }
}
