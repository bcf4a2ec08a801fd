//! The Deployment controller (`pkg/controller/deployment`): finds or creates the ReplicaSet for
//! the current pod template (`<deployment>-<pod-template-hash>`), rolls pods over from the old
//! ReplicaSets (RollingUpdate honouring maxSurge/maxUnavailable, or Recreate), keeps at most
//! `revisionHistoryLimit` old ReplicaSets, and reports status, conditions and the
//! `ScalingReplicaSet` events a real cluster shows.

use serde_json::{Map, Value, json};

use super::{Api, Key, Source, controlled_by, controller_identity, meta_str, owner_ref, pod_active, res};
use crate::cluster::api::{DeleteOptions, WriteOptions};

const NAME: &str = "deployment-controller";
const SOURCE: Source<'static> = Source { component: NAME, host: None };
const HASH_LABEL: &str = "pod-template-hash";
const REVISION: &str = "deployment.kubernetes.io/revision";
const DESIRED: &str = "deployment.kubernetes.io/desired-replicas";
const MAX: &str = "deployment.kubernetes.io/max-replicas";
const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";

pub fn keys(api: &Api<'_>) -> Vec<Key> {
    super::all_keys(api, "deployments")
}

// ---- the pod-template hash ----------------------------------------------------------------

/// `controller.ComputeHash`: the 32-bit FNV-1a hash of the pod template (plus the collision
/// count), rendered in decimal and passed through `rand.SafeEncodeString`. Kubernetes hashes a
/// `spew` dump of the Go struct, which cannot be reproduced outside Go; this hashes the
/// template's canonical JSON (keys sorted) instead, so the hash is a deterministic function of
/// the template with the same shape (`5d7b8b7d4` style) as the real one.
pub fn template_hash(template: &Value, collision_count: Option<i64>) -> String {
    let mut text = String::new();
    canonical(template, &mut text);
    let mut h: u32 = 0x811c_9dc5;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            h ^= u32::from(*b);
            h = h.wrapping_mul(0x0100_0193);
        }
    };
    feed(text.as_bytes());
    if let Some(c) = collision_count {
        feed(&(c as u32).to_le_bytes());
    }
    safe_encode(&h.to_string())
}

/// `rand.SafeEncodeString`: each byte mapped through the name-suffix alphabet, so hashes never
/// spell words.
pub fn safe_encode(s: &str) -> String {
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    s.bytes().map(|b| ALPHANUMS[usize::from(b) % ALPHANUMS.len()] as char).collect()
}

fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                canonical(&m[k.as_str()], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The template without the `pod-template-hash` label (`EqualIgnoreHash`).
fn without_hash(template: &Value) -> Value {
    let mut t = template.clone();
    if let Some(labels) = t.pointer_mut("/metadata/labels").and_then(Value::as_object_mut) {
        labels.remove(HASH_LABEL);
        if labels.is_empty()
            && let Some(meta) = t.get_mut("metadata").and_then(Value::as_object_mut)
        {
            meta.remove("labels");
        }
    }
    t
}

// ---- numbers --------------------------------------------------------------------------------

fn replicas_of(obj: &Value) -> i64 {
    obj.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(1)
}

fn status_num(obj: &Value, field: &str) -> i64 {
    obj.pointer(&format!("/status/{field}")).and_then(Value::as_i64).unwrap_or(0)
}

/// An int-or-percent of `total` (`intstr.GetScaledValueFromIntOrPercent`).
fn scaled(v: Option<&Value>, total: i64, round_up: bool, default: &str) -> i64 {
    let text = match v {
        Some(Value::Number(n)) => return n.as_i64().unwrap_or(0),
        Some(Value::String(s)) => s.clone(),
        _ => default.to_string(),
    };
    match text.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) {
        Some(pct) if round_up => (pct * total + 99) / 100,
        Some(pct) => pct * total / 100,
        None => text.parse().unwrap_or(0),
    }
}

fn rolling(d: &Value) -> bool {
    d.pointer("/spec/strategy/type").and_then(Value::as_str).unwrap_or("RollingUpdate") == "RollingUpdate"
}

