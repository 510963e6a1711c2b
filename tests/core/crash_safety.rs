//! Saves survive `ssoctl` being killed (SIGKILL) at any moment (src/store/secret_cleanup.rs):
//! after each kill the database is intact, every directory is exactly its old or its new
//! version, its secret included, no row names an empty keyring slot, and whatever a killed save
//! left in the keyring is listed for the tidy-up, which deletes it once its deadline has passed.
//!
//! The operations and the kill moments come from a small PRNG whose seed is printed; set
//! `CRASH_SAFETY_SEED` (decimal or 0x-hex) to draw the same ones again (what a kill hits still
//! depends on timing, and so do the operations after it that depend on what it left). The kills
//! land at random moments from the start of the process to a little past the operation's
//! typical duration (measured first), so most land mid-operation and some after it completed.
#![cfg(unix)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, Row};
use sso_console::directory::{Directory, DirectoryDocument, DirectoryId, StaffRule};
use sso_console::error_kind::ErrorKind;
use sso_console::secrets::{SecretEntry, SecretVersion};
use sso_console::store::secret_cleanup::LEFT_BEHIND_AFTER_SECS;
use sso_console::store::DATABASE_FILE;
use sso_console::Workspace;

use crate::fixtures::{document, json_of, ssoctl, ssoctl_process};
use crate::secrets::{keyring_items, keyring_lookup};

/// Rounds ended by a kill at a random moment (some land after the operation completed).
const KILLS: usize = 210;
/// Complete runs of each operation timed before the kills.
const TIMED_RUNS: usize = 3;
/// Kill delays are drawn from 0 to this share (percent) of the operation's typical duration.
const DELAY_SPAN_PERCENT: u64 = 120;
/// The directories the rounds work on: one per base, and a copy of each (`ssoctl dir
/// duplicate`: a row without a secret, slot 0, until an update gives it one).
const BASES: [&str; 3] = ["a", "b", "c"];
const SIGKILL: i32 = 9;

/// xorshift64: small, deterministic, no dependency.
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> Self {
        // splitmix64 once, so that close seeds give unrelated sequences; never 0.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Self((z ^ (z >> 31)).max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn seed() -> u64 {
    if let Ok(text) = std::env::var("CRASH_SAFETY_SEED") {
        let text = text.trim();
        let parsed = match text.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16),
            None => text.parse(),
        };
        return parsed.expect("CRASH_SAFETY_SEED is a number (decimal or 0x-hex)");
    }
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    nanos ^ (u64::from(std::process::id()) << 40)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Create,
    UpdateWithSecret,
    Update,
    Duplicate,
    Delete,
}

impl Op {
    const ALL: [Op; 5] = [
        Op::Create,
        Op::UpdateWithSecret,
        Op::Update,
        Op::Duplicate,
        Op::Delete,
    ];

    fn index(self) -> usize {
        Self::ALL.iter().position(|&op| op == self).unwrap()
    }
}

/// One version of a directory, as it must read back whole.
#[derive(Debug, Clone, PartialEq)]
struct Version {
    /// The round that wrote it.
    round: usize,
    /// The document as stored (normalised, without its id).
    doc: DirectoryDocument,
    revision: i64,
    /// `client_secret_stored`: 0 none, else the version of the secret's keyring entry;
    /// [`FRESH`] until seen for a replacement, whose version is random.
    slot: i64,
    /// The secret this version was saved with (kept from the previous version when an update
    /// gave none).
    secret: Option<String>,
}

/// One of the directories the rounds work on, by its name.
struct Label {
    slug: String,
    name: String,
    /// For a copy: the label it is duplicated from.
    copy_of: Option<usize>,
    /// Set while it exists.
    id: Option<String>,
    current: Option<Version>,
}

/// What the round ran, and what it may leave.
struct Planned {
    round: usize,
    label: usize,
    op: Op,
    args: Vec<String>,
    stdin: Option<String>,
    old: Option<Version>,
    new: Option<Version>,
}

struct Outcome {
    killed: bool,
    /// Whether the directory was left as its new version (set once checked).
    left_new: bool,
    elapsed: Duration,
    success: bool,
    stderr: String,
}

struct StoredRow {
    id: String,
    name: String,
    revision: i64,
    slot: i64,
}

