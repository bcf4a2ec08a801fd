//! `kubectl label` (and, through [`run_meta`], `kubectl annotate`): add, overwrite and remove
//! keys of `metadata.labels`/`metadata.annotations`, `--list`, `--local`, selectors, as
//! `pkg/cmd/label/label.go` and `pkg/cmd/annotate/annotate.go` (v1.35) do.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::flags::{FlagDef, FlagKind};
use super::printers::{self, KeyOrder, OutputFormat};
use super::resource_builder::{self as rb, CmdError, DryRun, Selection};
use super::{client, parse_flags};
use crate::cluster::WriteOptions;
use crate::programs::Ctx;

const DEFS: &[FlagDef] = &[
    FlagDef::new("filename", Some('f'), FlagKind::StringSlice),
    FlagDef::new("kustomize", Some('k'), FlagKind::String),
    FlagDef::bool("recursive").short('R'),
    FlagDef::string("selector").short('l'),
    FlagDef::string("field-selector"),
    FlagDef::bool("all"),
    FlagDef::bool("all-namespaces").short('A'),
    FlagDef::bool("overwrite"),
    FlagDef::bool("list"),
    FlagDef::bool("local"),
    FlagDef::string("resource-version"),
    FlagDef::string("output").short('o'),
    FlagDef::string("dry-run").no_opt("unchanged"),
    FlagDef::string("field-manager"),
    FlagDef::bool("show-managed-fields"),
    FlagDef::string("template"),
    FlagDef::bool("allow-missing-template-keys"),
    FlagDef::bool("record"),
];

/// Which metadata map a command edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaKind {
    Labels,
    Annotations,
}

impl MetaKind {
    fn field(self) -> &'static str {
        match self {
            MetaKind::Labels => "labels",
            MetaKind::Annotations => "annotations",
        }
    }

    fn verb(self) -> &'static str {
        match self {
            MetaKind::Labels => "label",
            MetaKind::Annotations => "annotate",
        }
    }

    fn singular(self) -> &'static str {
        match self {
            MetaKind::Labels => "label",
            MetaKind::Annotations => "annotation",
        }
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    run_meta(ctx, args, MetaKind::Labels)
}

/// kubectl's `IsValidLabelValue`, as the messages it joins with `;`.
pub fn label_value_errors(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    let ok = v.is_empty() || {
        let b = v.as_bytes();
        b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
    };
    if !ok {
        errs.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".to_string());
    }
    errs
}

/// cmdutil's `GetResourcesAndPairs`: resources first, then `k=v` / `k-` pairs.
pub fn split_pairs(args: &[String], pair_type: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let mut resources = Vec::new();
    let mut pairs = Vec::new();
    for s in args {
        let non_resource = (s.contains('=') && !s.starts_with('=')) || (s.ends_with('-') && s != "-");
        match (pairs.is_empty(), non_resource) {
            (_, true) => pairs.push(s.clone()),
            (true, false) => resources.push(s.clone()),
            (false, false) => return Err(format!("all resources must be specified before {pair_type} changes: {s}")),
        }
    }
    Ok((resources, pairs))
}

type Changes = (BTreeMap<String, String>, Vec<String>);

fn parse_label_pairs(pairs: &[String]) -> Result<Changes, String> {
    let mut new = BTreeMap::new();
    let mut remove = Vec::new();
    for spec in pairs {
        if spec.contains('=') {
            let parts: Vec<&str> = spec.split('=').collect();
            if parts.len() != 2 {
                return Err(format!("invalid label spec: {spec}"));
            }
            let errs = label_value_errors(parts[1]);
            if !errs.is_empty() {
                return Err(format!("invalid label value: \"{spec}\": {}", errs.join(";")));
            }
            new.insert(parts[0].to_string(), parts[1].to_string());
        } else if let Some(k) = spec.strip_suffix('-') {
            remove.push(k.to_string());
        } else {
            return Err(format!("unknown label spec: {spec}"));
        }
    }
    if remove.iter().any(|r| new.contains_key(r)) {
        return Err("can not both modify and remove a label in the same command".into());
    }
    Ok((new, remove))
}

