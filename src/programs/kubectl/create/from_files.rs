//! `kubectl create -f FILE|DIR|-`: every object the resource builder reads is created through
//! the API (or only printed with `--dry-run=client`); failures are reported per object with
//! the file they came from, after the successes, as kubectl aggregates them.

use serde_json::{Value, json};

use super::common::{self, DryRun, Failure};
use crate::cluster::{Registry, Status};
use crate::programs::Ctx;
use crate::programs::kubectl::flags::Parsed;
use crate::programs::kubectl::printers::{self, KeyOrder, OutputFormat};
use crate::programs::kubectl::resource_builder::{SourcedObject, load_files};
use crate::programs::kubectl::{client, errors, parse_flags};

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let defs = common::with_output_flags(super::FLAGS);
    let parsed = match parse_flags(ctx, "create", &defs, args) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if !parsed.args.is_empty() {
        let list = parsed.args.join(" ");
        return Failure::usage("create", format!("Unexpected args: [{list}]")).print(ctx);
    }
    let files = parsed.all("filename");
    let kdir = parsed.get("kustomize").filter(|d| !d.is_empty()).map(str::to_string);
    if files.is_empty() && kdir.is_none() {
        return Failure::plain("must specify one of -f and -k").print(ctx);
    }
    if !files.is_empty() && kdir.is_some() {
        return Failure::plain("only one of -f or -k can be specified").print(ctx);
    }
    let common = match common::resolve(ctx, &parsed, "create") {
        Ok(c) => c,
        Err(f) => return f.print(ctx),
    };
    // -k reads what the kustomization builds, as apply -k and delete -k do.
    let loaded = match &kdir {
        Some(dir) => crate::programs::kubectl::kustomize::build_objects(ctx, dir),
        None => load_files(ctx, &files, parsed.bool("recursive")),
    };
    let objects = match loaded {
        Ok(o) => o,
        Err(e) => return Failure::plain(e).print(ctx),
    };
    create_all(ctx, &parsed, &common, objects)
}

/// Creates (or, for a client dry run, only prints) every loaded object; errors are printed
/// after the successes and make the status 1.
pub fn create_all(ctx: &mut Ctx<'_>, parsed: &Parsed, common: &common::Common, objects: Vec<SourcedObject>) -> i32 {
    let conn = if common.dry_run == DryRun::Client {
        None
    } else {
        match client::connect(ctx, parsed) {
            Ok(c) => Some(c),
            Err(code) => return code,
        }
    };
    let (default_ns, explicit) = client::client_namespace(ctx, parsed);
    let mut failures = Vec::new();
    let mut printed = 0;
    for sourced in objects {
        let mut obj = sourced.object;
        let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or_default().to_string();
        let kind = obj.get("kind").and_then(Value::as_str).unwrap_or_default().to_string();
        let Some(res) = Registry::builtin().by_kind(&api_version, &kind).cloned() else {
            failures.push(format!(
                "error: resource mapping not found for name: \"{}\" namespace: \"\" from \"{}\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first\n",
                obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default(),
                sourced.source
            ));
            continue;
        };
        let ns = conn.as_ref().map_or(default_ns.clone(), |c| c.namespace.clone());
        let own = obj.pointer("/metadata/namespace").and_then(Value::as_str).filter(|n| !n.is_empty()).map(str::to_string);
        if res.namespaced
            && explicit
            && let Some(own) = own.as_ref().filter(|o| **o != ns)
        {
            failures.push(format!(
                "error: the namespace from the provided object \"{own}\" does not match the namespace \"{ns}\". You must pass '--namespace={own}' to perform this operation.\n"
            ));
            continue;
        }
        let ns = own.unwrap_or(ns);
        // The builder stamps the request namespace into namespaced objects before anything else.
        if res.namespaced
            && let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut)
        {
            meta.insert("namespace".into(), json!(ns));
        }
        refresh_last_applied(&mut obj, parsed.bool("save-config"));
        let result = match &conn {
            None => Ok(obj),
            Some(c) => {
                let opts = common.write_options();
                match c.api(ctx.world) {
                    Some(mut api) => api.create(&c.user, &res, Some(&ns), obj, &opts),
                    None => Err(Status::bad_request("the server is unreachable")),
                }
            }
        };
        match result {
            Ok(created) => {
                let created = if conn.is_some() { common::as_kubectl_prints(created, parsed.bool("show-managed-fields")) } else { created };
                if printed > 0 && common.format == OutputFormat::Yaml {
                    ctx.out.out("---\n");
                }
                printed += 1;
                print(ctx, &created, common);
            }
            Err(mut status) => {
                status.message = format!("error when creating \"{}\": {}", sourced.source, status.message);
                failures.push(errors::from_server(&status));
            }
        }
    }
    for f in &failures {
        ctx.out.err(f);
    }
    i32::from(!failures.is_empty())
}

