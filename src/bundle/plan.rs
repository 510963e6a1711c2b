//! What an import would do, item by item, before anything changes: each directory, SCIM
//! connection and setting of the bundle is checked with the rules of a save, then compared with
//! what is here: create, update, unchanged, or conflict (its name is taken by another item, one
//! of its domains routes to another directory, or it was edited here since it was exported).
//! [`operations`] turns a plan and the person's choices for its conflicts into the writes that
//! apply it; the workspace runs them in one transaction.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{BundleError, Contents, Secrets};
use crate::directory::{copy_names, Directory, DirectoryDocument, DirectoryId, EndpointUrl};
use crate::scim::connection::{ScimConnection, ScimConnectionDocument, ScimConnectionId};
use crate::sensitive::SecretString;

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
trait Item: PartialEq + Serialize {
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
struct Index<'a, D> {
    by_id: HashMap<&'a str, &'a Here<D>>,
    by_name: HashMap<String, &'a Here<D>>,
}

impl<'a, D: Item> Index<'a, D> {
    fn of(items: &'a [Here<D>]) -> Self {
        Self {
            by_id: items
                .iter()
                .filter_map(|h| Some((h.document.id()?, h)))
                .collect(),
            by_name: items
                .iter()
                .map(|h| (h.document.name().to_lowercase(), h))
                .collect(),
        }
    }

