//! An in-memory POSIX-like filesystem: absolute paths, directories, regular files with modes.
//!
//! Paths given to these methods are absolute and normalised by [`normalize`]; relative paths are
//! resolved against a working directory by the caller with [`resolve`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FsError {
    #[error("No such file or directory")]
    NotFound,
    #[error("Not a directory")]
    NotADirectory,
    #[error("Is a directory")]
    IsADirectory,
    #[error("File exists")]
    Exists,
    #[error("Directory not empty")]
    NotEmpty,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Node {
    Dir {
        mode: u32,
    },
    File {
        mode: u32,
        #[serde(with = "file_data")]
        data: Vec<u8>,
    },
}

/// Every node, keyed by absolute path. `/` is always present. Because the map is sorted, the
/// children of a directory are one contiguous, name-ordered range.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fs {
    nodes: BTreeMap<String, Node>,
}

impl Default for Fs {
    fn default() -> Self {
        Self::new()
    }
}

impl Fs {
    pub fn new() -> Self {
        let mut nodes = BTreeMap::new();
        nodes.insert("/".to_string(), Node::Dir { mode: 0o755 });
        Fs { nodes }
    }

    pub fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(&normalize(path))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    pub fn is_dir(&self, path: &str) -> bool {
        matches!(self.get(path), Some(Node::Dir { .. }))
    }

    pub fn is_file(&self, path: &str) -> bool {
        matches!(self.get(path), Some(Node::File { .. }))
    }

    pub fn read(&self, path: &str) -> Result<&[u8], FsError> {
        match self.get(path) {
            Some(Node::File { data, .. }) => Ok(data),
            Some(Node::Dir { .. }) => Err(FsError::IsADirectory),
            None => Err(FsError::NotFound),
        }
    }

    /// Reads a file as text, replacing invalid UTF-8.
    pub fn read_string(&self, path: &str) -> Result<String, FsError> {
        self.read(path).map(|d| String::from_utf8_lossy(d).into_owned())
    }

    /// Creates or truncates a file. The parent directory must exist.
    pub fn write(&mut self, path: &str, data: impl Into<Vec<u8>>) -> Result<(), FsError> {
        let path = normalize(path);
        self.check_parent(&path)?;
        match self.nodes.get_mut(&path) {
            Some(Node::Dir { .. }) => Err(FsError::IsADirectory),
            Some(Node::File { data: d, .. }) => {
                *d = data.into();
                Ok(())
            }
            None => {
                self.nodes.insert(path, Node::File { mode: 0o644, data: data.into() });
                Ok(())
            }
        }
    }

    /// Appends to a file, creating it when missing.
    pub fn append(&mut self, path: &str, more: &[u8]) -> Result<(), FsError> {
        let path = normalize(path);
        if let Some(Node::File { data, .. }) = self.nodes.get_mut(&path) {
            data.extend_from_slice(more);
            return Ok(());
        }
        self.write(&path, more.to_vec())
    }

    /// Writes a file, creating missing parent directories first (for building scenarios).
    pub fn put(&mut self, path: &str, data: impl Into<Vec<u8>>) {
        let path = normalize(path);
        let _ = self.mkdir_all(parent(&path));
        let _ = self.write(&path, data);
    }

    pub fn set_mode(&mut self, path: &str, new_mode: u32) -> Result<(), FsError> {
        match self.nodes.get_mut(&normalize(path)) {
            Some(Node::Dir { mode } | Node::File { mode, .. }) => {
                *mode = new_mode;
                Ok(())
            }
            None => Err(FsError::NotFound),
        }
    }

    /// Creates one directory; its parent must exist.
    pub fn mkdir(&mut self, path: &str) -> Result<(), FsError> {
        let path = normalize(path);
        if self.nodes.contains_key(&path) {
            return Err(FsError::Exists);
        }
        self.check_parent(&path)?;
        self.nodes.insert(path, Node::Dir { mode: 0o755 });
        Ok(())
    }

    /// `mkdir -p`: creates the directory and any missing parents.
    pub fn mkdir_all(&mut self, path: &str) -> Result<(), FsError> {
        let path = normalize(path);
        let mut current = String::new();
        for part in path.split('/').filter(|p| !p.is_empty()) {
            current.push('/');
            current.push_str(part);
            match self.nodes.get(&current) {
                Some(Node::Dir { .. }) => {}
                Some(Node::File { .. }) => return Err(FsError::NotADirectory),
                None => {
                    self.nodes.insert(current.clone(), Node::Dir { mode: 0o755 });
                }
            }
        }
        Ok(())
    }

    /// The names directly inside a directory, sorted.
    pub fn list(&self, path: &str) -> Result<Vec<String>, FsError> {
        let path = normalize(path);
        match self.nodes.get(&path) {
            None => return Err(FsError::NotFound),
            Some(Node::File { .. }) => return Err(FsError::NotADirectory),
            Some(Node::Dir { .. }) => {}
        }
        let prefix = if path == "/" { "/".to_string() } else { format!("{path}/") };
        Ok(self
            .nodes
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter_map(|(k, _)| {
                let rest = &k[prefix.len()..];
                (!rest.is_empty() && !rest.contains('/')).then(|| rest.to_string())
            })
            .collect())
    }