fn print(ctx: &mut Ctx<'_>, obj: &Value, common: &common::Common) {
    if common.format == OutputFormat::Default {
        let _ = common::print_object(ctx, obj, common, "created");
        return;
    }
    if let Err(e) = printers::print(ctx.out, obj, &common.format, KeyOrder::Sorted) {
        ctx.out.err(format!("error: {e}\n"));
    }
}

/// The last-applied-configuration annotation: written with `--save-config`, and rewritten
/// whenever the object already carries one. Its value is the object itself as compact JSON with
/// sorted keys, taken while the annotation map exists but without this annotation.
fn refresh_last_applied(obj: &mut Value, save_config: bool) {
    const KEY: &str = "kubectl.kubernetes.io/last-applied-configuration";
    let present = obj.pointer("/metadata/annotations").and_then(|a| a.get(KEY)).is_some();
    if !present && !save_config {
        return;
    }
    let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) else { return };
    let annotations = meta.entry("annotations").or_insert_with(|| json!({}));
    if let Some(a) = annotations.as_object_mut() {
        a.remove(KEY);
    }
    let text = format!("{}\n", printers::json::compact(obj, KeyOrder::Sorted));
    if let Some(a) = obj.pointer_mut("/metadata/annotations").and_then(Value::as_object_mut) {
        a.insert(KEY.into(), json!(text));
    }
}

#[cfg(test)]
mod tests {
    //! `create -f` with a client dry run, compared with kubectl v1.35.2 on the same manifest
    //! (`tests/golden/create-f/caseNN.*`: `kubectl create -f FILE --dry-run=client --validate=false ARGS`).

    use std::collections::BTreeMap;

    use super::*;
    use crate::programs::{Output, Stream};

    #[test]
    fn create_from_file_matches_kubectl() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/create-f");
        let mut n = 0;
        for i in 1..100 {
            let base = dir.join(format!("case{i:02}"));
            let Ok(spec) = std::fs::read_to_string(base.with_extension("args")) else { break };
            let (file, args) = spec.trim_end().split_once('|').expect("file|args");
            let list: Value =
                serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{file}.input"))).expect("input")).expect("JSON");
            // The resource builder flattens Lists; done here by hand.
            let objects: Vec<SourcedObject> = list["items"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| SourcedObject { source: format!("{file}.input"), object: o.clone() })
                .collect();
            let mut world = crate::world::scenario::default_world();
            let env = BTreeMap::new();
            let mut out = Output::default();
            let host = world.hosts.keys().next().cloned().unwrap_or_default();
            let mut ctx = Ctx {
                world: &mut world,
                host,
                cwd: "/root".into(),
                env: &env,
                stdin: &[],
                out: &mut out,
                subshell: crate::shell::subshell,
            };
            let mut defs = common::with_output_flags(super::super::FLAGS);
            defs.extend_from_slice(crate::programs::kubectl::GLOBAL_FLAGS);
            let mut all: Vec<String> = args.split_whitespace().map(str::to_string).collect();
            all.push("--dry-run=client".into());
            let parsed = crate::programs::kubectl::flags::parse(&defs, &all).expect("flags");
            let common = common::resolve(&mut ctx, &parsed, "create").expect("options");
            let code = create_all(&mut ctx, &parsed, &common, objects);
            let read = |ext: &str| std::fs::read_to_string(base.with_extension(ext)).expect("fixture");
            assert_eq!(String::from_utf8_lossy(&out.bytes(Stream::Stdout)), read("out"), "stdout of case{i:02} ({spec})");
            assert_eq!(String::from_utf8_lossy(&out.bytes(Stream::Stderr)), read("err"), "stderr of case{i:02} ({spec})");
            assert_eq!(code.to_string(), read("exit").trim(), "exit of case{i:02} ({spec})");
            n += 1;
        }
        assert!(n >= 5, "only {n} cases found");
    }
}
