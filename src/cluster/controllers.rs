//! The settle loop: what the controllers, the scheduler and the kubelets do in the seconds after
//! a command, run to a fixed point.
//!
//! Each controller lists the keys of the objects it watches (its work queue, in store order so
//! it is deterministic) and reconciles them one at a time through the [`Api`] with its own
//! identity, so defaulting, admission and RBAC apply to what it writes as they do to kubectl.
//! A round runs every controller in a fixed order; rounds repeat until one leaves the store's
//! revision where it was, and stop after [`MAX_ROUNDS`] whatever happens, so a controller that
//! keeps writing cannot hang the shell.

pub mod daemonset;
pub mod deployment;
pub mod endpoints;
pub mod endpointslice;
mod md5;
pub mod namespace;
pub mod pv_protection;
pub mod pvc_protection;
pub mod replicaset;
pub mod scheduling;
pub mod service_endpoints;

use std::collections::VecDeque;

use serde_json::{Value, json};

use super::api::{Api, UserInfo, WriteOptions};
use super::{Registry, ResourceInfo};

/// Rounds after which settling stops even if the controllers still write (a real cluster would
/// keep going; a learner's shell must not). A rolling update moves by maxSurge pods about every
/// two rounds (status reaches the deployment one round after the kubelet starts a pod), so this
/// leaves room for a maxSurge=1 rollout of some eighty replicas.
pub const MAX_ROUNDS: usize = 200;

/// An object a controller was asked to look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub namespace: String,
    pub name: String,
}

/// One control loop: the keys it queues each round, what it does with one of them, and when it
/// next has something to do because time passed.
pub struct Controller {
    pub name: &'static str,
    pub keys: fn(&Api<'_>) -> Vec<Key>,
    pub reconcile: fn(&mut Api<'_>, &Key),
    /// The earliest simulated time (Unix seconds, later than now) at which this loop would act
    /// without any write to wake it: a CronJob's next schedule, a Job's deadline, a back-off
    /// ending. [`World::advance`](crate::world::World::advance) stops the clock there and
    /// settles, so time-driven behaviour happens in order while a learner sleeps.
    pub wake: fn(&Api<'_>) -> Option<i64>,
}

/// For the loops only writes wake.
pub fn never(_: &Api<'_>) -> Option<i64> {
    None
}

/// The earliest wake-up any loop asks for after the clock's current second.
pub fn next_wake(api: &Api<'_>) -> Option<i64> {
    let now = api.clock.now;
    controllers().iter().filter_map(|c| (c.wake)(api)).filter(|t| *t > now).min()
}

/// The loops, in the order each round runs them: owners before what they own, so a deployment
/// change reaches its pods within one round.
pub fn controllers() -> &'static [Controller] {
    &[
        Controller { name: "namespace-controller", keys: namespace::keys, reconcile: namespace::reconcile, wake: never },
        Controller { name: "pvc-protection-controller", keys: pvc_protection::keys, reconcile: pvc_protection::reconcile, wake: never },
        Controller { name: "pv-protection-controller", keys: pv_protection::keys, reconcile: pv_protection::reconcile, wake: never },
        Controller { name: "deployment-controller", keys: deployment::keys, reconcile: deployment::reconcile, wake: never },
        Controller { name: "replicaset-controller", keys: replicaset::keys, reconcile: replicaset::reconcile, wake: never },
        Controller { name: "daemonset-controller", keys: daemonset::keys, reconcile: daemonset::reconcile, wake: never },
        Controller { name: "endpoint-controller", keys: endpoints::keys, reconcile: endpoints::reconcile, wake: never },
        Controller { name: "endpointslice-controller", keys: endpointslice::keys, reconcile: endpointslice::reconcile, wake: never },
        Controller { name: "default-scheduler", keys: scheduling::keys, reconcile: scheduling::reconcile, wake: never },
        Controller { name: "kubelet", keys: crate::host::kubelet::keys, reconcile: crate::host::kubelet::reconcile, wake: crate::host::kubelet::wake },
    ]
}

/// Runs rounds of every controller until a round changes nothing (or [`MAX_ROUNDS`]).
/// Returns the number of rounds that changed something.
pub fn settle(api: &mut Api<'_>) -> usize {
    // Warnings answer the request that caused them; the controllers' own requests (a pod
    // create Pod Security warns about) have no client to print them, so they are dropped and
    // the learner's pending ones kept.
    let pending = api.cluster.warnings.take();
    let rounds = run_rounds(api);
    api.cluster.warnings.take();
    api.cluster.warnings.extend(pending);
    rounds
}

fn run_rounds(api: &mut Api<'_>) -> usize {
    for round in 0..MAX_ROUNDS {
        let before = api.cluster.store.revision;
        for c in controllers() {
            let mut queue: VecDeque<Key> = (c.keys)(api).into();
            while let Some(key) = queue.pop_front() {
                (c.reconcile)(api, &key);
            }
        }
        if api.cluster.store.revision == before {
            return round;
        }
    }
    MAX_ROUNDS
}

pub(crate) fn res(name: &str) -> Option<&'static ResourceInfo> {
    Registry::builtin_resource(name)
}

/// The identity kube-controller-manager gives one controller (kubeadm runs it with
/// `--use-service-account-credentials`, so each loop has its own service account, bound by the
/// bootstrap policy to `system:controller:<name>`).
pub fn controller_identity(name: &str) -> UserInfo {
    UserInfo::impersonated(&format!("system:serviceaccount:kube-system:{name}"), &[])
}

/// `metadata.<field>` as a string, or "".
pub fn meta_str<'v>(obj: &'v Value, field: &str) -> &'v str {
    obj.get("metadata").and_then(|m| m.get(field)).and_then(Value::as_str).unwrap_or_default()
}

