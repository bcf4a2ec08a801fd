//! The DaemonSet controller (`pkg/controller/daemon`: daemon_controller.go, update.go,
//! util/daemonset_util.go): one pod per node that should run it (`NodeShouldRunDaemonPod`:
//! nodeSelector, required node affinity, NoSchedule/NoExecute taints against the template's
//! tolerations plus the defaults the controller adds), pinned with a `metadata.name` matchFields
//! affinity and left to the default scheduler to bind; ControllerRevisions `<ds>-<hash>` for
//! the templates it ran; RollingUpdate (maxUnavailable, maxSurge 0) and OnDelete updates; and the
//! status counts. The kubeadm addons (kube-proxy, calico-node) are seeded in the state this
//! controller keeps, so a fresh world does not change when it runs.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{Api, Key, Source, controlled_by, controller_identity, meta_str, owner_ref, record_event, res};
use crate::cluster::api::{DeleteOptions, WriteOptions};
use crate::cluster::kinds::daemonset::template_generation;
use crate::cluster::scheduler::{has_untolerated_taint, node_affinity_matches};

const NAME: &str = "daemon-set-controller";
const SOURCE: Source<'static> = Source { component: "daemonset-controller", host: None };
const HASH_LABEL: &str = "controller-revision-hash";
const GENERATION_LABEL: &str = "pod-template-generation";

pub fn keys(api: &Api<'_>) -> Vec<Key> {
    super::all_keys(api, "daemonsets")
}