fn parse_annotation_pairs(pairs: &[String]) -> Result<Changes, String> {
    let mut new = BTreeMap::new();
    let mut remove = Vec::new();
    let mut invalid = Vec::new();
    for p in pairs {
        if p.contains('=') && !p.starts_with('=') {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            new.insert(k.to_string(), v.to_string());
        } else if p.ends_with('-') && p != "-" {
            remove.push(p[..p.len() - 1].to_string());
        } else {
            invalid.push(p.clone());
        }
    }
    if !invalid.is_empty() {
        return Err(format!("invalid annotation format: {}", invalid.join(", ")));
    }
    let both: Vec<&str> = remove.iter().filter(|r| new.contains_key(*r)).map(String::as_str).collect();
    if !both.is_empty() {
        return Err(format!("can not both modify and remove the following annotation(s) in the same command: {}", both.join(", ")));
    }
    Ok((new, remove))
}

/// Applies the changes to an object's map; the error is kubectl's overwrite refusal.
fn edit_map(obj: &mut Value, kind: MetaKind, changes: &Changes, overwrite: bool, rv: Option<&str>) -> Result<(), String> {
    let (new, remove) = changes;
    let current: Map<String, Value> =
        obj.pointer(&format!("/metadata/{}", kind.field())).and_then(Value::as_object).cloned().unwrap_or_default();
    if !overwrite {
        let clashes: Vec<String> = new
            .iter()
            .filter(|(k, _)| !(kind == MetaKind::Annotations && *k == "kubernetes.io/change-cause"))
            .filter_map(|(k, v)| {
                current.get(k).and_then(Value::as_str).filter(|c| c != v).map(|c| format!("'{k}' already has a value ({c})"))
            })
            .collect();
        if !clashes.is_empty() {
            return Err(match kind {
                // An aggregate of one error prints bare, of several as `[a, b]`.
                MetaKind::Labels => {
                    let all: Vec<String> = clashes.iter().map(|c| format!("{c}, and --overwrite is false")).collect();
                    if all.len() == 1 { all[0].clone() } else { format!("[{}]", all.join(", ")) }
                }
                MetaKind::Annotations => {
                    format!("--overwrite is false but found the following declared annotation(s): {}", clashes.join("; "))
                }
            });
        }
    }
    let mut m = current;
    for (k, v) in new {
        m.insert(k.clone(), Value::String(v.clone()));
    }
    for k in remove {
        m.shift_remove(k);
    }
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        // The typed ObjectMeta the server stores omits an empty map (`omitempty`).
        if m.is_empty() {
            meta.shift_remove(kind.field());
        } else {
            meta.insert(kind.field().into(), Value::Object(m));
        }
        if let Some(rv) = rv {
            meta.insert("resourceVersion".into(), Value::String(rv.to_string()));
        }
    }
    Ok(())
}