/// The keys of every object of a resource (all namespaces), in store order.
pub fn all_keys(api: &Api<'_>, resource: &str) -> Vec<Key> {
    keys_where(api, resource, |_| true)
}

/// The keys of the objects of a resource (all namespaces) that `keep` selects, in store order.
pub fn keys_where(api: &Api<'_>, resource: &str, keep: impl Fn(&Value) -> bool) -> Vec<Key> {
    let Some(r) = res(resource) else { return Vec::new() };
    api.cluster
        .store
        .list(r, None)
        .filter(|o| keep(o))
        .map(|o| Key { namespace: meta_str(o, "namespace").to_string(), name: meta_str(o, "name").to_string() })
        .collect()
}

/// The protection controllers' shared step: a deleted object of `resource` goes once no
/// finalizer holds it any more (`Api::keeps_for_finalizers` knows who still uses it).
pub fn release_deleted(api: &mut Api<'_>, resource: &str, key: &Key) {
    let Some(r) = res(resource) else { return };
    let Some(obj) = api.cluster.store.get(r, &key.namespace, &key.name) else { return };
    if is_deleting(obj) && !api.keeps_for_finalizers(r, &key.namespace, obj) {
        api.cluster.store.remove(r, &key.namespace, &key.name);
    }
}

/// Whether an object carries a deletionTimestamp.
pub fn is_deleting(obj: &Value) -> bool {
    obj.pointer("/metadata/deletionTimestamp").is_some()
}

/// Whether `obj` is controlled by the object with `uid` (an owner reference with controller: true).
pub fn controlled_by(obj: &Value, uid: &str) -> bool {
    controller_ref(obj).is_some_and(|r| r.get("uid").and_then(Value::as_str) == Some(uid))
}

/// The controller owner reference of `obj`, if any.
pub fn controller_ref(obj: &Value) -> Option<&Value> {
    obj.pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)?
        .iter()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
}

