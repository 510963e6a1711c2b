//! What an import would do, item by item, before anything changes: each directory, SCIM
//! connection and setting of the bundle is checked with the rules of a save, then compared with
//! what is here: create, update, unchanged, or conflict (its name is taken by another item, one
//! of its domains routes to another directory, or it was saved here since it was last exported
//! or imported here). [`super::apply`] turns a plan and the person's choices into the writes.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{BundleError, Contents, Secrets};
use crate::directory::{Directory, DirectoryDocument, EndpointUrl, FieldError};
use crate::logo::Logo;
use crate::scim::connection::{ScimConnection, ScimConnectionDocument};
use crate::sensitive::SecretString;
use crate::{digest, parallel};

/// An item as it is here.
#[derive(Debug, Clone)]
pub struct Here<D> {
    /// Its revision.
    pub revision: i64,
    /// Its document (a directory's logo, a connection's mappings included).
    pub document: D,
    /// Its client secret or bearer token, read only where the bundle brings one to compare with.
    pub secret: Option<SecretString>,
}

/// A directory as it is here.
pub type LocalDirectory = Here<DirectoryDocument>;
/// A SCIM connection as it is here.
pub type LocalConnection = Here<ScimConnectionDocument>;

/// What the plan needs to know of an item's document wherever it is.
pub(super) trait Item: PartialEq + Serialize {
    fn id(&self) -> Option<&str>;
    fn name(&self) -> &str;
}

impl Item for DirectoryDocument {
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl Item for ScimConnectionDocument {
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn name(&self) -> &str {
        &self.name
    }
}

/// Items here by id and by name in lower case (as the database compares names).
pub(super) struct Index<'a, D> {
    pub(super) by_id: HashMap<&'a str, &'a Here<D>>,
    by_name: HashMap<String, &'a Here<D>>,
}

impl<'a, D: Item> Index<'a, D> {
    pub(super) fn of(items: &'a [Here<D>]) -> Self {
        Self {
            by_id: items
                .iter()
                .filter_map(|h| Some((h.document.id()?, h)))
                .collect(),
            by_name: items
                .iter()
                .map(|h| (h.document.name().to_ascii_lowercase(), h))
                .collect(),
        }
    }

    /// How `doc` of the bundle stands against what is here: another item with its name (a
    /// conflict `what` names, unless the bundle renames that item: `renamed` holds the names
    /// the bundle gives, by id), its fields (`fields` lists them) and its secret compared, and
    /// saved here since it was last exported or imported here (`synced`).
    #[allow(clippy::too_many_arguments)]
    fn compare(
        &self,
        synced: &HashMap<String, Synced>,
        renamed: &HashMap<&str, String>,
        what: &str,
        doc: &D,
        secret: (&str, Option<&SecretString>),
        fields: fn(&D, &D) -> Vec<FieldChange>,
        conflicts: &mut Vec<Conflict>,
    ) -> (Action, Vec<FieldChange>) {
        let id = doc.id().unwrap_or_default();
        let name = doc.name().to_ascii_lowercase();
        if let Some(other) = self.by_name.get(&name).filter(|h| {
            let other = h.document.id().unwrap_or_default();
            other != id && renamed.get(other).is_none_or(|n| *n == name)
        }) {
            conflicts.push(name_taken(what, doc.name(), other.document.id()));
        }
        let (field, secret) = secret;
        let Some(here) = self.by_id.get(id) else {
            return (
                Action::Create,
                secret_change(field, None, secret).into_iter().collect(),
            );
        };
        let mut changes = if here.document == *doc {
            Vec::new()
        } else {
            fields(&here.document, doc)
        };
        changes.extend(secret_change(field, here.secret.as_ref(), secret));
        if changes.is_empty() {
            return (Action::Unchanged, changes);
        }
        if let Some(edited) = edited_here(synced.get(id), &here.document) {
            conflicts.push(edited);
        }
        (Action::Update, changes)
    }
}

/// When an item was last exported or imported here, and what its document was then.
#[derive(Debug, Clone)]
pub struct Synced {
    /// [`fingerprint`] of the document then.
    pub fingerprint: String,
    /// When, RFC 3339.
    pub at: String,
}

