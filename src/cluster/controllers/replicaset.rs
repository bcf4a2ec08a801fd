//! The ReplicaSet controller (`pkg/controller/replicaset/replica_set.go`): adopts orphan pods
//! its selector matches, creates pods from the template (named by `generateName: <rs>-`, so the
//! API server adds the five-character suffix) or deletes the lowest-ranked ones until the active
//! pods match `spec.replicas`, and reports the counts in its status.

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

use super::{
    Api, Key, Source, controlled_by, controller_identity, controller_ref, meta_str, owner_ref, pod_active, pod_ready, record_event, res,
};
use crate::cluster::api::{DeleteOptions, WriteOptions};
use crate::cluster::selector::{from_label_selector_object, labels_of};

const NAME: &str = "replicaset-controller";
const SOURCE: Source<'static> = Source { component: NAME, host: None };

pub fn keys(api: &Api<'_>) -> Vec<Key> {
    super::all_keys(api, "replicasets")
}

/// The pods of `rs`: those it controls plus orphans its selector matches (adopted here).
fn claim_pods(api: &mut Api<'_>, rs: &Value) -> Vec<Value> {
    let Some(pods) = res("pods") else { return Vec::new() };
    let ns = meta_str(rs, "namespace").to_string();
    let uid = meta_str(rs, "uid").to_string();
    let selector = from_label_selector_object(rs.pointer("/spec/selector").unwrap_or(&Value::Null));
    let candidates: Vec<Value> = api.cluster.store.list(pods, Some(&ns)).cloned().collect();
    let mut out = Vec::new();
    for p in candidates {
        if controlled_by(&p, &uid) {
            out.push(p);
        } else if controller_ref(&p).is_none() && !selector.is_empty() && selector.matches(&labels_of(&p)) && pod_active(&p) {
            // Adoption (`ClaimPods`): the controller ref is added with a patch.
            let mut refs = p.pointer("/metadata/ownerReferences").and_then(Value::as_array).cloned().unwrap_or_default();
            refs.push(owner_ref(rs));
            let patch = json!({"metadata": {"ownerReferences": refs, "uid": meta_str(&p, "uid")}});
            let user = controller_identity(NAME);
            if let Ok(adopted) = api.patch(
                &user,
                pods,
                Some(&ns),
                meta_str(&p, "name"),
                crate::cluster::PatchType::Strategic,
                &patch,
                &WriteOptions::default(),
            ) {
                out.push(adopted);
            }
        }
    }
    out
}

fn creation(p: &Value) -> &str {
    meta_str(p, "creationTimestamp")
}

/// The order pods are deleted in on scale-down (`controller.ActivePodsWithRanks.Less`): first
/// unscheduled, then pending before unknown before running, not ready before ready, more pods of
/// the same owner on its node, ready for less time, more restarts, newer.
fn deletion_order(a: &(Value, usize), b: &(Value, usize)) -> Ordering {
    let (pa, ra) = a;
    let (pb, rb) = b;
    let assigned = |p: &Value| p.pointer("/spec/nodeName").and_then(Value::as_str).is_some_and(|n| !n.is_empty());
    let phase_rank = |p: &Value| match p.pointer("/status/phase").and_then(Value::as_str) {
        Some("Pending") | None => 0,
        Some("Unknown") => 1,
        Some("Running") => 2,
        _ => 3,
    };
    let ready_since = |p: &Value| {
        super::condition(p, "Ready").and_then(|c| c.get("lastTransitionTime")).and_then(Value::as_str).unwrap_or_default().to_string()
    };
    let restarts = |p: &Value| {
        p.pointer("/status/containerStatuses")
            .and_then(Value::as_array)
            .map(|cs| cs.iter().filter_map(|c| c.get("restartCount").and_then(Value::as_i64)).max().unwrap_or(0))
            .unwrap_or(0)
    };
    assigned(pa)
        .cmp(&assigned(pb))
        .then(phase_rank(pa).cmp(&phase_rank(pb)))
        .then(pod_ready(pa).cmp(&pod_ready(pb)))
        .then(rb.cmp(ra))
        .then_with(|| if pod_ready(pa) && pod_ready(pb) { ready_since(pb).cmp(&ready_since(pa)) } else { Ordering::Equal })
        .then(restarts(pb).cmp(&restarts(pa)))
        .then(creation(pb).cmp(creation(pa)))
        .then(meta_str(pb, "name").cmp(meta_str(pa, "name")))
}

/// The pods to delete to go down by `n`, ranked by how many of the set share their node.
pub fn pods_to_delete(active: &[Value], n: usize) -> Vec<Value> {
    let node = |p: &Value| p.pointer("/spec/nodeName").and_then(Value::as_str).unwrap_or_default().to_string();
    let mut ranked: Vec<(Value, usize)> = active
        .iter()
        .map(|p| {
            let n = node(p);
            let same = if n.is_empty() { 0 } else { active.iter().filter(|q| node(q) == n).count() };
            (p.clone(), same)
        })
        .collect();
    ranked.sort_by(deletion_order);
    ranked.into_iter().take(n).map(|(p, _)| p).collect()
}

