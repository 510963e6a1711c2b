//! The preview (C14): for a sample source user, the requests a provider would send — the
//! matching query, `POST /Users`, the update (`PATCH`, or Okta's `PUT`) and the deactivation's
//! `PATCH` — each checked against the server's schemas (or RFC 7643's when no endpoint is given).

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use ts_rs::TS;

use super::expression::SourceUser;
use super::mapping::{is_identifying, MappedValue, MappingSet, Operation};
use super::payload::{self, Quirks, UserUpdate};
use super::schema::ServerSchemas;
use super::validate;
use crate::findings::{has_errors, Finding};

/// One request as the provider would send it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimPreviewRequest")]
pub struct PreviewRequest {
    /// GET, POST, PATCH or PUT.
    pub method: String,
    /// The path relative to the base URL (`/Users/{id}` stands for the id the server assigns).
    pub path: String,
    /// The body; null for a GET.
    #[ts(type = "unknown")]
    pub body: Json,
}

/// Options of a preview.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimPreviewOptions")]
pub struct PreviewOptions {
    /// Write PATCH requests as Entra does (`"Replace"`, booleans as `"False"`).
    pub entra_quirks: bool,
}

/// What the provider would send for a user, and what the server would make of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimPreview")]
pub struct Preview {
    /// Each mapping's value for the sample user.
    pub values: Vec<MappedValue>,
    /// The query the provider sends first to find the user (by the matching attribute of
    /// lowest precedence).
    pub matching_query: Option<PreviewRequest>,
    /// `POST /Users`.
    pub create: PreviewRequest,
    /// The source attribute changed to show an update, when the preview chose it.
    pub changed_attribute: Option<String>,
    /// The change: `PATCH /Users/{id}`, or Okta's `PUT /Users/{id}`; `None` when no mapped
    /// value changes.
    pub update: Option<PreviewRequest>,
    /// `PATCH /Users/{id}` setting `active` to false.
    pub deactivate: PreviewRequest,
    /// What the bodies were checked against.
    pub validated_against: String,
    /// Everything found, errors first.
    pub findings: Vec<Finding>,
    /// Whether no finding is an error.
    pub valid: bool,
}

/// The attribute a preview changes when no changed user is given, and the changed user: the
/// first text attribute read by a mapping that applies on updates and does not identify the
/// user.
pub(crate) fn synthesize_change(
    set: &MappingSet,
    user: &SourceUser,
) -> Option<(String, SourceUser)> {
    for mapping in set.mappings.iter().filter(|m| {
        m.match_precedence.is_none()
            && m.apply == super::mapping::ApplyOn::Always
            && !is_identifying(&m.target)
    }) {
        for attribute in mapping.source_attributes() {
            if let Some(Json::String(current)) = user.json_attribute(&attribute) {
                let mut changed = user.0.clone();
                let new_value = Json::String(format!("{current} (changed)"));
                if replace_attribute(&mut changed, &attribute, new_value) {
                    return Some((attribute, SourceUser(changed)));
                }
            }
        }
    }
    None
}

/// Sets an attribute found the way [`SourceUser::json_attribute`] finds it.
fn replace_attribute(root: &mut Json, name: &str, value: Json) -> bool {
    fn slot<'a>(root: &'a mut Json, path: &str) -> Option<&'a mut Json> {
        let object = root.as_object_mut()?;
        let key = object
            .keys()
            .find(|k| k.as_str() == path)
            .or_else(|| object.keys().find(|k| k.eq_ignore_ascii_case(path)))
            .cloned();
        if let Some(key) = key {
            return object.get_mut(&key);
        }
        let (head, rest) = path.split_once('.')?;
        let key = object
            .keys()
            .find(|k| k.eq_ignore_ascii_case(head))
            .cloned()?;
        slot(object.get_mut(&key)?, rest)
    }
    let name = name.strip_prefix("user.").unwrap_or(name);
    if let Some(target) = slot(root, name) {
        *target = value;
        return true;
    }
    match root.get_mut("profile") {
        Some(profile) => match slot(profile, name) {
            Some(target) => {
                *target = value;
                true
            }
            None => false,
        },
        None => false,
    }
}

