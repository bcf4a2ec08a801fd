//! The kubeconfig file: loading (`--kubeconfig`, `$KUBECONFIG`, `~/.kube/config`), merging,
//! and writing back, as client-go's clientcmd does.
//!
//! A [`Kubeconfig`] is the merged view of every file in the loading chain. Each entry (cluster,
//! user, context) remembers the file that defined it, so a change is written back to that file,
//! and new entries go to the first existing file of the chain (or the last one when none exists),
//! following clientcmd's `ModifyConfig`. Entries keep only the fields clientcmd's v1 types know,
//! in the order of those Go structs, which is the order `kubectl config view -o json` prints.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use thiserror::Error;

use crate::host::{Fs, fs};

/// The three kinds of named entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Clusters,
    Users,
    Contexts,
}

impl Section {
    /// The list key in the file (`clusters`, `users`, `contexts`).
    pub fn key(self) -> &'static str {
        match self {
            Section::Clusters => "clusters",
            Section::Users => "users",
            Section::Contexts => "contexts",
        }
    }

    /// The key of an entry's body inside a list item (`cluster`, `user`, `context`).
    pub fn item_key(self) -> &'static str {
        match self {
            Section::Clusters => "cluster",
            Section::Users => "user",
            Section::Contexts => "context",
        }
    }

    /// The fields clientcmd's v1 type has, in Go struct order, and whether each is always printed
    /// (no `omitempty`).
    pub fn fields(self) -> &'static [(&'static str, bool)] {
        match self {
            Section::Clusters => &[
                ("server", true),
                ("tls-server-name", false),
                ("insecure-skip-tls-verify", false),
                ("certificate-authority", false),
                ("certificate-authority-data", false),
                ("proxy-url", false),
                ("disable-compression", false),
                ("extensions", false),
            ],
            Section::Users => &[
                ("client-certificate", false),
                ("client-certificate-data", false),
                ("client-key", false),
                ("client-key-data", false),
                ("token", false),
                ("tokenFile", false),
                ("as", false),
                ("as-uid", false),
                ("as-groups", false),
                ("as-user-extra", false),
                ("username", false),
                ("password", false),
                ("auth-provider", false),
                ("exec", false),
                ("extensions", false),
            ],
            Section::Contexts => &[("cluster", true), ("user", true), ("namespace", false), ("extensions", false)],
        }
    }

    pub const ALL: [Section; 3] = [Section::Clusters, Section::Users, Section::Contexts];
}

/// Fields that hold file paths. They are kept as written (`config view` shows them so) and are
/// relative to the folder of the file that defines the entry ([`Kubeconfig::resolved_body`]).
pub const PATH_FIELDS: &[&str] = &["certificate-authority", "client-certificate", "client-key", "tokenFile"];
/// Fields holding bytes (base64 in the file), shown as `DATA+OMITTED` by `config view`.
pub const DATA_FIELDS: &[&str] = &["certificate-authority-data", "client-certificate-data", "client-key-data"];
/// Fields holding secrets, shown as `REDACTED` by `config view`.
pub const SECRET_FIELDS: &[&str] = &["token", "password"];

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KubeconfigError {
    #[error("error loading config file \"{path}\": {message}")]
    Load { path: String, message: String },
    #[error("open {0}: permission denied")]
    Write(String),
}

/// One named entry with the file it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub body: Map<String, Value>,
    pub file: String,
}

/// The merged kubeconfig of a loading chain.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kubeconfig {
    /// The files of the chain, in precedence order (missing ones included).
    pub files: Vec<String>,
    /// Whether the chain is `--kubeconfig` (one file, written even if it did not exist).
    pub explicit: bool,
    pub current_context: String,
    /// The file whose `current-context` won, if any.
    pub current_context_file: Option<String>,
    pub clusters: BTreeMap<String, Entry>,
    pub users: BTreeMap<String, Entry>,
    pub contexts: BTreeMap<String, Entry>,
    /// Top-level `preferences` (shown only when not empty) and `extensions`, with the file that
    /// holds them.
    pub preferences: Option<(String, Value)>,
    pub extensions: Option<(String, Value)>,
}

