//! HorizontalPodAutoscalers (autoscaling/v2): minReplicas 1 and the default scaling behavior
//! (`pkg/apis/autoscaling/v2/defaults.go`: scale up by 4 pods or 100% per 15 s, scale down by
//! 100% per 15 s, selectPolicy Max, scale-up stabilization 0).

use serde_json::{Value, json};

use super::super::Cause;
use super::super::validation as v;
use super::{BASE, Strategy, child, default_key, spec_mut};

pub const STRATEGY: Strategy = Strategy { initial_status: Some(initial_status), default, validate, status_subresource: true, ..BASE };

fn default(obj: &mut Value) {
    // autoscaling/v1 has no `behavior`; only v2 defaults it.
    if obj.get("apiVersion").and_then(Value::as_str) != Some("autoscaling/v2") {
        if let Some(spec) = spec_mut(obj) {
            default_key(spec, "minReplicas", json!(1));
        }
        return;
    }
    let Some(spec) = spec_mut(obj) else { return };
    default_key(spec, "minReplicas", json!(1));
    let behavior = child(spec, "behavior");
    let up = child(behavior, "scaleUp");
    default_key(up, "stabilizationWindowSeconds", json!(0));
    default_key(up, "selectPolicy", json!("Max"));
    default_key(
        up,
        "policies",
        json!([{"type": "Pods", "value": 4, "periodSeconds": 15}, {"type": "Percent", "value": 100, "periodSeconds": 15}]),
    );
    let down = child(behavior, "scaleDown");
    default_key(down, "selectPolicy", json!("Max"));
    default_key(down, "policies", json!([{"type": "Percent", "value": 100, "periodSeconds": 15}]));
}

fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    let min = obj.pointer("/spec/minReplicas").and_then(Value::as_i64).unwrap_or(1);
    match obj.pointer("/spec/maxReplicas").and_then(Value::as_i64) {
        None => out.push(v::required("spec.maxReplicas", "")),
        Some(max) if max < min => out.push(v::invalid("spec.maxReplicas", &json!(max), "must be greater than or equal to `minReplicas`")),
        _ => {}
    }
    if min < 1 {
        out.push(v::invalid("spec.minReplicas", &json!(min), "must be greater than or equal to 1"));
    }
    if obj.pointer("/spec/scaleTargetRef/kind").and_then(Value::as_str).is_none_or(str::is_empty) {
        out.push(v::required("spec.scaleTargetRef.kind", ""));
    }
    if obj.pointer("/spec/scaleTargetRef/name").and_then(Value::as_str).is_none_or(str::is_empty) {
        out.push(v::required("spec.scaleTargetRef.name", ""));
    }
    out
}

/// autoscaling/v2's empty status (`desiredReplicas` has no omitempty).
fn initial_status() -> Value {
    json!({"desiredReplicas": 0})
}
