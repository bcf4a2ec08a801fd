//! kubectl v1.35: one file per verb, a shared flag parser, the kubeconfig client and one printer
//! chain. Every verb has the same shape: parse flags → resolve what to act on → check usage (in
//! kubectl's words) → call the API server → print.

pub mod client;
pub mod errors;
pub mod flags;
pub mod kubeconfig;
pub mod printers;
pub mod resource_builder;

pub mod annotate;
pub mod api_resources;
pub mod apply;
pub mod auth;
pub mod cluster_info;
pub mod completion;
pub mod config;
pub mod create;
pub mod delete;
pub mod describe;
pub mod edit;
pub mod events;
pub mod explain;
pub mod expose;
pub mod get;
pub mod kustomize;
pub mod label;
pub mod patch;
pub mod replace;
pub mod rollout;
pub mod run;
pub mod scale;
pub mod set;
pub mod taint;
pub mod version;
pub mod wait;

use flags::{FlagDef, FlagKind, Parsed};

use super::Ctx;

/// One kubectl subcommand.
pub struct Verb {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub summary: &'static str,
    /// Runs the verb with the arguments after the verb name (global flags included).
    pub run: fn(&mut Ctx<'_>, &[String]) -> i32,
}

/// kubectl's subcommands, in the order `kubectl --help` groups them.
pub const VERBS: &[Verb] = &[
    Verb { name: "create", aliases: &[], summary: "Create a resource from a file or from stdin", run: create::run },
    Verb { name: "expose", aliases: &[], summary: "Expose a pod, deployment, replica set or service as a new service", run: expose::run },
    Verb { name: "run", aliases: &[], summary: "Start a pod running an image", run: run::run },
    Verb { name: "set", aliases: &[], summary: "Change image, env, resources or service account of objects", run: set::run },
    Verb { name: "explain", aliases: &[], summary: "Show the documentation of a kind and its fields", run: explain::run },
    Verb { name: "get", aliases: &[], summary: "List or show resources", run: get::run },
    Verb { name: "edit", aliases: &[], summary: "Edit a resource in your editor", run: edit::run },
    Verb { name: "delete", aliases: &[], summary: "Delete resources by file, name, or selector", run: delete::run },
    Verb { name: "rollout", aliases: &[], summary: "Manage the rollout of a resource", run: rollout::run },
    Verb { name: "scale", aliases: &[], summary: "Set the replica count of a workload", run: scale::run },
    Verb {
        name: "cluster-info",
        aliases: &["clusterinfo"],
        summary: "Show where the control plane and services run",
        run: cluster_info::run,
    },
    Verb { name: "taint", aliases: &[], summary: "Add or remove node taints", run: taint::run },
    Verb { name: "describe", aliases: &[], summary: "Show the details of resources, with events", run: describe::run },
    Verb { name: "auth", aliases: &[], summary: "Inspect authorization", run: auth::run },
    Verb { name: "events", aliases: &[], summary: "List events", run: events::run },
    Verb { name: "apply", aliases: &[], summary: "Apply a configuration by file name or stdin", run: apply::run },
    Verb { name: "patch", aliases: &[], summary: "Update fields of a resource", run: patch::run },
    Verb { name: "replace", aliases: &[], summary: "Replace a resource by file name or stdin", run: replace::run },
    Verb { name: "wait", aliases: &[], summary: "Wait for a condition on resources", run: wait::run },
    Verb { name: "kustomize", aliases: &[], summary: "Build a kustomization target", run: kustomize::run },
    Verb { name: "label", aliases: &[], summary: "Add or change labels", run: label::run },
    Verb { name: "annotate", aliases: &[], summary: "Add or change annotations", run: annotate::run },
    Verb { name: "completion", aliases: &[], summary: "Print shell completion code", run: completion::run },
    Verb { name: "api-resources", aliases: &[], summary: "List the resource types the server serves", run: api_resources::run },
    Verb { name: "api-versions", aliases: &[], summary: "List the API versions the server serves", run: api_resources::run_versions },
    Verb { name: "config", aliases: &[], summary: "Change kubeconfig files", run: config::run },
    Verb { name: "version", aliases: &[], summary: "Print client and server versions", run: version::run },
];

/// kubectl's persistent flags, accepted by every verb.
pub const GLOBAL_FLAGS: &[FlagDef] = &[
    FlagDef::string("as"),
    FlagDef::new("as-group", None, FlagKind::StringArray),
    FlagDef::string("as-uid"),
    FlagDef::string("cache-dir"),
    FlagDef::string("certificate-authority"),
    FlagDef::string("client-certificate"),
    FlagDef::string("client-key"),
    FlagDef::string("cluster"),
    FlagDef::string("context"),
    FlagDef::bool("disable-compression"),
    FlagDef::bool("insecure-skip-tls-verify"),
    FlagDef::string("kubeconfig"),
    FlagDef::bool("match-server-version"),
    FlagDef::string("namespace").short('n'),
    FlagDef::string("password"),
    FlagDef::string("profile"),
    FlagDef::string("profile-output"),
    FlagDef::string("request-timeout"),
    FlagDef::string("server").short('s'),
    FlagDef::string("tls-server-name"),
    FlagDef::string("token"),
    FlagDef::string("user"),
    FlagDef::string("username"),
    FlagDef::new("v", Some('v'), FlagKind::String),
    FlagDef::bool("warnings-as-errors"),
];

/// The entry point in the program table.
pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let Some(pos) = verb_position(args) else {
        ctx.out.out(help_text());
        return 0;
    };
    let name = args[pos].as_str();
    let rest: Vec<String> = args[..pos].iter().chain(&args[pos + 1..]).cloned().collect();
    match VERBS.iter().find(|v| v.name == name || v.aliases.contains(&name)) {
        Some(verb) => {
            // Warnings nobody printed belong to an earlier client, not to this one.
            let _ = ctx.world.take_warnings();
            let start = ctx.out.chunks.len();
            let status = (verb.run)(ctx, &rest);
            print_warnings(ctx, start);
            status
        }
        // A real kubectl command the simulation does not offer yet: saying "unknown command" and
        // then suggesting the very same name would teach the learner that kubectl lacks it.
        None if errors::KUBECTL_COMMANDS.contains(&name) => {
            ctx.out.err(format!("error: \"kubectl {name}\" is not simulated by kubetutor yet\n"));
            1
        }
        None => {
            ctx.out.err(errors::unknown_command(name, "kubectl", &VERBS.iter().map(|v| v.name).collect::<Vec<_>>()));
            1
        }
    }
}