/// The files kubectl reads, from `--kubeconfig`, `$KUBECONFIG` or `$HOME/.kube/config`, made
/// absolute against `cwd`. The bool says whether the chain is the explicit `--kubeconfig`.
pub fn chain(explicit: Option<&str>, env_kubeconfig: Option<&str>, home: &str, cwd: &str) -> (Vec<String>, bool) {
    if let Some(path) = explicit.filter(|p| !p.is_empty()) {
        return (vec![fs::resolve(cwd, path)], true);
    }
    if let Some(list) = env_kubeconfig.filter(|l| !l.is_empty()) {
        let mut files: Vec<String> = Vec::new();
        for p in list.split(':').filter(|p| !p.is_empty()) {
            let abs = fs::resolve(cwd, p);
            if !files.contains(&abs) {
                files.push(abs);
            }
        }
        if !files.is_empty() {
            return (files, false);
        }
    }
    (vec![fs::resolve(cwd, &format!("{home}/.kube/config"))], false)
}

impl Kubeconfig {
    /// Loads and merges the chain. Missing files are skipped (`config` subcommands accept a missing
    /// `--kubeconfig`; other verbs check it first, see `client::resolve`).
    pub fn load(fs_: &Fs, files: Vec<String>, explicit: bool) -> Result<Kubeconfig, KubeconfigError> {
        let mut cfg = Kubeconfig { files: files.clone(), explicit, ..Kubeconfig::default() };
        for file in &files {
            if !fs_.is_file(file) {
                continue;
            }
            let text = fs_.read_string(file).map_err(|e| KubeconfigError::Load { path: file.clone(), message: e.to_string() })?;
            cfg.merge_file(file, &text)?;
        }
        Ok(cfg)
    }

    fn merge_file(&mut self, file: &str, text: &str) -> Result<(), KubeconfigError> {
        let err = |message: String| KubeconfigError::Load { path: file.to_string(), message };
        let doc = match crate::yaml::parse_documents(text) {
            Ok(docs) => docs.into_iter().next().unwrap_or(Value::Null),
            Err(e) => return Err(err(e.message)),
        };
        let root = match doc {
            Value::Null => return Ok(()),
            Value::Object(m) => m,
            other => {
                let what = match other {
                    Value::String(_) => "string",
                    Value::Array(_) => "array",
                    Value::Bool(_) => "bool",
                    _ => "number",
                };
                return Err(err(format!(
                    "couldn't get version/kind; json parse error: json: cannot unmarshal {what} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}"
                )));
            }
        };
        for section in Section::ALL {
            let Some(list) = root.get(section.key()) else { continue };
            let Some(items) = list.as_array() else {
                if list.is_null() {
                    continue;
                }
                return Err(err(format!("json: cannot unmarshal object into Go struct field Config.{} of type []v1.Named", section.key())));
            };
            for item in items {
                let name = item.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
                let body = item.get(section.item_key()).and_then(Value::as_object).cloned().unwrap_or_default();
                let body = normalize(section, &body);
                let map = self.section_mut(section);
                map.entry(name).or_insert(Entry { body, file: file.to_string() });
            }
        }
        if self.preferences.is_none()
            && let Some(p) = root.get("preferences").filter(|p| p.as_object().is_some_and(|m| !m.is_empty()))
        {
            self.preferences = Some((file.to_string(), p.clone()));
        }
        if self.extensions.is_none()
            && let Some(x) = root.get("extensions").filter(|x| x.as_array().is_some_and(|a| !a.is_empty()))
        {
            self.extensions = Some((file.to_string(), x.clone()));
        }
        if self.current_context.is_empty()
            && let Some(cc) = root.get("current-context").and_then(Value::as_str).filter(|s| !s.is_empty())
        {
            self.current_context = cc.to_string();
            self.current_context_file = Some(file.to_string());
        }
        Ok(())
    }

