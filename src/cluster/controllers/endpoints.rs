//! The endpoints controller (`pkg/controller/endpoint/endpoints_controller.go`): each Service
//! with a selector gets an Endpoints object of the same name listing its pods, ready ones under
//! `addresses` and the others under `notReadyAddresses`, in the canonical layout of
//! `endpoints.RepackSubsets` (pods grouped by the ports they offer). A Service's deletion takes
//! its Endpoints with it. Services without a selector keep the Endpoints written by hand.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::service_endpoints::{
    HEADLESS, TRIGGER_TIME, endpoint_port, hostname, is_headless, pod_ip, ready_for, selected_pods, service_labels, should_be_in_endpoints,
    sort_ports, target_ref, trigger_time,
};
use super::{Api, Key, controller_identity, meta_str, res};
use crate::cluster::api::{DeleteOptions, WriteOptions};
use crate::cluster::selector::string_map;

const NAME: &str = "endpoint-controller";

/// An address by IP and pod UID (`addressKey`).
type AddrKey = (String, String);
/// The addresses offering one port, with their readiness.
type Members = Vec<(AddrKey, bool)>;

/// Every Service, then the Endpoints this controller wrote whose Service is gone.
pub fn keys(api: &Api<'_>) -> Vec<Key> {
    let mut keys = super::all_keys(api, "services");
    let (Some(services), Some(_)) = (res("services"), res("endpoints")) else { return keys };
    let orphans = super::keys_where(api, "endpoints", |e| {
        e.pointer(&format!("/metadata/annotations/{}", TRIGGER_TIME.replace('/', "~1"))).is_some()
            && api.cluster.store.get(services, meta_str(e, "namespace"), meta_str(e, "name")).is_none()
    });
    keys.extend(orphans);
    keys
}

