//! The EndpointSlice controller (`pkg/controller/endpointslice`, reconciler and helpers in
//! `staging/src/k8s.io/endpointslice`): each Service with a selector gets IPv4 slices named
//! `<service>-<5 chars>` (generateName), labelled with the service's labels plus
//! `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by`, owned by the
//! Service (so deleting it collects them). Pods offering the same ports share a slice; each
//! endpoint carries its conditions (ready, serving, terminating), nodeName and targetRef, and
//! no zone (the nodes have no topology label). A Service with no endpoints keeps one
//! placeholder slice without ports; slices that would be deleted while others are created are
//! updated in place instead (`finalize`), so a slice keeps its name as pods come and go.
//! Up to 100 endpoints per slice (`maxEndpointsPerSlice`) are not split further here.

use serde_json::{Value, json};

use super::service_endpoints::{
    HEADLESS, TRIGGER_TIME, endpoint_port, hostname, is_headless, pod_ip, selected_pods, service_labels, should_be_in_endpoints,
    sort_ports, target_ref, trigger_time,
};
use super::{Api, Key, controlled_by, controller_identity, meta_str, pod_ready, res};
use crate::cluster::api::{DeleteOptions, WriteOptions};
use crate::cluster::selector::string_map;

const NAME: &str = "endpointslice-controller";
/// `discovery.LabelManagedBy` value of this controller.
pub const MANAGED_BY: &str = "endpointslice-controller.k8s.io";
const LABEL_SERVICE: &str = "kubernetes.io/service-name";
const LABEL_MANAGED: &str = "endpointslice.kubernetes.io/managed-by";

pub fn keys(api: &Api<'_>) -> Vec<Key> {
    super::all_keys(api, "services")
}

/// `podToEndpoint` for IPv4.
fn endpoint(pod: &Value, svc: &Value) -> Value {
    let serving = pod_ready(pod);
    let terminating = pod.pointer("/metadata/deletionTimestamp").is_some_and(|t| !t.is_null());
    let publish = svc.pointer("/spec/publishNotReadyAddresses").and_then(Value::as_bool) == Some(true);
    let ready = publish || (serving && !terminating);
    let mut e = json!({"addresses": [pod_ip(pod).unwrap_or_default()],
        "conditions": {"ready": ready, "serving": serving, "terminating": terminating}});
    if let Some(h) = hostname(pod, svc) {
        e["hostname"] = json!(h);
    }
    if let Some(n) = pod.pointer("/spec/nodeName").and_then(Value::as_str).filter(|n| !n.is_empty()) {
        e["nodeName"] = json!(n);
    }
    e["targetRef"] = target_ref(pod);
    e
}

/// The slices the service should have: one per set of ports, endpoints sorted by address.
fn desired(svc: &Value, pods: &[Value]) -> Vec<(Vec<Value>, Vec<Value>)> {
    let svc_ports: Vec<Value> = svc.pointer("/spec/ports").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut groups: Vec<(Vec<Value>, Vec<Value>)> = Vec::new();
    for pod in pods.iter().filter(|p| should_be_in_endpoints(p, true)) {
        let mut ports: Vec<Value> = svc_ports.iter().filter_map(|p| endpoint_port(pod, p)).collect();
        sort_ports(&mut ports);
        let ep = endpoint(pod, svc);
        match groups.iter_mut().find(|(p, _)| *p == ports) {
            Some((_, eps)) => eps.push(ep),
            None => groups.push((ports, vec![ep])),
        }
    }
    for (_, eps) in &mut groups {
        eps.sort_by_cached_key(|e| e.pointer("/addresses/0").and_then(Value::as_str).unwrap_or_default().to_string());
    }
    groups
}

/// `setEndpointSliceLabels`: the service's labels, then the reserved ones.
fn labels(svc: &Value) -> Value {
    let mut l = service_labels(svc);
    l.remove(LABEL_SERVICE);
    l.remove(LABEL_MANAGED);
    l.remove(HEADLESS);
    if is_headless(svc) {
        l.insert(HEADLESS.to_string(), String::new());
    }
    l.insert(LABEL_SERVICE.to_string(), meta_str(svc, "name").to_string());
    l.insert(LABEL_MANAGED.to_string(), MANAGED_BY.to_string());
    json!(l)
}

