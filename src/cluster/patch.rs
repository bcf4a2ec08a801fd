//! Server-side patches (`PATCH` with the content types kubectl sends): JSON merge patch
//! (RFC 7386), JSON patch (RFC 6902) and strategic merge patch, whose lists merge by the
//! `patchMergeKey` the built-in types declare (`containers` by name, `ports` by port …) and which
//! understands `$patch`, `$setElementOrder/…`, `$retainKeys` and `$deleteFromPrimitiveList/…`
//! (apimachinery's `strategicpatch` package, described in the Kubernetes API conventions).

use serde_json::{Map, Value};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PatchError {
    /// The patch body is not what its type needs (the API server answers BadRequest).
    #[error("{0}")]
    Malformed(String),
    /// A JSON patch `test` failed or a path is missing (the API server answers 422).
    #[error("{0}")]
    Unprocessable(String),
}

/// RFC 7386: objects merge recursively, `null` removes, anything else replaces.
pub fn merge(target: &mut Value, patch: &Value) {
    match (target.as_object_mut(), patch.as_object()) {
        (Some(t), Some(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (_, Some(p)) => {
            let mut fresh = Value::Object(Map::new());
            merge(&mut fresh, &Value::Object(p.clone()));
            *target = fresh;
        }
        _ => *target = patch.clone(),
    }
}

/// The merge key of a list field in the built-in types, keyed by the field name and, where the
/// same name means different things, the parent's field name.
fn merge_key(parent: &str, field: &str) -> Option<&'static str> {
    Some(match (parent, field) {
        (_, "containers" | "initContainers" | "ephemeralContainers") => "name",
        ("spec", "ports") | ("", "ports") => "port",
        (_, "ports") => "containerPort",
        (_, "env" | "volumes" | "imagePullSecrets" | "resourceClaims" | "schedulingGates") => "name",
        (_, "volumeMounts") => "mountPath",
        (_, "volumeDevices") => "devicePath",
        (_, "hostAliases") => "ip",
        (_, "topologySpreadConstraints") => "topologyKey",
        (_, "ownerReferences") => "uid",
        (_, "conditions") => "type",
        _ => return None,
    })
}

/// Primitive lists whose patch strategy is `merge` (union), not replace.
fn merges_primitives(field: &str) -> bool {
    matches!(field, "finalizers")
}

/// Applies a strategic merge patch to `target` (an object of a built-in kind).
pub fn strategic(target: &mut Value, patch: &Value) -> Result<(), PatchError> {
    let Some(p) = patch.as_object() else {
        return Err(PatchError::Malformed("strategic merge patch must be a JSON object".into()));
    };
    strategic_object(target, p, "")
}

fn strategic_object(target: &mut Value, patch: &Map<String, Value>, parent: &str) -> Result<(), PatchError> {
    if let Some(directive) = patch.get("$patch").and_then(Value::as_str) {
        match directive {
            "replace" => {
                let mut clean = patch.clone();
                clean.remove("$patch");
                *target = Value::Object(clean);
                return Ok(());
            }
            "delete" => {
                *target = Value::Null;
                return Ok(());
            }
            other => return Err(PatchError::Malformed(format!("Unknown patch type: {other}"))),
        }
    }
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Some(t) = target.as_object_mut() else { return Ok(()) };
    if let Some(Value::Array(keep)) = patch.get("$retainKeys") {
        let keep: Vec<&str> = keep.iter().filter_map(Value::as_str).collect();
        t.retain(|k, _| keep.contains(&k.as_str()));
    }
    for (k, v) in patch {
        if k.starts_with("$setElementOrder/") || k == "$retainKeys" || k == "$patch" {
            continue;
        }
        if let Some(field) = k.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(Value::Array(list)), Some(remove)) = (t.get_mut(field), v.as_array()) {
                list.retain(|x| !remove.contains(x));
            }
            continue;
        }
        if v.is_null() {
            t.remove(k);
            continue;
        }
        match v {
            Value::Object(po) => {
                let slot = t.entry(k.clone()).or_insert(Value::Null);
                strategic_object(slot, po, k)?;
                if slot.is_null() {
                    t.remove(k);
                }
            }
            Value::Array(pa) => {
                let key = merge_key(parent, k);
                match (key, t.get_mut(k)) {
                    (Some(mk), Some(Value::Array(existing))) => merge_list(existing, pa, mk, k)?,
                    (None, Some(Value::Array(existing))) if merges_primitives(k) => {
                        for item in pa {
                            if !existing.contains(item) {
                                existing.push(item.clone());
                            }
                        }
                    }
                    _ => {
                        let cleaned: Vec<Value> = pa.iter().filter(|i| i.get("$patch").is_none()).cloned().collect();
                        t.insert(k.clone(), Value::Array(cleaned));
                    }
                }
                if let Some(order) = patch.get(&format!("$setElementOrder/{k}")).and_then(Value::as_array)
                    && let (Some(mk), Some(Value::Array(existing))) = (key, t.get_mut(k))
                {
                    reorder(existing, order, mk);
                }
            }
            other => {
                t.insert(k.clone(), other.clone());
            }
        }
    }
    Ok(())
}

