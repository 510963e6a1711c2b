//! The endpoint review (C14): `/ServiceProviderConfig`, `/Schemas` and `/ResourceTypes` read and
//! judged — what the server supports, which schemas and extensions it declares with their
//! attributes, and what will go wrong with Entra, Okta or the mappings at hand.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use ts_rs::TS;

use super::client::{error_detail, Exchange, Response, ScimClient};
use super::mapping::MappingSet;
use super::path::{field, CORE_GROUP, CORE_USER, ENTERPRISE_USER};
use super::schema::{ResourceTypeDefinition, SchemaDefinition, ServerSchemas};
use crate::findings::{has_errors, Finding};

/// What `/ServiceProviderConfig` says is supported.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimSupport")]
pub struct Support {
    /// PATCH (Entra updates and deactivates with it).
    pub patch: bool,
    /// Bulk requests.
    pub bulk: bool,
    /// The most operations in one bulk request.
    #[ts(type = "number | null")]
    pub bulk_max_operations: Option<u64>,
    /// Filtering (Entra and Okta find users with it).
    pub filter: bool,
    /// The most results a filter returns.
    #[ts(type = "number | null")]
    pub filter_max_results: Option<u64>,
    /// Sorting.
    pub sort: bool,
    /// ETags.
    pub etag: bool,
    /// Changing passwords.
    pub change_password: bool,
    /// The authentication schemes announced (`oauthbearertoken`, `httpbasic`…).
    pub authentication_schemes: Vec<String>,
    /// The documentation link, when given.
    pub documentation_uri: Option<String>,
}

impl Support {
    /// Reads a `/ServiceProviderConfig` body leniently.
    pub fn from_json(json: &Json) -> Self {
        let supported = |name: &str| {
            field(json, name)
                .and_then(|f| field(f, "supported"))
                .is_some_and(|v| {
                    v.as_bool() == Some(true)
                        || v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("true"))
                })
        };
        let number = |name: &str, inner: &str| {
            field(json, name)
                .and_then(|f| field(f, inner))
                .and_then(Json::as_u64)
        };
        Self {
            patch: supported("patch"),
            bulk: supported("bulk"),
            bulk_max_operations: number("bulk", "maxOperations"),
            filter: supported("filter"),
            filter_max_results: number("filter", "maxResults"),
            sort: supported("sort"),
            etag: supported("etag"),
            change_password: supported("changePassword"),
            authentication_schemes: field(json, "authenticationSchemes")
                .and_then(Json::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|s| {
                            field(s, "type")
                                .or_else(|| field(s, "name"))
                                .and_then(Json::as_str)
                                .map(str::to_owned)
                        })
                        .collect()
                })
                .unwrap_or_default(),
            documentation_uri: field(json, "documentationUri")
                .and_then(Json::as_str)
                .map(str::to_owned),
        }
    }
}

/// What a schema is to the providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ScimSchemaKind")]
pub enum SchemaKind {
    /// The core User schema.
    CoreUser,
    /// The core Group schema.
    CoreGroup,
    /// RFC 7643's enterprise User extension.
    EnterpriseUser,
    /// An extension of the application's own.
    CustomExtension,
    /// Anything else (the server's own meta-schemas…).
    Other,
}

impl SchemaKind {
    /// The kind in people's words (the app's review panel says the same).
    pub fn label(self) -> &'static str {
        match self {
            Self::CoreUser => "core User",
            Self::CoreGroup => "core Group",
            Self::EnterpriseUser => "enterprise extension",
            Self::CustomExtension => "custom extension",
            Self::Other => "other",
        }
    }
}

/// A declared schema, as the review shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimSchemaReview")]
pub struct SchemaReview {
    /// What it is.
    pub kind: SchemaKind,
    /// Whether Users carry it (an extension listed on the User resource type, or core User).
    pub on_users: bool,
    /// Whether every user must carry it.
    pub required_on_users: bool,
    /// Whether the mappings write it.
    pub used_by_mappings: bool,
    /// The schema itself.
    pub definition: SchemaDefinition,
}