/// The pod the controller creates from the template (`controller.GetPodFromTemplate`).
fn pod_from_template(rs: &Value) -> Value {
    let template = rs.pointer("/spec/template").cloned().unwrap_or(json!({}));
    let mut meta = Map::new();
    meta.insert("generateName".into(), json!(format!("{}-", meta_str(rs, "name"))));
    for key in ["labels", "annotations", "finalizers"] {
        if let Some(v) = template.pointer(&format!("/metadata/{key}")) {
            meta.insert(key.into(), v.clone());
        }
    }
    meta.insert("ownerReferences".into(), json!([owner_ref(rs)]));
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": Value::Object(meta), "spec": template.get("spec").cloned().unwrap_or(json!({}))})
}

pub fn reconcile(api: &mut Api<'_>, key: &Key) {
    let (Some(rs_res), Some(pods)) = (res("replicasets"), res("pods")) else { return };
    let Some(rs) = api.cluster.store.get(rs_res, &key.namespace, &key.name).cloned() else { return };
    if rs.pointer("/metadata/deletionTimestamp").is_some() {
        return;
    }
    let user = controller_identity(NAME);
    let active: Vec<Value> = claim_pods(api, &rs).into_iter().filter(pod_active).collect();
    let mut failure: Option<String> = None;
    let want = rs.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(1).max(0) as usize;
    if active.len() < want {
        for _ in active.len()..want {
            match api.create(&user, pods, Some(&key.namespace), pod_from_template(&rs), &WriteOptions::default()) {
                Ok(p) => {
                    let msg = format!("Created pod: {}", meta_str(&p, "name"));
                    record_event(api, &rs, "Normal", "SuccessfulCreate", &msg, &SOURCE, false);
                }
                Err(e) => {
                    // A refused create (quota, admission, an invalid template) stops this sync; the
                    // warning stays one event however often the loop retries.
                    record_event(api, &rs, "Warning", "FailedCreate", &format!("Error creating: {}", e.message), &SOURCE, true);
                    failure = Some(e.message);
                    break;
                }
            }
        }
    } else if active.len() > want {
        for p in pods_to_delete(&active, active.len() - want) {
            let name = meta_str(&p, "name").to_string();
            if api.delete(&user, pods, Some(&key.namespace), &name, &DeleteOptions::default()).is_ok() {
                record_event(api, &rs, "Normal", "SuccessfulDelete", &format!("Deleted pod: {name}"), &SOURCE, false);
            }
        }
    }
    update_status(api, &key.namespace, &key.name, failure);
}

/// `calculateStatus`: counts over the active pods the ReplicaSet controls now.
/// A failed create sets the ReplicaFailure condition (reason FailedCreate); a sync without
/// error clears it.
fn update_status(api: &mut Api<'_>, ns: &str, name: &str, failure: Option<String>) {
    let (Some(rs_res), Some(pods)) = (res("replicasets"), res("pods")) else { return };
    let Some(rs) = api.cluster.store.get(rs_res, ns, name).cloned() else { return };
    let uid = meta_str(&rs, "uid");
    let template_labels = crate::cluster::selector::string_map(rs.pointer("/spec/template/metadata/labels"));
    let mine: Vec<&Value> = api.cluster.store.list(pods, Some(ns)).filter(|p| controlled_by(p, uid) && pod_active(p)).collect();
    let fully = mine.iter().filter(|p| template_labels.iter().all(|(k, v)| labels_of(p).get(k) == Some(v))).count();
    let ready = mine.iter().filter(|p| pod_ready(p)).count();
    let min_ready = rs.pointer("/spec/minReadySeconds").and_then(Value::as_i64).unwrap_or(0);
    let available = mine.iter().filter(|p| available_at(p, min_ready, api.clock.now)).count();
    let mut status = Map::new();
    status.insert("replicas".into(), json!(mine.len()));
    for (k, v) in [("fullyLabeledReplicas", fully), ("readyReplicas", ready), ("availableReplicas", available)] {
        if v > 0 {
            status.insert(k.into(), json!(v));
        }
    }
    if let Some(g) = rs.pointer("/metadata/generation") {
        status.insert("observedGeneration".into(), g.clone());
    }
    let mut conds: Vec<Value> = rs.pointer("/status/conditions").and_then(Value::as_array).cloned().unwrap_or_default();
    let has_failure = conds.iter().any(|c| c["type"] == "ReplicaFailure");
    match failure {
        Some(message) if !has_failure => conds.push(json!({"lastTransitionTime": api.clock.rfc3339(), "message": message,
            "reason": "FailedCreate", "status": "True", "type": "ReplicaFailure"})),
        None if has_failure => conds.retain(|c| c["type"] != "ReplicaFailure"),
        _ => {}
    }
    if !conds.is_empty() {
        status.insert("conditions".into(), Value::Array(conds));
    }
    let status = Value::Object(status);
    if rs.get("status") == Some(&status) {
        return;
    }
    let mut next = rs.clone();
    next["status"] = status;
    let _ = api.update_status(&controller_identity(NAME), rs_res, Some(ns), next, &WriteOptions::default());
}

/// Whether a pod has been ready for `min_ready` seconds at `now` (`podutil.IsPodAvailable`).
pub fn available_at(p: &Value, min_ready: i64, now: i64) -> bool {
    if !pod_ready(p) {
        return false;
    }
    if min_ready <= 0 {
        return true;
    }
    super::condition(p, "Ready")
        .and_then(|c| c.get("lastTransitionTime"))
        .and_then(Value::as_str)
        .and_then(crate::world::clock::parse_rfc3339)
        .is_some_and(|t| t + min_ready <= now)
}
