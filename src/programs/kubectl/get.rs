//! `kubectl get`: resolve the arguments, fetch from the API server, and print tables (the
//! server's Table decorated by kubectl) or objects (`-o yaml|json|name|jsonpath|…`), following
//! kubectl `pkg/cmd/get/get.go`.

pub mod args;
pub mod fetch;
pub mod sort;

use std::sync::Arc;

use serde_json::{Value, json};

use super::flags::{FlagDef, FlagKind, Parsed};
use super::printers::table::{TableOptions, render};
use super::printers::{self, KeyOrder, OutputFormat};
use super::{client, errors, parse_flags};
use crate::cluster::table::{self, Ctx as TableCtx};
use crate::cluster::{Api, ResourceInfo, Status, UserInfo};
use crate::programs::Ctx;
use fetch::{Fetched, Scope};

pub const DEFS: &[FlagDef] = &[
    FlagDef::bool("all-namespaces").short('A'),
    FlagDef::bool("allow-missing-template-keys"),
    FlagDef::new("chunk-size", None, FlagKind::Int),
    FlagDef::string("field-selector"),
    FlagDef::new("filename", Some('f'), FlagKind::StringSlice),
    FlagDef::bool("ignore-not-found"),
    FlagDef::string("kustomize").short('k'),
    FlagDef::new("label-columns", Some('L'), FlagKind::StringSlice),
    FlagDef::bool("no-headers"),
    FlagDef::string("output").short('o'),
    FlagDef::bool("output-watch-events"),
    FlagDef::string("raw"),
    FlagDef::bool("recursive").short('R'),
    FlagDef::string("selector").short('l'),
    FlagDef::bool("server-print"),
    FlagDef::bool("show-kind"),
    FlagDef::bool("show-labels"),
    FlagDef::bool("show-managed-fields"),
    FlagDef::string("sort-by"),
    FlagDef::string("subresource"),
    FlagDef::string("template"),
    FlagDef::bool("watch").short('w'),
    FlagDef::bool("watch-only"),
];

/// The formats `get` accepts, as its "unable to match a printer" error lists them.
const GET_FORMATS: &str = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml";

/// Parses `-o` for verbs that print tables too; the error is kubectl's message without `error: `.
pub fn parse_output(value: &str) -> Result<OutputFormat, String> {
    let unmatched = || format!("unable to match a printer suitable for the output format \"{value}\", allowed formats are: {GET_FORMATS}");
    let format = OutputFormat::parse(value).map_err(|_| unmatched())?;
    match &format {
        OutputFormat::JsonPath(t) | OutputFormat::JsonPathAsJson(t) | OutputFormat::GoTemplate(t) if t.is_empty() => {
            Err("template format specified but no template given".into())
        }
        OutputFormat::JsonPath(t) | OutputFormat::JsonPathAsJson(t) => printers::jsonpath::check(t).map(|()| format.clone()),
        OutputFormat::CustomColumns(spec) => printers::custom_columns::parse_spec(spec).map(|_| format.clone()),
        _ => Ok(format),
    }
}

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    let Ok(parsed) = parse_flags(ctx, "get", DEFS, argv) else { return 1 };
    match run_parsed(ctx, &parsed) {
        Ok(code) => code,
        Err(msg) => {
            ctx.out.err(format!("error: {msg}\n"));
            1
        }
    }
}

/// Whether the object format is a table (`get`'s human output).
fn is_table(format: &OutputFormat) -> bool {
    matches!(format, OutputFormat::Default | OutputFormat::Wide)
}

