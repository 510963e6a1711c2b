//! SCIM attribute paths as mapping targets (RFC 7644 §3.10, the subset providers write):
//! `userName`, `name.givenName`, `emails[type eq "work"].value`,
//! `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`,
//! `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`.

use std::fmt;

use serde_json::{Map, Value as Json};

/// The core User schema's URN.
pub const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// The core Group schema's URN.
pub const CORE_GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// The enterprise User extension's URN (RFC 7643 §4.3).
pub const ENTERPRISE_USER: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// The PATCH request message URN.
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/// The list response message URN.
pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// The error message URN.
pub const ERROR_MESSAGE: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// The `[type eq "work"]` part of a path.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueFilter {
    /// The sub-attribute compared (`type`).
    pub attribute: String,
    /// The value it must equal, as JSON (`"work"`, `true`).
    pub value: Json,
}

/// A parsed target path.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetPath {
    /// The extension schema URN; `None` for the core schema.
    pub schema: Option<String>,
    /// The attribute (`emails`).
    pub attribute: String,
    /// The value filter, for multi-valued attributes.
    pub filter: Option<ValueFilter>,
    /// The sub-attribute (`value`, `givenName`).
    pub sub_attribute: Option<String>,
}

impl TargetPath {
    /// Parses a path; the message says what is wrong and shows the expected shape.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("enter the target attribute, such as userName or name.givenName".into());
        }
        let (schema, rest) = split_schema(text)?;
        let (head, filter, tail) = match rest.find('[') {
            Some(open) => {
                let close = rest[open..].find(']').map(|i| open + i).ok_or_else(|| {
                    format!("\"{text}\": the value filter is not closed; add the ]")
                })?;
                let filter = parse_filter(&rest[open + 1..close])
                    .map_err(|message| format!("\"{text}\": {message}"))?;
                let tail = &rest[close + 1..];
                let tail = if tail.is_empty() {
                    None
                } else if let Some(sub) = tail.strip_prefix('.') {
                    Some(sub)
                } else {
                    return Err(format!(
                        "\"{text}\": after the value filter comes .subAttribute, as in emails[type eq \"work\"].value"
                    ));
                };
                (&rest[..open], Some(filter), tail)
            }
            None => match rest.split_once('.') {
                Some((head, sub)) => (head, None, Some(sub)),
                None => (rest, None, None),
            },
        };
        check_name(head).map_err(|m| format!("\"{text}\": {m}"))?;
        if let Some(sub) = tail {
            check_name(sub).map_err(|m| format!("\"{text}\": {m}"))?;
        }
        if filter.is_some() && tail.is_none() {
            return Err(format!(
                "\"{text}\": name the sub-attribute the value goes to, as in emails[type eq \"work\"].value"
            ));
        }
        Ok(Self {
            schema: schema.map(str::to_owned),
            attribute: head.to_owned(),
            filter,
            sub_attribute: tail.map(str::to_owned),
        })
    }

    /// The schema this path belongs to: its extension, or the core User schema.
    pub fn schema_or_core(&self) -> &str {
        self.schema.as_deref().unwrap_or(CORE_USER)
    }

    /// The path as SCIM writes it in a PATCH operation.
    pub fn to_patch_path(&self) -> String {
        self.to_string()
    }

    /// Writes `value` at this path in a resource body, creating the objects and the filtered
    /// list entry on the way.
    pub fn set(&self, body: &mut Map<String, Json>, value: Json) {
        let container = match &self.schema {
            Some(schema) => object_at(body, schema),
            None => Some(body),
        };
        let Some(container) = container else { return };
        match (&self.filter, &self.sub_attribute) {
            (Some(filter), Some(sub)) => {
                let list = container
                    .entry(self.attribute.clone())
                    .or_insert_with(|| Json::Array(Vec::new()));
                if !list.is_array() {
                    *list = Json::Array(Vec::new());
                }
                if let Json::Array(items) = list {
                    let position = items
                        .iter()
                        .position(|item| item.get(&filter.attribute) == Some(&filter.value));
                    let index = match position {
                        Some(index) => index,
                        None => {
                            let mut entry = Map::new();
                            entry.insert(filter.attribute.clone(), filter.value.clone());
                            items.push(Json::Object(entry));
                            items.len() - 1
                        }
                    };
                    if let Some(Json::Object(entry)) = items.get_mut(index) {
                        entry.insert(sub.clone(), value);
                    }
                }
            }
            (None, Some(sub)) => {
                if let Some(inner) = object_at(container, &self.attribute) {
                    inner.insert(sub.clone(), value);
                }
            }
            _ => {
                container.insert(self.attribute.clone(), value);
            }
        }
    }

    /// Reads the value at this path in a resource (names compared without regard to case, as
    /// SCIM attribute names are case-insensitive).
    pub fn get<'a>(&self, body: &'a Json) -> Option<&'a Json> {
        let container = match &self.schema {
            Some(schema) => field(body, schema)?,
            None => body,
        };
        let value = field(container, &self.attribute)?;
        match (&self.filter, &self.sub_attribute) {
            (Some(filter), Some(sub)) => value
                .as_array()?
                .iter()
                .find(|item| {
                    field(item, &filter.attribute).is_some_and(|v| loosely_equal(v, &filter.value))
                })
                .and_then(|item| field(item, sub)),
            (None, Some(sub)) => field(value, sub),
            _ => Some(value),
        }
    }
}