    pub fn section(&self, section: Section) -> &BTreeMap<String, Entry> {
        match section {
            Section::Clusters => &self.clusters,
            Section::Users => &self.users,
            Section::Contexts => &self.contexts,
        }
    }

    pub fn section_mut(&mut self, section: Section) -> &mut BTreeMap<String, Entry> {
        match section {
            Section::Clusters => &mut self.clusters,
            Section::Users => &mut self.users,
            Section::Contexts => &mut self.contexts,
        }
    }

    /// A string field of a named entry (`""` when absent).
    pub fn field(&self, section: Section, name: &str, field: &str) -> String {
        self.section(section).get(name).and_then(|e| e.body.get(field)).and_then(Value::as_str).unwrap_or_default().to_string()
    }

    /// The file new entries are written to: the first existing file of the chain, else the last.
    pub fn default_file(&self, fs_: &Fs) -> String {
        if self.explicit {
            return self.files.first().cloned().unwrap_or_default();
        }
        self.files.iter().find(|f| fs_.is_file(f)).or(self.files.last()).cloned().unwrap_or_default()
    }

    /// Creates or replaces an entry's body, keeping the file it came from.
    pub fn put(&mut self, fs_: &Fs, section: Section, name: &str, body: Map<String, Value>) {
        let file = self.section(section).get(name).map(|e| e.file.clone()).unwrap_or_else(|| self.default_file(fs_));
        let body = normalize(section, &body);
        self.section_mut(section).insert(name.to_string(), Entry { body, file });
    }

    /// The whole merged config as clientcmd's v1 `Config`, in Go struct order (`-o json`).
    pub fn to_value(&self) -> Value {
        self.value_of(|_| true, &self.current_context, None)
    }

    /// The config as a value; `file` limits the top-level preferences and extensions to those
    /// that file holds (for writing it back).
    fn value_of(&self, keep: impl Fn(&Entry) -> bool, current: &str, file: Option<&str>) -> Value {
        let top = |slot: &Option<(String, Value)>| slot.as_ref().filter(|(f, _)| file.is_none_or(|want| want == f)).map(|(_, v)| v.clone());
        let list = |section: Section| -> Value {
            let items: Vec<Value> = self
                .section(section)
                .iter()
                .filter(|(_, e)| keep(e))
                .map(|(n, e)| {
                    let mut item = Map::new();
                    item.insert("name".into(), json!(n));
                    item.insert(section.item_key().into(), Value::Object(e.body.clone()));
                    Value::Object(item)
                })
                .collect();
            if items.is_empty() { Value::Null } else { Value::Array(items) }
        };
        let mut root = Map::new();
        root.insert("kind".into(), json!("Config"));
        root.insert("apiVersion".into(), json!("v1"));
        if let Some(p) = top(&self.preferences) {
            root.insert("preferences".into(), p);
        }
        root.insert("clusters".into(), list(Section::Clusters));
        root.insert("users".into(), list(Section::Users));
        root.insert("contexts".into(), list(Section::Contexts));
        root.insert("current-context".into(), json!(current));
        if let Some(x) = top(&self.extensions) {
            root.insert("extensions".into(), x);
        }
        Value::Object(root)
    }

