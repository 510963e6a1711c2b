//! Attribute mappings as Entra and Okta define them: for each SCIM target attribute, a Direct
//! source attribute, a Constant or an Expression, a default when the result is null, whether
//! (and with which precedence) it matches existing users, and when it applies.
//!
//! The JSON shape of [`MappingDocument`] is the import/export format, documented in
//! `docs/scim-mappings.md`.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use ts_rs::TS;

use super::expression::{Expression, SourceUser};
use super::path::TargetPath;
use crate::directory::FieldError;
use crate::findings::Finding;

/// The `format` of a mapping document.
pub const MAPPING_FORMAT: &str = "sso-console/scim-mappings";
/// The newest mapping document version this build reads and writes.
pub const MAPPING_VERSION: u32 = 1;
/// The most mappings one document may hold.
pub const MAX_MAPPINGS: usize = 500;

/// The provisioning service a mapping set is written for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ScimProvider")]
pub enum Provider {
    /// Microsoft Entra ID's provisioning service.
    #[default]
    Entra,
    /// Okta's provisioning.
    Okta,
    /// Any other SCIM client.
    Generic,
}

impl Provider {
    /// The product's name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Entra => "Microsoft Entra ID",
            Self::Okta => "Okta",
            Self::Generic => "a SCIM client",
        }
    }
}

/// Where a target's value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export, rename = "ScimMappingSource")]
pub enum MappingSource {
    /// A source attribute, as it is (`givenName`, `employeeOrgData.division`).
    Direct {
        /// The source attribute's name; dots walk into objects.
        attribute: String,
    },
    /// The same value for every user.
    Constant {
        /// The value.
        value: String,
    },
    /// An expression such as `Split([folders], ",")`.
    Expression {
        /// The expression's text.
        expression: String,
    },
}

/// When a mapping is applied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ScimApplyOn")]
pub enum ApplyOn {
    /// On create and on every update.
    #[default]
    Always,
    /// Only when the user is created.
    OnCreate,
}

/// One attribute mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimAttributeMapping")]
pub struct AttributeMapping {
    /// The SCIM attribute path written (`name.givenName`, `urn:…:enterprise:2.0:User:department`).
    pub target: String,
    /// Where the value comes from.
    pub source: MappingSource,
    /// Written instead when the source gives null or empty text (Direct and Expression only).
    #[serde(default)]
    pub default_value: Option<String>,
    /// When set, the provider finds existing users by this attribute; lower numbers are tried
    /// first (Entra's "matching precedence", starting at 1).
    #[serde(default)]
    pub match_precedence: Option<u32>,
    /// When the mapping applies.
    #[serde(default)]
    pub apply: ApplyOn,
}

/// A set of mappings: what is stored with a SCIM connection, imported and exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimMappingDocument")]
pub struct MappingDocument {
    /// Always `sso-console/scim-mappings`.
    #[serde(default = "default_format")]
    pub format: String,
    /// The format version, 1.
    #[serde(default = "default_version")]
    pub version: u32,
    /// A name for people ("Learning platform, Entra").
    #[serde(default)]
    pub name: String,
    /// The provisioning service the mappings are written for.
    #[serde(default)]
    pub provider: Provider,
    /// The mappings, in the order the provider shows them.
    #[serde(default)]
    pub mappings: Vec<AttributeMapping>,
}

fn default_format() -> String {
    MAPPING_FORMAT.to_owned()
}

fn default_version() -> u32 {
    MAPPING_VERSION
}

impl Default for MappingDocument {
    fn default() -> Self {
        Self {
            format: default_format(),
            version: MAPPING_VERSION,
            name: String::new(),
            provider: Provider::Entra,
            mappings: Vec::new(),
        }
    }
}

impl MappingDocument {
    /// Reads a document from JSON text; the error names the line and column of a syntax error.
    pub fn from_json(text: &str) -> Result<Self, Vec<FieldError>> {
        serde_json::from_str(text).map_err(|e| {
            vec![FieldError::new(
                "document",
                format!(
                    "this is not a SCIM mapping document: {e}. See docs/scim-mappings.md for its shape"
                ),
            )]
        })
    }

