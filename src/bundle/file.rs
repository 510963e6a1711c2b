//! The bundle as one JSON file (DESIGN §7.3): written with a stable member order, read with a
//! size limit, its format and version checked first, and every member this version does not
//! know named in a warning and left aside.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{BundleError, Contents, MappingSet, Settings, FORMAT, MAX_BYTES, VERSION};
use crate::directory::DirectoryDocument;
use crate::scim::connection::ScimConnectionDocument;
use crate::scim::mapping::MappingDocument;

/// A SCIM connection as a bundle holds it: its mappings are in a mapping set of their own.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct ConnectionEntry {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub tenant_url: String,
    #[serde(default)]
    pub directory_id: Option<String>,
    #[serde(default)]
    pub notes: String,
}

impl ConnectionEntry {
    pub fn of(doc: &ScimConnectionDocument) -> Self {
        Self {
            id: doc.id.clone(),
            name: doc.name.clone(),
            tenant_url: doc.tenant_url.clone(),
            directory_id: doc.directory_id.clone(),
            notes: doc.notes.clone(),
        }
    }
}

/// The mapping set of a connection.
pub(super) fn mapping_set(doc: &ScimConnectionDocument) -> MappingSet {
    MappingSet {
        scim_connection_id: doc.id.clone().unwrap_or_default(),
        mappings: doc.mappings.clone(),
    }
}

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u32,
    created_at: &'a str,
    app_version: &'a str,
    directories: &'a [DirectoryDocument],
    scim_connections: Vec<ConnectionEntry>,
    scim_mapping_sets: Vec<MappingSet>,
    settings: &'a Settings,
    #[serde(skip_serializing_if = "Option::is_none")]
    secrets: Option<&'a str>,
}

#[derive(Deserialize)]
struct FileIn {
    #[serde(default)]
    app_version: String,
    #[serde(default)]
    created_at: String,
    #[serde(default)]
    directories: Vec<DirectoryDocument>,
    #[serde(default)]
    scim_connections: Vec<ConnectionEntry>,
    #[serde(default)]
    scim_mapping_sets: Vec<MappingSet>,
    #[serde(default)]
    settings: Settings,
    #[serde(default)]
    secrets: Option<String>,
}

const TOP_LEVEL: [&str; 9] = [
    "format",
    "version",
    "created_at",
    "app_version",
    "directories",
    "scim_connections",
    "scim_mapping_sets",
    "settings",
    "secrets",
];

/// The bundle as the file's text: pretty JSON ending in a new line.
pub fn write(contents: &Contents) -> String {
    let out = FileOut {
        format: FORMAT,
        version: VERSION,
        created_at: &contents.created_at,
        app_version: &contents.app_version,
        directories: &contents.directories,
        scim_connections: contents
            .scim_connections
            .iter()
            .map(ConnectionEntry::of)
            .collect(),
        scim_mapping_sets: contents.scim_connections.iter().map(mapping_set).collect(),
        settings: &contents.settings,
        secrets: contents.sealed_secrets.as_deref(),
    };
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads a bundle file: the size first, then the JSON, its format and version, then its shape.
pub fn parse(bytes: &[u8]) -> Result<Contents, BundleError> {
    if bytes.len() > MAX_BYTES {
        return Err(BundleError::TooLarge {
            bytes: bytes.len() as u64,
        });
    }
    let value = json(bytes)?;
    check_header(&value)?;
    let mut warnings = unknown_members("the bundle", &value, &TOP_LEVEL);
    for (list, known) in [
        ("directories", known_members(&DirectoryDocument::default())),
        (
            "scim_connections",
            known_members(&ConnectionEntry::default()),
        ),
        ("scim_mapping_sets", mapping_set_members()),
    ] {
        if let Some(Value::Array(items)) = value.get(list) {
            for (i, item) in items.iter().enumerate() {
                let known: Vec<&str> = known.iter().map(String::as_str).collect();
                warnings.extend(unknown_members(&format!("{list}[{i}]"), item, &known));
            }
        }
    }
    let read: FileIn = serde_path_to_error::deserialize(value)
        .map_err(|e| BundleError::Malformed(crate::error_kind::json_shape_error(&e)))?;
    Ok(Contents {
        app_version: read.app_version,
        created_at: read.created_at,
        directories: read.directories,
        scim_connections: join_mapping_sets(read.scim_connections, read.scim_mapping_sets)?,
        settings: read.settings,
        sealed_secrets: read.secrets.filter(|s| !s.trim().is_empty()),
        warnings,
    })
}

/// Parses JSON, telling a file cut short from one that is not JSON at all.
pub(super) fn json(bytes: &[u8]) -> Result<Value, BundleError> {
    serde_json::from_slice(bytes).map_err(|e| {
        if e.is_eof() {
            BundleError::Truncated(e.to_string())
        } else {
            BundleError::NotJson(e.to_string())
        }
    })
}

/// The `format` and `version` every bundle document starts with.
pub(super) fn check_header(value: &Value) -> Result<(), BundleError> {
    match value.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        Some(other) => return Err(BundleError::OtherFormat(other.to_string())),
        None if value.is_object() => return Err(BundleError::OtherFormat("missing".to_owned())),
        None => {
            return Err(BundleError::NotJson(
                "it is JSON, but not an object".to_owned(),
            ))
        }
    }
    match value.get("version").and_then(Value::as_u64) {
        Some(v) if v > u64::from(VERSION) => Err(BundleError::Newer(v)),
        Some(v) if v >= 1 => Ok(()),
        _ => Err(BundleError::Malformed(
            "its \"version\" is missing or not a whole number from 1".to_owned(),
        )),
    }
}

