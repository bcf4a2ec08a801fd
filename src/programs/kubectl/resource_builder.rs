//! Turns `-f FILE|DIR|-` (with `-R`) and `-k DIR` into objects, as kubectl's resource builder does:
//! multi-document YAML and JSON, `List` kinds flattened, directories read in name order.
//!
//! Also the pieces every `-f` verb shares: mapping an object to its resource
//! (`resource mapping not found …`), and printing the errors a whole command collected the way
//! kubectl's `CheckErr` prints an aggregate.

use serde_json::Value;

use crate::cluster::{Reason, Registry, ResourceInfo, Status};
use crate::host::fs;
use crate::programs::Ctx;
use crate::programs::kubectl::errors;
use crate::yaml::decode;

/// One object read from a source, with the name of the file it came from (for error messages
/// such as `error when creating "pod.yaml": ...`).
#[derive(Debug, Clone)]
pub struct SourcedObject {
    pub source: String,
    pub object: Value,
}

/// The file extensions kubectl reads inside a directory.
const EXTENSIONS: &[&str] = &[".json", ".yaml", ".yml"];

/// Reads every object named by `-f` arguments (files, directories, `-` for stdin).
/// The error is kubectl's whole message without the `error: ` prefix.
pub fn load_files(ctx: &mut Ctx<'_>, filenames: &[String], recursive: bool) -> Result<Vec<SourcedObject>, String> {
    let (objects, errs) = load(ctx, filenames, recursive, true);
    match errs.into_iter().next() {
        Some(e) => Err(e.to_string()),
        None => Ok(objects),
    }
}

/// Reads `-f` sources, continuing past bad documents as kubectl's builder does: the objects that
/// could be read, and one error per document (or path) that could not. With `validate`, objects
/// without `apiVersion`/`kind` are refused with the validator's message; without it, with the
/// decoder's.
pub fn load(ctx: &mut Ctx<'_>, filenames: &[String], recursive: bool, validate: bool) -> (Vec<SourcedObject>, Vec<CmdError>) {
    let mut sources: Vec<(String, String)> = Vec::new();
    let mut errs = Vec::new();
    for name in filenames {
        if name == "-" {
            sources.push(("STDIN".to_string(), String::from_utf8_lossy(ctx.stdin).into_owned()));
            continue;
        }
        if name.starts_with("http://") || name.starts_with("https://") {
            errs.push(CmdError::Plain(format!("unable to read URL \"{name}\", server reported 0 , status code=0")));
            continue;
        }
        let path = ctx.resolve(name);
        let fs = ctx.fs();
        if fs.is_dir(&path) {
            for file in dir_files(fs, &path, recursive) {
                let shown = join_shown(name, &path, &file);
                sources.push((shown, fs.read_string(&file).unwrap_or_default()));
            }
        } else if fs.is_file(&path) {
            sources.push((name.clone(), fs.read_string(&path).unwrap_or_default()));
        } else {
            errs.push(CmdError::Plain(format!("the path \"{name}\" does not exist")));
        }
    }
    if !errs.is_empty() {
        // A bad path fails the whole builder before anything is visited.
        return (Vec::new(), errs);
    }
    let mut objects = Vec::new();
    for (source, text) in sources {
        for doc in decode::documents(&text) {
            match doc {
                Err(e) => errs.push(CmdError::Plain(format!("error parsing {source}: {e}"))),
                Ok(Value::Null) => {}
                Ok(v) => flatten(&source, v, validate, &mut objects, &mut errs),
            }
        }
    }
    (objects, errs)
}

fn flatten(source: &str, v: Value, validate: bool, objects: &mut Vec<SourcedObject>, errs: &mut Vec<CmdError>) {
    if let Err(e) = check_type_meta(source, &v, validate) {
        errs.push(e);
        return;
    }
    let kind = v.get("kind").and_then(Value::as_str).unwrap_or_default();
    if kind.ends_with("List") && v.get("items").is_some_and(Value::is_array) {
        if let Some(items) = v.get("items").and_then(Value::as_array) {
            for item in items {
                flatten(source, item.clone(), validate, objects, errs);
            }
        }
        return;
    }
    objects.push(SourcedObject { source: source.to_string(), object: v });
}