/// `ResolveFenceposts`: (maxSurge, maxUnavailable), never both zero.
fn fenceposts(d: &Value) -> (i64, i64) {
    let r = replicas_of(d);
    let surge = scaled(d.pointer("/spec/strategy/rollingUpdate/maxSurge"), r, true, "25%");
    let unavailable = scaled(d.pointer("/spec/strategy/rollingUpdate/maxUnavailable"), r, false, "25%");
    if surge == 0 && unavailable == 0 { (0, 1) } else { (surge, unavailable) }
}

fn max_surge(d: &Value) -> i64 {
    if rolling(d) { fenceposts(d).0 } else { 0 }
}

fn max_unavailable(d: &Value) -> i64 {
    let r = replicas_of(d);
    if !rolling(d) || r == 0 {
        return 0;
    }
    fenceposts(d).1.min(r)
}

fn revision(rs: &Value) -> i64 {
    rs.pointer(&format!("/metadata/annotations/{}", REVISION.replace('/', "~1")))
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn spec_sum(rss: &[Value]) -> i64 {
    rss.iter().map(|r| replicas_of(r).max(0)).sum()
}

// ---- writes ---------------------------------------------------------------------------------

fn event(api: &mut Api<'_>, d: &Value, message: &str) {
    super::record_event(api, d, "Normal", "ScalingReplicaSet", message, &SOURCE, false);
}

/// Sets the replica annotations a ReplicaSet of this deployment carries; true when any changed.
fn set_replica_annotations(rs: &mut Value, d: &Value) -> bool {
    let desired = replicas_of(d).to_string();
    let max = (replicas_of(d) + max_surge(d)).to_string();
    let meta = rs.as_object_mut().map(|o| crate::cluster::kinds::child(o, "metadata"));
    let Some(meta) = meta else { return false };
    let ann = crate::cluster::kinds::child(meta, "annotations");
    let mut changed = false;
    for (k, v) in [(DESIRED, desired), (MAX, max)] {
        if ann.get(k).and_then(Value::as_str) != Some(v.as_str()) {
            ann.insert(k.into(), json!(v));
            changed = true;
        }
    }
    changed
}

/// `scaleReplicaSetAndRecordEvent`: scales `rs` to `to` and records the event; answers the
/// ReplicaSet as stored.
fn scale(api: &mut Api<'_>, d: &Value, rs: &Value, to: i64) -> Option<Value> {
    let from = replicas_of(rs);
    if from == to {
        return None;
    }
    let rs_res = res("replicasets")?;
    let mut next = rs.clone();
    next["spec"]["replicas"] = json!(to);
    set_replica_annotations(&mut next, d);
    let stored = api.update(&controller_identity(NAME), rs_res, Some(meta_str(rs, "namespace")), next, &WriteOptions::default()).ok()?;
    let dir = if to > from { "up" } else { "down" };
    event(api, d, &format!("Scaled {dir} replica set {} to {to} from {from}", meta_str(rs, "name")));
    Some(stored)
}

/// The deployment's ReplicaSets, oldest first (`ReplicaSetsByCreationTimestamp`).
fn replica_sets(api: &Api<'_>, d: &Value) -> Vec<Value> {
    let Some(rs_res) = res("replicasets") else { return Vec::new() };
    let uid = meta_str(d, "uid");
    let mut out: Vec<Value> =
        api.cluster.store.list(rs_res, Some(meta_str(d, "namespace"))).filter(|r| controlled_by(r, uid)).cloned().collect();
    out.sort_by(|a, b| {
        meta_str(a, "creationTimestamp").cmp(meta_str(b, "creationTimestamp")).then(meta_str(a, "name").cmp(meta_str(b, "name")))
    });
    out
}

/// Creates the ReplicaSet for the deployment's current template (`getNewReplicaSet`).
fn create_new_rs(api: &mut Api<'_>, d: &Value, old: &[Value], replicas: i64) -> Option<Value> {
    let rs_res = res("replicasets")?;
    let ns = meta_str(d, "namespace").to_string();
    let template = d.pointer("/spec/template").cloned().unwrap_or(json!({}));
    let collisions = d.pointer("/status/collisionCount").and_then(Value::as_i64);
    let hash = template_hash(&template, collisions);
    let mut new_template = template.clone();
    new_template["metadata"]["labels"][HASH_LABEL] = json!(hash);
    let mut selector = d.pointer("/spec/selector").cloned().unwrap_or(json!({}));
    selector["matchLabels"][HASH_LABEL] = json!(hash);
    let mut annotations = Map::new();
    // The deployment's own annotations are copied, except the ones that describe it alone.
    if let Some(a) = d.pointer("/metadata/annotations").and_then(Value::as_object) {
        for (k, v) in a {
            if !skip_copy(k) {
                annotations.insert(k.clone(), v.clone());
            }
        }
    }
    let rev = old.iter().map(revision).max().unwrap_or(0) + 1;
    annotations.insert(REVISION.into(), json!(rev.to_string()));
    let name = format!("{}-{hash}", meta_str(d, "name"));
    let mut body = json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": ns, "labels": new_template["metadata"]["labels"].clone(), "annotations": Value::Object(annotations), "ownerReferences": [owner_ref(d)]},
        "spec": {"replicas": replicas, "minReadySeconds": d.pointer("/spec/minReadySeconds").cloned().unwrap_or(json!(0)), "selector": selector, "template": new_template}});
    set_replica_annotations(&mut body, d);
    match api.create(&controller_identity(NAME), rs_res, Some(&ns), body, &WriteOptions::default()) {
        Ok(rs) => {
            if replicas > 0 {
                event(api, d, &format!("Scaled up replica set {name} to {replicas}"));
            }
            Some(rs)
        }
        Err(e) if e.reason == crate::cluster::Reason::AlreadyExists => {
            // A hash collision with a ReplicaSet of another template: bump collisionCount and
            // retry on the next round with a different hash.
            let deployments = res("deployments")?;
            let mut next = d.clone();
            next["status"]["collisionCount"] = json!(collisions.unwrap_or(0) + 1);
            let _ = api.update_status(&controller_identity(NAME), deployments, Some(&ns), next, &WriteOptions::default());
            None
        }
        Err(_) => None,
    }
}

