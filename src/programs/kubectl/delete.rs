//! `kubectl delete`: by name, `TYPE/NAME`, `-f`, `-l`, `--all` (`-A`), with grace periods,
//! `--force`, cascading policies and `-o name`, as `pkg/cmd/delete/delete.go` (v1.35) prints them.

use super::flags::{FlagDef, FlagKind};
use super::resource_builder::{self as rb, CmdError, DryRun, Selection};
use super::{client, parse_flags};
use crate::cluster::api::Propagation;
use crate::cluster::{DeleteOptions, Reason};
use crate::programs::Ctx;

const DEFS: &[FlagDef] = &[
    FlagDef::new("filename", Some('f'), FlagKind::StringSlice),
    FlagDef::new("kustomize", Some('k'), FlagKind::String),
    FlagDef::bool("recursive").short('R'),
    FlagDef::string("selector").short('l'),
    FlagDef::string("field-selector"),
    FlagDef::bool("all"),
    FlagDef::bool("all-namespaces").short('A'),
    FlagDef::bool("force"),
    FlagDef::string("cascade").no_opt("background"),
    FlagDef::bool("now"),
    FlagDef::new("grace-period", None, FlagKind::Int),
    FlagDef::new("timeout", None, FlagKind::Duration),
    FlagDef::bool("ignore-not-found"),
    FlagDef::bool("wait"),
    FlagDef::string("output").short('o'),
    FlagDef::string("raw"),
    FlagDef::bool("interactive").short('i'),
    FlagDef::string("dry-run").no_opt("unchanged"),
];

pub const FORCE_WARNING: &str = "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n";

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let Ok(parsed) = parse_flags(ctx, "delete", DEFS, args) else { return 1 };
    let fail = |ctx: &mut Ctx<'_>, msg: &str| {
        ctx.out.err(format!("error: {msg}\n"));
        1
    };
    let output = parsed.string("output", "");
    let force = parsed.bool("force");
    let mut grace = parsed.int("grace-period", -1);
    let propagation = match parsed.get("cascade").unwrap_or("background") {
        "background" | "true" => Propagation::Background,
        "foreground" => Propagation::Foreground,
        "orphan" | "false" => Propagation::Orphan,
        other => return fail(ctx, &format!("invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\"")),
    };
    if let Some(v @ ("true" | "false")) = parsed.get("cascade") {
        let to = if v == "true" { "background" } else { "orphan" };
        ctx.out.err(format!("warning: --cascade={v} is deprecated (boolean value) and can be replaced with --cascade={to}.\n"));
    }
    let selecting = parsed.bool("all") || parsed.changed("selector") || parsed.changed("field-selector");
    let ignore_not_found = if parsed.changed("ignore-not-found") { parsed.bool("ignore-not-found") } else { selecting };
    if parsed.bool("now") {
        if grace != -1 {
            return fail(ctx, "--now and --grace-period cannot be specified together");
        }
        grace = 1;
    }
    if grace == 0 && !force {
        grace = 1;
    }
    if force && grace < 0 {
        grace = 0;
    }
    let dry_run = match DryRun::parse(parsed.get("dry-run")) {
        Ok(d) => d,
        Err(e) => return fail(ctx, &e),
    };
    if !output.is_empty() && output != "name" {
        return fail(ctx, &format!("unexpected -o output mode: {output}. We only support '-o name'"));
    }
    // The builder (made in `Complete`, before `Validate`) refuses this first, with a trailing space.
    if parsed.bool("all") && (parsed.changed("selector") || parsed.changed("field-selector")) {
        return fail(ctx, "setting 'all' parameter but found a non empty selector. ");
    }
    if grace == 0 && force {
        ctx.out.err(FORCE_WARNING);
    } else if grace > 0 && force {
        return fail(ctx, "--force and --grace-period greater than 0 cannot be specified together");
    }
    let Ok(conn) = client::connect(ctx, &parsed) else { return 1 };
    let mut files = parsed.all("filename");
    let kdir = parsed.get("kustomize").map(str::to_string);
    let mut kustomized = Vec::new();
    if let Some(dir) = &kdir {
        if !files.is_empty() {
            return fail(ctx, "only one of -f or -k can be specified");
        }
        match super::kustomize::build_objects(ctx, dir) {
            Ok(objs) => kustomized = objs,
            Err(e) => return fail(ctx, &e),
        }
        files.clear();
    }
    let sel = Selection {
        args: parsed.args.clone(),
        filenames: files,
        kustomize: None,
        recursive: parsed.bool("recursive"),
        selector: parsed.get("selector").map(str::to_string),
        field_selector: parsed.get("field-selector").map(str::to_string),
        all: parsed.bool("all"),
        all_namespaces: parsed.bool("all-namespaces"),
        latest: false,
        allow_empty_selector: false,
    };
    let targets = if kdir.is_some() {
        let registry = crate::cluster::Registry::builtin().clone();
        kustomized
            .iter()
            .map(|o| {
                let res = rb::resource_for(&registry, o)?.clone();
                let ns = rb::object_namespace(&o.object, &res, &conn.namespace, conn.namespace_explicit)?;
                let name = o.object.pointer("/metadata/name").and_then(serde_json::Value::as_str).unwrap_or_default().to_string();
                Ok(rb::Target { res, namespace: ns, name, source: o.source.clone(), object: o.object.clone() })
            })
            .collect()
    } else {
        match rb::select(ctx, &conn, &sel) {
            Ok(t) => t,
            Err(errs) => return rb::print_errors(ctx, &errs),
        }
    };
    let opts = DeleteOptions { dry_run: dry_run == DryRun::Server, grace_period: (grace >= 0).then_some(grace), propagation };
    let mut errs = Vec::new();
    let mut found = 0;
    let mut warned_scope = !conn.namespace_explicit || sel.all_namespaces;
    for t in targets {
        let t = match t {
            Ok(t) => t,
            Err(CmdError::Api { status, .. }) if ignore_not_found && status.reason == Reason::NotFound => continue,
            Err(e) => {
                errs.push(e);
                continue;
            }
        };
        if !warned_scope && !t.res.namespaced {
            ctx.out.err("Warning: deleting cluster-scoped resources, not scoped to the provided namespace\n");
            warned_scope = true;
        }
        if dry_run != DryRun::Client {
            let Some(mut api) = conn.api(ctx.world) else { break };
            match api.delete(&conn.user, &t.res, t.namespace.as_deref(), &t.name, &opts) {
                Ok(_) => {}
                Err(s) if ignore_not_found && s.reason == Reason::NotFound => continue,
                Err(s) => {
                    found += 1;
                    errs.push(CmdError::api(s, "deleting", &t.source));
                    continue;
                }
            }
        }
        found += 1;
        ctx.out.out(deleted_line(&t, grace, dry_run, &output));
    }
    if !errs.is_empty() {
        return rb::print_errors(ctx, &errs);
    }
    if found == 0 {
        ctx.out.out("No resources found\n");
    }
    0
}