/// kubectl's client-side schema check of `apiVersion` and `kind`, or the decoder's complaint when
/// validation is off.
fn check_type_meta(source: &str, v: &Value, validate: bool) -> Result<(), CmdError> {
    let set = |k: &str| v.get(k).and_then(Value::as_str).is_some_and(|s| !s.is_empty());
    if !v.is_object() {
        return Err(CmdError::Plain(format!(
            "error parsing {source}: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_type(v)
        )));
    }
    let mut missing = Vec::new();
    if !set("apiVersion") {
        missing.push("apiVersion not set");
    }
    if !set("kind") {
        missing.push("kind not set");
    }
    if missing.is_empty() {
        return Ok(());
    }
    if validate {
        let what = if missing.len() == 1 { missing[0].to_string() } else { format!("[{}]", missing.join(", ")) };
        return Err(CmdError::Plain(format!(
            "error validating \"{source}\": error validating data: {what}; if you choose to ignore these errors, turn validation off with --validate=false"
        )));
    }
    let raw = serde_json::to_string(v).unwrap_or_default();
    let which = if set("kind") { "Version" } else { "Kind" };
    Err(CmdError::Plain(format!("unable to decode \"{source}\": Object '{which}' is missing in '{raw}'")))
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        _ => "object",
    }
}

/// The readable files of a directory, in `filepath.Walk` order (lexical, depth first).
fn dir_files(fs: &fs::Fs, dir: &str, recursive: bool) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(names) = fs.list(dir) else { return out };
    for name in names {
        let p = if dir == "/" { format!("/{name}") } else { format!("{dir}/{name}") };
        if fs.is_dir(&p) {
            if recursive {
                out.extend(dir_files(fs, &p, recursive));
            }
        } else if EXTENSIONS.iter().any(|e| name.ends_with(e)) {
            out.push(p);
        }
    }
    out
}

/// The path kubectl names a file found under a directory argument: `filepath.Join(arg, rel)`.
fn join_shown(arg: &str, abs_dir: &str, abs_file: &str) -> String {
    let rel = abs_file.strip_prefix(abs_dir).unwrap_or(abs_file).trim_start_matches('/');
    let joined = format!("{}/{rel}", arg.trim_end_matches('/'));
    clean(&joined)
}

/// Go's `filepath.Clean` for relative and absolute paths.
fn clean(p: &str) -> String {
    let abs = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            ".." if abs => {}
            x => parts.push(x),
        }
    }
    let s = parts.join("/");
    match (abs, s.is_empty()) {
        (true, _) => format!("/{s}"),
        (false, true) => ".".to_string(),
        (false, false) => s,
    }
}

/// The resource serving an object read from a file, or kubectl's mapping error.
pub fn resource_for<'r>(registry: &'r Registry, obj: &SourcedObject) -> Result<&'r ResourceInfo, CmdError> {
    let api_version = obj.object.get("apiVersion").and_then(Value::as_str).unwrap_or_default();
    let kind = obj.object.get("kind").and_then(Value::as_str).unwrap_or_default();
    registry.by_kind(api_version, kind).ok_or_else(|| {
        let name = obj.object.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
        let ns = obj.object.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or_default();
        CmdError::Plain(format!(
            "resource mapping not found for name: \"{name}\" namespace: \"{ns}\" from \"{}\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first",
            obj.source
        ))
    })
}

/// One failure of a command that goes on with its other objects.
#[derive(Debug, Clone)]
pub enum CmdError {
    /// A client-side error (printed `error: <text>` when it is the only one).
    Plain(String),
    /// An API error, with the `error when <verb> "<file>"` context kubectl adds for `-f` sources.
    Api { status: Status, context: Option<String> },
}