/// Annotations a deployment keeps to itself (`skipCopyAnnotation`).
fn skip_copy(key: &str) -> bool {
    matches!(
        key,
        "kubectl.kubernetes.io/last-applied-configuration"
            | REVISION
            | DESIRED
            | MAX
            | REVISION_HISTORY
            | "deprecated.deployment.rollback.to"
    )
}

/// `SetNewReplicaSetAnnotations` for an existing new ReplicaSet: the deployment's annotations
/// copied over (a change-cause set after the rollout reaches its ReplicaSet), the revision raised
/// to `want` when lower, and a ReplicaSet rolled back to keeps its earlier numbers in
/// `deployment.kubernetes.io/revision-history`. True when anything changed.
fn set_new_rs_annotations(rs: &mut Value, d: &Value, want: i64) -> bool {
    let Some(meta) = rs.as_object_mut().map(|o| crate::cluster::kinds::child(o, "metadata")) else { return false };
    let ann = crate::cluster::kinds::child(meta, "annotations");
    let mut changed = false;
    if let Some(from) = d.pointer("/metadata/annotations").and_then(Value::as_object) {
        for (k, v) in from {
            if !skip_copy(k) && ann.get(k) != Some(v) {
                ann.insert(k.clone(), v.clone());
                changed = true;
            }
        }
    }
    let old = ann.get(REVISION).and_then(Value::as_str).map(str::to_string);
    let old_n = old.as_deref().and_then(|o| o.parse::<i64>().ok()).unwrap_or(0);
    if old_n < want {
        ann.insert(REVISION.into(), json!(want.to_string()));
        changed = true;
        if let Some(o) = old {
            // The controller's limit on this annotation is far beyond what a session reaches.
            let history = match ann.get(REVISION_HISTORY).and_then(Value::as_str).filter(|h| !h.is_empty()) {
                Some(h) => format!("{h},{o}"),
                None => o,
            };
            ann.insert(REVISION_HISTORY.into(), json!(history));
        }
    }
    changed
}