/// The review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimEndpointReview")]
pub struct EndpointReview {
    /// The tenant URL.
    pub base_url: String,
    /// The three requests.
    pub exchanges: Vec<Exchange>,
    /// What the server supports; `None` when `/ServiceProviderConfig` could not be read.
    pub support: Option<Support>,
    /// The resource types.
    pub resource_types: Vec<ResourceTypeDefinition>,
    /// The schemas.
    pub schemas: Vec<SchemaReview>,
    /// Everything found, errors first.
    pub findings: Vec<Finding>,
    /// Whether no finding is an error.
    pub passed: bool,
}

/// Reads and judges the endpoint. Returns the review and, when `/Schemas` could be read, what
/// the server declares (for previews).
pub async fn review(
    client: &ScimClient,
    mappings: Option<&MappingSet>,
) -> (EndpointReview, Option<ServerSchemas>) {
    let spc = client.get("/ServiceProviderConfig", &[]).await;
    let schemas = client.get("/Schemas", &[]).await;
    let types = client.get("/ResourceTypes", &[]).await;
    judge(client.base().as_str(), &spc, &schemas, &types, mappings)
}

fn read_failure(what: &str, response: &Response, findings: &mut Vec<Finding>) -> bool {
    if response.is_success() && response.json.is_some() {
        return false;
    }
    let path = response.exchange.path.clone();
    let (code, message) = match (response.code(), &response.exchange.error) {
        (Some(401), _) => (
            "token_rejected",
            format!("{path} answered 401: the token was refused, so {what} could not be read"),
        ),
        (Some(403), _) => (
            "token_forbidden",
            format!("{path} answered 403: the token may not read {what}"),
        ),
        (Some(404), _) => (
            "not_served",
            format!("{path} answered 404: the server does not publish {what}"),
        ),
        (Some(status), _) if (200..300).contains(&status) => {
            ("invalid_json", format!("{path} did not answer JSON"))
        }
        (Some(status), _) => (
            "unreadable",
            format!(
                "{path} answered {status}{}",
                error_detail(response.json.as_ref())
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            ),
        ),
        (None, Some(error)) => ("unreachable", format!("{path}: {error}")),
        (None, None) => ("unreachable", format!("{path}: no answer")),
    };
    let severity_error = matches!(code, "token_rejected" | "token_forbidden" | "unreachable");
    let fix = match code {
        "token_rejected" | "token_forbidden" => {
            "check the secret token (run the Test Connection for details)"
        }
        "not_served" => {
            "serve it (RFC 7644 §4); without it, clients cannot learn what the server supports"
        }
        _ => "check the tenant URL",
    };
    let finding = if severity_error {
        Finding::error(code, message, fix)
    } else {
        Finding::warning(code, message, fix)
    };
    findings.push(finding.about(path));
    true
}