fn run_parsed(ctx: &mut Ctx<'_>, parsed: &Parsed) -> Result<i32, String> {
    // `--template` supplies the template of `-o go-template` / `-o jsonpath` given without one.
    let output = match (parsed.get("output").unwrap_or(""), parsed.get("template")) {
        (o, Some(t)) if !o.contains('=') && matches!(o, "go-template" | "template" | "jsonpath" | "jsonpath-as-json") => format!("{o}={t}"),
        (o, _) => o.to_string(),
    };
    let format = parse_output(&output)?;
    let files = parsed.all("filename");
    if parsed.args.is_empty() && files.is_empty() && !parsed.changed("kustomize") {
        ctx.out.err(
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n",
        );
        return Ok(1);
    }
    let all_namespaces = parsed.bool("all-namespaces");
    // The builder trims selectors and ignores empty ones.
    let label_selector = parsed.get("selector").map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let field_selector = parsed.get("field-selector").map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let conn = client::connect(ctx, parsed).map_err(|_| String::new());
    let Ok(conn) = conn else { return Ok(1) };
    let file_objects =
        if files.is_empty() { Vec::new() } else { super::resource_builder::load_files(ctx, &files, parsed.bool("recursive"))? };
    let now = ctx.world.clock.now;
    let Some(api) = conn.api(ctx.world) else {
        ctx.out.err("The connection to the server localhost:8080 was refused - did you specify the right host or port?\n");
        return Ok(1);
    };
    let registry = api.registry();
    let mut resolved = args::resolve(&registry, &parsed.args)?;
    for o in &file_objects {
        let av = o.object.get("apiVersion").and_then(Value::as_str).unwrap_or_default();
        let kind = o.object.get("kind").and_then(Value::as_str).unwrap_or_default();
        let name = o.object.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
        let Some(res) = registry.by_kind(av, kind).cloned() else {
            return Err(format!(
                "resource mapping not found for name: \"{name}\" namespace: \"\" from \"{}\": no matches for kind \"{kind}\" in version \"{av}\"\nensure CRDs are installed first",
                o.source
            ));
        };
        let namespace = o.object.pointer("/metadata/namespace").and_then(Value::as_str).filter(|n| !n.is_empty()).map(str::to_string);
        match resolved.targets.last_mut() {
            Some(t) if t.res == res && t.namespace == namespace => t.names.push(name),
            _ => resolved.targets.push(args::Target { res, names: vec![name], namespace }),
        }
    }
    if !file_objects.is_empty() {
        resolved.single_item = file_objects.len() == 1;
    }
    for w in &resolved.warnings {
        ctx.out.err(w);
    }
    let named = resolved.targets.iter().any(|t| !t.names.is_empty());
    if named && (label_selector.is_some() || field_selector.is_some()) {
        return Err("name cannot be provided when a selector is specified".into());
    }
    if named && all_namespaces && file_objects.is_empty() {
        // The builder checks names differently in its two argument forms.
        if parsed.args.iter().all(|a| !a.contains('/')) {
            return Err("a resource cannot be retrieved by name across all namespaces".into());
        }
        if resolved.targets.iter().any(|t| t.res.namespaced) {
            return Err("namespace may not be empty when retrieving a resource by name".into());
        }
    }
    let watch = parsed.bool("watch") || parsed.bool("watch-only");
    if watch && resolved.targets.len() > 1 {
        return Err(format!(
            "watch is only supported on individual resources and resource collections, but {} resources were found",
            resolved.targets.len()
        ));
    }
    let scope = Scope { namespace: (!all_namespaces).then(|| conn.namespace.clone()), label_selector, field_selector };
    let (mut fetched, errs) = fetch::fetch(&api, &conn.user, &resolved.targets, &scope);
    if let Some(field) = parsed.get("sort-by").filter(|f| !f.is_empty()) {
        let expr = crate::cluster::table::jsonpath::relaxed(field)?;
        for f in &mut fetched {
            sort::sort_objects(&mut f.objects, &expr)?;
        }
    }
    let ignore_not_found = parsed.bool("ignore-not-found");
    let errs: Vec<Status> = errs.into_iter().filter(|e| !(ignore_not_found && e.reason == crate::cluster::Reason::NotFound)).collect();
    let show_managed = parsed.bool("show-managed-fields");
    let mut code = 0;
    if is_table(&format) {
        let opts = TableOptions {
            wide: format == OutputFormat::Wide,
            no_headers: parsed.bool("no-headers"),
            with_namespace: all_namespaces,
            show_labels: parsed.bool("show-labels"),
            label_columns: parsed.all("label-columns"),
            kind_prefix: None,
        };
        let with_kind = parsed.bool("show-kind") || distinct_resources(&fetched) > 1;
        let text = print_tables(&api, &conn.user, &fetched, &opts, with_kind, now);
        let written = !text.is_empty();
        ctx.out.out(text);
        if !written && !ignore_not_found && errs.is_empty() && !watch {
            let namespaced = !all_namespaces && fetched.iter().all(|f| f.res.namespaced);
            if namespaced {
                ctx.out.err(format!("No resources found in {} namespace.\n", conn.namespace));
            } else {
                ctx.out.err("No resources found\n");
            }
        }
    } else {
        let mut items: Vec<Value> = fetched.iter().flat_map(|f| f.objects.iter().map(|o| Value::clone(o))).collect();
        if !show_managed {
            for o in &mut items {
                if let Some(m) = o.get_mut("metadata").and_then(Value::as_object_mut) {
                    m.remove("managedFields");
                }
            }
        }
        if resolved.single_item && !errs.is_empty() && items.is_empty() {
            // A single named object that failed: only the error.
        } else if items.is_empty() && ignore_not_found {
        } else {
            let obj = if resolved.single_item && items.len() == 1 {
                items.remove(0)
            } else {
                json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
            };
            let printed = match &format {
                OutputFormat::CustomColumns(spec) => printers::custom_columns::parse_spec(spec)
                    .and_then(|cols| printers::custom_columns::print_with(&obj, &cols, parsed.bool("no-headers")))
                    .map(|s| ctx.out.out(s)),
                _ => printers::print(ctx.out, &obj, &format, KeyOrder::Sorted),
            };
            if let Err(e) = printed {
                ctx.out.err(format!("error: {e}{}", if e.ends_with('\n') { "" } else { "\n" }));
                code = 1;
            }
        }
    }
    for e in &errs {
        ctx.out.err(errors::from_server(e));
    }
    if !errs.is_empty() {
        code = 1;
    }
    Ok(code)
}

