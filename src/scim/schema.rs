//! What a SCIM server declares about its resources (RFC 7643 §7, §6): the schemas with their
//! attributes, and the resource types with their extensions. Parsed leniently from the server's
//! `/Schemas` and `/ResourceTypes`, because real servers bend the format; the built-in
//! [`ServerSchemas::rfc7643`] stands in when no server was asked.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use ts_rs::TS;

use super::path::{field, CORE_GROUP, CORE_USER, ENTERPRISE_USER};

/// One attribute of a schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimAttributeDefinition")]
pub struct AttributeDefinition {
    /// Its name.
    pub name: String,
    /// Its type as declared: string, boolean, decimal, integer, dateTime, binary, reference,
    /// complex.
    pub attribute_type: String,
    /// Whether it holds a list.
    pub multi_valued: bool,
    /// Whether a resource must have it.
    pub required: bool,
    /// Whether its values compare with case.
    pub case_exact: bool,
    /// readOnly, readWrite, immutable or writeOnly.
    pub mutability: String,
    /// always, never, default or request.
    pub returned: String,
    /// none, server or global.
    pub uniqueness: String,
    /// The values the server expects, when it lists them.
    pub canonical_values: Vec<String>,
    /// For references: what they may point to.
    pub reference_types: Vec<String>,
    /// The server's description.
    pub description: String,
    /// For complex attributes: their parts.
    pub sub_attributes: Vec<AttributeDefinition>,
}

impl AttributeDefinition {
    /// The sub-attribute named `name`, case-insensitively.
    pub fn sub_attribute(&self, name: &str) -> Option<&AttributeDefinition> {
        find(&self.sub_attributes, name)
    }

    /// Whether the type is `kind` (case-insensitively).
    pub fn is(&self, kind: &str) -> bool {
        self.attribute_type.eq_ignore_ascii_case(kind)
    }

    /// Whether the server computes it and ignores what clients send.
    pub fn is_read_only(&self) -> bool {
        self.mutability.eq_ignore_ascii_case("readOnly")
    }

    fn from_json(value: &Json) -> Option<Self> {
        let name = text(value, "name")?;
        Some(Self {
            name,
            attribute_type: text(value, "type").unwrap_or_else(|| "string".into()),
            multi_valued: flag(value, "multiValued"),
            required: flag(value, "required"),
            case_exact: flag(value, "caseExact"),
            mutability: text(value, "mutability").unwrap_or_else(|| "readWrite".into()),
            returned: text(value, "returned").unwrap_or_else(|| "default".into()),
            uniqueness: text(value, "uniqueness").unwrap_or_else(|| "none".into()),
            canonical_values: texts(value, "canonicalValues"),
            reference_types: texts(value, "referenceTypes"),
            description: text(value, "description").unwrap_or_default(),
            sub_attributes: field(value, "subAttributes")
                .and_then(Json::as_array)
                .map(|items| items.iter().filter_map(Self::from_json).collect())
                .unwrap_or_default(),
        })
    }
}

/// A schema: its URN and attributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimSchemaDefinition")]
pub struct SchemaDefinition {
    /// The URN.
    pub id: String,
    /// Its name (`User`, `EnterpriseUser`).
    pub name: String,
    /// The server's description.
    pub description: String,
    /// Its attributes.
    pub attributes: Vec<AttributeDefinition>,
}

impl SchemaDefinition {
    /// The attribute named `name`, case-insensitively.
    pub fn attribute(&self, name: &str) -> Option<&AttributeDefinition> {
        find(&self.attributes, name)
    }

    /// Parses one schema resource; `None` when it has no `id`.
    pub fn from_json(value: &Json) -> Option<Self> {
        Some(Self {
            id: text(value, "id")?,
            name: text(value, "name").unwrap_or_default(),
            description: text(value, "description").unwrap_or_default(),
            attributes: field(value, "attributes")
                .and_then(Json::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(AttributeDefinition::from_json)
                        .collect()
                })
                .unwrap_or_default(),
        })
    }
}

/// An extension a resource type allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimSchemaExtension")]
pub struct SchemaExtension {
    /// The extension's URN.
    pub schema: String,
    /// Whether every resource of the type must carry it.
    pub required: bool,
}

/// A resource type (`User`, `Group`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimResourceType")]
pub struct ResourceTypeDefinition {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its endpoint, relative to the base URL (`/Users`).
    pub endpoint: String,
    /// Its core schema's URN.
    pub schema: String,
    /// The extensions it allows.
    pub schema_extensions: Vec<SchemaExtension>,
}

