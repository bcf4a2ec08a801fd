//! Describers of workload controllers: Deployment, ReplicaSet, DaemonSet, StatefulSet,
//! ReplicationController, Job and CronJob.

use serde_json::Value;

use super::Env;
use super::pod::{controller, pod_template};
use super::writer::{self as wr, W, arr, i, map, s, time_at};
use crate::cluster::selector::{format_label_selector, format_labels, from_label_selector_object};

fn selector_string(o: &Value, ptr: &str) -> String {
    from_label_selector_object(o.pointer(ptr).unwrap_or(&Value::Null)).to_string()
}

fn replicas(o: &Value) -> i64 {
    o.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(1)
}

/// Pods controlled by `o` counted by phase (`getPodStatusForController`).
fn pod_statuses(env: &Env<'_, '_>, o: &Value, selector: String) -> String {
    let ns = o.pointer("/metadata/namespace").and_then(Value::as_str);
    let uid = s(o, "/metadata/uid");
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    for p in env.list("pods", ns, Some(selector).filter(|x| !x.is_empty()), None) {
        let owned = arr(&p, "/metadata/ownerReferences")
            .iter()
            .any(|r| r.get("controller").and_then(Value::as_bool) == Some(true) && s(r, "/uid") == uid);
        if !owned {
            continue;
        }
        match s(&p, "/status/phase") {
            "Running" => running += 1,
            "Pending" => waiting += 1,
            "Succeeded" => succeeded += 1,
            "Failed" => failed += 1,
            _ => {}
        }
    }
    format!("{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed")
}

fn conditions(w: &mut W, o: &Value) {
    let conds = arr(o, "/status/conditions");
    if conds.is_empty() {
        return;
    }
    w.w(0, "Conditions:\n  Type\tStatus\tReason\n");
    w.w(1, "----\t------\t------\n");
    for c in conds {
        w.w(1, &format!("{} \t{}\t{}\n", s(c, "/type"), s(c, "/status"), s(c, "/reason")));
    }
}

fn events(env: &Env<'_, '_>, w: &mut W, o: &Value) {
    if env.show_events {
        wr::events(w, &env.events_for(o, false), env.now);
    }
}

fn int_or_string(v: Option<&Value>, default: &str) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => default.to_string(),
    }
}

pub fn deployment(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}\n", s(o, "/metadata/namespace")));
    w.w(0, &format!("CreationTimestamp:\t{}\n", time_at(o, "/metadata/creationTimestamp")));
    wr::meta_labels_annotations(&mut w, o);
    let selector = selector_string(o, "/spec/selector");
    w.w(0, &format!("Selector:\t{selector}\n"));
    w.w(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            replicas(o),
            i(o, "/status/updatedReplicas"),
            i(o, "/status/replicas"),
            i(o, "/status/availableReplicas"),
            i(o, "/status/unavailableReplicas")
        ),
    );
    w.w(0, &format!("StrategyType:\t{}\n", s(o, "/spec/strategy/type")));
    w.w(0, &format!("MinReadySeconds:\t{}\n", i(o, "/spec/minReadySeconds")));
    if let Some(ru) = o.pointer("/spec/strategy/rollingUpdate").filter(|v| v.is_object()) {
        w.w(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                int_or_string(ru.get("maxUnavailable"), "25%"),
                int_or_string(ru.get("maxSurge"), "25%")
            ),
        );
    }
    pod_template(&mut w, o.pointer("/spec/template"));
    conditions(&mut w, o);
    // The deployment's replica sets: those it controls; the newest template match is the new one.
    let ns = o.pointer("/metadata/namespace").and_then(Value::as_str);
    let uid = s(o, "/metadata/uid");
    let owned: Vec<Value> = env
        .list("replicasets.apps", ns, Some(selector.clone()).filter(|x| !x.is_empty()), None)
        .into_iter()
        .filter(|rs| {
            arr(rs, "/metadata/ownerReferences")
                .iter()
                .any(|r| r.get("controller").and_then(Value::as_bool) == Some(true) && s(r, "/uid") == uid)
        })
        .collect();
    if !owned.is_empty() {
        let revision = |rs: &Value| s(rs, "/metadata/annotations/deployment.kubernetes.io~1revision").parse::<i64>().unwrap_or(0);
        let new_idx = owned.iter().enumerate().max_by_key(|(_, rs)| revision(rs)).map(|(n, _)| n);
        let fmt = |rs: &Value| format!("{} ({}/{} replicas created)", s(rs, "/metadata/name"), i(rs, "/status/replicas"), replicas(rs));
        // `FindOldReplicaSets`: describe lists only the old ones still asked for pods.
        let old: Vec<String> =
            owned.iter().enumerate().filter(|(n, rs)| Some(*n) != new_idx && replicas(rs) != 0).map(|(_, rs)| fmt(rs)).collect();
        let new: Vec<String> = new_idx.map(|n| fmt(&owned[n])).into_iter().collect();
        let or_none = |v: Vec<String>| if v.is_empty() { "<none>".to_string() } else { v.join(", ") };
        w.w(0, &format!("OldReplicaSets:\t{}\n", or_none(old)));
        w.w(0, &format!("NewReplicaSet:\t{}\n", or_none(new)));
    }
    events(env, &mut w, o);
    w.finish()
}

