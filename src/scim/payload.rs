//! The SCIM request bodies a provider builds from mapped values: the `POST /Users` resource,
//! the update (Entra's `PATCH` of what changed, Okta's `PUT` of the whole user) and the
//! deactivation — with Entra's known quirks (capitalised `Replace`, booleans sent as the text
//! `"False"`) when asked.

use serde_json::{json, Map, Value as Json};

use super::mapping::{MappedValue, Provider};
use super::path::{TargetPath, CORE_USER, PATCH_OP};
use super::schema::{AttributeDefinition, ServerSchemas};

/// How the bodies are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quirks {
    /// Entra's non-standard PATCH: `"op": "Replace"` and booleans as `"True"`/`"False"`.
    pub entra: bool,
}

impl Quirks {
    /// The spelling of a PATCH operation.
    pub fn op(self, op: &str) -> String {
        if self.entra {
            let mut chars = op.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        } else {
            op.to_owned()
        }
    }

    /// A value as sent in a PATCH operation.
    pub fn patch_value(self, value: Json) -> Json {
        match value {
            Json::Bool(b) if self.entra => Json::String(if b { "True" } else { "False" }.into()),
            other => other,
        }
    }
}

/// The `POST /Users` body for these values: only non-null values, typed as the server declares
/// its attributes when `schemas` is given, with the `schemas` list naming every extension used.
pub fn user_resource(
    values: &[MappedValue],
    provider: Provider,
    schemas: Option<&ServerSchemas>,
) -> Json {
    let mut body = Map::new();
    let mut extensions: Vec<String> = Vec::new();
    for value in values.iter().filter(|v| !v.value.is_null()) {
        let Ok(path) = TargetPath::parse(&value.target) else {
            continue;
        };
        if let Some(schema) = &path.schema {
            if !extensions.iter().any(|e| e.eq_ignore_ascii_case(schema)) {
                extensions.push(schema.clone());
            }
        }
        path.set(&mut body, value.value.clone());
    }
    if let Some(schemas) = schemas {
        coerce_resource(&mut body, schemas);
    }
    // Entra marks its one work email as the primary one.
    if provider == Provider::Entra {
        if let Some(Json::Array(emails)) = body.get_mut("emails") {
            let has_primary = emails.iter().any(|e| e.get("primary").is_some());
            if let (false, Some(Json::Object(first))) = (has_primary, emails.first_mut()) {
                first.insert("primary".into(), Json::Bool(true));
            }
        }
    }
    let mut listed = vec![Json::String(CORE_USER.into())];
    listed.extend(extensions.into_iter().map(Json::String));
    body.insert("schemas".into(), Json::Array(listed));
    Json::Object(body)
}

/// A PATCH request body.
pub fn patch_request(operations: Vec<Json>) -> Json {
    json!({ "schemas": [PATCH_OP], "Operations": operations })
}

/// The operations that turn `before` into `after` (values of the same mappings): `replace`
/// for changed or new values, `remove` for values that became null.
pub fn update_operations(
    before: &[MappedValue],
    after: &[MappedValue],
    schemas: Option<&ServerSchemas>,
    quirks: Quirks,
) -> Vec<Json> {
    let mut operations = Vec::new();
    for new in after {
        let old = before
            .iter()
            .find(|b| b.target.eq_ignore_ascii_case(&new.target))
            .map_or(&Json::Null, |b| &b.value);
        if *old == new.value {
            continue;
        }
        let Ok(path) = TargetPath::parse(&new.target) else {
            continue;
        };
        if new.value.is_null() {
            operations.push(json!({ "op": quirks.op("remove"), "path": path.to_patch_path() }));
        } else {
            let value = match schemas.and_then(|s| leaf_definition(s, &path)) {
                Some(def) => coerce_value(def, new.value.clone()),
                None => new.value.clone(),
            };
            operations.push(json!({
                "op": quirks.op("replace"),
                "path": path.to_patch_path(),
                "value": quirks.patch_value(value),
            }));
        }
    }
    operations
}