pub fn reconcile(api: &mut Api<'_>, key: &Key) {
    let (Some(services), Some(endpoints)) = (res("services"), res("endpoints")) else { return };
    let user = controller_identity(NAME);
    let Some(svc) = api.cluster.store.get(services, &key.namespace, &key.name).cloned() else {
        // The Service was deleted: so are its endpoints.
        let _ = api.delete(&user, endpoints, Some(&key.namespace), &key.name, &DeleteOptions::default());
        return;
    };
    let Some(pods) = selected_pods(api, &svc) else { return };
    let publish = svc.pointer("/spec/publishNotReadyAddresses").and_then(Value::as_bool) == Some(true);
    let included: Vec<Value> = pods.into_iter().filter(|p| should_be_in_endpoints(p, publish)).collect();
    let subsets = subsets_for(&svc, &included);
    let current = api.cluster.store.get(endpoints, &key.namespace, &key.name).cloned();
    let mut labels = service_labels(&svc);
    if let Some(cur) = &current {
        let mut have = string_map(cur.pointer("/metadata/labels"));
        have.remove(HEADLESS);
        let have_subsets = cur.get("subsets").cloned().unwrap_or(json!([]));
        if have_subsets == Value::Array(subsets.clone()) && have == labels {
            return;
        }
    }
    if is_headless(&svc) {
        labels.insert(HEADLESS.to_string(), String::new());
    }
    let mut next = current
        .clone()
        .unwrap_or_else(|| json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": key.name, "namespace": key.namespace}}));
    let Some(meta) = next.get_mut("metadata").and_then(Value::as_object_mut) else { return };
    if labels.is_empty() {
        meta.remove("labels");
    } else {
        meta.insert("labels".into(), json!(labels));
    }
    let annotations = meta.entry("annotations").or_insert_with(|| json!({}));
    annotations[TRIGGER_TIME] = json!(trigger_time(&svc, &included));
    if let Some(o) = next.as_object_mut() {
        if subsets.is_empty() {
            o.remove("subsets");
        } else {
            o.insert("subsets".into(), Value::Array(subsets));
        }
    }
    let opts = WriteOptions::default();
    let result = match current {
        None => api.create(&user, endpoints, Some(&key.namespace), next.clone(), &opts).map(|_| ()),
        Some(_) => api.update(&user, endpoints, Some(&key.namespace), next.clone(), &opts).map(|_| ()),
    };
    if let Err(e) = result {
        let (reason, msg) = match api.cluster.store.get(endpoints, &key.namespace, &key.name) {
            None => {
                ("FailedToCreateEndpoint", format!("Failed to create endpoint for service {}/{}: {}", key.namespace, key.name, e.message))
            }
            Some(_) => ("FailedToUpdateEndpoint", format!("Failed to update endpoint {}/{}: {}", key.namespace, key.name, e.message)),
        };
        super::record_event(api, &next, "Warning", reason, &msg, &super::Source { component: NAME, host: None }, true);
    }
}

/// The address of a pod in an Endpoints subset (`podToEndpointAddressForService`).
fn address(pod: &Value, svc: &Value) -> Value {
    let mut a = json!({"ip": pod_ip(pod).unwrap_or_default()});
    if let Some(h) = hostname(pod, svc) {
        a["hostname"] = json!(h);
    }
    a["nodeName"] = json!(pod.pointer("/spec/nodeName").and_then(Value::as_str).unwrap_or_default());
    a["targetRef"] = target_ref(pod);
    a
}

/// `RepackSubsets`: every (address, port) pair regrouped so each subset holds the addresses
/// offering exactly the same ports, an address not ready for any port counted not ready.
/// Addresses sort by IP then UID and ports by hash; subsets (rarely more than one) keep the
/// order of their first port.
fn subsets_for(svc: &Value, pods: &[Value]) -> Vec<Value> {
    let svc_ports: Vec<Value> = svc.pointer("/spec/ports").and_then(Value::as_array).cloned().unwrap_or_default();
    // The port each pod offers, keyed by its serialization; per address the readiness.
    let mut by_port: BTreeMap<String, (Value, BTreeMap<AddrKey, bool>)> = BTreeMap::new();
    let mut addrs: BTreeMap<AddrKey, Value> = BTreeMap::new();
    for pod in pods {
        let addr = address(pod, svc);
        let key = (pod_ip(pod).unwrap_or_default().to_string(), meta_str(pod, "uid").to_string());
        let ready = ready_for(pod, svc);
        let offered: Vec<Value> = if svc_ports.is_empty() {
            // A headless service without ports still lists its pods, under a portless subset.
            if !is_headless(svc) {
                continue;
            }
            vec![Value::Null]
        } else {
            // `EndpointPort.name` is omitempty in core/v1 (unlike the slices' pointer).
            svc_ports
                .iter()
                .filter_map(|p| endpoint_port(pod, p))
                .map(|mut p| {
                    if p.get("name").and_then(Value::as_str) == Some("")
                        && let Some(o) = p.as_object_mut()
                    {
                        o.remove("name");
                    }
                    p
                })
                .collect()
        };
        if offered.is_empty() {
            continue;
        }
        addrs.insert(key.clone(), addr);
        for port in offered {
            let entry = by_port.entry(port.to_string()).or_insert_with(|| (port, BTreeMap::new()));
            let slot = entry.1.entry(key.clone()).or_insert(ready);
            *slot = *slot && ready;
        }
    }
    // Ports sharing the same addresses (with the same readiness) form one subset.
    let mut groups: Vec<(Members, Vec<Value>)> = Vec::new();
    for (port, members) in by_port.into_values() {
        let members: Members = members.into_iter().collect();
        match groups.iter_mut().find(|(m, _)| *m == members) {
            Some((_, ports)) => ports.push(port),
            None => groups.push((members, vec![port])),
        }
    }
    let mut out: Vec<(Vec<Value>, Value)> = groups
        .into_iter()
        .map(|(members, mut ports)| {
            ports.retain(|p| !p.is_null());
            sort_ports(&mut ports);
            let pick = |want: bool| -> Vec<Value> {
                members.iter().filter(|(_, r)| *r == want).filter_map(|(k, _)| addrs.get(k).cloned()).collect()
            };
            let mut subset = Map::new();
            let (ready, not_ready) = (pick(true), pick(false));
            if !ready.is_empty() {
                subset.insert("addresses".into(), Value::Array(ready));
            }
            if !not_ready.is_empty() {
                subset.insert("notReadyAddresses".into(), Value::Array(not_ready));
            }
            if !ports.is_empty() {
                subset.insert("ports".into(), Value::Array(ports.clone()));
            }
            (ports, Value::Object(subset))
        })
        .collect();
    out.sort_by_cached_key(|(ports, _)| ports.first().map(|p| p.to_string()).unwrap_or_default());
    out.into_iter().map(|(_, s)| s).collect()
}
