//! The pvc-protection controller: a deleted object held by its `kubernetes.io/pvc-protection` finalizer
//! goes once nothing uses it — claims no running pod mounts any more (`pkg/controller/volume/pvcprotection`).

use super::{Api, Key, is_deleting, keys_where, release_deleted};

pub fn keys(api: &Api<'_>) -> Vec<Key> {
    keys_where(api, "persistentvolumeclaims", is_deleting)
}

pub fn reconcile(api: &mut Api<'_>, key: &Key) {
    release_deleted(api, "persistentvolumeclaims", key);
}