/// `util.AddOrUpdateDaemonPodTolerations`: what every daemon pod tolerates.
fn add_default_tolerations(spec: &mut Map<String, Value>) {
    let host_network = spec.get("hostNetwork").and_then(Value::as_bool) == Some(true);
    let mut add = vec![
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];
    if host_network {
        add.push(("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    let list = spec.entry("tolerations").or_insert_with(|| json!([]));
    let Some(list) = list.as_array_mut() else { return };
    for (key, effect) in add {
        let t = json!({"effect": effect, "key": key, "operator": "Exists"});
        // `AddOrUpdateTolerationInPodSpec`: one matching key/operator/value/effect is replaced.
        let same = |x: &Value| ["key", "operator", "value", "effect"].iter().all(|f| x.get(*f) == t.get(*f));
        match list.iter_mut().find(|x| same(x)) {
            Some(x) => *x = t,
            None => list.push(t),
        }
    }
}

/// `NewPod`: the template as a pod on `node`, with the default tolerations (what the
/// predicates look at).
fn template_pod(ds: &Value) -> Value {
    let template = ds.pointer("/spec/template").cloned().unwrap_or(json!({}));
    let mut spec = template.get("spec").and_then(Value::as_object).cloned().unwrap_or_default();
    add_default_tolerations(&mut spec);
    json!({"metadata": template.get("metadata").cloned().unwrap_or(json!({})), "spec": Value::Object(spec)})
}

/// `NodeShouldRunDaemonPod`: (should run, should continue running).
fn should_run(pod: &Value, node: &Value) -> (bool, bool) {
    let want = pod.pointer("/spec/nodeName").and_then(Value::as_str).unwrap_or_default();
    if !want.is_empty() && want != meta_str(node, "name") {
        return (false, false);
    }
    if !node_affinity_matches(pod, node) {
        return (false, false);
    }
    if has_untolerated_taint(pod, node, &["NoSchedule", "NoExecute"]) {
        // Running daemon pods stay unless a NoExecute taint evicts them.
        return (false, !has_untolerated_taint(pod, node, &["NoExecute"]));
    }
    (true, true)
}

/// The node a daemon pod is for: its nodeName, else the matchFields term the controller set
/// (`util.GetTargetNodeName`).
fn target_node(pod: &Value) -> Option<String> {
    if let Some(n) = pod.pointer("/spec/nodeName").and_then(Value::as_str).filter(|n| !n.is_empty()) {
        return Some(n.to_string());
    }
    let terms = pod.pointer("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")?.as_array()?;
    terms.iter().find_map(|t| {
        t.get("matchFields")?.as_array()?.iter().find_map(|r| {
            (r.get("key")?.as_str()? == "metadata.name" && r.get("operator")?.as_str()? == "In")
                .then(|| r.get("values")?.as_array()?.first()?.as_str().map(str::to_string))?
        })
    })
}

// ---- history --------------------------------------------------------------------------------

/// The patch a ControllerRevision of this DaemonSet stores (`getPatch`).
fn revision_data(ds: &Value) -> Value {
    let mut template = ds.pointer("/spec/template").cloned().unwrap_or(json!({}));
    template["$patch"] = json!("replace");
    json!({"spec": {"template": template}})
}

fn revision_number(cr: &Value) -> i64 {
    cr.get("revision").and_then(Value::as_i64).unwrap_or(0)
}

fn histories(api: &Api<'_>, ds: &Value) -> Vec<Value> {
    let Some(crs) = res("controllerrevisions") else { return Vec::new() };
    let uid = meta_str(ds, "uid");
    let mut out: Vec<Value> =
        api.cluster.store.list(crs, Some(meta_str(ds, "namespace"))).filter(|c| controlled_by(c, uid)).cloned().collect();
    out.sort_by_key(revision_number);
    out
}

/// `constructHistory`: the ControllerRevision of the current template (created, or renumbered
/// past the others when a rollback made an old one current) and the old ones.
fn construct_history(api: &mut Api<'_>, ds: &Value) -> Option<(Value, Vec<Value>)> {
    let crs = res("controllerrevisions")?;
    let ns = meta_str(ds, "namespace").to_string();
    let user = controller_identity(NAME);
    let data = revision_data(ds);
    let all = histories(api, ds);
    let (cur, old): (Vec<Value>, Vec<Value>) = all.into_iter().partition(|c| c.get("data") == Some(&data));
    let max_old = old.iter().map(revision_number).max().unwrap_or(0);
    if let Some(cur) = cur.last() {
        if revision_number(cur) > max_old {
            return Some((cur.clone(), old));
        }
        let mut next = cur.clone();
        next["revision"] = json!(max_old + 1);
        let stored = api.update(&user, crs, Some(&ns), next, &WriteOptions::default()).ok()?;
        return Some((stored, old));
    }
    let collisions = ds.pointer("/status/collisionCount").and_then(Value::as_i64);
    let hash = super::deployment::template_hash(ds.pointer("/spec/template").unwrap_or(&Value::Null), collisions);
    let mut labels = ds.pointer("/spec/template/metadata/labels").cloned().unwrap_or(json!({}));
    labels[HASH_LABEL] = json!(hash);
    let mut meta =
        json!({"name": format!("{}-{hash}", meta_str(ds, "name")), "namespace": ns, "labels": labels, "ownerReferences": [owner_ref(ds)]});
    if let Some(a) = ds.pointer("/metadata/annotations") {
        meta["annotations"] = a.clone();
    }
    let body = json!({"apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": meta, "data": data, "revision": max_old + 1});
    match api.create(&user, crs, Some(&ns), body, &WriteOptions::default()) {
        Ok(cr) => Some((cr, old)),
        Err(e) if e.reason == crate::cluster::Reason::AlreadyExists => {
            // Another template hashed to this name: count the collision, retry next round.
            let dss = res("daemonsets")?;
            let mut next = ds.clone();
            next["status"]["collisionCount"] = json!(collisions.unwrap_or(0) + 1);
            let _ = api.update_status(&user, dss, Some(&ns), next, &WriteOptions::default());
            None
        }
        Err(_) => None,
    }
}

/// `cleanupHistory`: old revisions no live pod runs, beyond revisionHistoryLimit, oldest first.
fn cleanup_history(api: &mut Api<'_>, ds: &Value, old: &[Value], pods: &[Value]) {
    let Some(crs) = res("controllerrevisions") else { return };
    let limit = ds.pointer("/spec/revisionHistoryLimit").and_then(Value::as_i64).unwrap_or(10).max(0) as usize;
    let live: Vec<&str> =
        pods.iter().filter_map(|p| p.pointer("/metadata/labels").and_then(|l| l.get(HASH_LABEL)).and_then(Value::as_str)).collect();
    let idle: Vec<&Value> = old
        .iter()
        .filter(|c| {
            let hash = c.pointer("/metadata/labels").and_then(|l| l.get(HASH_LABEL)).and_then(Value::as_str).unwrap_or_default();
            !live.contains(&hash)
        })
        .collect();
    if idle.len() <= limit {
        return;
    }
    for cr in idle.iter().take(idle.len() - limit) {
        let _ =
            api.delete(&controller_identity(NAME), crs, Some(meta_str(cr, "namespace")), meta_str(cr, "name"), &DeleteOptions::default());
    }
}

// ---- pods -----------------------------------------------------------------------------------

/// `IsPodUpdated`: the revision hash or the template generation matches.
fn pod_updated(pod: &Value, hash: &str, generation: Option<i64>) -> bool {
    let label = |k: &str| pod.pointer("/metadata/labels").and_then(|l| l.get(k)).and_then(Value::as_str).unwrap_or_default().to_string();
    (!hash.is_empty() && label(HASH_LABEL) == hash) || generation.is_some_and(|g| label(GENERATION_LABEL) == g.to_string())
}

/// The pod to create for `node` (`CreatePodTemplate` + `ReplaceDaemonSetPodNodeNameNodeAffinity`).
fn new_pod(ds: &Value, node: &str, hash: &str) -> Value {
    let template = template_pod(ds);
    let mut meta = Map::new();
    meta.insert("generateName".into(), json!(format!("{}-", meta_str(ds, "name"))));
    let mut labels = template.pointer("/metadata/labels").cloned().unwrap_or(json!({}));
    labels[HASH_LABEL] = json!(hash);
    labels[GENERATION_LABEL] = json!(template_generation(ds).unwrap_or(1).to_string());
    meta.insert("labels".into(), labels);
    for key in ["annotations", "finalizers"] {
        if let Some(v) = template.pointer(&format!("/metadata/{key}")) {
            meta.insert(key.into(), v.clone());
        }
    }
    meta.insert("ownerReferences".into(), json!([owner_ref(ds)]));
    let mut spec = template.get("spec").cloned().unwrap_or(json!({}));
    let term = json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]);
    match spec.pointer_mut("/affinity/nodeAffinity").and_then(Value::as_object_mut) {
        Some(na) => {
            let required = na.entry("requiredDuringSchedulingIgnoredDuringExecution").or_insert_with(|| json!({}));
            required["nodeSelectorTerms"] = term;
        }
        None => {
            spec["affinity"]["nodeAffinity"] = json!({"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": term}});
        }
    }
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": Value::Object(meta), "spec": spec})
}

