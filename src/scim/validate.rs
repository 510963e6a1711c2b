//! Checks a SCIM body against what the server declares: unknown extensions and attributes,
//! wrong types, lists where one value is expected (and the reverse), missing required
//! attributes, values outside `canonicalValues`, attributes the server will not take.

use serde_json::Value as Json;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::path::{field, TargetPath, CORE_USER};
use super::schema::{find, AttributeDefinition, SchemaDefinition, ServerSchemas};
use crate::findings::Finding;

/// What a body is for, which decides how strict some rules are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    Create,
    Patch { entra_quirks: bool },
}

/// Checks a `POST /Users` body.
pub fn validate_user(body: &Json, schemas: &ServerSchemas) -> Vec<Finding> {
    let mut findings = Vec::new();
    let Some(body) = body.as_object() else {
        findings.push(Finding::error(
            "not_an_object",
            "the user body is not a JSON object",
            "",
        ));
        return findings;
    };
    let from_server = !schemas.origin.starts_with("RFC");
    let core = schemas.schema(CORE_USER);
    if core.is_none() {
        findings.push(Finding::warning(
            "core_schema_missing",
            format!(
                "{} declares no core User schema ({CORE_USER}); core attributes are not checked",
                schemas.origin
            ),
            "make /Schemas list the core User schema",
        ));
    }
    for (key, value) in sorted(body) {
        match key.as_str() {
            "schemas" => continue,
            "id" | "meta" => {
                findings.push(
                    Finding::error(
                        "read_only",
                        format!("{key} is assigned by the server; a provider never sends it"),
                        format!("remove the mapping to {key}"),
                    )
                    .about(key.clone()),
                );
                continue;
            }
            "externalId" => {
                if !value.is_string() {
                    findings.push(
                        Finding::error(
                            "wrong_type",
                            format!(
                                "externalId must be text, but the mapping gives {}",
                                describe(value)
                            ),
                            "map externalId to a text attribute such as objectId",
                        )
                        .about("externalId"),
                    );
                }
                continue;
            }
            _ => {}
        }
        if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:")) {
            check_extension(key, value, schemas, from_server, &mut findings);
        } else if let Some(core) = core {
            match core.attribute(key) {
                Some(def) => check_value(def, value, key, Use::Create, &mut findings),
                None => findings.push(unknown_attribute(key, core, schemas)),
            }
        }
    }
    if let Some(core) = core {
        missing_required(core, body, "", requirer(from_server), &mut findings);
    }
    if let Some(user) = schemas.user_type() {
        for extension in user.schema_extensions.iter().filter(|e| e.required) {
            if field(&Json::Object(body.clone()), &extension.schema).is_none() {
                findings.push(
                    Finding::error(
                        "missing_required_extension",
                        format!("the server requires every user to carry the extension {}, and no mapping writes it", extension.schema),
                        format!("add mappings to the attributes of {}", extension.schema),
                    )
                    .about(extension.schema.clone()),
                );
            }
        }
    }
    findings
}

fn check_extension(
    key: &str,
    value: &Json,
    schemas: &ServerSchemas,
    from_server: bool,
    findings: &mut Vec<Finding>,
) {
    let Some(schema) = schemas.schema(key) else {
        if from_server {
            findings.push(
                Finding::error(
                    "unknown_extension",
                    format!("the server does not declare the schema {key} in /Schemas; it will refuse or drop these attributes"),
                    "check the URN's spelling against the server's /Schemas, or have the extension added on the server",
                )
                .about(key),
            );
        } else {
            findings.push(
                Finding::info(
                    "extension_not_checked",
                    format!("{key} is not an RFC 7643 schema, so its attributes are not checked"),
                    "give the endpoint URL to check them against the server's /Schemas",
                )
                .about(key),
            );
        }
        return;
    };
    if schemas.user_extension(key).is_none() {
        findings.push(
            Finding::error(
                "extension_not_allowed",
                format!("the server declares {key} but its User resource type does not list it in schemaExtensions"),
                "add the extension to the User resource type on the server",
            )
            .about(key),
        );
    }
    let Some(object) = value.as_object() else {
        findings.push(
            Finding::error(
                "wrong_type",
                format!("{key} must be an object of attributes"),
                "",
            )
            .about(key),
        );
        return;
    };
    for (name, inner) in sorted(object) {
        let path = format!("{key}:{name}");
        match schema.attribute(name) {
            Some(def) => check_value(def, inner, &path, Use::Create, findings),
            None => findings.push(unknown_attribute(&path, schema, schemas)),
        }
    }
    missing_required(
        schema,
        object,
        &format!("{key}:"),
        requirer(from_server),
        findings,
    );
}

