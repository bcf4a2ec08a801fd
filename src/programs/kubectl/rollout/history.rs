//! `kubectl rollout history` and `kubectl rollout undo`: a workload's revisions are its
//! ReplicaSets (deployments, by the `deployment.kubernetes.io/revision` annotation) or its
//! ControllerRevisions (daemon sets and stateful sets), as `pkg/polymorphichelpers/history.go`
//! and `rollback.go` read them.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Run, group_kind};
use crate::cluster::api::ListOptions;
use crate::cluster::{Registry, WriteOptions};
use crate::programs::Ctx;
use crate::programs::kubectl::describe::pod::pod_template;
use crate::programs::kubectl::describe::writer::W;
use crate::programs::kubectl::printers::table::tabwrite;
use crate::programs::kubectl::printers::{self, KeyOrder, OutputFormat};
use crate::programs::kubectl::resource_builder::{self as rb, CmdError, DryRun};

const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
const REVISION: &str = "deployment.kubernetes.io/revision";
const HASH_LABEL: &str = "pod-template-hash";

/// One revision of a workload: its number, the object that records it (a ReplicaSet or a
/// ControllerRevision) and the pod template it ran.
struct Revision {
    number: i64,
    record: Value,
    template: Value,
}

fn annotation<'v>(o: &'v Value, key: &str) -> Option<&'v str> {
    o.pointer("/metadata/annotations").and_then(|a| a.get(key)).and_then(Value::as_str)
}

fn uid(o: &Value) -> &str {
    o.pointer("/metadata/uid").and_then(Value::as_str).unwrap_or_default()
}

/// The objects of `resource` in the workload's namespace that its selector matches and that it
/// controls, read with the learner's identity.
fn controlled(ctx: &mut Ctx<'_>, run: &Run<'_>, t: &rb::Target, resource: &str) -> Result<Vec<Value>, String> {
    let registry = Registry::builtin();
    let Some(res) = registry.resources.iter().find(|r| r.name == resource && r.group == "apps") else { return Ok(Vec::new()) };
    let Some(api) = run.conn.api(ctx.world) else { return Err("The connection to the server was refused".into()) };
    let selector = crate::cluster::selector::format_label_selector(t.object.pointer("/spec/selector"));
    let opts = ListOptions { label_selector: Some(selector).filter(|s| s != "<none>"), field_selector: None };
    let list = api.list(&run.conn.user, res, t.namespace.as_deref(), &opts).map_err(|s| s.message)?;
    let owner = uid(&t.object);
    Ok(list.into_iter().filter(|o| crate::cluster::controllers::controlled_by(o, owner)).collect())
}

/// The workload's revisions by number (a later record of the same number wins, as the Go map
/// assignment does), or the error for a kind without history.
fn revisions(ctx: &mut Ctx<'_>, run: &Run<'_>, t: &rb::Target, viewer: &str) -> Result<BTreeMap<i64, Revision>, String> {
    let mut out = BTreeMap::new();
    match t.res.kind.as_str() {
        "Deployment" => {
            for rs in controlled(ctx, run, t, "replicasets")? {
                let Ok(number) = annotation(&rs, REVISION).unwrap_or("0").parse::<i64>() else { continue };
                let mut template = rs.pointer("/spec/template").cloned().unwrap_or(json!({}));
                // The history viewer shows the ReplicaSet's change-cause on the template.
                if let Some(cause) = annotation(&rs, CHANGE_CAUSE).filter(|c| !c.is_empty()) {
                    template["metadata"]["annotations"][CHANGE_CAUSE] = json!(cause);
                }
                out.insert(number, Revision { number, record: rs, template });
            }
        }
        "DaemonSet" | "StatefulSet" => {
            for cr in controlled(ctx, run, t, "controllerrevisions")? {
                let number = cr.get("revision").and_then(Value::as_i64).unwrap_or(0);
                let template = applied_template(&cr);
                out.insert(number, Revision { number, record: cr, template });
            }
        }
        _ => return Err(format!("no {viewer} has been implemented for \"{}\"", group_kind(&t.res))),
    }
    Ok(out)
}