fn creation(p: &Value) -> (String, String) {
    (meta_str(p, "creationTimestamp").to_string(), meta_str(p, "name").to_string())
}

fn deleting(p: &Value) -> bool {
    super::is_deleting(p)
}

fn failed(p: &Value) -> bool {
    p.pointer("/status/phase").and_then(Value::as_str) == Some("Failed")
}

fn available(p: &Value, min_ready: i64, now: i64) -> bool {
    super::replicaset::available_at(p, min_ready, now)
}

/// RollingUpdate's `maxUnavailable` over the desired number (rounded up; never 0 with maxSurge 0).
fn max_unavailable(ds: &Value, desired: i64) -> i64 {
    let v = ds.pointer("/spec/updateStrategy/rollingUpdate/maxUnavailable");
    let n = match v {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(1),
        Some(Value::String(s)) => match s.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) {
            Some(pct) => (pct * desired + 99) / 100,
            None => s.parse().unwrap_or(1),
        },
        _ => 1,
    };
    if n == 0 { 1 } else { n }
}

pub fn reconcile(api: &mut Api<'_>, key: &Key) {
    let (Some(dss), Some(pods_res), Some(nodes_res)) = (res("daemonsets"), res("pods"), res("nodes")) else { return };
    let Some(ds) = api.cluster.store.get(dss, &key.namespace, &key.name).cloned() else { return };
    if super::is_deleting(&ds) {
        return;
    }
    let Some((cur, old)) = construct_history(api, &ds) else { return };
    let hash = cur.pointer("/metadata/labels").and_then(|l| l.get(HASH_LABEL)).and_then(Value::as_str).unwrap_or_default().to_string();
    let generation = template_generation(&ds);
    let uid = meta_str(&ds, "uid").to_string();
    let user = controller_identity(NAME);
    let nodes: Vec<Value> = api.cluster.store.list(nodes_res, None).cloned().collect();
    let pods: Vec<Value> = api.cluster.store.list(pods_res, Some(&key.namespace)).filter(|p| controlled_by(p, &uid)).cloned().collect();
    let mut by_node: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut orphaned = Vec::new();
    for p in &pods {
        match target_node(p) {
            Some(n) if nodes.iter().any(|x| meta_str(x, "name") == n) => by_node.entry(n).or_default().push(p.clone()),
            _ => orphaned.push(p.clone()),
        }
    }
    for list in by_node.values_mut() {
        list.sort_by_key(creation);
    }
    let template = template_pod(&ds);
    let mut create: Vec<String> = Vec::new();
    let mut delete: Vec<Value> = orphaned.into_iter().filter(|p| !deleting(p)).collect();
    // manage → podsShouldBeOnNode
    for node in &nodes {
        let name = meta_str(node, "name").to_string();
        let (run, keep) = should_run(&template, node);
        let on_node = by_node.get(&name).cloned().unwrap_or_default();
        if run && on_node.is_empty() {
            create.push(name);
        } else if keep {
            let mut running = Vec::new();
            for p in on_node.iter().filter(|p| !deleting(p)) {
                if failed(p) {
                    let msg =
                        format!("Found failed daemon pod {}/{} on node {name}, will try to kill it", key.namespace, meta_str(p, "name"));
                    record_event(api, &ds, "Warning", "FailedDaemonPod", &msg, &SOURCE, false);
                    delete.push(p.clone());
                } else {
                    running.push(p.clone());
                }
            }
            // Without surge, all but the oldest running pod go.
            delete.extend(running.into_iter().skip(1));
        } else {
            delete.extend(on_node.into_iter().filter(|p| !deleting(p)));
        }
    }
    let desired = nodes.iter().filter(|n| should_run(&template, n).0).count() as i64;
    // rollingUpdate (maxSurge 0): old pods that are unavailable go at once, available ones
    // while the unavailable count stays within maxUnavailable.
    let rolling = ds.pointer("/spec/updateStrategy/type").and_then(Value::as_str).unwrap_or("RollingUpdate") == "RollingUpdate";
    if rolling && create.is_empty() && delete.is_empty() {
        let min_ready = ds.pointer("/spec/minReadySeconds").and_then(Value::as_i64).unwrap_or(0);
        let now = api.clock.now;
        let max = max_unavailable(&ds, desired);
        let mut unavailable = 0;
        let mut replace = Vec::new();
        let mut candidates = Vec::new();
        for list in by_node.values() {
            let live: Vec<&Value> = list.iter().filter(|p| !deleting(p)).collect();
            let new: Vec<&&Value> = live.iter().filter(|p| pod_updated(p, &hash, generation)).collect();
            let old: Vec<&&Value> = live.iter().filter(|p| !pod_updated(p, &hash, generation)).collect();
            if new.len() > 1 || old.len() > 1 {
                unavailable += 1;
                continue;
            }
            match (new.first(), old.first()) {
                (Some(n), None) if !available(n, min_ready, now) => unavailable += 1,
                (None, Some(o)) if !available(o, min_ready, now) => replace.push((**o).clone()),
                (None, Some(o)) if unavailable < max => candidates.push((**o).clone()),
                _ => {}
            }
        }
        let room = (max - unavailable).max(0).min(candidates.len() as i64) as usize;
        delete.extend(replace);
        delete.extend(candidates.into_iter().take(room));
    }
    for node in &create {
        match api.create(&user, pods_res, Some(&key.namespace), new_pod(&ds, node, &hash), &WriteOptions::default()) {
            Ok(p) => {
                record_event(api, &ds, "Normal", "SuccessfulCreate", &format!("Created pod: {}", meta_str(&p, "name")), &SOURCE, false)
            }
            Err(e) => {
                record_event(api, &ds, "Warning", "FailedCreate", &format!("Error creating: {}", e.message), &SOURCE, true);
                break;
            }
        }
    }
    for p in &delete {
        let name = meta_str(p, "name").to_string();
        if api.delete(&user, pods_res, Some(&key.namespace), &name, &DeleteOptions::default()).is_ok() {
            record_event(api, &ds, "Normal", "SuccessfulDelete", &format!("Deleted pod: {name}"), &SOURCE, false);
        }
    }
    let live: Vec<Value> = api.cluster.store.list(pods_res, Some(&key.namespace)).filter(|p| controlled_by(p, &uid)).cloned().collect();
    cleanup_history(api, &ds, &old, &live);
    update_status(api, key, &hash, generation);
}

