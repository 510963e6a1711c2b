//! The bundle as a folder a team keeps in Git: `bundle.json` (format, version, app version and
//! settings), then one file per item, named after it: `directories/<name>.json` with its logo
//! beside it as `directories/<name>.png`, `scim-connections/<name>.json` and
//! `scim-mapping-sets/<name>.json`. Members are written in a fixed order and files are only
//! rewritten when their bytes change, so exporting unchanged data changes nothing and one
//! changed field is a one-line diff. A folder never holds secrets.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::Serialize;
use serde_json::Value;

use super::file::{
    check_header, join_mapping_sets, json, known_members, mapping_set, unknown_members,
    ConnectionEntry,
};
use super::{slug, BundleError, Contents, MappingSet, Settings, FORMAT, MAX_BYTES, VERSION};
use crate::directory::DirectoryDocument;
use crate::scim::mapping::MappingDocument;

/// The file that makes a folder a bundle.
pub const MANIFEST: &str = "bundle.json";
const DIRECTORIES: &str = "directories";
const CONNECTIONS: &str = "scim-connections";
const MAPPING_SETS: &str = "scim-mapping-sets";
const LOGO_FIELD: &str = "logo_png_base64";

#[derive(Serialize)]
struct Manifest<'a> {
    format: &'static str,
    version: u32,
    app_version: &'a str,
    settings: &'a Settings,
}

fn folder_error(path: &Path, detail: impl std::fmt::Display) -> BundleError {
    BundleError::Io {
        path: path.display().to_string(),
        detail: detail.to_string(),
    }
}

fn pretty(value: &impl Serialize) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}

/// File names for items: the slug of the name, or, for a second item with the same slug, the
/// slug and the start of its id. Items are taken in name order, so the names do not depend on
/// the order the items came in.
fn stems<'a>(items: impl Iterator<Item = (&'a str, &'a str)>) -> BTreeMap<String, String> {
    let mut items: Vec<(&str, &str)> = items.collect();
    items.sort_by_key(|(name, id)| (name.to_lowercase(), *id));
    let mut used = BTreeSet::new();
    let mut out = BTreeMap::new();
    for (name, id) in items {
        let base = slug(name);
        let short: String = id.chars().take(8).collect();
        // The name, else with the start of the id, else with the whole id: ids are unique.
        let stem = [
            base.clone(),
            format!("{base}-{short}"),
            format!("{base}-{id}"),
        ]
        .into_iter()
        .find(|s| !used.contains(s))
        .unwrap_or_else(|| format!("{base}-{id}"));
        used.insert(stem.clone());
        out.insert(id.to_owned(), stem);
    }
    out
}

/// Writes `contents` (which must hold no secrets) into `dir`: an empty or missing folder, or one
/// a bundle was exported to before. Files of items that are no longer exported are removed.
pub fn write(dir: &Path, contents: &Contents) -> Result<(), BundleError> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| folder_error(dir, e))?;
        if entries.next().is_some() && !dir.join(MANIFEST).is_file() {
            return Err(folder_error(
                dir,
                format!("the folder is not empty and holds no {MANIFEST}, so it is not a bundle folder; choose an empty folder, or one SSO Console exported to"),
            ));
        }
    }
    let mut files: BTreeMap<PathBuf, Vec<u8>> = BTreeMap::new();
    files.insert(
        dir.join(MANIFEST),
        pretty(&Manifest {
            format: FORMAT,
            version: VERSION,
            app_version: &contents.app_version,
            settings: &contents.settings,
        }),
    );
    let names = stems(
        contents
            .directories
            .iter()
            .map(|d| (d.name.as_str(), d.id.as_deref().unwrap_or_default())),
    );
    for doc in &contents.directories {
        let stem = &names[doc.id.as_deref().unwrap_or_default()];
        let mut value = serde_json::to_value(doc).unwrap_or_default();
        if let Some(map) = value.as_object_mut() {
            map.remove(LOGO_FIELD);
        }
        let logo = base64::engine::general_purpose::STANDARD
            .decode(doc.logo_png_base64.as_bytes())
            .map_err(|e| {
                folder_error(
                    dir,
                    format!("the logo of \"{}\" is not base64: {e}", doc.name),
                )
            })?;
        files.insert(
            dir.join(DIRECTORIES).join(format!("{stem}.json")),
            pretty(&value),
        );
        files.insert(dir.join(DIRECTORIES).join(format!("{stem}.png")), logo);
    }
    let names = stems(
        contents
            .scim_connections
            .iter()
            .map(|c| (c.name.as_str(), c.id.as_deref().unwrap_or_default())),
    );
    for doc in &contents.scim_connections {
        let stem = &names[doc.id.as_deref().unwrap_or_default()];
        let file = format!("{stem}.json");
        files.insert(
            dir.join(CONNECTIONS).join(&file),
            pretty(&ConnectionEntry::of(doc)),
        );
        files.insert(
            dir.join(MAPPING_SETS).join(&file),
            pretty(&mapping_set(doc)),
        );
    }
    for sub in [DIRECTORIES, CONNECTIONS, MAPPING_SETS] {
        let sub = dir.join(sub);
        std::fs::create_dir_all(&sub).map_err(|e| folder_error(&sub, e))?;
    }
    for (path, bytes) in &files {
        if std::fs::read(path).ok().as_deref() == Some(bytes.as_slice()) {
            continue;
        }
        crate::files::write_whole(path, bytes).map_err(|e| folder_error(path, e))?;
    }
    // What a former export wrote for items no longer there goes.
    for sub in [DIRECTORIES, CONNECTIONS, MAPPING_SETS] {
        for path in item_files(&dir.join(sub))? {
            if !files.contains_key(&path) {
                std::fs::remove_file(&path).map_err(|e| folder_error(&path, e))?;
            }
        }
    }
    Ok(())
}