    /// Writes every file of the chain whose content changed compared with `before`, in the
    /// format kubectl writes (the same YAML `config view --raw` prints). A changed current
    /// context goes to the default file (the first existing one), as in clientcmd's `ModifyConfig`.
    pub fn save(&self, fs_: &mut Fs, before: &Kubeconfig) -> Result<(), KubeconfigError> {
        // clientcmd writes a changed current-context to the chain's default file.
        let cc_file = self.default_file(fs_);
        for file in &self.files {
            let mine = |e: &Entry| e.file == *file;
            let old_cc = file_current_context(fs_.read_string(file).ok().as_deref());
            let new_cc = if *file == cc_file && self.current_context != before.current_context {
                self.current_context.clone()
            } else {
                old_cc.clone()
            };
            let new = self.value_of(mine, &new_cc, Some(file));
            if new == before.value_of(mine, &old_cc, Some(file)) {
                continue;
            }
            let _ = fs_.mkdir_all(fs::parent(file));
            let fresh = !fs_.is_file(file);
            fs_.write(file, render_yaml(&new)).map_err(|_| KubeconfigError::Write(file.clone()))?;
            if fresh {
                // clientcmd creates kubeconfig files readable by their owner only.
                let _ = fs_.set_mode(file, 0o600);
            }
        }
        Ok(())
    }

    /// An entry's body with its relative paths made absolute against the folder of the file that
    /// defines it (clientcmd's `ResolveLocalPaths`, done when a connection is built).
    pub fn resolved_body(&self, section: Section, name: &str) -> Option<Map<String, Value>> {
        let entry = self.section(section).get(name)?;
        let dir = fs::parent(&entry.file).to_string();
        let mut body = entry.body.clone();
        for (k, v) in body.iter_mut() {
            if let Some(path) = v.as_str().filter(|p| PATH_FIELDS.contains(&k.as_str()) && !p.is_empty()) {
                *v = json!(fs::resolve(&dir, path));
            }
        }
        Some(body)
    }

    pub fn set_current_context(&mut self, fs_: &Fs, name: &str) {
        if self.current_context_file.is_none() {
            self.current_context_file = Some(self.default_file(fs_));
        }
        self.current_context = name.to_string();
    }
}

fn file_current_context(text: Option<&str>) -> String {
    text.and_then(|t| crate::yaml::parse_documents(t).ok())
        .and_then(|d| d.into_iter().next())
        .and_then(|v| v.get("current-context").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_default()
}

/// Keeps the fields clientcmd knows, in Go struct order, with the always-printed ones present.
pub fn normalize(section: Section, body: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (field, always) in section.fields() {
        match body.get(*field) {
            Some(Value::Null) | None => {
                if *always {
                    out.insert((*field).into(), json!(""));
                }
            }
            Some(Value::String(s)) if s.is_empty() && !always => {}
            Some(Value::Bool(false)) => {}
            Some(v) => {
                out.insert((*field).into(), v.clone());
            }
        }
    }
    out
}

/// A JSON value with every object's keys sorted, which is how sigs.k8s.io/yaml (and so kubectl)
/// orders YAML output.
pub fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            Value::Object(keys.into_iter().map(|k| (k.clone(), sorted(&m[k]))).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
        v => v.clone(),
    }
}

/// The YAML kubectl prints and writes for a config value.
pub fn render_yaml(value: &Value) -> String {
    crate::yaml::to_string(&sorted(value))
}