/// What is here, as far as an import is concerned.
#[derive(Debug, Clone, Default)]
pub struct Local {
    /// Each item's last export or import here, by id.
    pub synced: HashMap<String, Synced>,
    /// Every directory.
    pub directories: Vec<LocalDirectory>,
    /// Every SCIM connection.
    pub connections: Vec<LocalConnection>,
    /// The sign-in service URL.
    pub sign_in_service_url: Option<String>,
}

/// What an item of a bundle is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "BundleItemKind")]
pub enum ItemKind {
    /// A directory connection.
    Directory,
    /// A SCIM connection with its mapping set.
    ScimConnection,
    /// A workspace setting.
    Setting,
}

/// What importing an item would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ImportAction")]
pub enum Action {
    /// It is new here.
    Create,
    /// It is here with other content, and was not edited here since it was exported.
    Update,
    /// It is here exactly so.
    Unchanged,
    /// It cannot be imported as it is without a choice: skip, overwrite or copy.
    Conflict,
}

/// Why an item conflicts with what is here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export, rename = "ImportConflictKind")]
pub enum ConflictKind {
    /// Another item here, under another id, has this name.
    NameTaken {
        /// That item's id.
        other_id: String,
    },
    /// A domain suffix of the directory routes to another directory here.
    DomainTaken {
        /// The domain.
        domain: String,
        /// The directory here that has it.
        owner_id: String,
    },
    /// The item was saved here since it was last exported or imported here.
    EditedHere {
        /// When it was last exported or imported here, RFC 3339.
        synced_at: String,
    },
    /// The setting has another value here.
    SettingDiffers,
}

/// A conflict and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ImportConflict")]
pub struct Conflict {
    /// Why.
    pub kind: ConflictKind,
    /// In people's words, with what each choice would do.
    pub message: String,
}

/// One field an import would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ImportFieldChange")]
pub struct FieldChange {
    /// The field (`token_url`, `claims`, `client_secret`…).
    pub field: String,
    /// Its value here, as text; `None` when it has none.
    pub before: Option<String>,
    /// Its value in the bundle, as text; `None` when it has none.
    pub after: Option<String>,
}

/// One item of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ImportItem")]
pub struct PlanItem {
    /// What it is.
    pub kind: ItemKind,
    /// Its id in the bundle (the setting's name for a setting).
    pub id: String,
    /// Its name in the bundle.
    pub name: String,
    /// What importing it would do.
    pub action: Action,
    /// Why it conflicts, when it does.
    pub conflicts: Vec<Conflict>,
    /// The fields that differ from what is here, secrets by name only.
    pub changes: Vec<FieldChange>,
}

/// What an import would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ImportPlan")]
pub struct Plan {
    /// Each item, directories first, then SCIM connections, then settings.
    pub items: Vec<PlanItem>,
    /// What was left aside or will be adjusted, one sentence each.
    pub warnings: Vec<String>,
    /// Whether the bundle brings secrets (opened with the passphrase).
    pub has_secrets: bool,
}

impl Plan {
    /// How many items take `action`.
    pub fn count(&self, action: Action) -> usize {
        self.items.iter().filter(|i| i.action == action).count()
    }
}

/// What to do with an item in conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ConflictChoice")]
pub enum Resolution {
    /// Leave what is here; the item is not imported.
    Skip,
    /// The bundle's item wins: it replaces the item here with its name (deleted), takes its
    /// domains from the directory here that has them, or overwrites the edits made here.
    Overwrite,
    /// Import it as a copy: a new id, a free "(copy)" name, no domain suffixes.
    Copy,
}

/// The person's choices for the conflicts of a plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ConflictChoices")]
pub struct Choices {
    /// For every conflict without a choice of its own; none refuses the import.
    #[serde(default)]
    pub all: Option<Resolution>,
    /// By item id.
    #[serde(default)]
    pub items: BTreeMap<String, Resolution>,
}

impl Choices {
    /// The choice for the item `id`: its own, or the one for every conflict.
    pub fn of(&self, id: &str) -> Option<Resolution> {
        self.items.get(id).copied().or(self.all)
    }
}

/// A bundle whose every item passed the rules of a save, documents written as a save would.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Directories, each with its id.
    pub directories: Vec<DirectoryDocument>,
    /// Each directory's logo as checked, by the directory's id: applying the bundle does not
    /// decode the PNG a second time.
    pub logos: HashMap<String, Logo>,
    /// SCIM connections, each with its id.
    pub connections: Vec<ScimConnectionDocument>,
    /// The sign-in service URL, when the bundle sets one.
    pub sign_in_service_url: Option<String>,
    /// The secrets, opened.
    pub secrets: Secrets,
    /// Warnings from reading it.
    pub warnings: Vec<String>,
}

