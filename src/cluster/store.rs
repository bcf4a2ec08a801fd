//! The object store: what etcd holds for a cluster. Objects are JSON bodies keyed by their etcd
//! key (`/registry/pods/default/nginx`), so listing order is etcd's key order, as on a real
//! cluster, and `etcdctl get / --prefix --keys-only` can show real-looking keys.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ResourceInfo;

/// Objects are shared (`Arc`): copying a world (every fresh default world is a copy of the one
/// built at start-up) and listing for read-only verbs copy pointers, not JSON trees; a write
/// copies only the object it changes.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Store {
    /// The last resourceVersion handed out (etcd's revision).
    pub revision: u64,
    objects: BTreeMap<String, Arc<Value>>,
}

/// The etcd key prefix of a resource, as the kube-apiserver lays it out: core and most built-in
/// groups use `/registry/<resource>`, a few keep historical names, custom resources are grouped.
pub fn resource_prefix(res: &ResourceInfo) -> String {
    let builtin_group = super::Registry::is_builtin_group(&res.group);
    match (res.group.as_str(), res.name.as_str()) {
        ("", "nodes") => "/registry/minions".to_string(),
        ("", "services") => "/registry/services/specs".to_string(),
        ("", "endpoints") => "/registry/services/endpoints".to_string(),
        ("networking.k8s.io", "ingresses") => "/registry/ingress".to_string(),
        ("apiextensions.k8s.io", _) | ("apiregistration.k8s.io", _) => format!("/registry/{}/{}", res.group, res.name),
        _ if builtin_group => format!("/registry/{}", res.name),
        _ => format!("/registry/{}/{}", res.group, res.name),
    }
}

/// The etcd key of one object.
pub fn object_key(res: &ResourceInfo, namespace: &str, name: &str) -> String {
    if res.namespaced { format!("{}/{namespace}/{name}", resource_prefix(res)) } else { format!("{}/{name}", resource_prefix(res)) }
}

impl Store {
    pub fn get(&self, res: &ResourceInfo, namespace: &str, name: &str) -> Option<&Value> {
        self.get_shared(res, namespace, name).map(Arc::as_ref)
    }

    /// The stored object itself, for readers that keep it beyond the borrow of the store.
    pub fn get_shared(&self, res: &ResourceInfo, namespace: &str, name: &str) -> Option<&Arc<Value>> {
        self.objects.get(&object_key(res, namespace, name))
    }

    /// The object for an in-place change (copied first when a copy of the world shares it).
    pub fn get_mut(&mut self, res: &ResourceInfo, namespace: &str, name: &str) -> Option<&mut Value> {
        self.objects.get_mut(&object_key(res, namespace, name)).map(Arc::make_mut)
    }

    /// Objects of a resource, in one namespace or (`None`) all, in key order.
    pub fn list(&self, res: &ResourceInfo, namespace: Option<&str>) -> impl Iterator<Item = &Value> {
        self.list_shared(res, namespace).map(Arc::as_ref)
    }

    /// [`Store::list`] yielding the shared objects.
    pub fn list_shared(&self, res: &ResourceInfo, namespace: Option<&str>) -> impl Iterator<Item = &Arc<Value>> {
        let prefix = match namespace {
            Some(ns) if res.namespaced => format!("{}/{ns}/", resource_prefix(res)),
            _ => format!("{}/", resource_prefix(res)),
        };
        let depth = prefix.matches('/').count() + usize::from(res.namespaced && namespace.is_none());
        self.objects
            .range(prefix.clone()..)
            .take_while(move |(k, _)| k.starts_with(&prefix))
            // `/registry/services/specs/...` must not list `/registry/services/endpoints/...` and a
            // prefix must not match deeper keys of another resource.
            .filter(move |(k, _)| k.matches('/').count() == depth)
            .map(|(_, v)| v)
    }

    /// Stores an object, stamping the next resourceVersion into its metadata.
    pub fn put(&mut self, res: &ResourceInfo, namespace: &str, name: &str, mut obj: Value) -> Value {
        self.revision += 1;
        if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("resourceVersion".into(), Value::String(self.revision.to_string()));
        }
        self.objects.insert(object_key(res, namespace, name), Arc::new(obj.clone()));
        obj
    }

    pub fn remove(&mut self, res: &ResourceInfo, namespace: &str, name: &str) -> Option<Value> {
        let removed = self.objects.remove(&object_key(res, namespace, name)).map(Arc::unwrap_or_clone);
        if removed.is_some() {
            self.revision += 1;
        }
        removed
    }

    /// Keys of the objects `keep` selects, in key order.
    pub fn keys_where(&self, mut keep: impl FnMut(&str, &Value) -> bool) -> Vec<String> {
        self.objects.iter().filter(|(k, v)| keep(k, v)).map(|(k, _)| k.clone()).collect()
    }

    pub fn get_key(&self, key: &str) -> Option<&Value> {
        self.objects.get(key).map(Arc::as_ref)
    }

    /// Replaces the object under `key`, stamping the next resourceVersion.
    pub fn put_key(&mut self, key: &str, mut obj: Value) {
        self.revision += 1;
        if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("resourceVersion".into(), Value::String(self.revision.to_string()));
        }
        self.objects.insert(key.to_string(), Arc::new(obj));
    }

    pub fn remove_key(&mut self, key: &str) -> Option<Value> {
        let removed = self.objects.remove(key).map(Arc::unwrap_or_clone);
        if removed.is_some() {
            self.revision += 1;
        }
        removed
    }

    /// Every key and object, in key order (for etcd snapshots and `etcdctl get`).
    pub fn entries(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.objects.iter().map(|(k, v)| (k, v.as_ref()))
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }
}