/// `config view` without `--raw`: byte fields become `DATA+OMITTED`, tokens and passwords
/// `REDACTED` (clientcmd's `ShortenConfig` and `RedactSecrets`).
pub fn redact(value: &mut Value) {
    for section in Section::ALL {
        let Some(items) = value.get_mut(section.key()).and_then(Value::as_array_mut) else { continue };
        for item in items {
            let Some(body) = item.get_mut(section.item_key()).and_then(Value::as_object_mut) else { continue };
            for (k, v) in body.iter_mut() {
                let non_empty = v.as_str().is_some_and(|s| !s.is_empty());
                if DATA_FIELDS.contains(&k.as_str()) && non_empty {
                    *v = json!("DATA+OMITTED");
                } else if SECRET_FIELDS.contains(&k.as_str()) && non_empty {
                    *v = json!("REDACTED");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fs_with(files: &[(&str, &str)]) -> Fs {
        let mut f = Fs::new();
        for (p, t) in files {
            f.put(p, *t);
        }
        f
    }

    const A: &str = "apiVersion: v1\nclusters:\n- cluster:\n    server: https://a:6443\n  name: c\ncontexts:\n- context:\n    cluster: c\n    user: u\n  name: ctx\ncurrent-context: ctx\nkind: Config\nusers:\n- name: u\n  user:\n    token: t\n";
    const B: &str = "clusters:\n- cluster:\n    server: https://b:6443\n  name: c\n- cluster:\n    server: https://b2:6443\n  name: c2\ncurrent-context: other\n";

    #[test]
    fn first_file_wins_per_entry_and_current_context() {
        let f = fs_with(&[("/a", A), ("/b", B)]);
        let cfg = Kubeconfig::load(&f, vec!["/a".into(), "/b".into()], false).unwrap();
        assert_eq!(cfg.current_context, "ctx");
        assert_eq!(cfg.field(Section::Clusters, "c", "server"), "https://a:6443");
        assert_eq!(cfg.clusters["c2"].file, "/b");
        assert_eq!(cfg.field(Section::Contexts, "ctx", "user"), "u");
    }

    #[test]
    fn chain_follows_the_loading_rules() {
        assert_eq!(chain(Some("k"), Some("/x"), "/root", "/tmp"), (vec!["/tmp/k".to_string()], true));
        assert_eq!(chain(None, Some("/x::/y:/x"), "/root", "/"), (vec!["/x".to_string(), "/y".to_string()], false));
        assert_eq!(chain(None, Some(""), "/root", "/"), (vec!["/root/.kube/config".to_string()], false));
    }

    #[test]
    fn writes_go_to_the_defining_file() {
        let mut f = fs_with(&[("/a", A), ("/b", B)]);
        let before = Kubeconfig::load(&f, vec!["/a".into(), "/b".into()], false).unwrap();
        let mut cfg = before.clone();
        let mut body = cfg.clusters["c2"].body.clone();
        body.insert("server".into(), json!("https://new"));
        cfg.put(&f, Section::Clusters, "c2", body);
        cfg.put(&f, Section::Clusters, "fresh", Map::new());
        cfg.save(&mut f, &before).unwrap();
        let b = f.read_string("/b").unwrap();
        assert!(b.contains("https://new") && b.contains("current-context: other"), "{b}");
        let a = f.read_string("/a").unwrap();
        assert!(a.contains("name: fresh") && !a.contains("https://new"), "{a}");
    }

    #[test]
    fn garbage_is_reported_like_clientcmd() {
        let f = fs_with(&[("/bad", "garbage\n")]);
        let e = Kubeconfig::load(&f, vec!["/bad".into()], true).unwrap_err().to_string();
        assert!(
            e.starts_with("error loading config file \"/bad\": couldn't get version/kind; json parse error: json: cannot unmarshal string"),
            "{e}"
        );
    }

    #[test]
    fn redaction() {
        let f = fs_with(&[("/a", A)]);
        let mut v = Kubeconfig::load(&f, vec!["/a".into()], false).unwrap().to_value();
        redact(&mut v);
        assert_eq!(v.pointer("/users/0/user/token"), Some(&json!("REDACTED")));
    }

    /// `config view` as the real kubectl v1.35.2 printed it for such a file: empty preferences
    /// are left out, others kept in Go struct order.
    #[test]
    fn preferences_and_extensions() {
        let f = fs_with(&[
            ("/p", "kind: Config\npreferences:\n  colors: true\nextensions:\n- name: a\n  extension: {x: 1}\n"),
            ("/e", "preferences: {}\n"),
        ]);
        let v = Kubeconfig::load(&f, vec!["/p".into()], true).unwrap().to_value();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["kind", "apiVersion", "preferences", "clusters", "users", "contexts", "current-context", "extensions"]);
        let v = Kubeconfig::load(&f, vec!["/e".into()], true).unwrap().to_value();
        assert!(v.get("preferences").is_none());
    }
}