fn ports_of(slice: &Value) -> Vec<Value> {
    slice.get("ports").and_then(Value::as_array).cloned().unwrap_or_default()
}

fn endpoints_of(slice: &Value) -> Vec<Value> {
    let mut eps = slice.get("endpoints").and_then(Value::as_array).cloned().unwrap_or_default();
    eps.sort_by_cached_key(|e| e.pointer("/addresses/0").and_then(Value::as_str).unwrap_or_default().to_string());
    eps
}

pub fn reconcile(api: &mut Api<'_>, key: &Key) {
    let (Some(services), Some(slices_res)) = (res("services"), res("endpointslices")) else { return };
    let Some(svc) = api.cluster.store.get(services, &key.namespace, &key.name).cloned() else { return };
    let Some(pods) = selected_pods(api, &svc) else { return };
    let uid = meta_str(&svc, "uid").to_string();
    let existing: Vec<Value> = api
        .cluster
        .store
        .list(slices_res, Some(&key.namespace))
        .filter(|s| {
            let l = string_map(s.pointer("/metadata/labels"));
            l.get(LABEL_SERVICE).map(String::as_str) == Some(key.name.as_str())
                && l.get(LABEL_MANAGED).map(String::as_str) == Some(MANAGED_BY)
                && controlled_by(s, &uid)
        })
        .cloned()
        .collect();
    let mut want = desired(&svc, &pods);
    if want.is_empty() {
        // The placeholder: no ports, no endpoints.
        want.push((Vec::new(), Vec::new()));
    }
    let want_labels = labels(&svc);
    let stamp = trigger_time(&svc, &pods);
    let user = controller_identity(NAME);
    let opts = WriteOptions::default();
    // Slices whose ports match a wanted set are kept (updated if their endpoints or labels
    // changed); the rest are reused for the sets still without a slice, then deleted.
    let mut spare: Vec<Value> = Vec::new();
    let mut unmatched: Vec<(Vec<Value>, Vec<Value>)> = Vec::new();
    let mut used = vec![false; existing.len()];
    for (ports, eps) in want {
        match existing.iter().enumerate().find(|(i, s)| !used[*i] && ports_of(s) == ports) {
            Some((i, s)) => {
                used[i] = true;
                if endpoints_of(s) != eps || s.pointer("/metadata/labels") != Some(&want_labels) {
                    let next = fill(s.clone(), &ports, eps, &want_labels, &stamp);
                    let _ = api.update(&user, slices_res, Some(&key.namespace), next, &opts);
                }
            }
            None => unmatched.push((ports, eps)),
        }
    }
    for (i, s) in existing.into_iter().enumerate() {
        if !used[i] {
            spare.push(s);
        }
    }
    for (ports, eps) in unmatched {
        match spare.pop() {
            Some(s) => {
                let next = fill(s, &ports, eps, &want_labels, &stamp);
                let _ = api.update(&user, slices_res, Some(&key.namespace), next, &opts);
            }
            None => {
                let fresh = json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                    "metadata": {"generateName": format!("{}-", key.name), "namespace": key.namespace,
                        "ownerReferences": [{"apiVersion": "v1", "blockOwnerDeletion": true, "controller": true, "kind": "Service",
                            "name": key.name, "uid": uid}]},
                    "addressType": "IPv4"});
                let next = fill(fresh, &ports, eps, &want_labels, &stamp);
                let _ = api.create(&user, slices_res, Some(&key.namespace), next, &opts);
            }
        }
    }
    for s in spare {
        let _ = api.delete(&user, slices_res, Some(&key.namespace), meta_str(&s, "name"), &DeleteOptions::default());
    }
}

/// A slice with these ports and endpoints, the service's labels and the trigger time.
fn fill(mut slice: Value, ports: &[Value], eps: Vec<Value>, labels: &Value, stamp: &str) -> Value {
    slice["metadata"]["labels"] = labels.clone();
    slice["metadata"]["annotations"][TRIGGER_TIME] = json!(stamp);
    slice["endpoints"] = if eps.is_empty() { Value::Null } else { Value::Array(eps) };
    slice["ports"] = if ports.is_empty() { Value::Null } else { Value::Array(ports.to_vec()) };
    slice
}