impl std::fmt::Display for CmdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CmdError::Plain(s) => f.write_str(s),
            CmdError::Api { status, context } => {
                let msg = status.message.strip_prefix("The ").unwrap_or(&status.message);
                match context {
                    Some(c) => write!(f, "{c}: {msg}"),
                    None => f.write_str(msg),
                }
            }
        }
    }
}

impl CmdError {
    /// An API error from acting on an object read from `source` (`creating`, `replacing`, …).
    pub fn api(status: Status, verb: &str, source: &str) -> Self {
        let context = (!source.is_empty()).then(|| format!("error when {verb} \"{source}\""));
        CmdError::Api { status, context }
    }

    pub fn status(status: Status) -> Self {
        CmdError::Api { status, context: None }
    }

    /// How `CheckErr` prints this error alone.
    fn render_single(&self) -> String {
        match self {
            CmdError::Plain(s) => {
                if s.starts_with("error: ") {
                    format!("{s}\n")
                } else {
                    format!("error: {s}\n")
                }
            }
            CmdError::Api { status, context } => {
                if status.reason == Reason::Invalid {
                    return errors::from_server(status);
                }
                let mut s = status.clone();
                if let Some(c) = context {
                    s.message = format!("{c}: {}", status.message);
                }
                errors::from_server(&s)
            }
        }
    }

    /// How `CheckErr` prints this error as one of several.
    fn render_many(&self) -> String {
        match self {
            CmdError::Plain(s) => format!("{s}\n"),
            CmdError::Api { status, .. } => format!("Error from server ({}): {self}\n", status.reason.as_str()),
        }
    }
}

/// Prints what a command collected, as kubectl's aggregate errors print, and returns the exit
/// status (0 when there was nothing).
pub fn print_errors(ctx: &mut Ctx<'_>, errs: &[CmdError]) -> i32 {
    match errs {
        [] => 0,
        [one] => {
            ctx.out.err(one.render_single());
            1
        }
        many => {
            for e in many {
                ctx.out.err(e.render_many());
            }
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_joins_like_go() {
        assert_eq!(join_shown("manifests/", "/root/manifests", "/root/manifests/a.yaml"), "manifests/a.yaml");
        assert_eq!(join_shown("./m", "/root/m", "/root/m/sub/b.yml"), "m/sub/b.yml");
        assert_eq!(join_shown("/root/m", "/root/m", "/root/m/a.json"), "/root/m/a.json");
    }
}

/// `--dry-run`: none, client or server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DryRun {
    None,
    Client,
    Server,
}

impl DryRun {
    /// Parses the flag as kubectl's `GetDryRunStrategy` does. The error is kubectl's message.
    pub fn parse(value: Option<&str>) -> Result<DryRun, String> {
        match value.unwrap_or("none") {
            "none" | "false" => Ok(DryRun::None),
            "client" | "unchanged" | "true" => Ok(DryRun::Client),
            "server" => Ok(DryRun::Server),
            other => Err(format!("Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\".")),
        }
    }

    /// What success lines end with: ` (dry run)`, ` (server dry run)` or nothing.
    pub fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }
}

/// `--validate`: the `fieldValidation` kubectl asks for, and whether it checks `kind`/`apiVersion`
/// itself.
pub fn field_validation(value: Option<&str>) -> Result<(crate::cluster::FieldValidation, bool), String> {
    use crate::cluster::FieldValidation as F;
    match value.unwrap_or("strict") {
        "strict" | "true" => Ok((F::Strict, true)),
        "warn" => Ok((F::Warn, true)),
        "ignore" | "false" => Ok((F::Ignore, false)),
        other => Err(format!("invalid - validate option \"{other}\"; must be one of: strict (or true), warn, ignore (or false)")),
    }
}

/// Go's `json.Marshal` of an unstructured object: compact, map keys sorted, `<`, `>`, `&`,
/// U+2028 and U+2029 escaped (what kubectl writes into `last-applied-configuration`).
pub fn go_json(v: &Value) -> String {
    let mut s = String::new();
    write_go_json(&mut s, v);
    s
}