impl fmt::Display for TargetPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(schema) = &self.schema {
            write!(f, "{schema}:")?;
        }
        f.write_str(&self.attribute)?;
        if let Some(filter) = &self.filter {
            write!(f, "[{} eq {}]", filter.attribute, filter.value)?;
        }
        if let Some(sub) = &self.sub_attribute {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// A member of a JSON object by name, case-insensitively.
pub fn field<'a>(value: &'a Json, name: &str) -> Option<&'a Json> {
    let map = value.as_object()?;
    map.get(name).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn loosely_equal(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::String(x), Json::String(y)) => x.eq_ignore_ascii_case(y),
        (Json::Bool(x), Json::String(y)) | (Json::String(y), Json::Bool(x)) => {
            y.eq_ignore_ascii_case(if *x { "true" } else { "false" })
        }
        _ => a == b,
    }
}

/// The object under `key`, made (or made an object) when it is not one.
fn object_at<'a>(map: &'a mut Map<String, Json>, key: &str) -> Option<&'a mut Map<String, Json>> {
    let slot = map
        .entry(key.to_owned())
        .or_insert_with(|| Json::Object(Map::new()));
    if !slot.is_object() {
        *slot = Json::Object(Map::new());
    }
    slot.as_object_mut()
}

/// Splits `urn:…:User:attr.sub` into the URN and `attr.sub`: the URN ends at the last colon
/// before any value filter.
fn split_schema(text: &str) -> Result<(Option<&str>, &str), String> {
    if !text
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("urn:"))
    {
        return Ok((None, text));
    }
    let before_filter = text.find('[').map_or(text, |i| &text[..i]);
    match before_filter.rfind(':') {
        Some(colon) if colon > 4 && colon + 1 < text.len() => {
            Ok((Some(&text[..colon]), &text[colon + 1..]))
        }
        _ => Err(format!(
            "\"{text}\": an extension attribute is the schema URN, a colon and the attribute, as in urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"
        )),
    }
}

fn check_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let first_ok = match chars.next() {
        Some(c) => c.is_ascii_alphabetic() || c == '$' || c == '_',
        None => return Err("an attribute name is empty".into()),
    };
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(format!(
            "\"{name}\" is not an attribute name (letters, digits, - and _, starting with a letter)"
        ));
    }
    Ok(())
}