pub fn replica_set(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}\n", s(o, "/metadata/namespace")));
    w.w(0, &format!("Selector:\t{}\n", format_label_selector(o.pointer("/spec/selector"))));
    wr::meta_labels_annotations(&mut w, o);
    if let Some(c) = controller(o) {
        w.w(0, &format!("Controlled By:\t{c}\n"));
    }
    w.w(0, &format!("Replicas:\t{} current / {} desired\n", i(o, "/status/replicas"), replicas(o)));
    w.w(0, &format!("Pods Status:\t{}\n", pod_statuses(env, o, selector_string(o, "/spec/selector"))));
    pod_template(&mut w, o.pointer("/spec/template"));
    conditions(&mut w, o);
    events(env, &mut w, o);
    w.finish()
}

pub fn replication_controller(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}\n", s(o, "/metadata/namespace")));
    let sel = map(o, "/spec/selector");
    w.w(0, &format!("Selector:\t{}\n", format_labels(&sel)));
    wr::meta_labels_annotations(&mut w, o);
    w.w(0, &format!("Replicas:\t{} current / {} desired\n", i(o, "/status/replicas"), replicas(o)));
    let sel_text = sel.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",");
    w.w(0, &format!("Pods Status:\t{}\n", pod_statuses(env, o, sel_text)));
    pod_template(&mut w, o.pointer("/spec/template"));
    conditions(&mut w, o);
    events(env, &mut w, o);
    w.finish()
}

pub fn daemon_set(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    let selector = selector_string(o, "/spec/selector");
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}\n", s(o, "/metadata/namespace")));
    w.w(0, &format!("Selector:\t{selector}\n"));
    w.w(0, &format!("Node-Selector:\t{}\n", format_labels(&map(o, "/spec/template/spec/nodeSelector"))));
    wr::meta_labels_annotations(&mut w, o);
    w.w(0, &format!("Desired Number of Nodes Scheduled: {}\n", i(o, "/status/desiredNumberScheduled")));
    w.w(0, &format!("Current Number of Nodes Scheduled: {}\n", i(o, "/status/currentNumberScheduled")));
    w.w(0, &format!("Number of Nodes Scheduled with Up-to-date Pods: {}\n", i(o, "/status/updatedNumberScheduled")));
    w.w(0, &format!("Number of Nodes Scheduled with Available Pods: {}\n", i(o, "/status/numberAvailable")));
    w.w(0, &format!("Number of Nodes Misscheduled: {}\n", i(o, "/status/numberMisscheduled")));
    w.w(0, &format!("Pods Status:\t{}\n", pod_statuses(env, o, selector)));
    pod_template(&mut w, o.pointer("/spec/template"));
    events(env, &mut w, o);
    w.finish()
}

