//! Keeping the mock's state in a file across restarts.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::world::State;

/// Reads the state file, if there is one.
pub(crate) fn load(path: &Path) -> std::io::Result<State> {
    if !path.exists() {
        return Ok(State::default());
    }
    let text = std::fs::read(path)?;
    serde_json::from_slice(&text).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{}: not a mock state file: {e}", path.display()),
        )
    })
}

/// A temporary name beside `path` that no state file has (`.name.tmp-<pid>`).
fn temp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writes the state durably: to a temporary file, flushed to disk, renamed over `path`, and the
/// folder flushed, so a crash leaves either the old state or the new one.
pub(crate) fn save(state: &State, path: &Path) -> std::io::Result<()> {
    let text = serde_json::to_vec(state).map_err(std::io::Error::other)?;
    let tmp = temp_name(path);
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(&text)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path)?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::File::open(dir)?.sync_all()
}