/// Brings the deployment's revision annotation (and the new ReplicaSet's) up to date.
fn sync_revision(api: &mut Api<'_>, d: &Value, new_rs: &Value, old: &[Value]) -> (Value, Value) {
    let (Some(rs_res), Some(dep_res)) = (res("replicasets"), res("deployments")) else { return (d.clone(), new_rs.clone()) };
    let ns = meta_str(d, "namespace").to_string();
    let user = controller_identity(NAME);
    let want = old.iter().map(revision).max().unwrap_or(0) + 1;
    let mut rs = new_rs.clone();
    let mut next = rs.clone();
    if set_new_rs_annotations(&mut next, d, want)
        && let Ok(s) = api.update(&user, rs_res, Some(&ns), next, &WriteOptions::default())
    {
        rs = s;
    }
    let rev = revision(&rs).to_string();
    let mut dep = d.clone();
    if d.pointer(&format!("/metadata/annotations/{}", REVISION.replace('/', "~1"))).and_then(Value::as_str) != Some(rev.as_str()) {
        let mut next = d.clone();
        next["metadata"]["annotations"][REVISION] = json!(rev);
        if let Ok(s) = api.update(&user, dep_res, Some(&ns), next, &WriteOptions::default()) {
            dep = s;
        }
    }
    (dep, rs)
}

// ---- the sync -------------------------------------------------------------------------------

pub fn reconcile(api: &mut Api<'_>, key: &Key) {
    let Some(dep_res) = res("deployments") else { return };
    let Some(d) = api.cluster.store.get(dep_res, &key.namespace, &key.name).cloned() else { return };
    if d.pointer("/metadata/deletionTimestamp").is_some() {
        return;
    }
    let all = replica_sets(api, &d);
    let template = d.pointer("/spec/template").cloned().unwrap_or(json!({}));
    let template = without_hash(&template);
    let new_rs = all.iter().find(|r| without_hash(r.pointer("/spec/template").unwrap_or(&Value::Null)) == template).cloned();
    let old: Vec<Value> = all.iter().filter(|r| Some(meta_str(r, "uid")) != new_rs.as_ref().map(|n| meta_str(n, "uid"))).cloned().collect();
    if d.pointer("/spec/paused").and_then(Value::as_bool) == Some(true) {
        // A paused deployment still scales (`sync` → `scale`): with one active ReplicaSet
        // (or none: the newest) that one follows spec.replicas; no rollout happens.
        let active: Vec<&Value> = all.iter().filter(|r| replicas_of(r) > 0).collect();
        let target = match active.as_slice() {
            [one] => Some(*one),
            [] => new_rs.as_ref().or(all.last()),
            _ => None,
        };
        if let Some(rs) = target.cloned() {
            scale(api, &d, &rs, replicas_of(&d));
        }
        sync_status(api, &key.namespace, &key.name, None);
        return;
    }
    let created = if rolling(&d) { rollout_rolling(api, &d, new_rs, &old) } else { rollout_recreate(api, &d, new_rs, &old) };
    sync_status(api, &key.namespace, &key.name, created);
}