fn unknown_attribute(path: &str, schema: &SchemaDefinition, schemas: &ServerSchemas) -> Finding {
    let name = path.rsplit(':').next().unwrap_or(path);
    let elsewhere = schemas
        .schemas
        .iter()
        .find(|s| s.id != schema.id && s.attribute(name).is_some())
        .map(|s| format!(" It is an attribute of {}: target {}:{name}", s.id, s.id))
        .unwrap_or_default();
    Finding::error(
        "unknown_attribute",
        format!(
            "the schema {} has no attribute {name}.{elsewhere}",
            schema.id
        ),
        format!("check the target's spelling against {}", schemas.origin),
    )
    .about(path)
}

/// Who requires an attribute: the server's own schemas, or RFC 7643's when none were read.
fn requirer(from_server: bool) -> &'static str {
    if from_server {
        "the server"
    } else {
        "RFC 7643"
    }
}

fn missing_required(
    schema: &SchemaDefinition,
    present: &serde_json::Map<String, Json>,
    prefix: &str,
    who: &str,
    findings: &mut Vec<Finding>,
) {
    for def in schema
        .attributes
        .iter()
        .filter(|a| a.required && !a.is_read_only())
    {
        let there = present
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case(&def.name) && !v.is_null());
        if !there {
            findings.push(
                Finding::error(
                    "missing_required",
                    format!("{who} requires {prefix}{} and no mapping gives it a value for this user", def.name),
                    format!("map {prefix}{} (a Constant works when every user gets the same value), or give it a default value", def.name),
                )
                .about(format!("{prefix}{}", def.name)),
            );
        }
    }
}

fn check_value(
    def: &AttributeDefinition,
    value: &Json,
    path: &str,
    use_: Use,
    findings: &mut Vec<Finding>,
) {
    if def.is_read_only() {
        findings.push(
            Finding::error(
                "read_only",
                format!("{path} is read-only on the server: it is computed there and what is sent is ignored or refused"),
                "remove this mapping",
            )
            .about(path),
        );
        return;
    }
    if let (Use::Patch { .. }, true) = (use_, def.mutability.eq_ignore_ascii_case("immutable")) {
        findings.push(
            Finding::error(
                "immutable",
                format!("{path} is immutable on the server: it can be set when the user is created, never changed"),
                "set this mapping to apply on create only",
            )
            .about(path),
        );
    }
    match value {
        Json::Array(items) if def.multi_valued => {
            for item in items {
                check_single(def, item, path, use_, findings);
            }
        }
        Json::Array(items) => findings.push(
            Finding::error(
                "not_multi_valued",
                format!("{path} holds one value, but the mapping gives a list of {}", items.len()),
                "join the values with Join(\",\", …) or pick one with SingleAppRoleAssignment / Coalesce",
            )
            .about(path),
        ),
        single if def.multi_valued => findings.push(
            Finding::error(
                "multi_valued_expected",
                format!("{path} is multi-valued on the server, but the mapping gives one value ({})", describe(single)),
                "send a list, for example with Split([attribute], \",\")",
            )
            .about(path),
        ),
        single => check_single(def, single, path, use_, findings),
    }
}