/// `updateDaemonSetStatus`: the counts over the nodes and the pods now on them.
fn update_status(api: &mut Api<'_>, key: &Key, hash: &str, generation: Option<i64>) {
    let (Some(dss), Some(pods_res), Some(nodes_res)) = (res("daemonsets"), res("pods"), res("nodes")) else { return };
    let Some(ds) = api.cluster.store.get(dss, &key.namespace, &key.name).cloned() else { return };
    let uid = meta_str(&ds, "uid").to_string();
    let template = template_pod(&ds);
    let min_ready = ds.pointer("/spec/minReadySeconds").and_then(Value::as_i64).unwrap_or(0);
    let now = api.clock.now;
    let mut by_node: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for p in api.cluster.store.list(pods_res, Some(&key.namespace)).filter(|p| controlled_by(p, &uid)) {
        if let Some(n) = target_node(p) {
            by_node.entry(n).or_default().push(p);
        }
    }
    let (mut desired, mut current, mut misscheduled, mut ready, mut avail, mut updated) = (0, 0, 0, 0, 0, 0);
    for node in api.cluster.store.list(nodes_res, None) {
        let mut on_node = by_node.get(meta_str(node, "name")).cloned().unwrap_or_default();
        on_node.sort_by_key(|p| creation(p));
        let scheduled = !on_node.is_empty();
        if should_run(&template, node).0 {
            desired += 1;
            let Some(first) = on_node.first() else { continue };
            current += 1;
            if super::pod_ready(first) {
                ready += 1;
                if available(first, min_ready, now) {
                    avail += 1;
                }
            }
            if pod_updated(first, hash, generation) {
                updated += 1;
            }
        } else if scheduled {
            misscheduled += 1;
        }
    }
    let mut status = json!({"currentNumberScheduled": current, "desiredNumberScheduled": desired, "numberMisscheduled": misscheduled, "numberReady": ready});
    if avail > 0 {
        status["numberAvailable"] = json!(avail);
    }
    if desired - avail > 0 {
        status["numberUnavailable"] = json!(desired - avail);
    }
    if let Some(g) = ds.pointer("/metadata/generation") {
        status["observedGeneration"] = g.clone();
    }
    if updated > 0 {
        status["updatedNumberScheduled"] = json!(updated);
    }
    if let Some(c) = ds.pointer("/status/collisionCount") {
        status["collisionCount"] = c.clone();
    }
    if let Some(c) = ds.pointer("/status/conditions") {
        status["conditions"] = c.clone();
    }
    if ds.get("status") == Some(&status) {
        return;
    }
    let mut next = ds.clone();
    next["status"] = status;
    let _ = api.update_status(&controller_identity(NAME), dss, Some(&key.namespace), next, &WriteOptions::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_plane_taint_keeps_a_plain_daemon_pod_off() {
        let ds = json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "nginx"}]}}}});
        let pod = template_pod(&ds);
        let cp = json!({"metadata": {"name": "controlplane"}, "spec": {"taints": [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]}});
        assert_eq!(should_run(&pod, &cp), (false, true));
        let evicting = json!({"metadata": {"name": "n"}, "spec": {"taints": [{"key": "x", "effect": "NoExecute"}]}});
        assert_eq!(should_run(&pod, &evicting), (false, false));
        // The default tolerations cover a cordoned node.
        let cordoned =
            json!({"metadata": {"name": "n"}, "spec": {"taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]}});
        assert_eq!(should_run(&pod, &cordoned), (true, true));
    }

    #[test]
    fn new_pod_is_pinned_by_match_fields_and_labelled() {
        let ds = json!({"metadata": {"name": "logs", "uid": "u", "annotations": {"deprecated.daemonset.template.generation": "3"}},
            "spec": {"template": {"metadata": {"labels": {"app": "logs"}}, "spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "a", "operator": "Exists"}]}]}}}}}}});
        let p = new_pod(&ds, "node01", "abc");
        assert_eq!(target_node(&p).as_deref(), Some("node01"));
        assert_eq!(p["metadata"]["labels"], json!({"app": "logs", "controller-revision-hash": "abc", "pod-template-generation": "3"}));
        assert_eq!(
            p["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );
        assert!(pod_updated(&p, "zzz", Some(3)) && pod_updated(&p, "abc", None) && !pod_updated(&p, "zzz", Some(2)));
    }

    #[test]
    fn max_unavailable_rounds_percentages_up() {
        let ds = |v: Value| json!({"spec": {"updateStrategy": {"rollingUpdate": {"maxUnavailable": v}}}});
        assert_eq!(max_unavailable(&ds(json!("10%")), 3), 1);
        assert_eq!(max_unavailable(&ds(json!("50%")), 3), 2);
        assert_eq!(max_unavailable(&ds(json!(0)), 3), 1);
        assert_eq!(max_unavailable(&json!({}), 3), 1);
    }
}
