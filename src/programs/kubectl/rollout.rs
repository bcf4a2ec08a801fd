//! `kubectl rollout history|pause|restart|resume|status|undo` (kubectl `pkg/cmd/rollout`, v1.35):
//! the subcommands share the resource builder (`TYPE NAME`, `TYPE/NAME`, `-l`, `-f`) and act on
//! deployments, daemon sets and stateful sets through the per-kind helpers of
//! `pkg/polymorphichelpers` (status viewers, history viewers, rollbackers, pausers, restarters).
//! The world settles after every command line, so `status` sees the rollout as far as it can go:
//! a finished one prints its success line, a stuck one its waiting line and then, since nothing
//! will change while it watches, the error kubectl gives when its `--timeout` runs out.

mod history;
mod status;

use serde_json::{Value, json};

use super::flags::{FlagDef, FlagKind, Parsed};
use super::printers::{self, KeyOrder, OutputFormat};
use super::resource_builder::{self as rb, CmdError, DryRun, Selection};
use super::{client, parse_flags};
use crate::cluster::WriteOptions;
use crate::programs::Ctx;

const HELP: &str = "Manage the rollout of one or many resources.\n        \n Valid resource types include:\n\n  *  deployments\n  *  daemonsets\n  *  statefulsets\n\nExamples:\n  # Rollback to the previous deployment\n  kubectl rollout undo deployment/abc\n  \n  # Check the rollout status of a daemonset\n  kubectl rollout status daemonset/foo\n  \n  # Restart a deployment\n  kubectl rollout restart deployment/abc\n  \n  # Restart deployments with the 'app=nginx' label\n  kubectl rollout restart deployment --selector=app=nginx\n\nAvailable Commands:\n  history       View rollout history\n  pause         Mark the provided resource as paused\n  restart       Restart a resource\n  resume        Resume a paused resource\n  status        Show the status of the rollout\n  undo          Undo a previous rollout\n\nUsage:\n  kubectl rollout SUBCOMMAND [options]\n\nUse \"kubectl rollout <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n";

/// The builder flags every subcommand has.
const SELECT: &[FlagDef] = &[
    FlagDef::new("filename", Some('f'), FlagKind::StringSlice),
    FlagDef::new("kustomize", Some('k'), FlagKind::String),
    FlagDef::bool("recursive").short('R'),
    FlagDef::string("selector").short('l'),
];

