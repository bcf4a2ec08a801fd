//! `kubectl create -f FILE|DIR|-`: every object the resource builder reads is created through
//! the API (or only printed with `--dry-run=client`); failures are reported per object with
//! the file they came from, after the successes, as kubectl aggregates them.

use serde_json::{Value, json};

use super::common::{self, DryRun, Failure};
use crate::cluster::{Registry, Status, WriteOptions};
use crate::programs::Ctx;
use crate::programs::kubectl::printers::{self, KeyOrder, OutputFormat};
use crate::programs::kubectl::resource_builder::load_files;
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
    if files.is_empty() && parsed.get("kustomize").is_none_or(str::is_empty) {
        return Failure::plain("must specify one of -f and -k").print(ctx);
    }
    let common = match common::resolve(ctx, &parsed, "create") {
        Ok(c) => c,
        Err(f) => return f.print(ctx),
    };
    let objects = match load_files(ctx, &files, parsed.bool("recursive")) {
        Ok(o) => o,
        Err(e) => return Failure::plain(e).print(ctx),
    };
    let conn = if common.dry_run == DryRun::Client {
        None
    } else {
        match client::connect(ctx, &parsed) {
            Ok(c) => Some(c),
            Err(code) => return code,
        }
    };
    let (default_ns, _) = client::client_namespace(ctx, &parsed);
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
        let ns = obj.pointer("/metadata/namespace").and_then(Value::as_str).map_or(ns, str::to_string);
        // The builder stamps the request namespace into namespaced objects before anything else.
        if res.namespaced
            && let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut)
        {
            meta.insert("namespace".into(), json!(ns));
        }
        refresh_last_applied(&mut obj);
        let result = match &conn {
            None => Ok(obj),
            Some(c) => {
                let opts = WriteOptions { dry_run: common.dry_run == DryRun::Server, ..WriteOptions::default() };
                match c.api(ctx.world) {
                    Some(mut api) => api.create(&c.user, &res, Some(&ns), obj, &opts),
                    None => Err(Status::bad_request("the server is unreachable")),
                }
            }
        };
        match result {
            Ok(created) => {
                if printed > 0 && common.format == OutputFormat::Yaml {
                    ctx.out.out("---\n");
                }
                printed += 1;
                print(ctx, &created, &common);
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

/// `kubectl create` rewrites an existing last-applied-configuration annotation with the object
/// as it is being created (compact JSON, sorted keys, without the annotation's own value).
fn refresh_last_applied(obj: &mut Value) {
    const KEY: &str = "kubectl.kubernetes.io/last-applied-configuration";
    if obj.pointer("/metadata/annotations").and_then(|a| a.get(KEY)).is_none() {
        return;
    }
    let mut copy = obj.clone();
    if let Some(a) = copy.pointer_mut("/metadata/annotations").and_then(Value::as_object_mut) {
        a.remove(KEY);
    }
    let text = format!("{}\n", printers::json::compact(&copy, KeyOrder::Sorted));
    if let Some(a) = obj.pointer_mut("/metadata/annotations").and_then(Value::as_object_mut) {
        a.insert(KEY.into(), json!(text));
    }
}