/// The filter the provider sends to find a user by the mapping of lowest precedence.
pub fn matching_filter(set: &MappingSet, values: &[MappedValue]) -> Option<(String, String)> {
    set.matching().into_iter().find_map(|mapping| {
        let value = values.iter().find(|v| v.index == mapping.index)?;
        let text = match &value.value {
            Json::String(s) => s.clone(),
            Json::Number(n) => n.to_string(),
            Json::Bool(b) => b.to_string(),
            _ => return None,
        };
        Some((
            format!("{} eq \"{}\"", mapping.target, text.replace('"', "\\\"")),
            text,
        ))
    })
}

/// Builds and checks the requests for `user` (and `changed`, or a change the preview picks).
pub fn preview(
    set: &MappingSet,
    user: &Json,
    changed: Option<&Json>,
    schemas: Option<&ServerSchemas>,
    options: PreviewOptions,
) -> Preview {
    let quirks = Quirks {
        entra: options.entra_quirks,
    };
    let rfc = ServerSchemas::rfc7643();
    let against = schemas.unwrap_or(&rfc);
    let user = SourceUser(user.clone());
    let (values, mut findings) = set.evaluate(&user, Operation::Create);
    let create_body = payload::user_resource(&values, set.provider, Some(against));
    findings.extend(validate::validate_user(&create_body, against));
    findings.extend(split_spaces(&values));

    let (changed_attribute, changed_user) = match changed {
        Some(json) => (None, Some(SourceUser(json.clone()))),
        None => match synthesize_change(set, &user) {
            Some((attribute, changed)) => (Some(attribute), Some(changed)),
            None => (None, None),
        },
    };
    let update = changed_user.and_then(|changed_user| {
        let (before, _) = set.evaluate(&user, Operation::Update);
        let (after, after_findings) = set.evaluate(&changed_user, Operation::Update);
        findings.extend(after_findings);
        let Some(update) =
            payload::user_update(set.provider, &before, &after, Some(against), quirks)
        else {
            findings.push(Finding::info(
                "no_change",
                "the changed user gives the same mapped values, so the provider would send no update",
                "change a source attribute that a mapping reads",
            ));
            return None;
        };
        findings.extend(match &update {
            UserUpdate::Patch(body) => {
                validate::validate_patch(body, against, options.entra_quirks)
            }
            UserUpdate::Put(user) => validate::validate_user(user, against),
        });
        Some(PreviewRequest {
            method: update.method().into(),
            path: "/Users/{id}".into(),
            body: update.into_body("{id}"),
        })
    });
    let deactivate_body =
        payload::patch_request(payload::deactivate_operations(set.provider, quirks));
    findings.extend(validate::validate_patch(
        &deactivate_body,
        against,
        options.entra_quirks,
    ));
    let matching_query = matching_filter(set, &values).map(|(filter, _)| PreviewRequest {
        method: "GET".into(),
        path: format!("/Users?filter={filter}"),
        body: Json::Null,
    });
    if matching_query.is_none() {
        findings.push(Finding::warning(
            "no_matching_value",
            "the matching attribute has no value for this user, so the provider cannot look the user up first",
            "give the sample user a value for the matching attribute",
        ));
    }
    findings.sort_by_key(|f| f.severity);
    dedupe(&mut findings);
    Preview {
        valid: !has_errors(&findings),
        values,
        matching_query,
        create: PreviewRequest {
            method: "POST".into(),
            path: "/Users".into(),
            body: create_body,
        },
        changed_attribute,
        update,
        deactivate: PreviewRequest {
            method: "PATCH".into(),
            path: "/Users/{id}".into(),
            body: deactivate_body,
        },
        validated_against: against.origin.clone(),
        findings,
    }
}

fn dedupe(findings: &mut Vec<Finding>) {
    let mut seen = Vec::new();
    findings.retain(|f| {
        let key = (f.code.clone(), f.subject.clone(), f.message.clone());
        if seen.contains(&key) {
            false
        } else {
            seen.push(key);
            true
        }
    });
}

/// `Split` keeps the spaces after the separators ("Folder 1, Folder 2").
fn split_spaces(values: &[MappedValue]) -> Vec<Finding> {
    values
        .iter()
        .filter(|v| {
            v.value.as_array().is_some_and(|items| {
                items
                    .iter()
                    .filter_map(Json::as_str)
                    .any(|s| s.trim() != s)
            })
        })
        .map(|v| {
            Finding::warning(
                "values_with_spaces",
                format!("some values of {} start or end with spaces, as Split keeps what surrounds the separator", v.target),
                "split on \", \" or remove the spaces from the source attribute",
            )
            .about(v.target.clone())
        })
        .collect()
}
