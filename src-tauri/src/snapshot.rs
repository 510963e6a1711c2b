//! The directory list as the page drew it at the last start, shown again at the next start
//! before the page's scripts have run.
//!
//! Until its scripts are fetched, compiled and run, the page has nothing to show: on a machine
//! with two cores the list came 100-150 ms after the engine could first paint. So once
//! the list is on screen, the page hands the shell the markup of that first frame (the HTML of
//! its `#app` element and the classes of its root element), and the shell keeps it in the data
//! folder under a key: the page's build and the data the list was drawn from. At the next start,
//! when the key is the same (the same build, the same directories with the same health), the
//! boot script puts that markup into the page as soon as it is parsed, the engine paints it, and
//! the page's scripts then draw the same list in its place and make it work. With any other key
//! the markup is not used, and the page draws as it always did. Measured with
//! benches/startup.sh, the list reaches the window about 40-60 ms sooner; the page's buttons
//! work from the moment its own list is in place, a frame or two after its scripts have run.
//!
//! The markup is the page's own output: what the list shows (names, domains, client IDs, health)
//! and never a secret. It runs no script: the page's content security policy allows none but the
//! bundle's own.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sso_console::digest::sha256_hex;
use sso_console::files;

/// The file in the data folder.
pub const FILE_NAME: &str = "list-snapshot.json";

/// The most markup kept. A first frame of the list at 1200x780 is about 16 kB, whatever the
/// number of directories; a very tall window draws a few times more.
pub const MAX_BYTES: usize = 1024 * 1024;

/// The largest file read or written: the markup in JSON, where quotes and control characters
/// are escaped.
const MAX_FILE_BYTES: usize = 2 * MAX_BYTES;

/// A first frame of the list, as the page drew it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Markup {
    /// The classes of the page's root element (the font the page chose, for one).
    pub root_class: String,
    /// The HTML of the page's `#app` element.
    pub html: String,
}

impl Markup {
    fn size(&self) -> usize {
        self.root_class.len() + self.html.len()
    }
}

/// The file's content: the markup and the key it was drawn under.
#[derive(Serialize, Deserialize)]
struct Stored {
    key: String,
    #[serde(flatten)]
    markup: Markup,
}

/// Why a first frame was not kept.
#[derive(Debug)]
pub enum SaveError {
    /// This start's list was not drawn from the shell's data, so there is no key to keep it under.
    NoKey,
    /// More than `MAX_BYTES`.
    TooLarge(usize),
    /// The file could not be written.
    Write(std::io::Error),
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoKey => write!(
                f,
                "this start's list was not drawn from the data handed to the page"
            ),
            Self::TooLarge(size) => {
                write!(f, "{size} bytes of markup, more than the {MAX_BYTES} kept")
            }
            Self::Write(e) => write!(f, "the file could not be written: {e}"),
        }
    }
}

/// The data folder's snapshot, for this start.
pub struct ListSnapshot {
    path: PathBuf,
    /// This start's key; None when the page got no data from the shell.
    key: Option<String>,
    /// The markup in the file under this start's key, as read at start and as last written.
    kept: Mutex<Option<Markup>>,
}

impl ListSnapshot {
    /// The snapshot in `data_dir` for a start whose page is `page` (index.html, which names the
    /// bundle's files by their content) and whose list is drawn from `boot_data`, when the page
    /// gets it. A missing, unreadable or outdated file gives no markup.
    pub fn open(data_dir: &Path, page: &[u8], boot_data: Option<&str>) -> Self {
        let path = data_dir.join(FILE_NAME);
        let key = boot_data.map(|data| {
            let mut keyed = Vec::with_capacity(page.len() + data.len() + 1);
            keyed.extend_from_slice(page);
            keyed.push(0);
            keyed.extend_from_slice(data.as_bytes());
            sha256_hex(&keyed)
        });
        let kept = key.as_deref().and_then(|key| read(&path, key));
        Self {
            path,
            key,
            kept: Mutex::new(kept),
        }
    }

    /// The markup to draw at this start, when the file holds one under this start's key.
    pub fn markup(&self) -> Option<Markup> {
        self.kept.lock().ok()?.clone()
    }

    /// Keeps `markup` under this start's key; nothing is written when the file holds it already.
    pub fn save(&self, markup: Markup) -> Result<(), SaveError> {
        let key = self.key.as_deref().ok_or(SaveError::NoKey)?;
        if markup.size() > MAX_BYTES {
            return Err(SaveError::TooLarge(markup.size()));
        }
        let mut kept = self
            .kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if kept.as_ref() == Some(&markup) {
            return Ok(());
        }
        let stored = Stored {
            key: key.to_owned(),
            markup,
        };
        let json = serde_json::to_vec(&stored).expect("strings always serialize");
        if json.len() > MAX_FILE_BYTES {
            return Err(SaveError::TooLarge(json.len()));
        }
        files::write_whole(&self.path, &json).map_err(SaveError::Write)?;
        *kept = Some(stored.markup);
        Ok(())
    }
}

