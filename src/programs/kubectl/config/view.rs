//! The reading side of `kubectl config`: `view`, `current-context`, `get-contexts`,
//! `get-clusters`, `get-users`, and `use-context`.

use base64::Engine;
use serde_json::{Value, json};

use super::{go_list, load, save, usage_error};
use crate::programs::Ctx;
use crate::programs::kubectl::flags::{FlagDef, Parsed};
use crate::programs::kubectl::kubeconfig::{self, Kubeconfig, Section};
use crate::programs::kubectl::printers::{self, KeyOrder, OutputFormat};

pub const VIEW_FLAGS: &[FlagDef] = &[
    FlagDef::bool("minify"),
    FlagDef::bool("raw"),
    FlagDef::bool("flatten"),
    FlagDef::bool("merge"),
    FlagDef::string("output").short('o'),
    FlagDef::string("template"),
    FlagDef::bool("show-managed-fields"),
    FlagDef::bool("allow-missing-template-keys"),
];

pub fn view(ctx: &mut Ctx<'_>, flags: &Parsed) -> i32 {
    if !flags.args.is_empty() {
        ctx.out.err(format!("error: unexpected arguments: {}\nSee 'kubectl config view -h' for help and examples\n", go_list(&flags.args)));
        return 1;
    }
    let output = flags.string("output", "yaml");
    let format = match OutputFormat::parse(&output) {
        Ok(OutputFormat::Default | OutputFormat::Wide | OutputFormat::CustomColumns(_)) | Err(_) => {
            ctx.out.err(format!("error: unable to match a printer suitable for the output format \"{output}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml\n"));
            return 1;
        }
        Ok(f) => f,
    };
    let mut cfg = match load(ctx, flags) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if flags.bool("minify") {
        let context = flags.get("context").filter(|c| !c.is_empty()).map_or_else(|| cfg.current_context.clone(), str::to_string);
        if let Err(e) = minify(&mut cfg, &context) {
            ctx.out.err(format!("error: {e}\n"));
            return 1;
        }
    }
    if flags.bool("flatten")
        && let Err(e) = flatten(ctx, &mut cfg)
    {
        ctx.out.err(format!("error: {e}\n"));
        return 1;
    }
    let mut value = cfg.to_value();
    if !flags.bool("raw") && !flags.bool("flatten") {
        kubeconfig::redact(&mut value);
    }
    match format {
        OutputFormat::Yaml => ctx.out.out(kubeconfig::render_yaml(&value)),
        // A Config has no metadata.name: the name printer shows kubectl's placeholder.
        OutputFormat::Name => ctx.out.out("config/<unknown>\n"),
        other => {
            if let Err(e) = printers::print(ctx.out, &value, &other, KeyOrder::AsBuilt) {
                ctx.out.err(format!("error: {e}\n"));
                return 1;
            }
        }
    }
    0
}

/// Keeps only `context`, its cluster and its user (clientcmd's `MinifyConfig`).
fn minify(cfg: &mut Kubeconfig, context: &str) -> Result<(), String> {
    if context.is_empty() {
        return Err("current-context must exist in order to minify".into());
    }
    let Some(ctx_entry) = cfg.contexts.get(context).cloned() else {
        return Err(format!("cannot locate context {context}"));
    };
    let field = |f: &str| ctx_entry.body.get(f).and_then(Value::as_str).unwrap_or_default().to_string();
    let (cluster, user) = (field("cluster"), field("user"));
    // An empty name keeps nothing; a name that is not there is an error.
    let cluster_entry = match cfg.clusters.get(&cluster) {
        Some(e) => Some(e.clone()),
        None if cluster.is_empty() => None,
        None => return Err(format!("cannot locate cluster {cluster}")),
    };
    let user_entry = match cfg.users.get(&user) {
        Some(e) => Some(e.clone()),
        None if user.is_empty() => None,
        None => return Err(format!("cannot locate user {user}")),
    };
    cfg.contexts = [(context.to_string(), ctx_entry)].into_iter().collect();
    cfg.clusters = cluster_entry.map(|c| (cluster, c)).into_iter().collect();
    cfg.users = user_entry.map(|u| (user, u)).into_iter().collect();
    cfg.current_context = context.to_string();
    Ok(())
}

