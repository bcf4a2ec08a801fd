//! Nodes: allocatable defaults to capacity (`SetDefaults_NodeStatus`); taint effects validated.

use serde_json::Value;

use super::super::Cause;
use super::super::validation as v;
use super::{BASE, Strategy};

pub const STRATEGY: Strategy = Strategy { default, validate, status_subresource: true, ..BASE };

fn default(obj: &mut Value) {
    let Some(status) = obj.get_mut("status").and_then(Value::as_object_mut) else { return };
    if status.get("allocatable").is_none()
        && let Some(cap) = status.get("capacity").cloned()
    {
        status.insert("allocatable".into(), cap);
    }
}

fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    if let Some(taints) = obj.pointer("/spec/taints").and_then(Value::as_array) {
        for (i, t) in taints.iter().enumerate() {
            match t.get("effect") {
                Some(e) if matches!(e.as_str(), Some("NoSchedule" | "PreferNoSchedule" | "NoExecute")) => {}
                Some(e) => {
                    out.push(v::not_supported(&format!("spec.taints[{i}].effect"), e, &["NoSchedule", "PreferNoSchedule", "NoExecute"]))
                }
                None => out.push(v::required(&format!("spec.taints[{i}].effect"), "")),
            }
            if t.get("key").and_then(Value::as_str).is_none_or(str::is_empty) {
                out.push(v::required(&format!("spec.taints[{i}].key"), ""));
            }
        }
    }
    out
}
