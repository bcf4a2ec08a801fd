//! Patches as pure functions over JSON values: JSON merge patch (RFC 7386), JSON patch
//! (RFC 6902) and Kubernetes' strategic merge patch, plus the diffs kubectl's client-side apply
//! computes (two-way and three-way strategic merge patches).
//!
//! Strategic merge follows `k8s.io/apimachinery/pkg/util/strategicpatch` (read, not copied):
//! lists of the built-in types with a `patchMergeKey` merge element by element, primitive lists
//! with `patchStrategy:"merge"` (finalizers) are unions, everything else is replaced; the
//! directives `$patch: replace|delete`, `$retainKeys`, `$setElementOrder/<list>` and
//! `$deleteFromPrimitiveList/<list>` are honoured. The merge keys come from a table of field
//! names (the Go types' struct tags), refined by the parent field where one name means two things
//! (`ports` of a container vs. of a Service).

use serde_json::{Map, Value, json};
use thiserror::Error;

mod json;
pub use json::json_patch;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PatchError {
    /// A JSON patch operation failed; the text is the server's.
    #[error("{0}")]
    JsonPatch(String),
    #[error("{0}")]
    Invalid(String),
}

/// How a list field merges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListStrategy {
    /// Replaced as a whole (no patch strategy, or a type unknown to the table).
    Atomic,
    /// Elements are maps merged by the named key.
    MergeKey(&'static str),
    /// A set of scalars (`patchStrategy:"merge"` on a `[]string`).
    Primitive,
}

/// The patch strategy of the list `field` whose parent field is `parent` (the key above the
/// object holding the list, `""` at the top level).
fn list_strategy(parent: &str, field: &str) -> ListStrategy {
    use ListStrategy::{Atomic, MergeKey, Primitive};
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "env"
        | "imagePullSecrets"
        | "resourceClaims"
        | "schedulingGates"
        | "secrets" => MergeKey("name"),
        "volumeMounts" => MergeKey("mountPath"),
        "volumeDevices" => MergeKey("devicePath"),
        "ports" => match parent {
            // containers[*].ports (ContainerPort)
            "containers" | "initContainers" | "ephemeralContainers" => MergeKey("containerPort"),
            // ServiceSpec.ports (ServicePort)
            "spec" => MergeKey("port"),
            _ => Atomic,
        },
        "hostAliases" => MergeKey("ip"),
        "topologySpreadConstraints" => MergeKey("topologyKey"),
        "readinessGates" => MergeKey("conditionType"),
        "ownerReferences" => MergeKey("uid"),
        "conditions" | "addresses" => MergeKey("type"),
        "podIPs" | "hostIPs" => MergeKey("ip"),
        "finalizers" => Primitive,
        _ => Atomic,
    }
}

/// The schema context of a patch: whether the kind is a built-in type with strategic merge
/// metadata (custom resources only take JSON merge semantics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    Builtin,
    /// No patch metadata: every list is atomic (JSON merge patch semantics).
    None,
}

/// `$retainKeys`: the keys the modified map keeps, sorted, so the server drops the others (a
/// Deployment's `strategy` switched to `Recreate` loses `rollingUpdate`).
fn add_retain_keys(sub: &mut Map<String, Value>, modified: &Map<String, Value>) {
    let mut keys: Vec<&String> = modified.keys().filter(|k| !k.starts_with('$')).collect();
    keys.sort();
    sub.insert(RETAIN_KEYS.into(), Value::Array(keys.into_iter().map(|k| Value::String(k.clone())).collect()));
}

impl Schema {
    /// Fields whose Go type carries `patchStrategy:"retainKeys"`.
    fn retains_keys(self, parent: &str, field: &str) -> bool {
        self == Schema::Builtin && parent == "spec" && field == "strategy"
    }

