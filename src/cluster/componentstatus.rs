//! ComponentStatuses (`kubectl get cs`): not stored but probed on every request by the API
//! server (`pkg/registry/core/componentstatus`). Here a component is healthy while its static
//! pod's mirror is Running; otherwise the probe's connection error is reported.

use serde_json::{Value, json};

use super::Registry;

/// The probed components in the order the API server lists them, with their health endpoints.
const COMPONENTS: &[(&str, &str, &str)] = &[
    ("controller-manager", "kube-controller-manager", "https://127.0.0.1:10257/healthz"),
    ("scheduler", "kube-scheduler", "https://127.0.0.1:10259/healthz"),
    ("etcd-0", "etcd", "https://127.0.0.1:2379"),
];

fn running(store: &super::Store, component: &str) -> bool {
    let Some(pods) = Registry::builtin_resource("pods") else { return false };
    store.list(pods, Some("kube-system")).any(|p| {
        p.pointer("/metadata/labels/component").and_then(Value::as_str) == Some(component)
            && p.pointer("/status/phase").and_then(Value::as_str) == Some("Running")
    })
}

pub fn list(store: &super::Store) -> Vec<Value> {
    COMPONENTS
        .iter()
        .map(|(name, component, url)| {
            let condition = if running(store, component) {
                json!({"type": "Healthy", "status": "True", "message": "ok"})
            } else if *name == "etcd-0" {
                json!({"type": "Healthy", "status": "False", "error": "dial tcp 127.0.0.1:2379: connect: connection refused"})
            } else {
                let port = url.trim_start_matches("https://127.0.0.1:").trim_end_matches("/healthz");
                json!({"type": "Healthy", "status": "False", "error": format!("Get \"{url}\": dial tcp 127.0.0.1:{port}: connect: connection refused")})
            };
            json!({"apiVersion": "v1", "kind": "ComponentStatus", "metadata": {"name": name}, "conditions": [condition]})
        })
        .collect()
}
