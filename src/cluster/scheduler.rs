//! The scheduler's seam: a pure function from a pod and a snapshot of the cluster to a
//! decision. PLACEHOLDER: this body is replaced by the scheduler module at merge; it only keeps
//! the settle loop working (first Ready, schedulable node whose NoSchedule taints the pod
//! tolerates).

use serde_json::Value;

/// Everything the scheduler looks at, borrowed from the store.
pub struct Snapshot<'a> {
    pub nodes: Vec<&'a Value>,
    pub pods: Vec<&'a Value>,
    pub pvcs: Vec<&'a Value>,
    pub pvs: Vec<&'a Value>,
    pub storage_classes: Vec<&'a Value>,
    pub priority_classes: Vec<&'a Value>,
}

pub enum Decision {
    Bind { node: String },
    Unschedulable { message: String },
}

/// Replaced by the scheduler module: the first node (in name order) that is Ready, not
/// cordoned, and has no NoSchedule/NoExecute taint the pod does not tolerate.
pub fn schedule(pod: &Value, snapshot: &Snapshot<'_>) -> Decision {
    let tolerations: Vec<&Value> =
        pod.pointer("/spec/tolerations").and_then(Value::as_array).map(|t| t.iter().collect()).unwrap_or_default();
    let tolerated = |taint: &Value| {
        tolerations.iter().any(|t| {
            let key_ok = match t.get("key").and_then(Value::as_str) {
                None | Some("") => t.get("operator").and_then(Value::as_str) == Some("Exists"),
                Some(k) => Some(k) == taint.get("key").and_then(Value::as_str),
            };
            let value_ok = t.get("operator").and_then(Value::as_str) == Some("Exists")
                || t.get("value").and_then(Value::as_str).unwrap_or_default()
                    == taint.get("value").and_then(Value::as_str).unwrap_or_default();
            let effect_ok = match t.get("effect").and_then(Value::as_str) {
                None | Some("") => true,
                Some(e) => Some(e) == taint.get("effect").and_then(Value::as_str),
            };
            key_ok && value_ok && effect_ok
        })
    };
    let mut untolerated = 0;
    let mut unschedulable = 0;
    let mut not_ready = 0;
    for node in &snapshot.nodes {
        let ready = node.pointer("/status/conditions").and_then(Value::as_array).is_some_and(|cs| {
            cs.iter()
                .any(|c| c.get("type").and_then(Value::as_str) == Some("Ready") && c.get("status").and_then(Value::as_str) == Some("True"))
        });
        if !ready {
            not_ready += 1;
            continue;
        }
        if node.pointer("/spec/unschedulable").and_then(Value::as_bool) == Some(true) {
            unschedulable += 1;
            continue;
        }
        let blocked = node.pointer("/spec/taints").and_then(Value::as_array).is_some_and(|ts| {
            ts.iter().any(|t| matches!(t.get("effect").and_then(Value::as_str), Some("NoSchedule" | "NoExecute")) && !tolerated(t))
        });
        if blocked {
            untolerated += 1;
            continue;
        }
        if let Some(name) = node.pointer("/metadata/name").and_then(Value::as_str) {
            return Decision::Bind { node: name.to_string() };
        }
    }
    let mut reasons = Vec::new();
    if not_ready > 0 {
        reasons.push(format!("{not_ready} node(s) had untolerated taint {{node.kubernetes.io/not-ready: }}"));
    }
    if unschedulable > 0 {
        reasons.push(format!("{unschedulable} node(s) were unschedulable"));
    }
    if untolerated > 0 {
        reasons.push(format!("{untolerated} node(s) had untolerated taint(s)"));
    }
    let n = snapshot.nodes.len();
    Decision::Unschedulable {
        message: format!(
            "0/{n} nodes are available: {}. preemption: 0/{n} nodes are available: {n} Preemption is not helpful for scheduling.",
            reasons.join(", ")
        ),
    }
}
