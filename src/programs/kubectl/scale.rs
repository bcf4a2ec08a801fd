//! `kubectl scale`: sets `spec.replicas` through the scale subresource of deployments, replica
//! sets, stateful sets and replication controllers, with `--current-replicas` and
//! `--resource-version` preconditions (`pkg/cmd/scale/scale.go`, `pkg/scale/scale.go`, v1.35).

use serde_json::Value;

use super::flags::{FlagDef, FlagKind};
use super::printers::{self, KeyOrder, OutputFormat};
use super::resource_builder::{self as rb, CmdError, DryRun, Selection};
use super::{client, parse_flags};
use crate::cluster::{Registry, WriteOptions};
use crate::programs::Ctx;

const DEFS: &[FlagDef] = &[
    FlagDef::new("filename", Some('f'), FlagKind::StringSlice),
    FlagDef::new("kustomize", Some('k'), FlagKind::String),
    FlagDef::bool("recursive").short('R'),
    FlagDef::string("selector").short('l'),
    FlagDef::bool("all"),
    FlagDef::string("resource-version"),
    FlagDef::new("current-replicas", None, FlagKind::Int),
    FlagDef::new("replicas", None, FlagKind::Int),
    FlagDef::new("timeout", None, FlagKind::Duration),
    FlagDef::string("output").short('o'),
    FlagDef::string("dry-run").no_opt("unchanged"),
    FlagDef::bool("record"),
    FlagDef::bool("show-managed-fields"),
    FlagDef::string("template"),
    FlagDef::bool("allow-missing-template-keys"),
];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let Ok(parsed) = parse_flags(ctx, "scale", DEFS, args) else { return 1 };
    let fail = |ctx: &mut Ctx<'_>, msg: &str| {
        ctx.out.err(format!("error: {msg}\n"));
        1
    };
    if !parsed.changed("replicas") {
        return fail(ctx, "required flag(s) \"replicas\" not set");
    }
    let replicas = parsed.int("replicas", -1);
    let current = parsed.int("current-replicas", -1);
    let dry_run = match DryRun::parse(parsed.get("dry-run")) {
        Ok(d) => d,
        Err(e) => return fail(ctx, &e),
    };
    let output = match OutputFormat::parse(parsed.get("output").unwrap_or("")) {
        Ok(o) => o,
        Err(e) => return fail(ctx, &e),
    };
    if replicas < 0 {
        return fail(ctx, "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
    }
    if current < -1 {
        return fail(ctx, "The --current-replicas must specify an integer of -1 or greater");
    }
    let Ok(conn) = client::connect(ctx, &parsed) else { return 1 };
    let sel = Selection {
        args: parsed.args.clone(),
        filenames: parsed.all("filename"),
        kustomize: parsed.get("kustomize").map(str::to_string),
        recursive: parsed.bool("recursive"),
        selector: parsed.get("selector").map(str::to_string),
        all: parsed.bool("all"),
        latest: true,
        ..Default::default()
    };
    let targets = match rb::select(ctx, &conn, &sel) {
        Ok(t) => t,
        Err(errs) => return rb::print_errors(ctx, &errs),
    };
    let (infos, mut errs): (Vec<_>, Vec<_>) = targets.into_iter().partition(Result::is_ok);
    let infos: Vec<rb::Target> = infos.into_iter().filter_map(Result::ok).collect();
    let mut errs: Vec<CmdError> = errs.drain(..).filter_map(Result::err).collect();
    let rv = parsed.get("resource-version").filter(|s| !s.is_empty()).map(str::to_string);
    if rv.is_some() && infos.len() > 1 {
        return fail(ctx, "cannot use --resource-version with multiple resources");
    }
    if infos.is_empty() {
        if !errs.is_empty() {
            return rb::print_errors(ctx, &errs);
        }
        return fail(ctx, "no objects passed to scale");
    }
    for t in infos {
        if dry_run == DryRun::Client {
            print(ctx, &t, &output, dry_run);
            continue;
        }
        if let Err(e) = scale_one(ctx, &conn, &t, replicas, current, rv.as_deref(), dry_run) {
            // kubectl stops at the first failure to scale.
            errs.push(e);
            return rb::print_errors(ctx, &errs);
        }
        print(ctx, &t, &output, dry_run);
    }
    rb::print_errors(ctx, &errs)
}