/// A directory document validated with the rules of a save, and written as a save would.
type Validated = Result<(Directory, DirectoryDocument), Vec<FieldError>>;

/// Checks every item of `contents` with the rules of a save, and the bundle against itself.
pub fn check(contents: Contents, secrets: Secrets) -> Result<Checked, BundleError> {
    let mut directories = Vec::with_capacity(contents.directories.len());
    let mut logos = HashMap::with_capacity(contents.directories.len());
    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut domains: HashMap<String, String> = HashMap::new();
    // Each logo is a PNG to decode: the slow part of reading a bundle of thousands.
    let validated = parallel::map(&contents.directories, 256, |doc| -> Validated {
        let directory = Directory::from_document(doc)?;
        let normal = directory.to_document();
        Ok((directory, normal))
    });
    for (i, (doc, validated)) in contents.directories.iter().zip(validated).enumerate() {
        let item = format!("directory {} (\"{}\")", i + 1, doc.name.trim());
        let (directory, normal) = validated.map_err(|errors| BundleError::Invalid {
            item: item.clone(),
            errors,
        })?;
        let Some(id) = directory.id else {
            return Err(BundleError::Malformed(format!("{item} has no \"id\"")));
        };
        if !ids.insert(id.to_string()) {
            return Err(BundleError::Inconsistent(format!(
                "two directories have the id {id}"
            )));
        }
        if !names.insert(normal.name.to_ascii_lowercase()) {
            return Err(BundleError::Inconsistent(format!(
                "two directories are named \"{}\"",
                normal.name
            )));
        }
        for domain in &normal.domain_suffixes {
            if let Some(other) = domains.insert(domain.clone(), normal.name.clone()) {
                return Err(BundleError::Inconsistent(format!(
                    "the domain {domain} routes to both \"{other}\" and \"{}\"",
                    normal.name
                )));
            }
        }
        logos.insert(id.to_string(), directory.logo);
        directories.push(normal);
    }
    let mut connections = Vec::with_capacity(contents.scim_connections.len());
    let mut connection_names = BTreeSet::new();
    for (i, doc) in contents.scim_connections.iter().enumerate() {
        let item = format!("SCIM connection {} (\"{}\")", i + 1, doc.name.trim());
        let connection =
            ScimConnection::from_document(doc).map_err(|errors| BundleError::Invalid {
                item: item.clone(),
                errors,
            })?;
        let Some(id) = connection.id else {
            return Err(BundleError::Malformed(format!("{item} has no \"id\"")));
        };
        if !ids.insert(id.to_string()) {
            return Err(BundleError::Inconsistent(format!(
                "two items have the id {id}"
            )));
        }
        if !connection_names.insert(connection.name.to_ascii_lowercase()) {
            return Err(BundleError::Inconsistent(format!(
                "two SCIM connections are named \"{}\"",
                connection.name
            )));
        }
        connections.push(connection.to_document());
    }
    let sign_in_service_url = match contents
        .settings
        .sign_in_service_url
        .as_deref()
        .map(str::trim)
    {
        None | Some("") => None,
        Some(text) => Some(
            EndpointUrl::parse(text)
                .map_err(|message| BundleError::Invalid {
                    item: "the settings".to_owned(),
                    errors: vec![FieldError::new("sign_in_service_url", message)],
                })?
                .as_str()
                .trim_end_matches('/')
                .to_owned(),
        ),
    };
    let mut warnings = contents.warnings;
    let mut secrets = secrets;
    let before = secrets.directories.len() + secrets.scim_connections.len();
    // `ids` holds every directory's and connection's id.
    secrets
        .directories
        .retain(|id, s| !s.is_empty() && ids.contains(id));
    secrets
        .scim_connections
        .retain(|id, s| !s.is_empty() && ids.contains(id));
    let left = before - secrets.directories.len() - secrets.scim_connections.len();
    if left > 0 {
        warnings.push(format!(
            "{left} of the bundle's secrets belong to no item of the bundle, or are empty; they were left aside"
        ));
    }
    Ok(Checked {
        directories,
        logos,
        connections,
        sign_in_service_url,
        secrets,
        warnings,
    })
}