/// The names of the members `value` serialises to.
pub(super) fn known_members<T: Serialize>(value: &T) -> Vec<String> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

fn mapping_set_members() -> Vec<String> {
    let mut known = known_members(&MappingDocument::default());
    known.push("scim_connection_id".to_owned());
    known
}

/// One warning per member of `value` not in `known`.
pub(super) fn unknown_members(place: &str, value: &Value, known: &[&str]) -> Vec<String> {
    let Some(map) = value.as_object() else {
        return Vec::new();
    };
    map.keys()
        .filter(|k| !known.contains(&k.as_str()))
        .map(|k| format!("{place} has a member \"{k}\" that this version of SSO Console does not know; it was left aside"))
        .collect()
}

/// Puts each mapping set back into its connection. A set for no connection of the bundle, or a
/// second set for one, is a contradiction; a connection without a set has no mappings.
pub(super) fn join_mapping_sets(
    connections: Vec<ConnectionEntry>,
    sets: Vec<MappingSet>,
) -> Result<Vec<ScimConnectionDocument>, BundleError> {
    let mut by_id: BTreeMap<String, MappingDocument> = BTreeMap::new();
    for set in sets {
        let id = set.scim_connection_id.trim().to_owned();
        if !connections
            .iter()
            .any(|c| c.id.as_deref() == Some(id.as_str()))
        {
            return Err(BundleError::Inconsistent(format!(
                "a mapping set names the SCIM connection \"{id}\", which the bundle does not hold"
            )));
        }
        if by_id.insert(id.clone(), set.mappings).is_some() {
            return Err(BundleError::Inconsistent(format!(
                "the SCIM connection \"{id}\" has two mapping sets"
            )));
        }
    }
    Ok(connections
        .into_iter()
        .map(|c| {
            let mappings =
                c.id.as_deref()
                    .and_then(|id| by_id.remove(id))
                    .unwrap_or_default();
            ScimConnectionDocument {
                id: c.id,
                name: c.name,
                tenant_url: c.tenant_url,
                directory_id: c.directory_id,
                notes: c.notes,
                mappings,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_broken_file_is_refused_with_its_own_words() {
        let cases: [(&[u8], &str); 7] = [
            (
                br#"{"format":"sso-console/bundle","version":1,"directories":["#,
                "ends before",
            ),
            (b"hello", "not a JSON bundle"),
            (b"[1,2]", "not an object"),
            (
                br#"{"format":"other","version":1}"#,
                "not an SSO Console bundle",
            ),
            (br#"{"version":1}"#, "\"format\" is missing"),
            (
                br#"{"format":"sso-console/bundle","version":99}"#,
                "version 99",
            ),
            (
                br#"{"format":"sso-console/bundle","version":1,"directories":{}}"#,
                "at directories: invalid type: map",
            ),
        ];
        for (bytes, said) in cases {
            let e = parse(bytes).unwrap_err().to_string();
            assert!(e.contains(said), "{}: {e}", String::from_utf8_lossy(bytes));
        }
    }

    #[test]
    fn unknown_members_are_named_and_left_aside() {
        let text = br#"{"format":"sso-console/bundle","version":1,"future":true,
            "directories":[{"name":"A","colour":"red"}]}"#;
        let contents = parse(text).unwrap();
        assert_eq!(contents.directories.len(), 1);
        assert_eq!(contents.warnings.len(), 2, "{:?}", contents.warnings);
        assert!(contents.warnings[0].contains("\"future\""));
        assert!(
            contents.warnings[1].contains("directories[0]")
                && contents.warnings[1].contains("\"colour\"")
        );
    }

    #[test]
    fn mapping_sets_go_back_to_their_connections() {
        let connection = |id: &str| ConnectionEntry {
            id: Some(id.to_owned()),
            name: id.to_owned(),
            ..ConnectionEntry::default()
        };
        let set = |id: &str, name: &str| MappingSet {
            scim_connection_id: id.to_owned(),
            mappings: MappingDocument {
                name: name.to_owned(),
                ..MappingDocument::default()
            },
        };
        let joined = join_mapping_sets(
            vec![connection("a"), connection("b")],
            vec![set("b", "B's")],
        )
        .unwrap();
        assert_eq!(joined[0].mappings, MappingDocument::default());
        assert_eq!(joined[1].mappings.name, "B's");
        let e = join_mapping_sets(vec![connection("a")], vec![set("z", "")]).unwrap_err();
        assert!(e.to_string().contains("\"z\""), "{e}");
        let e =
            join_mapping_sets(vec![connection("a")], vec![set("a", ""), set("a", "")]).unwrap_err();
        assert!(e.to_string().contains("two mapping sets"), "{e}");
    }
}