/// The affected directory as the console shows it (`ssoctl --json dir show` prints this).
struct ConsoleView {
    id: String,
    document: DirectoryDocument,
    revision: i64,
    has_client_secret: bool,
    warnings: Vec<String>,
}

struct Observed {
    rows: Vec<StoredRow>,
    /// Documents by id, without the id.
    docs: BTreeMap<String, DirectoryDocument>,
    listed: BTreeSet<String>,
    /// Every item of the console's keyring service: entry name → secrets (one, unless
    /// something duplicated it).
    keyring: BTreeMap<String, Vec<String>>,
    console: Option<ConsoleView>,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// The version of a replaced secret before the test has seen it: any version never used.
const FRESH: i64 = -1;

/// Whether a stored version is the one expected (a fresh one is any but the first).
fn slot_fits(stored: i64, expected: i64) -> bool {
    if expected == FRESH {
        stored > 1
    } else {
        stored == expected
    }
}

/// Whether `seen` is the version `expected`, a fresh secret version matching any new one.
fn same_version(seen: &Version, expected: &Version) -> bool {
    slot_fits(seen.slot, expected.slot)
        && Version {
            slot: seen.slot,
            ..expected.clone()
        } == *seen
}

fn slot_entry(id: &str, slot: i64) -> Option<String> {
    let id = DirectoryId::parse(id).ok()?;
    Some(SecretEntry::client_secret(id, SecretVersion::from_number(slot)?).name())
}

/// The document as the store gives it back: validated, normalised, without an id.
fn stored_form(doc: &DirectoryDocument) -> DirectoryDocument {
    let mut doc = Directory::from_document(doc)
        .unwrap_or_else(|e| panic!("the test's document is valid: {e:?}"))
        .to_document();
    doc.id = None;
    doc
}

/// The fields in which two documents differ, each with both values.
fn differences(found: &DirectoryDocument, expected: &DirectoryDocument) -> String {
    let (found, expected) = (
        serde_json::to_value(found).unwrap(),
        serde_json::to_value(expected).unwrap(),
    );
    let (Some(f), Some(e)) = (found.as_object(), expected.as_object()) else {
        return format!("{found} vs {expected}");
    };
    let mut out = Vec::new();
    for (key, value) in e {
        if f.get(key) != Some(value) {
            let shown = |v: Option<&serde_json::Value>| {
                let text = v.map_or("(none)".to_owned(), ToString::to_string);
                if text.len() > 80 {
                    format!("{}…", &text[..80])
                } else {
                    text
                }
            };
            out.push(format!(
                "{key}: stored {} / expected {}",
                shown(f.get(key)),
                shown(Some(value))
            ));
        }
    }
    out.join("; ")
}

fn describe(version: Option<&Version>) -> String {
    match version {
        None => "absent".to_owned(),
        Some(v) => format!(
            "round {} (client_id {}, revision {}, slot {}, {})",
            v.round,
            v.doc.client_id,
            v.revision,
            v.slot,
            if v.secret.is_some() {
                "with secret"
            } else {
                "no secret"
            }
        ),
    }
}

struct Harness {
    rt: tokio::runtime::Runtime,
    data: tempfile::TempDir,
    files: tempfile::TempDir,
    seed: u64,
    /// Starts every secret the rounds write, so the keyring's items of this run are known
    /// even when a killed create never told its directory's id.
    tag: String,
    labels: Vec<Label>,
    history: Vec<String>,
    /// Wall time spent running operations, and checking after them.
    running: Duration,
    checking: Duration,
}

impl Harness {
    fn new(seed: u64) -> Self {
        let mut labels = Vec::new();
        for slug in BASES {
            labels.push(Label {
                slug: slug.to_owned(),
                name: format!("Crash {slug}"),
                copy_of: None,
                id: None,
                current: None,
            });
        }
        for (base, slug) in BASES.iter().enumerate() {
            labels.push(Label {
                slug: format!("{slug}-copy"),
                // What `dir duplicate` names it (src/store/directories.rs copy_name).
                name: format!("Crash {slug} (copy)"),
                copy_of: Some(base),
                id: None,
                current: None,
            });
        }
        Self {
            rt: tokio::runtime::Runtime::new().unwrap(),
            data: tempfile::tempdir().unwrap(),
            files: tempfile::tempdir().unwrap(),
            seed,
            tag: format!("crash-{seed:016x}-"),
            labels,
            history: Vec::new(),
            running: Duration::ZERO,
            checking: Duration::ZERO,
        }
    }

