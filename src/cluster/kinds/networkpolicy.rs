//! NetworkPolicies: `policyTypes` defaults to Ingress, plus Egress when egress rules are given,
//! and rule ports default to TCP (`pkg/apis/networking/v1/defaults.go`); generation kept.

use serde_json::{Value, json};

use super::super::Cause;
use super::super::validation as v;
use super::{BASE, Strategy, spec_mut};

pub const STRATEGY: Strategy = Strategy { default, validate, generation: true, ..BASE };

fn default(obj: &mut Value) {
    let Some(spec) = spec_mut(obj) else { return };
    // SetDefaults_NetworkPolicyPort: ports without a protocol are TCP.
    for key in ["ingress", "egress"] {
        super::each_in(spec, key, |rule| super::each_in(rule, "ports", |p| super::default_key(p, "protocol", json!("TCP"))));
    }
    if spec.get("policyTypes").is_none_or(|p| p.as_array().is_none_or(Vec::is_empty)) {
        let mut types = vec![json!("Ingress")];
        if spec.get("egress").and_then(Value::as_array).is_some_and(|e| !e.is_empty()) {
            types.push(json!("Egress"));
        }
        spec.insert("policyTypes".into(), Value::Array(types));
    }
}

fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    if obj.pointer("/spec/podSelector").is_none() {
        // podSelector is required in the Go struct but the empty selector is the default.
    }
    if let Some(types) = obj.pointer("/spec/policyTypes").and_then(Value::as_array) {
        for (i, t) in types.iter().enumerate() {
            if !matches!(t.as_str(), Some("Ingress" | "Egress")) {
                out.push(v::not_supported(&format!("spec.policyTypes[{i}]"), t, &["Ingress", "Egress"]));
            }
        }
    }
    out
}