/// `rolloutRolling`: scale the new ReplicaSet up within maxSurge, the old ones down within
/// maxUnavailable. Answers the name of a ReplicaSet created by this sync.
fn rollout_rolling(api: &mut Api<'_>, d: &Value, new_rs: Option<Value>, old: &[Value]) -> Option<String> {
    let mut created = None;
    let (d, new_rs) = match new_rs {
        Some(rs) => sync_revision(api, d, &rs, old),
        None => {
            let want = new_rs_replicas(d, old, None);
            let rs = create_new_rs(api, d, old, want)?;
            created = Some(meta_str(&rs, "name").to_string());
            sync_revision(api, d, &rs, old)
        }
    };
    let replicas = replicas_of(&d);
    // reconcileNewReplicaSet
    let mut new_rs = new_rs;
    if replicas_of(&new_rs) > replicas {
        if let Some(s) = scale(api, &d, &new_rs, replicas) {
            new_rs = s;
        }
    } else if replicas_of(&new_rs) < replicas {
        let want = new_rs_replicas(&d, old, Some(&new_rs));
        if let Some(s) = scale(api, &d, &new_rs, want) {
            new_rs = s;
        }
    }
    // reconcileOldReplicaSets
    let mut old: Vec<Value> = old.to_vec();
    let old_count = spec_sum(&old);
    if old_count > 0 {
        let all_count = old_count + replicas_of(&new_rs).max(0);
        let min_available = replicas - max_unavailable(&d);
        let new_unavailable = replicas_of(&new_rs) - status_num(&new_rs, "availableReplicas");
        let max_scaled_down = all_count - min_available - new_unavailable;
        if max_scaled_down > 0 {
            // cleanupUnhealthyReplicas: unavailable old pods go first.
            let mut cleaned = 0;
            for rs in old.iter_mut() {
                if cleaned >= max_scaled_down {
                    break;
                }
                let spec = replicas_of(rs);
                let unhealthy = spec - status_num(rs, "availableReplicas");
                if spec == 0 || unhealthy <= 0 {
                    continue;
                }
                let down = unhealthy.min(max_scaled_down - cleaned);
                if let Some(s) = scale(api, &d, rs, spec - down) {
                    *rs = s;
                    cleaned += down;
                }
            }
            // scaleDownOldReplicaSetsForRollingUpdate
            let available: i64 = old.iter().chain(std::iter::once(&new_rs)).map(|r| status_num(r, "availableReplicas")).sum();
            if available > min_available {
                let total = available - min_available;
                let mut done = 0;
                for rs in old.iter_mut() {
                    if done >= total {
                        break;
                    }
                    let spec = replicas_of(rs);
                    if spec == 0 {
                        continue;
                    }
                    let down = spec.min(total - done);
                    if let Some(s) = scale(api, &d, rs, spec - down) {
                        *rs = s;
                        done += down;
                    }
                }
            }
        }
    }
    if complete(&d) {
        cleanup(api, &d, &old);
    }
    created
}

/// `NewRSNewReplicas` for RollingUpdate: how far the new ReplicaSet may grow now.
fn new_rs_replicas(d: &Value, old: &[Value], new_rs: Option<&Value>) -> i64 {
    let replicas = replicas_of(d);
    if !rolling(d) {
        return replicas;
    }
    let new_spec = new_rs.map(replicas_of).unwrap_or(0);
    let current = spec_sum(old) + new_spec;
    let max_total = replicas + max_surge(d);
    if current >= max_total {
        return new_spec;
    }
    let up = (max_total - current).min(replicas - new_spec);
    new_spec + up.max(0)
}

/// `rolloutRecreate`: old ReplicaSets to zero, wait for their pods to go, then the new one up.
fn rollout_recreate(api: &mut Api<'_>, d: &Value, new_rs: Option<Value>, old: &[Value]) -> Option<String> {
    let mut scaled_down = false;
    for rs in old {
        if replicas_of(rs) > 0 && scale(api, d, rs, 0).is_some() {
            scaled_down = true;
        }
    }
    if scaled_down {
        return None;
    }
    let pods = res("pods")?;
    let ns = meta_str(d, "namespace");
    let old_running = old.iter().any(|rs| {
        let uid = meta_str(rs, "uid");
        api.cluster.store.list(pods, Some(ns)).any(|p| controlled_by(p, uid) && pod_active(p))
    });
    if old_running {
        return None;
    }
    let mut created = None;
    let (d, new_rs) = match new_rs {
        Some(rs) => sync_revision(api, d, &rs, old),
        None => {
            let rs = create_new_rs(api, d, old, replicas_of(d))?;
            created = Some(meta_str(&rs, "name").to_string());
            sync_revision(api, d, &rs, old)
        }
    };
    scale(api, &d, &new_rs, replicas_of(&d));
    if complete(&d) {
        cleanup(api, &d, old);
    }
    created
}