/// The `.json` and `.png` files of a subfolder, sorted; none when it does not exist.
fn item_files(sub: &Path) -> Result<Vec<PathBuf>, BundleError> {
    if !sub.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(sub).map_err(|e| folder_error(sub, e))? {
        let path = entry.map_err(|e| folder_error(sub, e))?.path();
        let is_item = path.extension().is_some_and(|e| e == "json" || e == "png");
        if is_item && path.is_file() {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// Reads a bundle folder: its manifest first, then every item file, within the size limit of
/// a bundle file.
pub fn read(dir: &Path) -> Result<Contents, BundleError> {
    let mut budget = Budget(0);
    let manifest_path = dir.join(MANIFEST);
    if !manifest_path.is_file() {
        return Err(folder_error(
            dir,
            format!("there is no {MANIFEST} here, so it is not a bundle folder; choose the folder a bundle was exported to"),
        ));
    }
    let manifest = json(&budget.read(&manifest_path)?).map_err(|e| in_file(&manifest_path, e))?;
    check_header(&manifest).map_err(|e| in_file(&manifest_path, e))?;
    let mut warnings = unknown_members(
        MANIFEST,
        &manifest,
        &["format", "version", "app_version", "settings"],
    );
    let settings: Settings = match manifest.get("settings") {
        None | Some(Value::Null) => Settings::default(),
        Some(value) => item(&manifest_path, value.clone())?,
    };
    let app_version = manifest
        .get("app_version")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();

    let mut directories = Vec::new();
    let known = known_members(&DirectoryDocument::default());
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    for path in item_files(&dir.join(DIRECTORIES))? {
        if path.extension().is_some_and(|e| e == "png") {
            continue;
        }
        let value = json(&budget.read(&path)?).map_err(|e| in_file(&path, e))?;
        warnings.extend(unknown_members(&shown(&path), &value, &known));
        let mut doc: DirectoryDocument = item(&path, value)?;
        let logo = path.with_extension("png");
        if logo.is_file() {
            doc.logo_png_base64 =
                base64::engine::general_purpose::STANDARD.encode(budget.read(&logo)?);
        }
        directories.push(doc);
    }
    let mut connections = Vec::new();
    let known = known_members(&ConnectionEntry::default());
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    for path in item_files(&dir.join(CONNECTIONS))? {
        let value = json(&budget.read(&path)?).map_err(|e| in_file(&path, e))?;
        warnings.extend(unknown_members(&shown(&path), &value, &known));
        connections.push(item::<ConnectionEntry>(&path, value)?);
    }
    let mut sets = Vec::new();
    let mut known = known_members(&MappingDocument::default());
    known.push("scim_connection_id".to_owned());
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    for path in item_files(&dir.join(MAPPING_SETS))? {
        let value = json(&budget.read(&path)?).map_err(|e| in_file(&path, e))?;
        warnings.extend(unknown_members(&shown(&path), &value, &known));
        sets.push(item::<MappingSet>(&path, value)?);
    }
    Ok(Contents {
        app_version,
        created_at: String::new(),
        directories,
        scim_connections: join_mapping_sets(connections, sets)?,
        settings,
        sealed_secrets: None,
        warnings,
    })
}

/// What is read of a folder, counted against the size limit of a bundle.
struct Budget(u64);

impl Budget {
    fn read(&mut self, path: &Path) -> Result<Vec<u8>, BundleError> {
        let size = std::fs::metadata(path)
            .map_err(|e| folder_error(path, e))?
            .len();
        self.0 += size;
        if self.0 > MAX_BYTES as u64 {
            return Err(BundleError::TooLarge { bytes: self.0 });
        }
        std::fs::read(path).map_err(|e| folder_error(path, e))
    }
}

fn shown(path: &Path) -> String {
    let mut parts: Vec<String> = path
        .components()
        .rev()
        .take(2)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.reverse();
    parts.join("/")
}

fn in_file(path: &Path, e: BundleError) -> BundleError {
    folder_error(path, e)
}

fn item<T: serde::de::DeserializeOwned>(path: &Path, value: Value) -> Result<T, BundleError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        folder_error(
            path,
            format!(
                "this file cannot be read: {}",
                crate::error_kind::json_shape_error(&e)
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::stems;

    #[test]
    fn items_with_the_same_name_slug_get_the_start_of_their_id() {
        let names = stems(
            [
                ("Contoso", "bbbbbbbb-2"),
                ("contoso!", "aaaaaaaa-1"),
                ("Okta", "cccc"),
            ]
            .into_iter(),
        );
        assert_eq!(names["bbbbbbbb-2"], "contoso");
        assert_eq!(names["aaaaaaaa-1"], "contoso-aaaaaaaa");
        assert_eq!(names["cccc"], "okta");
    }
}
