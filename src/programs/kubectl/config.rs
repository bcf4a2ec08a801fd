//! `kubectl config`: reading (`view`, `current-context`, `get-*`) and changing the kubeconfig
//! (`use-context`, `set-*`, `set`/`unset`, `delete-*`, `rename-context`). Changes are written back
//! to the files of the loading chain through [`Kubeconfig::save`].

pub mod edit;
pub mod view;

use super::flags::{FlagDef, Parsed};
use super::kubeconfig::{Kubeconfig, KubeconfigError};
use crate::programs::Ctx;

/// One `kubectl config` subcommand.
struct Sub {
    name: &'static str,
    aliases: &'static [&'static str],
    summary: &'static str,
    usage: &'static str,
    flags: &'static [FlagDef],
    run: fn(&mut Ctx<'_>, &Parsed) -> i32,
}

const SUBS: &[Sub] = &[
    Sub {
        name: "current-context",
        aliases: &[],
        summary: "Print the current context",
        usage: "kubectl config current-context [options]",
        flags: &[],
        run: view::current_context,
    },
    Sub {
        name: "delete-cluster",
        aliases: &[],
        summary: "Remove a cluster entry",
        usage: "kubectl config delete-cluster NAME [options]",
        flags: &[],
        run: edit::delete_cluster,
    },
    Sub {
        name: "delete-context",
        aliases: &[],
        summary: "Remove a context entry",
        usage: "kubectl config delete-context NAME [options]",
        flags: &[],
        run: edit::delete_context,
    },
    Sub {
        name: "delete-user",
        aliases: &[],
        summary: "Remove a user entry",
        usage: "kubectl config delete-user NAME [options]",
        flags: &[],
        run: edit::delete_user,
    },
    Sub {
        name: "get-clusters",
        aliases: &[],
        summary: "List the cluster entries",
        usage: "kubectl config get-clusters [options]",
        flags: &[],
        run: view::get_clusters,
    },
    Sub {
        name: "get-contexts",
        aliases: &[],
        summary: "List contexts, or show the named ones",
        usage: "kubectl config get-contexts [(-o|--output=)name)] [options]",
        flags: &[FlagDef::string("output").short('o'), FlagDef::bool("no-headers")],
        run: view::get_contexts,
    },
    Sub {
        name: "get-users",
        aliases: &[],
        summary: "List the user entries",
        usage: "kubectl config get-users [options]",
        flags: &[],
        run: view::get_users,
    },
    Sub {
        name: "rename-context",
        aliases: &[],
        summary: "Give a context a new name",
        usage: "kubectl config rename-context CONTEXT_NAME NEW_NAME [options]",
        flags: &[],
        run: edit::rename_context,
    },
    Sub {
        name: "set",
        aliases: &[],
        summary: "Set one value by its dotted path",
        usage: "kubectl config set PROPERTY_NAME PROPERTY_VALUE [options]",
        flags: &[FlagDef::bool("set-raw-bytes")],
        run: edit::set,
    },
    Sub {
        name: "set-cluster",
        aliases: &[],
        summary: "Create or change a cluster entry",
        usage: "kubectl config set-cluster NAME [--server=server] [--certificate-authority=path/to/certificate/authority] [--insecure-skip-tls-verify=true] [--tls-server-name=example.com] [options]",
        flags: edit::SET_CLUSTER_FLAGS,
        run: edit::set_cluster,
    },
    Sub {
        name: "set-context",
        aliases: &[],
        summary: "Create or change a context entry",
        usage: "kubectl config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace] [options]",
        flags: edit::SET_CONTEXT_FLAGS,
        run: edit::set_context,
    },
    Sub {
        name: "set-credentials",
        aliases: &[],
        summary: "Create or change a user entry",
        usage: "kubectl config set-credentials NAME [--client-certificate=path/to/certfile] [--client-key=path/to/keyfile] [--token=bearer_token] [--username=basic_user] [--password=basic_password] [options]",
        flags: edit::SET_CREDENTIALS_FLAGS,
        run: edit::set_credentials,
    },
    Sub {
        name: "unset",
        aliases: &[],
        summary: "Remove one value by its dotted path",
        usage: "kubectl config unset PROPERTY_NAME [options]",
        flags: &[],
        run: edit::unset,
    },
    Sub {
        name: "use-context",
        aliases: &["use"],
        summary: "Switch the current context",
        usage: "kubectl config use-context CONTEXT_NAME [options]",
        flags: &[],
        run: view::use_context,
    },
    Sub {
        name: "view",
        aliases: &[],
        summary: "Print the merged kubeconfig, or one file of it",
        usage: "kubectl config view [flags] [options]",
        flags: view::VIEW_FLAGS,
        run: view::view,
    },
];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let Some(pos) = super::verb_position(args) else {
        ctx.out.err(overview());
        return 1;
    };
    let name = args[pos].as_str();
    let rest: Vec<String> = args[..pos].iter().chain(&args[pos + 1..]).cloned().collect();
    let Some(sub) = SUBS.iter().find(|s| s.name == name || s.aliases.contains(&name)) else {
        ctx.out.err(format!("error: unknown command \"{name}\"\nSee 'kubectl config -h' for help and examples\n"));
        return 1;
    };
    let path = format!("config {}", sub.name);
    let defs: Vec<FlagDef> = sub.flags.iter().copied().chain([FlagDef::bool("help").short('h')]).collect();
    let parsed = match super::parse_flags(ctx, &path, &defs, &rest) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if parsed.bool("help") {
        ctx.out.out(sub_help(sub));
        return 0;
    }
    (sub.run)(ctx, &parsed)
}

