//! `kubectl create`: `-f FILE` through the resource builder, or one of the generator
//! subcommands (`create deployment`, `create secret generic` …), each in its own file.

pub mod clusterrole;
pub mod common;
pub mod configmap;
pub mod cronjob;
pub mod deployment;
pub mod from_files;
pub mod ingress;
pub mod job;
pub mod namespace;
pub mod pdb;
pub mod priorityclass;
pub mod quota;
pub mod role;
pub mod rolebinding;
pub mod secret;
pub mod service;
pub mod serviceaccount;
pub mod sources;
pub mod token;

use super::GLOBAL_FLAGS;
use super::flags::{FlagDef, FlagKind};
use crate::programs::Ctx;

/// One subcommand of `create` (or of `create service` / `create secret`).
pub struct Sub {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub run: fn(&mut Ctx<'_>, &[String]) -> i32,
}

/// `kubectl create`'s subcommands, in cobra's (alphabetical) order.
pub const SUBCOMMANDS: &[Sub] = &[
    Sub { name: "clusterrole", aliases: &[], run: clusterrole::run },
    Sub { name: "clusterrolebinding", aliases: &[], run: rolebinding::run_cluster },
    Sub { name: "configmap", aliases: &["cm"], run: configmap::run },
    Sub { name: "cronjob", aliases: &["cj"], run: cronjob::run },
    Sub { name: "deployment", aliases: &["deploy"], run: deployment::run },
    Sub { name: "ingress", aliases: &["ing"], run: ingress::run },
    Sub { name: "job", aliases: &[], run: job::run },
    Sub { name: "namespace", aliases: &["ns"], run: namespace::run },
    Sub { name: "poddisruptionbudget", aliases: &["pdb"], run: pdb::run },
    Sub { name: "priorityclass", aliases: &["pc"], run: priorityclass::run },
    Sub { name: "quota", aliases: &["resourcequota"], run: quota::run },
    Sub { name: "role", aliases: &[], run: role::run },
    Sub { name: "rolebinding", aliases: &[], run: rolebinding::run },
    Sub { name: "secret", aliases: &[], run: secret::run },
    Sub { name: "service", aliases: &["svc"], run: service::run },
    Sub { name: "serviceaccount", aliases: &["sa"], run: serviceaccount::run },
    Sub { name: "token", aliases: &[], run: token::run },
];

/// `kubectl create`'s own flags (for `-f`).
pub const FLAGS: &[FlagDef] = &[
    FlagDef::bool("edit"),
    FlagDef::new("filename", Some('f'), FlagKind::StringSlice),
    FlagDef::string("kustomize").short('k'),
    FlagDef::string("raw"),
    FlagDef::bool("recursive").short('R'),
    FlagDef::string("selector").short('l'),
    FlagDef::bool("windows-line-endings"),
];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let mut defs: Vec<FlagDef> = common::with_output_flags(FLAGS);
    defs.extend_from_slice(GLOBAL_FLAGS);
    dispatch(ctx, args, &defs, SUBCOMMANDS, from_files::run)
}

/// Finds the subcommand among `args` the way cobra does (the first word that is not a flag or a
/// flag's value) and runs it with the other arguments; without one, runs `fallback`.
pub fn dispatch(ctx: &mut Ctx<'_>, args: &[String], defs: &[FlagDef], subs: &[Sub], fallback: fn(&mut Ctx<'_>, &[String]) -> i32) -> i32 {
    if let Some(pos) = subcommand_position(args, defs)
        && let Some(sub) = subs.iter().find(|s| s.name == args[pos] || s.aliases.contains(&args[pos].as_str()))
    {
        let rest: Vec<String> = args[..pos].iter().chain(&args[pos + 1..]).cloned().collect();
        return (sub.run)(ctx, &rest);
    }
    fallback(ctx, args)
}

/// cobra's `stripFlags` + first argument: skips flags and the values of flags that take one.
pub fn subcommand_position(args: &[String], defs: &[FlagDef]) -> Option<usize> {
    let takes_value = |d: Option<&FlagDef>| d.is_some_and(|d| d.kind != FlagKind::Bool && d.no_opt_default.is_none());
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            return None;
        }
        if !a.starts_with('-') || a == "-" {
            return Some(i);
        }
        if let Some(long) = a.strip_prefix("--") {
            if !long.contains('=') && takes_value(defs.iter().find(|d| d.long == long)) {
                i += 1;
            }
        } else if a.len() == 2 && takes_value(defs.iter().find(|d| d.short == a.chars().nth(1))) {
            i += 1;
        }
        i += 1;
    }
    None
}

/// `kubectl create service|secret` with an unknown or missing sub-subcommand.
pub fn group_without_subcommand(ctx: &mut Ctx<'_>, path: &str, names: &[&str], args: &[String]) -> i32 {
    let words: Vec<&str> = args.iter().filter(|a| !a.starts_with('-')).map(String::as_str).collect();
    if words.is_empty() {
        // Our own short help (kubectl's help text is its own).
        let mut s = format!("Usage: kubectl {path} <subcommand> NAME [options]\n\nSubcommands:\n");
        for n in names {
            s.push_str(&format!("  {n}\n"));
        }
        // cobra's DefaultSubCommandRun prints the help to stderr and fails.
        ctx.out.err(s);
        return 1;
    }
    ctx.out.err(format!("error: unknown command \"{}\"\nSee 'kubectl {path} -h' for help and examples\n", words.join(" ")));
    1
}