/// `pod "web" deleted from default namespace`, `node "n" deleted`, `pod/web` with `-o name`.
pub fn deleted_line(t: &rb::Target, grace: i64, dry_run: DryRun, output: &str) -> String {
    let kind = t.res.kind_prefix();
    if output == "name" {
        return format!("{kind}/{}\n", t.name);
    }
    let mut op = if grace == 0 { "force deleted".to_string() } else { "deleted".to_string() };
    if let Some(ns) = &t.namespace {
        op = format!("{op} from {ns} namespace");
    }
    format!("{kind} \"{}\" {op}{}\n", t.name, dry_run.suffix())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::programs::kubectl::resource_builder::testkit::Kit;

    fn pod(name: &str, app: &str) -> serde_json::Value {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": app}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}})
    }

    #[test]
    fn delete_by_name_type_slash_name_and_not_found() {
        let mut k = Kit::new();
        k.create("pods", Some("default"), pod("a", "web"));
        k.create("pods", Some("default"), pod("b", "web"));
        assert_eq!(
            k.run("kubectl delete pod a nope"),
            ("pod \"a\" deleted from default namespace\n".into(), "Error from server (NotFound): pods \"nope\" not found\n".into(), 1)
        );
        assert!(k.get("pods", Some("default"), "a").is_none());
        assert_eq!(k.ok("kubectl delete pod/b -o name"), "pod/b\n");
        assert_eq!(k.run("kubectl delete pod"), (String::new(), "error: resource(s) were provided, but no name was specified\n".into(), 1));
        assert_eq!(k.ok("kubectl delete pod nope --ignore-not-found"), "No resources found\n");
    }

    #[test]
    fn delete_by_selector_all_force_and_files() {
        let mut k = Kit::new();
        k.create("pods", Some("default"), pod("a", "web"));
        k.create("pods", Some("default"), pod("b", "db"));
        k.create("pods", Some("default"), pod("c", "web"));
        assert_eq!(
            k.ok("kubectl delete pods -l app=web"),
            "pod \"a\" deleted from default namespace\npod \"c\" deleted from default namespace\n"
        );
        assert_eq!(k.ok("kubectl delete pods -l app=web"), "No resources found\n");
        let (o, e, c) = k.run("kubectl delete pod b --force --grace-period=0");
        assert_eq!((o.as_str(), e.as_str(), c), ("pod \"b\" force deleted from default namespace\n", super::FORCE_WARNING, 0));
        k.create("pods", Some("default"), pod("d", "x"));
        assert_eq!(k.ok("kubectl delete pods --all --dry-run=client"), "pod \"d\" deleted from default namespace (dry run)\n");
        assert!(k.get("pods", Some("default"), "d").is_some());
        k.file("/root/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: d\n");
        assert_eq!(k.ok("kubectl delete -f pod.yaml"), "pod \"d\" deleted from default namespace\n");
        assert_eq!(
            k.run("kubectl delete -f pod.yaml").1,
            "Error from server (NotFound): error when deleting \"pod.yaml\": pods \"d\" not found\n"
        );
        // The API server keeps default, kube-system and kube-public (NamespaceLifecycle).
        assert_eq!(
            k.run("kubectl delete ns kube-public").1,
            "Error from server (Forbidden): namespaces \"kube-public\" is forbidden: this namespace may not be deleted\n"
        );
        k.create("namespaces", None, serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "scratch"}}));
        assert_eq!(k.ok("kubectl delete ns scratch"), "namespace \"scratch\" deleted\n");
        assert_eq!(k.run("kubectl delete pod x -o yaml").1, "error: unexpected -o output mode: yaml. We only support '-o name'\n");
    }
}
