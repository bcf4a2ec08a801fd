//! The state file: the world and the shell session in one versioned JSON document, written
//! atomically (temp file + rename) so a killed process never leaves half a file behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::shell::Session;
use crate::world::World;

/// The format written today. Files from a newer kubetutor are refused, never overwritten.
pub const FORMAT_VERSION: u32 = 1;
const FORMAT_NAME: &str = "kubetutor-state";

#[derive(Debug, Error)]
pub enum StateError {
    #[error("{}: cannot read state file: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{}: not a kubetutor state file: {reason}", path.display())]
    Corrupt { path: PathBuf, reason: String },
    #[error("{}: state file version {found} is newer than this kubetutor supports ({FORMAT_VERSION}); upgrade kubetutor", path.display())]
    FutureVersion { path: PathBuf, found: u64 },
    #[error("{}: cannot write state file: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
}

/// The document as read back (format and version are checked on the raw JSON first).
#[derive(Deserialize)]
struct Document {
    world: World,
    session: Session,
}

/// The same document, borrowed for writing (saving must not copy the world).
#[derive(Serialize)]
struct DocumentRef<'a> {
    format: &'a str,
    version: u32,
    world: &'a World,
    session: &'a Session,
}

/// Loads a state file. `Ok(None)` when the file does not exist yet.
pub fn load(path: &Path) -> Result<Option<(World, Session)>, StateError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            check_parent(path)?;
            return Ok(None);
        }
        Err(source) => return Err(StateError::Read { path: path.to_path_buf(), source }),
    };
    let corrupt = |reason: String| StateError::Corrupt { path: path.to_path_buf(), reason };
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT_NAME) {
        return Err(corrupt("missing \"format\": \"kubetutor-state\"".into()));
    }
    let version = value.get("version").and_then(serde_json::Value::as_u64).ok_or_else(|| corrupt("missing version".into()))?;
    if version > u64::from(FORMAT_VERSION) {
        return Err(StateError::FutureVersion { path: path.to_path_buf(), found: version });
    }
    let doc: Document = serde_json::from_value(value).map_err(|e| corrupt(e.to_string()))?;
    if doc.session.frames.iter().any(|f| !doc.world.hosts.contains_key(&f.host)) {
        return Err(corrupt("the session is on a host the world does not have".into()));
    }
    Ok(Some((doc.world, doc.session)))
}

/// Saves atomically: write a temp file beside the target, then rename over it.
pub fn save(path: &Path, world: &World, session: &Session) -> Result<(), StateError> {
    let doc = DocumentRef { format: FORMAT_NAME, version: FORMAT_VERSION, world, session };
    let write_err = |source| StateError::Write { path: path.to_path_buf(), source };
    let bytes = serde_json::to_vec(&doc).map_err(|e| write_err(std::io::Error::other(e)))?;
    let tmp =
        path.with_file_name(format!(".{}.tmp{}", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(), std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(write_err)
}

fn check_parent(path: &Path) -> Result<(), StateError> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if parent.is_dir() {
        Ok(())
    } else {
        Err(StateError::Read {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "directory does not exist"),
        })
    }
}