/// The pod template a ControllerRevision's patch (`{"spec":{"template":{…,"$patch":"replace"}}}`)
/// restores.
fn applied_template(cr: &Value) -> Value {
    let mut t = cr.pointer("/data/spec/template").cloned().unwrap_or(json!({}));
    if let Some(m) = t.as_object_mut() {
        m.remove("$patch");
    }
    t
}

/// `printTemplate`: the describer's Pod Template section.
fn describe_template(template: &Value) -> String {
    let mut w = W::default();
    pod_template(&mut w, Some(template));
    w.finish()
}

pub(super) fn run_history(ctx: &mut Ctx<'_>, run: &Run<'_>, targets: Vec<Result<rb::Target, CmdError>>) -> Result<i32, String> {
    for t in targets {
        let t = match t {
            Ok(t) => t,
            Err(e) => return Ok(rb::print_errors(ctx, &[e])),
        };
        let revs = revisions(ctx, run, &t, "history viewer")?;
        if !matches!(run.output, OutputFormat::Default | OutputFormat::Wide) {
            // GetHistory: the ReplicaSets, or the workload with each revision's template applied.
            let objects: Vec<Value> = revs
                .values()
                .filter(|r| run.revision == 0 || r.number == run.revision)
                .map(|r| match t.res.kind.as_str() {
                    "Deployment" => r.record.clone(),
                    _ => {
                        let mut o = t.object.clone();
                        o["spec"]["template"] = r.template.clone();
                        o
                    }
                })
                .collect();
            if run.revision > 0 && objects.is_empty() {
                return Err("unable to find the specified revision".into());
            }
            for o in objects {
                printers::print(ctx.out, &o, run.output, KeyOrder::Sorted)?;
            }
            continue;
        }
        let text = if revs.is_empty() {
            "No rollout history found.".to_string()
        } else if run.revision > 0 {
            let Some(r) = revs.get(&run.revision) else { return Err("unable to find the specified revision".into()) };
            describe_template(&r.template)
        } else {
            let mut table = String::from("REVISION\tCHANGE-CAUSE\n");
            for r in revs.values() {
                let cause = match t.res.kind.as_str() {
                    "Deployment" => annotation(&r.template, CHANGE_CAUSE),
                    _ => annotation(&r.record, CHANGE_CAUSE),
                };
                table.push_str(&format!("{}\t{}\n", r.number, cause.filter(|c| !c.is_empty()).unwrap_or("<none>")));
            }
            tabwrite(&table, 0, 2)
        };
        let with = if run.revision > 0 { format!("with revision #{}", run.revision) } else { String::new() };
        ctx.out.out(format!("{} {with}\n{text}\n", rb::object_ref(&t.res, &t.name)));
    }
    Ok(0)
}

/// `EqualIgnoreHash`.
fn without_hash(template: &Value) -> Value {
    let mut t = template.clone();
    if let Some(labels) = t.pointer_mut("/metadata/labels").and_then(Value::as_object_mut) {
        labels.remove(HASH_LABEL);
    }
    t
}

pub(super) fn run_undo(ctx: &mut Ctx<'_>, run: &Run<'_>, targets: Vec<Result<rb::Target, CmdError>>) -> Result<i32, String> {
    for t in targets {
        let mut t = match t {
            Ok(t) => t,
            Err(e) => return Ok(rb::print_errors(ctx, &[e])),
        };
        if annotation(&t.object, "kubectl.kubernetes.io/last-applied-configuration").is_some() {
            ctx.out.err(format!(
                "Warning: resource {}/{} was previously managed with 'kubectl apply'. Rolling back will not update the kubectl.kubernetes.io/last-applied-configuration annotation, which may cause unexpected behavior on future 'kubectl apply' operations. Consider using 'kubectl apply' with your previous configuration file instead.\n",
                t.res.qualified_name(),
                t.name
            ));
        }
        let result = rollback(ctx, run, &t)?;
        if let Some(obj) = result.1 {
            t.object = obj;
        }
        match run.output {
            OutputFormat::Default | OutputFormat::Wide => {
                ctx.out.out(format!("{} {}{}\n", rb::object_ref(&t.res, &t.name), result.0, run.dry_run.suffix()));
            }
            fmt => printers::print(ctx.out, &t.object, fmt, KeyOrder::Sorted)?,
        }
    }
    Ok(0)
}