fn check_single(
    def: &AttributeDefinition,
    value: &Json,
    path: &str,
    use_: Use,
    findings: &mut Vec<Finding>,
) {
    let wrong = |expected: &str, findings: &mut Vec<Finding>| {
        findings.push(
            Finding::error(
                "wrong_type",
                format!(
                    "{path} is a {} on the server, but the mapping gives {}",
                    expected,
                    describe(value)
                ),
                format!("make the mapping produce a {expected}"),
            )
            .about(path),
        );
    };
    match def.attribute_type.to_ascii_lowercase().as_str() {
        "string" | "reference" | "binary" => match value {
            Json::String(s) => check_canonical(def, s, path, findings),
            _ => wrong("text", findings),
        },
        "boolean" => match value {
            Json::Bool(_) => {}
            Json::String(s)
                if matches!(use_, Use::Patch { entra_quirks: true })
                    && (s == "True" || s == "False") =>
            {
                findings.push(
                    Finding::warning(
                        "boolean_as_text",
                        format!("{path}: Entra sends the boolean as the text \"{s}\" in PATCH requests; a strict server refuses it"),
                        "make the server accept \"True\"/\"False\", or ask Microsoft to apply the aadOptscim062020 flag to the app",
                    )
                    .about(path),
                );
            }
            _ => wrong("boolean", findings),
        },
        "integer" if !(value.is_i64() || value.is_u64()) => wrong("whole number", findings),
        "decimal" if !value.is_number() => wrong("number", findings),
        "datetime" => match value {
            Json::String(s) if OffsetDateTime::parse(s, &Rfc3339).is_ok() => {}
            Json::String(s) => findings.push(
                Finding::error(
                    "wrong_type",
                    format!("{path} is a dateTime on the server, but \"{s}\" is not one"),
                    "send a date and time such as 2025-03-01T00:00:00Z (FormatDateTime in Entra)",
                )
                .about(path),
            ),
            _ => wrong("dateTime text", findings),
        },
        "complex" => match value.as_object() {
            Some(object) => {
                for (name, inner) in sorted(object) {
                    let inner_path = format!("{path}.{name}");
                    match def.sub_attribute(name) {
                        Some(sub) => check_value(sub, inner, &inner_path, use_, findings),
                        None => {
                            let known: Vec<&str> =
                                def.sub_attributes.iter().map(|s| s.name.as_str()).collect();
                            findings.push(
                                Finding::error(
                                    "unknown_sub_attribute",
                                    format!(
                                        "{path} has no sub-attribute {name}; it has {}",
                                        known.join(", ")
                                    ),
                                    format!("target one of {path}'s sub-attributes instead"),
                                )
                                .about(inner_path),
                            );
                        }
                    }
                }
                if use_ == Use::Create {
                    for sub in def
                        .sub_attributes
                        .iter()
                        .filter(|s| s.required && !s.is_read_only())
                    {
                        if find_key(object, &sub.name).is_none() {
                            findings.push(
                                Finding::error(
                                    "missing_required",
                                    format!("{path}.{} is required by the server whenever {path} is sent", sub.name),
                                    format!("map {path}.{}", sub.name),
                                )
                                .about(format!("{path}.{}", sub.name)),
                            );
                        }
                    }
                }
            }
            None => wrong("complex object", findings),
        },
        _ => {}
    }
}

/// The members of an object in name order, so that findings come in the same order whatever
/// the JSON map's own order is.
fn sorted(object: &serde_json::Map<String, Json>) -> Vec<(&String, &Json)> {
    let mut members: Vec<(&String, &Json)> = object.iter().collect();
    members.sort_by(|a, b| a.0.cmp(b.0));
    members
}

fn find_key<'a>(object: &'a serde_json::Map<String, Json>, name: &str) -> Option<&'a Json> {
    object
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

fn check_canonical(
    def: &AttributeDefinition,
    value: &str,
    path: &str,
    findings: &mut Vec<Finding>,
) {
    if def.canonical_values.is_empty() {
        return;
    }
    let listed = def.canonical_values.iter().any(|c| {
        if def.case_exact {
            c == value
        } else {
            c.eq_ignore_ascii_case(value)
        }
    });
    if !listed {
        findings.push(
            Finding::warning(
                "not_canonical",
                format!(
                    "{path} is \"{value}\", which is not one of the values the server lists: {}",
                    def.canonical_values.join(", ")
                ),
                "use one of the listed values; applications that allow only preconfigured values refuse the user otherwise",
            )
            .about(path),
        );
    }
}

fn describe(value: &Json) -> String {
    match value {
        Json::Null => "null".into(),
        Json::Bool(b) => format!("the boolean {b}"),
        Json::Number(n) => format!("the number {n}"),
        Json::String(s) => format!("the text \"{s}\""),
        Json::Array(items) => format!("a list of {} values", items.len()),
        Json::Object(_) => "an object".into(),
    }
}