/// The print flags of the subcommands that print objects.
const PRINT: &[FlagDef] = &[
    FlagDef::string("output").short('o'),
    FlagDef::bool("show-managed-fields"),
    FlagDef::string("template"),
    FlagDef::bool("allow-missing-template-keys"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sub {
    History,
    Pause,
    Restart,
    Resume,
    Status,
    Undo,
}

impl Sub {
    fn parse(name: &str) -> Option<Sub> {
        Some(match name {
            "history" => Sub::History,
            "pause" => Sub::Pause,
            "restart" => Sub::Restart,
            "resume" => Sub::Resume,
            "status" => Sub::Status,
            "undo" => Sub::Undo,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Sub::History => "history",
            Sub::Pause => "pause",
            Sub::Restart => "restart",
            Sub::Resume => "resume",
            Sub::Status => "status",
            Sub::Undo => "undo",
        }
    }

    fn flags(self) -> Vec<FlagDef> {
        let mut defs: Vec<FlagDef> = SELECT.to_vec();
        match self {
            Sub::Status => defs.extend([
                FlagDef::bool("watch").short('w'),
                FlagDef::new("revision", None, FlagKind::Int),
                FlagDef::new("timeout", None, FlagKind::Duration),
            ]),
            Sub::History => {
                defs.extend(PRINT);
                defs.push(FlagDef::new("revision", None, FlagKind::Int));
            }
            Sub::Undo => {
                defs.extend(PRINT);
                defs.push(FlagDef::new("to-revision", None, FlagKind::Int));
                defs.push(FlagDef::string("dry-run").no_opt("unchanged"));
            }
            Sub::Pause | Sub::Resume | Sub::Restart => {
                defs.extend(PRINT);
                defs.push(FlagDef::string("field-manager"));
            }
        }
        defs
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let Some(pos) = args.iter().position(|a| !a.starts_with('-')) else {
        ctx.out.out(HELP);
        return 0;
    };
    let Some(sub) = Sub::parse(&args[pos]) else {
        ctx.out.err(format!("error: unknown command \"{}\"\nSee 'kubectl rollout -h' for help and examples\n", args[pos]));
        return 1;
    };
    let rest: Vec<String> = args[..pos].iter().chain(&args[pos + 1..]).cloned().collect();
    let defs = sub.flags();
    let Ok(parsed) = parse_flags(ctx, &format!("rollout {}", sub.name()), &defs, &rest) else { return 1 };
    match run_sub(ctx, sub, &parsed) {
        Ok(code) => code,
        Err(msg) => {
            ctx.out.err(format!("error: {msg}\n"));
            1
        }
    }
}

fn run_sub(ctx: &mut Ctx<'_>, sub: Sub, parsed: &Parsed) -> Result<i32, String> {
    let files = parsed.all("filename");
    if parsed.args.is_empty() && files.is_empty() && !parsed.changed("kustomize") {
        return Err("required resource not specified".into());
    }
    let output = OutputFormat::parse(parsed.get("output").unwrap_or(""))?;
    let dry_run = DryRun::parse(parsed.get("dry-run"))?;
    let revision = match sub {
        Sub::Undo => parsed.int("to-revision", 0),
        _ => parsed.int("revision", 0),
    };
    if matches!(sub, Sub::Status | Sub::History) && revision < 0 {
        return Err(format!("revision must be a positive integer: {revision}"));
    }
    let Ok(conn) = client::connect(ctx, parsed) else { return Ok(1) };
    let sel = Selection {
        args: parsed.args.clone(),
        filenames: if parsed.changed("kustomize") { Vec::new() } else { files },
        kustomize: parsed.get("kustomize").map(str::to_string),
        recursive: parsed.bool("recursive"),
        selector: parsed.get("selector").map(str::to_string),
        latest: true,
        ..Default::default()
    };
    let targets = match rb::select(ctx, &conn, &sel) {
        Ok(t) => t,
        Err(errs) => return Ok(rb::print_errors(ctx, &errs)),
    };
    let run = Run { conn: &conn, output: &output, dry_run, revision };
    match sub {
        Sub::Status => {
            // --watch defaults to true; only an explicit false stops after the first line.
            let watch = !parsed.changed("watch") || parsed.bool("watch");
            status::run(ctx, &run, targets, watch)
        }
        Sub::History => history::run_history(ctx, &run, targets),
        Sub::Undo => history::run_undo(ctx, &run, targets),
        Sub::Pause | Sub::Resume | Sub::Restart => {
            let manager = parsed.string("field-manager", "kubectl-rollout");
            Ok(run_patch(ctx, &run, sub, targets, &manager))
        }
    }
}

/// What the subcommands share once the targets are known.
struct Run<'a> {
    conn: &'a client::Connection,
    output: &'a OutputFormat,
    dry_run: DryRun,
    revision: i64,
}

impl Run<'_> {
    /// The success line (`deployment.apps/web paused`), or the object in the `-o` format.
    fn print(&self, ctx: &mut Ctx<'_>, t: &rb::Target, operation: &str) -> Result<(), CmdError> {
        match self.output {
            OutputFormat::Default | OutputFormat::Wide => {
                ctx.out.out(format!("{} {operation}{}\n", rb::object_ref(&t.res, &t.name), self.dry_run.suffix()));
                Ok(())
            }
            fmt => printers::print(ctx.out, &t.object, fmt, KeyOrder::Sorted).map_err(CmdError::Plain),
        }
    }
}

/// `schema.GroupKind.String()`: `Pod`, `ReplicaSet.apps`.
fn group_kind(res: &crate::cluster::ResourceInfo) -> String {
    if res.group.is_empty() { res.kind.clone() } else { format!("{}.{}", res.kind, res.group) }
}

/// pause, resume and restart: compute the change (`set.CalculatePatches` with the object
/// pauser, resumer or restarter), skip an empty one, patch the rest.
fn run_patch(ctx: &mut Ctx<'_>, run: &Run<'_>, sub: Sub, targets: Vec<Result<rb::Target, CmdError>>, manager: &str) -> i32 {
    let mut errs: Vec<CmdError> = Vec::new();
    let mut seen = 0;
    let now = ctx.world.clock.rfc3339();
    for t in targets {
        let mut t = match t {
            Ok(t) => t,
            Err(e) => {
                errs.push(e);
                continue;
            }
        };
        seen += 1;
        let kind = t.res.kind.as_str();
        let paused = t.object.pointer("/spec/paused").and_then(Value::as_bool) == Some(true);
        let mut next = t.object.clone();
        let change: Result<(), &str> = match (sub, kind) {
            (Sub::Pause, "Deployment") if paused => Err("is already paused"),
            (Sub::Pause, "Deployment") => {
                next["spec"]["paused"] = json!(true);
                Ok(())
            }
            (Sub::Pause, _) => Err("pausing is not supported"),
            (Sub::Resume, "Deployment") if !paused => Err("is not paused"),
            (Sub::Resume, "Deployment") => {
                if let Some(spec) = next.get_mut("spec").and_then(Value::as_object_mut) {
                    spec.remove("paused");
                }
                Ok(())
            }
            (Sub::Resume, _) => Err("resuming is not supported"),
            (Sub::Restart, "Deployment") if paused => Err("can't restart paused deployment (run rollout resume first)"),
            (Sub::Restart, "Deployment" | "DaemonSet" | "StatefulSet") => {
                next["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"] = json!(now);
                Ok(())
            }
            (Sub::Restart, _) => Err("restarting is not supported"),
            _ => Ok(()),
        };
        if let Err(msg) = change {
            errs.push(CmdError::Plain(format!("error: {} \"{}\" {msg}", t.res.qualified_name(), t.name)));
            continue;
        }
        if next == t.object {
            // An empty patch: restart within the same second, or nothing to change.
            if sub == Sub::Restart {
                errs.push(CmdError::Plain(format!(
                    "failed to create patch for {}: if restart has already been triggered within the past second, please wait before attempting to trigger another",
                    t.name
                )));
            }
            continue;
        }
        let Some(mut api) = run.conn.api(ctx.world) else {
            errs.push(CmdError::Plain("The connection to the server was refused".into()));
            break;
        };
        let opts = WriteOptions { field_manager: Some(manager.to_string()), ..Default::default() };
        match api.update(&run.conn.user, &t.res, t.namespace.as_deref(), next, &opts) {
            Ok(v) => t.object = v,
            Err(s) => {
                errs.push(CmdError::Plain(format!("failed to patch: {}", s.message)));
                continue;
            }
        }
        let operation = match sub {
            Sub::Pause => "paused",
            Sub::Resume => "resumed",
            _ => "restarted",
        };
        if let Err(e) = run.print(ctx, &t, operation) {
            errs.push(e);
        }
    }
    if seen == 0 && errs.is_empty() {
        ctx.out.err(format!("No resources found in {} namespace.\n", run.conn.namespace));
        return 0;
    }
    rb::print_errors(ctx, &errs)
}