/// What importing `bundle` here would do.
pub fn plan(bundle: &Checked, local: &Local) -> Plan {
    let mut items = Vec::new();
    let mut warnings = bundle.warnings.clone();
    let directories = Index::of(&local.directories);
    let renamed = bundle_names(&bundle.directories);
    let bundle_dirs: HashMap<&str, &DirectoryDocument> = bundle
        .directories
        .iter()
        .filter_map(|d| Some((d.id.as_deref()?, d)))
        .collect();
    let domain_owners: HashMap<&str, &LocalDirectory> = local
        .directories
        .iter()
        .flat_map(|d| {
            d.document
                .domain_suffixes
                .iter()
                .map(move |x| (x.as_str(), d))
        })
        .collect();
    for doc in &bundle.directories {
        let id = doc.id.as_deref().unwrap_or_default();
        let mut conflicts = Vec::new();
        for domain in &doc.domain_suffixes {
            // The directory here that has it, unless the bundle gives that directory a version
            // without it: then the domain moves with the import.
            let owner = domain_owners.get(domain.as_str()).filter(|d| {
                let other = d.document.id.as_deref().unwrap_or_default();
                other != id
                    && bundle_dirs
                        .get(other)
                        .is_none_or(|b| b.domain_suffixes.contains(domain))
            });
            if let Some(owner) = owner {
                conflicts.push(Conflict {
                    kind: ConflictKind::DomainTaken {
                        domain: domain.clone(),
                        owner_id: owner.document.id.clone().unwrap_or_default(),
                    },
                    message: format!(
                        "the domain {domain} routes to the directory \"{}\" here; overwrite moves it to this one, copy imports this one without domains",
                        owner.document.name
                    ),
                });
            }
        }
        let secret = ("client_secret", bundle.secrets.directories.get(id));
        let (action, changes) = directories.compare(
            &local.synced,
            &renamed,
            "directory",
            doc,
            secret,
            document_changes,
            &mut conflicts,
        );
        items.push(item(
            ItemKind::Directory,
            id,
            &doc.name,
            action,
            conflicts,
            changes,
        ));
    }

    let connections = Index::of(&local.connections);
    let renamed = bundle_names(&bundle.connections);
    for doc in &bundle.connections {
        let id = doc.id.as_deref().unwrap_or_default();
        if let Some(linked) = doc.directory_id.as_deref() {
            if !bundle_dirs.contains_key(linked) && !directories.by_id.contains_key(linked) {
                warnings.push(format!(
                    "the SCIM connection \"{}\" is linked to a directory that is neither in the bundle nor here; it is imported without the link",
                    doc.name
                ));
            }
        }
        let mut conflicts = Vec::new();
        let secret = ("token", bundle.secrets.scim_connections.get(id));
        let (action, changes) = connections.compare(
            &local.synced,
            &renamed,
            "SCIM connection",
            doc,
            secret,
            |here, bundle| fields_changed(here, bundle, &[]),
            &mut conflicts,
        );
        items.push(item(
            ItemKind::ScimConnection,
            id,
            &doc.name,
            action,
            conflicts,
            changes,
        ));
    }

    if let Some(url) = &bundle.sign_in_service_url {
        let change = |before: Option<&String>| {
            vec![FieldChange {
                field: SIGN_IN_SERVICE_URL.to_owned(),
                before: before.cloned(),
                after: Some(url.clone()),
            }]
        };
        let (action, conflicts, changes) = match &local.sign_in_service_url {
            None => (Action::Create, Vec::new(), change(None)),
            Some(here) if here == url => (Action::Unchanged, Vec::new(), Vec::new()),
            Some(here) => (
                Action::Update,
                vec![Conflict {
                    kind: ConflictKind::SettingDiffers,
                    message: format!(
                        "the sign-in service URL here is {here}; overwrite sets the bundle's, skip (or copy) keeps this one"
                    ),
                }],
                change(Some(here)),
            ),
        };
        items.push(item(
            ItemKind::Setting,
            SIGN_IN_SERVICE_URL,
            "Sign-in service URL",
            action,
            conflicts,
            changes,
        ));
    }
    Plan {
        items,
        warnings,
        has_secrets: !bundle.secrets.is_empty(),
    }
}

const SIGN_IN_SERVICE_URL: &str = "sign_in_service_url";