fn merge_list(existing: &mut Vec<Value>, patch: &[Value], key: &str, field: &str) -> Result<(), PatchError> {
    for item in patch {
        let Some(obj) = item.as_object() else {
            existing.push(item.clone());
            continue;
        };
        if obj.get("$patch").and_then(Value::as_str) == Some("replace") {
            // The whole list is replaced by the patch's items.
            *existing = patch.iter().filter(|i| i.get("$patch").is_none()).cloned().collect();
            return Ok(());
        }
        let Some(id) = obj.get(key) else {
            return Err(PatchError::Malformed(format!("map: {} does not contain declared merge key: {key}", Value::Object(obj.clone()))));
        };
        let pos = existing.iter().position(|e| e.get(key) == Some(id));
        if obj.get("$patch").and_then(Value::as_str) == Some("delete") {
            if let Some(i) = pos {
                existing.remove(i);
            }
            continue;
        }
        match pos {
            Some(i) => strategic_object(&mut existing[i], obj, field)?,
            None => {
                let mut fresh = Value::Object(Map::new());
                strategic_object(&mut fresh, obj, field)?;
                existing.push(fresh);
            }
        }
    }
    Ok(())
}

/// `$setElementOrder`: listed items first in the given order, the others after.
fn reorder(list: &mut Vec<Value>, order: &[Value], key: &str) {
    let mut sorted = Vec::with_capacity(list.len());
    for o in order {
        if let Some(id) = o.get(key)
            && let Some(i) = list.iter().position(|e| e.get(key) == Some(id))
        {
            sorted.push(list.remove(i));
        }
    }
    sorted.append(list);
    *list = sorted;
}

/// RFC 6902 JSON patch.
pub fn json_patch(target: &mut Value, patch: &Value) -> Result<(), PatchError> {
    let Some(ops) = patch.as_array() else {
        return Err(PatchError::Malformed("json: cannot unmarshal object into Go value of type jsonpatch.Patch".into()));
    };
    for op in ops {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or_default();
        let path = op.get("path").and_then(Value::as_str).unwrap_or_default();
        let value = op.get("value").cloned();
        match kind {
            "add" => add(target, path, value.unwrap_or(Value::Null))?,
            "remove" => {
                remove(target, path).ok_or_else(|| {
                    PatchError::Unprocessable(format!("remove operation does not apply: doc is missing path: \"{path}\""))
                })?;
            }
            "replace" => {
                if target.pointer(path).is_none() {
                    return Err(PatchError::Unprocessable(format!("replace operation does not apply: doc is missing key: {path}")));
                }
                if let Some(slot) = target.pointer_mut(path) {
                    *slot = value.unwrap_or(Value::Null);
                }
            }
            "move" | "copy" => {
                let from = op.get("from").and_then(Value::as_str).unwrap_or_default();
                let v = target.pointer(from).cloned().ok_or_else(|| {
                    PatchError::Unprocessable(format!("{kind} operation does not apply: doc is missing from path: {from}"))
                })?;
                if kind == "move" {
                    remove(target, from);
                }
                add(target, path, v)?;
            }
            "test" => {
                if target.pointer(path) != value.as_ref() {
                    return Err(PatchError::Unprocessable(format!("testing value {path} failed: test failed")));
                }
            }
            other => return Err(PatchError::Malformed(format!("Unexpected kind: {other}"))),
        }
    }
    Ok(())
}