    fn strategy(self, parent: &str, field: &str) -> ListStrategy {
        match self {
            Schema::Builtin => list_strategy(parent, field),
            Schema::None => ListStrategy::Atomic,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// RFC 7386

/// Applies a JSON merge patch.
pub fn merge_patch(target: &Value, patch: &Value) -> Value {
    let Value::Object(p) = patch else { return patch.clone() };
    let mut out = match target {
        Value::Object(t) => t.clone(),
        _ => Map::new(),
    };
    for (k, v) in p {
        if v.is_null() {
            out.remove(k);
        } else {
            let merged = merge_patch(out.get(k).unwrap_or(&Value::Null), v);
            out.insert(k.clone(), merged);
        }
    }
    Value::Object(out)
}

// ---------------------------------------------------------------------------------------------
// RFC 6902

// ---------------------------------------------------------------------------------------------
// Strategic merge patch: applying

const DIRECTIVE: &str = "$patch";
const RETAIN_KEYS: &str = "$retainKeys";
const SET_ORDER: &str = "$setElementOrder/";
const DELETE_PRIMITIVE: &str = "$deleteFromPrimitiveList/";

/// Applies a strategic merge patch to an object of a built-in kind.
pub fn strategic_merge(target: &Value, patch: &Value, schema: Schema) -> Result<Value, PatchError> {
    let Value::Object(p) = patch else {
        return Err(PatchError::Invalid("unable to find api field in struct Unstructured for the json field".into()));
    };
    let t = target.as_object().cloned().unwrap_or_default();
    Ok(merge_map(t, p, "", schema).map(Value::Object).unwrap_or_else(|| Value::Object(Map::new())))
}

/// Merges `patch` into `orig`; `None` when the patch deletes the map (`$patch: delete`).
fn merge_map(mut orig: Map<String, Value>, patch: &Map<String, Value>, parent: &str, schema: Schema) -> Option<Map<String, Value>> {
    match patch.get(DIRECTIVE).and_then(Value::as_str) {
        Some("replace") => {
            let mut p = patch.clone();
            p.shift_remove(DIRECTIVE);
            return Some(strip_directives(p, parent, schema));
        }
        Some("delete") => return None,
        _ => {}
    }
    if let Some(Value::Array(keep)) = patch.get(RETAIN_KEYS) {
        let keep: Vec<&str> = keep.iter().filter_map(Value::as_str).collect();
        orig.retain(|k, _| keep.contains(&k.as_str()));
    }
    for (k, v) in patch {
        if k == DIRECTIVE || k == RETAIN_KEYS || k.starts_with(SET_ORDER) {
            continue;
        }
        if let Some(list) = k.strip_prefix(DELETE_PRIMITIVE) {
            if let (Some(Value::Array(items)), Some(del)) = (orig.get_mut(list), v.as_array()) {
                items.retain(|x| !del.contains(x));
            }
            continue;
        }
        if v.is_null() {
            orig.shift_remove(k);
            continue;
        }
        let merged = match (orig.get(k), v) {
            (Some(Value::Object(o)), Value::Object(pm)) => match merge_map(o.clone(), pm, k, schema) {
                Some(m) => Value::Object(m),
                None => {
                    orig.shift_remove(k);
                    continue;
                }
            },
            (Some(Value::Array(o)), Value::Array(pl)) => {
                let order = patch.get(&format!("{SET_ORDER}{k}")).and_then(Value::as_array);
                Value::Array(merge_list(o, pl, order, parent, k, schema))
            }
            (None, Value::Object(pm)) => match merge_map(Map::new(), pm, k, schema) {
                Some(m) => Value::Object(m),
                None => continue,
            },
            (None, Value::Array(pl)) => Value::Array(merge_list(&[], pl, None, parent, k, schema)),
            _ => v.clone(),
        };
        orig.insert(k.clone(), merged);
    }
    Some(orig)
}

/// A patch value with its directives removed, as stored when the original had nothing there.
fn strip_directives(m: Map<String, Value>, parent: &str, schema: Schema) -> Map<String, Value> {
    merge_map(Map::new(), &m, parent, schema).unwrap_or_default()
}

fn merge_list(orig: &[Value], patch: &[Value], order: Option<&Vec<Value>>, parent: &str, field: &str, schema: Schema) -> Vec<Value> {
    match schema.strategy(parent, field) {
        ListStrategy::Atomic => patch
            .iter()
            .map(|v| match v {
                Value::Object(m) => Value::Object(strip_directives(m.clone(), field, schema)),
                _ => v.clone(),
            })
            .collect(),
        ListStrategy::Primitive => {
            let mut out = orig.to_vec();
            for v in patch {
                if !out.contains(v) {
                    out.push(v.clone());
                }
            }
            if let Some(order) = order {
                sort_by_order(&mut out, order, |a, b| a == b);
            }
            out
        }
        ListStrategy::MergeKey(key) => {
            if patch.iter().any(|v| v.get(DIRECTIVE).and_then(Value::as_str) == Some("replace")) {
                return patch
                    .iter()
                    .filter(|v| v.get(DIRECTIVE).is_none())
                    .filter_map(|v| v.as_object().map(|m| Value::Object(strip_directives(m.clone(), field, schema))))
                    .collect();
            }
            let mut out: Vec<Value> = orig.to_vec();
            for pv in patch {
                let Some(pm) = pv.as_object() else { continue };
                let kv = pm.get(key);
                let pos = out.iter().position(|o| o.get(key).is_some() && o.get(key) == kv);
                if pm.get(DIRECTIVE).and_then(Value::as_str) == Some("delete") {
                    if let Some(i) = pos {
                        out.remove(i);
                    }
                    continue;
                }
                match pos {
                    Some(i) => {
                        let base = out[i].as_object().cloned().unwrap_or_default();
                        match merge_map(base, pm, field, schema) {
                            Some(m) => out[i] = Value::Object(m),
                            None => {
                                out.remove(i);
                            }
                        }
                    }
                    None => out.push(Value::Object(strip_directives(pm.clone(), field, schema))),
                }
            }
            if let Some(order) = order {
                sort_by_order(&mut out, order, |a, b| a.get(key).is_some() && a.get(key) == b.get(key));
            }
            out
        }
    }
}

/// Orders `items` as `$setElementOrder` says; items it does not name keep their place after
/// the named ones.
fn sort_by_order(items: &mut Vec<Value>, order: &[Value], same: impl Fn(&Value, &Value) -> bool) {
    let mut named: Vec<Value> = Vec::new();
    for o in order {
        if let Some(i) = items.iter().position(|it| same(it, o)) {
            named.push(items.remove(i));
        }
    }
    named.append(items);
    *items = named;
}

// ---------------------------------------------------------------------------------------------
// Strategic merge patch: computing (kubectl apply)

#[derive(Clone, Copy)]
struct DiffMode {
    ignore_deletions: bool,
    ignore_changes: bool,
}

/// The strategic merge patch that turns `original` into `modified`.
pub fn two_way(original: &Value, modified: &Value, schema: Schema) -> Value {
    let mode = DiffMode { ignore_deletions: false, ignore_changes: false };
    Value::Object(diff_maps(obj(original), obj(modified), "", schema, mode))
}

/// kubectl apply's three-way patch: changes and additions from `current` to `modified`, and the
/// deletions of what `original` (the last applied configuration) had and `modified` dropped.
pub fn three_way(original: Option<&Value>, modified: &Value, current: &Value, schema: Schema) -> Value {
    let delta = diff_maps(obj(current), obj(modified), "", schema, DiffMode { ignore_deletions: true, ignore_changes: false });
    let deletions = match original {
        Some(o) => diff_maps(obj(o), obj(modified), "", schema, DiffMode { ignore_deletions: false, ignore_changes: true }),
        None => Map::new(),
    };
    Value::Object(merge_patches(deletions, delta))
}

fn obj(v: &Value) -> &Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    v.as_object().unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

/// Combines two patches computed over the same object (deletions first, then the delta).
fn merge_patches(mut a: Map<String, Value>, b: Map<String, Value>) -> Map<String, Value> {
    for (k, v) in b {
        match (a.get_mut(&k), v) {
            (Some(Value::Object(x)), Value::Object(y)) => {
                let merged = merge_patches(std::mem::take(x), y);
                *x = merged;
            }
            (Some(Value::Array(x)), Value::Array(y)) if k.starts_with(SET_ORDER) || k.starts_with(DELETE_PRIMITIVE) => {
                if k.starts_with(SET_ORDER) {
                    *x = y;
                } else {
                    for item in y {
                        if !x.contains(&item) {
                            x.push(item);
                        }
                    }
                }
            }
            (Some(Value::Array(x)), Value::Array(y)) => {
                // Element patches of a merge-key list: combine entries with the same key.
                for item in y {
                    let key = item.as_object().and_then(merge_key_of);
                    let pos = key.as_ref().and_then(|(kname, kv)| x.iter().position(|e| e.get(kname.as_str()) == Some(kv)));
                    match (pos, item) {
                        (Some(i), Value::Object(ym)) => {
                            if let Value::Object(xm) = &mut x[i] {
                                let merged = merge_patches(std::mem::take(xm), ym);
                                *xm = merged;
                            }
                        }
                        (_, item) => x.push(item),
                    }
                }
                // kubectl lists the `$patch: delete` entries after the others.
                let (mut keep, deletes): (Vec<Value>, Vec<Value>) =
                    std::mem::take(x).into_iter().partition(|e| e.get(DIRECTIVE).and_then(Value::as_str) != Some("delete"));
                keep.extend(deletes);
                *x = keep;
            }
            (_, v) => {
                a.insert(k, v);
            }
        }
    }
    a
}

/// The merge key entry of an element patch (the one field that is not a directive and that the
/// table names); a best guess used only to combine two patches of the same list.
fn merge_key_of(m: &Map<String, Value>) -> Option<(String, Value)> {
    for k in ["name", "mountPath", "containerPort", "port", "ip", "devicePath", "topologyKey", "conditionType", "uid", "type"] {
        if let Some(v) = m.get(k) {
            return Some((k.to_string(), v.clone()));
        }
    }
    None
}

fn diff_maps(orig: &Map<String, Value>, modi: &Map<String, Value>, parent: &str, schema: Schema, mode: DiffMode) -> Map<String, Value> {
    let mut patch = Map::new();
    for (k, mv) in modi {
        let ov = orig.get(k);
        match (ov, mv) {
            (None, _) => {
                if !mode.ignore_changes {
                    patch.insert(k.clone(), mv.clone());
                }
            }
            (Some(Value::Object(om)), Value::Object(mm)) => {
                let mut sub = diff_maps(om, mm, k, schema, mode);
                if !sub.is_empty() {
                    if !mode.ignore_changes && schema.retains_keys(parent, k) {
                        add_retain_keys(&mut sub, mm);
                    }
                    patch.insert(k.clone(), Value::Object(sub));
                }
            }
            (Some(Value::Array(ol)), Value::Array(ml)) => diff_lists(&mut patch, ol, ml, parent, k, schema, mode),
            (Some(o), m) => {
                if o != m && !mode.ignore_changes {
                    patch.insert(k.clone(), m.clone());
                }
            }
        }
    }
    if !mode.ignore_deletions {
        for k in orig.keys() {
            if !modi.contains_key(k) {
                patch.insert(k.clone(), Value::Null);
            }
        }
    }
    patch
}

fn diff_lists(patch: &mut Map<String, Value>, ol: &[Value], ml: &[Value], parent: &str, field: &str, schema: Schema, mode: DiffMode) {
    match schema.strategy(parent, field) {
        ListStrategy::Atomic => {
            if ol != ml && !mode.ignore_changes {
                patch.insert(field.to_string(), Value::Array(ml.to_vec()));
            }
        }
        ListStrategy::Primitive => {
            let added: Vec<Value> = ml.iter().filter(|v| !ol.contains(v)).cloned().collect();
            let removed: Vec<Value> = ol.iter().filter(|v| !ml.contains(v)).cloned().collect();
            let mut changed = false;
            if !added.is_empty() && !mode.ignore_changes {
                patch.insert(field.to_string(), Value::Array(added));
                changed = true;
            }
            if !removed.is_empty() && !mode.ignore_deletions {
                patch.insert(format!("{DELETE_PRIMITIVE}{field}"), Value::Array(removed));
                changed = true;
            }
            if changed {
                patch.insert(format!("{SET_ORDER}{field}"), Value::Array(ml.to_vec()));
            }
        }
        ListStrategy::MergeKey(key) => {
            let mut items = Vec::new();
            for m in ml {
                let Some(mm) = m.as_object() else { continue };
                let kv = mm.get(key);
                match ol.iter().find(|o| o.get(key).is_some() && o.get(key) == kv).and_then(Value::as_object) {
                    None => {
                        if !mode.ignore_changes {
                            items.push(m.clone());
                        }
                    }
                    Some(om) => {
                        let mut sub = diff_maps(om, mm, field, schema, mode);
                        if !sub.is_empty() {
                            if !mode.ignore_changes && field == "volumes" && schema == Schema::Builtin {
                                // Volume inlines VolumeSource with patchStrategy "retainKeys".
                                add_retain_keys(&mut sub, mm);
                            }
                            if let Some(kv) = kv {
                                sub.insert(key.to_string(), kv.clone());
                            }
                            items.push(Value::Object(sub));
                        }
                    }
                }
            }
            if !mode.ignore_deletions {
                for o in ol {
                    let kv = o.get(key);
                    if kv.is_some() && !ml.iter().any(|m| m.get(key) == kv) {
                        items.push(json!({key: kv, DIRECTIVE: "delete"}));
                    }
                }
            }
            if !items.is_empty() {
                let order: Vec<Value> = ml.iter().filter_map(|m| m.get(key).map(|kv| json!({key: kv}))).collect();
                if !mode.ignore_changes {
                    patch.insert(format!("{SET_ORDER}{field}"), Value::Array(order));
                }
                patch.insert(field.to_string(), Value::Array(items));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7386_examples() {
        let t = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        assert_eq!(merge_patch(&t, &json!({"a": "z", "c": {"f": null}})), json!({"a": "z", "c": {"d": "e"}}));
        assert_eq!(merge_patch(&json!({"a": [1]}), &json!({"a": [2, 3]})), json!({"a": [2, 3]}));
    }

    #[test]
    fn strategic_merge_uses_merge_keys() {
        let pod = json!({"spec": {"containers": [{"name": "a", "image": "x", "env": [{"name": "A", "value": "1"}]}, {"name": "b", "image": "y"}]}});
        let patch = json!({"spec": {"containers": [{"name": "a", "image": "z", "env": [{"name": "B", "value": "2"}]}, {"name": "b", "$patch": "delete"}]}});
        assert_eq!(
            strategic_merge(&pod, &patch, Schema::Builtin).unwrap(),
            json!({"spec": {"containers": [{"name": "a", "image": "z", "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}]}})
        );
        // atomic lists are replaced; `$patch: replace` replaces a map
        let p2 = json!({"spec": {"containers": [{"name": "a", "args": ["x"]}], "nodeSelector": {"$patch": "replace", "k": "v"}}});
        let base = json!({"spec": {"containers": [{"name": "a", "args": ["1", "2"]}], "nodeSelector": {"old": "1"}}});
        assert_eq!(
            strategic_merge(&base, &p2, Schema::Builtin).unwrap(),
            json!({"spec": {"containers": [{"name": "a", "args": ["x"]}], "nodeSelector": {"k": "v"}}})
        );
        // Service ports merge by port, container ports by containerPort
        let svc = json!({"spec": {"ports": [{"port": 80, "name": "http"}]}});
        let r = strategic_merge(&svc, &json!({"spec": {"ports": [{"port": 443, "name": "https"}]}}), Schema::Builtin).unwrap();
        assert_eq!(r["spec"]["ports"].as_array().map(Vec::len), Some(2));
        // custom resources: lists replaced
        let r = strategic_merge(&pod, &json!({"spec": {"containers": [{"name": "c"}]}}), Schema::None).unwrap();
        assert_eq!(r["spec"]["containers"], json!([{"name": "c"}]));
    }

    #[test]
    fn apply_of_a_recreate_strategy_drops_rolling_update() {
        let original = json!({"spec": {"replicas": 1}});
        let modified = json!({"spec": {"replicas": 1, "strategy": {"type": "Recreate"}}});
        let live = json!({"spec": {"replicas": 1, "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}}});
        let p = three_way(Some(&original), &modified, &live, Schema::Builtin);
        assert_eq!(p, json!({"spec": {"strategy": {"type": "Recreate", "$retainKeys": ["type"]}}}));
        assert_eq!(
            strategic_merge(&live, &p, Schema::Builtin).unwrap(),
            json!({"spec": {"replicas": 1, "strategy": {"type": "Recreate"}}})
        );
    }

    #[test]
    fn retain_keys_and_primitive_lists() {
        let base = json!({"metadata": {"finalizers": ["a", "b"]}, "spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}});
        let patch = json!({"metadata": {"finalizers": ["c"], "$deleteFromPrimitiveList/finalizers": ["a"]}, "spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}});
        assert_eq!(
            strategic_merge(&base, &patch, Schema::Builtin).unwrap(),
            json!({"metadata": {"finalizers": ["b", "c"]}, "spec": {"strategy": {"type": "Recreate"}}})
        );
    }

    #[test]
    fn three_way_keeps_server_fields_and_deletes_dropped_ones() {
        let original =
            json!({"metadata": {"labels": {"app": "web", "old": "x"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}});
        let modified = json!({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx:1.25"}]}});
        let current = json!({"metadata": {"labels": {"app": "web", "old": "x"}, "uid": "1"},
            "spec": {"containers": [{"name": "c", "image": "nginx", "imagePullPolicy": "Always"}], "dnsPolicy": "ClusterFirst"}});
        let patch = three_way(Some(&original), &modified, &current, Schema::Builtin);
        assert_eq!(
            patch,
            json!({"metadata": {"labels": {"old": null}}, "spec": {"$setElementOrder/containers": [{"name": "c"}], "containers": [{"image": "nginx:1.25", "name": "c"}]}})
        );
        let result = strategic_merge(&current, &patch, Schema::Builtin).unwrap();
        assert_eq!(
            result,
            json!({"metadata": {"labels": {"app": "web"}, "uid": "1"},
                "spec": {"containers": [{"name": "c", "image": "nginx:1.25", "imagePullPolicy": "Always"}], "dnsPolicy": "ClusterFirst"}})
        );
        // nothing changed: an empty patch
        assert_eq!(three_way(Some(&modified), &modified, &result, Schema::Builtin), json!({}));
        // two-way: removed elements become $patch: delete
        let p = two_way(
            &json!({"spec": {"volumes": [{"name": "a"}, {"name": "b"}]}}),
            &json!({"spec": {"volumes": [{"name": "a"}]}}),
            Schema::Builtin,
        );
        assert_eq!(p, json!({"spec": {"$setElementOrder/volumes": [{"name": "a"}], "volumes": [{"name": "b", "$patch": "delete"}]}}));
    }
}