    /// The document as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks every mapping; on success, the parsed set. Every problem is reported at once,
    /// each under its field (`mappings[2].source.expression`).
    pub fn check(&self) -> Result<MappingSet, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.format != MAPPING_FORMAT {
            errors.push(FieldError::new(
                "format",
                format!(
                    "the format is \"{}\"; a SCIM mapping document says \"{MAPPING_FORMAT}\"",
                    self.format
                ),
            ));
        }
        if self.version == 0 || self.version > MAPPING_VERSION {
            errors.push(FieldError::new(
                "version",
                format!(
                    "version {} is not one this build reads (1 to {MAPPING_VERSION}); update SSO Console",
                    self.version
                ),
            ));
        }
        if self.mappings.len() > MAX_MAPPINGS {
            errors.push(FieldError::new(
                "mappings",
                format!(
                    "{} mappings; at most {MAX_MAPPINGS} are accepted",
                    self.mappings.len()
                ),
            ));
            return Err(errors);
        }
        let mut parsed = Vec::new();
        let mut targets: Vec<(String, usize)> = Vec::new();
        let mut precedences: Vec<(u32, usize)> = Vec::new();
        for (index, mapping) in self.mappings.iter().enumerate() {
            let here = |part: &str| format!("mappings[{index}].{part}");
            let target = match TargetPath::parse(&mapping.target) {
                Ok(target) => {
                    let key = target.to_string().to_lowercase();
                    if let Some((_, first)) = targets.iter().find(|(k, _)| *k == key) {
                        errors.push(FieldError::new(
                            here("target"),
                            format!(
                                "{} is already the target of mapping {}; a target takes one mapping",
                                mapping.target,
                                first + 1
                            ),
                        ));
                    } else {
                        targets.push((key, index));
                    }
                    if target.schema.is_none()
                        && matches!(target.attribute.to_lowercase().as_str(), "id" | "meta")
                    {
                        errors.push(FieldError::new(
                            here("target"),
                            format!(
                                "{} is set by the SCIM server itself; map another attribute",
                                target.attribute
                            ),
                        ));
                    }
                    Some(target)
                }
                Err(message) => {
                    errors.push(FieldError::new(here("target"), message));
                    None
                }
            };
            let source = match &mapping.source {
                MappingSource::Direct { attribute } => {
                    let name = attribute.trim();
                    if name.is_empty() {
                        errors.push(FieldError::new(
                            here("source.attribute"),
                            "choose the source attribute, such as givenName",
                        ));
                        None
                    } else if name.starts_with('[') || name.ends_with(']') {
                        errors.push(FieldError::new(
                            here("source.attribute"),
                            format!(
                                "write the attribute without brackets: {}",
                                name.trim_matches(|c| c == '[' || c == ']')
                            ),
                        ));
                        None
                    } else {
                        Some(CheckedSource::Direct(name.to_owned()))
                    }
                }
                MappingSource::Constant { value } => {
                    if mapping.default_value.is_some() {
                        errors.push(FieldError::new(
                            here("default_value"),
                            "a Constant is never null, so it takes no default value; remove it",
                        ));
                    }
                    Some(CheckedSource::Constant(value.clone()))
                }
                MappingSource::Expression { expression } => match Expression::parse(expression) {
                    Ok(parsed) => Some(CheckedSource::Expression(parsed)),
                    Err(e) => {
                        errors.push(FieldError::new(here("source.expression"), e.to_string()));
                        None
                    }
                },
            };
            if let Some(precedence) = mapping.match_precedence {
                if precedence == 0 {
                    errors.push(FieldError::new(
                        here("match_precedence"),
                        "matching precedence starts at 1",
                    ));
                } else if let Some((_, first)) = precedences.iter().find(|(p, _)| *p == precedence)
                {
                    errors.push(FieldError::new(
                        here("match_precedence"),
                        format!(
                            "mapping {} already has matching precedence {precedence}; give each matching attribute its own",
                            first + 1
                        ),
                    ));
                } else {
                    precedences.push((precedence, index));
                }
            }
            if let (Some(target), Some(source)) = (target, source) {
                parsed.push(CheckedMapping {
                    index,
                    target,
                    source,
                    default_value: mapping.default_value.clone(),
                    match_precedence: mapping.match_precedence,
                    apply: mapping.apply,
                });
            }
        }
        if !self.mappings.is_empty() {
            if precedences.is_empty() {
                errors.push(FieldError::new(
                    "mappings",
                    "no mapping matches users; the provider needs one to find existing users (usually userName, matching precedence 1)",
                ));
            }
            if !targets.iter().any(|(k, _)| k == "username") {
                errors.push(FieldError::new(
                    "mappings",
                    "userName is not mapped; every SCIM user needs one (RFC 7643 §4.1). Map it, usually from userPrincipalName or email",
                ));
            }
        }
        if errors.is_empty() {
            Ok(MappingSet {
                provider: self.provider,
                mappings: parsed,
            })
        } else {
            Err(errors)
        }
    }
}

#[derive(Debug, Clone)]
enum CheckedSource {
    Direct(String),
    Constant(String),
    Expression(Expression),
}

