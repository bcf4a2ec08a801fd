//! PriorityClasses: preemptionPolicy PreemptLowerPriority (`SetDefaults_PriorityClass`);
//! value and preemptionPolicy immutable; `system-` names reserved.

use serde_json::{Value, json};

use super::super::Cause;
use super::super::validation as v;
use super::{BASE, Strategy, default_key};

pub const STRATEGY: Strategy = Strategy { default, validate, validate_update, ..BASE };

fn default(obj: &mut Value) {
    if let Some(root) = obj.as_object_mut() {
        default_key(root, "preemptionPolicy", json!("PreemptLowerPriority"));
    }
}

fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
    let value = obj.get("value").and_then(Value::as_i64).unwrap_or(0);
    if name.starts_with("system-") && value <= 1_000_000_000 && name != "system-cluster-critical" && name != "system-node-critical" {
        out.push(v::forbidden("metadata.name", "priority class names with 'system-' prefix are reserved"));
    }
    if value > 1_000_000_000 && !name.starts_with("system-") {
        out.push(v::forbidden("value", "maximum allowed value of a user defined priority is 1000000000"));
    }
    out
}

fn validate_update(new: &Value, old: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    if new.get("value") != old.get("value") {
        out.push(v::forbidden("value", "may not be changed in an update."));
    }
    if new.get("preemptionPolicy") != old.get("preemptionPolicy") {
        out.push(v::immutable("preemptionPolicy", new.get("preemptionPolicy").unwrap_or(&Value::Null)));
    }
    out
}