    /// How `doc` of the bundle stands against what is here: another item with its name (a
    /// conflict `what` names), its fields (`fields` lists them) and its secret compared, and
    /// edited here since the export.
    fn compare(
        &self,
        bundle: &Checked,
        what: &str,
        doc: &D,
        secret: (&str, Option<&SecretString>),
        fields: fn(&D, &D) -> Vec<FieldChange>,
        conflicts: &mut Vec<Conflict>,
    ) -> (Action, Vec<FieldChange>) {
        let id = doc.id().unwrap_or_default();
        if let Some(other) = self
            .by_name
            .get(&doc.name().to_lowercase())
            .filter(|h| h.document.id() != Some(id))
        {
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
        if let Some(edited) = edited_here(bundle, id, here.revision) {
            conflicts.push(edited);
        }
        (Action::Update, changes)
    }
}

/// What is here, as far as an import is concerned.
#[derive(Debug, Clone, Default)]
pub struct Local {
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
    /// The item was saved here since the bundle was exported.
    EditedHere {
        /// Its revision here.
        local_revision: i64,
        /// Its revision when it was exported.
        exported_revision: i64,
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

    /// Whether applying it would change nothing.
    pub fn changes_nothing(&self) -> bool {
        self.items.iter().all(|i| i.action == Action::Unchanged)
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
    fn of(&self, id: &str) -> Option<Resolution> {
        self.items.get(id).copied().or(self.all)
    }
}

/// A bundle whose every item passed the rules of a save, documents written as a save would.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Directories, each with its id.
    pub directories: Vec<DirectoryDocument>,
    /// SCIM connections, each with its id.
    pub connections: Vec<ScimConnectionDocument>,
    /// The sign-in service URL, when the bundle sets one.
    pub sign_in_service_url: Option<String>,
    /// The revisions the items had when exported.
    pub revisions: BTreeMap<String, i64>,
    /// The secrets, opened.
    pub secrets: Secrets,
    /// Warnings from reading it.
    pub warnings: Vec<String>,
}

/// Checks every item of `contents` with the rules of a save, and the bundle against itself.
pub fn check(contents: Contents, secrets: Secrets) -> Result<Checked, BundleError> {
    let mut directories = Vec::with_capacity(contents.directories.len());
    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut domains: HashMap<String, String> = HashMap::new();
    for (i, doc) in contents.directories.iter().enumerate() {
        let item = format!("directory {} (\"{}\")", i + 1, doc.name.trim());
        let directory = Directory::from_document(doc).map_err(|errors| BundleError::Invalid {
            item: item.clone(),
            errors,
        })?;
        let Some(id) = directory.id else {
            return Err(BundleError::Malformed(format!("{item} has no \"id\"")));
        };
        let normal = directory.to_document();
        if !ids.insert(id.to_string()) {
            return Err(BundleError::Inconsistent(format!(
                "two directories have the id {id}"
            )));
        }
        if !names.insert(normal.name.to_lowercase()) {
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
        if !connection_names.insert(connection.name.to_lowercase()) {
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
                    errors: vec![crate::directory::FieldError::new(
                        "sign_in_service_url",
                        message,
                    )],
                })?
                .as_str()
                .trim_end_matches('/')
                .to_owned(),
        ),
    };
    let mut warnings = contents.warnings;
    let mut secrets = secrets;
    let before = secrets.directories.len() + secrets.scim_connections.len();
    secrets
        .directories
        .retain(|id, s| !s.is_empty() && directories.iter().any(|d| d.id.as_deref() == Some(id)));
    secrets
        .scim_connections
        .retain(|id, s| !s.is_empty() && connections.iter().any(|c| c.id.as_deref() == Some(id)));
    let left = before - secrets.directories.len() - secrets.scim_connections.len();
    if left > 0 {
        warnings.push(format!(
            "{left} of the bundle's secrets belong to no item of the bundle, or are empty; they were left aside"
        ));
    }
    Ok(Checked {
        directories,
        connections,
        sign_in_service_url,
        revisions: contents.revisions,
        secrets,
        warnings,
    })
}

/// What importing `bundle` here would do.
pub fn plan(bundle: &Checked, local: &Local) -> Plan {
    let mut items = Vec::new();
    let mut warnings = bundle.warnings.clone();
    let directories = Index::of(&local.directories);
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
            bundle,
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
            bundle,
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

fn edited_here(bundle: &Checked, id: &str, local_revision: i64) -> Option<Conflict> {
    let exported_revision = *bundle.revisions.get(id)?;
    (local_revision > exported_revision).then(|| Conflict {
        kind: ConflictKind::EditedHere {
            local_revision,
            exported_revision,
        },
        message: format!(
            "it was saved here since the bundle was exported (revision {local_revision} here, {exported_revision} in the bundle); overwrite replaces those edits, copy imports the bundle's version beside them"
        ),
    })
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

/// One write of an import.
#[derive(Debug, Clone)]
pub enum Operation {
    /// Deletes a directory (replaced by the bundle's under its name).
    DeleteDirectory {
        /// Its id.
        id: DirectoryId,
    },
    /// Saves a directory here over its stored version.
    UpdateDirectory {
        /// Its id.
        id: DirectoryId,
        /// The revision the plan saw.
        expected_revision: i64,
        /// What it becomes.
        document: DirectoryDocument,
        /// Its new client secret, when the bundle brings one.
        secret: Option<SecretString>,
    },
    /// Creates a directory.
    CreateDirectory {
        /// Its id (the bundle's, or a new one for a copy).
        id: DirectoryId,
        /// The document.
        document: DirectoryDocument,
        /// Its client secret, when the bundle brings one.
        secret: Option<SecretString>,
    },
    /// Deletes a SCIM connection (replaced by the bundle's under its name).
    DeleteConnection {
        /// Its id.
        id: ScimConnectionId,
    },
    /// Saves a SCIM connection over its stored version.
    UpdateConnection {
        /// Its id.
        id: ScimConnectionId,
        /// The revision the plan saw.
        expected_revision: i64,
        /// What it becomes.
        document: ScimConnectionDocument,
        /// Its new bearer token, when the bundle brings one.
        token: Option<SecretString>,
    },
    /// Creates a SCIM connection.
    CreateConnection {
        /// Its id.
        id: ScimConnectionId,
        /// The document.
        document: ScimConnectionDocument,
        /// Its bearer token, when the bundle brings one.
        token: Option<SecretString>,
    },
    /// Sets the sign-in service URL.
    SetSignInServiceUrl(String),
}

/// The writes that apply `plan` with `choices`, in an order the database's rules accept:
/// deletions, then directories that give up domains, then updates, then creations.
pub fn operations(
    bundle: &Checked,
    local: &Local,
    plan: &Plan,
    choices: &Choices,
) -> Result<Vec<Operation>, BundleError> {
    let unresolved: Vec<String> = plan
        .items
        .iter()
        .filter(|i| i.action == Action::Conflict && choices.of(&i.id).is_none())
        .map(|i| {
            format!(
                "\"{}\": {}",
                i.name,
                i.conflicts
                    .iter()
                    .map(|c| c.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        })
        .collect();
    if !unresolved.is_empty() {
        return Err(BundleError::Unresolved(unresolved));
    }
    let mut deletes = Vec::new();
    let mut gives_up: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut updates = Vec::new();
    let mut creates = Vec::new();
    let mut taken: BTreeSet<String> = local
        .directories
        .iter()
        .map(|d| d.document.name.to_lowercase())
        .chain(bundle.directories.iter().map(|d| d.name.to_lowercase()))
        .collect();
    let mut taken_connections: BTreeSet<String> = local
        .connections
        .iter()
        .map(|c| c.document.name.to_lowercase())
        .chain(bundle.connections.iter().map(|c| c.name.to_lowercase()))
        .collect();
    // Where each of the bundle's directory ids ends up, for the connections linked to them.
    let mut moved: HashMap<String, Option<String>> = HashMap::new();
    let dirs_here = Index::of(&local.directories).by_id;
    let connections_here = Index::of(&local.connections).by_id;
    let local_dir = |id: &str| dirs_here.get(id).copied();
    let local_conn = |id: &str| connections_here.get(id).copied();

    for (doc, planned) in bundle.directories.iter().zip(&plan.items) {
        let id_text = doc.id.clone().unwrap_or_default();
        let id = parse_directory_id(&id_text)?;
        let secret = bundle.secrets.directories.get(&id_text).cloned();
        let choice = (planned.action == Action::Conflict)
            .then(|| choices.of(&id_text))
            .flatten();
        match (planned.action, choice) {
            (Action::Unchanged, _) | (_, Some(Resolution::Skip)) => {
                if local_dir(&id_text).is_none() {
                    moved.insert(id_text, None);
                }
            }
            (_, Some(Resolution::Copy)) => {
                let new_id = DirectoryId::new();
                let name = copy_names(&doc.name)
                    .find(|n| !taken.contains(&n.to_lowercase()))
                    .ok_or_else(|| {
                        BundleError::Changed(format!("no free name for a copy of \"{}\"", doc.name))
                    })?;
                taken.insert(name.to_lowercase());
                let document = DirectoryDocument {
                    id: Some(new_id.to_string()),
                    name,
                    domain_suffixes: Vec::new(),
                    ..doc.clone()
                };
                if local_dir(&id_text).is_none() {
                    moved.insert(id_text, Some(new_id.to_string()));
                }
                creates.push(Operation::CreateDirectory {
                    id: new_id,
                    document,
                    secret,
                });
            }
            _ => {
                // Create, update, or a conflict the bundle's item wins.
                for conflict in &planned.conflicts {
                    match &conflict.kind {
                        ConflictKind::NameTaken { other_id } => {
                            deletes.push(Operation::DeleteDirectory {
                                id: parse_directory_id(other_id)?,
                            });
                            gives_up.remove(other_id);
                        }
                        ConflictKind::DomainTaken { domain, owner_id } => {
                            gives_up
                                .entry(owner_id.clone())
                                .or_default()
                                .insert(domain.clone());
                        }
                        ConflictKind::EditedHere { .. } | ConflictKind::SettingDiffers => {}
                    }
                }
                match local_dir(&id_text) {
                    Some(here) => updates.push(Operation::UpdateDirectory {
                        id,
                        expected_revision: here.revision,
                        document: doc.clone(),
                        secret,
                    }),
                    None => creates.push(Operation::CreateDirectory {
                        id,
                        document: doc.clone(),
                        secret,
                    }),
                }
            }
        }
    }
    let deleted: BTreeSet<String> = deletes
        .iter()
        .filter_map(|op| match op {
            Operation::DeleteDirectory { id } => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut owners = Vec::new();
    for (owner_id, domains) in gives_up {
        if deleted.contains(&owner_id) {
            continue;
        }
        let Some(here) = local_dir(&owner_id) else {
            continue;
        };
        let mut document = here.document.clone();
        document.domain_suffixes.retain(|d| !domains.contains(d));
        owners.push(Operation::UpdateDirectory {
            id: parse_directory_id(&owner_id)?,
            expected_revision: here.revision,
            document,
            secret: None,
        });
    }

    let created: BTreeSet<String> = creates
        .iter()
        .filter_map(|op| match op {
            Operation::CreateDirectory { id, .. } => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let connection_items = plan
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::ScimConnection);
    let mut connection_ops = (Vec::new(), Vec::new(), Vec::new());
    for (doc, planned) in bundle.connections.iter().zip(connection_items) {
        let id_text = doc.id.clone().unwrap_or_default();
        let id = ScimConnectionId::parse(&id_text).map_err(BundleError::Malformed)?;
        let token = bundle.secrets.scim_connections.get(&id_text).cloned();
        let mut document = doc.clone();
        document.directory_id = doc.directory_id.as_ref().and_then(|linked| {
            match moved.get(linked) {
                Some(to) => to.clone(),
                None if deleted.contains(linked) => None,
                None => Some(linked.clone()),
            }
            .filter(|to| local_dir(to).is_some() || created.contains(to))
        });
        let choice = (planned.action == Action::Conflict)
            .then(|| choices.of(&id_text))
            .flatten();
        match (planned.action, choice) {
            (Action::Unchanged, _) | (_, Some(Resolution::Skip)) => {}
            (_, Some(Resolution::Copy)) => {
                let name = copy_names(&doc.name)
                    .find(|n| !taken_connections.contains(&n.to_lowercase()))
                    .ok_or_else(|| {
                        BundleError::Changed(format!("no free name for a copy of \"{}\"", doc.name))
                    })?;
                taken_connections.insert(name.to_lowercase());
                let new_id = ScimConnectionId::new();
                document.id = Some(new_id.to_string());
                document.name = name;
                connection_ops.2.push(Operation::CreateConnection {
                    id: new_id,
                    document,
                    token,
                });
            }
            _ => {
                for conflict in &planned.conflicts {
                    if let ConflictKind::NameTaken { other_id } = &conflict.kind {
                        connection_ops.0.push(Operation::DeleteConnection {
                            id: ScimConnectionId::parse(other_id)
                                .map_err(BundleError::Malformed)?,
                        });
                    }
                }
                match local_conn(&id_text) {
                    Some(here) => connection_ops.1.push(Operation::UpdateConnection {
                        id,
                        expected_revision: here.revision,
                        document,
                        token,
                    }),
                    None => connection_ops.2.push(Operation::CreateConnection {
                        id,
                        document,
                        token,
                    }),
                }
            }
        }
    }

    let mut out = deletes;
    out.extend(owners);
    out.extend(updates);
    out.extend(creates);
    out.extend(connection_ops.0);
    out.extend(connection_ops.1);
    out.extend(connection_ops.2);
    if let (Some(url), Some(planned)) = (
        &bundle.sign_in_service_url,
        plan.items.iter().find(|i| i.kind == ItemKind::Setting),
    ) {
        let choice = (planned.action == Action::Conflict)
            .then(|| choices.of(&planned.id))
            .flatten();
        let wins = match planned.action {
            Action::Create | Action::Update => true,
            Action::Conflict => choice == Some(Resolution::Overwrite),
            Action::Unchanged => false,
        };
        if wins {
            out.push(Operation::SetSignInServiceUrl(url.clone()));
        }
    }
    Ok(out)
}

/// How many items of `plan` stay as they are with `choices`: unchanged, skipped, or (a
/// setting) kept.
pub fn left_alone(plan: &Plan, choices: &Choices) -> usize {
    plan.items
        .iter()
        .filter(|i| match i.action {
            Action::Unchanged => true,
            Action::Conflict => match choices.of(&i.id) {
                Some(Resolution::Skip) => true,
                Some(Resolution::Copy) => i.kind == ItemKind::Setting,
                _ => false,
            },
            Action::Create | Action::Update => false,
        })
        .count()
}

fn parse_directory_id(text: &str) -> Result<DirectoryId, BundleError> {
    DirectoryId::parse(text).map_err(BundleError::Malformed)
}
