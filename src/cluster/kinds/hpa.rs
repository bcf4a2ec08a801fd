//! HorizontalPodAutoscalers (autoscaling/v2): minReplicas 1, a CPU 80% utilization metric when
//! none is given, and — only when `behavior` is set — its missing rules filled with the defaults
//! (`pkg/apis/autoscaling/v2/defaults.go`: scale up by 4 pods or 100% per 15 s, scale down by
//! 100% per 15 s, selectPolicy Max, scale-up stabilization 0).

use serde_json::{Value, json};

use super::super::Cause;
use super::super::validation as v;
use super::{BASE, Strategy, child, default_key, spec_mut};

pub const STRATEGY: Strategy = Strategy { initial_status: Some(initial_status), default, validate, status_subresource: true, ..BASE };

fn default(obj: &mut Value) {
    let v2 = obj.get("apiVersion").and_then(Value::as_str) == Some("autoscaling/v2");
    let Some(spec) = spec_mut(obj) else { return };
    default_key(spec, "minReplicas", json!(1));
    // autoscaling/v1 has its own targetCPUUtilizationPercentage and no metrics or behavior.
    if !v2 {
        return;
    }
    if spec.get("metrics").and_then(Value::as_array).is_none_or(Vec::is_empty) {
        spec.insert(
            "metrics".into(),
            json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]),
        );
    }
    // Behavior is defaulted only when given (SetDefaults_HorizontalPodAutoscalerBehavior).
    let Some(Value::Object(behavior)) = spec.get_mut("behavior") else { return };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_defaults() {
        let mut h = json!({"apiVersion": "autoscaling/v2", "spec": {"maxReplicas": 5}});
        default(&mut h);
        assert_eq!(h["spec"]["minReplicas"], 1);
        assert_eq!(h["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"], 80);
        assert!(h["spec"].get("behavior").is_none());
        let mut h = json!({"apiVersion": "autoscaling/v2", "spec": {"maxReplicas": 5, "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60}}}});
        default(&mut h);
        assert_eq!(h["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"], 60);
        assert_eq!(h["spec"]["behavior"]["scaleUp"]["selectPolicy"], "Max");
    }
}