    /// Every path under `path` (itself included), in sorted order.
    pub fn walk(&self, path: &str) -> Vec<String> {
        let path = normalize(path);
        let prefix = if path == "/" { "/".to_string() } else { format!("{path}/") };
        let mut out: Vec<String> = self.nodes.get(&path).map(|_| path.clone()).into_iter().collect();
        out.extend(
            self.nodes.range(prefix.clone()..).take_while(|(k, _)| k.starts_with(&prefix)).map(|(k, _)| k.clone()).filter(|k| *k != path),
        );
        out
    }

    /// Removes a file or an empty directory.
    pub fn remove(&mut self, path: &str) -> Result<(), FsError> {
        let path = normalize(path);
        match self.nodes.get(&path) {
            None => Err(FsError::NotFound),
            Some(Node::Dir { .. }) if !self.list(&path)?.is_empty() => Err(FsError::NotEmpty),
            Some(_) if path == "/" => Err(FsError::NotEmpty),
            Some(_) => {
                self.nodes.remove(&path);
                Ok(())
            }
        }
    }

    /// `rm -r`: removes a path and everything below it.
    pub fn remove_all(&mut self, path: &str) -> Result<(), FsError> {
        let path = normalize(path);
        if !self.nodes.contains_key(&path) {
            return Err(FsError::NotFound);
        }
        for p in self.walk(&path) {
            if p != "/" {
                self.nodes.remove(&p);
            }
        }
        Ok(())
    }

    /// Moves a file or directory tree to a new path (the target's parent must exist).
    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        let (from, to) = (normalize(from), normalize(to));
        if !self.nodes.contains_key(&from) {
            return Err(FsError::NotFound);
        }
        if from == to {
            return Ok(());
        }
        self.check_parent(&to)?;
        if self.is_dir(&to) {
            return Err(FsError::IsADirectory);
        }
        let moved: Vec<(String, Node)> = self.walk(&from).into_iter().filter_map(|p| self.nodes.remove(&p).map(|n| (p, n))).collect();
        for (p, n) in moved {
            let new = format!("{to}{}", &p[from.len()..]);
            self.nodes.insert(new, n);
        }
        Ok(())
    }

    fn check_parent(&self, path: &str) -> Result<(), FsError> {
        match self.nodes.get(parent(path)) {
            Some(Node::Dir { .. }) => Ok(()),
            Some(Node::File { .. }) => Err(FsError::NotADirectory),
            None => Err(FsError::NotFound),
        }
    }
}

/// The directory part of a normalised absolute path (`/` for `/x`).
pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// The last component of a path.
pub fn basename(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// Makes an absolute path canonical: no `.`, `..`, empty components or trailing slash.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Resolves `path` against the working directory `cwd`.
pub fn resolve(cwd: &str, path: &str) -> String {
    if path.starts_with('/') { normalize(path) } else { normalize(&format!("{cwd}/{path}")) }
}

/// File contents are stored as text when they are UTF-8 (readable save files) and as hex otherwise.
mod file_data {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Repr {
        Text(String),
        Hex(String),
    }

    pub fn serialize<S: Serializer>(data: &[u8], s: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(data) {
            Ok(text) => Repr::Text(text.to_string()),
            Err(_) => Repr::Hex(data.iter().map(|b| format!("{b:02x}")).collect()),
        }
        .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        match Repr::deserialize(d)? {
            Repr::Text(t) => Ok(t.into_bytes()),
            Repr::Hex(h) => (0..h.len())
                .step_by(2)
                .map(|i| h.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
                .collect::<Option<Vec<u8>>>()
                .ok_or_else(|| serde::de::Error::custom("bad hex file data")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_needs_parent_and_mkdir_all_makes_it() {
        let mut fs = Fs::new();
        assert_eq!(fs.write("/a/b.txt", "x"), Err(FsError::NotFound));
        fs.mkdir_all("/a").unwrap();
        fs.write("/a/b.txt", "x").unwrap();
        assert_eq!(fs.read("/a/b.txt").unwrap(), b"x");
        assert_eq!(fs.list("/a").unwrap(), ["b.txt"]);
        assert_eq!(fs.list("/").unwrap(), ["a"]);
    }

    #[test]
    fn remove_refuses_non_empty_dir_and_rename_moves_tree() {
        let mut fs = Fs::new();
        fs.put("/d/e/f", "1");
        assert_eq!(fs.remove("/d"), Err(FsError::NotEmpty));
        fs.mkdir("/x").unwrap();
        fs.rename("/d", "/x/d2").unwrap();
        assert_eq!(fs.read("/x/d2/e/f").unwrap(), b"1");
        assert!(!fs.exists("/d"));
        fs.remove_all("/x").unwrap();
        assert!(!fs.exists("/x/d2/e"));
    }

    #[test]
    fn paths_normalise() {
        assert_eq!(normalize("/a/./b/../c/"), "/a/c");
        assert_eq!(resolve("/root", "../etc"), "/etc");
        assert_eq!(basename("/etc/kubernetes/"), "kubernetes");
        assert_eq!(parent("/etc"), "/");
    }

    #[test]
    fn binary_data_round_trips_through_json() {
        let mut fs = Fs::new();
        fs.put("/bin", vec![0u8, 255, 10]);
        fs.put("/txt", "héllo");
        let json = serde_json::to_string(&fs).unwrap();
        let back: Fs = serde_json::from_str(&json).unwrap();
        assert_eq!(back.read("/bin").unwrap(), [0u8, 255, 10]);
        assert_eq!(back.read_string("/txt").unwrap(), "héllo");
    }
}