/// One checked mapping.
#[derive(Debug, Clone)]
pub struct CheckedMapping {
    /// Its position in the document.
    pub index: usize,
    /// The parsed target.
    pub target: TargetPath,
    source: CheckedSource,
    /// The default value.
    pub default_value: Option<String>,
    /// Matching precedence.
    pub match_precedence: Option<u32>,
    /// When it applies.
    pub apply: ApplyOn,
}

impl CheckedMapping {
    /// The source attributes it reads.
    pub fn source_attributes(&self) -> Vec<String> {
        match &self.source {
            CheckedSource::Direct(name) => vec![name.clone()],
            CheckedSource::Constant(_) => Vec::new(),
            CheckedSource::Expression(e) => e.attributes(),
        }
    }

    /// How the mapping reads, for people ("Direct givenName").
    pub fn describe_source(&self) -> String {
        match &self.source {
            CheckedSource::Direct(name) => format!("Direct [{name}]"),
            CheckedSource::Constant(value) => format!("Constant \"{value}\""),
            CheckedSource::Expression(e) => format!("Expression {}", e.text()),
        }
    }
}

/// A checked mapping set, ready to evaluate.
#[derive(Debug, Clone)]
pub struct MappingSet {
    /// The provider the mappings are written for.
    pub provider: Provider,
    /// The mappings, in document order.
    pub mappings: Vec<CheckedMapping>,
}

/// One mapping's result for one user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimMappedValue")]
pub struct MappedValue {
    /// The mapping's position in the document.
    pub index: usize,
    /// The target attribute.
    pub target: String,
    /// How the value was obtained ("Direct [givenName]").
    pub source: String,
    /// The value sent; null when nothing is sent.
    #[ts(type = "unknown")]
    pub value: Json,
    /// Whether the default value was used.
    pub used_default: bool,
    /// Whether the mapping matches users.
    pub matching: bool,
    /// Why nothing is sent, or what went wrong.
    pub note: Option<String>,
}

/// Which operation the values are computed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Creating the user: every mapping applies.
    Create,
    /// Updating the user: "on create only" mappings do not apply.
    Update,
}

impl MappingSet {
    /// The matching mappings, lowest precedence number first.
    pub fn matching(&self) -> Vec<&CheckedMapping> {
        let mut out: Vec<&CheckedMapping> = self
            .mappings
            .iter()
            .filter(|m| m.match_precedence.is_some())
            .collect();
        out.sort_by_key(|m| m.match_precedence);
        out
    }

    /// Evaluates every mapping for a user. Expression failures become findings naming the
    /// mapping and the character.
    pub fn evaluate(
        &self,
        user: &SourceUser,
        operation: Operation,
    ) -> (Vec<MappedValue>, Vec<Finding>) {
        let mut values = Vec::new();
        let mut findings = Vec::new();
        for mapping in &self.mappings {
            if operation == Operation::Update && mapping.apply == ApplyOn::OnCreate {
                continue;
            }
            let mut note = None;
            let raw = match &mapping.source {
                CheckedSource::Direct(name) => {
                    user.json_attribute(name).cloned().unwrap_or(Json::Null)
                }
                CheckedSource::Constant(value) => Json::String(value.clone()),
                CheckedSource::Expression(expression) => match expression.evaluate(user) {
                    Ok(value) => value.to_json(),
                    Err(e) => {
                        findings.push(
                            Finding::error(
                                "expression_failed",
                                format!(
                                    "the expression of {} fails for this user {e}",
                                    mapping.target
                                ),
                                "fix the expression or the sample user",
                            )
                            .about(format!("mappings[{}]", mapping.index)),
                        );
                        note = Some(format!("expression failed {e}"));
                        Json::Null
                    }
                },
            };
            let empty = match &raw {
                Json::Null => true,
                Json::String(s) => s.is_empty(),
                Json::Array(items) => items.is_empty(),
                _ => false,
            };
            let (value, used_default) = match (&mapping.default_value, empty) {
                (Some(default), true) => (Json::String(default.clone()), true),
                (None, true) => {
                    if note.is_none() {
                        note =
                            Some("the source has no value, so the provider sends nothing".into());
                    }
                    (Json::Null, false)
                }
                _ => (raw, false),
            };
            values.push(MappedValue {
                index: mapping.index,
                target: mapping.target.to_string(),
                source: mapping.describe_source(),
                value,
                used_default,
                matching: mapping.match_precedence.is_some(),
                note,
            });
        }
        (values, findings)
    }
}