/// label/annotate share everything but their words.
pub fn run_meta(ctx: &mut Ctx<'_>, args: &[String], kind: MetaKind) -> i32 {
    let verb = kind.verb();
    let Ok(parsed) = parse_flags(ctx, verb, DEFS, args) else { return 1 };
    let fail = |ctx: &mut Ctx<'_>, msg: &str| {
        ctx.out.err(format!("error: {msg}\n"));
        1
    };
    let (resources, pairs) = match split_pairs(&parsed.args, kind.singular()) {
        Ok(x) => x,
        Err(e) => return fail(ctx, &e),
    };
    let changes = match kind {
        MetaKind::Labels => parse_label_pairs(&pairs),
        MetaKind::Annotations => parse_annotation_pairs(&pairs),
    };
    let changes = match changes {
        Ok(c) => c,
        Err(e) => return fail(ctx, &e),
    };
    let output = match OutputFormat::parse(parsed.get("output").unwrap_or("")) {
        Ok(o) => o,
        Err(e) => return fail(ctx, &e),
    };
    let dry_run = match DryRun::parse(parsed.get("dry-run")) {
        Ok(d) => d,
        Err(e) => return fail(ctx, &e),
    };
    let list = parsed.bool("list");
    let local = parsed.bool("local");
    let files = parsed.all("filename");
    if kind == MetaKind::Annotations && list && output != OutputFormat::Default {
        return fail(ctx, "--list and --output may not be specified together");
    }
    if parsed.bool("all") && parsed.changed("selector") {
        return fail(ctx, "cannot set --all and --selector at the same time");
    }
    if parsed.bool("all") && parsed.changed("field-selector") {
        return fail(ctx, "cannot set --all and --field-selector at the same time");
    }
    let noun = if kind == MetaKind::Labels { "pod.yaml or --filename=pod.json" } else { "rsrc.yaml or --filename=rsrc.json" };
    if local {
        if dry_run == DryRun::Server {
            return fail(ctx, "cannot specify --local and --dry-run=server - did you mean --dry-run=client?");
        }
        if !resources.is_empty() {
            return fail(ctx, &format!("can only use local files by -f {noun} when --local=true is set"));
        }
        if files.is_empty() {
            return fail(ctx, &format!("one or more files must be specified as -f {noun}"));
        }
    } else if resources.is_empty() && files.is_empty() && !parsed.changed("kustomize") {
        return fail(ctx, "one or more resources must be specified as <resource> <name> or <resource>/<name>");
    }
    if changes.0.is_empty() && changes.1.is_empty() && !list {
        return fail(ctx, &format!("at least one {} update is required", kind.singular()));
    }
    let overwrite = parsed.bool("overwrite");
    let rv = parsed.get("resource-version").filter(|s| !s.is_empty()).map(str::to_string);

    let targets: Vec<Result<rb::Target, CmdError>> = if local {
        let (objects, errs) = rb::load(ctx, &files, parsed.bool("recursive"), false);
        rb::local_targets(objects, errs)
    } else {
        let Ok(conn) = client::connect(ctx, &parsed) else { return 1 };
        let sel = Selection {
            args: resources,
            filenames: files,
            kustomize: parsed.get("kustomize").map(str::to_string),
            recursive: parsed.bool("recursive"),
            selector: parsed.get("selector").map(str::to_string),
            field_selector: parsed.get("field-selector").map(str::to_string),
            all: parsed.bool("all"),
            all_namespaces: parsed.bool("all-namespaces"),
            latest: true,
            allow_empty_selector: false,
        };
        match rb::select(ctx, &conn, &sel) {
            Ok(t) => t,
            Err(errs) => return rb::print_errors(ctx, &errs),
        }
    };
    let one = targets.len() == 1 && !parsed.bool("all") && !parsed.changed("selector");
    if !one && rv.is_some() {
        return fail(ctx, "--resource-version may only be used with a single resource");
    }
    let conn = if local { None } else { client::connect(ctx, &parsed).ok() };
    let mut errs = Vec::new();
    for t in targets {
        let mut t = match t {
            Ok(t) => t,
            Err(e) => {
                errs.push(e);
                continue;
            }
        };
        if rv.is_some()
            && let Some(meta) = t.object.get_mut("metadata").and_then(Value::as_object_mut)
        {
            meta.shift_remove("resourceVersion");
        }
        let old = t.object.clone();
        let mut obj = t.object.clone();
        if !local && !list && dry_run != DryRun::Client && kind == MetaKind::Labels {
            let labels = old.pointer("/metadata/labels");
            for r in &changes.1 {
                if labels.and_then(|l| l.get(r)).is_none() {
                    ctx.out.out(format!("label \"{r}\" not found.\n"));
                }
            }
        }
        if let Err(e) = edit_map(&mut obj, kind, &changes, overwrite, rv.as_deref()) {
            errs.push(CmdError::Plain(e));
            continue;
        }
        let changed = normalized(&old, kind) != normalized(&obj, kind);
        let old_len = rb::go_json(&old).len();
        let new_len = rb::go_json(&obj).len();
        let msg = match kind {
            MetaKind::Annotations => "annotated",
            MetaKind::Labels if !changed => "not labeled",
            MetaKind::Labels if !overwrite && new_len < old_len => "unlabeled",
            MetaKind::Labels => "labeled",
        };
        let result = if local || list || dry_run == DryRun::Client || (!changed && rv.is_none()) {
            obj
        } else {
            let Some(conn) = &conn else { break };
            if rv.is_none()
                && let (Some(cur), Some(meta)) =
                    (old.pointer("/metadata/resourceVersion").cloned(), obj.get_mut("metadata").and_then(Value::as_object_mut))
            {
                meta.insert("resourceVersion".into(), cur);
            }
            let Some(mut api) = conn.api(ctx.world) else { break };
            let opts =
                WriteOptions { dry_run: dry_run == DryRun::Server, field_manager: Some("kubectl-label".into()), ..Default::default() };
            match api.update(&conn.user, &t.res, t.namespace.as_deref(), obj, &opts) {
                Ok(v) => v,
                Err(s) => {
                    errs.push(CmdError::status(s));
                    continue;
                }
            }
        };
        t.object = result.clone();
        if list {
            if !one {
                ctx.out.out(format!("Listing {} for {}.{}/{}:\n", kind.field(), t.res.kind, t.res.group, t.name));
            }
            let indent = if one { "" } else { " " };
            let mut entries: Vec<(String, String)> = result
                .pointer(&format!("/metadata/{}", kind.field()))
                .and_then(Value::as_object)
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect())
                .unwrap_or_default();
            entries.sort();
            for (k, v) in entries {
                ctx.out.out(format!("{indent}{k}={v}\n"));
            }
            continue;
        }
        match &output {
            OutputFormat::Default | OutputFormat::Wide => {
                ctx.out.out(format!("{} {msg}{}\n", rb::object_ref(&t.res, &t.name), dry_run.suffix()));
            }
            fmt => {
                if let Err(e) = printers::print(ctx.out, &result, fmt, KeyOrder::Sorted) {
                    errs.push(CmdError::Plain(e));
                }
            }
        }
    }
    rb::print_errors(ctx, &errs)
}