/// Judges the three answers (pure: no network).
pub fn judge(
    base_url: &str,
    spc: &Response,
    schemas_response: &Response,
    types_response: &Response,
    mappings: Option<&MappingSet>,
) -> (EndpointReview, Option<ServerSchemas>) {
    let mut findings = Vec::new();

    let support = if read_failure("its configuration", spc, &mut findings) {
        None
    } else {
        spc.json.as_ref().map(Support::from_json)
    };
    if let Some(support) = &support {
        if !support.patch {
            findings.push(Finding::error(
                "patch_unsupported",
                "the server's /ServiceProviderConfig does not say that PATCH is supported (patch.supported is not true); Entra updates and deactivates users with PATCH only",
                "enable PATCH on the server (patch.supported = true), or Entra cannot update or deactivate anyone",
            ));
        }
        if !support.filter {
            findings.push(Finding::error(
                "filter_unsupported",
                "the server's /ServiceProviderConfig does not say that filtering is supported (filter.supported is not true); Entra and Okta look every user up with filter=userName eq \"…\" before creating it",
                "support filter with eq on userName and externalId at least",
            ));
        }
        if support.authentication_schemes.is_empty() {
            findings.push(Finding::info(
                "no_authentication_schemes",
                "the configuration lists no authentication scheme",
                "announce oauthbearertoken, the scheme Entra and Okta use",
            ));
        } else if !support
            .authentication_schemes
            .iter()
            .any(|s| s.to_lowercase().contains("bearer"))
        {
            findings.push(Finding::warning(
                "no_bearer_scheme",
                format!(
                    "the server announces {} but not oauthbearertoken; Entra sends the secret token as \"Authorization: Bearer …\"",
                    support.authentication_schemes.join(", ")
                ),
                "accept bearer tokens, or use a provider setting that matches the server's scheme",
            ));
        }
        if !support.bulk {
            findings.push(Finding::info(
                "bulk_unsupported",
                "bulk requests are not supported; neither Entra nor Okta needs them",
                "",
            ));
        }
    }

    let mut declared = ServerSchemas {
        origin: format!("the server's /Schemas ({base_url})"),
        ..ServerSchemas::default()
    };
    let schemas_read = !read_failure("its schemas", schemas_response, &mut findings);
    if let (true, Some(json)) = (schemas_read, &schemas_response.json) {
        let (parsed, skipped) = ServerSchemas::parse_schemas(json);
        if skipped > 0 {
            findings.push(Finding::warning(
                "unreadable_schemas",
                format!("{skipped} schema(s) of /Schemas have no id and were ignored"),
                "give every schema its URN as id",
            ));
        }
        declared.schemas = parsed;
        if declared.schema(CORE_USER).is_none() {
            findings.push(Finding::error(
                "core_user_missing",
                format!("/Schemas does not declare the core User schema {CORE_USER}"),
                "declare it: every provider writes core User attributes",
            ));
        }
    }
    let types_read = !read_failure("its resource types", types_response, &mut findings);
    if let (true, Some(json)) = (types_read, &types_response.json) {
        let (parsed, _) = ServerSchemas::parse_resource_types(json);
        declared.resource_types = parsed;
        if declared.user_type().is_none() {
            findings.push(Finding::error(
                "user_type_missing",
                "/ResourceTypes has no User resource type",
                "declare the User resource type with endpoint /Users",
            ));
        }
        if declared.group_type().is_none() {
            findings.push(Finding::info(
                "groups_unsupported",
                "/ResourceTypes has no Group resource type: groups cannot be provisioned",
                "turn group provisioning off in the provider, or add Groups to the server",
            ));
        }
        if let Some(user) = declared.user_type() {
            for extension in &user.schema_extensions {
                if schemas_read && declared.schema(&extension.schema).is_none() {
                    findings.push(
                        Finding::warning(
                            "extension_schema_missing",
                            format!("the User resource type allows {} but /Schemas does not describe it", extension.schema),
                            "add the extension's schema to /Schemas",
                        )
                        .about(extension.schema.clone()),
                    );
                }
            }
        }
    }

    let usable = schemas_read && !declared.schemas.is_empty();
    let mut used: Vec<String> = Vec::new();
    if let (Some(set), true) = (mappings, usable) {
        findings.extend(judge_mappings(set, &declared, &mut used));
    }

    let user_type = declared.user_type().cloned();
    let schemas = declared
        .schemas
        .iter()
        .map(|definition| {
            let extension = user_type.as_ref().and_then(|u| {
                u.schema_extensions
                    .iter()
                    .find(|e| e.schema.eq_ignore_ascii_case(&definition.id))
            });
            let kind = if definition.id.eq_ignore_ascii_case(CORE_USER) {
                SchemaKind::CoreUser
            } else if definition.id.eq_ignore_ascii_case(CORE_GROUP) {
                SchemaKind::CoreGroup
            } else if definition.id.eq_ignore_ascii_case(ENTERPRISE_USER) {
                SchemaKind::EnterpriseUser
            } else if definition.id.to_lowercase().contains(":extension:") || extension.is_some() {
                SchemaKind::CustomExtension
            } else {
                SchemaKind::Other
            };
            SchemaReview {
                kind,
                on_users: kind == SchemaKind::CoreUser || extension.is_some(),
                required_on_users: kind == SchemaKind::CoreUser
                    || extension.is_some_and(|e| e.required),
                used_by_mappings: used.iter().any(|u| u.eq_ignore_ascii_case(&definition.id)),
                definition: definition.clone(),
            }
        })
        .collect();
    findings.sort_by_key(|f| f.severity);
    let review = EndpointReview {
        base_url: base_url.to_owned(),
        exchanges: vec![
            spc.exchange.clone(),
            schemas_response.exchange.clone(),
            types_response.exchange.clone(),
        ],
        passed: !has_errors(&findings),
        support,
        resource_types: declared.resource_types.clone(),
        schemas,
        findings,
    };
    (review, usable.then_some(declared))
}