    /// The document round `round` saves for `label`: every field it can vary encodes the round.
    fn document_for(&self, label: usize, round: usize) -> DirectoryDocument {
        let label = &self.labels[label];
        let r = round;
        let mut doc = document(&label.name);
        doc.client_id = format!("crash-{}-r{r}", label.slug);
        doc.issuer = Some(format!("https://login.example.com/r{r}"));
        doc.userinfo_url = (r % 2 == 0).then(|| format!("https://login.example.com/r{r}/userinfo"));
        doc.scopes = if r % 2 == 0 {
            "openid email profile".into()
        } else {
            "openid email".into()
        };
        doc.client_secret_expires_on = Some(format!("2031-{:02}-{:02}", 1 + r % 12, 1 + r % 28));
        doc.pkce = r % 3 != 0;
        doc.response_mode_form_post = r % 5 == 0;
        doc.token_endpoint_basic_auth = r % 7 == 0;
        doc.new_contact_member_type = format!("member-r{r}");
        doc.new_contact_status = format!("status-{}-r{r}", label.slug);
        doc.staff = if r % 2 == 0 {
            StaffRule::ClaimEquals {
                claim: "groups".into(),
                value: format!("staff-r{r}"),
            }
        } else {
            StaffRule::None
        };
        doc.is_hidden = r % 2 == 1;
        doc.domain_suffixes = vec![format!("{}-r{r}.crash.example", label.slug)];
        doc.test_redirect_port = Some(20000 + (r % 20000) as u16);
        doc
    }

    fn write_document(&self, round: usize, doc: &DirectoryDocument) -> String {
        let path = self.files.path().join(format!("round-{round}.json"));
        std::fs::write(&path, serde_json::to_vec(doc).unwrap()).unwrap();
        path.display().to_string()
    }

    /// An operation that fits the directory's state: a missing one is created (a copy by
    /// duplicating its base), an existing one updated, with or without a new secret, or deleted.
    fn choose(&self, rng: &mut XorShift) -> (usize, Op) {
        let i = rng.below(self.labels.len() as u64) as usize;
        let label = &self.labels[i];
        match (&label.current, label.copy_of) {
            (Some(_), _) => (
                i,
                match rng.below(100) {
                    0..=39 => Op::UpdateWithSecret,
                    40..=74 => Op::Update,
                    _ => Op::Delete,
                },
            ),
            (None, None) => (i, Op::Create),
            // Duplicating is cheap and often; most picks of a missing copy go to its base.
            (None, Some(base)) if self.labels[base].current.is_some() && rng.below(100) < 30 => {
                (i, Op::Duplicate)
            }
            (None, Some(base)) => match self.labels[base].current {
                None => (base, Op::Create),
                Some(_) => (
                    base,
                    match rng.below(100) {
                        0..=44 => Op::UpdateWithSecret,
                        45..=79 => Op::Update,
                        _ => Op::Delete,
                    },
                ),
            },
        }
    }