/// The object with an empty map and an absent map treated alike (Go's `json.Marshal` of what
/// `SetLabels` stored makes them differ only in that way, and kubectl compares bytes).
fn normalized(v: &Value, kind: MetaKind) -> Value {
    let mut v = v.clone();
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut)
        && meta.get(kind.field()).and_then(Value::as_object).is_some_and(Map::is_empty)
    {
        meta.shift_remove(kind.field());
    }
    v
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::programs::kubectl::resource_builder::testkit::Kit;

    fn kit() -> Kit {
        let mut k = Kit::new();
        k.create("pods", Some("default"), json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}));
        k
    }

    #[test]
    fn label_add_overwrite_remove() {
        let mut k = kit();
        assert_eq!(k.ok("kubectl label pod web tier=fe"), "pod/web labeled\n");
        assert_eq!(k.get("pods", Some("default"), "web").unwrap()["metadata"]["labels"], json!({"app": "web", "tier": "fe"}));
        assert_eq!(
            k.run("kubectl label pod web app=api"),
            (String::new(), "error: 'app' already has a value (web), and --overwrite is false\n".into(), 1)
        );
        assert_eq!(k.ok("kubectl label pod web app=api --overwrite"), "pod/web labeled\n");
        assert_eq!(k.ok("kubectl label pod/web tier-"), "pod/web unlabeled\n");
        assert_eq!(k.ok("kubectl label pod web app=api"), "pod/web not labeled\n");
        assert_eq!(
            k.ok("kubectl label pod web nope-"),
            "label \"nope\" not found.\npod/web unlabeled\n".replace("unlabeled", "not labeled")
        );
        assert_eq!(k.ok("kubectl label pod web --list"), "app=api\n");
        assert_eq!(k.run("kubectl label pod nope a=b").1, "Error from server (NotFound): pods \"nope\" not found\n");
        assert_eq!(k.run("kubectl label pod web"), (String::new(), "error: at least one label update is required\n".into(), 1));
        assert!(
            k.run("kubectl label pod web a=bad%value").1.starts_with("error: invalid label value: \"a=bad%value\": a valid label must be")
        );
    }

    #[test]
    fn annotate_words() {
        let mut k = kit();
        assert_eq!(k.ok("kubectl annotate pod web note=hello"), "pod/web annotated\n");
        assert_eq!(
            k.run("kubectl annotate pod web note=bye").1,
            "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (hello)\n"
        );
        assert_eq!(k.ok("kubectl annotate pod web note- -o name"), "pod/web\n");
        assert!(k.get("pods", Some("default"), "web").unwrap()["metadata"].get("annotations").is_none());
    }
}