fn print(ctx: &mut Ctx<'_>, t: &rb::Target, output: &OutputFormat, dry_run: DryRun) {
    match output {
        OutputFormat::Default | OutputFormat::Wide => {
            ctx.out.out(format!("{} scaled{}\n", rb::object_ref(&t.res, &t.name), dry_run.suffix()))
        }
        fmt => {
            if let Err(e) = printers::print(ctx.out, &t.object, fmt, KeyOrder::Sorted) {
                ctx.out.err(format!("error: {e}\n"));
            }
        }
    }
}

/// Whether discovery lists a `scale` subresource for the resource.
pub fn has_scale(res: &crate::cluster::ResourceInfo) -> bool {
    let sub = format!("{}/scale", res.name);
    Registry::builtin().resources.iter().any(|r| r.name == sub && r.group == res.group && r.version == res.version)
}

fn scale_one(
    ctx: &mut Ctx<'_>,
    conn: &client::Connection,
    t: &rb::Target,
    replicas: i64,
    current: i64,
    rv: Option<&str>,
    dry_run: DryRun,
) -> Result<(), CmdError> {
    if !has_scale(&t.res) {
        // kubectl PATCHes `<object>/scale` directly; the API server has no such route
        // (seen with kubectl v1.35.2 against a stub server).
        return Err(CmdError::status(crate::cluster::Status::new(
            crate::cluster::Reason::NotFound,
            "the server could not find the requested resource",
        )));
    }
    let Some(mut api) = conn.api(ctx.world) else { return Err(CmdError::Plain("The connection to the server was refused".into())) };
    let mut live = api.get(&conn.user, &t.res, t.namespace.as_deref(), &t.name).map_err(CmdError::status)?;
    let have = live.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(1);
    if current != -1 && have != current {
        return Err(CmdError::Plain(format!("Expected replicas to be {current}, was {have}")));
    }
    let live_rv = live.pointer("/metadata/resourceVersion").and_then(Value::as_str).unwrap_or_default().to_string();
    if let Some(rv) = rv
        && rv != live_rv
    {
        return Err(CmdError::Plain(format!("Expected resource version to be {rv}, was {live_rv}")));
    }
    if let Some(spec) = live.get_mut("spec").and_then(Value::as_object_mut) {
        spec.insert("replicas".into(), Value::from(replicas));
    }
    let opts = WriteOptions { dry_run: dry_run == DryRun::Server, ..Default::default() };
    api.update(&conn.user, &t.res, t.namespace.as_deref(), live, &opts).map_err(CmdError::status)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::programs::kubectl::resource_builder::testkit::Kit;

    #[test]
    fn scale_deployments_and_refuse_pods() {
        let mut k = Kit::new();
        k.create("deployments", Some("default"), json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}}));
        k.create("pods", Some("default"), json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}));
        assert_eq!(k.ok("kubectl scale deploy web --replicas=3"), "deployment.apps/web scaled\n");
        assert_eq!(k.get("deployments", Some("default"), "web").unwrap()["spec"]["replicas"], 3);
        assert_eq!(k.run("kubectl scale deploy web --replicas=5 --current-replicas=2").1, "error: Expected replicas to be 2, was 3\n");
        assert_eq!(k.run("kubectl scale deploy web").1, "error: required flag(s) \"replicas\" not set\n");
        assert_eq!(
            k.run("kubectl scale deploy nope --replicas=1").1,
            "Error from server (NotFound): deployments.apps \"nope\" not found\n"
        );
        assert_eq!(
            k.run("kubectl scale pod p --replicas=2").1,
            "Error from server (NotFound): the server could not find the requested resource\n"
        );
        assert_eq!(k.ok("kubectl scale deployment/web --replicas=0 --dry-run=client"), "deployment.apps/web scaled (dry run)\n");
        assert_eq!(k.get("deployments", Some("default"), "web").unwrap()["spec"]["replicas"], 3);
    }
}