/// What the server's declarations mean for a mapping set: undeclared extensions and
/// attributes, required attributes no mapping writes. `used` collects the schemas written.
pub fn judge_mappings(
    set: &MappingSet,
    declared: &ServerSchemas,
    used: &mut Vec<String>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for mapping in &set.mappings {
        let target = &mapping.target;
        let schema_id = target.schema_or_core().to_owned();
        if !used.iter().any(|u| u.eq_ignore_ascii_case(&schema_id)) {
            used.push(schema_id.clone());
        }
        let subject = format!("mappings[{}]", mapping.index);
        if target.schema.is_none() && target.attribute.eq_ignore_ascii_case("externalId") {
            continue;
        }
        let Some(schema) = declared.schema(&schema_id) else {
            findings.push(
                Finding::error(
                    "extension_undeclared",
                    format!("the mappings write {target}, but the server does not declare the extension {schema_id}"),
                    "check the URN's spelling against /Schemas, or have the application add the extension",
                )
                .about(subject),
            );
            continue;
        };
        if target.schema.is_some() && declared.user_extension(&schema_id).is_none() {
            findings.push(
                Finding::error(
                    "extension_not_on_users",
                    format!("{schema_id} is declared but not allowed on Users (it is missing from the User resource type's schemaExtensions)"),
                    "add it to the User resource type on the server",
                )
                .about(subject.clone()),
            );
        }
        match schema.attribute(&target.attribute) {
            None => findings.push(
                Finding::error(
                    "attribute_undeclared",
                    format!(
                        "the mappings write {target}, but {schema_id} has no attribute {}",
                        target.attribute
                    ),
                    "pick a target the server declares (see the schema's attributes)",
                )
                .about(subject),
            ),
            Some(attribute) => {
                if let Some(sub) = &target.sub_attribute {
                    if attribute.sub_attribute(sub).is_none() {
                        let known: Vec<&str> = attribute
                            .sub_attributes
                            .iter()
                            .map(|s| s.name.as_str())
                            .collect();
                        findings.push(
                            Finding::error(
                                "attribute_undeclared",
                                format!("the mappings write {target}, but {} has no sub-attribute {sub} (it has {})", attribute.name, known.join(", ")),
                                "pick one of the declared sub-attributes",
                            )
                            .about(subject),
                        );
                    }
                } else if attribute.is_read_only() {
                    findings.push(
                        Finding::error(
                            "read_only",
                            format!(
                                "the mappings write {target}, which the server declares read-only"
                            ),
                            "remove the mapping",
                        )
                        .about(subject),
                    );
                }
            }
        }
    }
    let written = |schema: &str, attribute: &str| {
        set.mappings.iter().any(|m| {
            m.target.schema_or_core().eq_ignore_ascii_case(schema)
                && m.target.attribute.eq_ignore_ascii_case(attribute)
        })
    };
    let mut required_schemas = vec![CORE_USER.to_owned()];
    if let Some(user) = declared.user_type() {
        for extension in &user.schema_extensions {
            let used_here = used
                .iter()
                .any(|u| u.eq_ignore_ascii_case(&extension.schema));
            if extension.required || used_here {
                required_schemas.push(extension.schema.clone());
            }
            if extension.required && !used_here {
                findings.push(
                    Finding::error(
                        "required_extension_unmapped",
                        format!(
                            "the server requires every user to carry {}, and no mapping writes it",
                            extension.schema
                        ),
                        "add mappings for its required attributes",
                    )
                    .about(extension.schema.clone()),
                );
            }
        }
    }
    for schema_id in required_schemas {
        let Some(schema) = declared.schema(&schema_id) else {
            continue;
        };
        for attribute in schema
            .attributes
            .iter()
            .filter(|a| a.required && !a.is_read_only())
        {
            if !written(&schema.id, &attribute.name) {
                let path = if schema.id.eq_ignore_ascii_case(CORE_USER) {
                    attribute.name.clone()
                } else {
                    format!("{}:{}", schema.id, attribute.name)
                };
                findings.push(
                    Finding::error(
                        "required_unmapped",
                        format!("the server requires {path} and no mapping writes it"),
                        "add a mapping; a Constant works when every user gets the same value",
                    )
                    .about(path),
                );
            }
        }
    }
    findings
}