/// Whether a target identifies a user, so that a dry run tags its value and a preview never makes up a change to it.
pub fn is_identifying(target: &TargetPath) -> bool {
    target.schema.is_none()
        && ["userName", "externalId", "emails"]
            .iter()
            .any(|a| target.attribute.eq_ignore_ascii_case(a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn mapping(target: &str, source: MappingSource) -> AttributeMapping {
        AttributeMapping {
            target: target.into(),
            source,
            default_value: None,
            match_precedence: None,
            apply: ApplyOn::Always,
        }
    }

    fn direct(attribute: &str) -> MappingSource {
        MappingSource::Direct {
            attribute: attribute.into(),
        }
    }

    fn document(mappings: Vec<AttributeMapping>) -> MappingDocument {
        MappingDocument {
            mappings,
            ..MappingDocument::default()
        }
    }

    #[test]
    fn a_document_round_trips_through_its_json_shape() {
        let mut user_name = mapping("userName", direct("userPrincipalName"));
        user_name.match_precedence = Some(1);
        let doc = document(vec![
            user_name,
            mapping(
                "urn:ietf:params:scim:schemas:extension:ilms:2.0:User:region",
                MappingSource::Constant {
                    value: "EMEA".into(),
                },
            ),
        ]);
        let text = doc.to_json();
        assert!(text.contains("\"type\": \"constant\""), "{text}");
        assert_eq!(MappingDocument::from_json(&text).unwrap(), doc);
        assert!(doc.check().is_ok());
    }

    #[test]
    fn every_problem_of_a_document_is_reported_under_its_field() {
        let mut first = mapping("userName", direct(""));
        first.match_precedence = Some(1);
        let mut second = mapping(
            "displayName",
            MappingSource::Expression {
                expression: "Join(\" \", [givenName]".into(),
            },
        );
        second.match_precedence = Some(1);
        let mut third = mapping(
            "emails[type eq \"work\"].value",
            MappingSource::Constant { value: "x".into() },
        );
        third.default_value = Some("y".into());
        let doc = document(vec![
            first,
            second,
            third,
            mapping("USERNAME", direct("mail")),
        ]);
        let errors = doc.check().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "mappings[0].source.attribute",
                "mappings[1].source.expression",
                "mappings[1].match_precedence",
                "mappings[2].default_value",
                "mappings[3].target",
            ],
            "{errors:?}"
        );
        assert!(
            errors[1].message.contains("at character"),
            "{}",
            errors[1].message
        );
    }

    #[test]
    fn a_document_without_user_name_or_matching_attribute_is_refused() {
        let errors = document(vec![mapping("displayName", direct("displayName"))])
            .check()
            .unwrap_err();
        let text: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert!(text.iter().any(|m| m.contains("no mapping matches users")));
        assert!(text.iter().any(|m| m.contains("userName is not mapped")));
    }

    #[test]
    fn defaults_apply_to_null_and_empty_results_and_on_create_mappings_skip_updates() {
        let mut user_type = mapping("userType", direct("companyName"));
        user_type.default_value = Some("Standard".into());
        let mut user_name = mapping("userName", direct("userPrincipalName"));
        user_name.match_precedence = Some(1);
        let mut once = mapping("title", direct("jobTitle"));
        once.apply = ApplyOn::OnCreate;
        let set = document(vec![user_name, user_type, once]).check().unwrap();
        let user = SourceUser(
            json!({"userPrincipalName": "a@x.example", "companyName": "", "jobTitle": "CTO"}),
        );
        let (values, findings) = set.evaluate(&user, Operation::Create);
        assert!(findings.is_empty());
        assert_eq!(values[1].value, json!("Standard"));
        assert!(values[1].used_default);
        assert_eq!(values.len(), 3);
        let (values, _) = set.evaluate(&user, Operation::Update);
        assert_eq!(
            values.len(),
            2,
            "the on-create mapping is left out of updates"
        );
    }

    #[test]
    fn okta_profiles_and_entra_nested_attributes_are_found() {
        let okta = SourceUser(
            json!({"id": "00u1", "profile": {"firstName": "Ada", "login": "ada@x.example"}}),
        );
        assert_eq!(okta.json_attribute("firstName"), Some(&json!("Ada")));
        assert_eq!(
            okta.json_attribute("user.login"),
            Some(&json!("ada@x.example"))
        );
        let entra = SourceUser(json!({"employeeOrgData": {"division": "Sales"}}));
        assert_eq!(
            entra.json_attribute("employeeOrgData.division"),
            Some(&json!("Sales"))
        );
        assert_eq!(
            entra.json_attribute("EmployeeOrgData.Division"),
            Some(&json!("Sales"))
        );
        assert_eq!(entra.json_attribute("missing"), None);
    }
}