/// The rollbackers: the message to print and the object as written, if it was.
fn rollback(ctx: &mut Ctx<'_>, run: &Run<'_>, t: &rb::Target) -> Result<(String, Option<Value>), String> {
    let to = run.revision;
    let not_found = |r: i64| format!("unable to find specified revision {r} in history");
    if to < 0 && matches!(t.res.kind.as_str(), "Deployment" | "DaemonSet" | "StatefulSet") {
        return Err(not_found(to));
    }
    let revs = revisions(ctx, run, t, "rollbacker")?;
    let deployment = t.res.kind == "Deployment";
    let target = if deployment {
        // deploymentRevision: the named revision, or the second newest.
        match to {
            0 => revs.values().rev().nth(1).ok_or_else(|| format!("no rollout history found for deployment \"{}\"", t.name))?,
            n => revs.get(&n).ok_or_else(|| not_found(n))?,
        }
    } else {
        if to == 0 && revs.len() <= 1 {
            return Err("no last revision to roll back to".into());
        }
        match to {
            0 => revs.values().rev().nth(1).ok_or_else(|| not_found(to))?,
            n => revs.get(&n).ok_or_else(|| not_found(n))?,
        }
    };
    let current = t.object.pointer("/spec/template").cloned().unwrap_or(json!({}));
    if run.dry_run == DryRun::Client {
        let text = describe_template(&target.record.pointer("/spec/template").cloned().unwrap_or_else(|| target.template.clone()));
        return Ok((if deployment { text } else { format!("will roll back to {text}") }, None));
    }
    if deployment && t.object.pointer("/spec/paused").and_then(Value::as_bool) == Some(true) {
        return Err("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again".into());
    }
    let template = if deployment { target.record.pointer("/spec/template").cloned().unwrap_or(json!({})) } else { target.template.clone() };
    if without_hash(&template) == without_hash(&current) {
        return Ok((format!("skipped rollback (current template already matches revision {to})"), None));
    }
    let mut next = t.object.clone();
    next["spec"]["template"] = without_hash(&template);
    if deployment {
        // The deployment keeps its own bookkeeping annotations and takes the rest from the
        // ReplicaSet of that revision (`annotationsToSkip`).
        const SKIP: &[&str] = &[
            "kubectl.kubernetes.io/last-applied-configuration",
            REVISION,
            "deployment.kubernetes.io/revision-history",
            "deployment.kubernetes.io/desired-replicas",
            "deployment.kubernetes.io/max-replicas",
            "deprecated.deployment.rollback.to",
        ];
        let mut annotations = serde_json::Map::new();
        if let Some(a) = t.object.pointer("/metadata/annotations").and_then(Value::as_object) {
            for (k, v) in a.iter().filter(|(k, _)| SKIP.contains(&k.as_str())) {
                annotations.insert(k.clone(), v.clone());
            }
        }
        if let Some(a) = target.record.pointer("/metadata/annotations").and_then(Value::as_object) {
            for (k, v) in a.iter().filter(|(k, _)| !SKIP.contains(&k.as_str())) {
                annotations.insert(k.clone(), v.clone());
            }
        }
        next["metadata"]["annotations"] = Value::Object(annotations);
    }
    let Some(mut api) = run.conn.api(ctx.world) else { return Err("The connection to the server was refused".into()) };
    let opts = WriteOptions { dry_run: run.dry_run == DryRun::Server, ..Default::default() };
    let written = api
        .update(&run.conn.user, &t.res, t.namespace.as_deref(), next, &opts)
        .map_err(|s| format!("failed restoring revision {to}: {}", s.message))?;
    Ok(("rolled back".into(), Some(written)))
}