/// Our own short description of `kubectl config` (the real help is kubectl's text).
fn overview() -> String {
    let mut s = String::from(
        "Change kubeconfig files with subcommands, e.g. \"kubectl config use-context NAME\".\n\n\
         Files are read from --kubeconfig, else from the files listed in $KUBECONFIG (merged, the\n\
         first file that defines an entry wins), else from ${HOME}/.kube/config.\n\nAvailable Commands:\n",
    );
    for sub in SUBS {
        s.push_str(&format!("  {:<17} {}\n", sub.name, sub.summary));
    }
    s.push_str("\nUsage:\n  kubectl config SUBCOMMAND [options]\n\nUse \"kubectl config <command> --help\" for more information about a given command.\n");
    s
}

fn sub_help(sub: &Sub) -> String {
    format!(
        "{}.\n\nUsage:\n  {}\n\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n",
        sub.summary, sub.usage
    )
}

/// Prints a subcommand's help on stdout and `error: <message>` on stderr, as cobra does for the
/// `config` subcommands that check their arguments themselves.
pub(crate) fn usage_error(ctx: &mut Ctx<'_>, name: &str, message: &str) -> i32 {
    if let Some(sub) = SUBS.iter().find(|s| s.name == name) {
        ctx.out.out(sub_help(sub));
    }
    ctx.out.err(format!("error: {message}\n"));
    1
}

/// Prints a subcommand's help only (the subcommands that exit 0 without arguments).
pub(crate) fn help_only(ctx: &mut Ctx<'_>, name: &str) -> i32 {
    if let Some(sub) = SUBS.iter().find(|s| s.name == name) {
        ctx.out.out(sub_help(sub));
    }
    0
}

/// Loads the kubeconfig chain, printing clientcmd's error on failure.
pub(crate) fn load(ctx: &mut Ctx<'_>, flags: &Parsed) -> Result<Kubeconfig, i32> {
    super::client::load_config(ctx, flags).map_err(|e| {
        ctx.out.err(format!("error: {e}\n"));
        1
    })
}

/// Writes the changed kubeconfig back.
pub(crate) fn save(ctx: &mut Ctx<'_>, cfg: &Kubeconfig, before: &Kubeconfig) -> Result<(), i32> {
    cfg.save(ctx.fs(), before).map_err(|e: KubeconfigError| {
        ctx.out.err(format!("error: {e}\n"));
        1
    })
}

/// `Unexpected args: [a b]`, Go's `%v` of a string slice.
pub(crate) fn go_list(args: &[String]) -> String {
    format!("[{}]", args.join(" "))
}