fn write_go_json(s: &mut String, v: &Value) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            s.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                write_go_string(s, k);
                s.push(':');
                write_go_json(s, &m[k.as_str()]);
            }
            s.push('}');
        }
        Value::Array(a) => {
            s.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                write_go_json(s, x);
            }
            s.push(']');
        }
        Value::String(t) => write_go_string(s, t),
        other => s.push_str(&other.to_string()),
    }
}

fn write_go_string(s: &mut String, t: &str) {
    s.push('"');
    for c in t.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => s.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => s.push_str(&format!("\\u{:04x}", c as u32)),
            c => s.push(c),
        }
    }
    s.push('"');
}

/// The namespace an object read from a file is sent to: its own, else the command's. A
/// different `-n` is refused with kubectl's message.
pub fn object_namespace(obj: &Value, res: &ResourceInfo, cmd_ns: &str, explicit: bool) -> Result<Option<String>, CmdError> {
    if !res.namespaced {
        return Ok(None);
    }
    match obj.pointer("/metadata/namespace").and_then(Value::as_str).filter(|s| !s.is_empty()) {
        Some(ns) if explicit && ns != cmd_ns => Err(CmdError::Plain(format!(
            "the namespace from the provided object \"{ns}\" does not match the namespace \"{cmd_ns}\". You must pass '--namespace={ns}' to perform this operation."
        ))),
        Some(ns) => Ok(Some(ns.to_string())),
        None => Ok(Some(cmd_ns.to_string())),
    }
}

/// Sets `metadata.namespace` as kubectl's builder does for namespaced objects.
pub fn set_namespace(obj: &mut Value, ns: Option<&str>) {
    if let (Some(ns), Some(meta)) = (ns, obj.get_mut("metadata").and_then(Value::as_object_mut)) {
        meta.insert("namespace".into(), Value::String(ns.to_string()));
    }
}

/// `pod/nginx` for success lines.
pub fn object_ref(res: &ResourceInfo, name: &str) -> String {
    format!("{}/{name}", res.kind_prefix())
}

/// Running commands against a fresh default world in unit tests of the verbs.
#[cfg(test)]
pub(crate) mod testkit {
    use crate::shell::{self, Session};
    use crate::world::{World, scenario};

    pub struct Kit {
        pub world: World,
        pub session: Session,
    }

    impl Kit {
        pub fn new() -> Self {
            let world = scenario::build("default").expect("default scenario");
            Kit { world, session: Session::new("controlplane") }
        }

        pub fn file(&mut self, path: &str, text: &str) -> &mut Self {
            if let Some(h) = self.world.hosts.get_mut("controlplane") {
                h.fs.put(path, text);
            }
            self
        }

        pub fn read(&self, path: &str) -> String {
            self.world.hosts["controlplane"].fs.read_string(path).unwrap_or_default()
        }

        /// Runs one line; (stdout, stderr, status).
        pub fn run(&mut self, line: &str) -> (String, String, i32) {
            let (out, code) = shell::run_script(&mut self.world, &mut self.session, line);
            (out.stdout_string(), out.stderr_string(), code)
        }

        pub fn ok(&mut self, line: &str) -> String {
            let (o, e, c) = self.run(line);
            assert_eq!(c, 0, "{line}: {e}");
            o
        }

        /// Creates an object through the API, as another client would.
        pub fn create(&mut self, resource: &str, ns: Option<&str>, obj: serde_json::Value) {
            let res = crate::cluster::Registry::builtin().lookup(resource).expect("known resource").clone();
            let mut api = self.world.api("kubernetes").expect("cluster");
            api.create(&crate::cluster::UserInfo::admin(), &res, ns, obj, &Default::default()).expect("created");
        }

        /// A stored object, through the API.
        pub fn get(&mut self, resource: &str, ns: Option<&str>, name: &str) -> Option<serde_json::Value> {
            let res = crate::cluster::Registry::builtin().lookup(resource)?.clone();
            let api = self.world.api("kubernetes")?;
            api.get(&crate::cluster::UserInfo::admin(), &res, ns, name).ok()
        }
    }
}