/// A change to a user, as the provider sends it to `/Users/{id}`.
#[derive(Debug, Clone, PartialEq)]
pub enum UserUpdate {
    /// `PATCH` with an operation for each mapped value that changed: Entra, and the default.
    Patch(Json),
    /// `PUT` of the whole user: how Okta updates profiles in an app integration an
    /// administrator sets up with the wizard (AIW), the usual case for a customer's own app,
    /// keeping PATCH for `active` (Okta's SCIM 2.0 protocol reference; Delinea's Okta SCIM
    /// endpoint reference: "AIW integrations always use PUT for updates"; OIN catalogue apps
    /// PATCH by default, as Entra does).
    Put(Json),
}

impl UserUpdate {
    /// `PATCH` or `PUT`.
    pub fn method(&self) -> &'static str {
        match self {
            Self::Patch(_) => "PATCH",
            Self::Put(_) => "PUT",
        }
    }

    /// The request body, for the user of this `id` (a PUT names it, as Okta does).
    pub fn into_body(self, id: &str) -> Json {
        match self {
            Self::Patch(body) => body,
            Self::Put(mut body) => {
                if let Json::Object(user) = &mut body {
                    user.insert("id".into(), Json::String(id.into()));
                }
                body
            }
        }
    }
}

/// What `provider` sends when the mapped values go from `before` to `after`; `None` when no
/// value changed, for then it sends nothing. A PUT replaces the whole user, so it carries
/// `active: true` unless a mapping writes `active`.
pub fn user_update(
    provider: Provider,
    before: &[MappedValue],
    after: &[MappedValue],
    schemas: Option<&ServerSchemas>,
    quirks: Quirks,
) -> Option<UserUpdate> {
    let operations = update_operations(before, after, schemas, quirks);
    if operations.is_empty() {
        return None;
    }
    Some(match provider {
        Provider::Okta => {
            let mut user = user_resource(after, provider, schemas);
            if let Json::Object(fields) = &mut user {
                fields.entry("active").or_insert(Json::Bool(true));
            }
            UserUpdate::Put(user)
        }
        Provider::Entra | Provider::Generic => UserUpdate::Patch(patch_request(operations)),
    })
}

/// The deactivation: `active` set to false. Okta writes it without a path, the value an
/// object (Okta's SCIM 2.0 protocol reference, as quoted in WorkOS's "What Okta and Entra ID
/// actually send to your SCIM endpoint").
pub fn deactivate_operations(provider: Provider, quirks: Quirks) -> Vec<Json> {
    if provider == Provider::Okta {
        return vec![json!({ "op": "replace", "value": { "active": false } })];
    }
    vec![json!({
        "op": quirks.op("replace"),
        "path": "active",
        "value": quirks.patch_value(Json::Bool(false)),
    })]
}

/// The definition a target path ends at, when the server declares it.
pub fn leaf_definition<'a>(
    schemas: &'a ServerSchemas,
    path: &TargetPath,
) -> Option<&'a AttributeDefinition> {
    let schema = schemas.schema(path.schema_or_core())?;
    let attribute = schema.attribute(&path.attribute)?;
    match &path.sub_attribute {
        Some(sub) => attribute.sub_attribute(sub),
        None => Some(attribute),
    }
}

/// Gives values the types the server declares, where the conversion is unambiguous: the text
/// "true" to a boolean, "42" to an integer, a boolean to the text "True" (as Entra writes it),
/// one text to a one-item list.
pub fn coerce_resource(body: &mut Map<String, Json>, schemas: &ServerSchemas) {
    for (key, value) in body.iter_mut() {
        if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:")) {
            let (Some(schema), Json::Object(inner)) = (schemas.schema(key), value) else {
                continue;
            };
            for (name, attribute_value) in inner.iter_mut() {
                if let Some(def) = schema.attribute(name) {
                    *attribute_value = coerce_value(def, attribute_value.take());
                }
            }
        } else if let Some(def) = schemas
            .schema(CORE_USER)
            .and_then(|core| core.attribute(key))
        {
            *value = coerce_value(def, value.take());
        }
    }
}

