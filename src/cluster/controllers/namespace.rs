//! The namespace controller: a Terminating namespace is emptied, then its `kubernetes`
//! finalizer goes and, with no other finalizers left, the namespace itself
//! (`pkg/controller/namespace`).

use serde_json::Value;

use super::{Api, Key, res};
use crate::cluster::gc;

pub fn keys(api: &Api<'_>) -> Vec<Key> {
    let Some(ns_res) = res("namespaces") else { return Vec::new() };
    api.cluster
        .store
        .list(ns_res, None)
        .filter(|n| n.pointer("/status/phase").and_then(Value::as_str) == Some("Terminating"))
        .map(|n| Key { namespace: String::new(), name: super::meta_str(n, "name").to_string() })
        .collect()
}

pub fn reconcile(api: &mut Api<'_>, key: &Key) {
    let Some(ns_res) = res("namespaces") else { return };
    let ns = &key.name;
    // The namespace controller empties the namespace and drops its own finalizer; other
    // finalizers keep it Terminating until someone removes them.
    gc::empty_namespace(&mut api.cluster.store, ns);
    let Some(mut obj) = api.cluster.store.get(ns_res, "", ns).cloned() else { return };
    let others: Vec<Value> = obj
        .pointer("/spec/finalizers")
        .and_then(Value::as_array)
        .map(|f| f.iter().filter(|x| x.as_str() != Some("kubernetes")).cloned().collect())
        .unwrap_or_default();
    let meta_finalizers = obj.pointer("/metadata/finalizers").and_then(Value::as_array).is_some_and(|f| !f.is_empty());
    if others.is_empty() && !meta_finalizers {
        api.cluster.store.remove(ns_res, "", ns);
    } else if obj.pointer("/spec/finalizers").and_then(Value::as_array).map(Vec::len) != Some(others.len()) {
        obj["spec"]["finalizers"] = Value::Array(others);
        api.cluster.store.put(ns_res, "", ns, obj);
    }
}