/// Prints the API server's warnings (`Warning: …` on stderr) before what the verb printed, as
/// kubectl shows them when the response that carried them arrives. (A verb that makes several
/// requests shows all its warnings first: a simplification.)
fn print_warnings(ctx: &mut Ctx<'_>, start: usize) {
    let warnings = ctx.world.take_warnings();
    if warnings.is_empty() {
        return;
    }
    // kubectl's warning writer deduplicates: one process prints a given warning once, however
    // many requests carried it.
    let mut seen: Vec<&String> = Vec::new();
    let text: String = warnings
        .iter()
        .filter(|w| {
            let first = !seen.contains(w);
            seen.push(w);
            first
        })
        .map(|w| format!("Warning: {w}\n"))
        .collect();
    let tail = ctx.out.chunks.split_off(start.min(ctx.out.chunks.len()));
    ctx.out.err(text);
    for (stream, data) in tail {
        ctx.out.push(stream, &data);
    }
}

/// Where the subcommand name is among `args`, skipping global flags and their values the way
/// cobra's `stripFlags` does.
pub fn verb_position(args: &[String]) -> Option<usize> {
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            return None;
        }
        if !a.starts_with('-') || a == "-" {
            return Some(i);
        }
        let takes_value = |def: Option<&FlagDef>| def.is_some_and(|d| d.kind != FlagKind::Bool && d.no_opt_default.is_none());
        if let Some(long) = a.strip_prefix("--") {
            if !long.contains('=') && takes_value(GLOBAL_FLAGS.iter().find(|d| d.long == long)) {
                i += 1;
            }
        } else if a.len() == 2 && takes_value(GLOBAL_FLAGS.iter().find(|d| a[1..].starts_with(d.short.unwrap_or('\0')))) {
            i += 1;
        }
        i += 1;
    }
    None
}

/// Parses a verb's flags together with the global ones. On a flag error, prints it as kubectl
/// does (`error: unknown flag: --foo` / `See 'kubectl run --help' for usage.`) and returns `Err`
/// with the exit status.
pub fn parse_flags(ctx: &mut Ctx<'_>, command_path: &str, defs: &[FlagDef], args: &[String]) -> Result<Parsed, i32> {
    let all: Vec<FlagDef> = defs.iter().chain(GLOBAL_FLAGS).copied().collect();
    let mut parsed = flags::parse(&all, args).map_err(|e| {
        ctx.out.err(format!("error: {e}\nSee 'kubectl {command_path} --help' for usage.\n"));
        1
    })?;
    parsed.shadow(defs.iter().filter(|d| GLOBAL_FLAGS.iter().any(|g| g.long == d.long)).map(|d| d.long.to_string()));
    Ok(parsed)
}

/// A short overview written for kubetutor (the real help text is kubectl's own).
fn help_text() -> String {
    let mut s = String::from("kubectl controls the Kubernetes cluster manager.\n\nCommands:\n");
    for v in VERBS {
        s.push_str(&format!("  {:<15} {}\n", v.name, v.summary));
    }
    s.push_str("\nUsage:\n  kubectl [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\n");
    s
}
