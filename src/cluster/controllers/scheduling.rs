//! The scheduler's place in the settle loop: every pending pod without a node goes through
//! [`crate::cluster::scheduler::schedule`] (a pure decision over a snapshot of the store); a
//! `Bind` is posted to the `pods/binding` subresource as `system:kube-scheduler`, an
//! `Unschedulable` sets the PodScheduled condition and records FailedScheduling, as
//! kube-scheduler does (`pkg/scheduler/schedule_one.go`).

use serde_json::{Value, json};

use super::{Api, Key, Source, record_event, res};
use crate::cluster::api::{UserInfo, WriteOptions};
use crate::cluster::scheduler::{self, Decision, Snapshot};

const SCHEDULER: Source<'static> = Source { component: "default-scheduler", host: None };

/// Pods kube-scheduler is responsible for: no node yet, not being deleted, and asking for the
/// default scheduler.
fn wants_scheduling(p: &Value) -> bool {
    p.pointer("/spec/nodeName").and_then(Value::as_str).is_none_or(str::is_empty)
        && p.pointer("/metadata/deletionTimestamp").is_none()
        && p.pointer("/spec/schedulerName").and_then(Value::as_str).is_none_or(|s| s == "default-scheduler")
        && !matches!(p.pointer("/status/phase").and_then(Value::as_str), Some("Succeeded" | "Failed"))
}

pub fn keys(api: &Api<'_>) -> Vec<Key> {
    super::keys_where(api, "pods", wants_scheduling)
}

fn snapshot<'a>(api: &'a Api<'_>) -> Snapshot<'a> {
    let list = |name: &str| -> Vec<&'a Value> { res(name).map(|r| api.cluster.store.list(r, None).collect()).unwrap_or_default() };
    Snapshot {
        nodes: list("nodes"),
        pods: list("pods"),
        pvcs: list("persistentvolumeclaims"),
        pvs: list("persistentvolumes"),
        storage_classes: list("storageclasses"),
        priority_classes: list("priorityclasses"),
    }
}

pub fn reconcile(api: &mut Api<'_>, key: &Key) {
    let Some(pods) = res("pods") else { return };
    let Some(pod) = api.cluster.store.get(pods, &key.namespace, &key.name).cloned() else { return };
    if !wants_scheduling(&pod) {
        return;
    }
    let decision = scheduler::schedule(&pod, &snapshot(api));
    let scheduler_user = UserInfo::impersonated("system:kube-scheduler", &[]);
    match decision {
        Decision::Bind { node } => {
            let Some(binding) = res("pods/binding") else { return };
            let body = json!({"apiVersion": "v1", "kind": "Binding", "metadata": {"name": key.name, "namespace": key.namespace},
                "target": {"apiVersion": "v1", "kind": "Node", "name": node}});
            if api.create_subresource(&scheduler_user, binding, Some(&key.namespace), &key.name, body, &WriteOptions::default()).is_err() {
                return;
            }
            let message = format!("Successfully assigned {}/{} to {node}", key.namespace, key.name);
            record_event(api, &pod, "Normal", "Scheduled", &message, &SCHEDULER, false);
        }
        Decision::Unschedulable { message } => {
            let current = super::condition(&pod, "PodScheduled");
            if current.and_then(|c| c.get("message")).and_then(Value::as_str) == Some(message.as_str()) {
                return;
            }
            let mut next = pod.clone();
            let cond = json!({"lastProbeTime": null, "lastTransitionTime": api.clock.rfc3339(), "message": message,
                "reason": "Unschedulable", "status": "False", "type": "PodScheduled"});
            next["status"]["phase"] = json!("Pending");
            next["status"]["conditions"] = json!([cond]);
            if next.pointer("/status/qosClass").is_none() {
                next["status"]["qosClass"] = json!(crate::cluster::kinds::pod::qos_class(&pod["spec"]));
            }
            let _ = api.update_status(&UserInfo::system(), pods, Some(&key.namespace), next, &WriteOptions::default());
            record_event(api, &pod, "Warning", "FailedScheduling", &message, &SCHEDULER, true);
        }
    }
}
