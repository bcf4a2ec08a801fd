//! The pv-protection controller: a deleted object held by its `kubernetes.io/pv-protection` finalizer
//! goes once nothing uses it — volumes no claim is bound to any more (`pkg/controller/volume/pvprotection`).

use super::{Api, Key, is_deleting, keys_where, release_deleted};

pub fn keys(api: &Api<'_>) -> Vec<Key> {
    keys_where(api, "persistentvolumes", is_deleting)
}

pub fn reconcile(api: &mut Api<'_>, key: &Key) {
    release_deleted(api, "persistentvolumes", key);
}