/// One value coerced to its definition.
pub fn coerce_value(def: &AttributeDefinition, value: Json) -> Json {
    match value {
        Json::Array(items) if def.multi_valued => Json::Array(
            items
                .into_iter()
                .map(|item| coerce_single(def, item))
                .collect(),
        ),
        Json::String(s) if def.multi_valued && !def.is("complex") => {
            Json::Array(vec![coerce_single(def, Json::String(s))])
        }
        other => coerce_single(def, other),
    }
}

fn coerce_single(def: &AttributeDefinition, value: Json) -> Json {
    match value {
        Json::String(s) if def.is("boolean") => match s.to_ascii_lowercase().as_str() {
            "true" => Json::Bool(true),
            "false" => Json::Bool(false),
            _ => Json::String(s),
        },
        Json::String(s) if def.is("integer") => s
            .trim()
            .parse::<i64>()
            .map(Json::from)
            .unwrap_or(Json::String(s)),
        Json::String(s) if def.is("decimal") => s
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Json::Number)
            .unwrap_or(Json::String(s)),
        Json::Bool(b) if def.is("string") => Json::String(if b { "True" } else { "False" }.into()),
        Json::Number(n) if def.is("string") => Json::String(n.to_string()),
        Json::Object(mut map) if def.is("complex") => {
            for (name, inner) in map.iter_mut() {
                if let Some(sub) = def.sub_attribute(name) {
                    *inner = coerce_single(sub, inner.take());
                }
            }
            Json::Object(map)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(target: &str, value: Json) -> MappedValue {
        MappedValue {
            index: 0,
            target: target.into(),
            source: String::new(),
            value,
            used_default: false,
            matching: false,
            note: None,
        }
    }

    #[test]
    fn the_create_body_lists_its_extensions_and_types_its_values() {
        let values = [
            value("userName", json!("ada@example.com")),
            value("active", json!("True")),
            value("emails[type eq \"work\"].value", json!("ada@example.com")),
            value(
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                json!("R&D"),
            ),
            value("title", Json::Null),
        ];
        let body = user_resource(&values, Provider::Entra, Some(&ServerSchemas::rfc7643()));
        assert_eq!(
            body,
            json!({
                "schemas": [CORE_USER, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                "userName": "ada@example.com",
                "active": true,
                "emails": [{"type": "work", "value": "ada@example.com", "primary": true}],
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "R&D"}
            })
        );
    }

    #[test]
    fn updates_replace_changed_values_and_remove_cleared_ones_in_either_spelling() {
        let before = [
            value("name.givenName", json!("Ada")),
            value("title", json!("CTO")),
            value("userName", json!("ada@example.com")),
        ];
        let after = [
            value("name.givenName", json!("Ada L.")),
            value("title", Json::Null),
            value("userName", json!("ada@example.com")),
        ];
        let standard = update_operations(&before, &after, None, Quirks::default());
        assert_eq!(
            standard,
            [
                json!({"op": "replace", "path": "name.givenName", "value": "Ada L."}),
                json!({"op": "remove", "path": "title"})
            ]
        );
        let entra = update_operations(&before, &after, None, Quirks { entra: true });
        assert_eq!(entra[0]["op"], "Replace");
        assert_eq!(entra[1]["op"], "Remove");
        assert_eq!(
            deactivate_operations(Provider::Entra, Quirks { entra: true }),
            [json!({"op": "Replace", "path": "active", "value": "False"})]
        );
        assert_eq!(
            deactivate_operations(Provider::Generic, Quirks::default()),
            [json!({"op": "replace", "path": "active", "value": false})]
        );
        assert_eq!(
            deactivate_operations(Provider::Okta, Quirks::default()),
            [json!({"op": "replace", "value": {"active": false}})]
        );
    }
}