pub fn stateful_set(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    let selector = selector_string(o, "/spec/selector");
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}\n", s(o, "/metadata/namespace")));
    w.w(0, &format!("CreationTimestamp:\t{}\n", time_at(o, "/metadata/creationTimestamp")));
    w.w(0, &format!("Selector:\t{selector}\n"));
    wr::meta_labels_annotations(&mut w, o);
    w.w(0, &format!("Replicas:\t{} desired | {} total\n", replicas(o), i(o, "/status/replicas")));
    w.w(0, &format!("Update Strategy:\t{}\n", s(o, "/spec/updateStrategy/type")));
    if let Some(ru) = o.pointer("/spec/updateStrategy/rollingUpdate")
        && let Some(p) = ru.get("partition").and_then(Value::as_i64)
    {
        w.w(1, &format!("Partition:\t{p}\n"));
        if let Some(mu) = ru.get("maxUnavailable") {
            w.w(1, &format!("MaxUnavailable:\t{}\n", int_or_string(Some(mu), "")));
        }
    }
    w.w(0, &format!("Pods Status:\t{}\n", pod_statuses(env, o, selector)));
    pod_template(&mut w, o.pointer("/spec/template"));
    let templates = arr(o, "/spec/volumeClaimTemplates");
    if templates.is_empty() {
        w.w(0, "Volume Claims:\t<none>\n");
    } else {
        w.w(0, "Volume Claims:\n");
        for t in templates {
            w.w(1, &format!("Name:\t{}\n", s(t, "/metadata/name")));
            w.w(1, &format!("StorageClass:\t{}\n", s(t, "/spec/storageClassName")));
            wr::labels_with_indent(&mut w, "  ", "Labels", "\t", &map(t, "/metadata/labels"));
            wr::labels_with_indent(&mut w, "  ", "Annotations", "\t", &map(t, "/metadata/annotations"));
            let cap = s(t, "/spec/resources/requests/storage");
            w.w(1, &format!("Capacity:\t{}\n", if cap.is_empty() { "<default>".to_string() } else { super::quantity::canonical(cap) }));
            let modes: Vec<&str> = arr(t, "/spec/accessModes").iter().filter_map(Value::as_str).collect();
            w.w(1, &format!("Access Modes:\t[{}]\n", modes.join(" ")));
        }
    }
    events(env, &mut w, o);
    w.finish()
}

pub fn job(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}\n", s(o, "/metadata/namespace")));
    w.w(0, &format!("Selector:\t{}\n", selector_string(o, "/spec/selector")));
    wr::meta_labels_annotations(&mut w, o);
    if let Some(c) = controller(o) {
        w.w(0, &format!("Controlled By:\t{c}\n"));
    }
    if let Some(p) = o.pointer("/spec/parallelism").and_then(Value::as_i64) {
        w.w(0, &format!("Parallelism:\t{p}\n"));
    }
    match o.pointer("/spec/completions").and_then(Value::as_i64) {
        Some(c) => w.w(0, &format!("Completions:\t{c}\n")),
        None => w.w(0, "Completions:\t<unset>\n"),
    }
    if !s(o, "/spec/completionMode").is_empty() {
        w.w(0, &format!("Completion Mode:\t{}\n", s(o, "/spec/completionMode")));
    }
    if let Some(b) = o.pointer("/spec/suspend").and_then(Value::as_bool) {
        w.w(0, &format!("Suspend:\t{b}\n"));
    }
    if let Some(b) = o.pointer("/spec/backoffLimit").and_then(Value::as_i64) {
        w.w(0, &format!("Backoff Limit:\t{b}\n"));
    }
    if let Some(t) = o.pointer("/spec/ttlSecondsAfterFinished").and_then(Value::as_i64) {
        w.w(0, &format!("TTL Seconds After Finished:\t{t}\n"));
    }
    let start = o.pointer("/status/startTime").is_some_and(Value::is_string);
    let done = o.pointer("/status/completionTime").is_some_and(Value::is_string);
    if start {
        w.w(0, &format!("Start Time:\t{}\n", time_at(o, "/status/startTime")));
    }
    if done {
        w.w(0, &format!("Completed At:\t{}\n", time_at(o, "/status/completionTime")));
    }
    if start && done {
        w.w(0, &format!("Duration:\t{}\n", crate::cluster::table::batch::job_duration(o, env.now)));
    }
    if let Some(d) = o.pointer("/spec/activeDeadlineSeconds").and_then(Value::as_i64) {
        w.w(0, &format!("Active Deadline Seconds:\t{d}s\n"));
    }
    match o.pointer("/status/ready").and_then(Value::as_i64) {
        None => w.w(
            0,
            &format!(
                "Pods Statuses:\t{} Active / {} Succeeded / {} Failed\n",
                i(o, "/status/active"),
                i(o, "/status/succeeded"),
                i(o, "/status/failed")
            ),
        ),
        Some(r) => w.w(
            0,
            &format!(
                "Pods Statuses:\t{} Active ({r} Ready) / {} Succeeded / {} Failed\n",
                i(o, "/status/active"),
                i(o, "/status/succeeded"),
                i(o, "/status/failed")
            ),
        ),
    }
    if s(o, "/spec/completionMode") == "Indexed" {
        let idx = s(o, "/status/completedIndexes");
        w.w(0, &format!("Completed Indexes:\t{}\n", if idx.is_empty() { "<none>" } else { idx }));
    }
    pod_template(&mut w, o.pointer("/spec/template"));
    events(env, &mut w, o);
    w.finish()
}

