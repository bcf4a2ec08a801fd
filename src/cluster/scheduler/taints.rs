//! Taints and tolerations: the NodeUnschedulable and TaintToleration filters and the
//! TaintToleration score, after v1.35 `pkg/scheduler/framework/plugins/nodeunschedulable/
//! node_unschedulable.go`, `plugins/tainttoleration/taint_toleration.go` and the matching rules
//! of `k8s.io/api/core/v1/toleration.go` (`Toleration.ToleratesTaint`).

use serde_json::Value;

use super::{Cycle, NodeInfo, Rejection};

/// `ErrReasonUnschedulable` (node_unschedulable.go).
pub const REASON_UNSCHEDULABLE: &str = "node(s) were unschedulable";
/// `ErrReasonNotMatch` (taint_toleration.go). Since v1.35 (kubernetes PR #134740) the message
/// no longer names the taint, so every tainted node shares this one reason.
pub const REASON_UNTOLERATED: &str = "node(s) had untolerated taint(s)";

/// The taint the node lifecycle controller puts on a cordoned node.
pub const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable";
pub const NOT_READY_TAINT: &str = "node.kubernetes.io/not-ready";
pub const UNREACHABLE_TAINT: &str = "node.kubernetes.io/unreachable";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taint {
    pub key: String,
    pub value: String,
    pub effect: String,
}

impl Taint {
    fn from_json(t: &Value) -> Self {
        let s = |k: &str| t.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        Taint { key: s("key"), value: s("value"), effect: s("effect") }
    }
}

/// The node's taints as the scheduler sees them. The scheduler itself never reads node
/// conditions: a NotReady node is kept off by the `node.kubernetes.io/not-ready:NoSchedule`
/// (Ready=False) or `node.kubernetes.io/unreachable:NoSchedule` (Ready=Unknown) taint the node
/// lifecycle controller adds (TaintNodesByCondition). We add that taint here when the
/// controller has not (yet) written it, so a NotReady node filters the same way either way.
pub fn node_taints(node: &Value) -> Vec<Taint> {
    let mut taints: Vec<Taint> =
        node.pointer("/spec/taints").and_then(Value::as_array).into_iter().flatten().map(Taint::from_json).collect();
    let ready = node
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|c| c.get("type").and_then(Value::as_str) == Some("Ready"))
        .and_then(|c| c.get("status").and_then(Value::as_str));
    let implied = match ready {
        Some("False") => Some(NOT_READY_TAINT),
        Some("Unknown") => Some(UNREACHABLE_TAINT),
        _ => None,
    };
    if let Some(key) = implied
        && !taints.iter().any(|t| t.key == key && t.effect == "NoSchedule")
    {
        taints.push(Taint { key: key.to_string(), value: String::new(), effect: "NoSchedule".into() });
    }
    taints
}

/// `Toleration.ToleratesTaint`: the effect must match unless the toleration's is empty; an
/// empty key with `Exists` tolerates every key; `Exists` ignores the value, `Equal` (or no
/// operator) compares it.
pub fn tolerates(toleration: &Value, taint: &Taint) -> bool {
    let s = |k: &str| toleration.get(k).and_then(Value::as_str).unwrap_or_default();
    let effect = s("effect");
    if !effect.is_empty() && effect != taint.effect {
        return false;
    }
    let key = s("key");
    let op = s("operator");
    if !key.is_empty() && key != taint.key {
        return false;
    }
    match op {
        "Exists" => true,
        // Validation keeps an empty key to `Exists`, so Equal only compares values.
        "" | "Equal" => s("value") == taint.value,
        _ => false,
    }
}

fn tolerations(pod: &Value) -> &[Value] {
    pod.pointer("/spec/tolerations").and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn tolerated_by(pod: &Value, taint: &Taint) -> bool {
    tolerations(pod).iter().any(|t| tolerates(t, taint))
}

/// NodeUnschedulable: a cordoned node takes only pods tolerating its unschedulable taint.
pub fn filter_unschedulable(cy: &Cycle<'_>, n: &NodeInfo<'_>) -> Option<Rejection> {
    if n.node.pointer("/spec/unschedulable").and_then(Value::as_bool) != Some(true) {
        return None;
    }
    let taint = Taint { key: UNSCHEDULABLE_TAINT.into(), value: String::new(), effect: "NoSchedule".into() };
    if tolerated_by(cy.pod.pod, &taint) {
        return None;
    }
    Some(Rejection::unresolvable(REASON_UNSCHEDULABLE))
}

/// TaintToleration: only NoSchedule and NoExecute taints filter.
pub fn filter_taints(cy: &Cycle<'_>, n: &NodeInfo<'_>) -> Option<Rejection> {
    let untolerated = n.taints.iter().any(|t| (t.effect == "NoSchedule" || t.effect == "NoExecute") && !tolerated_by(cy.pod.pod, t));
    untolerated.then(|| Rejection::unresolvable(REASON_UNTOLERATED))
}

/// TaintToleration score before normalizing: the PreferNoSchedule taints that the pod's
/// PreferNoSchedule-or-any-effect tolerations leave untolerated. Fewer is better.
pub fn score_raw(cy: &Cycle<'_>, n: &NodeInfo<'_>) -> i64 {
    let prefer: Vec<&Value> = tolerations(cy.pod.pod)
        .iter()
        .filter(|t| matches!(t.get("effect").and_then(Value::as_str).unwrap_or_default(), "" | "PreferNoSchedule"))
        .collect();
    let count = n.taints.iter().filter(|t| t.effect == "PreferNoSchedule" && !prefer.iter().any(|tol| tolerates(tol, t))).count();
    i64::try_from(count).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn taint(key: &str, value: &str, effect: &str) -> Taint {
        Taint { key: key.into(), value: value.into(), effect: effect.into() }
    }

    #[test]
    fn toleration_matching_rules() {
        let t = taint("spray", "mortein", "NoSchedule");
        assert!(tolerates(&json!({"key": "spray", "operator": "Equal", "value": "mortein", "effect": "NoSchedule"}), &t));
        assert!(tolerates(&json!({"key": "spray", "value": "mortein"}), &t), "no operator means Equal");
        assert!(!tolerates(&json!({"key": "spray", "value": "raid", "effect": "NoSchedule"}), &t));
        assert!(tolerates(&json!({"key": "spray", "operator": "Exists"}), &t), "Exists ignores the value, empty effect matches all");
        assert!(!tolerates(&json!({"key": "spray", "operator": "Exists", "effect": "NoExecute"}), &t));
        assert!(tolerates(&json!({"operator": "Exists"}), &t), "empty key with Exists tolerates everything");
        assert!(!tolerates(&json!({"key": "other", "operator": "Exists"}), &t));
    }

    #[test]
    fn not_ready_nodes_get_the_not_ready_taint() {
        let node = json!({"spec": {}, "status": {"conditions": [{"type": "Ready", "status": "False"}]}});
        assert_eq!(node_taints(&node), vec![taint(NOT_READY_TAINT, "", "NoSchedule")]);
        let node = json!({"spec": {"taints": [{"key": NOT_READY_TAINT, "effect": "NoSchedule"}]}, "status": {"conditions": [{"type": "Ready", "status": "False"}]}});
        assert_eq!(node_taints(&node).len(), 1, "not added twice");
        let node = json!({"spec": {}, "status": {"conditions": [{"type": "Ready", "status": "Unknown"}]}});
        assert_eq!(node_taints(&node)[0].key, UNREACHABLE_TAINT);
        let node = json!({"spec": {}, "status": {"conditions": [{"type": "Ready", "status": "True"}]}});
        assert!(node_taints(&node).is_empty());
    }
}