/// Parses a verb's flags with `-h/--help` added; with help asked for, prints `help` (kubetutor's
/// own words) and returns `Err(0)`.
pub(crate) fn parse_or_help(ctx: &mut Ctx<'_>, path: &str, defs: &[FlagDef], args: &[String], help: &str) -> Result<Parsed, i32> {
    let all: Vec<FlagDef> = defs.iter().copied().chain([FlagDef::bool("help").short('h')]).collect();
    let parsed = super::parse_flags(ctx, path, &all, args)?;
    if parsed.bool("help") {
        ctx.out.out(format!("{help}\n\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n"));
        return Err(0);
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::programs::{Ctx, Output};
    use crate::world::scenario::default_world;

    fn kubectl(world: &mut crate::world::World, env: &BTreeMap<String, String>, line: &str) -> (String, String, i32) {
        let mut out = Output::default();
        let args: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        let mut ctx = Ctx {
            world,
            host: "controlplane".into(),
            cwd: "/root".into(),
            env,
            stdin: &[],
            out: &mut out,
            subshell: crate::shell::subshell,
        };
        let code = crate::programs::kubectl::run(&mut ctx, &args);
        (out.stdout_string(), out.stderr_string(), code)
    }

    fn file(world: &crate::world::World, path: &str) -> String {
        world.hosts["controlplane"].fs.read_string(path).unwrap_or_default()
    }

    /// $KUBECONFIG=a:b: entries merge (first file wins), changes go back to the file that defines
    /// the entry, new entries to the first file, as clientcmd's ModifyConfig does.
    #[test]
    fn kubeconfig_chain_writes_where_entries_live() {
        let mut world = default_world();
        let env: BTreeMap<String, String> =
            [("HOME".to_string(), "/root".to_string()), ("KUBECONFIG".to_string(), "/root/.kube/config:/root/b.conf".to_string())].into();
        let solo: BTreeMap<String, String> = [("HOME".to_string(), "/root".to_string())].into();
        let (out, _, code) = kubectl(&mut world, &solo, "config --kubeconfig=/root/b.conf set-context lab --cluster=lab --namespace=x");
        assert_eq!((out.as_str(), code), ("Context \"lab\" created.\n", 0));
        let (out, _, _) = kubectl(&mut world, &env, "config get-contexts -o name");
        assert_eq!(out, "kubernetes-admin@kubernetes\nlab\n");
        let (out, _, _) = kubectl(&mut world, &env, "config set-context lab --namespace=y");
        assert_eq!(out, "Context \"lab\" modified.\n");
        // `y` is a YAML 1.1 boolean, so go-yaml quotes it.
        assert!(file(&world, "/root/b.conf").contains("namespace: \"y\""));
        assert!(!file(&world, "/root/.kube/config").contains("lab"));
        let (_, _, code) = kubectl(&mut world, &env, "config set-context fresh --cluster=kubernetes");
        assert_eq!(code, 0);
        assert!(file(&world, "/root/.kube/config").contains("name: fresh"));
        assert!(!file(&world, "/root/b.conf").contains("fresh"));
        let (out, _, _) = kubectl(&mut world, &env, "config use-context lab");
        assert_eq!(out, "Switched to context \"lab\".\n");
        assert!(file(&world, "/root/.kube/config").contains("current-context: lab"));
        let (out, err, code) = kubectl(&mut world, &env, "config delete-context lab");
        assert_eq!((out.as_str(), code), ("deleted context lab from /root/.kube/config\n", 0));
        assert!(err.starts_with("warning: this removed your active context"));
        assert!(!file(&world, "/root/b.conf").contains("name: lab"));
    }

    #[test]
    fn a_new_kubeconfig_file_is_created_with_its_folder() {
        let mut world = default_world();
        let env: BTreeMap<String, String> = [("HOME".to_string(), "/root".to_string())].into();
        let (_, _, code) = kubectl(&mut world, &env, "config --kubeconfig=/root/dir/new.conf set-cluster c --server=https://1.2.3.4");
        assert_eq!(code, 0);
        let text = file(&world, "/root/dir/new.conf");
        assert!(text.contains("server: https://1.2.3.4") && text.contains("contexts: null"), "{text}");
    }
}