pub fn cron_job(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}\n", s(o, "/metadata/namespace")));
    wr::meta_labels_annotations(&mut w, o);
    w.w(0, &format!("Schedule:\t{}\n", s(o, "/spec/schedule")));
    w.w(0, &format!("Concurrency Policy:\t{}\n", s(o, "/spec/concurrencyPolicy")));
    let suspend = match o.pointer("/spec/suspend").and_then(Value::as_bool) {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    };
    w.w(0, &format!("Suspend:\t{suspend}\n"));
    let opt =
        |p: &str, suffix: &str| o.pointer(p).and_then(Value::as_i64).map_or_else(|| "<unset>".to_string(), |n| format!("{n}{suffix}"));
    w.w(0, &format!("Successful Job History Limit:\t{}\n", opt("/spec/successfulJobsHistoryLimit", "")));
    w.w(0, &format!("Failed Job History Limit:\t{}\n", opt("/spec/failedJobsHistoryLimit", "")));
    w.w(0, &format!("Starting Deadline Seconds:\t{}\n", opt("/spec/startingDeadlineSeconds", "s")));
    let jt = o.pointer("/spec/jobTemplate").cloned().unwrap_or(Value::Null);
    if jt.pointer("/spec/selector").is_some_and(Value::is_object) {
        w.w(0, &format!("Selector:\t{}\n", selector_string(&jt, "/spec/selector")));
    } else {
        w.w(0, "Selector:\t<unset>\n");
    }
    w.w(
        0,
        &format!(
            "Parallelism:\t{}\n",
            jt.pointer("/spec/parallelism").and_then(Value::as_i64).map_or_else(|| "<unset>".to_string(), |n| n.to_string())
        ),
    );
    w.w(
        0,
        &format!(
            "Completions:\t{}\n",
            jt.pointer("/spec/completions").and_then(Value::as_i64).map_or_else(|| "<unset>".to_string(), |n| n.to_string())
        ),
    );
    if let Some(d) = jt.pointer("/spec/activeDeadlineSeconds").and_then(Value::as_i64) {
        w.w(0, &format!("Active Deadline Seconds:\t{d}s\n"));
    }
    pod_template(&mut w, jt.pointer("/spec/template"));
    if o.pointer("/status/lastScheduleTime").is_some_and(Value::is_string) {
        w.w(0, &format!("Last Schedule Time:\t{}\n", time_at(o, "/status/lastScheduleTime")));
    } else {
        w.w(0, "Last Schedule Time:\t<unset>\n");
    }
    w.w(0, "Active Jobs:\t");
    let active = arr(o, "/status/active");
    if active.is_empty() {
        w.line("<none>");
    } else {
        let names: Vec<&str> = active.iter().map(|j| s(j, "/name")).collect();
        w.line(&names.join(", "));
    }
    events(env, &mut w, o);
    w.finish()
}