/// `DeploymentComplete` on the status as last written.
fn complete(d: &Value) -> bool {
    let r = replicas_of(d);
    status_num(d, "updatedReplicas") == r
        && status_num(d, "replicas") == r
        && status_num(d, "availableReplicas") == r
        && status_num(d, "observedGeneration") >= d.pointer("/metadata/generation").and_then(Value::as_i64).unwrap_or(0)
}

/// `cleanupDeployment`: old ReplicaSets with no pods beyond `revisionHistoryLimit` go, lowest
/// revision first.
fn cleanup(api: &mut Api<'_>, d: &Value, old: &[Value]) {
    let Some(rs_res) = res("replicasets") else { return };
    let limit = d.pointer("/spec/revisionHistoryLimit").and_then(Value::as_i64).unwrap_or(10).max(0) as usize;
    let mut idle: Vec<&Value> = old
        .iter()
        .filter(|r| replicas_of(r) == 0 && status_num(r, "replicas") == 0 && r.pointer("/metadata/deletionTimestamp").is_none())
        .collect();
    if idle.len() <= limit {
        return;
    }
    idle.sort_by_key(|r| (revision(r), meta_str(r, "creationTimestamp").to_string()));
    let n = idle.len() - limit;
    for rs in idle.into_iter().take(n) {
        let _ = api.delete(
            &controller_identity(NAME),
            rs_res,
            Some(meta_str(rs, "namespace")),
            meta_str(rs, "name"),
            &DeleteOptions::default(),
        );
    }
}

/// `SetDeploymentCondition`: an unchanged status and reason leaves the condition alone; a new
/// one replaces it at the end of the list, keeping lastTransitionTime when only the reason moved.
fn set_condition(conds: &mut Vec<Value>, ty: &str, status: &str, reason: &str, message: &str, now: &str) {
    let current = conds.iter().find(|c| c["type"] == ty).cloned();
    if let Some(c) = &current
        && c["status"] == status
        && c["reason"] == reason
    {
        return;
    }
    let transition = match &current {
        Some(c) if c["status"] == status => c["lastTransitionTime"].clone(),
        _ => json!(now),
    };
    conds.retain(|c| c["type"] != ty);
    conds.push(json!({"lastTransitionTime": transition, "lastUpdateTime": now, "message": message, "reason": reason, "status": status, "type": ty}));
}

