//! From a plan and the person's choices to the writes that apply it, in an order the database's
//! rules accept: deletions, then the items whose name or domains change put aside under a
//! temporary name (so that names and domains can move between items, even swap), then updates,
//! then creations, then the setting. What the choices would leave contradictory (two items with
//! one name, one domain for two directories) is refused before anything is written.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::plan::{
    Action, Checked, Choices, ConflictKind, Index, ItemKind, Local, Plan, Resolution,
};
use super::BundleError;
use crate::directory::{copy_names, DirectoryDocument, DirectoryId};
use crate::logo::Logo;
use crate::scim::connection::{ScimConnectionDocument, ScimConnectionId};
use crate::sensitive::SecretString;

/// One write of an import.
#[derive(Debug, Clone)]
pub enum Operation {
    /// Deletes a directory (replaced by the bundle's under its name).
    DeleteDirectory {
        /// Its id.
        id: DirectoryId,
    },
    /// Puts a directory aside under a temporary name and without domains, inside the import's
    /// transaction, before it is updated: its name and domains are free for the others.
    ParkDirectory {
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
        /// The document's logo, when the bundle's check decoded it already.
        logo: Option<Logo>,
        /// Its new client secret, when the bundle brings one.
        secret: Option<SecretString>,
    },
    /// Creates a directory.
    CreateDirectory {
        /// Its id (the bundle's, or a new one for a copy).
        id: DirectoryId,
        /// The document.
        document: DirectoryDocument,
        /// The document's logo, decoded when the bundle was checked.
        logo: Option<Logo>,
        /// Its client secret, when the bundle brings one.
        secret: Option<SecretString>,
    },
    /// Deletes a SCIM connection (replaced by the bundle's under its name).
    DeleteConnection {
        /// Its id.
        id: ScimConnectionId,
    },
    /// Puts a SCIM connection aside under a temporary name before it is updated.
    ParkConnection {
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

/// The writes of an import, and what the person should know of them.
#[derive(Debug, Clone, Default)]
pub struct Writes {
    /// In the order to run them.
    pub operations: Vec<Operation>,
    /// The ids of the bundle's items that will be here as the bundle has them.
    pub synced: Vec<String>,
    /// One sentence each: links that are dropped, say.
    pub notes: Vec<String>,
}

fn lower(name: &str) -> String {
    name.to_ascii_lowercase()
}

/// The writes that apply `plan` with `choices`.
pub fn operations(
    bundle: &Checked,
    local: &Local,
    plan: &Plan,
    choices: &Choices,
) -> Result<Writes, BundleError> {
    let unresolved: Vec<String> = plan
        .items
        .iter()
        .filter(|i| i.action == Action::Conflict && choices.of(&i.id).is_none())
        .map(|i| {
            let why: Vec<&str> = i.conflicts.iter().map(|c| c.message.as_str()).collect();
            format!("\"{}\": {}", i.name, why.join("; "))
        })
        .collect();
    if !unresolved.is_empty() {
        return Err(BundleError::Unresolved(unresolved));
    }
    let choice = |action: Action, id: &str| match action {
        Action::Conflict => choices.of(id),
        _ => None,
    };
    let dirs_here = Index::of(&local.directories).by_id;
    let connections_here = Index::of(&local.connections).by_id;
    let mut writes = Writes::default();
    let mut deletes = Vec::new();
    let mut gives_up: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut updates = Vec::new();
    let mut creates = Vec::new();
    let mut taken: BTreeSet<String> = local
        .directories
        .iter()
        .map(|d| lower(&d.document.name))
        .chain(bundle.directories.iter().map(|d| lower(&d.name)))
        .collect();
    // Where each of the bundle's directory ids ends up, for the connections linked to them.
    let mut moved: HashMap<String, Option<String>> = HashMap::new();

    for (doc, planned) in bundle.directories.iter().zip(&plan.items) {
        let id_text = doc.id.clone().unwrap_or_default();
        let id = directory_id(&id_text)?;
        let secret = bundle.secrets.directories.get(&id_text).cloned();
        let logo = bundle.logos.get(&id_text).cloned();
        let here = dirs_here.get(id_text.as_str()).copied();
        match (planned.action, choice(planned.action, &id_text)) {
            (Action::Unchanged, _) => writes.synced.push(id_text),
            (_, Some(Resolution::Skip)) => {
                if here.is_none() {
                    moved.insert(id_text, None);
                }
            }
            (_, Some(Resolution::Copy)) => {
                let new_id = DirectoryId::new();
                let name = free_copy_name(&doc.name, &mut taken)?;
                if here.is_none() {
                    moved.insert(id_text, Some(new_id.to_string()));
                }
                let document = DirectoryDocument {
                    id: Some(new_id.to_string()),
                    name,
                    domain_suffixes: Vec::new(),
                    ..doc.clone()
                };
                creates.push(Operation::CreateDirectory {
                    id: new_id,
                    document,
                    logo,
                    secret,
                });
            }
            _ => {
                // Create, update, or a conflict the bundle's item wins.
                for conflict in &planned.conflicts {
                    match &conflict.kind {
                        ConflictKind::NameTaken { other_id } => {
                            deletes.push(directory_id(other_id)?);
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
                writes.synced.push(id_text);
                match here {
                    Some(here) => updates.push(Operation::UpdateDirectory {
                        id,
                        expected_revision: here.revision,
                        document: doc.clone(),
                        logo,
                        secret,
                    }),
                    None => creates.push(Operation::CreateDirectory {
                        id,
                        document: doc.clone(),
                        logo,
                        secret,
                    }),
                }
            }
        }
    }

    let deleted: BTreeSet<String> = deletes.iter().map(ToString::to_string).collect();
    for id in &deleted {
        // Overwriting by name deletes the item here; the bundle must not also hold it.
        if let Some(held) = bundle
            .directories
            .iter()
            .find(|d| d.id.as_deref() == Some(id))
        {
            return Err(BundleError::Unresolved(vec![format!(
                "overwriting by name would delete the directory \"{}\" here, which the bundle also holds; choose overwrite for \"{}\" too, or copy instead",
                dirs_here.get(id.as_str()).map_or("", |h| h.document.name.as_str()),
                held.name
            )]));
        }
        let losing: Vec<&str> = local
            .connections
            .iter()
            .filter(|c| c.document.directory_id.as_deref() == Some(id))
            .map(|c| c.document.name.as_str())
            .collect();
        if !losing.is_empty() {
            writes.notes.push(format!(
                "the directory \"{}\" here is replaced: the SCIM connections linked to it here ({}) lose their link",
                dirs_here.get(id.as_str()).map_or("", |h| h.document.name.as_str()),
                losing.join(", ")
            ));
        }
    }
    let mut owners = Vec::new();
    for (owner_id, domains) in gives_up {
        let Some(here) = dirs_here
            .get(owner_id.as_str())
            .filter(|_| !deleted.contains(&owner_id))
        else {
            continue;
        };
        // The owner may be updated by the bundle too: then that update takes the domain away.
        if let Some(Operation::UpdateDirectory { document, .. }) = updates.iter_mut().find(
            |op| matches!(op, Operation::UpdateDirectory { id, .. } if id.to_string() == owner_id),
        ) {
            document.domain_suffixes.retain(|d| !domains.contains(d));
            continue;
        }
        let mut document = here.document.clone();
        document.domain_suffixes.retain(|d| !domains.contains(d));
        owners.push(Operation::UpdateDirectory {
            id: directory_id(&owner_id)?,
            expected_revision: here.revision,
            document,
            logo: None,
            secret: None,
        });
    }
    updates.splice(0..0, owners);

    let created: BTreeSet<String> = creates
        .iter()
        .filter_map(|op| match op {
            Operation::CreateDirectory { id, .. } => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut taken_connections: BTreeSet<String> = local
        .connections
        .iter()
        .map(|c| lower(&c.document.name))
        .chain(bundle.connections.iter().map(|c| lower(&c.name)))
        .collect();
    let (mut connection_deletes, mut connection_updates, mut connection_creates) =
        (Vec::new(), Vec::new(), Vec::new());
    let connection_items = plan
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::ScimConnection);
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
            .filter(|to| dirs_here.contains_key(to.as_str()) || created.contains(to))
        });
        let here = connections_here.get(id_text.as_str()).copied();
        let applied = match (planned.action, choice(planned.action, &id_text)) {
            (Action::Unchanged, _) => {
                writes.synced.push(id_text);
                false
            }
            (_, Some(Resolution::Skip)) => false,
            (_, Some(Resolution::Copy)) => {
                let new_id = ScimConnectionId::new();
                document.id = Some(new_id.to_string());
                document.name = free_copy_name(&doc.name, &mut taken_connections)?;
                connection_creates.push(Operation::CreateConnection {
                    id: new_id,
                    document: document.clone(),
                    token,
                });
                true
            }
            _ => {
                for conflict in &planned.conflicts {
                    if let ConflictKind::NameTaken { other_id } = &conflict.kind {
                        let id =
                            ScimConnectionId::parse(other_id).map_err(BundleError::Malformed)?;
                        connection_deletes.push(Operation::DeleteConnection { id });
                    }
                }
                writes.synced.push(id_text);
                match here {
                    Some(here) => connection_updates.push(Operation::UpdateConnection {
                        id,
                        expected_revision: here.revision,
                        document: document.clone(),
                        token,
                    }),
                    None => connection_creates.push(Operation::CreateConnection {
                        id,
                        document: document.clone(),
                        token,
                    }),
                }
                true
            }
        };
        if applied && doc.directory_id.is_some() && document.directory_id.is_none() {
            writes.notes.push(format!(
                "the SCIM connection \"{}\" is imported without its link: the directory it is linked to is not imported and not here",
                document.name
            ));
        }
    }

    // Items whose name or domains change are put aside first, so that the others can take them.
    let mut parks = Vec::new();
    for op in &updates {
        if let Operation::UpdateDirectory { id, document, .. } = op {
            let here = &dirs_here[id.to_string().as_str()].document;
            if lower(&here.name) != lower(&document.name)
                || here.domain_suffixes != document.domain_suffixes
            {
                parks.push(Operation::ParkDirectory { id: *id });
            }
        }
    }
    for op in &connection_updates {
        if let Operation::UpdateConnection { id, document, .. } = op {
            let here = &connections_here[id.to_string().as_str()].document;
            if lower(&here.name) != lower(&document.name) {
                parks.push(Operation::ParkConnection { id: *id });
            }
        }
    }

    let mut out: Vec<Operation> = deletes
        .into_iter()
        .map(|id| Operation::DeleteDirectory { id })
        .collect();
    out.extend(connection_deletes);
    out.extend(parks);
    out.extend(updates);
    out.extend(creates);
    out.extend(connection_updates);
    out.extend(connection_creates);
    if let (Some(url), Some(planned)) = (
        &bundle.sign_in_service_url,
        plan.items.iter().find(|i| i.kind == ItemKind::Setting),
    ) {
        let wins = match planned.action {
            Action::Create | Action::Update => true,
            Action::Conflict => choices.of(&planned.id) == Some(Resolution::Overwrite),
            Action::Unchanged => false,
        };
        if wins {
            out.push(Operation::SetSignInServiceUrl(url.clone()));
        }
    }
    check_final(local, &out)?;
    writes.operations = out;
    Ok(writes)
}

/// Refuses writes after which two directories would have one name or one domain, or two SCIM
/// connections one name: choices the plan could not foresee (a directory skipped that keeps a
/// domain the bundle gives another, say).
fn check_final(local: &Local, operations: &[Operation]) -> Result<(), BundleError> {
    let mut names: HashMap<String, String> = HashMap::new();
    let mut domains: HashMap<String, String> = HashMap::new();
    let mut connection_names: HashMap<String, String> = HashMap::new();
    let mut shown: HashMap<String, String> = HashMap::new();
    let changed: BTreeSet<String> = operations
        .iter()
        .filter_map(|op| match op {
            Operation::DeleteDirectory { id } | Operation::UpdateDirectory { id, .. } => {
                Some(id.to_string())
            }
            Operation::DeleteConnection { id } | Operation::UpdateConnection { id, .. } => {
                Some(id.to_string())
            }
            _ => None,
        })
        .collect();
    for here in &local.directories {
        let id = here.document.id.clone().unwrap_or_default();
        shown.insert(id.clone(), here.document.name.clone());
        if changed.contains(&id) {
            continue;
        }
        names.insert(lower(&here.document.name), id.clone());
        for domain in &here.document.domain_suffixes {
            domains.insert(domain.clone(), id.clone());
        }
    }
    for here in &local.connections {
        let id = here.document.id.clone().unwrap_or_default();
        if !changed.contains(&id) {
            connection_names.insert(lower(&here.document.name), id);
        }
    }
    let mut problems = Vec::new();
    for op in operations {
        match op {
            Operation::UpdateDirectory { id, document, .. }
            | Operation::CreateDirectory { id, document, .. } => {
                let id = id.to_string();
                shown.insert(id.clone(), document.name.clone());
                if names.insert(lower(&document.name), id.clone()).is_some() {
                    problems.push(format!(
                        "with these choices two directories would be named \"{}\"; choose differently for one of them",
                        document.name,
                    ));
                }
                for domain in &document.domain_suffixes {
                    if let Some(other) = domains.insert(domain.clone(), id.clone()) {
                        problems.push(format!(
                            "with these choices the domain {domain} would route to both \"{}\" and \"{}\"; choose differently for one of them",
                            shown.get(&other).map_or(other.as_str(), String::as_str),
                            document.name,
                        ));
                    }
                }
            }
            Operation::UpdateConnection { id, document, .. }
            | Operation::CreateConnection { id, document, .. }
                if connection_names
                    .insert(lower(&document.name), id.to_string())
                    .is_some() =>
            {
                problems.push(format!(
                    "with these choices two SCIM connections would be named \"{}\"; choose differently for one of them",
                    document.name
                ));
            }
            _ => {}
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(BundleError::Unresolved(problems))
    }
}

/// The first "(copy)" name of `name` not in `taken`, which then holds it.
fn free_copy_name(name: &str, taken: &mut BTreeSet<String>) -> Result<String, BundleError> {
    let free = copy_names(name)
        .find(|n| !taken.contains(&lower(n)))
        .ok_or_else(|| BundleError::NoFreeName(name.to_owned()))?;
    taken.insert(lower(&free));
    Ok(free)
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

fn directory_id(text: &str) -> Result<DirectoryId, BundleError> {
    DirectoryId::parse(text).map_err(BundleError::Malformed)
}
