//! Files the front ends write and read for people: written all at once, so that a failure
//! leaves no half-written file; read with a limit, so that an enormous file is refused without
//! being read whole.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Writes `content` to a file beside `path`, which then replaces it.
pub fn write_whole(path: &Path, content: &[u8]) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_owned());
    let temporary = folder.join(format!(".{file_name}.{}.part", std::process::id()));
    std::fs::write(&temporary, content)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

/// Reads at most `max + 1` bytes of `path`: one more than allowed tells the caller it is too
/// large.
pub fn read_at_most(path: &Path, max: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(max as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// `text` as a piece of a file name: lower-case letters and digits, words joined by dashes,
/// at most eight words; empty when it has no letter or digit.
pub fn slug(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-")
}
