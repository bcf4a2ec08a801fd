//! `kubectl taint`: add (`key=value:Effect`, `key:Effect`), overwrite and remove (`key-`,
//! `key:Effect-`) node taints, for named nodes, `-l` or `--all` (`pkg/cmd/taint`, v1.35).

use serde_json::{Value, json};

use super::flags::FlagDef;
use super::label::label_value_errors;
use super::printers::{self, KeyOrder, OutputFormat};
use super::resource_builder::{self as rb, CmdError, DryRun, Selection};
use super::{client, parse_flags};
use crate::cluster::{Registry, WriteOptions};
use crate::programs::Ctx;

const DEFS: &[FlagDef] = &[
    FlagDef::string("selector").short('l'),
    FlagDef::bool("all"),
    FlagDef::bool("overwrite"),
    FlagDef::string("output").short('o'),
    FlagDef::string("dry-run").no_opt("unchanged"),
    FlagDef::string("validate").no_opt("strict"),
    FlagDef::string("field-manager"),
    FlagDef::bool("show-managed-fields"),
    FlagDef::string("template"),
    FlagDef::bool("allow-missing-template-keys"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
struct Taint {
    key: String,
    value: String,
    effect: String,
}

impl Taint {
    /// `key=value:effect`, `key:effect`, `key` (corev1 `Taint.ToString`).
    fn shown(&self) -> String {
        match (self.value.is_empty(), self.effect.is_empty()) {
            (true, true) => self.key.clone(),
            (true, false) => format!("{}:{}", self.key, self.effect),
            (false, true) => format!("{}={}:", self.key, self.value),
            (false, false) => format!("{}={}:{}", self.key, self.value, self.effect),
        }
    }

    fn from_json(v: &Value) -> Taint {
        let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        Taint { key: s("key"), value: s("value"), effect: s("effect") }
    }

    fn matches(&self, other: &Taint) -> bool {
        self.key == other.key && self.effect == other.effect
    }
}

/// `IsQualifiedName` messages, joined with `; `.
fn qualified_name_errors(key: &str) -> Vec<String> {
    const NAME_FMT: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    let valid_name = |n: &str| {
        let b = n.as_bytes();
        !b.is_empty()
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
    };
    let parts: Vec<&str> = key.split('/').collect();
    let mut errs = Vec::new();
    let name = match parts.as_slice() {
        [n] => *n,
        [prefix, n] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else if !prefix.split('.').all(|l| {
                let b = l.as_bytes();
                !b.is_empty()
                    && b[0].is_ascii_alphanumeric()
                    && b[b.len() - 1].is_ascii_alphanumeric()
                    && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
            }) {
                errs.push("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".to_string());
            }
            n
        }
        _ => {
            return vec!["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')".to_string()];
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else {
        if name.len() > 63 {
            errs.push("name part must be no more than 63 characters".to_string());
        }
        if !valid_name(name) {
            errs.push(NAME_FMT.to_string());
        }
    }
    errs
}

fn parse_taint(st: &str) -> Result<Taint, String> {
    let parts: Vec<&str> = st.split(':').collect();
    let (key, value, effect) = match parts.as_slice() {
        [k] => (k.to_string(), String::new(), String::new()),
        [kv, effect] => {
            if !matches!(*effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                return Err(format!("invalid taint effect: {effect}, unsupported taint effect"));
            }
            let kv: Vec<&str> = kv.split('=').collect();
            if kv.len() > 2 {
                return Err(format!("invalid taint spec: {st}"));
            }
            let value = kv.get(1).map(|v| v.to_string()).unwrap_or_default();
            if kv.len() == 2 {
                let errs = label_value_errors(&value);
                if !errs.is_empty() {
                    return Err(format!("invalid taint spec: {st}, {}", errs.join("; ")));
                }
            }
            (kv[0].to_string(), value, effect.to_string())
        }
        _ => return Err(format!("invalid taint spec: {st}")),
    };
    let errs = qualified_name_errors(&key);
    if !errs.is_empty() {
        return Err(format!("invalid taint spec: {st}, {}", errs.join("; ")));
    }
    Ok(Taint { key, value, effect })
}

fn parse_taints(specs: &[String]) -> Result<(Vec<Taint>, Vec<Taint>), String> {
    let mut add: Vec<Taint> = Vec::new();
    let mut remove = Vec::new();
    for spec in specs {
        if let Some(s) = spec.strip_suffix('-') {
            let t = parse_taint(s)?;
            remove.push(Taint { key: t.key, value: String::new(), effect: t.effect });
        } else {
            let t = parse_taint(spec)?;
            if t.effect.is_empty() {
                return Err(format!("invalid taint spec: {spec}"));
            }
            if add.iter().any(|a| a.key == t.key && a.effect == t.effect) {
                return Err(format!("duplicated taints with the same key and effect: {{{} {} {} <nil>}}", t.key, t.value, t.effect));
            }
            add.push(t);
        }
    }
    Ok((add, remove))
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let Ok(parsed) = parse_flags(ctx, "taint", DEFS, args) else { return 1 };
    let fail = |ctx: &mut Ctx<'_>, msg: &str| {
        ctx.out.err(format!("error: {msg}\n"));
        1
    };
    let dry_run = match DryRun::parse(parsed.get("dry-run")) {
        Ok(d) => d,
        Err(e) => return fail(ctx, &e),
    };
    let output = match OutputFormat::parse(parsed.get("output").unwrap_or("")) {
        Ok(o) => o,
        Err(e) => return fail(ctx, &e),
    };
    let mut resources = Vec::new();
    let mut specs = Vec::new();
    for s in &parsed.args {
        let is_taint = s.contains('=') || s.contains(':') || s.ends_with('-');
        match (specs.is_empty(), is_taint) {
            (_, true) => specs.push(s.clone()),
            (true, false) => resources.push(s.clone()),
            (false, false) => return fail(ctx, &format!("all resources must be specified before taint changes: {s}")),
        }
    }
    if resources.is_empty() {
        return fail(ctx, "one or more resources must be specified as <resource> <name>");
    }
    if specs.is_empty() {
        return fail(ctx, "at least one taint update is required");
    }
    let (add, remove) = match parse_taints(&specs) {
        Ok(x) => x,
        Err(e) => {
            ctx.out.err(format!("error: {e}\nSee 'kubectl taint -h' for help and examples\n"));
            return 1;
        }
    };
    let Ok(conn) = client::connect(ctx, &parsed) else { return 1 };
    let rtype = resources[0].to_lowercase();
    match Registry::builtin().lookup(&rtype) {
        None => return fail(ctx, &format!("the server doesn't have a resource type \"{rtype}\"")),
        Some(r) if r.kind != "Node" => return fail(ctx, &format!("invalid resource type {rtype}, only node types are supported")),
        Some(_) => {}
    }
    let conflicts: Vec<String> = add
        .iter()
        .flat_map(|a| remove.iter().filter(move |r| r.key == a.key && (r.effect.is_empty() || r.effect == a.effect)))
        .map(|r| format!("{}={}", r.key, r.effect))
        .collect();
    if !conflicts.is_empty() {
        return fail(ctx, &format!("can not both modify and remove the following taint(s) in the same command: {}", conflicts.join(", ")));
    }
    let all = parsed.bool("all");
    let selector = parsed.get("selector").filter(|s| !s.is_empty()).map(str::to_string);
    if all && selector.is_some() {
        return fail(ctx, "setting 'all' parameter with a non empty selector is prohibited");
    }
    if !all && selector.is_none() && resources.len() < 2 {
        return fail(ctx, "at least one resource name must be specified since 'all' parameter is not set");
    }
    let sel = if all || selector.is_some() {
        Selection { args: vec!["node".into()], selector, all, latest: true, ..Default::default() }
    } else {
        Selection {
            args: std::iter::once("node".to_string()).chain(resources[1..].iter().cloned()).collect(),
            latest: true,
            ..Default::default()
        }
    };
    let targets = match rb::select(ctx, &conn, &sel) {
        Ok(t) => t,
        Err(errs) => return rb::print_errors(ctx, &errs),
    };
    let overwrite = parsed.bool("overwrite");
    let mut errs = Vec::new();
    for t in targets {
        let mut t = match t {
            Ok(t) => t,
            Err(e) => {
                errs.push(e);
                continue;
            }
        };
        let old: Vec<Taint> = t
            .object
            .pointer("/spec/taints")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(Taint::from_json).collect())
            .unwrap_or_default();
        if !overwrite {
            let exists: Vec<&str> =
                add.iter().filter(|a| old.iter().any(|o| o.key == a.key && o.effect == a.effect)).map(|a| a.key.as_str()).collect();
            if !exists.is_empty() {
                errs.push(CmdError::Plain(format!(
                    "node {} already has {} taint(s) with same effect(s) and --overwrite is false",
                    t.name,
                    exists.join(",")
                )));
                continue;
            }
        }
        // kubectl's reorganizeTaints: the new taints first, then the old ones they do not replace.
        let mut new = add.clone();
        for o in &old {
            if !new.iter().any(|n| n.matches(o)) {
                new.push(o.clone());
            }
        }
        let added = old.len() != new.len();
        let mut missing = Vec::new();
        let mut removed = false;
        for r in &remove {
            let before = new.len();
            new.retain(|n| if r.effect.is_empty() { n.key != r.key } else { !n.matches(r) });
            removed = new.len() != before;
            if !removed {
                missing.push(format!("taint \"{}\" not found", r.shown()));
            }
        }
        if !missing.is_empty() {
            let msg = if missing.len() == 1 { missing.remove(0) } else { format!("[{}]", missing.join(", ")) };
            errs.push(CmdError::Plain(msg));
            continue;
        }
        let op = if (added && removed) || overwrite {
            "modified"
        } else if added {
            "tainted"
        } else {
            "untainted"
        };
        let taints: Vec<Value> = new
            .iter()
            .map(|n| {
                let mut m = json!({"effect": n.effect, "key": n.key});
                if !n.value.is_empty() {
                    m["value"] = json!(n.value);
                }
                m
            })
            .collect();
        let mut obj = t.object.clone();
        if let Some(spec) = obj.as_object_mut().map(|o| o.entry("spec").or_insert_with(|| json!({}))).and_then(Value::as_object_mut) {
            if taints.is_empty() {
                spec.shift_remove("taints");
            } else {
                // Keep the timeAdded the server stamped on taints that stay.
                let kept: Vec<Value> = taints
                    .into_iter()
                    .map(|mut n| {
                        if let Some(prev) = t.object.pointer("/spec/taints").and_then(Value::as_array).and_then(|a| {
                            a.iter().find(|o| {
                                o.get("key") == n.get("key") && o.get("effect") == n.get("effect") && o.get("value") == n.get("value")
                            })
                        }) && let Some(ta) = prev.get("timeAdded")
                        {
                            n["timeAdded"] = ta.clone();
                        }
                        n
                    })
                    .collect();
                spec.insert("taints".into(), Value::Array(kept));
            }
        }
        let result = if dry_run == DryRun::Client {
            obj
        } else {
            let Some(mut api) = conn.api(ctx.world) else { break };
            let opts =
                WriteOptions { dry_run: dry_run == DryRun::Server, field_manager: Some("kubectl-taint".into()), ..Default::default() };
            match api.update(&conn.user, &t.res, None, obj, &opts) {
                Ok(v) => v,
                Err(s) => {
                    errs.push(CmdError::status(s));
                    continue;
                }
            }
        };
        t.object = result;
        match &output {
            OutputFormat::Default | OutputFormat::Wide => ctx.out.out(format!("node/{} {op}{}\n", t.name, dry_run.suffix())),
            fmt => {
                if let Err(e) = printers::print(ctx.out, &t.object, fmt, KeyOrder::Sorted) {
                    errs.push(CmdError::Plain(e));
                }
            }
        }
    }
    rb::print_errors(ctx, &errs)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::programs::kubectl::resource_builder::testkit::Kit;

    #[test]
    fn taint_add_remove_overwrite() {
        let mut k = Kit::new();
        assert_eq!(k.ok("kubectl taint nodes node01 app=blue:NoSchedule"), "node/node01 tainted\n");
        assert_eq!(
            k.get("nodes", None, "node01").unwrap()["spec"]["taints"],
            json!([{"effect": "NoSchedule", "key": "app", "value": "blue"}])
        );
        assert_eq!(
            k.run("kubectl taint nodes node01 app=green:NoSchedule").1,
            "error: node node01 already has app taint(s) with same effect(s) and --overwrite is false\n"
        );
        assert_eq!(k.ok("kubectl taint node node01 app=green:NoSchedule --overwrite"), "node/node01 modified\n");
        assert_eq!(k.ok("kubectl taint node node01 app:NoSchedule-"), "node/node01 untainted\n");
        assert!(k.get("nodes", None, "node01").unwrap()["spec"].get("taints").is_none());
        assert_eq!(k.run("kubectl taint node node01 app-").1, "error: taint \"app\" not found\n");
        assert_eq!(
            k.ok("kubectl taint node controlplane node-role.kubernetes.io/control-plane:NoSchedule-"),
            "node/controlplane untainted\n"
        );
        assert_eq!(
            k.run("kubectl taint node node01 a=b:Foo").1,
            "error: invalid taint effect: Foo, unsupported taint effect\nSee 'kubectl taint -h' for help and examples\n"
        );
        assert_eq!(k.run("kubectl taint pods x a=b:NoSchedule").1, "error: invalid resource type pods, only node types are supported\n");
        assert_eq!(k.run("kubectl taint node node09 a=b:NoSchedule").1, "Error from server (NotFound): nodes \"node09\" not found\n");
        assert_eq!(
            k.ok("kubectl taint nodes --all spray=mortein:NoExecute"),
            "node/controlplane tainted\nnode/node01 tainted\nnode/node02 tainted\n"
        );
        assert_eq!(
            k.run("kubectl taint nodes a=b:NoSchedule").1,
            "error: at least one resource name must be specified since 'all' parameter is not set\n"
        );
    }
}