/// Replaces file references by their content (clientcmd's `FlattenConfig`); relative paths are
/// relative to the file that defines the entry.
fn flatten(ctx: &mut Ctx<'_>, cfg: &mut Kubeconfig) -> Result<(), String> {
    let pairs = [
        (Section::Clusters, "certificate-authority", "certificate-authority-data"),
        (Section::Users, "client-certificate", "client-certificate-data"),
        (Section::Users, "client-key", "client-key-data"),
    ];
    for (section, file_key, data_key) in pairs {
        let names: Vec<String> = cfg.section(section).keys().cloned().collect();
        for name in names {
            let resolved = cfg.resolved_body(section, &name).unwrap_or_default();
            let Some(path) = resolved.get(file_key).and_then(Value::as_str).map(str::to_string) else { continue };
            let data = ctx.fs().read(&path).map(<[u8]>::to_vec).map_err(|_| format!("open {path}: no such file or directory"))?;
            if let Some(entry) = cfg.section_mut(section).get_mut(&name) {
                entry.body.remove(file_key);
                entry.body.insert(data_key.into(), json!(base64::engine::general_purpose::STANDARD.encode(data)));
                entry.body = kubeconfig::normalize(section, &entry.body);
            }
        }
    }
    Ok(())
}

pub fn current_context(ctx: &mut Ctx<'_>, flags: &Parsed) -> i32 {
    let cfg = match load(ctx, flags) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if cfg.current_context.is_empty() {
        ctx.out.err("error: current-context is not set\n");
        return 1;
    }
    ctx.out.out(format!("{}\n", cfg.current_context));
    0
}

pub fn get_contexts(ctx: &mut Ctx<'_>, flags: &Parsed) -> i32 {
    let output = flags.string("output", "");
    if !output.is_empty() && output != "name" {
        ctx.out
            .err(format!("error: --output {output} is not available in kubectl config get-contexts; resetting to default output format\n"));
        return 1;
    }
    let cfg = match load(ctx, flags) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut names: Vec<String> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    if flags.args.is_empty() {
        names = cfg.contexts.keys().cloned().collect();
    } else {
        for n in &flags.args {
            if cfg.contexts.contains_key(n) {
                if !names.contains(n) {
                    names.push(n.clone());
                }
            } else {
                missing.push(format!("context {n} not found"));
            }
        }
    }
    // Named contexts are listed in name order, whatever order they were asked in.
    names.sort();
    if output == "name" {
        for n in &names {
            ctx.out.out(format!("{n}\n"));
        }
    } else {
        let mut rows: Vec<Vec<String>> = Vec::new();
        if !flags.bool("no-headers") {
            rows.push(["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"].map(str::to_string).to_vec());
        }
        for n in &names {
            let f = |k: &str| cfg.field(Section::Contexts, n, k);
            let star = if *n == cfg.current_context { "*" } else { "" };
            rows.push(vec![star.to_string(), n.clone(), f("cluster"), f("user"), f("namespace")]);
        }
        ctx.out.out(crate::programs::kubectl::api_resources::tabwrite(&rows));
    }
    match missing.len() {
        0 => 0,
        1 => {
            ctx.out.err(format!("error: {}\n", missing[0]));
            1
        }
        _ => {
            ctx.out.err(missing.iter().map(|m| format!("{m}\n")).collect::<String>());
            1
        }
    }
}

fn list_names(ctx: &mut Ctx<'_>, flags: &Parsed, section: Section) -> i32 {
    let cfg = match load(ctx, flags) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut s = String::from("NAME\n");
    for n in cfg.section(section).keys() {
        s.push_str(n);
        s.push('\n');
    }
    ctx.out.out(s);
    0
}

pub fn get_clusters(ctx: &mut Ctx<'_>, flags: &Parsed) -> i32 {
    list_names(ctx, flags, Section::Clusters)
}

pub fn get_users(ctx: &mut Ctx<'_>, flags: &Parsed) -> i32 {
    list_names(ctx, flags, Section::Users)
}

pub fn use_context(ctx: &mut Ctx<'_>, flags: &Parsed) -> i32 {
    if flags.args.len() != 1 {
        return usage_error(ctx, "use-context", &format!("Unexpected args: {}", go_list(&flags.args)));
    }
    let name = flags.args[0].clone();
    let before = match load(ctx, flags) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if !before.contexts.contains_key(&name) {
        ctx.out.err(format!("error: no context exists with the name: \"{name}\"\n"));
        return 1;
    }
    let mut cfg = before.clone();
    cfg.set_current_context(ctx.fs(), &name);
    if let Err(code) = save(ctx, &cfg, &before) {
        return code;
    }
    ctx.out.out(format!("Switched to context \"{name}\".\n"));
    0
}
