//! Garbage collection through `ownerReferences` (the garbage collector controller's effect,
//! applied when the owner is deleted) and namespace finalization (the namespace controller's).
//! Background and foreground deletion remove dependents recursively; orphan deletion strips the
//! owner's reference from them.

use serde_json::Value;

use super::Store;
use super::api::Propagation;

/// Store keys of the objects that name `uid` among their owners.
fn dependents(store: &Store, uid: &str) -> Vec<String> {
    store.keys_where(|_, v| {
        v.pointer("/metadata/ownerReferences")
            .and_then(Value::as_array)
            .is_some_and(|refs| refs.iter().any(|r| r.get("uid").and_then(Value::as_str) == Some(uid)))
    })
}

/// Applies `propagation` to the dependents of the deleted owner `uid`.
pub fn collect(store: &mut Store, uid: &str, propagation: Propagation) {
    if uid.is_empty() {
        return;
    }
    let mut queue = vec![uid.to_string()];
    while let Some(owner) = queue.pop() {
        for key in dependents(store, &owner) {
            let Some(mut obj) = store.get_key(&key).cloned() else { continue };
            let refs = obj.pointer("/metadata/ownerReferences").and_then(Value::as_array).cloned().unwrap_or_default();
            let others: Vec<Value> = refs.into_iter().filter(|r| r.get("uid").and_then(Value::as_str) != Some(owner.as_str())).collect();
            if propagation == Propagation::Orphan || !others.is_empty() {
                // Still owned by someone else (or orphaned): only the reference goes.
                if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
                    if others.is_empty() {
                        meta.remove("ownerReferences");
                    } else {
                        meta.insert("ownerReferences".into(), Value::Array(others));
                    }
                }
                store.put_key(&key, obj);
            } else {
                if let Some(dep_uid) = obj.pointer("/metadata/uid").and_then(Value::as_str) {
                    queue.push(dep_uid.to_string());
                }
                store.remove_key(&key);
            }
        }
    }
}

/// Removes every namespaced object of `namespace` (what the namespace controller deletes before
/// it removes the `kubernetes` finalizer).
pub fn empty_namespace(store: &mut Store, namespace: &str) {
    let keys = store.keys_where(|_, v| v.pointer("/metadata/namespace").and_then(Value::as_str) == Some(namespace));
    for key in keys {
        store.remove_key(&key);
    }
}
