//! The pv-protection controller: a deleted object held by its `kubernetes.io/pv-protection` finalizer
//! goes once nothing uses it — volumes no claim is bound to any more (`pkg/controller/volume/pvprotection`).

use super::{Api, Key, res};

pub fn keys(api: &Api<'_>) -> Vec<Key> {
    let Some(r) = res("persistentvolumes") else { return Vec::new() };
    api.cluster
        .store
        .list(r, None)
        .filter(|o| o.pointer("/metadata/deletionTimestamp").is_some())
        .map(|o| Key { namespace: super::meta_str(o, "namespace").to_string(), name: super::meta_str(o, "name").to_string() })
        .collect()
}

pub fn reconcile(api: &mut Api<'_>, key: &Key) {
    let Some(r) = res("persistentvolumes") else { return };
    let Some(obj) = api.cluster.store.get(r, &key.namespace, &key.name).cloned() else { return };
    if obj.pointer("/metadata/deletionTimestamp").is_some() && !api.keeps_for_finalizers(r, &key.namespace, &obj) {
        api.cluster.store.remove(r, &key.namespace, &key.name);
    }
}