fn parse_filter(text: &str) -> Result<ValueFilter, String> {
    let text = text.trim();
    let mut parts = text.splitn(3, char::is_whitespace);
    let (Some(attribute), Some(op), Some(value)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(format!(
            "the value filter \"{text}\" is not of the form type eq \"work\""
        ));
    };
    if !op.eq_ignore_ascii_case("eq") {
        return Err(format!(
            "the value filter uses \"{op}\"; mapping targets use eq only"
        ));
    }
    check_name(attribute)?;
    let value = value.trim();
    let value = if let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Json::String(inner.replace("\\\"", "\""))
    } else if value.eq_ignore_ascii_case("true") {
        Json::Bool(true)
    } else if value.eq_ignore_ascii_case("false") {
        Json::Bool(false)
    } else if let Ok(n) = value.parse::<i64>() {
        Json::from(n)
    } else {
        return Err(format!(
            "the value {value} of the filter must be \"quoted text\", true, false or a number"
        ));
    };
    Ok(ValueFilter {
        attribute: attribute.to_owned(),
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_parse_into_schema_attribute_filter_and_sub_attribute() {
        type Case<'a> = (
            &'a str,
            Option<&'a str>,
            &'a str,
            Option<(&'a str, Json)>,
            Option<&'a str>,
        );
        let cases: &[Case] = &[
            ("userName", None, "userName", None, None),
            ("name.givenName", None, "name", None, Some("givenName")),
            (
                "emails[type eq \"work\"].value",
                None,
                "emails",
                Some(("type", json!("work"))),
                Some("value"),
            ),
            (
                "roles[primary eq \"True\"].value",
                None,
                "roles",
                Some(("primary", json!("True"))),
                Some("value"),
            ),
            (
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                Some(ENTERPRISE_USER),
                "department",
                None,
                None,
            ),
            (
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
                Some(ENTERPRISE_USER),
                "manager",
                None,
                Some("value"),
            ),
            (
                "urn:ietf:params:scim:schemas:extension:ilms:2.0:User:region",
                Some("urn:ietf:params:scim:schemas:extension:ilms:2.0:User"),
                "region",
                None,
                None,
            ),
        ];
        for (text, schema, attribute, filter, sub) in cases {
            let path = TargetPath::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(path.schema.as_deref(), *schema, "{text}");
            assert_eq!(path.attribute, *attribute, "{text}");
            assert_eq!(
                path.filter
                    .as_ref()
                    .map(|f| (f.attribute.as_str(), f.value.clone())),
                filter.clone(),
                "{text}"
            );
            assert_eq!(path.sub_attribute.as_deref(), *sub, "{text}");
        }
    }

    #[test]
    fn malformed_paths_are_refused_with_the_expected_shape() {
        for (text, expected) in [
            ("", "enter the target attribute"),
            ("emails[type eq \"work\"", "not closed"),
            ("emails[type eq \"work\"]", "name the sub-attribute"),
            ("emails[type ne \"work\"].value", "eq only"),
            ("urn:x", "schema URN, a colon"),
            ("given name", "not an attribute name"),
            ("name.", "empty"),
        ] {
            let error = TargetPath::parse(text).unwrap_err();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn values_are_written_and_read_back_at_their_paths() {
        let mut body = Map::new();
        for (path, value) in [
            ("userName", json!("ada@example.com")),
            ("name.givenName", json!("Ada")),
            ("emails[type eq \"work\"].value", json!("ada@example.com")),
            (
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
                json!("m-1"),
            ),
        ] {
            TargetPath::parse(path).unwrap().set(&mut body, value);
        }
        let body = Json::Object(body);
        assert_eq!(
            body,
            json!({
                "userName": "ada@example.com",
                "name": {"givenName": "Ada"},
                "emails": [{"type": "work", "value": "ada@example.com"}],
                ENTERPRISE_USER: {"manager": {"value": "m-1"}}
            })
        );
        let path = TargetPath::parse("EMAILS[type eq \"Work\"].Value").unwrap();
        assert_eq!(path.get(&body), Some(&json!("ada@example.com")));
    }
}