    fn plan(&self, round: usize, label: usize, op: Op) -> Planned {
        let l = &self.labels[label];
        let old = l.current.clone();
        let secret = format!("{}{}-r{round}", self.tag, l.slug);
        let mut stdin = None;
        let (args, new) = match op {
            Op::Create => {
                assert!(old.is_none());
                let doc = self.document_for(label, round);
                stdin = Some(secret.clone());
                (
                    vec![
                        "dir".into(),
                        "create".into(),
                        "--file".into(),
                        self.write_document(round, &doc),
                        "--client-secret-stdin".into(),
                    ],
                    Some(Version {
                        round,
                        doc: stored_form(&doc),
                        revision: 1,
                        slot: 1,
                        secret: Some(secret),
                    }),
                )
            }
            Op::UpdateWithSecret | Op::Update => {
                let before = old.as_ref().expect("updates an existing directory");
                let doc = self.document_for(label, round);
                let mut args = vec![
                    "dir".into(),
                    "update".into(),
                    l.name.clone(),
                    "--file".into(),
                    self.write_document(round, &doc),
                ];
                let (slot, secret) = if op == Op::UpdateWithSecret {
                    args.push("--client-secret-stdin".into());
                    stdin = Some(secret.clone());
                    // The new secret goes into a keyring entry of a new name.
                    (FRESH, Some(secret))
                } else {
                    (before.slot, before.secret.clone())
                };
                (
                    args,
                    Some(Version {
                        round,
                        doc: stored_form(&doc),
                        revision: before.revision + 1,
                        slot,
                        secret,
                    }),
                )
            }
            Op::Duplicate => {
                assert!(old.is_none());
                let base = &self.labels[l.copy_of.expect("a copy")];
                let source = base.current.as_ref().expect("the base exists");
                let mut doc = source.doc.clone();
                doc.name = l.name.clone();
                doc.domain_suffixes.clear();
                (
                    vec!["dir".into(), "duplicate".into(), base.name.clone()],
                    Some(Version {
                        round,
                        doc: stored_form(&doc),
                        revision: 1,
                        slot: 0,
                        secret: None,
                    }),
                )
            }
            Op::Delete => {
                assert!(old.is_some());
                (vec!["dir".into(), "delete".into(), l.name.clone()], None)
            }
        };
        Planned {
            round,
            label,
            op,
            args,
            stdin,
            old,
            new,
        }
    }