impl ResourceTypeDefinition {
    /// Parses one resource type; `None` without a name or an id.
    pub fn from_json(value: &Json) -> Option<Self> {
        let name = text(value, "name").or_else(|| text(value, "id"))?;
        Some(Self {
            id: text(value, "id").unwrap_or_else(|| name.clone()),
            endpoint: text(value, "endpoint").unwrap_or_default(),
            schema: text(value, "schema").unwrap_or_default(),
            schema_extensions: field(value, "schemaExtensions")
                .and_then(Json::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|e| {
                            Some(SchemaExtension {
                                schema: text(e, "schema")?,
                                required: flag(e, "required"),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default(),
            name,
        })
    }
}

/// Everything a server declares, or the RFC's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerSchemas {
    /// The schemas.
    pub schemas: Vec<SchemaDefinition>,
    /// The resource types; empty when the server did not say.
    pub resource_types: Vec<ResourceTypeDefinition>,
    /// Where these come from, for messages ("the server's /Schemas", "RFC 7643").
    pub origin: String,
}

impl ServerSchemas {
    /// The schema with this URN, case-insensitively.
    pub fn schema(&self, urn: &str) -> Option<&SchemaDefinition> {
        self.schemas.iter().find(|s| s.id.eq_ignore_ascii_case(urn))
    }

    /// The resource type whose core schema is `schema` (or whose name is `name`).
    pub fn resource_type(&self, schema: &str, name: &str) -> Option<&ResourceTypeDefinition> {
        self.resource_types
            .iter()
            .find(|r| r.schema.eq_ignore_ascii_case(schema))
            .or_else(|| {
                self.resource_types
                    .iter()
                    .find(|r| r.name.eq_ignore_ascii_case(name))
            })
    }

    /// The User resource type.
    pub fn user_type(&self) -> Option<&ResourceTypeDefinition> {
        self.resource_type(CORE_USER, "User")
    }

    /// The Group resource type.
    pub fn group_type(&self) -> Option<&ResourceTypeDefinition> {
        self.resource_type(CORE_GROUP, "Group")
    }

    /// Whether Users may carry the extension `urn`, and whether it is required; `None` when the
    /// server does not allow it. Without resource types, a declared schema counts as allowed.
    pub fn user_extension(&self, urn: &str) -> Option<bool> {
        match self.user_type() {
            Some(user) => user
                .schema_extensions
                .iter()
                .find(|e| e.schema.eq_ignore_ascii_case(urn))
                .map(|e| e.required),
            None => self.schema(urn).map(|_| false),
        }
    }

    /// Parses a `/Schemas` answer (a ListResponse or a bare array) into schemas, with a note for
    /// each entry that could not be read.
    pub fn parse_schemas(body: &Json) -> (Vec<SchemaDefinition>, usize) {
        let items = resources(body);
        let parsed: Vec<SchemaDefinition> = items
            .iter()
            .filter_map(SchemaDefinition::from_json)
            .collect();
        let skipped = items.len() - parsed.len();
        (parsed, skipped)
    }

    /// Parses a `/ResourceTypes` answer.
    pub fn parse_resource_types(body: &Json) -> (Vec<ResourceTypeDefinition>, usize) {
        let items = resources(body);
        let parsed: Vec<ResourceTypeDefinition> = items
            .iter()
            .filter_map(ResourceTypeDefinition::from_json)
            .collect();
        let skipped = items.len() - parsed.len();
        (parsed, skipped)
    }

    /// The core User, Group and enterprise User schemas of RFC 7643 (§4.1, §4.2, §4.3), with
    /// the User and Group resource types.
    pub fn rfc7643() -> Self {
        let sub = |kind: &str, canonical: &[&str]| {
            let mut parts = vec![
                attr("value", "string"),
                attr("display", "string"),
                attr("type", "string").canonical(canonical),
                attr("primary", "boolean"),
            ];
            if kind == "reference" {
                parts[0] = attr("value", "reference");
            }
            parts
        };
        let user = SchemaDefinition {
            id: CORE_USER.into(),
            name: "User".into(),
            description: "User Account".into(),
            attributes: vec![
                attr("userName", "string").required().unique(),
                attr("name", "complex").parts(vec![
                    attr("formatted", "string"),
                    attr("familyName", "string"),
                    attr("givenName", "string"),
                    attr("middleName", "string"),
                    attr("honorificPrefix", "string"),
                    attr("honorificSuffix", "string"),
                ]),
                attr("displayName", "string"),
                attr("nickName", "string"),
                attr("profileUrl", "reference"),
                attr("title", "string"),
                attr("userType", "string"),
                attr("preferredLanguage", "string"),
                attr("locale", "string"),
                attr("timezone", "string"),
                attr("active", "boolean"),
                attr("password", "string").mutability("writeOnly"),
                attr("emails", "complex")
                    .multi()
                    .parts(sub("string", &["work", "home", "other"])),
                attr("phoneNumbers", "complex").multi().parts(sub(
                    "string",
                    &["work", "home", "mobile", "fax", "pager", "other"],
                )),
                attr("ims", "complex").multi().parts(sub(
                    "string",
                    &["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"],
                )),
                attr("photos", "complex")
                    .multi()
                    .parts(sub("reference", &["photo", "thumbnail"])),
                attr("addresses", "complex").multi().parts(vec![
                    attr("formatted", "string"),
                    attr("streetAddress", "string"),
                    attr("locality", "string"),
                    attr("region", "string"),
                    attr("postalCode", "string"),
                    attr("country", "string"),
                    attr("type", "string").canonical(&["work", "home", "other"]),
                    attr("primary", "boolean"),
                ]),
                attr("groups", "complex")
                    .multi()
                    .mutability("readOnly")
                    .parts(vec![
                        attr("value", "string").mutability("readOnly"),
                        attr("$ref", "reference").mutability("readOnly"),
                        attr("display", "string").mutability("readOnly"),
                        attr("type", "string")
                            .canonical(&["direct", "indirect"])
                            .mutability("readOnly"),
                    ]),
                attr("entitlements", "complex")
                    .multi()
                    .parts(sub("string", &[])),
                attr("roles", "complex").multi().parts(sub("string", &[])),
                attr("x509Certificates", "complex")
                    .multi()
                    .parts(sub("string", &[])),
            ],
        };
        let group = SchemaDefinition {
            id: CORE_GROUP.into(),
            name: "Group".into(),
            description: "Group".into(),
            attributes: vec![
                attr("displayName", "string").required(),
                attr("members", "complex").multi().parts(vec![
                    attr("value", "string").mutability("immutable"),
                    attr("$ref", "reference").mutability("immutable"),
                    attr("type", "string")
                        .canonical(&["User", "Group"])
                        .mutability("immutable"),
                ]),
            ],
        };
        let enterprise = SchemaDefinition {
            id: ENTERPRISE_USER.into(),
            name: "EnterpriseUser".into(),
            description: "Enterprise User".into(),
            attributes: vec![
                attr("employeeNumber", "string"),
                attr("costCenter", "string"),
                attr("organization", "string"),
                attr("division", "string"),
                attr("department", "string"),
                attr("manager", "complex").parts(vec![
                    attr("value", "string"),
                    attr("$ref", "reference"),
                    attr("displayName", "string").mutability("readOnly"),
                ]),
            ],
        };
        Self {
            schemas: vec![user, group, enterprise],
            resource_types: vec![
                ResourceTypeDefinition {
                    id: "User".into(),
                    name: "User".into(),
                    endpoint: "/Users".into(),
                    schema: CORE_USER.into(),
                    schema_extensions: vec![SchemaExtension {
                        schema: ENTERPRISE_USER.into(),
                        required: false,
                    }],
                },
                ResourceTypeDefinition {
                    id: "Group".into(),
                    name: "Group".into(),
                    endpoint: "/Groups".into(),
                    schema: CORE_GROUP.into(),
                    schema_extensions: Vec::new(),
                },
            ],
            origin: "RFC 7643 (no endpoint asked)".into(),
        }
    }
}

/// The attribute named `name` in a list, case-insensitively.
pub fn find<'a>(list: &'a [AttributeDefinition], name: &str) -> Option<&'a AttributeDefinition> {
    list.iter().find(|a| a.name.eq_ignore_ascii_case(name))
}

/// The items of a ListResponse's `Resources`, or of a bare array.
pub fn resources(body: &Json) -> Vec<Json> {
    match body {
        Json::Array(items) => items.clone(),
        other => field(other, "Resources")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default(),
    }
}

fn text(value: &Json, name: &str) -> Option<String> {
    field(value, name)
        .and_then(Json::as_str)
        .map(str::to_owned)
        .filter(|s| !s.is_empty())
}

fn texts(value: &Json, name: &str) -> Vec<String> {
    field(value, name)
        .and_then(Json::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|v| match v {
                    Json::String(s) => Some(s.clone()),
                    Json::Null => None,
                    other => Some(other.to_string()),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A boolean flag, read leniently: some servers write "true" as text.
fn flag(value: &Json, name: &str) -> bool {
    match field(value, name) {
        Some(Json::Bool(b)) => *b,
        Some(Json::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn attr(name: &str, kind: &str) -> AttributeDefinition {
    AttributeDefinition {
        name: name.into(),
        attribute_type: kind.into(),
        multi_valued: false,
        required: false,
        case_exact: false,
        mutability: "readWrite".into(),
        returned: "default".into(),
        uniqueness: "none".into(),
        canonical_values: Vec::new(),
        reference_types: Vec::new(),
        description: String::new(),
        sub_attributes: Vec::new(),
    }
}

impl AttributeDefinition {
    fn required(mut self) -> Self {
        self.required = true;
        self
    }
    fn unique(mut self) -> Self {
        self.uniqueness = "server".into();
        self
    }
    fn multi(mut self) -> Self {
        self.multi_valued = true;
        self
    }
    fn mutability(mut self, mutability: &str) -> Self {
        self.mutability = mutability.into();
        self
    }
    fn canonical(mut self, values: &[&str]) -> Self {
        self.canonical_values = values.iter().map(|v| (*v).to_owned()).collect();
        self
    }
    fn parts(mut self, parts: Vec<AttributeDefinition>) -> Self {
        self.sub_attributes = parts;
        self
    }
}