/// The names the bundle gives its items, in lower case, by id.
fn bundle_names<D: Item>(items: &[D]) -> HashMap<&str, String> {
    items
        .iter()
        .filter_map(|d| Some((d.id()?, d.name().to_ascii_lowercase())))
        .collect()
}

fn item(
    kind: ItemKind,
    id: &str,
    name: &str,
    action: Action,
    conflicts: Vec<Conflict>,
    changes: Vec<FieldChange>,
) -> PlanItem {
    PlanItem {
        kind,
        id: id.to_owned(),
        name: name.to_owned(),
        action: if conflicts.is_empty() {
            action
        } else {
            Action::Conflict
        },
        conflicts,
        changes,
    }
}

fn name_taken(what: &str, name: &str, other_id: Option<&str>) -> Conflict {
    Conflict {
        kind: ConflictKind::NameTaken {
            other_id: other_id.unwrap_or_default().to_owned(),
        },
        message: format!(
            "another {what} here is named \"{name}\"; overwrite replaces it (it is deleted, with its secret), copy imports this one under a new name"
        ),
    }
}

/// A conflict when the item here is no longer what it was at its last export or import here;
/// none for an item never exported or imported here (there is nothing to tell edits by).
fn edited_here<D: Serialize>(synced: Option<&Synced>, here: &D) -> Option<Conflict> {
    let synced = synced?;
    (fingerprint(here) != synced.fingerprint).then(|| Conflict {
        kind: ConflictKind::EditedHere {
            synced_at: synced.at.clone(),
        },
        message: format!(
            "it was saved here since it was last exported or imported here ({}); overwrite replaces those edits, copy imports the bundle's version beside them",
            synced.at
        ),
    })
}

/// SHA-256 of a document's JSON, hex: what an item was at its last export or import.
pub fn fingerprint<D: Serialize>(document: &D) -> String {
    digest::sha256_hex(&serde_json::to_vec(document).unwrap_or_default())
}

/// The fingerprint of each directory and SCIM connection that has an id, with the id, computed
/// on every core (thousands of documents, each written out as JSON and hashed).
pub fn fingerprints(
    directories: &[DirectoryDocument],
    connections: &[ScimConnectionDocument],
) -> Vec<(String, String)> {
    let mut all = parallel::map(directories, 512, |d| Some((d.id.clone()?, fingerprint(d))));
    all.extend(
        connections
            .iter()
            .map(|c| Some((c.id.clone()?, fingerprint(c)))),
    );
    all.into_iter().flatten().collect()
}

/// The fields of two documents that differ, the logo by its size only.
fn document_changes(here: &DirectoryDocument, bundle: &DirectoryDocument) -> Vec<FieldChange> {
    let mut changes = fields_changed(here, bundle, &["logo_png_base64"]);
    if here.logo_png_base64 != bundle.logo_png_base64 {
        let size = |b64: &str| format!("a PNG of about {} bytes", b64.len() / 4 * 3);
        changes.push(FieldChange {
            field: "logo_png_base64".to_owned(),
            before: Some(size(&here.logo_png_base64)),
            after: Some(size(&bundle.logo_png_base64)),
        });
    }
    changes
}

/// Each top-level member that differs, as compact JSON (strings as they are); `skip` names
/// members compared elsewhere.
fn fields_changed<T: Serialize>(here: &T, bundle: &T, skip: &[&str]) -> Vec<FieldChange> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(here), serde_json::to_value(bundle))
    else {
        return Vec::new();
    };
    let text = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    };
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| !skip.contains(&k.as_str()) && a.get(*k) != b.get(*k))
        .map(|k| FieldChange {
            field: k.clone(),
            before: text(a.get(k)),
            after: text(b.get(k)),
        })
        .collect()
}

/// A secret the bundle brings that differs from the one here (or that is new here), named as
/// `field` but never shown.
fn secret_change(
    field: &str,
    here: Option<&SecretString>,
    bundle: Option<&SecretString>,
) -> Option<FieldChange> {
    let bundle = bundle?;
    if here == Some(bundle) {
        return None;
    }
    Some(FieldChange {
        field: field.to_owned(),
        before: here.map(|_| "(a secret)".to_owned()),
        after: Some(match here {
            Some(_) => "(another secret, from the bundle)".to_owned(),
            None => "(a secret, from the bundle)".to_owned(),
        }),
    })
}
