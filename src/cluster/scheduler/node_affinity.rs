//! NodeName and NodeAffinity: `spec.nodeName`, `spec.nodeSelector` and
//! `spec.affinity.nodeAffinity` (required filter, preferred score), after v1.35
//! `pkg/scheduler/framework/plugins/nodename/node_name.go`, `plugins/nodeaffinity/node_affinity.go`
//! and `k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Cycle, NodeInfo, Rejection};

/// `ErrReason` (node_name.go).
pub const REASON_NODE_NAME: &str = "node(s) didn't match the requested node name";
/// `ErrReasonPod` (node_affinity.go): nodeSelector and required node affinity share it.
pub const REASON_AFFINITY: &str = "node(s) didn't match Pod's node affinity/selector";

pub fn filter_node_name(cy: &Cycle<'_>, n: &NodeInfo<'_>) -> Option<Rejection> {
    let want = cy.pod.pod.pointer("/spec/nodeName").and_then(Value::as_str).unwrap_or_default();
    (!want.is_empty() && want != n.name).then(|| Rejection::unresolvable(REASON_NODE_NAME))
}

/// The pod's nodeSelector and required node affinity both have to hold.
pub fn required_matches(pod: &Value, node: &Value, labels: &BTreeMap<String, String>) -> bool {
    let selector = pod.pointer("/spec/nodeSelector").and_then(Value::as_object);
    if let Some(sel) = selector
        && !sel.iter().all(|(k, v)| labels.get(k).map(String::as_str) == v.as_str())
    {
        return false;
    }
    match pod
        .pointer("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")
        .and_then(Value::as_array)
    {
        // A required affinity with no terms matches no node.
        Some(terms) => terms.iter().any(|t| term_matches(t, node, labels)),
        None => true,
    }
}

pub fn filter(cy: &Cycle<'_>, n: &NodeInfo<'_>) -> Option<Rejection> {
    (!required_matches(cy.pod.pod, n.node, &n.labels)).then(|| Rejection::unresolvable(REASON_AFFINITY))
}

/// One NodeSelectorTerm: its matchExpressions and matchFields all hold. A term with neither
/// matches nothing (nodeaffinity.go `nodeSelectorTerms.Match` skips empty terms).
pub fn term_matches(term: &Value, node: &Value, labels: &BTreeMap<String, String>) -> bool {
    let exprs = term.get("matchExpressions").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    let fields = term.get("matchFields").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    if exprs.is_empty() && fields.is_empty() {
        return false;
    }
    let name = node.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
    exprs.iter().all(|e| requirement_matches(e, labels.get(str_of(e, "key")).map(String::as_str)))
        // metadata.name is the only field a node selector may use.
        && fields.iter().all(|e| str_of(e, "key") == "metadata.name" && requirement_matches(e, Some(name)))
}

fn str_of<'v>(v: &'v Value, k: &str) -> &'v str {
    v.get(k).and_then(Value::as_str).unwrap_or_default()
}

/// A NodeSelectorRequirement against the value found (or not) under its key.
fn requirement_matches(e: &Value, got: Option<&str>) -> bool {
    let values: Vec<&str> = e.get("values").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    match str_of(e, "operator") {
        "In" => got.is_some_and(|g| values.contains(&g)),
        "NotIn" => got.is_none_or(|g| !values.contains(&g)),
        "Exists" => got.is_some(),
        "DoesNotExist" => got.is_none(),
        op @ ("Gt" | "Lt") => {
            let (Some(g), Some(w)) = (got.and_then(|g| g.parse::<i64>().ok()), values.first().and_then(|w| w.parse::<i64>().ok())) else {
                return false;
            };
            if op == "Gt" { g > w } else { g < w }
        }
        _ => false,
    }
}

/// NodeAffinity score before normalizing: the summed weights of the preferred terms the node
/// matches.
pub fn score_raw(cy: &Cycle<'_>, n: &NodeInfo<'_>) -> i64 {
    cy.pod
        .pod
        .pointer("/spec/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|p| p.get("weight").and_then(Value::as_i64).unwrap_or(0) != 0)
        .filter(|p| p.get("preference").is_some_and(|t| term_matches(t, n.node, &n.labels)))
        .map(|p| p.get("weight").and_then(Value::as_i64).unwrap_or(0))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::selector::labels_of;
    use serde_json::json;

    fn node() -> Value {
        json!({"metadata": {"name": "node01", "labels": {"kubernetes.io/hostname": "node01", "disktype": "ssd", "cores": "8"}}})
    }

    fn matches(affinity: Value) -> bool {
        let pod = json!({"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": affinity}}}}});
        let n = node();
        required_matches(&pod, &n, &labels_of(&n))
    }

    #[test]
    fn operators() {
        let e = |op: &str, key: &str, values: Value| json!([{"matchExpressions": [{"key": key, "operator": op, "values": values}]}]);
        assert!(matches(e("In", "disktype", json!(["hdd", "ssd"]))));
        assert!(!matches(e("In", "disktype", json!(["hdd"]))));
        assert!(matches(e("NotIn", "disktype", json!(["hdd"]))));
        assert!(matches(e("NotIn", "zone", json!(["a"]))), "NotIn holds for a missing label");
        assert!(matches(e("Exists", "disktype", Value::Null)));
        assert!(matches(e("DoesNotExist", "gpu", Value::Null)));
        assert!(matches(e("Gt", "cores", json!(["4"]))));
        assert!(!matches(e("Lt", "cores", json!(["4"]))));
        assert!(!matches(e("Gt", "disktype", json!(["4"]))), "a non-integer label never satisfies Gt");
    }

    #[test]
    fn terms_are_ored_expressions_anded_fields_by_name() {
        assert!(matches(json!([
            {"matchExpressions": [{"key": "disktype", "operator": "In", "values": ["hdd"]}]},
            {"matchExpressions": [{"key": "disktype", "operator": "In", "values": ["ssd"]}]}
        ])));
        assert!(!matches(json!([{"matchExpressions": [
            {"key": "disktype", "operator": "In", "values": ["ssd"]},
            {"key": "gpu", "operator": "Exists"}
        ]}])));
        assert!(matches(json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node01"]}]}])));
        assert!(!matches(json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node02"]}]}])));
        assert!(!matches(json!([{}])), "an empty term matches nothing");
        assert!(!matches(json!([])), "no terms match nothing");
    }

    #[test]
    fn node_selector_must_match_too() {
        let n = node();
        let ok = json!({"spec": {"nodeSelector": {"disktype": "ssd"}}});
        let bad = json!({"spec": {"nodeSelector": {"disktype": "ssd", "gpu": "true"}}});
        assert!(required_matches(&ok, &n, &labels_of(&n)));
        assert!(!required_matches(&bad, &n, &labels_of(&n)));
    }
}