/// The owner reference a controller puts on what it creates (`metav1.NewControllerRef`).
pub fn owner_ref(owner: &Value) -> Value {
    json!({"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": owner["metadata"]["name"], "uid": owner["metadata"]["uid"],
        "controller": true, "blockOwnerDeletion": true})
}

/// Whether a pod counts for its controller: not finished and not being deleted
/// (`controller.IsPodActive`).
pub fn pod_active(p: &Value) -> bool {
    !matches!(p.pointer("/status/phase").and_then(Value::as_str), Some("Succeeded" | "Failed"))
        && p.pointer("/metadata/deletionTimestamp").is_none()
}

/// A condition of an object's status by type.
pub fn condition<'v>(obj: &'v Value, ty: &str) -> Option<&'v Value> {
    obj.pointer("/status/conditions")?.as_array()?.iter().find(|c| c.get("type").and_then(Value::as_str) == Some(ty))
}

/// Whether the pod's Ready condition is True (`podutil.IsPodReady`).
pub fn pod_ready(p: &Value) -> bool {
    condition(p, "Ready").and_then(|c| c.get("status")).and_then(Value::as_str) == Some("True")
}

/// Who reports an event: the component and, for kubelets, the node.
pub struct Source<'a> {
    pub component: &'a str,
    pub host: Option<&'a str>,
}

/// Records a core/v1 Event about `involved`, as client-go's event recorder does: named
/// `<object>.<hex nanoseconds>`. Time does not pass inside a settle, so the nanoseconds are the
/// clock's second plus the store revision (then a seeded jitter): names stay unique and
/// reproducible, and sort in the order the events happened, as real ones do. With `once`, an identical event (same object, reason
/// and message) already recorded is left alone, so a condition that persists across rounds does
/// not keep the loop writing.
pub fn record_event(api: &mut Api<'_>, involved: &Value, ty: &str, reason: &str, message: &str, source: &Source<'_>, once: bool) {
    let Some(events) = res("events") else { return };
    let ns = match meta_str(involved, "namespace") {
        "" => "default".to_string(),
        n => n.to_string(),
    };
    let uid = meta_str(involved, "uid").to_string();
    if once
        && api.cluster.store.list(events, Some(&ns)).any(|e| {
            e.pointer("/involvedObject/uid").and_then(Value::as_str) == Some(uid.as_str())
                && e.get("reason").and_then(Value::as_str) == Some(reason)
                && e.get("message").and_then(Value::as_str) == Some(message)
        })
    {
        return;
    }
    let nanos = (api.clock.now as u64)
        .wrapping_mul(1_000_000_000)
        .wrapping_add((api.cluster.store.revision % 1_000_000) * 1000 + api.rng.below(1000));
    let now = api.clock.rfc3339();
    let mut involved_ref = json!({"apiVersion": involved["apiVersion"], "kind": involved["kind"], "name": involved["metadata"]["name"],
        "namespace": involved["metadata"]["namespace"], "resourceVersion": involved["metadata"]["resourceVersion"], "uid": uid});
    if involved.pointer("/metadata/namespace").is_none()
        && let Some(o) = involved_ref.as_object_mut()
    {
        o.remove("namespace");
    }
    let mut src = json!({"component": source.component});
    if let Some(h) = source.host {
        src["host"] = json!(h);
    }
    let body = json!({"apiVersion": "v1", "kind": "Event",
        "metadata": {"name": format!("{}.{nanos:x}", meta_str(involved, "name")), "namespace": ns},
        "involvedObject": involved_ref, "reason": reason, "message": message, "source": src,
        "firstTimestamp": now, "lastTimestamp": now, "count": 1, "type": ty, "eventTime": null,
        "reportingComponent": source.component, "reportingInstance": source.host.unwrap_or_default()});
    // Events are best effort in client-go too: a refused event never stops a controller.
    let _ = api.create(&UserInfo::system(), events, Some(&ns), body, &WriteOptions::default());
}

#[cfg(test)]
mod tests;