/// Checks a user `PATCH` body: each operation's name, path and value.
pub fn validate_patch(body: &Json, schemas: &ServerSchemas, entra_quirks: bool) -> Vec<Finding> {
    let mut findings = Vec::new();
    let operations = field(body, "Operations")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    for (index, operation) in operations.iter().enumerate() {
        let subject = format!("Operations[{index}]");
        let op = field(operation, "op")
            .and_then(Json::as_str)
            .unwrap_or_default();
        if !["add", "replace", "remove"].contains(&op.to_ascii_lowercase().as_str()) {
            findings.push(
                Finding::error(
                    "bad_patch_op",
                    format!("\"{op}\" is not a PATCH operation"),
                    "use add, replace or remove",
                )
                .about(subject.clone()),
            );
            continue;
        }
        if op != op.to_ascii_lowercase() {
            findings.push(
                Finding::info(
                    "capitalised_op",
                    format!("the operation is spelt \"{op}\", as Entra sends it; RFC 7644 writes it in lower case, and the server must accept both"),
                    "",
                )
                .about(subject.clone()),
            );
        }
        let Some(path_text) = field(operation, "path").and_then(Json::as_str) else {
            continue;
        };
        let path = match TargetPath::parse(path_text) {
            Ok(path) => path,
            Err(message) => {
                findings.push(Finding::error("bad_patch_path", message, "").about(subject));
                continue;
            }
        };
        let Some(schema) = schemas.schema(path.schema_or_core()) else {
            findings.push(
                Finding::error(
                    "unknown_extension",
                    format!(
                        "the server does not declare the schema {}",
                        path.schema_or_core()
                    ),
                    "check the URN against the server's /Schemas",
                )
                .about(path_text),
            );
            continue;
        };
        let Some(attribute) = find(&schema.attributes, &path.attribute) else {
            if path.schema.is_none() && path.attribute.eq_ignore_ascii_case("externalId") {
                continue;
            }
            findings.push(unknown_attribute(path_text, schema, schemas));
            continue;
        };
        let def = match &path.sub_attribute {
            Some(sub) => match attribute.sub_attribute(sub) {
                Some(def) => def,
                None => {
                    findings.push(
                        Finding::error(
                            "unknown_sub_attribute",
                            format!("{} has no sub-attribute {sub}", attribute.name),
                            "",
                        )
                        .about(path_text),
                    );
                    continue;
                }
            },
            None => attribute,
        };
        if op.eq_ignore_ascii_case("remove") {
            if def.required {
                findings.push(
                    Finding::error(
                        "removes_required",
                        format!("the update removes {path_text}, which the server requires"),
                        "give the mapping a default value",
                    )
                    .about(path_text),
                );
            }
            continue;
        }
        if let Some(value) = field(operation, "value") {
            check_value(
                def,
                value,
                path_text,
                Use::Patch { entra_quirks },
                &mut findings,
            );
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ilms() -> ServerSchemas {
        let mut schemas = ServerSchemas::rfc7643();
        schemas.origin = "the server's /Schemas".into();
        let extension: SchemaDefinition = SchemaDefinition::from_json(&json!({
            "id": "urn:ietf:params:scim:schemas:extension:ilms:2.0:User",
            "name": "IlmsUser",
            "attributes": [
                {"name": "region", "type": "string", "required": true, "canonicalValues": ["EMEA", "AMER", "APAC"]},
                {"name": "hireDate", "type": "dateTime"}
            ]
        }))
        .unwrap();
        schemas.schemas.push(extension);
        schemas.resource_types[0]
            .schema_extensions
            .push(super::super::schema::SchemaExtension {
                schema: "urn:ietf:params:scim:schemas:extension:ilms:2.0:User".into(),
                required: true,
            });
        schemas
    }

    fn codes(findings: &[Finding]) -> Vec<(&str, &str)> {
        findings
            .iter()
            .map(|f| (f.code.as_str(), f.subject.as_deref().unwrap_or("")))
            .collect()
    }

    #[test]
    fn a_body_that_follows_the_server_schemas_has_no_findings() {
        let body = json!({
            "schemas": [CORE_USER, "urn:ietf:params:scim:schemas:extension:ilms:2.0:User"],
            "userName": "ada@example.com",
            "active": true,
            "externalId": "abc",
            "emails": [{"type": "work", "value": "ada@example.com", "primary": true}],
            "urn:ietf:params:scim:schemas:extension:ilms:2.0:User": {"region": "EMEA", "hireDate": "2024-01-02T00:00:00Z"}
        });
        assert_eq!(validate_user(&body, &ilms()), []);
    }

    #[test]
    fn each_kind_of_mistake_is_found() {
        let body = json!({
            "userName": "ada@example.com",
            "active": "yes",
            "nickname_typo": "x",
            "title": ["a", "b"],
            "emails": {"value": "x"},
            "name": {"givenName": "Ada", "nick": "x"},
            "groups": [{"value": "g"}],
            "department": "R&D",
            "urn:example:unknown:2.0:User": {"x": "y"},
            "urn:ietf:params:scim:schemas:extension:ilms:2.0:User": {"region": "MARS", "hireDate": "yesterday"}
        });
        let findings = validate_user(&body, &ilms());
        assert_eq!(
            codes(&findings),
            [
                ("wrong_type", "active"),
                ("unknown_attribute", "department"),
                ("multi_valued_expected", "emails"),
                ("read_only", "groups"),
                ("unknown_sub_attribute", "name.nick"),
                ("unknown_attribute", "nickname_typo"),
                ("not_multi_valued", "title"),
                ("unknown_extension", "urn:example:unknown:2.0:User"),
                (
                    "wrong_type",
                    "urn:ietf:params:scim:schemas:extension:ilms:2.0:User:hireDate"
                ),
                (
                    "not_canonical",
                    "urn:ietf:params:scim:schemas:extension:ilms:2.0:User:region"
                ),
            ],
            "{findings:#?}"
        );
        assert!(
            findings[1].message.contains("enterprise"),
            "{}",
            findings[1].message
        );
    }

    #[test]
    fn missing_required_attributes_and_extensions_are_errors() {
        let findings = validate_user(&json!({"displayName": "Ada"}), &ilms());
        assert_eq!(
            codes(&findings),
            [
                ("missing_required", "userName"),
                (
                    "missing_required_extension",
                    "urn:ietf:params:scim:schemas:extension:ilms:2.0:User"
                ),
            ]
        );
        let findings = validate_user(
            &json!({"userName": "a", "urn:ietf:params:scim:schemas:extension:ilms:2.0:User": {"hireDate": "2024-01-02T00:00:00Z"}}),
            &ilms(),
        );
        assert_eq!(
            codes(&findings),
            [(
                "missing_required",
                "urn:ietf:params:scim:schemas:extension:ilms:2.0:User:region"
            )]
        );
    }

    #[test]
    fn a_requirement_is_named_after_whoever_makes_it() {
        let findings = validate_user(&json!({"displayName": "Ada"}), &ServerSchemas::rfc7643());
        assert!(
            findings[0]
                .message
                .starts_with("RFC 7643 requires userName"),
            "{}",
            findings[0].message
        );
        let findings = validate_user(&json!({"displayName": "Ada"}), &ilms());
        assert!(
            findings[0]
                .message
                .starts_with("the server requires userName"),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn patch_operations_are_checked_and_entra_booleans_are_flagged() {
        let body = json!({"Operations": [
            {"op": "Replace", "path": "active", "value": "False"},
            {"op": "replace", "path": "name.familyName", "value": 3},
            {"op": "remove", "path": "userName"},
            {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division", "value": "North"},
            {"op": "replace", "path": "nope", "value": "x"},
            {"op": "move", "path": "title"}
        ]});
        let findings = validate_patch(&body, &ilms(), true);
        assert_eq!(
            codes(&findings),
            [
                ("capitalised_op", "Operations[0]"),
                ("boolean_as_text", "active"),
                ("wrong_type", "name.familyName"),
                ("removes_required", "userName"),
                ("unknown_attribute", "nope"),
                ("bad_patch_op", "Operations[5]"),
            ]
        );
        let strict = validate_patch(&body, &ilms(), false);
        assert_eq!(codes(&strict)[1], ("wrong_type", "active"));
    }
}