fn split_pointer(path: &str) -> (String, String) {
    match path.rsplit_once('/') {
        Some((parent, last)) => (parent.to_string(), last.replace("~1", "/").replace("~0", "~")),
        None => (String::new(), path.to_string()),
    }
}

fn add(target: &mut Value, path: &str, value: Value) -> Result<(), PatchError> {
    if path.is_empty() {
        *target = value;
        return Ok(());
    }
    let (parent, last) = split_pointer(path);
    let missing = || PatchError::Unprocessable(format!("add operation does not apply: doc is missing path: \"{path}\""));
    match target.pointer_mut(&parent).ok_or_else(missing)? {
        Value::Object(m) => {
            m.insert(last, value);
        }
        Value::Array(a) => {
            if last == "-" {
                a.push(value);
            } else {
                let i: usize = last.parse().map_err(|_| missing())?;
                if i > a.len() {
                    return Err(missing());
                }
                a.insert(i, value);
            }
        }
        _ => return Err(missing()),
    }
    Ok(())
}

fn remove(target: &mut Value, path: &str) -> Option<Value> {
    let (parent, last) = split_pointer(path);
    match target.pointer_mut(&parent)? {
        Value::Object(m) => m.remove(&last),
        Value::Array(a) => {
            let i: usize = last.parse().ok()?;
            (i < a.len()).then(|| a.remove(i))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strategic_merges_containers_by_name() {
        let mut pod = json!({"spec": {"containers": [{"name": "a", "image": "nginx"}, {"name": "b", "image": "redis"}], "tolerations": [{"key": "x"}]}});
        strategic(&mut pod, &json!({"spec": {"containers": [{"name": "b", "image": "redis:7"}], "tolerations": [{"key": "y"}]}}))
            .expect("patch");
        assert_eq!(pod["spec"]["containers"], json!([{"name": "a", "image": "nginx"}, {"name": "b", "image": "redis:7"}]));
        assert_eq!(pod["spec"]["tolerations"], json!([{"key": "y"}]), "lists without a merge key are replaced");
        strategic(&mut pod, &json!({"spec": {"containers": [{"name": "a", "$patch": "delete"}]}})).expect("patch");
        assert_eq!(pod["spec"]["containers"], json!([{"name": "b", "image": "redis:7"}]));
        strategic(&mut pod, &json!({"metadata": {"labels": {"app": "web"}}})).expect("patch");
        assert_eq!(pod["metadata"]["labels"]["app"], "web");
    }

    #[test]
    fn merge_and_json_patches() {
        let mut d = json!({"spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "a"}]}}}});
        merge(&mut d, &json!({"spec": {"replicas": 3, "paused": null}}));
        assert_eq!(d["spec"]["replicas"], 3);
        json_patch(&mut d, &json!([{"op": "replace", "path": "/spec/replicas", "value": 5}, {"op": "add", "path": "/spec/template/spec/containers/-", "value": {"name": "b"}}])).expect("patch");
        assert_eq!(d["spec"]["replicas"], 5);
        assert_eq!(d["spec"]["template"]["spec"]["containers"][1]["name"], "b");
        assert!(json_patch(&mut d, &json!([{"op": "replace", "path": "/spec/nope", "value": 1}])).is_err());
    }
}
