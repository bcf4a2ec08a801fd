//! `kubectl replace -f`: PUT the file's object (taking the live resourceVersion when the file
//! has none), and `--force`: delete, wait, create (`pkg/cmd/replace/replace.go`, v1.35).

use serde_json::Value;

use super::flags::{FlagDef, FlagKind};
use super::printers::{self, KeyOrder, OutputFormat};
use super::resource_builder::{self as rb, CmdError, DryRun};
use super::{apply, client, delete, parse_flags};
use crate::cluster::{DeleteOptions, Reason, WriteOptions};
use crate::programs::Ctx;

const DEFS: &[FlagDef] = &[
    FlagDef::new("filename", Some('f'), FlagKind::StringSlice),
    FlagDef::new("kustomize", Some('k'), FlagKind::String),
    FlagDef::bool("recursive").short('R'),
    FlagDef::bool("force"),
    FlagDef::new("grace-period", None, FlagKind::Int),
    FlagDef::new("timeout", None, FlagKind::Duration),
    FlagDef::bool("wait"),
    FlagDef::string("cascade").no_opt("background"),
    FlagDef::string("output").short('o'),
    FlagDef::string("dry-run").no_opt("unchanged"),
    FlagDef::string("validate").no_opt("strict"),
    FlagDef::bool("save-config"),
    FlagDef::string("field-manager"),
    FlagDef::string("raw"),
    FlagDef::string("subresource"),
    FlagDef::bool("record"),
    FlagDef::bool("show-managed-fields"),
    FlagDef::string("template"),
    FlagDef::bool("allow-missing-template-keys"),
];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let Ok(parsed) = parse_flags(ctx, "replace", DEFS, args) else { return 1 };
    let fail = |ctx: &mut Ctx<'_>, msg: &str| {
        ctx.out.err(format!("error: {msg}\n"));
        1
    };
    let force = parsed.bool("force");
    let dry_run = match DryRun::parse(parsed.get("dry-run")) {
        Ok(d) => d,
        Err(e) => return fail(ctx, &e),
    };
    let output = match OutputFormat::parse(parsed.get("output").unwrap_or("")) {
        Ok(o) => o,
        Err(e) => return fail(ctx, &e),
    };
    let (field_validation, validate) = match rb::field_validation(parsed.get("validate")) {
        Ok(v) => v,
        Err(e) => return fail(ctx, &e),
    };
    if parsed.int("grace-period", -1) >= 0 && !force {
        return fail(ctx, "--grace-period must have --force specified");
    }
    if parsed.changed("timeout") && !force {
        return fail(ctx, "--timeout must have --force specified");
    }
    if force && dry_run != DryRun::None {
        return fail(ctx, "--dry-run can not be used when --force is set");
    }
    let files = parsed.all("filename");
    if files.is_empty() && !parsed.changed("kustomize") {
        return fail(ctx, "must specify one of -f and -k");
    }
    let (objects, mut errs) = match parsed.get("kustomize") {
        Some(dir) => match super::kustomize::build_objects(ctx, dir) {
            Ok(objs) => (objs, Vec::new()),
            Err(e) => return fail(ctx, &e),
        },
        None => rb::load(ctx, &files, parsed.bool("recursive"), validate),
    };
    let Ok(conn) = client::connect_direct(ctx, &parsed, client::DISCOVERY_ATTEMPTS) else { return 1 };
    let registry = crate::cluster::Registry::builtin().clone();
    let save_config = parsed.bool("save-config");
    let opts = WriteOptions {
        dry_run: dry_run == DryRun::Server,
        field_validation,
        field_manager: Some(parsed.string("field-manager", "kubectl-replace")),
    };
    let mut resolved = Vec::new();
    for o in objects {
        match rb::resource_for(&registry, &o).and_then(|res| {
            let ns = rb::object_namespace(&o.object, res, &conn.namespace, conn.namespace_explicit)?;
            Ok((res.clone(), ns))
        }) {
            Ok((res, ns)) => {
                let mut obj = o.object.clone();
                rb::set_namespace(&mut obj, ns.as_deref());
                let annotated = obj.pointer("/metadata/annotations").and_then(|a| a.get(apply::LAST_APPLIED)).is_some();
                if save_config || annotated {
                    obj = apply::with_last_applied(&obj);
                }
                resolved.push((res, ns, obj, o.source));
            }
            Err(e) => errs.push(e),
        }
    }
    if force {
        // Delete everything first (NotFound is fine), then create.
        for (res, ns, obj, source) in &resolved {
            let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
            let Some(mut api) = conn.api(ctx.world) else { break };
            let del = DeleteOptions { grace_period: Some(1), ..Default::default() };
            match api.delete(&conn.user, res, ns.as_deref(), &name, &del) {
                Ok(_) => {
                    let t = rb::Target { res: res.clone(), namespace: ns.clone(), name, source: source.clone(), object: Value::Null };
                    ctx.out.out(delete::deleted_line(&t, 1, DryRun::None, ""));
                }
                Err(s) if s.reason == Reason::NotFound => {}
                Err(s) => errs.push(CmdError::api(s, "deleting", source)),
            }
        }
        if !errs.is_empty() {
            return rb::print_errors(ctx, &errs);
        }
        for (res, ns, obj, _) in resolved {
            let Some(mut api) = conn.api(ctx.world) else { break };
            // cli-runtime's Helper.Create(modify=true) drops the resourceVersion first, so a file
            // saved by `kubectl edit` or `get -o yaml` can be created again.
            let obj = rb::without_resource_version(obj);
            match api.create(&conn.user, &res, ns.as_deref(), obj, &opts) {
                Ok(created) => print(ctx, &output, &res, &created, DryRun::None),
                Err(s) => {
                    errs.push(CmdError::status(s));
                    break;
                }
            }
        }
        return rb::print_errors(ctx, &errs);
    }
    for (res, ns, mut obj, source) in resolved {
        if dry_run == DryRun::Client {
            print(ctx, &output, &res, &obj, dry_run);
            continue;
        }
        let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
        let Some(mut api) = conn.api(ctx.world) else { break };
        if obj.pointer("/metadata/resourceVersion").and_then(Value::as_str).is_none_or(str::is_empty) {
            match api.get(&conn.user, &res, ns.as_deref(), &name) {
                Ok(live) => {
                    if let (Some(rv), Some(meta)) =
                        (live.pointer("/metadata/resourceVersion").cloned(), obj.get_mut("metadata").and_then(Value::as_object_mut))
                    {
                        meta.insert("resourceVersion".into(), rv);
                    }
                }
                Err(s) => {
                    errs.push(CmdError::api(s, "replacing", &source));
                    continue;
                }
            }
        }
        match api.update(&conn.user, &res, ns.as_deref(), obj, &opts) {
            Ok(v) => print(ctx, &output, &res, &v, dry_run),
            Err(s) => errs.push(CmdError::api(s, "replacing", &source)),
        }
    }
    rb::print_errors(ctx, &errs)
}