    /// Runs the operation; with `kill_after`, sends SIGKILL that long after starting it
    /// (a no-op on a process that has already exited).
    fn run(&self, planned: &Planned, kill_after: Option<Duration>) -> Outcome {
        let mut cmd = ssoctl_process(self.data.path());
        cmd.args(&planned.args)
            .stdin(if planned.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let started = Instant::now();
        let mut child = cmd.spawn().expect("ssoctl starts");
        if let Some(secret) = &planned.stdin {
            let mut stdin = child.stdin.take().unwrap();
            // A process killed before it read its input makes this fail; that is fine.
            let _ = stdin.write_all(format!("{secret}\n").as_bytes());
        }
        if let Some(delay) = kill_after {
            let elapsed = started.elapsed();
            if delay > elapsed {
                std::thread::sleep(delay - elapsed);
            }
            // Not reaped yet, so the pid is still this child's even if it has just exited.
            let _ = child.kill();
        }
        let status = child.wait().unwrap();
        let elapsed = started.elapsed();
        let mut stderr = String::new();
        let _ = child.stderr.take().unwrap().read_to_string(&mut stderr);
        Outcome {
            killed: status.signal() == Some(SIGKILL),
            left_new: false,
            elapsed,
            success: status.success(),
            stderr,
        }
    }

    /// The state after a round: the database file checked first, as a fresh process finds it,
    /// then read through a fresh workspace, and the keyring asked directly.
    fn observe(&self, affected: Option<&str>) -> Result<Observed, String> {
        let path = self.data.path().join(DATABASE_FILE);
        let observed = self.rt.block_on(async {
            let mut conn = SqliteConnectOptions::new()
                .filename(&path)
                .create_if_missing(false)
                .connect()
                .await
                .map_err(err)?;
            let check: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_all(&mut conn)
                .await
                .map_err(err)?;
            if check != ["ok"] {
                return Err(format!("PRAGMA integrity_check: {check:?}"));
            }
            let dangling = sqlx::query("PRAGMA foreign_key_check")
                .fetch_all(&mut conn)
                .await
                .map_err(err)?;
            if !dangling.is_empty() {
                return Err(format!(
                    "PRAGMA foreign_key_check: {} rows refer to nothing",
                    dangling.len()
                ));
            }
            let rows = sqlx::query(
                "SELECT id, name, revision, client_secret_stored FROM directories ORDER BY name",
            )
            .fetch_all(&mut conn)
            .await
            .map_err(err)?
            .iter()
            .map(|row| StoredRow {
                id: row.get(0),
                name: row.get(1),
                revision: row.get(2),
                slot: row.get(3),
            })
            .collect::<Vec<_>>();
            let listed: BTreeSet<String> = sqlx::query_scalar("SELECT entry FROM secret_cleanup")
                .fetch_all(&mut conn)
                .await
                .map_err(err)?
                .into_iter()
                .collect();
            conn.close().await.map_err(err)?;

            let ws = Workspace::open(self.data.path()).await.map_err(err)?;
            let docs = ws
                .documents()
                .await
                .map_err(err)?
                .into_iter()
                .map(|mut doc| (doc.id.take().unwrap_or_default(), doc))
                .collect();
            let console = match affected {
                None => None,
                Some(name) => match ws.find(name).await {
                    Ok(detail) => {
                        let mut document = detail.document;
                        let id = document.id.take().unwrap_or_default();
                        Some(ConsoleView {
                            id,
                            document,
                            revision: detail.revision,
                            has_client_secret: detail.has_client_secret,
                            warnings: detail
                                .warnings
                                .iter()
                                .filter(|w| w.field == "client_secret")
                                .map(|w| w.message.clone())
                                .collect(),
                        })
                    }
                    Err(e) if e.kind() == ErrorKind::NotFound => None,
                    Err(e) => return Err(format!("the console cannot show {name}: {e}")),
                },
            };
            ws.close().await;
            Ok(Observed {
                rows,
                docs,
                listed,
                keyring: BTreeMap::new(),
                console,
            })
        });
        let mut observed = observed?;
        observed.keyring = keyring_items();
        Ok(observed)
    }

    /// Checks what was observed against the model: each directory is its current version, the
    /// one `planned` touched its old or its new one (the new one when the operation completed).
    /// Returns each label's state found.
    fn verify(
        &self,
        obs: &Observed,
        planned: Option<&Planned>,
        completed: bool,
    ) -> Result<Vec<Option<(String, Version)>>, String> {
        let mut found = Vec::new();
        for (i, label) in self.labels.iter().enumerate() {
            let touched = planned.filter(|p| p.label == i);
            let candidates: Vec<Option<&Version>> = match touched {
                Some(p) => vec![p.old.as_ref(), p.new.as_ref()],
                None => vec![label.current.as_ref()],
            };
            let row = obs.rows.iter().find(|r| r.name == label.name);
            let state = match row {
                None if candidates.contains(&None) => None,
                None => {
                    return Err(format!(
                        "\"{}\" has no row; expected {}",
                        label.name,
                        candidates
                            .iter()
                            .map(|c| describe(*c))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ))
                }
                Some(row) => {
                    if let Some(id) = label.id.as_ref().filter(|_| candidates[0].is_some()) {
                        if &row.id != id {
                            return Err(format!(
                                "\"{}\" has id {} instead of {id}",
                                label.name, row.id
                            ));
                        }
                    }
                    let doc = obs.docs.get(&row.id).ok_or_else(|| {
                        format!("\"{}\": a row the workspace does not list", label.name)
                    })?;
                    let Some(version) = candidates.iter().flatten().find(|v| v.doc == *doc) else {
                        return Err(format!(
                            "\"{}\" (revision {}, slot {}) is neither of its versions: {}",
                            label.name,
                            row.revision,
                            row.slot,
                            candidates
                                .iter()
                                .map(|c| match c {
                                    None => "absent".to_owned(),
                                    Some(v) => format!(
                                        "vs round {}: {}",
                                        v.round,
                                        differences(doc, &v.doc)
                                    ),
                                })
                                .collect::<Vec<_>>()
                                .join(" | ")
                        ));
                    };
                    if row.revision != version.revision || !slot_fits(row.slot, version.slot) {
                        return Err(format!(
                            "\"{}\" has the fields of {} but revision {} and secret slot {}",
                            label.name,
                            describe(Some(version)),
                            row.revision,
                            row.slot
                        ));
                    }
                    match (slot_entry(&row.id, row.slot), &version.secret) {
                        (None, None) if row.slot == 0 => {}
                        (Some(entry), Some(secret)) => {
                            let held = obs
                                .keyring
                                .get(&entry)
                                .map(Vec::as_slice)
                                .unwrap_or_default();
                            if held != std::slice::from_ref(secret) {
                                return Err(format!(
                                    "\"{}\" ({}) names keyring entry {entry}, which holds {held:?} instead of {secret:?}",
                                    label.name,
                                    describe(Some(version))
                                ));
                            }
                        }
                        _ => {
                            return Err(format!(
                                "\"{}\": slot {} does not fit {}",
                                label.name,
                                row.slot,
                                describe(Some(version))
                            ))
                        }
                    }
                    // From here on the version is the one seen.
                    Some((
                        row.id.clone(),
                        Version {
                            slot: row.slot,
                            ..(*version).clone()
                        },
                    ))
                }
            };
            if let Some(p) = touched {
                let as_expected = match (state.as_ref().map(|s| &s.1), p.new.as_ref()) {
                    (Some(seen), Some(new)) => same_version(seen, new),
                    (seen, new) => seen.is_none() && new.is_none(),
                };
                if completed && !as_expected {
                    return Err(format!(
                        "{:?} of \"{}\" completed, but it is {} instead of {}",
                        p.op,
                        label.name,
                        describe(state.as_ref().map(|s| &s.1)),
                        describe(p.new.as_ref())
                    ));
                }
                // The console's own view of it (what `ssoctl --json dir show` prints).
                match (&state, &obs.console) {
                    (None, None) => {}
                    (Some((id, v)), Some(c)) => {
                        // The secret's value was checked in the keyring above.
                        let secret_ok =
                            c.has_client_secret == v.secret.is_some() && c.warnings.is_empty();
                        if &c.id != id
                            || c.document != v.doc
                            || c.revision != v.revision
                            || !secret_ok
                        {
                            return Err(format!(
                                "the console shows \"{}\" as revision {}, has_client_secret {}, warnings {:?}, fields [{}]; stored is {}",
                                label.name,
                                c.revision,
                                c.has_client_secret,
                                c.warnings,
                                differences(&c.document, &v.doc),
                                describe(Some(v))
                            ));
                        }
                    }
                    (Some(_), None) => {
                        return Err(format!("the console does not find \"{}\"", label.name))
                    }
                    (None, Some(_)) => {
                        return Err(format!("the console finds \"{}\" with no row", label.name))
                    }
                }
            }
            found.push(state);
        }
        if let Some(row) = obs
            .rows
            .iter()
            .find(|r| !self.labels.iter().any(|l| l.name == r.name))
        {
            return Err(format!("an unexpected directory \"{}\" exists", row.name));
        }
        // What no row names may be in the keyring only while it is listed for the tidy-up.
        let named = self.named_entries(obs);
        for (entry, secrets) in &obs.keyring {
            if !secrets.iter().any(|s| s.starts_with(&self.tag)) {
                continue;
            }
            if secrets.len() > 1 {
                return Err(format!(
                    "the keyring holds {} items for {entry}",
                    secrets.len()
                ));
            }
            if !named.contains(entry) && !obs.listed.contains(entry) {
                return Err(format!(
                    "keyring entry {entry} ({:?}) is named by no row and not listed for the tidy-up",
                    secrets[0]
                ));
            }
        }
        Ok(found)
    }

    fn named_entries(&self, obs: &Observed) -> BTreeSet<String> {
        obs.rows
            .iter()
            .filter_map(|r| slot_entry(&r.id, r.slot))
            .collect()
    }

    /// Entries of this run in the keyring that no row names.
    fn unnamed_entries(&self, obs: &Observed) -> Vec<String> {
        let named = self.named_entries(obs);
        obs.keyring
            .iter()
            .filter(|(entry, secrets)| {
                secrets.iter().any(|s| s.starts_with(&self.tag)) && !named.contains(*entry)
            })
            .map(|(entry, _)| entry.clone())
            .collect()
    }

    fn adopt(&mut self, found: Vec<Option<(String, Version)>>) {
        for (label, state) in self.labels.iter_mut().zip(found) {
            match state {
                Some((id, version)) => {
                    label.id = Some(id);
                    label.current = Some(version);
                }
                None => {
                    label.id = None;
                    label.current = None;
                }
            }
        }
    }

    /// One round: plan, run (killed after `kill_after`, or to its end), check, adopt the state.
    fn round(&mut self, planned: &Planned, kill_after: Option<Duration>) -> Outcome {
        let mut outcome = self.run(planned, kill_after);
        let completed = !outcome.killed;
        let name = self.labels[planned.label].name.clone();
        let delay = kill_after.map_or("none".to_owned(), |d| format!("{} µs", d.as_micros()));
        let entry = format!(
            "round {}: {:?} \"{name}\" (was {}), kill after {delay}: {} after {} µs",
            planned.round,
            planned.op,
            describe(planned.old.as_ref()),
            if outcome.killed {
                "killed"
            } else {
                "completed"
            },
            outcome.elapsed.as_micros()
        );
        self.running += outcome.elapsed;
        let checking = Instant::now();
        let checked = if completed && !outcome.success {
            Err(format!("the operation failed: {}", outcome.stderr.trim()))
        } else {
            self.observe(Some(&name))
                .and_then(|obs| self.verify(&obs, Some(planned), completed))
        };
        self.checking += checking.elapsed();
        match checked {
            Ok(found) => {
                outcome.left_new =
                    found[planned.label].as_ref().map(|s| &s.1) == planned.new.as_ref();
                let state = found[planned.label].as_ref().map(|s| s.1.round);
                self.history.push(format!(
                    "{entry} → {}",
                    match state {
                        None => "absent".to_owned(),
                        Some(r) => format!("version of round {r}"),
                    }
                ));
                self.adopt(found);
            }
            Err(message) => {
                self.history.push(entry);
                let start = self.history.len().saturating_sub(40);
                panic!(
                    "inconsistency after a kill (seed {:#x}; rerun with CRASH_SAFETY_SEED={:#x}): {message}\n\
                     in round {}: {:?} of \"{name}\", kill after {delay}, the process {}\n\
                     the rounds before it:\n{}",
                    self.seed,
                    self.seed,
                    planned.round,
                    planned.op,
                    if outcome.killed {
                        "was killed mid-operation"
                    } else {
                        "had completed"
                    },
                    self.history[start..].join("\n")
                );
            }
        }
        outcome
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples
        .get(samples.len() / 2)
        .copied()
        .unwrap_or(Duration::from_millis(100))
}

#[test]
fn saves_updates_and_deletes_killed_at_random_moments_leave_old_or_new_never_a_mix() {
    let started = Instant::now();
    let seed = seed();
    eprintln!("crash safety: seed {seed:#x} (rerun with CRASH_SAFETY_SEED={seed:#x})");
    let mut rng = XorShift::new(seed);
    let mut h = Harness::new(seed);
    let mut round = 0;

    // How long each operation takes when left alone, measured on the first directory and its
    // copy; these rounds complete, and are checked like the others.
    let mut timings: Vec<Vec<Duration>> = vec![Vec::new(); Op::ALL.len()];
    for _ in 0..TIMED_RUNS {
        for (label, op) in [
            (0, Op::Create),
            (0, Op::UpdateWithSecret),
            (0, Op::Update),
            (BASES.len(), Op::Duplicate),
            (BASES.len(), Op::Delete),
            (0, Op::Delete),
        ] {
            round += 1;
            let planned = h.plan(round, label, op);
            let outcome = h.round(&planned, None);
            timings[op.index()].push(outcome.elapsed);
        }
    }
    let typical: Vec<Duration> = timings.into_iter().map(median).collect();
    eprintln!(
        "crash safety: typical durations: {}",
        Op::ALL
            .iter()
            .map(|op| format!("{op:?} {} ms", typical[op.index()].as_millis()))
            .collect::<Vec<_>>()
            .join(", ")
    );

    let (mut kills, mut mid) = (0, 0);
    // Per operation: kills, of which mid-operation, of which left the new version.
    let mut per_op = [(0usize, 0usize, 0usize); Op::ALL.len()];
    while kills < KILLS {
        round += 1;
        let (label, op) = h.choose(&mut rng);
        let span = typical[op.index()].as_micros() as u64 * DELAY_SPAN_PERCENT / 100;
        let delay = Duration::from_micros(rng.below(span + 1));
        let planned = h.plan(round, label, op);
        let outcome = h.round(&planned, Some(delay));
        kills += 1;
        per_op[op.index()].0 += 1;
        if outcome.killed {
            mid += 1;
            per_op[op.index()].1 += 1;
            if outcome.left_new {
                per_op[op.index()].2 += 1;
            }
        }
    }

    // Whatever the killed saves left: listed, and in the keyring or not.
    let obs = h.observe(None).unwrap_or_else(|e| panic!("{e}"));
    let left_behind = h.unnamed_entries(&obs);
    let listed_before = obs.listed.len();

    // The tidy-up's deadline passed (15 minutes cannot be waited for: the listings are made
    // an hour older), then a workspace opens, as the next start of the console does.
    let an_hour = 4 * LEFT_BEHIND_AFTER_SECS;
    h.rt.block_on(async {
        let mut conn = SqliteConnectOptions::new()
            .filename(h.data.path().join(DATABASE_FILE))
            .connect()
            .await
            .unwrap();
        sqlx::query("UPDATE secret_cleanup SET listed_at = listed_at - ?")
            .bind(an_hour)
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        let ws = Workspace::open(h.data.path()).await.unwrap();
        ws.close().await;
    });

    let obs = h.observe(None).unwrap_or_else(|e| panic!("{e}"));
    let found = h
        .verify(&obs, None, false)
        .unwrap_or_else(|e| panic!("after the tidy-up (seed {seed:#x}): {e}"));
    h.adopt(found);
    let still_unnamed = h.unnamed_entries(&obs);
    assert!(
        still_unnamed.is_empty(),
        "the tidy-up left keyring entries no row names (seed {seed:#x}): {still_unnamed:?}"
    );
    for entry in &left_behind {
        assert!(
            !obs.keyring.contains_key(entry),
            "left behind by a killed save and not tidied: {entry}"
        );
    }
    assert!(
        obs.listed.is_empty(),
        "the tidy-up left entries listed: {:?}",
        obs.listed
    );

    // Asked of the keyring entry by entry, as tests/core/secrets.rs does.
    for entry in &left_behind {
        assert_eq!(keyring_lookup(entry), None, "not tidied: {entry}");
    }
    for label in &h.labels {
        if let (Some(id), Some(version)) = (&label.id, &label.current) {
            // The entry the row names holds its secret, and no other entry of it is left.
            let prefix = format!("directory/{id}/");
            let held: Vec<(String, Vec<String>)> = keyring_items()
                .into_iter()
                .filter(|(name, _)| name.starts_with(&prefix))
                .collect();
            let expected: Vec<(String, Vec<String>)> = slot_entry(id, version.slot)
                .map(|entry| (entry, vec![version.secret.clone().unwrap()]))
                .into_iter()
                .collect();
            assert_eq!(held, expected, "the entries of \"{}\"", label.name);
        }
    }

    // The console's own reading of each secret left.
    h.rt.block_on(async {
        let ws = Workspace::open(h.data.path()).await.unwrap();
        for label in &h.labels {
            if let (Some(id), Some(version)) = (&label.id, &label.current) {
                let secret = ws
                    .client_secret(DirectoryId::parse(id).unwrap())
                    .await
                    .unwrap()
                    .map(|s| s.expose().to_owned());
                assert_eq!(secret, version.secret, "the secret of \"{}\"", label.name);
            }
        }
        ws.close().await;
    });

    // The binary's own view of what is left.
    for label in &h.labels {
        let Some(version) = &label.current else {
            continue;
        };
        let out = ssoctl(h.data.path())
            .args(["--json", "dir", "show", &label.name])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let shown = json_of(&out.stdout);
        let mut doc: DirectoryDocument = serde_json::from_value(shown["document"].clone()).unwrap();
        assert_eq!(doc.id.take().as_ref(), label.id.as_ref());
        assert_eq!(doc, version.doc, "{}", differences(&doc, &version.doc));
        assert_eq!(shown["revision"], version.revision);
        assert_eq!(shown["has_client_secret"], version.secret.is_some());
    }

    assert!(
        kills >= 200 && mid > 0,
        "{kills} kills, {mid} mid-operation"
    );
    eprintln!(
        "crash safety: seed {seed:#x}: {kills} kills, {mid} mid-operation, {} after completion \
         (per operation: kills, mid-operation, mid-operation kills that left the new version: \
         {}); {} timed rounds ran to completion; {} keyring entries left behind and {} listed \
         before the tidy-up, none after; {:.1} s ({:.1} s running operations, {:.1} s checking)",
        kills - mid,
        Op::ALL
            .iter()
            .map(|op| {
                let (k, m, n) = per_op[op.index()];
                format!("{op:?} {k}/{m}/{n}")
            })
            .collect::<Vec<_>>()
            .join(", "),
        TIMED_RUNS * 6,
        left_behind.len(),
        listed_before,
        started.elapsed().as_secs_f32(),
        h.running.as_secs_f32(),
        h.checking.as_secs_f32()
    );
}