/// `syncRolloutStatus`: counts over the ReplicaSets, Available and Progressing conditions.
fn sync_status(api: &mut Api<'_>, ns: &str, name: &str, created: Option<String>) {
    let Some(dep_res) = res("deployments") else { return };
    let Some(d) = api.cluster.store.get(dep_res, ns, name).cloned() else { return };
    let all = replica_sets(api, &d);
    let template = without_hash(d.pointer("/spec/template").unwrap_or(&Value::Null));
    let new_rs = all.iter().find(|r| without_hash(r.pointer("/spec/template").unwrap_or(&Value::Null)) == template);
    let sum = |f: &str| -> i64 { all.iter().map(|r| status_num(r, f)).sum() };
    let replicas = replicas_of(&d);
    let (total, ready, available) = (sum("replicas"), sum("readyReplicas"), sum("availableReplicas"));
    let updated = new_rs.map(|r| status_num(r, "replicas")).unwrap_or(0);
    let mut status = Map::new();
    if let Some(g) = d.pointer("/metadata/generation") {
        status.insert("observedGeneration".into(), g.clone());
    }
    for (k, v) in [("replicas", total), ("updatedReplicas", updated), ("readyReplicas", ready), ("availableReplicas", available)] {
        if v != 0 {
            status.insert(k.into(), json!(v));
        }
    }
    let unavailable = (replicas - available).max(0);
    if unavailable > 0 {
        status.insert("unavailableReplicas".into(), json!(unavailable));
    }
    let now = api.clock.rfc3339();
    let mut conds: Vec<Value> = d.pointer("/status/conditions").and_then(Value::as_array).cloned().unwrap_or_default();
    // getNewReplicaSet sets Progressing before calculateStatus sets Available, so a new
    // deployment lists Progressing first until its reason moves.
    if let (Some(rs), Some(c)) = (new_rs, created.as_deref())
        && meta_str(rs, "name") == c
    {
        set_condition(&mut conds, "Progressing", "True", "NewReplicaSetCreated", &format!("Created new replica set \"{c}\""), &now);
    }
    if available >= replicas - max_unavailable(&d) {
        set_condition(&mut conds, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", &now);
    } else {
        set_condition(
            &mut conds,
            "Available",
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.",
            &now,
        );
    }
    // `DeploymentProgressing`: more updated, ready or available pods, or fewer old ones.
    let old_status = |f: &str| status_num(&d, f);
    let progressing = updated > old_status("updatedReplicas")
        || total - updated < old_status("replicas") - old_status("updatedReplicas")
        || ready > old_status("readyReplicas")
        || available > old_status("availableReplicas");
    if d.pointer("/spec/paused").and_then(Value::as_bool) == Some(true) {
        set_condition(&mut conds, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", &now);
    } else if let Some(rs) = new_rs {
        let rs_name = meta_str(rs, "name");
        let old_pods: i64 = all.iter().filter(|r| meta_str(r, "uid") != meta_str(rs, "uid")).map(|r| status_num(r, "replicas")).sum();
        if updated == replicas && available == replicas && total == replicas && old_pods == 0 {
            let msg = format!("ReplicaSet \"{rs_name}\" has successfully progressed.");
            set_condition(&mut conds, "Progressing", "True", "NewReplicaSetAvailable", &msg, &now);
        } else if progressing {
            let msg = format!("ReplicaSet \"{rs_name}\" is progressing.");
            set_condition(&mut conds, "Progressing", "True", "ReplicaSetUpdated", &msg, &now);
        } else if conds.iter().all(|c| c["type"] != "Progressing") {
            set_condition(&mut conds, "Progressing", "True", "FoundNewReplicaSet", &format!("Found new replica set \"{rs_name}\""), &now);
        }
    }
    // The ReplicaSets' ReplicaFailure condition is mirrored on the deployment.
    let failure = all.iter().find_map(|r| super::condition(r, "ReplicaFailure").filter(|c| c["status"] == "True").cloned());
    match failure {
        Some(f) => {
            let (reason, message) = (f["reason"].as_str().unwrap_or_default(), f["message"].as_str().unwrap_or_default());
            set_condition(&mut conds, "ReplicaFailure", "True", reason, message, &now);
        }
        None => conds.retain(|c| c["type"] != "ReplicaFailure"),
    }
    if !conds.is_empty() {
        status.insert("conditions".into(), Value::Array(conds));
    }
    if let Some(c) = d.pointer("/status/collisionCount") {
        status.insert("collisionCount".into(), c.clone());
    }
    let status = Value::Object(status);
    if d.get("status") == Some(&status) {
        return;
    }
    let mut next = d.clone();
    next["status"] = status;
    let _ = api.update_status(&controller_identity(NAME), dep_res, Some(ns), next, &WriteOptions::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_deterministic_and_safe_encoded() {
        let t = json!({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}});
        let a = template_hash(&t, None);
        assert_eq!(a, template_hash(&t, None));
        assert!(a.chars().all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)));
        assert_ne!(a, template_hash(&t, Some(1)));
        let mut u = t.clone();
        u["spec"]["containers"][0]["image"] = json!("nginx:1.27");
        assert_ne!(a, template_hash(&u, None));
        // Digits map through bytes 48..57 mod 27: only 4-9, b, c, d and f appear.
        assert_eq!(safe_encode("0123456789"), "456789bcdf");
    }

    #[test]
    fn fenceposts_round_surge_up_and_unavailable_down() {
        let d = json!({"spec": {"replicas": 3}});
        assert_eq!(fenceposts(&d), (1, 0));
        let d =
            json!({"spec": {"replicas": 10, "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}}});
        assert_eq!(fenceposts(&d), (0, 1));
        assert_eq!(max_surge(&json!({"spec": {"replicas": 3, "strategy": {"type": "Recreate"}}})), 0);
    }
}