fn print(ctx: &mut Ctx<'_>, output: &OutputFormat, res: &crate::cluster::ResourceInfo, obj: &Value, dry_run: DryRun) {
    let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
    match output {
        OutputFormat::Default | OutputFormat::Wide => ctx.out.out(format!("{} replaced{}\n", rb::object_ref(res, name), dry_run.suffix())),
        fmt => {
            if let Err(e) = printers::print(ctx.out, obj, fmt, KeyOrder::Sorted) {
                ctx.out.err(format!("error: {e}\n"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::programs::kubectl::resource_builder::testkit::Kit;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: nginx\nspec:\n  containers:\n  - name: nginx\n    image: nginx\n";

    #[test]
    fn replace_and_force_replace() {
        let mut k = Kit::new();
        k.file("/root/pod.yaml", POD);
        assert_eq!(
            k.run("kubectl replace -f pod.yaml").1,
            "Error from server (NotFound): error when replacing \"pod.yaml\": pods \"nginx\" not found\n"
        );
        k.ok("kubectl apply -f pod.yaml");
        k.file("/root/pod.yaml", &POD.replace("image: nginx\n", "image: nginx:1.27\n"));
        // A plain replace of a pod with its original manifest drops what admission added at
        // creation (the service account token volume), so the API server refuses the update:
        // the reason learners use `replace --force` for pods.
        let (_, err, code) = k.run("kubectl replace -f pod.yaml");
        assert_eq!(code, 1);
        assert!(err.starts_with("The Pod \"nginx\" is invalid: spec: Forbidden: pod updates may not change fields other than"), "{err}");
        let uid = k.get("pods", Some("default"), "nginx").unwrap()["metadata"]["uid"].clone();
        assert_eq!(k.ok("kubectl replace --force -f pod.yaml"), "pod \"nginx\" deleted from default namespace\npod/nginx replaced\n");
        assert_eq!(k.get("pods", Some("default"), "nginx").unwrap()["spec"]["containers"][0]["image"], "nginx:1.27");
        assert_ne!(k.get("pods", Some("default"), "nginx").unwrap()["metadata"]["uid"], uid);
        // the file `kubectl edit` leaves behind: header comments, resourceVersion and uid included
        let saved = format!(
            "{}{}",
            super::super::edit::HEADER,
            POD.replace("  name: nginx\n", "  name: nginx\n  resourceVersion: \"999\"\n  uid: 0f5a2c44-1111-4222-8333-444455556666\n")
        );
        k.file("/tmp/kubectl-edit-1.yaml", &saved);
        assert_eq!(
            k.ok("kubectl replace --force -f /tmp/kubectl-edit-1.yaml"),
            "pod \"nginx\" deleted from default namespace\npod/nginx replaced\n"
        );
        assert_eq!(k.run("kubectl replace").1, "error: must specify one of -f and -k\n");
    }
}