/// How many different resources the fetched objects belong to (kubectl's
/// `multipleGVKsRequested`): more than one puts `kind/` in front of every name.
fn distinct_resources(fetched: &[Fetched]) -> usize {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for f in fetched {
        let key = (f.res.group.as_str(), f.res.kind.as_str());
        if !seen.contains(&key) {
            seen.push(key);
        }
    }
    seen.len()
}

/// The CRD serving a custom resource, if `res` is one.
pub fn crd_for(api: &Api<'_>, user: &UserInfo, res: &ResourceInfo) -> Option<Value> {
    let builtin = crate::cluster::Registry::builtin().groups.iter().any(|g| g.name == res.group);
    if builtin {
        return None;
    }
    let crds = api.registry().lookup("customresourcedefinitions.apiextensions.k8s.io").cloned()?;
    api.get(user, &crds, None, &format!("{}.{}", res.name, res.group)).ok()
}

/// Server Tables of every fetched resource laid out one after the other: consecutive objects of
/// one resource share a table; tables are separated by an empty line (not with `--no-headers`).
fn print_tables(api: &Api<'_>, user: &UserInfo, fetched: &[Fetched], opts: &TableOptions, with_kind: bool, now: i64) -> String {
    // Consecutive objects of one resource go to the same table (kubectl starts a new table, with
    // its header, only when the resource changes).
    let mut groups: Vec<(&ResourceInfo, Vec<&Fetched>)> = Vec::new();
    for f in fetched {
        match groups.last_mut() {
            Some((res, parts)) if **res == f.res => parts.push(f),
            _ => groups.push((&f.res, vec![f])),
        }
    }
    let mut out = String::new();
    for (res, parts) in &groups {
        // One fetch (the usual case) is converted in place; only merged runs are copied.
        let merged: Vec<Arc<Value>>;
        let objects: &[Arc<Value>] = if let [one] = parts.as_slice() {
            &one.objects
        } else {
            merged = parts.iter().flat_map(|p| p.objects.iter().cloned()).collect();
            &merged
        };
        if objects.is_empty() {
            continue;
        }
        let res: &ResourceInfo = res;
        let crd = crd_for(api, user, res);
        let t = table::convert(&res.group, &res.kind, objects, &TableCtx { now, crd: crd.as_ref() });
        let mut o = opts.clone();
        o.with_namespace = opts.with_namespace && res.namespaced;
        if with_kind {
            o.kind_prefix = Some(res.kind_prefix());
        }
        let text = render(&t, &o);
        if !out.is_empty() && !opts.no_headers && !text.is_empty() {
            out.push('\n');
        }
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
pub(crate) mod tests;