/// The markup in the file at `path` when it was kept under `key`.
fn read(path: &Path, key: &str) -> Option<Markup> {
    let bytes = match files::read_at_most(path, MAX_FILE_BYTES) {
        Ok(bytes) if bytes.len() > MAX_FILE_BYTES => {
            tracing::warn!(file = %path.display(), "the list's snapshot is larger than any this app writes; the page draws the list itself");
            return None;
        }
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            tracing::warn!(file = %path.display(), error = %e, "the list's snapshot could not be read; the page draws the list itself");
            return None;
        }
    };
    match serde_json::from_slice::<Stored>(&bytes) {
        Ok(stored) if stored.key == key && stored.markup.size() <= MAX_BYTES => Some(stored.markup),
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(file = %path.display(), error = %e, "the list's snapshot is not one this app wrote; the page draws the list itself");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &[u8] = b"<script src=\"./assets/index-abc.js\"></script>";

    /// What a start on `dir` whose list is drawn from `data` finds kept.
    fn kept(dir: &Path, data: &str) -> Option<Markup> {
        ListSnapshot::open(dir, PAGE, Some(data)).markup()
    }

    fn markup(text: &str) -> Markup {
        Markup {
            root_class: "generic-font".to_owned(),
            html: format!("<div class=\"app\">{text}</div>"),
        }
    }

    #[test]
    fn a_kept_frame_is_drawn_at_the_next_start_with_the_same_page_and_data() {
        let dir = tempfile::tempdir().unwrap();
        let first = ListSnapshot::open(dir.path(), PAGE, Some("[1]"));
        assert_eq!(first.markup(), None, "nothing kept yet");
        first.save(markup("one")).unwrap();

        let next = ListSnapshot::open(dir.path(), PAGE, Some("[1]"));
        assert_eq!(next.markup(), Some(markup("one")));
    }

    #[test]
    fn other_data_or_another_build_draws_nothing() {
        let dir = tempfile::tempdir().unwrap();
        ListSnapshot::open(dir.path(), PAGE, Some("[1]"))
            .save(markup("one"))
            .unwrap();

        let changed = ListSnapshot::open(dir.path(), PAGE, Some("[1, 2]"));
        assert_eq!(changed.markup(), None, "another list");
        let rebuilt = ListSnapshot::open(
            dir.path(),
            b"<script src=\"./assets/index-def.js\">",
            Some("[1]"),
        );
        assert_eq!(rebuilt.markup(), None, "another build of the page");
        let without_data = ListSnapshot::open(dir.path(), PAGE, None);
        assert_eq!(without_data.markup(), None, "no data handed to the page");
        assert!(matches!(
            without_data.save(markup("two")),
            Err(SaveError::NoKey)
        ));

        // A start with other data keeps its own frame in place of the last one.
        changed.save(markup("two")).unwrap();
        assert_eq!(kept(dir.path(), "[1, 2]"), Some(markup("two")));
        assert_eq!(kept(dir.path(), "[1]"), None);
    }

    #[test]
    fn the_same_frame_again_is_not_written_again() {
        let dir = tempfile::tempdir().unwrap();
        ListSnapshot::open(dir.path(), PAGE, Some("[1]"))
            .save(markup("one"))
            .unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::remove_file(&path).unwrap();

        let next = ListSnapshot::open(dir.path(), PAGE, Some("[1]"));
        next.save(markup("one")).unwrap();
        assert!(path.exists(), "read nothing at start, so written");
        std::fs::remove_file(&path).unwrap();
        next.save(markup("one")).unwrap();
        assert!(!path.exists(), "the file held it already");
        next.save(markup("two")).unwrap();
        assert_eq!(kept(dir.path(), "[1]"), Some(markup("two")));
    }

    #[test]
    fn too_much_markup_is_refused_and_leaves_the_kept_frame() {
        let dir = tempfile::tempdir().unwrap();
        let snapshot = ListSnapshot::open(dir.path(), PAGE, Some("[1]"));
        snapshot.save(markup("one")).unwrap();
        let huge = markup(&"x".repeat(MAX_BYTES));
        assert!(matches!(snapshot.save(huge), Err(SaveError::TooLarge(_))));
        assert_eq!(kept(dir.path(), "[1]"), Some(markup("one")));
    }

    #[test]
    fn a_damaged_or_foreign_file_draws_nothing_and_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        for content in [
            &b"{ not json"[..],
            b"{\"key\": 1}",
            &vec![b' '; MAX_FILE_BYTES + 1],
        ] {
            std::fs::write(&path, content).unwrap();
            let snapshot = ListSnapshot::open(dir.path(), PAGE, Some("[1]"));
            assert_eq!(snapshot.markup(), None);
        }
        ListSnapshot::open(dir.path(), PAGE, Some("[1]"))
            .save(markup("one"))
            .unwrap();
        assert_eq!(kept(dir.path(), "[1]"), Some(markup("one")));
    }

    #[test]
    fn a_folder_that_cannot_be_written_is_said() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("gone");
        let snapshot = ListSnapshot::open(&missing, PAGE, Some("[1]"));
        let error = snapshot.save(markup("one")).unwrap_err();
        assert!(matches!(error, SaveError::Write(_)));
        assert!(
            error
                .to_string()
                .starts_with("the file could not be written"),
            "{error}"
        );
    }
}
